package content

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/leases"
	"github.com/containerd/errdefs"
	"github.com/opencontainers/go-digest"
)

var (
	_ content.Store  = (*instrumentedStore)(nil)
	_ content.Writer = (*Writer)(nil)
	_ content.Writer = (*importerWriter)(nil)
	_ content.Store  = (*gcObserver)(nil)
	_ leases.Manager = (*instrumentedLeases)(nil)
)

// instrumentedStore delegates to containerd's metadata content store and
// records writer lifecycles.
type instrumentedStore struct {
	content.Store
	s *Store
}

var writerIDs atomic.Uint64

// Writer opens a containerd writer and wraps it in a *Writer. Errors are
// containerd's, unchanged: ErrAlreadyExists when the descriptor's digest is
// already present, ErrUnavailable when another writer holds the ref.
func (c *instrumentedStore) Writer(ctx context.Context, opts ...content.WriterOpt) (content.Writer, error) {
	var wo content.WriterOpts
	for _, o := range opts {
		if err := o(&wo); err != nil {
			return nil, err
		}
	}
	ev := Event{Kind: WriterOpen, Namespace: namespaceOf(ctx), Ref: wo.Ref, Importer: ImporterFrom(ctx)}
	inner, err := c.Store.Writer(ctx, opts...)
	if err != nil {
		ev.Err = err.Error()
		c.s.trace.add(ev)
		return nil, err
	}
	w := &Writer{inner: inner, s: c.s, id: writerIDs.Add(1), ns: ev.Namespace, ref: wo.Ref, opened: time.Now()}
	ev.Writer = w.id
	ev.Time = w.opened
	c.s.trace.add(ev)
	c.s.metrics.WritersOpened.Inc()
	c.s.metrics.ActiveWriters.Inc()
	return w, nil
}

// Abort removes an in-progress ingest.
func (c *instrumentedStore) Abort(ctx context.Context, ref string) error {
	err := c.Store.Abort(ctx, ref)
	ev := Event{Kind: WriterAbort, Namespace: namespaceOf(ctx), Ref: ref, Importer: ImporterFrom(ctx)}
	if err != nil {
		ev.Err = err.Error()
	}
	c.s.trace.add(ev)
	return err
}

// Writer is an instrumented containerd content writer. Like containerd's,
// it is not safe for concurrent use: the instrumentation itself is, so a
// caller that shares one (the design the debug drill reviews) still gets a
// truthful trace of who did what.
type Writer struct {
	inner  content.Writer
	s      *Store
	id     uint64
	ns     string
	ref    string
	opened time.Time
	ended  atomic.Bool
	shared atomic.Bool
}

// ID identifies the writer in trace events.
func (w *Writer) ID() uint64 { return w.id }

// Ref is the ingest ref the writer was opened with.
func (w *Writer) Ref() string { return w.ref }

// Reuse records that the writer is being handed to the importer named in
// ctx and returns a view of it whose events carry that importer's id.
func (w *Writer) Reuse(ctx context.Context) content.Writer {
	imp := ImporterFrom(ctx)
	w.shared.Store(true)
	w.s.metrics.WriterReused.Inc()
	w.s.trace.add(Event{Kind: WriterReuse, Namespace: w.ns, Ref: w.ref, Importer: imp, Writer: w.id})
	return &importerWriter{w: w, importer: imp}
}

// Shared reports whether the writer was handed to a second importer.
func (w *Writer) Shared() bool { return w.shared.Load() }

// As returns a view of the writer whose events carry importer's id, without
// counting a reuse.
func (w *Writer) As(importer string) content.Writer {
	return &importerWriter{w: w, importer: importer}
}

// end closes the writer's lifetime once, whichever of commit, close or
// abort comes first.
func (w *Writer) end() {
	if w.ended.CompareAndSwap(false, true) {
		w.s.metrics.WriterLifetime.Observe(time.Since(w.opened).Seconds())
		w.s.metrics.ActiveWriters.Dec()
	}
}

func (w *Writer) write(importer string, p []byte) (int, error) {
	n, err := w.inner.Write(p)
	w.s.metrics.BytesWritten.Add(float64(n))
	ev := Event{Kind: WriterWrite, Namespace: w.ns, Ref: w.ref, Importer: importer, Writer: w.id, Bytes: int64(n)}
	if err != nil {
		ev.Err = err.Error()
	}
	w.s.trace.add(ev)
	return n, err
}

func (w *Writer) commit(ctx context.Context, importer string, size int64, expected digest.Digest, opts ...content.Opt) error {
	start := time.Now()
	err := w.inner.Commit(ctx, size, expected, opts...)
	w.s.metrics.Commits.Inc()
	ev := Event{Kind: WriterCommit, Namespace: w.ns, Ref: w.ref, Importer: importer, Writer: w.id,
		Bytes: size, Duration: time.Since(start)}
	if err != nil {
		ev.Err = err.Error()
		if !errdefs.IsAlreadyExists(err) {
			w.s.metrics.CommitFailures.Inc()
		}
	} else if expected != "" {
		ev.Digest = expected.String()
	}
	w.s.trace.add(ev)
	w.end()
	return err
}

