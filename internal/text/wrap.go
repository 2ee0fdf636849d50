package text

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// NoLineStart is punctuation that must not begin a line (Chinese line-breaking
// rules, 避头): the comma or full stop stays with the character before it.
const NoLineStart = "，。、：；！？）》」』】〉”’…"

// NoLineEnd is punctuation that must not end a line (避尾): an opening bracket
// stays with what it opens.
const NoLineEnd = "（《「『【〈“‘"

// Continuation marks a code line that goes on from the line above.
const Continuation = "↪"

// Line is one wrapped line of a text: the bytes [Start, End) of it, trimmed of
// the spaces the line was broken at.
type Line struct{ Start, End int }

// Wrap breaks s into lines of at most width terminal cells. Lines break at
// spaces, and between wide (Chinese, Japanese, Korean) characters, which need no
// space around them; never before punctuation in NoLineStart nor after
// punctuation in NoLineEnd. A word wider than width is cut between characters,
// as nothing else fits. A newline in s always ends a line. Every non-space
// character of s lands in exactly one line, in order.
func Wrap(s string, width int) []Line {
	width = max(1, width)
	var out []Line
	start := 0
	for start <= len(s) {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		out = wrapLine(s, start, end, width, out)
		start = end + 1
	}
	return out
}

// unit is a piece of a line that is never broken inside: a run of narrow
// non-space characters, or one wide character with any zero-width marks after
// it. glued means no break is allowed before it.
type unit struct {
	start, end, width int
	space             bool // a run of spaces: a break opportunity, dropped at a break
	glued             bool
}

func units(s string, start, end int) []unit {
	var us []unit
	i := start
	for i < end {
		r, n := utf8.DecodeRuneInString(s[i:end])
		switch {
		case r == ' ' || r == '\t':
			j := i
			for j < end && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			us = append(us, unit{start: i, end: j, width: j - i, space: true})
			i = j
		case isWide(r):
			j := i + n
			for j < end {
				r2, n2 := utf8.DecodeRuneInString(s[j:end])
				if r2 == ' ' || ansi.StringWidth(string(r2)) != 0 {
					break
				}
				j += n2
			}
			us = append(us, unit{start: i, end: j, width: ansi.StringWidth(s[i:j])})
			i = j
		default:
			j := i + n
			for j < end {
				r2, n2 := utf8.DecodeRuneInString(s[j:end])
				if r2 == ' ' || r2 == '\t' || isWide(r2) {
					break
				}
				j += n2
			}
			us = append(us, unit{start: i, end: j, width: ansi.StringWidth(s[i:j])})
			i = j
		}
	}
	// Two pieces with no space between them stay together when the second
	// must not start a line or the first must not end one. Punctuation that
	// must not start a line holds on to the word before even across a space
	// ("leaders …").
	for k := 1; k < len(us); k++ {
		prev, cur := us[k-1], us[k]
		if cur.space {
			continue
		}
		first, _ := utf8.DecodeRuneInString(s[cur.start:cur.end])
		if strings.ContainsRune(NoLineStart, first) {
			us[k].glued = true
			if prev.space && k > 1 {
				us[k-1].glued = true
			}
			continue
		}
		if prev.space {
			continue
		}
		if last, _ := utf8.DecodeLastRuneInString(s[prev.start:prev.end]); strings.ContainsRune(NoLineEnd, last) {
			us[k].glued = true
		}
	}
	return us
}

// isWide reports whether r is a wide character of a script written without
// spaces, so a line may break before and after it.
func isWide(r rune) bool {
	return r >= 0x2E80 && ansi.StringWidth(string(r)) == 2 && !(r >= 0x1F000 && r <= 0x1FAFF)
}

