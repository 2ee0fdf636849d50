package sandbox

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/containerd/errdefs"
	"github.com/opencontainers/go-digest"

	"github.com/drill-coach/drill/content"
)

// These tests drive only the fixed paths or a single importer, so they are
// race-clean and run under -race too.

func newService(t *testing.T, fixes Fixes, useDelay time.Duration) (*content.Store, *TransferService) {
	t.Helper()
	s, err := content.Open(context.Background(), content.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := NewTransferService(s, fixes, useDelay)
	t.Cleanup(func() {
		if err := ts.Close(); err != nil {
			t.Error(err)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s, ts
}

func TestParseFix(t *testing.T) {
	for in, want := range map[string]Fixes{
		"": {}, "none": {}, "isolate": {Isolate: true}, "lease": {Lease: true},
		"all": {Isolate: true, Lease: true}, "isolate,lease": {Isolate: true, Lease: true},
	} {
		got, err := ParseFix(in)
		if err != nil || got != want {
			t.Errorf("ParseFix(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	if _, err := ParseFix("mutex"); !errdefs.IsInvalidArgument(err) {
		t.Errorf("ParseFix(mutex) error = %v, want invalid argument", err)
	}
}

func TestImportThenExists(t *testing.T) {
	for _, fixes := range []Fixes{{}, {Isolate: true}, {Lease: true}, {Isolate: true, Lease: true}} {
		t.Run(fixes.String(), func(t *testing.T) {
			s, ts := newService(t, fixes, 0)
			ctx := context.Background()
			blob := bytes.Repeat([]byte("layer"), 50000)
			want := digest.FromBytes(blob)
			res, err := ts.Import(ctx, ImportRequest{Ref: "sha256:abc123", Size: int64(len(blob)), Body: bytes.NewReader(blob)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Digest != want || res.Existed {
				t.Fatalf("first import = %+v, want new blob %s", res, want)
			}
			// Again without a digest: written again, containerd says it exists.
			res, err = ts.Import(ctx, ImportRequest{Ref: "sha256:abc123", Size: int64(len(blob)), Body: bytes.NewReader(blob)})
			if err != nil || !res.Existed {
				t.Fatalf("second import = %+v, %v; want existed", res, err)
			}
			// With the digest: containerd refuses the writer up front.
			res, err = ts.Import(ctx, ImportRequest{Ref: "other", Digest: want, Size: int64(len(blob)), Body: bytes.NewReader(blob)})
			if err != nil || !res.Existed {
				t.Fatalf("import with digest = %+v, %v; want existed", res, err)
			}
			info, err := s.Content().Info(content.WithDefaultNamespace(ctx), want)
			if err != nil || info.Size != int64(len(blob)) {
				t.Fatalf("Info = %+v, %v", info, err)
			}
		})
	}
}

func TestImportWrongDigestIsCommitFailure(t *testing.T) {
	_, ts := newService(t, Fixes{Isolate: true, Lease: true}, 0)
	blob := []byte("hello")
	_, err := ts.Import(context.Background(), ImportRequest{
		Ref: "r", Digest: digest.FromString("something else"), Size: 5, Body: bytes.NewReader(blob)})
	if !errors.Is(err, ErrCommitFailed) || !errdefs.IsFailedPrecondition(err) {
		t.Fatalf("err = %v; want ErrCommitFailed wrapping failed precondition", err)
	}
	if _, err := ts.Import(context.Background(), ImportRequest{Size: 1, Body: bytes.NewReader(blob)}); !errdefs.IsInvalidArgument(err) {
		t.Fatalf("missing ref: err = %v, want invalid argument", err)
	}
}

// With the isolate fix, concurrent importers of one ref all succeed: one
// writes, the others wait for its result.
func TestIsolateConcurrentImporters(t *testing.T) {
	s, ts := newService(t, Fixes{Isolate: true, Lease: true}, 0)
	blob := bytes.Repeat([]byte{7}, 1<<20)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	shared := make([]bool, 8)
	for i := range errs {
		wg.Go(func() {
			res, err := ts.Import(context.Background(), ImportRequest{Ref: "sha256:abc123", Size: int64(len(blob)), Body: bytes.NewReader(blob)})
			errs[i], shared[i] = err, res.Shared
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("importer %d: %v", i, err)
		}
	}
	if got := s.Metrics().Summary().WriterReused; got != 0 {
		t.Errorf("blob_writer_reused_total = %v with isolation, want 0", got)
	}
}

// A waiter that sends different bytes under the owner's ref is refused.
func TestIsolateContentMismatch(t *testing.T) {
	_, ts := newService(t, Fixes{Isolate: true}, 0)
	owner := &signalReader{r: bytes.NewReader([]byte("owner's bytes")), gate: make(chan struct{}), started: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := ts.Import(context.Background(), ImportRequest{Ref: "same", Size: 13, Body: owner, Importer: "owner"})
		done <- err
	}()
	<-owner.started // the owner holds the ref and is writing

	// A waiter reads its body only after joining the owner's flight.
	other := &signalReader{r: bytes.NewReader([]byte("other")), gate: make(chan struct{}), started: make(chan struct{})}
	close(other.gate)
	waiter := make(chan error, 1)
	go func() {
		_, err := ts.Import(context.Background(), ImportRequest{Ref: "same", Size: 5, Body: other, Importer: "waiter"})
		waiter <- err
	}()
	<-other.started
	close(owner.gate)
	if err := <-done; err != nil {
		t.Fatalf("owner: %v", err)
	}
	if err := <-waiter; !errors.Is(err, ErrContentMismatch) || !errdefs.IsFailedPrecondition(err) {
		t.Fatalf("waiter: %v, want content mismatch", err)
	}
}

// signalReader closes started on its first Read, then waits for gate.
type signalReader struct {
	r       *bytes.Reader
	gate    chan struct{}
	once    sync.Once
	started chan struct{}
}

func (g *signalReader) Read(p []byte) (int, error) {
	g.once.Do(func() { close(g.started) })
	<-g.gate
	return g.r.Read(p)
}

// The GC window, with a single importer so no writer is shared: a blob
// committed without a lease and read back 10 ms later under back-to-back GC
// is usually gone; inside a lease it never is.
func TestGCWindowLeasesOffAndOn(t *testing.T) {
	base := DefaultReproOptions()
	base.Importers = 1
	base.Jitter = 0
	base.TargetRate = 0
	base.GCInterval = 0
	base.UseDelay = 10 * time.Millisecond
	base.BlobSize = 64 << 10
	base.Trials = 40
	base.Dir = t.TempDir()

	off, err := Repro(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	// Measured here at 99.9%; one collected blob is enough to show the window.
	if off.Classes["gc"] == 0 {
		t.Fatalf("leases off: no blob collected before use in %d trials (%v)", off.Trials, off.Errors)
	}
	if off.Classes["gc"] != off.Failed {
		t.Fatalf("leases off: failures other than the GC window: %v", off.Errors)
	}

	on := base
	on.Fixes = Fixes{Lease: true}
	on.Dir = t.TempDir()
	res, err := Repro(context.Background(), on)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 {
		t.Fatalf("leases on: %d of %d trials failed: %v", res.Failed, res.Trials, res.Errors)
	}
	if res.Metrics.GCRuns == 0 {
		t.Fatal("no GC ran")
	}
	t.Logf("GC window: leases off %d/%d collected, leases on %d/%d", off.Classes["gc"], off.Trials, res.Failed, res.Trials)
}

func TestFixAllConcurrentTrials(t *testing.T) {
	o := DefaultReproOptions()
	o.Fixes = Fixes{Isolate: true, Lease: true}
	o.Trials = 60
	o.Dir = t.TempDir()
	res, err := Repro(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 {
		t.Fatalf("--fix all: %d of %d failed: %v", res.Failed, res.Trials, res.Errors)
	}
	if res.Metrics.ActiveWriters != 0 {
		t.Errorf("active_writer_count = %v after the run, want 0", res.Metrics.ActiveWriters)
	}
}

func TestWilson(t *testing.T) {
	lo, hi := Wilson(0, 500)
	if lo != 0 || hi <= 0 || hi > 0.01 {
		t.Errorf("Wilson(0,500) = %v,%v", lo, hi)
	}
	lo, hi = Wilson(100, 200)
	if lo > 0.5 || hi < 0.5 || hi-lo > 0.15 {
		t.Errorf("Wilson(100,200) = %v,%v", lo, hi)
	}
}

func TestPanicIsRecoveredAsItsOwnClass(t *testing.T) {
	_, ts := newService(t, Fixes{}, 0)
	_, err := ts.Import(context.Background(), ImportRequest{Ref: "p", Size: 4, Body: panicReader{}})
	if !errors.Is(err, ErrImporterPanic) || !errdefs.IsInternal(err) || Class(err) != "panic" {
		t.Fatalf("err = %v; want ErrImporterPanic", err)
	}
}

// panicReader stands in for a writer torn by another goroutine: the panic
// happens inside the import's copy loop, where containerd's would.
type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("nil file handle") }