func (w *Writer) close(importer string) error {
	err := w.inner.Close()
	if !w.ended.Load() {
		ev := Event{Kind: WriterClose, Namespace: w.ns, Ref: w.ref, Importer: importer, Writer: w.id}
		if err != nil {
			ev.Err = err.Error()
		}
		w.s.trace.add(ev)
	}
	w.end()
	return err
}

// Write appends p to the ingest.
func (w *Writer) Write(p []byte) (int, error) { return w.write("", p) }

// Commit makes the ingest a blob. See containerd's content.Writer.
func (w *Writer) Commit(ctx context.Context, size int64, expected digest.Digest, opts ...content.Opt) error {
	return w.commit(ctx, ImporterFrom(ctx), size, expected, opts...)
}

// Close releases the writer, keeping the ingest for a later resume.
func (w *Writer) Close() error { return w.close("") }

// Digest is the digest of what was written so far.
func (w *Writer) Digest() digest.Digest { return w.inner.Digest() }

// Status reports the ingest's progress.
func (w *Writer) Status() (content.Status, error) { return w.inner.Status() }

// Truncate resets the ingest; containerd supports only size 0.
func (w *Writer) Truncate(size int64) error { return w.inner.Truncate(size) }

// importerWriter is a Writer seen through one importer's eyes.
type importerWriter struct {
	w        *Writer
	importer string
}

func (v *importerWriter) Write(p []byte) (int, error) { return v.w.write(v.importer, p) }
func (v *importerWriter) Commit(ctx context.Context, size int64, expected digest.Digest, opts ...content.Opt) error {
	return v.w.commit(ctx, v.importer, size, expected, opts...)
}
func (v *importerWriter) Close() error                    { return v.w.close(v.importer) }
func (v *importerWriter) Digest() digest.Digest           { return v.w.inner.Digest() }
func (v *importerWriter) Status() (content.Status, error) { return v.w.inner.Status() }
func (v *importerWriter) Truncate(size int64) error       { return v.w.inner.Truncate(size) }

// gcObserver sits between containerd's metadata store and the local store.
// The metadata store deletes backend blobs only while garbage collecting, so
// every Delete seen here is a GC removal.
type gcObserver struct {
	content.Store
	s *Store
}

func (g *gcObserver) Delete(ctx context.Context, dgst digest.Digest) error {
	err := g.Store.Delete(ctx, dgst)
	ev := Event{Kind: GCRemove, Digest: dgst.String()}
	if err != nil {
		ev.Err = err.Error()
	} else {
		g.s.gcRemoved++ // GC runs under s.gcMu; cleanup finishes before GarbageCollect returns
		g.s.metrics.GCBlobsRemoved.Inc()
	}
	g.s.trace.add(ev)
	return err
}

// WalkStatusRefs keeps the local store's fast path for GC's ingest sweep,
// which the metadata store looks for with a type assertion.
func (g *gcObserver) WalkStatusRefs(ctx context.Context, fn func(string) error) error {
	type walker interface {
		WalkStatusRefs(context.Context, func(string) error) error
	}
	if w, ok := g.Store.(walker); ok {
		return w.WalkStatusRefs(ctx, fn)
	}
	statuses, err := g.Store.ListStatuses(ctx)
	if err != nil {
		return err
	}
	for _, st := range statuses {
		if err := fn(st.Ref); err != nil {
			return err
		}
	}
	return nil
}

// instrumentedLeases traces lease creation, deletion and resources.
type instrumentedLeases struct {
	leases.Manager
	s *Store
}

func (l *instrumentedLeases) Create(ctx context.Context, opts ...leases.Opt) (leases.Lease, error) {
	lease, err := l.Manager.Create(ctx, opts...)
	ev := Event{Kind: LeaseAdd, Namespace: namespaceOf(ctx), Importer: ImporterFrom(ctx), Lease: lease.ID}
	if err != nil {
		ev.Err = err.Error()
	} else {
		l.s.metrics.ActiveLeases.Inc()
	}
	l.s.trace.add(ev)
	return lease, err
}

func (l *instrumentedLeases) Delete(ctx context.Context, lease leases.Lease, opts ...leases.DeleteOpt) error {
	err := l.Manager.Delete(ctx, lease, opts...)
	ev := Event{Kind: LeaseRemove, Namespace: namespaceOf(ctx), Importer: ImporterFrom(ctx), Lease: lease.ID}
	if err != nil {
		ev.Err = err.Error()
	} else {
		l.s.metrics.ActiveLeases.Dec()
	}
	l.s.trace.add(ev)
	return err
}

func (l *instrumentedLeases) AddResource(ctx context.Context, lease leases.Lease, r leases.Resource) error {
	err := l.Manager.AddResource(ctx, lease, r)
	ev := Event{Kind: LeaseResource, Namespace: namespaceOf(ctx), Importer: ImporterFrom(ctx), Lease: lease.ID, Digest: r.ID}
	if err != nil {
		ev.Err = err.Error()
	}
	l.s.trace.add(ev)
	return err
}
