package grader

import (
	"strings"
	"sync"

	"github.com/drill-coach/drill/exercises"
)

// Polarity: a concept stated inside the scope of a negation or a dismissal is
// denied, not claimed. The scopes follow NegEx (Chapman et al., 2001) adapted to
// spoken engineering English: a verbal negation ("not", "never", "doesn't")
// denies its whole clause, a determiner ("no", "without") the few words after it,
// and a dismissal ("is fine", "no need", "ruled out", "harmless") its clause and,
// when the dismissal only points back ("that is harmless"), the clause before.
// A clause ends at , ; : ( ) or a linking word (but, because, so, and, ...).

// clauseWords open a new clause.
var clauseWords = sync.OnceValue(func() map[string]bool {
	return set(`but however although though whereas because since so and unless then otherwise instead yet while which`)
})

// relativeWords bound how far back a negation reaches: in "blobs that are not
// committed" the negation is about the blobs' state, not about the sentence's verb.
var relativeWords = sync.OnceValue(func() map[string]bool {
	return set(`that which who whose where`)
})

// contractions end in "t" once apostrophes split words: doesn't -> doesn t.
var contractions = sync.OnceValue(func() map[string]bool {
	return set(`don doesn didn isn aren wasn weren won wouldn shouldn couldn can hasn haven hadn mustn needn ain`)
})

// determiners deny only the words right after them.
var determiners = sync.OnceValue(func() map[string]bool {
	return set(`no without nothing none neither nor nobody`)
})

// dismissalWords make a statement a dismissal; a rubric term that contains one
// ("safe to retry") is read literally.
var dismissalWords = sync.OnceValue(func() map[string]bool {
	return set(`safe fine harmless benign irrelevant unnecessary unneeded needless unlikely overkill herring itself own`)
})

var beWords = sync.OnceValue(func() map[string]bool {
	return set(`is are was were be been being seems seem looks look sounds`)
})

// pseudo are phrases that contain a negation word but deny nothing.
var pseudo = [][]string{
	{"not", "only"}, {"not", "just"}, {"whether", "or", "not"}, {"or", "not"}, {"no", "matter"},
	{"no", "doubt"}, {"not", "sure"}, {"confirm", "or", "rule", "out"}, {"or", "rule", "out"},
	{"to", "rule", "out"}, {"rule", "in", "or", "out"}, {"if", "not"},
}

// dismissals are phrases that wave a concept away.
var dismissals = [][]string{
	{"no", "need"}, {"no", "reason"}, {"no", "impact"}, {"no", "effect"}, {"nothing", "to", "do", "with"},
	{"red", "herring"}, {"rule", "out"}, {"rules", "out"}, {"ruled", "out"}, {"by", "itself"},
	{"on", "its", "own"}, {"self", "heal"}, {"self", "heals"}, {"self", "healing"}, {"goes", "away"},
	{"go", "away"}, {"harmless"}, {"benign"}, {"irrelevant"}, {"unnecessary"}, {"unneeded"},
	{"needless"}, {"unlikely"}, {"overkill"}, {"nothing", "to", "worry"},
}

// negationScope marks the tokens of a sentence that are denied. gaps[i] holds
// the text between token i-1 and token i, to find clause punctuation.
func negationScope(toks []string, gaps []string) []bool {
	n := len(toks)
	neg := make([]bool, n)
	clause := make([]int, n)
	c := 0
	for i, t := range toks {
		if i > 0 && (strings.ContainsAny(gaps[i], ",;:()—–") || clauseWords()[t]) {
			c++
		}
		clause[i] = c
	}
	used := make([]bool, n)
	at := func(i int, phrase []string) bool {
		if i+len(phrase) > n {
			return false
		}
		for j, w := range phrase {
			if toks[i+j] != w || clause[i+j] != clause[i] {
				return false
			}
		}
		return true
	}
	for i := range toks {
		for _, ph := range pseudo {
			if at(i, ph) {
				for j := range ph {
					used[i+j] = true
				}
			}
		}
	}
	clauseStart := func(i int) int {
		j := i
		for j > 0 && clause[j-1] == clause[i] {
			j--
		}
		return j
	}
	clauseEnd := func(i int) int {
		j := i
		for j+1 < n && clause[j+1] == clause[i] {
			j++
		}
		return j
	}
	// verbal reports whether token i is a verbal negation.
	verbal := func(i int) bool {
		switch toks[i] {
		case "not", "never", "cannot":
			return true
		case "t":
			return i > 0 && contractions()[toks[i-1]]
		}
		return false
	}
	markClause := func(i int, back bool) {
		from := clauseStart(i)
		if !back {
			// A negation after a relative word denies the relative clause only.
			for j := i - 1; j >= from; j-- {
				if relativeWords()[toks[j]] {
					from = j
					break
				}
			}
		}
		for j := from; j <= clauseEnd(i); j++ {
			neg[j] = true
		}
	}
	dismissal := func(i int) (int, bool) {
		if used[i] {
			return 0, false
		}
		for _, ph := range dismissals {
			if at(i, ph) {
				return len(ph), true
			}
		}
		// "is fine", "are safe", "safe to share": a be-verb or "to" around the word.
		if t := toks[i]; t == "fine" || t == "safe" {
			if i > 0 && (beWords()[toks[i-1]] || toks[i-1] == "perfectly" || toks[i-1] == "completely") ||
				i+1 < n && toks[i+1] == "to" {
				return 1, true
			}
		}
		return 0, false
	}
	// Dismissals first: "not safe" and "never fine" cancel out before the
	// negation would deny the clause.
	isDismissal := make([]int, n)
	for i := 0; i < n; i++ {
		l, ok := dismissal(i)
		if !ok {
			continue
		}
		cancelled := false
		for j := i - 1; j >= 0 && j >= i-3 && clause[j] == clause[i]; j-- {
			if verbal(j) && !used[j] {
				used[j] = true
				cancelled = true
			}
		}
		if !cancelled {
			isDismissal[i] = l
		}
		for j := i; j < i+l; j++ {
			used[j] = true
		}
		i += l - 1
	}
	for i := 0; i < n; i++ {
		if isDismissal[i] > 0 {
			markClause(i, true)
			// "That is harmless." points back at the clause before.
			start := clauseStart(i)
			first := start
			if clauseWords()[toks[first]] && first+1 < i {
				first++
			}
			if start > 0 && i-first <= 3 && (toks[first] == "it" || toks[first] == "this" || toks[first] == "that" || toks[first] == "which") {
				markClause(start-1, true)
			}
			continue
		}
		if used[i] {
			continue
		}
		switch {
		case verbal(i):
			markClause(i, false)
		case toks[i] == "no" && i+1 < n && toks[i+1] == "longer":
			markClause(i, false)
		case determiners()[toks[i]]:
			for j := i; j < n && j <= i+4 && clause[j] == clause[i]; j++ {
				neg[j] = true
			}
		}
	}
	return neg
}

// literal reports whether a term states its own negation or dismissal ("never
// close", "no lease", "safe to retry"): it is then matched as written.
func literal(t exercises.Term) bool {
	for _, w := range t.Words {
		if exercises.IsNegation(w.Text) || dismissalWords()[w.Text] {
			return true
		}
	}
	return false
}

// deniedBefore reports whether a verbal negation sits in the three words before
// position i of the same sentence: "is not safe to retry" denies "safe to retry".
func deniedBefore(toks []string, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		switch toks[j] {
		case "not", "never", "cannot":
			return true
		case "t":
			if j > 0 && contractions()[toks[j-1]] {
				return true
			}
		}
	}
	return false
}
