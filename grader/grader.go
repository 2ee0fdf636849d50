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
	"sync"
	"time"
	"unicode"
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

// Point statuses.
const (
	StatusHit          = "hit"          // the answer states the concept
	StatusMissed       = "missed"       // the answer does not state it
	StatusContradicted = "contradicted" // the answer denies it
	StatusClaimed      = "claimed"      // the learner says a sentence states it (self-assessed)
)

// PointResult is the outcome for one rubric point.
type PointResult struct {
	ID      string `json:"id"`
	Concept string `json:"concept"`
	Weight  int    `json:"weight"`
	// Status is hit, missed, contradicted or claimed; Hit is true for hit and claimed.
	Status   string `json:"status"`
	Hit      bool   `json:"hit"`
	Evidence string `json:"evidence"`
	Hint     string `json:"hint,omitempty"`
	// Source says who decided the status when it was not the offline grader ("llm", "self").
	Source string `json:"source,omitempty"`
}

// MisconceptionResult is a wrong belief the answer states, with its correction.
type MisconceptionResult struct {
	ID         string `json:"id"`
	Evidence   string `json:"evidence"`
	Correction string `json:"correction"`
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
	Exercise string        `json:"exercise"`
	Task     string        `json:"task"`
	Score    int           `json:"score"`
	Coverage int           `json:"coverage"` // rubric weight hit, 0–100, before penalties
	Points   []PointResult `json:"points"`
	// Misconceptions are the wrong beliefs the answer states.
	Misconceptions []MisconceptionResult `json:"misconceptions"`
	Flags          []Flag                `json:"flags"`
	Feedback       []Item                `json:"feedback"`
	// Extra are items added after grading (module checks, next steps); Score
	// keeps them after the items it derives from the statuses.
	Extra       []Item `json:"-"`
	ModelAnswer string `json:"model_answer"`
	Sentences   int    `json:"sentences"`
	Words       int    `json:"words"`
	ElapsedMS   int64  `json:"elapsed_ms"`
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

// Penalties, in score points out of 100.
const (
	// misconceptionPenalty is what stating one wrong belief costs: an interviewer
	// who hears a false mechanism stops crediting the fluent words around it.
	misconceptionPenalty = 20
	maxMisconceptionCost = 60
)

// Grade grades answer against the task's rubric and limits.
func Grade(ex *exercises.Exercise, t *exercises.Task, answer string, opt Options) (*Result, error) {
	if err := Check(answer); err != nil {
		return nil, err
	}
	units := splitUnits(answer)
	markEcho(units, promptTrigrams(ex, t))
	r := &Result{
		Exercise:       ex.ID,
		Task:           t.ID,
		ModelAnswer:    strings.TrimSpace(t.ModelAnswer),
		Sentences:      len(units),
		Words:          countWords(answer),
		ElapsedMS:      opt.Elapsed.Milliseconds(),
		Flags:          []Flag{},
		Misconceptions: []MisconceptionResult{},
	}

	// Sentences that state a wrong belief earn nothing, whatever else they say.
	wrong := map[int]bool{}
	for _, m := range t.Misconceptions {
		if i, ok := findMisconception(m, units); ok {
			wrong[units[i].start] = true
			r.Misconceptions = append(r.Misconceptions, MisconceptionResult{ID: m.ID, Evidence: units[i].text, Correction: m.Correction})
		}
	}
	for _, p := range t.Rubric {
		pr := PointResult{ID: p.ID, Concept: p.Concept, Weight: p.Weight, Hint: p.Hint, Status: StatusMissed}
		st, ev := findEvidence(answer, p, units, wrong)
		switch st {
		case stated:
			pr.Status, pr.Hit, pr.Evidence = StatusHit, true, ev
		case denied:
			pr.Status, pr.Evidence = StatusContradicted, ev
		}
		r.Points = append(r.Points, pr)
	}
	r.Flags = append(r.Flags, formFlags(t, answer, units, opt, coverageOf(r.Points))...)
	Score(r)
	return r, nil
}

// Score computes the coverage, the score and the feedback from the point
// statuses, misconceptions and flags. It is called again when a point's status
// changes after grading (an LLM verdict, a claim by the learner).
func Score(r *Result) {
	total, hit := 0, 0
	for _, p := range r.Points {
		total += p.Weight
		if p.Status == StatusHit || p.Status == StatusClaimed {
			hit += p.Weight
		}
	}
	r.Coverage = 0
	if total > 0 {
		r.Coverage = int(math.Round(100 * float64(hit) / float64(total)))
	}
	score := float64(r.Coverage)
	for _, p := range r.Points {
		if p.Status == StatusContradicted && total > 0 {
			// Denying a true mechanism is worse than not mentioning it.
			score -= 50 * float64(p.Weight) / float64(total)
		}
	}
	score -= float64(min(maxMisconceptionCost, misconceptionPenalty*len(r.Misconceptions)))
	for _, f := range r.Flags {
		score -= float64(f.Penalty)
	}
	r.Score = max(0, min(100, int(math.Round(score))))
	r.Feedback = append(feedback(r), r.Extra...)
}

// findMisconception returns the first sentence that asserts the misconception.
// A denied misconception ("the writer is not safe to share") is a correct claim.
func findMisconception(m *exercises.Misconception, units []unit) (int, bool) {
	for _, pat := range m.Patterns() {
		for i, u := range units {
			if len(u.tokens) >= 3 && assertsPattern(pat, u.tokens, u.stems, u.neg) == stated {
				return i, true
			}
		}
	}
	return 0, false
}

// findEvidence returns how the answer treats the point: stated (with the first
// prose sentence that states it), denied (with the sentence that denies it) or
// absent. A sentence opening with a pronoun ("it", "this", "they") continues the
// one before: the two are quoted together when each holds a term of the point.
// Sentences that echo the prompt or state a misconception earn nothing.
func findEvidence(answer string, p *exercises.Point, units []unit, wrong map[int]bool) (status, string) {
	pats := p.Patterns()
	eligible := func(u unit) bool { return u.prose && !u.echo && !wrong[u.start] }
	best, ev := absent, ""
	for _, pat := range pats {
		for _, u := range units {
			if !eligible(u) {
				continue
			}
			switch matchPattern(pat, u.tokens, u.stems, u.neg) {
			case stated:
				return stated, u.text
			case denied:
				if best == absent {
					best, ev = denied, u.text
				}
			}
		}
	}
	for i := 1; i < len(units); i++ {
		prev, u := units[i-1], units[i]
		if !eligible(prev) || !eligible(u) || !continues(u) {
			continue
		}
		toks := append(append([]string{}, prev.tokens...), u.tokens...)
		stems := append(append([]string{}, prev.stems...), u.stems...)
		neg := append(append([]bool{}, prev.neg...), u.neg...)
		for _, pat := range pats {
			if !mentions(pat, u.tokens, u.stems) || !mentions(pat, prev.tokens, prev.stems) {
				continue
			}
			if matchPattern(pat, toks, stems, neg) == stated {
				return stated, answer[prev.start:u.end]
			}
		}
	}
	return best, ev
}

func coverageOf(points []PointResult) int {
	total, hit := 0, 0
	for _, p := range points {
		total += p.Weight
		if p.Hit {
			hit += p.Weight
		}
	}
	if total == 0 {
		return 0
	}
	return 100 * hit / total
}

// overPenalty grows with how far over its limit an answer is: a sentence over a
// four-sentence limit costs 15, twice the limit costs the maximum.
func overPenalty(n, limit, base, most int) int {
	over := float64(n-limit) / float64(limit)
	return min(most, base+int(math.Round(float64(most-base)*over)))
}

func formFlags(t *exercises.Task, answer string, units []unit, opt Options, coverage int) []Flag {
	var flags []Flag
	if lim := time.Duration(t.TimeLimit); lim > 0 && opt.Elapsed > lim {
		flags = append(flags, Flag{FlagOverTime,
			fmt.Sprintf("took %s against a limit of %s: practise saying it shorter",
				opt.Elapsed.Round(time.Second), lim),
			overPenalty(int(opt.Elapsed/time.Second), int(lim/time.Second), 5, 25)})
	}
	if t.MaxSentences > 0 && len(units) > t.MaxSentences {
		flags = append(flags, Flag{FlagOverSentences,
			fmt.Sprintf("%d sentences against a limit of %d: merge or cut", len(units), t.MaxSentences),
			overPenalty(len(units), t.MaxSentences, 10, 50)})
	}
	if words := countWords(answer); t.MaxWords > 0 && words > t.MaxWords {
		flags = append(flags, Flag{FlagOverWords,
			fmt.Sprintf("%d words against a limit of %d", words, t.MaxWords),
			overPenalty(words, t.MaxWords, 10, 50)})
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

var mechanismWords = sync.OnceValue(func() map[string]bool {
	return set(`because since so therefore thus which when whenever if unless until before after
while during by via through causes cause caused leads lead means otherwise instead then
above below once only stop stops cannot can't without whereas except`)
})

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
		for _, t := range u.tokens {
			if len(t) >= 4 && !functionWords()[t] && !seen[t] {
				seen[t] = true
				count[t]++
			}
		}
		if links(u.tokens) {
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

// PointFeedback returns the items derived from the point statuses and the
// misconceptions, without the flags: what a renderer groups by status.
func PointFeedback(r *Result) []Item {
	saved := r.Flags
	r.Flags = nil
	defer func() { r.Flags = saved }()
	return feedback(r)
}

// feedback derives the coach's items from the point statuses, so an item never
// contradicts a status: what was credited is praised, what was denied or wrong is
// corrected with the learner's own sentence, what is missing gets its hint.
// links reports whether a sentence links two things through a mechanism: a
// causal or temporal connective ("because", "before", "so", "when") with a
// content word on each side. "So, eviction strategy." links nothing.
func links(toks []string) bool {
	content := func(t string) bool { return len(t) >= 4 && !functionWords()[t] && !mechanismWords()[t] }
	for i, t := range toks {
		if !mechanismWords()[t] {
			continue
		}
		before, after := false, false
		for _, x := range toks[:i] {
			before = before || content(x)
		}
		for _, x := range toks[i+1:] {
			after = after || content(x)
		}
		if before && after {
			return true
		}
	}
	return false
}

func feedback(r *Result) []Item {
	var items []Item
	for _, m := range r.Misconceptions {
		items = append(items, Item{Essential, fmt.Sprintf("Not so: “%s” — %s", clip(m.Evidence, 200), ensurePeriod(m.Correction))})
	}
	for _, p := range r.Points {
		if p.Status == StatusContradicted {
			items = append(items, Item{Essential, fmt.Sprintf("You denied a key point: “%s” — but %s %s",
				clip(p.Evidence, 200), lowerFirst(ensurePeriod(p.Concept)), p.Hint)})
		}
	}
	for _, p := range r.Points {
		switch p.Status {
		case StatusHit:
			items = append(items, Item{Celebratory, fmt.Sprintf("%s — you said: “%s”", p.Concept, clip(p.Evidence, 200))})
		case StatusClaimed:
			items = append(items, Item{Celebratory, fmt.Sprintf("%s — you claimed it with: “%s” (self-assessed)", p.Concept, clip(p.Evidence, 200))})
		}
	}
	for _, p := range r.Points {
		if p.Status == StatusMissed {
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

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
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
