// Package sandbox reproduces the debug drill's blob import failure on
// containerd's real content store: a TransferService with the reviewed
// shared-writer design and its fixes, a trial runner that measures how often
// it fails, and an HTTP API to drive it by hand.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	ccontent "github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/leases"
	"github.com/containerd/errdefs"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/drill-coach/drill/content"
)

// Fixes selects which mitigations the TransferService applies.
type Fixes struct {
	// Isolate gives each ref one writer at a time; concurrent importers of
	// the same ref wait for the owner's result instead of sharing its writer.
	Isolate bool
	// Lease runs every import inside a containerd lease, so GC cannot take
	// the blob between commit and use.
	Lease bool
}

// ParseFix reads the --fix value: "", "none", "isolate", "lease" or "all";
// a comma-separated list combines them.
func ParseFix(s string) (Fixes, error) {
	var f Fixes
	for _, part := range strings.Split(s, ",") {
		switch strings.TrimSpace(part) {
		case "", "none":
		case "isolate":
			f.Isolate = true
		case "lease":
			f.Lease = true
		case "all":
			f.Isolate, f.Lease = true, true
		default:
			return f, fmt.Errorf("unknown fix %q (want isolate, lease or all): %w", part, errdefs.ErrInvalidArgument)
		}
	}
	return f, nil
}

func (f Fixes) String() string {
	switch {
	case f.Isolate && f.Lease:
		return "all"
	case f.Isolate:
		return "isolate"
	case f.Lease:
		return "lease"
	}
	return "none"
}

// ImportRequest is one importer's blob.
type ImportRequest struct {
	Ref      string        // ingest ref; importers of the same blob use the same ref
	Digest   digest.Digest // optional expected digest
	Size     int64         // expected size; the body's length
	Body     io.Reader
	Importer string // id for the trace
}

// ImportResult describes a successful import.
type ImportResult struct {
	Digest  digest.Digest `json:"digest"`
	Size    int64         `json:"size"`
	Existed bool          `json:"existed"` // the content was already in the store
	Shared  bool          `json:"shared"`  // the import went through a writer or result more than one importer had
}

// TransferService imports blobs into the content store.
type TransferService struct {
	store *content.Store
	fixes Fixes
	// useDelay is how long an importer waits between commit and using the
	// blob (reading it back), the window in which an unleased blob is
	// garbage.
	useDelay time.Duration

	mu            sync.Mutex
	activeWriters map[string]*content.Writer // the reviewed design's writer cache
	flights       map[string]*flight         // the isolate fix's per-ref owner
}

// NewTransferService returns a service over store with the given fixes.
func NewTransferService(store *content.Store, fixes Fixes, useDelay time.Duration) *TransferService {
	return &TransferService{
		store:         store,
		fixes:         fixes,
		useDelay:      useDelay,
		activeWriters: map[string]*content.Writer{},
		flights:       map[string]*flight{},
	}
}

// Import writes req's blob, commits it and then uses it (reads it back and
// checks its digest). A panic inside containerd's writer is recovered and
// returned as ErrImporterPanic.
func (ts *TransferService) Import(ctx context.Context, req ImportRequest) (res ImportResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			ts.store.Metrics().ImporterPanics.Inc()
			err = &panicError{value: r, stack: string(debug.Stack())}
		}
		outcome := "ok"
		if err != nil {
			outcome = Class(err)
		} else if res.Existed {
			outcome = "exists"
		}
		ts.store.Metrics().ImportsByOutcome.WithLabelValues(outcome).Inc()
	}()
	if req.Ref == "" {
		return res, fmt.Errorf("blob ref is required: %w", errdefs.ErrInvalidArgument)
	}
	if req.Digest != "" {
		if err := req.Digest.Validate(); err != nil {
			return res, fmt.Errorf("blob digest %q: %v: %w", req.Digest, err, errdefs.ErrInvalidArgument)
		}
	}
	ctx = content.WithImporter(content.WithDefaultNamespace(ctx), req.Importer)

	if ts.fixes.Lease {
		// The lease must exist before the writer opens and stay until the
		// blob has been used: containerd then counts the ingest and the
		// committed blob as referenced, atomically with the commit. Adding
		// the blob to a lease after commit would leave a window.
		lease, err := ts.store.Leases().Create(ctx, leases.WithRandomID(), leases.WithExpiration(time.Hour))
		if err != nil {
			return res, fmt.Errorf("create lease: %w", err)
		}
		defer func() {
			// The import is over; let GC decide the blob's fate from now on.
			// A detached context so a cancelled request still releases it.
			_ = ts.store.Leases().Delete(context.WithoutCancel(ctx), lease)
		}()
		ctx = leases.WithLease(ctx, lease.ID)
	}

	if ts.fixes.Isolate {
		res, err = ts.importIsolated(ctx, req)
	} else {
		res, err = ts.importShared(ctx, req)
	}
	if err != nil {
		return res, err
	}
	err = ts.use(ctx, res)
	if err != nil && ts.fixes.Lease && res.Shared && !ts.fixes.Isolate {
		// containerd adds a committed blob to the lease of the context that
		// commits it: with one writer shared, that is one importer's lease,
		// and the others use the blob unprotected once it is deleted.
		err = fmt.Errorf("%w (the writer was shared: the blob was committed under another importer's lease)", err)
	}
	return res, err
}

