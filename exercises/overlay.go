package exercises

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// loadOverlay parses every *.md file below dir (files and folders starting with a
// dot are skipped). With a cacheDir, files whose path, size and modification time
// match the cache of the same drill build are taken from it without being read; a
// changed file is parsed and validated again, and a cache that is damaged or from
// another build is ignored and rebuilt.
func loadOverlay(dir, cacheDir string) (*pack, []Problem) {
	var probs []Problem
	key, cacheFile := "", ""
	var old *pack
	if cacheDir != "" {
		if abs, err := filepath.Abs(dir); err == nil {
			key = overlayKey(abs)
			sum := sha256.Sum256([]byte(abs))
			cacheFile = filepath.Join(cacheDir, "overlay-"+hex.EncodeToString(sum[:8])+".pack")
			if p, err := openPack(cacheFile); err == nil && p.Key == key {
				old = p
			}
		}
	}
	b := newPackBuilder(key)
	cached := map[string]*packEntry{}
	if old != nil {
		for _, e := range old.Entries {
			cached[e.File] = e
		}
	}
	// Entries taken from the cache stay in the cache file; only when something
	// changed is a new pack built in memory and written.
	var hits, fresh, order []*packEntry
	var files statter
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			probs = append(probs, Problem{File: path, Line: 1, Msg: err.Error()})
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || filepath.Ext(path) != ".md" {
			return nil
		}
		size, mtime, regular, err := files.stat(path)
		if err != nil {
			probs = append(probs, Problem{File: path, Line: 1, Msg: err.Error()})
			return nil
		}
		if e := cached[path]; e != nil && regular && e.Size == size && e.ModTime == mtime {
			hits = append(hits, e)
			order = append(order, e)
			return nil
		}
		e := &packEntry{File: path, Size: size, ModTime: mtime}
		fresh = append(fresh, e)
		order = append(order, e)
		data, err := readExercise(path)
		if err != nil {
			e.Problems = []Problem{{File: path, Line: 1, Msg: err.Error()}}
			b.addProblem(e)
			return nil
		}
		ex, ps := parseWithDeadline(Parse, path, data, parseDeadline)
		if len(ps) > 0 || ex == nil {
			e.Problems = ps
			b.addProblem(e)
			return nil
		}
		b.add(ex, e)
		return nil
	})
	if old != nil && len(fresh) == 0 && len(hits) == len(old.Entries) {
		// Nothing changed: serve from the cache file, in walk order.
		old.Entries = hits
		return old, probs
	}
	for _, e := range hits {
		if len(e.Problems) > 0 {
			continue
		}
		m, err := old.msg(e)
		if err != nil {
			// The cache went bad under us: parse everything again, without it.
			return loadOverlay(dir, "")
		}
		b.addMsg(e, m)
	}
	b.idx.Entries = order // walk order, which decides between duplicate ids
	p := b.pack()
	if cacheFile != "" {
		// The cache only saves time: when it cannot be written, drill parses again
		// next time.
		if writeCache(cacheDir, cacheFile, b.marshal()) == nil {
			// Earlier builds cached the folder as gob under another name.
			_ = os.Remove(strings.TrimSuffix(cacheFile, ".pack") + ".gob")
		}
	}
	return p, probs
}

func writeCache(dir, file string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return WriteFileAtomic(file, data, 0o600)
}

// WriteFileAtomic writes data to a temporary file beside file and renames it
// into place, so an interrupted write never leaves a half-written file for the
// next reader (the compiled bank, the overlay cache).
func WriteFileAtomic(file string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// overlayKey names the drill build and the folder a cache belongs to. A new build
// may parse or validate differently, so its cache starts afresh: the build is
// told by its version control stamp and, for builds without one, by the size and
// modification time of the executable.
func overlayKey(absDir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format=%d dir=%s", packFormat, absDir)
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(&b, " go=%s main=%s@%s", bi.GoVersion, bi.Main.Path, bi.Main.Version)
		for _, s := range bi.Settings {
			if strings.HasPrefix(s.Key, "vcs.") {
				fmt.Fprintf(&b, " %s=%s", s.Key, s.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			fmt.Fprintf(&b, " exe=%d/%d", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// LoadFile reads and parses one exercise file under the same limits as a folder:
// only a regular file, at most MaxFileBytes, parsed within the deadline.
func LoadFile(path string) (*Exercise, []Problem) {
	data, err := readExercise(path)
	if err != nil {
		return nil, []Problem{{File: path, Line: 1, Msg: err.Error()}}
	}
	return parseWithDeadline(Parse, path, data, parseDeadline)
}
