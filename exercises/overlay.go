package exercises

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
)

// loadOverlay parses every *.md file below dir (files and folders starting with a
// dot are skipped; see walkExercises). With a cacheDir, files whose path, size and modification time
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
	// The cache lists the files in walk order, so an unchanged folder matches
	// it entry by entry; only when that fails is it indexed by path.
	var cached map[string]*packEntry
	lookup := func(i int, path []byte) *packEntry {
		if old == nil {
			return nil
		}
		if cached == nil && i < len(old.Entries) && old.Entries[i].File == string(path) {
			return old.Entries[i]
		}
		if cached == nil {
			cached = make(map[string]*packEntry, len(old.Entries))
			for _, e := range old.Entries {
				cached[e.File] = e
			}
		}
		return cached[string(path)]
	}
	// Entries taken from the cache stay in the cache file; only when something
	// changed is a new pack built in memory and written.
	var hits, fresh, order []*packEntry
	if old != nil {
		hits, order = make([]*packEntry, 0, len(old.Entries)), make([]*packEntry, 0, len(old.Entries))
	}
	var files statter
	walkExercises(dir, &files, func(pathBytes []byte, size, mtime int64, regular bool, err error) {
		if err != nil {
			probs = append(probs, Problem{File: string(pathBytes), Line: 1, Msg: err.Error()})
			return
		}
		// A file the cache holds unchanged needs no path of its own: the
		// entry's is the same.
		if e := lookup(len(order), pathBytes); e != nil && regular && e.Size == size && e.ModTime == mtime {
			hits = append(hits, e)
			order = append(order, e)
			return
		}
		path := string(pathBytes)
		e := &packEntry{File: path, Size: size, ModTime: mtime}
		fresh = append(fresh, e)
		order = append(order, e)
		data, err := readExercise(path)
		if err != nil {
			e.Problems = []Problem{{File: path, Line: 1, Msg: err.Error()}}
			b.addProblem(e)
			return
		}
		ex, ps := parseWithDeadline(Parse, path, data, parseDeadline)
		if len(ps) > 0 || ex == nil {
			e.Problems = ps
			b.addProblem(e)
			return
		}
		b.add(ex, e)
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

// walkExercises calls visit for every *.md file below dir, in lexical order,
// with what stat says of it (following a symlink: what matters is what a read
// would get), or with the error of a file or folder that cannot be read. Names
// starting with a dot are skipped, and so are symlinks to folders.
//
// It reads names only, not filepath.WalkDir's entries: every command walks the
// learner's folder, and with 500 exercises the entries were a tenth of what
// drill answer allocated.
func walkExercises(dir string, files *statter, visit func(path []byte, size, mtime int64, regular bool, err error)) {
	walkFolder(append(make([]byte, 0, 256), dir...), files, visit)
}

// walkFolder walks the folder whose path is in buf; every path is built in buf
// and handed to visit, which must copy what it keeps.
func walkFolder(buf []byte, files *statter, visit func(path []byte, size, mtime int64, regular bool, err error)) []byte {
	dir := string(buf)
	f, err := os.Open(dir)
	if err != nil {
		visit(buf, 0, 0, false, err)
		return buf
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		visit(buf, 0, 0, false, err)
	}
	sort.Strings(names)
	base := len(buf)
	for _, name := range names {
		if strings.HasPrefix(name, ".") {
			continue
		}
		buf = append(append(buf[:base], filepath.Separator), name...)
		if filepath.Ext(name) == ".md" {
			size, mtime, mode, err := files.stat(f, buf, name)
			switch {
			case err != nil:
				visit(buf, 0, 0, false, err)
			case mode == modeDir && files.isDir(f, name):
				buf = walkFolder(buf, files, visit)
			default:
				visit(buf, size, mtime, mode == modeRegular, nil)
			}
			continue
		}
		if files.isDir(f, name) {
			buf = walkFolder(buf, files, visit)
		}
	}
	return buf[:base]
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
