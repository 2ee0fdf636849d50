// Package content runs containerd's own content store in-process: the local
// blob store, the bbolt metadata database with its namespaces, leases and
// garbage collector, all in one directory. Everything the sandbox does to
// content goes through here, wrapped with trace events and Prometheus
// metrics, so the learner can watch writers and GC interact. Dial gives the
// same Store over a running containerd daemon's content and lease services.
package content

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/leases"
	"github.com/containerd/containerd/v2/core/metadata"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/containerd/containerd/v2/plugins/content/local"
	bolt "go.etcd.io/bbolt"
)

// DefaultNamespace is used when a context carries no containerd namespace.
const DefaultNamespace = "drill"

// Options configure Open.
type Options struct {
	// Dir holds content/ and meta.db. Empty means a fresh temporary
	// directory that Close removes.
	Dir string
	// Metrics receives the store's measurements; nil creates a private set.
	// Share one Metrics between stores to add their numbers up.
	Metrics *Metrics
	// TraceSize is how many recent events the trace remembers (default 4096).
	TraceSize int
}

// Store is containerd's metadata content store, lease manager and GC over a
// local store, instrumented.
type Store struct {
	dir     string
	tempDir bool
	lock    *os.File // held while a temporary directory is in use; see tempdir.go

	bdb     *bolt.DB
	db      *metadata.DB
	cs      *instrumentedStore
	lm      *instrumentedLeases
	trace   *Trace
	metrics *Metrics

	gcMu      sync.Mutex // serialises GC so each run's removal count is its own
	gcRemoved int

	remote *remote // set when the store is a containerd daemon's; see Dial
}

// Open creates or opens the store in opts.Dir.
func Open(ctx context.Context, opts Options) (_ *Store, err error) {
	s := &Store{dir: opts.Dir, metrics: opts.Metrics, trace: NewTrace(opts.TraceSize)}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.dir == "" {
		// A drill killed outright never reached Close; clear what it left.
		_, _ = sweepStaleTempDirs(os.TempDir())
		if s.dir, err = os.MkdirTemp("", tempPattern); err != nil {
			return nil, fmt.Errorf("content: temporary directory: %w", err)
		}
		s.tempDir = true
		if s.lock, err = lockTempDir(s.dir); err != nil {
			os.RemoveAll(s.dir)
			return nil, fmt.Errorf("content: temporary directory: %w", err)
		}
	} else if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, fmt.Errorf("content: %w", err)
	}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()

	ls, err := local.NewStore(filepath.Join(s.dir, "content"))
	if err != nil {
		return nil, fmt.Errorf("content: local store: %w", err)
	}
	// A timeout turns a second process holding the database into an error
	// instead of a silent hang.
	s.bdb, err = bolt.Open(filepath.Join(s.dir, "meta.db"), 0o644, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("content: metadata database: %w", err)
	}
	// The backend wrapper sees exactly the deletions GC performs: the
	// metadata store only ever deletes backend blobs while collecting.
	s.db = metadata.NewDB(s.bdb, &gcObserver{Store: ls, s: s}, nil)
	if err := s.db.Init(WithDefaultNamespace(ctx)); err != nil {
		return nil, fmt.Errorf("content: metadata init: %w", err)
	}
	s.cs = &instrumentedStore{Store: s.db.ContentStore(), s: s}
	s.lm = &instrumentedLeases{Manager: metadata.NewLeaseManager(s.db), s: s}
	return s, nil
}

// Close closes the database and removes a temporary directory.
func (s *Store) Close() error {
	var errs []error
	if s.remote != nil && s.remote.conn != nil {
		errs = append(errs, s.remote.conn.Close())
		s.remote.conn = nil
	}
	if s.bdb != nil {
		errs = append(errs, s.bdb.Close())
		s.bdb = nil
	}
	if s.tempDir {
		errs = append(errs, os.RemoveAll(s.dir))
		s.tempDir = false
	}
	if s.lock != nil {
		errs = append(errs, s.lock.Close())
		s.lock = nil
	}
	return errors.Join(errs...)
}

// Dir is the directory the store lives in; on a daemon, "containerd:" and
// its socket.
func (s *Store) Dir() string { return s.dir }

// Content is the instrumented containerd content store. Its Writer returns
// a *Writer.
func (s *Store) Content() content.Store { return s.cs }

// Leases is the instrumented containerd lease manager.
func (s *Store) Leases() leases.Manager { return s.lm }

// Trace is the store's event trace.
func (s *Store) Trace() *Trace { return s.trace }

// Metrics are the store's collectors.
func (s *Store) Metrics() *Metrics { return s.metrics }

// GCResult describes one garbage collection.
type GCResult struct {
	Duration time.Duration
	Removed  int // blobs deleted from the content store
}

// GC runs containerd's metadata garbage collector: everything not reachable
// from a root, a lease or an in-progress ingest is removed. On a daemon the
// daemon's collector runs and Removed stays 0: its API does not say what
// a collection removed.
func (s *Store) GC(ctx context.Context) (GCResult, error) {
	s.gcMu.Lock()
	defer s.gcMu.Unlock()
	ctx = WithDefaultNamespace(ctx)
	s.gcRemoved = 0
	s.trace.add(Event{Kind: GCStart, Importer: ImporterFrom(ctx)})
	start := time.Now()
	var err error
	if s.remote != nil {
		err = s.gcRemote(ctx)
	} else {
		_, err = s.db.GarbageCollect(ctx)
	}
	res := GCResult{Duration: time.Since(start), Removed: s.gcRemoved}
	ev := Event{Kind: GCEnd, Importer: ImporterFrom(ctx), Duration: res.Duration, Bytes: int64(res.Removed)}
	if err != nil {
		ev.Err = err.Error()
	}
	s.trace.add(ev)
	s.metrics.GCRuns.Inc()
	s.metrics.GCDuration.Observe(res.Duration.Seconds())
	if err != nil {
		return res, fmt.Errorf("garbage collect: %w", err)
	}
	return res, nil
}

// WithDefaultNamespace gives ctx containerd's namespace DefaultNamespace
// unless it already has one; every metadata call needs a namespace.
func WithDefaultNamespace(ctx context.Context) context.Context {
	if _, ok := namespaces.Namespace(ctx); ok {
		return ctx
	}
	return namespaces.WithNamespace(ctx, DefaultNamespace)
}

// WithNamespace sets containerd's namespace on ctx. The sandbox gives each
// repro trial its own namespace so trials never see each other's ingests.
func WithNamespace(ctx context.Context, ns string) context.Context {
	return namespaces.WithNamespace(ctx, ns)
}

func namespaceOf(ctx context.Context) string {
	ns, _ := namespaces.Namespace(ctx)
	return ns
}

// NamespaceOf returns ctx's containerd namespace, or "".
func NamespaceOf(ctx context.Context) string { return namespaceOf(ctx) }
