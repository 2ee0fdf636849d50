package exercises

import (
	"bytes"
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
	key := ""
	var old *pack
	cacheFile := ""
	if cacheDir != "" {
		abs, err := filepath.Abs(dir)
		if err == nil {
			key = overlayKey(abs)
			sum := sha256.Sum256([]byte(abs))
			cacheFile = filepath.Join(cacheDir, "overlay-"+hex.EncodeToString(sum[:8])+".gob")
			old = readCache(cacheFile, key)
		}
	}
	cached := map[string]*packEntry{}
	if old != nil {
		for _, e := range old.Entries {
			cached[e.File] = e
		}
	}

	enc, buf, pre, err := newPackEncoder()
	if err != nil {
		return &pack{}, []Problem{{File: dir, Msg: err.Error()}}
	}
	if old != nil && !bytes.Equal(old.Pre, pre) {
		cached = nil // messages of another type layout cannot join this stream
	}
	p := &pack{Format: packFormat, Key: key, Pre: pre}
	changed := old == nil
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			probs = append(probs, Problem{File: path, Msg: err.Error()})
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
		// Stat follows a symlink: what matters is what a read would get.
		fi, err := os.Stat(path)
		if err != nil {
			probs = append(probs, Problem{File: path, Line: 1, Msg: err.Error()})
			return nil
		}
		if e := cached[path]; e != nil && fi.Mode().IsRegular() && e.Size == fi.Size() && e.ModTime == fi.ModTime().UnixNano() {
			p.Entries = append(p.Entries, e)
			return nil
		}
		changed = true
		e := &packEntry{File: path, Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
		p.Entries = append(p.Entries, e)
		data, err := readExercise(path)
		if err != nil {
			e.Problems = []Problem{{File: path, Line: 1, Msg: err.Error()}}
			return nil
		}
		ex, ps := parseWithDeadline(path, data, parseDeadline)
		if len(ps) > 0 || ex == nil {
			e.Problems = ps
			return nil
		}
		msg, err := encodeMsg(enc, buf, ex)
		if err != nil {
			e.Problems = []Problem{{File: path, Line: 1, Msg: err.Error()}}
			return nil
		}
		ne := entryFor(ex, msg)
		ne.Size, ne.ModTime = e.Size, e.ModTime
		*e = *ne
		return nil
	})
	if !changed && len(p.Entries) != len(old.Entries) {
		changed = true // a file was removed
	}
	if cacheFile != "" && changed {
		// The cache only saves time: when it cannot be written, drill parses again
		// next time.
		_ = writeCache(cacheDir, cacheFile, p)
	}
	return p, probs
}

func readCache(file, key string) *pack {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	p, err := unmarshalPack(data)
	if err != nil || p.Key != key {
		return nil
	}
	return p
}

func writeCache(dir, file string, p *pack) error {
	data, err := marshalPack(p)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".overlay-*")
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
	return parseWithDeadline(path, data, parseDeadline)
}
