//go:build !linux

package exercises

import (
	"os"
	"path/filepath"
)

// statter stats the files of a folder.
type statter struct{}

// stat follows a symlink: what matters is what a read would get. dir is the
// open folder holding name; path is the same file.
func (statter) stat(_ *os.File, path []byte, _ string) (size, mtime int64, mode fileMode, err error) {
	fi, err := os.Stat(string(path))
	if err != nil {
		return 0, 0, 0, err
	}
	return fi.Size(), fi.ModTime().UnixNano(), modeOf(fi.Mode()), nil
}

// isDir reports a folder, not a symlink to one.
func (statter) isDir(dir *os.File, name string) bool {
	fi, err := os.Lstat(filepath.Join(dir.Name(), name))
	return err == nil && fi.IsDir()
}

func modeOf(m os.FileMode) fileMode {
	switch {
	case m.IsRegular():
		return modeRegular
	case m.IsDir():
		return modeDir
	}
	return modeOther
}
