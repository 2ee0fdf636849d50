//go:build unix

package exercises

import "syscall"

// A FIFO opened for reading blocks until a writer comes: it once hung every command.
func platformHostileCases() []hostileCase {
	return []hostileCase{
		{"FIFO named x.md", "x.md", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "not a regular file (a FIFO)"},
	}
}
