//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package content

import (
	"os"
	"syscall"
)

// tryLock takes an exclusive flock without waiting. flock belongs to the
// open file, so the kernel releases it when the process ends in any way.
func tryLock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

func unlock(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
