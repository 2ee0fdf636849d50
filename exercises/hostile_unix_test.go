//go:build unix

package exercises

import (
	"os"
	"syscall"
	"testing"
)

// A FIFO opened for reading blocks until a writer comes: it once hung every command.
func platformHostileCases() []hostileCase {
	return []hostileCase{
		{"FIFO named x.md", "x.md", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file (a FIFO)"},
	}
}

// A FIFO in the cache's place is ignored like any damaged cache.
func TestCacheFIFOIgnored(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	writeFile(t, dir+"/tiny.md", valid)
	b := LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache})
	files := cacheFiles(t, cache)
	if len(files) != 1 || b.Get("tiny") == nil {
		t.Fatalf("cache files %v", files)
	}
	if err := os.Remove(files[0]); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(files[0], 0o600); err != nil {
		t.Fatal(err)
	}
	if b := LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache}); b.Get("tiny") == nil || len(b.Problems) > 0 {
		t.Fatalf("with a FIFO for a cache: %v", b.Problems)
	}
}
