package exercises

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// statter stats the files of a folder. On Linux it asks relative to the open
// folder, into one reused buffer: os.Stat allocates per file and resolves the
// whole path again, and a folder of 500 exercises is stated by every command
// (1.0 ms instead of 1.6 ms here).
type statter struct{ st unix.Stat_t }

// stat follows a symlink: what matters is what a read would get. dir is the
// open folder holding name; path is the same file, for errors.
func (s *statter) stat(dir *os.File, path []byte, name string) (size, mtime int64, mode fileMode, err error) {
	if err := unix.Fstatat(int(dir.Fd()), name, &s.st, 0); err != nil {
		return 0, 0, 0, &fs.PathError{Op: "stat", Path: string(path), Err: err}
	}
	return s.st.Size, s.st.Mtim.Nano(), modeOf(s.st.Mode), nil
}

// isDir reports a folder, not a symlink to one.
func (s *statter) isDir(dir *os.File, name string) bool {
	return unix.Fstatat(int(dir.Fd()), name, &s.st, unix.AT_SYMLINK_NOFOLLOW) == nil && modeOf(s.st.Mode) == modeDir
}

func modeOf(m uint32) fileMode {
	switch m & unix.S_IFMT {
	case unix.S_IFREG:
		return modeRegular
	case unix.S_IFDIR:
		return modeDir
	}
	return modeOther
}
