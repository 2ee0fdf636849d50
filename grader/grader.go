// Package grader is the offline rubric engine: it finds each rubric concept in an
// answer, quotes the sentence that states it, raises flags for limits and style, and
// turns the result into a 0–100 score and typed feedback items.
//
// Grading is deterministic and needs no network. A concept counts only when its
// terms co-occur inside one sentence that reads as prose, so pasting a rubric's
// keywords earns nothing.
package grader

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/drill-coach/drill/exercises"
)

// MaxAnswerBytes bounds an answer: far above any interview answer, low enough that
// grading stays instant.
const MaxAnswerBytes = 64 << 10

// Errors returned for answers that cannot be graded.
var (
	ErrEmpty    = errors.New("the answer is empty: write at least one sentence")
	ErrTooLarge = fmt.Errorf("the answer is longer than %d KiB: trim it to what you would say", MaxAnswerBytes>>10)
	ErrEncoding = errors.New("the answer is not valid UTF-8 text")
)

// Kinds of feedback items.
const (
	Essential   = "essential"   // must fix: a key concept is missing
	Actionable  = "actionable"  // a concrete change that improves the answer
	Informative = "informative" // context, next steps
	Celebratory = "celebratory" // what the answer did well
)

// Flag codes.
const (
	FlagOverTime         = "over-time"
	FlagOverSentences    = "over-sentences"
	FlagOverWords        = "over-words"
	FlagNonEnglish       = "non-english"
	FlagTermList         = "term-list"
	FlagRepeatedKeywords = "repeated-keywords"
)

// Options carry what the grader needs besides the answer.
type Options struct {
	// Elapsed is how long the learner took; zero means untimed.
	Elapsed time.Duration
}

// PointResult is the outcome for one rubric point.
type PointResult struct {
	ID       string `json:"id"`
	Concept  string `json:"concept"`
	Weight   int    `json:"weight"`
	Hit      bool   `json:"hit"`
	Evidence string `json:"evidence"`
	Hint     string `json:"hint,omitempty"`
}

// Flag is one problem with the answer's form.
type Flag struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Penalty int    `json:"penalty"`
}

// Item is one feedback item.
type Item struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Result is a graded answer.
type Result struct {
	Exercise    string        `json:"exercise"`
	Task        string        `json:"task"`
	Score       int           `json:"score"`
	Coverage    int           `json:"coverage"` // rubric weight hit, 0–100, before penalties
	Points      []PointResult `json:"points"`
	Flags       []Flag        `json:"flags"`
	Feedback    []Item        `json:"feedback"`
	ModelAnswer string        `json:"model_answer"`
	Sentences   int           `json:"sentences"`
	Words       int           `json:"words"`
	ElapsedMS   int64         `json:"elapsed_ms"`
}