func wrapLine(s string, start, end, width int, out []Line) []Line {
	us := units(s, start, end)
	// Group the units into chunks that may not be broken: a break is allowed
	// before a unit that is not glued to the one before it. A chunk of spaces
	// alone is where a line may break, and is dropped there.
	type chunk struct{ from, to, width int } // units [from, to)
	var chunks []chunk
	for k := 0; k < len(us); {
		c := chunk{from: k}
		for k < len(us) && (k == c.from || us[k].glued) && !(k > c.from && us[c.from].space) {
			c.width += us[k].width
			k++
		}
		c.to = k
		chunks = append(chunks, c)
	}
	lineStart, lineEnd, w := -1, -1, 0 // byte offsets of the open line
	flush := func() {
		if lineStart >= 0 {
			out = append(out, Line{lineStart, lineEnd})
		}
		lineStart, lineEnd, w = -1, -1, 0
	}
	pendingSpace := 0 // width of spaces waiting between the line and the next chunk
	for _, c := range chunks {
		if us[c.from].space {
			if lineStart >= 0 {
				pendingSpace += c.width
			}
			continue
		}
		if lineStart >= 0 && w+pendingSpace+c.width <= width {
			w += pendingSpace + c.width
			lineEnd = us[c.to-1].end
			pendingSpace = 0
			continue
		}
		if lineStart >= 0 {
			flush()
		}
		pendingSpace = 0
		// The chunk starts a line; if it is still too wide, cut it: between
		// its units first, then inside a unit between characters.
		for k := c.from; k < c.to; k++ {
			u := us[k]
			if lineStart >= 0 && w+u.width > width {
				// Punctuation that must not start a line takes the character
				// before it down to the new line.
				_, n := utf8.DecodeLastRuneInString(s[lineStart:lineEnd])
				if carry := lineEnd - n; u.glued && carry > lineStart {
					out = append(out, Line{lineStart, carry})
					lineStart, w = carry, ansi.StringWidth(s[carry:lineEnd])
				} else {
					flush()
				}
			}
			if u.width <= width {
				if lineStart < 0 {
					lineStart = u.start
				}
				lineEnd, w = u.end, w+u.width
				continue
			}
			for i := u.start; i < u.end; {
				_, n := utf8.DecodeRuneInString(s[i:u.end])
				j := i + n
				for j < u.end {
					r2, n2 := utf8.DecodeRuneInString(s[j:u.end])
					if ansi.StringWidth(string(r2)) != 0 {
						break
					}
					j += n2
				}
				cw := ansi.StringWidth(s[i:j])
				if lineStart >= 0 && w+cw > width {
					flush()
				}
				if lineStart < 0 {
					lineStart = i
				}
				lineEnd, w = j, w+cw
				i = j
			}
		}
	}
	flush()
	if len(us) == 0 || allSpace(us) {
		out = append(out, Line{start, start})
	}
	return out
}

func allSpace(us []unit) bool {
	for _, u := range us {
		if !u.space {
			return false
		}
	}
	return true
}

// WrapCode breaks one line of code wider than width at token boundaries:
// after a space, a comma, a bracket, a semicolon or a slash, or before a dot,
// so no identifier is cut in two. Lines after the first are to be shown behind
// cont: the line's indent (at most an eighth of the width, so deeply nested
// code keeps room for its long names) and Continuation. A token wider than the room left is cut
// where the room ends, the one case where width wins over tokens.
func WrapCode(line string, width int) (lines []Line, cont string) {
	indent := len(line) - len(strings.TrimLeft(line, " "))
	cont = strings.Repeat(" ", min(indent, width/8)) + Continuation + " "
	start, room := 0, width
	for ansi.StringWidth(line[start:]) > room {
		cut, hard, w := 0, 0, 0 // where the last token within room ends; where room ends
		for i, r := range line[start:] {
			w += ansi.StringWidth(string(r))
			if w > room {
				break
			}
			hard = i + utf8.RuneLen(r)
			switch r {
			case ' ', ',', '(', ')', '{', '}', '[', ']', ';', '/':
				cut = i + 1
			case '.':
				cut = i
			}
		}
		if cut == 0 || strings.TrimSpace(line[start:start+cut]) == "" {
			cut = hard
		}
		if cut == 0 {
			break // not one character fits
		}
		end := start + len(strings.TrimRight(line[start:start+cut], " "))
		lines = append(lines, Line{start, end})
		start += cut
		for start < len(line) && line[start] == ' ' {
			start++
		}
		room = width - ansi.StringWidth(cont)
	}
	return append(lines, Line{start, len(line)}), cont
}