// key scopes a ref to the context's namespace, as containerd does.
func key(ctx context.Context, ref string) string {
	return content.NamespaceOf(ctx) + "/" + ref
}

// getOrCreateWriter is the design under review: the mutex keeps the map
// safe, and nothing more. Concurrent importers of one ref get the same
// writer, which containerd documents as unsafe for concurrent use.
func (ts *TransferService) getOrCreateWriter(ctx context.Context, req ImportRequest) (ccontent.Writer, bool, *content.Writer, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	k := key(ctx, req.Ref)
	if w, ok := ts.activeWriters[k]; ok {
		return w.Reuse(ctx), true, w, nil
	}
	cw, err := ts.store.Content().Writer(ctx, ccontent.WithRef(req.Ref),
		ccontent.WithDescriptor(ocispec.Descriptor{Size: req.Size, Digest: req.Digest}))
	if err != nil {
		return nil, false, nil, err
	}
	w := cw.(*content.Writer)
	ts.activeWriters[k] = w
	return w.As(content.ImporterFrom(ctx)), false, w, nil
}

// importShared is the buggy path. The sandbox does drop the cache entry
// after a commit (the reviewed snippet never does, which fails every later
// import of the ref deterministically); what is left is the timing-dependent
// failure the drill describes.
func (ts *TransferService) importShared(ctx context.Context, req ImportRequest) (ImportResult, error) {
	w, reused, owner, err := ts.getOrCreateWriter(ctx, req)
	if errdefs.IsAlreadyExists(err) {
		return ImportResult{Digest: req.Digest, Size: req.Size, Existed: true}, nil
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("open writer for ref %s: %w", req.Ref, err)
	}
	defer w.Close() // the natural-looking defer that closes the file under the other importers

	dgst, n, err := copyDigest(w, req.Body)
	if err != nil {
		return ImportResult{}, writeError(req.Ref, err)
	}
	expected := req.Digest
	if expected == "" {
		expected = dgst
	}
	err = w.Commit(ctx, n, expected)
	ts.mu.Lock()
	if ts.activeWriters[key(ctx, req.Ref)] == owner {
		delete(ts.activeWriters, key(ctx, req.Ref))
	}
	ts.mu.Unlock()
	// Shared for every importer of a shared writer, its opener included:
	// whichever Commit ran first stored the blob under its own lease only.
	res := ImportResult{Digest: expected, Size: n, Shared: reused || owner.Shared()}
	if errdefs.IsAlreadyExists(err) {
		res.Existed = true
		return res, nil
	}
	if err != nil {
		return ImportResult{}, commitError(req.Ref, err)
	}
	return res, nil
}

// flight is one owner's import of a ref that other importers wait for.
type flight struct {
	done   chan struct{}
	res    ImportResult
	err    error
	leases []string // waiters' leases, to hold the blob for them too
}

// importIsolated is the isolate fix: the first importer of a ref owns the
// only writer; the others wait for its result. It is singleflight with one
// addition singleflight cannot express: before the owner lets go, it puts
// the blob into each waiter's lease, while its own lease still holds it, so
// with the lease fix a waiter never sees the blob unprotected.
func (ts *TransferService) importIsolated(ctx context.Context, req ImportRequest) (ImportResult, error) {
	k := key(ctx, req.Ref)
	leaseID, leased := leases.FromContext(ctx)
	ts.mu.Lock()
	if f, ok := ts.flights[k]; ok {
		if leased {
			f.leases = append(f.leases, leaseID)
		}
		ts.mu.Unlock()
		// Read our own body meanwhile: the ref names one blob, and a waiter
		// that sent different bytes must not be told they were stored.
		dgst, n, err := copyDigest(io.Discard, req.Body)
		if err != nil {
			return ImportResult{}, writeError(req.Ref, err)
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return ImportResult{}, ctx.Err()
		}
		if f.err != nil {
			return ImportResult{}, f.err
		}
		if f.res.Digest != dgst || f.res.Size != n {
			return ImportResult{}, fmt.Errorf("ref %s: got %s (%d bytes), stored %s: %w: %w",
				req.Ref, dgst, n, f.res.Digest, ErrContentMismatch, errdefs.ErrFailedPrecondition)
		}
		res := f.res
		res.Shared = true
		return res, nil
	}
	f := &flight{done: make(chan struct{})}
	ts.flights[k] = f
	ts.mu.Unlock()

	f.res, f.err = ts.importOwned(ctx, req)

	ts.mu.Lock()
	delete(ts.flights, k)
	waiters := f.leases
	ts.mu.Unlock()
	if f.err == nil {
		for _, id := range waiters {
			r := leases.Resource{ID: f.res.Digest.String(), Type: "content"}
			if err := ts.store.Leases().AddResource(ctx, leases.Lease{ID: id}, r); err != nil && f.err == nil {
				f.err = fmt.Errorf("lease blob %s for waiting importer: %w", f.res.Digest, err)
			}
		}
	}
	close(f.done)
	return f.res, f.err
}

