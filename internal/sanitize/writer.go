package sanitize

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Writer cleans everything written through it with Text (or KeepStyle), so text
// bound for a terminal is cleaned in one place and no field can be forgotten.
// A character split between two writes is held back until the rest arrives, so
// splitting never turns good text into U+FFFD; an escape sequence split between
// writes loses its ESC and prints as harmless characters.
type Writer struct {
	mu      sync.Mutex
	w       io.Writer
	keepSGR bool
	pending []byte // the start of a UTF-8 character cut off by the last write
}

// NewWriter returns a Writer onto w. keepStyle keeps SGR colour sequences, for
// a terminal where drill styles its own output.
func NewWriter(w io.Writer, keepStyle bool) *Writer {
	return &Writer{w: w, keepSGR: keepStyle}
}

// Write cleans p and writes it. It reports len(p) on success: the bytes it
// dropped were consumed, not left unwritten.
func (s *Writer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := append(s.pending, p...)
	cut := len(buf) - incompleteTail(buf)
	s.pending = append([]byte(nil), buf[cut:]...)
	if cut == 0 {
		return len(p), nil
	}
	if _, err := io.WriteString(s.w, clean(string(buf[:cut]), s.keepSGR)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a character left incomplete by the last write (as U+FFFD).
func (s *Writer) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(s.w, clean(string(s.pending), s.keepSGR))
	s.pending = nil
	return err
}

// Raw returns the writer under w when w is a Writer, for data that must keep
// every byte (a backup written to a pipe); otherwise w itself.
func Raw(w io.Writer) io.Writer {
	if s, ok := w.(*Writer); ok {
		_ = s.Flush()
		return s.w
	}
	return w
}

// incompleteTail is the length of a UTF-8 character that starts in the last
// three bytes of b but does not end there.
func incompleteTail(b []byte) int {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}
