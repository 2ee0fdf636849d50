package grader

import (
	"strings"
	"sync"
	"unicode"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/text"
)

// unit is one sentence of the answer, kept as a verbatim span.
type unit struct {
	text   string // verbatim, trimmed
	start  int    // byte offsets of text in the answer
	end    int
	tokens []string // English words only: Han characters never count as terms
	stems  []string
	neg    []bool // the token is inside a negation or dismissal scope
	prose  bool
	echo   bool // mostly repeats the prompt or scenario
}

// splitSentences cuts an answer into sentences the way internal/text does,
// keeping every span verbatim so it can be quoted as evidence.
func splitSentences(s string) []string {
	var out []string
	for _, sp := range text.SentenceSpans(s) {
		out = append(out, s[sp[0]:sp[1]])
	}
	return out
}

// functionWords are the small words that hold English sentences together. A unit
// without any of them is a list of terms, not a statement.
var functionWords = sync.OnceValue(func() map[string]bool {
	return set(`a an the is are was were be been being am it its this that these those
to of in on at by for from with into onto over under between before after during until while
and or but so because since if when then than which who whose what where why how
we i you they he she our my your their us them
can could will would should must may might do does did has have had not no
there here also only just as about up down out off again once each both more most
let lets make makes made use uses used get gets got
all any some every per other another such same own each one two saw see sees seen
keep keeps kept stop stops stopped start starts started run runs ran`)
})

// isProse reports whether a sentence's words read as a statement rather than a
// list of terms: four or more words, at least one function word, and comma-separated
// parts that average at least three words.
func isProse(s string, toks []string) bool {
	if len(toks) < 4 {
		return false
	}
	fw := 0
	for _, t := range toks {
		if functionWords()[t] {
			fw++
		}
	}
	if fw == 0 {
		return false
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
	if len(parts) >= 3 && float64(len(toks))/float64(len(parts)) < 3 {
		return false
	}
	// A long run of words with almost no function words is keyword soup.
	if len(toks) >= 10 && float64(fw)/float64(len(toks)) < 0.08 {
		return false
	}
	return true
}

func splitUnits(answer string) []unit {
	var us []unit
	for _, sp := range text.SentenceSpans(answer) {
		s := answer[sp[0]:sp[1]]
		if text.CountWords(s) == 0 {
			continue
		}
		toks, gaps := englishWords(s)
		u := unit{text: s, start: sp[0], end: sp[1], tokens: toks}
		u.stems = make([]string, len(toks))
		for i, t := range toks {
			u.stems[i] = exercises.Stem(t)
		}
		u.neg = negationScope(toks, gaps)
		u.prose = isProse(s, toks)
		us = append(us, u)
	}
	return us
}

// englishWords returns the lower-case English words of s, leaving out Han
// characters; gaps[i] is the text between word i-1 and word i, where clause
// punctuation is found.
func englishWords(s string) (toks, gaps []string) {
	last := 0
	for _, t := range text.Tokens(s) {
		if t.Han {
			continue
		}
		gaps = append(gaps, s[last:t.Start])
		toks = append(toks, strings.ToLower(t.Text))
		last = t.End
	}
	return toks, gaps
}

// anaphora open a sentence that continues the previous one's subject: "Local
// NVMe is fastest. However it is ephemeral, ..." states one idea in two sentences.
var anaphora = sync.OnceValue(func() map[string]bool {
	return set("it this that they these those which its their such however but so")
})

// continues reports whether u picks up the previous sentence's subject: it opens
// with a pronoun or a linking word and names no new subject of its own first.
func continues(u unit) bool {
	for i, t := range u.tokens {
		if i >= 2 {
			return false
		}
		if anaphora()[t] && t != "however" && t != "but" && t != "so" {
			return true
		}
		if t != "however" && t != "but" && t != "so" && t != "and" {
			return false
		}
	}
	return false
}

// status of a pattern in a sentence.
type status int

const (
	absent status = iota
	denied        // every group is stated, and every one inside a denial
	stated
)

// occurrences returns where term occurs as consecutive words of toks.
func occurrences(term exercises.Term, toks, stems []string, yield func(i int)) {
	n := len(term.Words)
	for i := 0; i+n <= len(toks); i++ {
		ok := true
		for j, w := range term.Words {
			if !w.Matches(toks[i+j], stems[i+j]) {
				ok = false
				break
			}
		}
		if ok {
			yield(i)
		}
	}
}

// matchPattern reports whether every group of p is in the sentence, and whether
// it is stated or denied. A group is affirmed when one of its terms occurs
// outside a denial (a term that carries its own negation is read as written); a
// match is denied only when no group is affirmed, so "hold a lease so GC cannot
// collect it" still states the lease.
func matchPattern(p exercises.Pattern, toks, stems []string, neg []bool) status {
	return match(p, toks, stems, neg, false)
}

// assertsPattern is matchPattern for a wrong belief: it is asserted only when
// every part of it is affirmed. "It is not clock skew, because every client
// failed" mentions clients without claiming the skew; "not only the leaf" denies
// "only the leaf".
func assertsPattern(p exercises.Pattern, toks, stems []string, neg []bool) status {
	return match(p, toks, stems, neg, true)
}

func match(p exercises.Pattern, toks, stems []string, neg []bool, strict bool) status {
	affirmed, allAffirmed, litDenied, litAffirmed := false, true, false, false
	for _, g := range p.Groups {
		found, pos, lits := false, false, true
		for _, t := range g {
			lit := literal(t)
			occurrences(t, toks, stems, func(i int) {
				found = true
				lits = lits && lit
				switch {
				case lit:
					pos = pos || !deniedBefore(toks, i)
				case p.Negative:
					pos = true
				case strict && i > 0 && toks[i-1] == "not":
				default:
					free := true
					for j := i; j < i+len(t.Words); j++ {
						free = free && !neg[j]
					}
					pos = pos || free
				}
			})
		}
		if !found {
			return absent
		}
		affirmed = affirmed || pos
		allAffirmed = allAffirmed && pos
		// "not safe to share" denies a pattern that asks for "safe": the group
		// was there only as a denied literal.
		litDenied = litDenied || (lits && !pos)
		litAffirmed = litAffirmed || (lits && pos)
	}
	// A belief that is itself a dismissal ("sharing the writer is safe") puts
	// its other parts inside its own scope: the affirmed literal carries it.
	if !affirmed || litDenied || strict && !allAffirmed && !litAffirmed {
		return denied
	}
	return stated
}

// mentions reports whether any term of p occurs in toks.
func mentions(p exercises.Pattern, toks, stems []string) bool {
	for _, g := range p.Groups {
		for _, t := range g {
			found := false
			occurrences(t, toks, stems, func(int) { found = true })
			if found {
				return true
			}
		}
	}
	return false
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// hanRatio is the share of letters in s that are Han characters.
func hanRatio(s string) (han, letters int) {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	return han, letters
}

// countWords counts English words and Han characters as words.
func countWords(s string) int { return text.CountWords(s) }

// CountSentences counts the sentences of s the way the grader does.
func CountSentences(s string) int { return text.CountSentences(s) }
