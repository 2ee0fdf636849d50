package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// noLineStart is punctuation that must not begin a line (Chinese line-breaking
// rules, 避头): the comma or full stop stays with the word before it.
const noLineStart = "，。、：；！？）》」』】〉”’…"

// noLineEnd is punctuation that must not end a line (避尾).
const noLineEnd = "（《「『【〈“‘"

// keepPunctuation repairs wrapped text so no line starts with punctuation that
// must not start one, and none ends with an opening bracket: the character
// before the punctuation moves down with it. lines were wrapped two cells
// short of the width, which is the room one carried character needs.
func keepPunctuation(out string) string {
	lines := strings.Split(out, "\n")
	for i := 1; i < len(lines); i++ {
		prev := strings.TrimRight(lines[i-1], " ")
		cur := lines[i]
		margin := len(cur) - len(strings.TrimLeft(cur, " "))
		body := cur[margin:]
		first, _ := utf8.DecodeRuneInString(ansi.Strip(body))
		last, _ := utf8.DecodeLastRuneInString(ansi.Strip(prev))
		moveLast := strings.ContainsRune(noLineStart, first) && first != utf8.RuneError || strings.ContainsRune(noLineEnd, last) && last != utf8.RuneError
		if !moveLast || strings.Contains(prev, "\x1b") || strings.Contains(body, "\x1b[") && !strings.ContainsRune(noLineStart, first) {
			continue
		}
		r, n := utf8.DecodeLastRuneInString(prev)
		// Only a wide character moves: the rules are for Chinese text, and
		// a two-cell character is the room the wrap left.
		if r < 0x2E80 || r == utf8.RuneError || len(strings.TrimLeft(prev, " ")) <= n {
			continue
		}
		lines[i-1] = prev[:len(prev)-n]
		lines[i] = cur[:margin] + string(r) + body
	}
	return strings.Join(lines, "\n")
}

// wrapCode breaks the lines of fenced code blocks that are wider than width at
// token boundaries, marking each continuation with ↪, so a renderer never
// cuts an identifier in two.
func wrapCode(md string, width int) string {
	if width < 20 {
		return md
	}
	lines := strings.Split(md, "\n")
	var out []string
	fence := false
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			out = append(out, l)
			continue
		}
		if !fence {
			out = append(out, l)
			continue
		}
		out = append(out, wrapCodeLine(strings.ReplaceAll(l, "\t", "    "), width)...)
	}
	return strings.Join(out, "\n")
}

func wrapCodeLine(l string, width int) []string {
	indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
	cont := indent + "  ↪ "
	var out []string
	for ansi.StringWidth(l) > width {
		cut := 0 // the last byte offset where a token ends within width
		w := 0
		for i, r := range l {
			w += ansi.StringWidth(string(r))
			if w > width {
				break
			}
			switch r {
			case ' ', ',', '(', ')', '{', '}', '[', ']', ';':
				cut = i + 1
			case '.':
				cut = i
			}
		}
		if cut <= len(cont) {
			break // one token wider than the pane: leave it whole
		}
		out = append(out, strings.TrimRight(l[:cut], " "))
		l = cont + strings.TrimLeft(l[cut:], " ")
	}
	return append(out, l)
}
