package exercises

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func cacheFiles(t *testing.T, cache string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(cache, "overlay-*.pack"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// setTitle rewrites the title of the tiny exercise keeping the file's size, and
// sets its modification time.
func setTitle(t *testing.T, path, title string, mtime time.Time) {
	t.Helper()
	if len(title) != len("Tiny") {
		t.Fatal("the title must keep the size")
	}
	writeFile(t, path, strings.Replace(valid, "title: Tiny", "title: "+title, 1))
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func TestOverlayCache(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	file := filepath.Join(dir, "tiny.md")
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	setTitle(t, file, "Tiny", t0)
	load := func() *Bank {
		t.Helper()
		return LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache})
	}
	if got := load().Get("tiny"); got == nil || got.Title != "Tiny" || !got.User {
		t.Fatalf("first load: %+v", got)
	}
	if n := len(cacheFiles(t, cache)); n != 1 {
		t.Fatalf("%d cache files", n)
	}

	// Same path, size and modification time: the cache answers, the file is not read.
	setTitle(t, file, "Tidy", t0)
	if got := load().Get("tiny"); got == nil || got.Title != "Tiny" {
		t.Fatalf("an unchanged file was parsed again: %+v", got)
	}

	// A new modification time: parsed and validated again.
	setTitle(t, file, "Tidy", t0.Add(time.Second))
	if got := load().Get("tiny"); got == nil || got.Title != "Tidy" {
		t.Fatalf("a changed file came from the cache: %+v", got)
	}
	writeFile(t, file, strings.Replace(valid, "module: review", "module: cooking", 1))
	b := load()
	if b.Get("tiny") != nil || len(b.Problems) != 1 || !strings.Contains(b.Problems[0].String(), "tiny.md:3: module \"cooking\"") {
		t.Fatalf("a file broken since the cache was written: %v", b.Problems)
	}
	// Its problem is cached too, and still reported.
	if b := load(); len(b.Problems) != 1 {
		t.Fatalf("cached problem: %v", b.Problems)
	}

	// A new file and a removed one.
	setTitle(t, file, "Tiny", t0)
	writeFile(t, filepath.Join(dir, "two.md"), strings.Replace(valid, "id: tiny", "id: two", 1))
	if b := load(); b.Get("two") == nil || b.Get("tiny") == nil || len(b.Problems) > 0 {
		t.Fatalf("new file: %v", b.Problems)
	}
	if err := os.Remove(filepath.Join(dir, "two.md")); err != nil {
		t.Fatal(err)
	}
	if b := load(); b.Get("two") != nil || b.Get("tiny") == nil {
		t.Fatal("a removed file is still in the bank")
	}
}

// A damaged cache, or one written by another build, is ignored and rebuilt.
func TestOverlayCacheNeverTrusted(t *testing.T) {
	dir, cache := t.TempDir(), t.TempDir()
	file := filepath.Join(dir, "tiny.md")
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	setTitle(t, file, "Tiny", t0)
	load := func() *Bank {
		return LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache})
	}
	load()
	cf := cacheFiles(t, cache)[0]
	good, err := os.ReadFile(cf)
	if err != nil {
		t.Fatal(err)
	}
	// The file now says "Tidy"; a cache that is used would still say "Tiny".
	setTitle(t, file, "Tidy", t0)
	for name, data := range map[string][]byte{
		"garbage":           []byte("not a pack at all"),
		"empty":             nil,
		"truncated":         good[:len(good)-10],
		"index bit flipped": flip(good, packHead+20),
		"message flipped":   flip(good, len(good)-20),
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(cf, data, 0o600); err != nil {
				t.Fatal(err)
			}
			b := load()
			got := b.Get("tiny")
			if name == "message flipped" {
				// The index is intact, the file unchanged: the damaged message is
				// found when decoded, the file read again and the cache removed.
				if got == nil || got.Title != "Tidy" || len(b.Problems) > 0 {
					t.Fatalf("damaged message: %+v %v", got, b.Problems)
				}
				if _, err := os.Stat(cf); !os.IsNotExist(err) {
					t.Fatalf("the damaged cache was kept: %v", err)
				}
				load()
			}
			if got == nil || got.Title != "Tidy" || len(b.Problems) > 0 {
				t.Fatalf("damaged cache trusted: %+v %v", got, b.Problems)
			}
			rebuilt, err := os.ReadFile(cf)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := unmarshalPack(rebuilt); err != nil {
				t.Fatalf("cache not rebuilt: %v", err)
			}
		})
	}

	// A cache of another build (its key differs) with a made-up exercise.
	b := newPackBuilder("another build")
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	fake := &Exercise{ID: "tiny", Module: "review", Title: "Fake", File: file}
	b.add(fake, &packEntry{File: file, Size: fi.Size(), ModTime: fi.ModTime().UnixNano()})
	if err := os.WriteFile(cf, b.marshal(), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := load().Get("tiny"); got == nil || got.Title != "Tidy" {
		t.Fatalf("a cache of another build was used: %+v", got)
	}
}
