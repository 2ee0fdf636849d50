package content

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/core/leases"
	"github.com/containerd/containerd/v2/core/metadata"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/containerd/containerd/v2/plugins/content/local"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	bolt "go.etcd.io/bbolt"
)

// BenchmarkIngest writes 1 MiB blobs through the instrumented store and
// through containerd's metadata store used directly, in the same run, so
// the difference is the cost of the trace and metrics.
func BenchmarkIngest(b *testing.B) {
	blob := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	b.Run("instrumented", func(b *testing.B) {
		s := open(b)
		benchIngest(b, WithDefaultNamespace(context.Background()), s.Content(), blob)
	})
	b.Run("containerd-direct", func(b *testing.B) {
		dir := b.TempDir()
		ls, err := local.NewStore(filepath.Join(dir, "content"))
		if err != nil {
			b.Fatal(err)
		}
		bdb, err := bolt.Open(filepath.Join(dir, "meta.db"), 0o644, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer bdb.Close()
		db := metadata.NewDB(bdb, ls, nil)
		ctx := namespaces.WithNamespace(context.Background(), "bench")
		if err := db.Init(ctx); err != nil {
			b.Fatal(err)
		}
		benchIngest(b, ctx, db.ContentStore(), blob)
	})
}

func benchIngest(b *testing.B, ctx context.Context, cs content.Store, blob []byte) {
	b.SetBytes(int64(len(blob)))
	i := 0
	for b.Loop() {
		// A distinct blob each time, so every iteration really commits.
		blob[0], blob[1], blob[2] = byte(i), byte(i>>8), byte(i>>16)
		i++
		if err := content.WriteBlob(ctx, cs, fmt.Sprintf("ref-%d", i), bytes.NewReader(blob),
			ocispec.Descriptor{Size: int64(len(blob)), Digest: digest.FromBytes(blob)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGC1000Blobs collects a store holding 1000 leased blobs plus one
// unleased blob written before each run, so every run marks the 1000, walks
// them in the content store and removes exactly one.
func BenchmarkGC1000Blobs(b *testing.B) {
	s := open(b)
	ctx := WithDefaultNamespace(context.Background())
	l, err := s.Leases().Create(ctx, leases.WithRandomID())
	if err != nil {
		b.Fatal(err)
	}
	lctx := leases.WithLease(ctx, l.ID)
	for i := range 1000 {
		blob := []byte(fmt.Sprintf("blob %d", i))
		if err := content.WriteBlob(lctx, s.Content(), fmt.Sprintf("r%d", i), bytes.NewReader(blob),
			ocispec.Descriptor{Size: int64(len(blob)), Digest: digest.FromBytes(blob)}); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		blob := []byte(fmt.Sprintf("garbage %d", i))
		if err := content.WriteBlob(ctx, s.Content(), "g", bytes.NewReader(blob),
			ocispec.Descriptor{Size: int64(len(blob)), Digest: digest.FromBytes(blob)}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.GC(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if res.Removed != 1 {
			b.Fatalf("removed %d, want 1", res.Removed)
		}
	}
}
