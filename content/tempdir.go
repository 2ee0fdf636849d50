package content

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A temporary store directory is drill's when it holds lockName, a file
// that starts with lockMarker and that its process keeps flock'ed for as
// long as the store is open. The kernel drops the lock when the process
// dies, however it dies, so a marked directory whose lock is free belongs
// to a drill that is gone (a SIGKILL leaves it behind: Close never ran).
const (
	tempPattern = "drill-content-"
	lockName    = "drill.lock"
	lockMarker  = "drill content store, pid "
)

// lockTempDir marks dir as drill's and holds its lock; the returned file
// must stay open while the store is in use.
func lockTempDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	// Lock before writing the marker: a sweeper that sees the marker can
	// trust that the lock was taken first.
	if err := tryLock(f); errors.Is(err, errors.ErrUnsupported) {
		// No way to prove it unused later, so leave no marker: never swept.
		return f, nil
	} else if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	if _, err := fmt.Fprintf(f, "%s%d\n", lockMarker, os.Getpid()); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// sweepStaleTempDirs removes temporary store directories in parent left by
// drill processes that no longer run. A directory is removed only when it
// carries drill's marker and nobody holds its lock; anything else (another
// program's directory, a drill that is still starting or running) is left
// alone. It returns the directories removed.
func sweepStaleTempDirs(parent string) ([]string, error) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), tempPattern) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		stale, err := isStale(dir)
		if err != nil || !stale {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, dir)
	}
	return removed, errors.Join(errs...)
}

func isStale(dir string) (bool, error) {
	f, err := os.Open(filepath.Join(dir, lockName))
	if err != nil {
		return false, err // no lock file: not provably drill's
	}
	defer f.Close()
	if err := tryLock(f); err != nil {
		return false, nil // held (in use), or locks unsupported: leave it
	}
	defer unlock(f)
	head := make([]byte, len(lockMarker))
	n, _ := f.ReadAt(head, 0)
	return bytes.Equal(head[:n], []byte(lockMarker)), nil
}
