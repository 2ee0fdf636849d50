package exercises

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Limits on a learner's exercise file. One file in the folder must never take a
// command down: the YAML library expands aliases and recurses on nesting without
// bounds, so a 1 KB alias bomb or 100k nested "[" exhausts memory. The largest
// exercise of the bank is about 25 KB.
const (
	// MaxFileBytes is the largest exercise file read.
	MaxFileBytes = 256 << 10
	// maxNesting bounds "[" and "{" nesting in the front matter.
	maxNesting = 64
	// maxAliases bounds the aliases (*name) in the front matter.
	maxAliases = 64
	// parseDeadline bounds the parsing of one file, the last line of defence.
	parseDeadline = 5 * time.Second
)

// readExercise reads path when it is a regular file no larger than MaxFileBytes.
// It opens without blocking, so a FIFO named x.md cannot hang drill, and checks the
// opened file, so a symlink to /dev/zero or a device is refused before any read.
func readExercise(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): skipped", fileKind(fi.Mode()))
	}
	if fi.Size() > MaxFileBytes {
		return nil, errTooLarge(fi.Size())
	}
	// The size can change between Stat and the read: read one byte past the limit.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, errTooLarge(int64(len(data)))
	}
	return data, nil
}

func errTooLarge(n int64) error {
	return fmt.Errorf("file is %d bytes; an exercise file may be at most %d KiB: skipped", n, MaxFileBytes>>10)
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
}

// checkFrontMatter refuses front matter that the YAML library cannot be trusted
// with, before it sees it. It returns the line (within front, 1-based) and the
// problem, or "" when the front matter is within the limits.
func checkFrontMatter(front []byte) (int, string) {
	// Nesting: a plain count of brackets over-counts brackets inside strings, which
	// only makes the check stricter; a real exercise nests two or three levels.
	depth, line := 0, 1
	for _, c := range front {
		switch c {
		case '\n':
			line++
		case '[', '{':
			depth++
			if depth > maxNesting {
				return line, fmt.Sprintf("YAML nested deeper than %d levels of [ or {", maxNesting)
			}
		case ']', '}':
			depth = max(0, depth-1)
		}
	}
	// Aliases need an anchor ("&name"); most files have no "&" at all and skip the
	// parse below.
	if !bytes.ContainsRune(front, '&') {
		return 0, ""
	}
	return checkAliases(front)
}

// checkAliases allows a few aliases, each naming an anchor that holds no alias:
// then an alias repeats at most its anchor's text, and no chain of aliases can
// multiply a small file into gigabytes.
func checkAliases(front []byte) (line int, msg string) {
	defer func() {
		if recover() != nil {
			line, msg = 1, errUnreadable.Error()
		}
	}()
	f, err := parser.ParseBytes(front, 0)
	if err != nil {
		return 0, "" // the decoder reports the syntax error with its line
	}
	v := &aliasVisitor{}
	for _, doc := range f.Docs {
		ast.Walk(v, doc)
		if v.msg != "" {
			return v.line, v.msg
		}
	}
	return 0, ""
}

type aliasVisitor struct {
	aliases int
	line    int
	msg     string
}

func (v *aliasVisitor) Visit(n ast.Node) ast.Visitor {
	if v.msg != "" {
		return nil
	}
	switch n := n.(type) {
	case *ast.AliasNode:
		v.aliases++
		if v.aliases > maxAliases {
			v.fail(n, fmt.Sprintf("more than %d YAML aliases (*name)", maxAliases))
			return nil
		}
	case *ast.AnchorNode:
		inner := &aliasFinder{}
		ast.Walk(inner, n.Value)
		if inner.found != nil {
			v.fail(inner.found, "a YAML alias inside an anchored value (&name) is not allowed: it can multiply the file without bound")
			return nil
		}
	}
	return v
}

func (v *aliasVisitor) fail(n ast.Node, msg string) {
	v.line, v.msg = 1, msg
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		v.line = tk.Position.Line
	}
}

type aliasFinder struct{ found ast.Node }

func (a *aliasFinder) Visit(n ast.Node) ast.Visitor {
	if a.found != nil {
		return nil
	}
	if _, ok := n.(*ast.AliasNode); ok {
		a.found = n
		return nil
	}
	return a
}

var errDeadline = errors.New("parsing took too long")

// parseWithDeadline parses data with parse (Parse, but for tests), giving up
// after deadline. A parse that runs past it keeps its goroutine until the process
// ends; the file is reported and skipped and the command goes on.
func parseWithDeadline(parse func(string, []byte) (*Exercise, []Problem), file string, data []byte, deadline time.Duration) (*Exercise, []Problem) {
	type result struct {
		ex    *Exercise
		probs []Problem
	}
	done := make(chan result, 1)
	go func() {
		ex, probs := parse(file, data)
		done <- result{ex, probs}
	}()
	t := time.NewTimer(deadline)
	defer t.Stop()
	select {
	case r := <-done:
		return r.ex, r.probs
	case <-t.C:
		return nil, []Problem{{File: file, Line: 1, Msg: fmt.Sprintf("%v (more than %v): skipped", errDeadline, deadline)}}
	}
}
