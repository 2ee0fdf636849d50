// Package text is the one place that decides what a word and a sentence are, so
// the grader, the offline polish advice, the editor's counters and the word diff
// never disagree about an answer.
package text

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text: a run of letters and digits, or a single Han
// character (Chinese has no spaces, so each character counts as a word).
// Start and End are byte offsets into the text; Text is verbatim.
type Token struct {
	Text       string
	Start, End int
	Han        bool
}

// Tokens splits s into its words, in order.
func Tokens(s string) []Token {
	var out []Token
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, Token{Text: s[start:end], Start: start, End: end})
			start = -1
		}
	}
	for i, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flush(i)
			n := utf8.RuneLen(r)
			out = append(out, Token{Text: s[i : i+n], Start: i, End: i + n, Han: true})
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(s))
	return out
}

// Tokenize returns the words of s in lower case.
func Tokenize(s string) []string {
	toks := Tokens(s)
	if len(toks) == 0 {
		return nil
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.ToLower(t.Text)
	}
	return out
}

// CountWords counts the words of s: English words and Han characters.
func CountWords(s string) int { return len(Tokens(s)) }

// SentenceSpans returns the [start, end) byte offsets of each sentence of s,
// trimmed of surrounding space, so every sentence can be quoted verbatim.
//
// A sentence ends at terminal punctuation (. ! ? 。！？) followed by a space, a
// quote, a closing parenthesis or the end, and at a line break that opens a list
// item or a blank line; other line breaks are hard-wrapped prose. A period after
// a number ("1. ") or an abbreviation ("e.g. ") does not end one, and a
// semicolon joins clauses of one sentence rather than ending it.
func SentenceSpans(s string) [][2]int {
	var out [][2]int
	start := 0
	emit := func(end int) {
		seg := s[start:end]
		lead := len(seg) - len(strings.TrimLeftFunc(seg, unicode.IsSpace))
		trail := len(seg) - len(strings.TrimRightFunc(seg, unicode.IsSpace))
		if lead < len(seg) {
			out = append(out, [2]int{start + lead, end - trail})
		}
		start = end
	}
	for i, r := range s {
		switch r {
		case '。', '！', '？':
			emit(i + utf8.RuneLen(r))
		case '\n':
			if lineBreakEnds(s[i+1:]) || lineBreakEnds(s[start:i]) {
				emit(i + 1)
			}
		case '.', '!', '?':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			end := i+1 >= len(s) || unicode.IsSpace(next) || next == '"' || next == '\'' || next == ')'
			if end && r == '.' && (isDigits(strings.TrimSpace(s[start:i])) || isAbbrev(s[start:i])) {
				end = false
			}
			if end {
				emit(i + 1)
			}
		}
	}
	emit(len(s))
	return out
}

// Sentences returns the sentences of s that contain at least one word, verbatim.
// A run of punctuation or a bare list marker is not a sentence.
func Sentences(s string) []string {
	var out []string
	for _, sp := range SentenceSpans(s) {
		if seg := s[sp[0]:sp[1]]; CountWords(seg) > 0 {
			out = append(out, seg)
		}
	}
	return out
}

// CountSentences counts the sentences of s as Sentences finds them.
func CountSentences(s string) int { return len(Sentences(s)) }

// lineBreakEnds reports whether a line break before rest ends a sentence: at a
// blank line, a list item or the end. Other breaks are hard-wrapped prose.
func lineBreakEnds(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || rest[0] == '\n' || rest[0] == '\r' {
		return true
	}
	switch rest[0] {
	case '-', '*', '+', '>', '#', '|':
		return true
	}
	if strings.HasPrefix(rest, "•") {
		return true
	}
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	return j > 0 && j < len(rest) && (rest[j] == '.' || rest[j] == ')')
}

var abbreviations = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"e.g": true, "i.e": true, "vs": true, "cf": true, "approx": true, "incl": true, "eg": true, "ie": true}
})

// isAbbrev reports whether the text before a period ends with an abbreviation.
func isAbbrev(before string) bool {
	i := strings.LastIndexFunc(before, unicode.IsSpace)
	return abbreviations()[strings.ToLower(before[i+1:])]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// diffUnit is a word with its inner punctuation kept (file.go, don't, 1.5,
// read-only), or one mark of punctuation.
var diffUnit = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[\p{L}\p{N}_]+(?:['’.\-/][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_]`)
})

// DiffUnits splits s into the units a word diff compares: words with their
// inner punctuation, and each punctuation mark on its own, so a diff reads as
// whole words replaced rather than scattered letters.
func DiffUnits(s string) []string { return diffUnit().FindAllString(s, -1) }