// importOwned writes the blob through a writer this importer alone uses.
func (ts *TransferService) importOwned(ctx context.Context, req ImportRequest) (ImportResult, error) {
	cw, err := ts.store.Content().Writer(ctx, ccontent.WithRef(req.Ref),
		ccontent.WithDescriptor(ocispec.Descriptor{Size: req.Size, Digest: req.Digest}))
	if errdefs.IsAlreadyExists(err) {
		// containerd has also put the existing blob in our lease, if any.
		_, _ = io.Copy(io.Discard, req.Body)
		return ImportResult{Digest: req.Digest, Size: req.Size, Existed: true}, nil
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("open writer for ref %s: %w", req.Ref, err)
	}
	defer cw.Close()
	// A writer may resume an earlier, abandoned ingest of the same ref; this
	// import brings the whole blob, so start from zero.
	if st, err := cw.Status(); err == nil && st.Offset > 0 {
		if err := cw.Truncate(0); err != nil {
			return ImportResult{}, writeError(req.Ref, err)
		}
	}
	dgst, n, err := copyDigest(cw, req.Body)
	if err != nil {
		return ImportResult{}, writeError(req.Ref, err)
	}
	expected := req.Digest
	if expected == "" {
		expected = dgst
	}
	res := ImportResult{Digest: expected, Size: n}
	if err := cw.Commit(ctx, n, expected); errdefs.IsAlreadyExists(err) {
		res.Existed = true
	} else if err != nil {
		return ImportResult{}, commitError(req.Ref, err)
	}
	return res, nil
}

// use is what the caller of an import does next with the blob: read it back
// after useDelay. An unleased blob can be collected in between.
func (ts *TransferService) use(ctx context.Context, res ImportResult) error {
	if ts.useDelay > 0 {
		t := time.NewTimer(ts.useDelay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	ra, err := ts.store.Content().ReaderAt(ctx, ocispec.Descriptor{Digest: res.Digest, Size: res.Size})
	if errdefs.IsNotFound(err) {
		return collectedError(res.Digest.String(), err)
	}
	if err != nil {
		return fmt.Errorf("open blob %s: %w", res.Digest, err)
	}
	defer ra.Close()
	// Read in one piece: over a daemon's gRPC API every ReadAt is a request
	// that looks the blob up again, and io.Copy's small buffer would stretch
	// the read back into a hundred of them, each one a chance for GC.
	d := digest.Canonical.Digester()
	_, err = io.CopyBuffer(d.Hash(), io.NewSectionReader(ra, 0, ra.Size()), make([]byte, min(max(ra.Size(), 1), 4<<20)))
	got := d.Digest()
	if errors.Is(err, errdefs.ErrNotFound) {
		return collectedError(res.Digest.String(), err)
	}
	if err != nil {
		return fmt.Errorf("read blob %s: %w", res.Digest, err)
	}
	if got != res.Digest {
		return fmt.Errorf("blob %s reads back as %s: %w", res.Digest, got, errdefs.ErrDataLoss)
	}
	return nil
}

// Close closes writers the buggy cache still holds, releasing their ref
// locks. It does not close the store.
func (ts *TransferService) Close() error {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var errs []error
	for k, w := range ts.activeWriters {
		errs = append(errs, w.Close())
		delete(ts.activeWriters, k)
	}
	return errors.Join(errs...)
}

// copyDigest copies r to w and returns the sha256 digest and length of
// what was read.
func copyDigest(w io.Writer, r io.Reader) (digest.Digest, int64, error) {
	d := digest.Canonical.Digester()
	n, err := io.Copy(io.MultiWriter(w, d.Hash()), r)
	return d.Digest(), n, err
}
