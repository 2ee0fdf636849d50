package exercises

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/drill-coach/drill/internal/text"
)

// Pattern is a compiled rubric "say" entry: every group must be matched inside one
// sentence or clause; a group matches when any of its terms does.
type Pattern struct {
	Source string
	Groups [][]Term
	// Negative is set when the pattern states its own negation ("never clos*",
	// "no timeout"): it then matches only that polarity, and the grader does not
	// read a negation around it as a denial.
	Negative bool
}

// Term is a phrase of consecutive words.
type Term struct {
	Words []Word
}

// Word is one word of a term. A prefix word matches any word starting with Text;
// any other word matches a word with the same English stem.
type Word struct {
	Text   string
	Stem   string
	Prefix bool
}

// CompilePattern parses "a|b c* + @concept" into groups of alternative terms, with
// concepts expanded from the embedded lexicon.
func CompilePattern(s string) (Pattern, error) {
	return CompilePatternWith(DefaultLexicon(), s)
}

// CompilePatternWith compiles s with the concepts of lex.
func CompilePatternWith(lex *Lexicon, s string) (Pattern, error) {
	p := Pattern{Source: s}
	if strings.TrimSpace(s) == "" {
		return p, fmt.Errorf("empty say pattern")
	}
	for _, g := range strings.Split(s, "+") {
		var group []Term
		for _, alt := range strings.Split(g, "|") {
			alt = strings.TrimSpace(alt)
			if name, ok := strings.CutPrefix(alt, "@"); ok {
				terms, found := lex.Terms(name)
				if !found {
					return p, fmt.Errorf("say pattern %q: unknown concept @%s (see exercises/lexicon)", s, name)
				}
				for _, src := range terms {
					t, err := compileTerm(s, src)
					if err != nil {
						return p, err
					}
					group = append(group, t)
				}
				continue
			}
			t, err := compileTerm(s, alt)
			if err != nil {
				return p, err
			}
			for _, w := range t.Words {
				if IsNegation(w.Text) {
					p.Negative = true
				}
			}
			group = append(group, t)
		}
		p.Groups = append(p.Groups, group)
	}
	return p, nil
}

func compileTerm(pattern, alt string) (Term, error) {
	var t Term
	for _, w := range strings.Fields(alt) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.TrimSuffix(w, "*")
		toks := Tokenize(w)
		if len(toks) == 0 {
			return t, fmt.Errorf("say pattern %q: %q has no letters or digits", pattern, w)
		}
		for i, tok := range toks {
			pre := prefix && i == len(toks)-1
			t.Words = append(t.Words, Word{Text: tok, Stem: Stem(tok), Prefix: pre})
		}
	}
	if len(t.Words) == 0 {
		return t, fmt.Errorf("say pattern %q has an empty alternative", pattern)
	}
	return t, nil
}

// negations are the words that deny what follows them. "t" is the tail of a
// contraction once apostrophes split words: doesn't, can't, won't.
var negations = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"not": true, "no": true, "never": true, "without": true, "cannot": true,
		"nothing": true, "none": true, "neither": true, "nor": true, "nobody": true, "t": true,
	}
})

// IsNegation reports whether the token denies what follows it.
func IsNegation(tok string) bool { return negations()[tok] }

// Stem returns the English (Snowball) stem of a lower-case token; tokens that are
// not plain letters are returned as they are.
func Stem(tok string) string {
	for _, r := range tok {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return tok
		}
	}
	return english.Stem(tok, false)
}

// Tokenize splits text into lower-case words the way internal/text does: runs
// of letters and digits, and each Han character a word of its own.
func Tokenize(s string) []string { return text.Tokenize(s) }

// Matches reports whether w matches a token with the given stem: a prefix word by
// prefix, any other word by equal stems (retry matches retries, retried,
// retrying; rewrite matches rewrites).
func (w Word) Matches(tok, stem string) bool {
	if w.Prefix {
		return strings.HasPrefix(tok, w.Text)
	}
	return tok == w.Text || stem == w.Stem
}
