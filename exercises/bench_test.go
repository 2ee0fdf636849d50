package exercises

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoadBank is what `drill list` pays: the whole embedded bank, decoded.
func BenchmarkLoadBank(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if bank := Load(); len(bank.All()) < 64 {
			b.Fatal("bank too small")
		}
	}
}

// BenchmarkLoadOne is what `drill answer` and `drill show` pay: one exercise.
func BenchmarkLoadOne(b *testing.B) {
	id := Load().All()[0].ID
	b.ReportAllocs()
	for b.Loop() {
		if Load().Get(id) == nil {
			b.Fatal("missing")
		}
	}
}

// BenchmarkParseBank is the bank loaded the way drill did before it was compiled:
// every Markdown file parsed and validated.
func BenchmarkParseBank(b *testing.B) {
	src := os.DirFS(".")
	b.ReportAllocs()
	for b.Loop() {
		if exs, _, err := ParseSources(src); err != nil || len(exs) < 64 {
			b.Fatal(err)
		}
	}
}

// syntheticDir writes n exercises, copies of a bank exercise under new ids, the
// size of real ones.
func syntheticDir(tb testing.TB, n int) string {
	tb.Helper()
	src, err := os.ReadFile("debug/containerd-commit-writer.md")
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	for i := range n {
		id := fmt.Sprintf("synthetic-%03d", i)
		data := strings.Replace(string(src), "id: containerd-commit-writer", "id: "+id, 1)
		if err := os.WriteFile(filepath.Join(dir, id+".md"), []byte(data), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLoadSynthetic loads 64 and 500 exercises of the learner's own,
// parsed every time (no cache) and from the cache, then takes one (as `answer`
// does) or all of them (as `list` does).
func BenchmarkLoadSynthetic(b *testing.B) {
	for _, n := range []int{64, 500} {
		dir := syntheticDir(b, n)
		id := "synthetic-007"
		b.Run(fmt.Sprintf("n=%d/parse/all", n), func(b *testing.B) {
			for b.Loop() {
				if got := len(Load(dir).All()); got < n {
					b.Fatalf("%d exercises", got)
				}
			}
		})
		cache := b.TempDir()
		if bk := LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache}); len(bk.Problems) > 0 {
			b.Fatal(bk.Problems)
		}
		for _, what := range []string{"one", "all"} {
			b.Run(fmt.Sprintf("n=%d/cached/%s", n, what), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					bk := LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache})
					if what == "one" && bk.Get(id) == nil || what == "all" && len(bk.All()) < n {
						b.Fatal("missing")
					}
				}
			})
		}
	}
}
