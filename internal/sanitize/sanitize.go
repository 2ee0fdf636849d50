// Package sanitize makes untrusted text safe to print on a terminal: text from
// exercise files, learners' answers and LLM replies must never move the cursor,
// change colours, set the window title or hide what follows.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text removes ANSI escape sequences (CSI, OSC, DCS and two-byte ESC forms), C0 and
// C1 control characters other than newline and tab, and Unicode bidirectional
// overrides. Invalid UTF-8 bytes become U+FFFD. Carriage returns are dropped so a
// line cannot be overwritten.
func Text(s string) string { return clean(s, false) }

// KeepStyle is Text but keeps SGR sequences (ESC [ digits ; : m), which only set
// colour and weight: for text drill styles itself on a terminal.
func KeepStyle(s string) string { return clean(s, true) }

func clean(s string, keepSGR bool) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r == 0x1b:
			n = escapeLen(s[i:])
			if keepSGR && isSGR(s[i:i+n]) {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		case r == 0x9b: // C1 CSI
			i += n + csiBody(s[i+n:])
			continue
		case r == 0x9d || r == 0x90: // C1 OSC, DCS
			i += n + stringBody(s[i+n:])
			continue
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || isBidi(r):
			// dropped
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func isClean(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\t') || isBidi(r) {
			return false
		}
	}
	return true
}

func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// isSGR reports whether seq is a complete Select Graphic Rendition sequence.
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[1] != '[' || seq[len(seq)-1] != 'm' {
		return false
	}
	for i := 2; i < len(seq)-1; i++ {
		if (seq[i] < '0' || seq[i] > '9') && seq[i] != ';' && seq[i] != ':' {
			return false
		}
	}
	return true
}

// escapeLen returns the length of the escape sequence starting at s[0] == ESC.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		return 2 + csiBody(s[2:])
	case ']', 'P', '_', '^', 'X':
		return 2 + stringBody(s[2:])
	default:
		return 2
	}
}

// csiBody skips parameter and intermediate bytes up to and including the final byte.
func csiBody(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x40 && s[i] <= 0x7e {
			return i + 1
		}
		if s[i] < 0x20 || s[i] > 0x3f && s[i] < 0x40 {
			return i
		}
	}
	return len(s)
}

// stringBody skips an OSC/DCS string up to BEL or ST (ESC \).
func stringBody(s string) int {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0x1b:
			return i
		}
	}
	return len(s)
}