// HasFlag reports whether the result carries the flag code.
func (r *Result) HasFlag(code string) bool {
	for _, f := range r.Flags {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Check validates an answer before grading.
func Check(answer string) error {
	if !utf8.ValidString(answer) {
		return ErrEncoding
	}
	if len(answer) > MaxAnswerBytes {
		return ErrTooLarge
	}
	if strings.TrimSpace(answer) == "" {
		return ErrEmpty
	}
	return nil
}

// Grade grades answer against the task's rubric and limits.
func Grade(ex *exercises.Exercise, t *exercises.Task, answer string, opt Options) (*Result, error) {
	if err := Check(answer); err != nil {
		return nil, err
	}
	units := splitUnits(answer)
	r := &Result{
		Exercise:    ex.ID,
		Task:        t.ID,
		ModelAnswer: strings.TrimSpace(t.ModelAnswer),
		Sentences:   len(units),
		Words:       countWords(answer),
		ElapsedMS:   opt.Elapsed.Milliseconds(),
		Flags:       []Flag{},
	}

	total, hit := 0, 0
	for _, p := range t.Rubric {
		pr := PointResult{ID: p.ID, Concept: p.Concept, Weight: p.Weight, Hint: p.Hint}
		total += p.Weight
		if ev, ok := findEvidence(answer, p, units); ok {
			pr.Hit, pr.Evidence = true, ev
			hit += p.Weight
		}
		r.Points = append(r.Points, pr)
	}
	if total > 0 {
		r.Coverage = int(math.Round(100 * float64(hit) / float64(total)))
	}

	r.Flags = append(r.Flags, formFlags(t, answer, units, opt, r.Coverage)...)
	score := r.Coverage
	for _, f := range r.Flags {
		score -= f.Penalty
	}
	r.Score = max(0, min(100, score))
	r.Feedback = feedback(r)
	return r, nil
}

// findEvidence returns the first prose sentence that states the point; failing
// that, a sentence that continues the previous one through a pronoun ("it",
// "this", "they") together with that previous sentence, quoted as one span.
func findEvidence(answer string, p *exercises.Point, units []unit) (string, bool) {
	var pats []exercises.Pattern
	for _, s := range p.Say {
		pat, err := exercises.CompilePattern(s)
		if err != nil {
			continue // the validator reports bad patterns; grading skips them
		}
		pats = append(pats, pat)
		for _, u := range units {
			if u.prose && matchPattern(pat, u.tokens) {
				return u.text, true
			}
		}
	}
	for i := 1; i < len(units); i++ {
		prev, u := units[i-1], units[i]
		if !prev.prose || !u.prose || !continues(u) {
			continue
		}
		joined := append(append([]string{}, prev.tokens...), u.tokens...)
		for _, pat := range pats {
			if matchPattern(pat, joined) {
				return answer[prev.start:u.end], true
			}
		}
	}
	return "", false
}

func formFlags(t *exercises.Task, answer string, units []unit, opt Options, coverage int) []Flag {
	var flags []Flag
	if lim := time.Duration(t.TimeLimit); lim > 0 && opt.Elapsed > lim {
		flags = append(flags, Flag{FlagOverTime,
			fmt.Sprintf("took %s against a limit of %s: practise saying it shorter",
				opt.Elapsed.Round(time.Second), lim), 5})
	}
	if t.MaxSentences > 0 && len(units) > t.MaxSentences {
		flags = append(flags, Flag{FlagOverSentences,
			fmt.Sprintf("%d sentences against a limit of %d: merge or cut", len(units), t.MaxSentences), 10})
	}
	if words := countWords(answer); t.MaxWords > 0 && words > t.MaxWords {
		flags = append(flags, Flag{FlagOverWords,
			fmt.Sprintf("%d words against a limit of %d", words, t.MaxWords), 10})
	}
	if t.Lang() == "en" {
		han, letters := hanRatio(answer)
		if han > 0 {
			pen := 0
			if float64(han) > 0.1*float64(letters) {
				pen = 10
			}
			flags = append(flags, Flag{FlagNonEnglish,
				fmt.Sprintf("%d Chinese characters in an English answer: say those parts in English", han), pen})
		}
	}
	prose, words := 0, 0
	for _, u := range units {
		words += len(u.tokens)
		if u.prose {
			prose += len(u.tokens)
		}
	}
	if words >= 5 && float64(prose) < 0.5*float64(words) {
		flags = append(flags, Flag{FlagTermList,
			"reads as a list of terms: state what happens and why, in full sentences", 0})
	}
	// An answer that states most of the rubric's mechanisms is not "abstract",
	// however often it names its subject (logs, tenants, writers).
	if kw, ok := repeatedKeyword(units); ok && coverage < 60 {
		flags = append(flags, Flag{FlagRepeatedKeywords,
			fmt.Sprintf("%q repeats in most sentences without a mechanism: say how it works, what triggers it and what it changes", kw), 10})
	}
	return flags
}

var mechanismWords = set(`because since so therefore thus which when whenever if unless until before after
while during by via through causes cause caused leads lead means otherwise instead then
above below once only stop stops cannot can't without whereas except`)

// repeatedKeyword finds a content word said in most sentences by an answer that
// rarely explains a mechanism: the "too abstract and repetitive" pattern.
func repeatedKeyword(units []unit) (string, bool) {
	// Short answers naturally repeat their subject; the pattern needs four or more
	// sentences saying the same word with almost no mechanism between them.
	if len(units) < 4 {
		return "", false
	}
	count := map[string]int{}
	mech := 0
	for _, u := range units {
		seen := map[string]bool{}
		hasMech := false
		for _, t := range u.tokens {
			if mechanismWords[t] {
				hasMech = true
			}
			if len(t) >= 4 && !functionWords[t] && !seen[t] {
				seen[t] = true
				count[t]++
			}
		}
		if hasMech {
			mech++
		}
	}
	if float64(mech) >= 0.25*float64(len(units)) {
		return "", false
	}
	var words []string
	for w, c := range count {
		if c >= 4 && float64(c) >= 0.75*float64(len(units)) {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return "", false
	}
	sort.Strings(words)
	return words[0], true
}

func feedback(r *Result) []Item {
	var items []Item
	for _, p := range r.Points {
		if p.Hit {
			items = append(items, Item{Celebratory, fmt.Sprintf("%s — you said: “%s”", p.Concept, clip(p.Evidence, 200))})
		}
	}
	for _, p := range r.Points {
		if !p.Hit {
			kind := Actionable
			if p.Weight >= 2 {
				kind = Essential
			}
			items = append(items, Item{kind, fmt.Sprintf("Missing: %s Hint: %s", ensurePeriod(p.Concept), p.Hint)})
		}
	}
	for _, f := range r.Flags {
		items = append(items, Item{Actionable, f.Message})
	}
	return items
}

func ensurePeriod(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
