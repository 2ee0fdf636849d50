package content

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/leases"
	"github.com/containerd/errdefs"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestWriterLifecycleIsTracedAndMeasured(t *testing.T) {
	s := open(t)
	ctx := WithImporter(WithDefaultNamespace(context.Background()), "imp-1")
	blob := []byte("hello, content")
	cw, err := s.Content().Writer(ctx, content.WithRef("r1"))
	if err != nil {
		t.Fatal(err)
	}
	w := cw.(*Writer)
	if got := s.Metrics().Summary().ActiveWriters; got != 1 {
		t.Fatalf("active_writer_count = %v, want 1", got)
	}
	shared := w.Reuse(WithImporter(ctx, "imp-2"))
	if _, err := shared.Write(blob); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx, int64(len(blob)), digest.FromBytes(blob)); err != nil {
		t.Fatal(err)
	}
	// A second commit on the same writer is containerd's closed-writer error.
	err = shared.Commit(ctx, int64(len(blob)), digest.FromBytes(blob))
	if !errdefs.IsFailedPrecondition(err) {
		t.Fatalf("second commit: %v, want failed precondition", err)
	}
	m := s.Metrics().Summary()
	if m.ActiveWriters != 0 || m.WriterReused != 1 || m.CommitFailures != 1 || m.LifetimeCount != 1 || m.BytesWritten != float64(len(blob)) {
		t.Fatalf("metrics = %+v", m)
	}
	var kinds []Kind
	var writeBy string
	for _, e := range s.Trace().Events(0) {
		kinds = append(kinds, e.Kind)
		if e.Kind == WriterWrite {
			writeBy = e.Importer
		}
		if e.Writer != 0 && e.Writer != w.ID() {
			t.Errorf("event %+v names another writer", e)
		}
	}
	want := []Kind{WriterOpen, WriterReuse, WriterWrite, WriterCommit, WriterCommit}
	if len(kinds) != len(want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events %v, want %v", kinds, want)
		}
	}
	if writeBy != "imp-2" {
		t.Errorf("write attributed to %q, want imp-2", writeBy)
	}
}

func TestGCRemovesUnleasedAndKeepsLeased(t *testing.T) {
	s := open(t)
	ctx := WithDefaultNamespace(context.Background())
	lease, err := s.Leases().Create(ctx, leases.WithRandomID())
	if err != nil {
		t.Fatal(err)
	}
	kept, gone := []byte("leased"), []byte("unleased")
	if err := content.WriteBlob(leases.WithLease(ctx, lease.ID), s.Content(), "a", bytes.NewReader(kept),
		ocispec.Descriptor{Size: int64(len(kept)), Digest: digest.FromBytes(kept)}); err != nil {
		t.Fatal(err)
	}
	if err := content.WriteBlob(ctx, s.Content(), "b", bytes.NewReader(gone),
		ocispec.Descriptor{Size: int64(len(gone)), Digest: digest.FromBytes(gone)}); err != nil {
		t.Fatal(err)
	}
	res, err := s.GC(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Removed != 1 {
		t.Fatalf("GC removed %d blobs, want 1", res.Removed)
	}
	if _, err := s.Content().Info(ctx, digest.FromBytes(gone)); !errdefs.IsNotFound(err) {
		t.Fatalf("unleased blob: %v, want not found", err)
	}
	if _, err := s.Content().Info(ctx, digest.FromBytes(kept)); err != nil {
		t.Fatalf("leased blob: %v", err)
	}
	var removed []string
	for _, e := range s.Trace().Events(0) {
		if e.Kind == GCRemove {
			removed = append(removed, e.Digest)
		}
	}
	if len(removed) != 1 || removed[0] != digest.FromBytes(gone).String() {
		t.Fatalf("gc.remove events %v", removed)
	}
	if err := s.Leases().Delete(ctx, lease); err != nil {
		t.Fatal(err)
	}
	if res, err := s.GC(ctx); err != nil || res.Removed != 1 {
		t.Fatalf("GC after lease delete: %+v, %v", res, err)
	}
	m := s.Metrics().Summary()
	if m.GCRuns != 2 || m.GCBlobsRemoved != 2 {
		t.Fatalf("metrics %+v", m)
	}
}

func TestTraceRingKeepsNewest(t *testing.T) {
	tr := NewTrace(3)
	for i := range 5 {
		tr.add(Event{Kind: WriterWrite, Bytes: int64(i)})
	}
	ev := tr.Events(0)
	if len(ev) != 3 || ev[0].Bytes != 2 || ev[2].Bytes != 4 || ev[2].Seq != 4 {
		t.Fatalf("events %+v", ev)
	}
	if got := tr.Events(4); len(got) != 1 || got[0].Bytes != 4 {
		t.Fatalf("since 4: %+v", got)
	}
	if tr.Next() != 5 {
		t.Fatalf("next = %d", tr.Next())
	}
}

// Background GC, however often it runs, does not push writer events out:
// it has a ring of its own, and the two read back merged in order.
func TestTraceGCDoesNotEvictWriterEvents(t *testing.T) {
	tr := NewTrace(8)
	tr.add(Event{Kind: WriterOpen, Writer: 1})
	for range 1000 {
		tr.add(Event{Kind: GCStart})
		tr.add(Event{Kind: GCEnd})
	}
	tr.add(Event{Kind: WriterCommit, Writer: 1})
	ev := tr.Events(0)
	if ev[0].Kind != WriterOpen || ev[len(ev)-1].Kind != WriterCommit {
		t.Fatalf("writer events evicted by GC: first %v, last %v", ev[0].Kind, ev[len(ev)-1].Kind)
	}
	for i := 1; i < len(ev); i++ {
		if ev[i].Seq <= ev[i-1].Seq {
			t.Fatalf("out of order at %d: %d after %d", i, ev[i].Seq, ev[i-1].Seq)
		}
	}
	if len(ev) != 2+64 {
		t.Fatalf("%d events kept, want the 2 writer events and the last 64 GC events", len(ev))
	}
}

func TestOpenTempDirIsRemoved(t *testing.T) {
	s, err := Open(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := statDir(dir); !errors.Is(err, errNotExist) {
		t.Errorf("temporary dir %s still there: %v", dir, err)
	}
}
