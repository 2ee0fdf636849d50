package exercises

import (
	"fmt"
	"strings"
	"unicode"
)

// Pattern is a compiled rubric "say" entry: every group must be matched inside one
// sentence or clause; a group matches when any of its terms does.
type Pattern struct {
	Source string
	Groups [][]Term
}

// Term is a phrase of consecutive words.
type Term struct {
	Words []Word
}

// Word is one word of a term; Prefix matches any word starting with Text.
type Word struct {
	Text   string
	Prefix bool
}

// CompilePattern parses "a|b c* + d" into groups of alternative terms.
func CompilePattern(s string) (Pattern, error) {
	p := Pattern{Source: s}
	if strings.TrimSpace(s) == "" {
		return p, fmt.Errorf("empty say pattern")
	}
	for _, g := range strings.Split(s, "+") {
		var group []Term
		for _, alt := range strings.Split(g, "|") {
			var t Term
			for _, w := range strings.Fields(alt) {
				prefix := strings.HasSuffix(w, "*")
				w = strings.TrimSuffix(w, "*")
				toks := Tokenize(w)
				if len(toks) == 0 {
					return p, fmt.Errorf("say pattern %q: %q has no letters or digits", s, w)
				}
				for i, tok := range toks {
					t.Words = append(t.Words, Word{Text: tok, Prefix: prefix && i == len(toks)-1})
				}
			}
			if len(t.Words) == 0 {
				return p, fmt.Errorf("say pattern %q has an empty alternative", s)
			}
			group = append(group, t)
		}
		p.Groups = append(p.Groups, group)
	}
	return p, nil
}

// Tokenize splits text into lower-case words: runs of letters and digits. Each Han
// character is a word of its own.
func Tokenize(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

// Matches reports whether word w matches token tok, allowing the regular English
// endings of nouns and verbs: retry matches retries, retried, retrying; copy
// matches copying; cache matches caches, cached, caching.
func (w Word) Matches(tok string) bool {
	if w.Prefix {
		return strings.HasPrefix(tok, w.Text)
	}
	if tok == w.Text {
		return true
	}
	if rest, ok := strings.CutPrefix(tok, w.Text); ok {
		switch rest {
		case "s", "es", "ed", "ing", "d":
			return true
		}
		// A doubled final consonant: stop → stopped, stopping.
		if len(rest) > 1 && rest[0] == w.Text[len(w.Text)-1] && (rest[1:] == "ed" || rest[1:] == "ing") {
			return true
		}
		return false
	}
	if stem, ok := strings.CutSuffix(w.Text, "y"); ok && stem != "" {
		return tok == stem+"ies" || tok == stem+"ied"
	}
	if stem, ok := strings.CutSuffix(w.Text, "e"); ok && stem != "" {
		return tok == stem+"ing"
	}
	return false
}
