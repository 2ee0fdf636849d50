package grader

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/drill-coach/drill/exercises"
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

// splitSentences cuts an answer into sentences at terminal punctuation, semicolons
// and line breaks, keeping every span verbatim so it can be quoted as evidence.
// A period inside a word (file.go, 1.5, e.g.) does not end a sentence.
func splitSentences(s string) []string {
	var out []string
	for _, sp := range sentenceSpans(s) {
		out = append(out, s[sp[0]:sp[1]])
	}
	return out
}

// sentenceSpans returns the [start, end) byte offsets of each trimmed sentence.
func sentenceSpans(s string) [][2]int {
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
			// A list item ends at its line break; other prose may be hard-wrapped.
			if lineBreakEnds(s[i+1:]) || lineBreakEnds(s[start:i]) {
				emit(i + 1)
			}
		case '.', '!', '?':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			end := i+1 >= len(s) || unicode.IsSpace(next) || next == '"' || next == '\'' || next == ')'
			// "1. " opens a numbered item and "e.g. " is an abbreviation; neither
			// ends a sentence. A semicolon joins clauses of one sentence.
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

// functionWords are the small words that hold English sentences together. A unit
// without any of them is a list of terms, not a statement.
var functionWords = set(`a an the is are was were be been being am it its this that these those
to of in on at by for from with into onto over under between before after during until while
and or but so because since if when then than which who whose what where why how
we i you they he she our my your their us them
can could will would should must may might do does did has have had not no
there here also only just as about up down out off again once each both more most
let lets make makes made use uses used get gets got
all any some every per other another such same own each one two saw see sees seen
keep keeps kept stop stops stopped start starts started run runs ran`)

// isProse reports whether a sentence's words read as a statement rather than a
// list of terms: four or more words, at least one function word, and comma-separated
// parts that average at least three words.
func isProse(text string, toks []string) bool {
	if len(toks) < 4 {
		return false
	}
	fw := 0
	for _, t := range toks {
		if functionWords[t] {
			fw++
		}
	}
	if fw == 0 {
		return false
	}
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
	if len(parts) >= 3 && float64(len(toks))/float64(len(parts)) < 3 {
		return false
	}
	// A long run of words with almost no function words is keyword soup.
	if len(toks) >= 10 && float64(fw)/float64(len(toks)) < 0.08 {
		return false
	}
	return true
}

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

var abbreviations = set("e.g i.e vs cf approx incl eg ie")

// isAbbrev reports whether the text before a period ends with an abbreviation.
func isAbbrev(before string) bool {
	i := strings.LastIndexFunc(before, unicode.IsSpace)
	return abbreviations[strings.ToLower(before[i+1:])]
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

func splitUnits(answer string) []unit {
	var us []unit
	for _, sp := range sentenceSpans(answer) {
		s := answer[sp[0]:sp[1]]
		if len(exercises.Tokenize(s)) == 0 {
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

// englishWords splits s into lower-case words of letters and digits, leaving out
// Han characters; gaps[i] is the text between word i-1 and word i, where clause
// punctuation is found.
func englishWords(s string) (toks, gaps []string) {
	var cur []rune
	last := 0
	for i, r := range s {
		if (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r) {
			if len(cur) == 0 {
				gaps = append(gaps, s[last:i])
			}
			cur = append(cur, unicode.ToLower(r))
			continue
		}
		if len(cur) > 0 {
			toks = append(toks, string(cur))
			cur = cur[:0]
			last = i
		}
	}
	if len(cur) > 0 {
		toks = append(toks, string(cur))
	}
	return toks, gaps
}

// anaphora open a sentence that continues the previous one's subject: "Local
// NVMe is fastest. However it is ephemeral, ..." states one idea in two sentences.
var anaphora = set("it this that they these those which its their such however but so")

// continues reports whether u picks up the previous sentence's subject: it opens
// with a pronoun or a linking word and names no new subject of its own first.
func continues(u unit) bool {
	for i, t := range u.tokens {
		if i >= 2 {
			return false
		}
		if anaphora[t] && t != "however" && t != "but" && t != "so" {
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
	affirmed, litDenied := false, false
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
		// "not safe to share" denies a pattern that asks for "safe": the group
		// was there only as a denied literal.
		litDenied = litDenied || (lits && !pos)
	}
	if !affirmed || litDenied {
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
func countWords(s string) int {
	return len(exercises.Tokenize(s))
}

// CountSentences counts the sentences of text the way the grader does.
func CountSentences(text string) int {
	return len(splitUnits(text))
}
