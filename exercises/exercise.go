// Package exercises holds the embedded exercise bank, its parser and validator,
// and the overlay of the learner's own exercise folders.
//
// An exercise is one Markdown file: YAML front matter carries the metadata and the
// tasks (prompts, limits, rubric, model answer); the Markdown body is the scenario
// shown above every task, Chinese first, then English after a line "<!-- en -->".
package exercises

import (
	"strings"
	"sync"
	"time"
)

// The four modules, declared here and nowhere else.
const (
	Debug      = "debug"
	Review     = "review"
	Expression = "expression"
	Design     = "design"
)

// moduleNames is in the order of a day's drill. It is an array, so no caller
// can change the order for everyone else.
var moduleNames = [...]string{Debug, Review, Expression, Design}

// ModuleNames returns the module names in the order of a day's drill.
func ModuleNames() []string { return append([]string(nil), moduleNames[:]...) }

// IsModule reports whether m names one of the four modules.
func IsModule(m string) bool {
	for _, x := range moduleNames {
		if x == m {
			return true
		}
	}
	return false
}

// Exercise is one scenario with its tasks.
type Exercise struct {
	ID     string   `yaml:"id" json:"id"`
	Module string   `yaml:"module" json:"module"`
	Title  string   `yaml:"title" json:"title"`
	Tags   []string `yaml:"tags" json:"tags"`
	Level  int      `yaml:"level" json:"level"`
	// Order places the exercise inside its module's curriculum (lower first).
	Order int     `yaml:"order" json:"order"`
	Tasks []*Task `yaml:"tasks" json:"tasks"`
	// Sources are the primary sources the exercise's facts come from: numbers,
	// defaults, API behaviour and error strings must be traceable to one of them.
	Sources []Source `yaml:"sources" json:"sources,omitempty"`
	// Draft marks an exercise that is still being written (every template of
	// `drill exercises new` starts as one): the daily plan leaves it out, so an
	// unfinished file never takes the place of a real exercise.
	Draft bool `yaml:"draft" json:"draft,omitempty"`

	// ScenarioZH and ScenarioEN come from the Markdown body.
	ScenarioZH string `yaml:"-" json:"-"`
	ScenarioEN string `yaml:"-" json:"-"`
	// File is where the exercise came from ("embedded:debug/x.md" or a path).
	File string `yaml:"-" json:"-"`
	// User is true for exercises from the learner's own folder.
	User bool `yaml:"-" json:"-"`
}

// Source names where a fact comes from: a document's title and its URL, or a
// repository path at a version ("containerd/containerd@v2.4.2 core/metadata/gc.go").
type Source struct {
	Title string `yaml:"title" json:"title"`
	URL   string `yaml:"url" json:"url"`
}

// Text holds one piece of text in both languages.
type Text struct {
	ZH string `yaml:"zh"`
	EN string `yaml:"en"`
}

// In returns the text in lang ("zh" or "en"), falling back to the other one.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" || t.ZH == "" {
		return t.EN
	}
	return t.ZH
}

// Task is one gradable question. Follow-ups and variants are tasks too.
type Task struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// Kind is "task", "follow-up" or "variant"; set by the parser.
	Kind   string `yaml:"-"`
	Parent string `yaml:"-"`
	Prompt Text   `yaml:"prompt"`
	// TimeLimit is a Go duration ("30s"); zero means untimed.
	TimeLimit    Duration `yaml:"time_limit"`
	MaxSentences int      `yaml:"max_sentences"`
	MaxWords     int      `yaml:"max_words"`
	// AnswerLang is the language the answer must be written in; "en" by default.
	AnswerLang string   `yaml:"answer_lang"`
	Rubric     []*Point `yaml:"rubric"`
	// Misconceptions are the wrong beliefs an interviewer listens for. Stating one
	// costs points and is corrected in the feedback.
	Misconceptions []*Misconception `yaml:"misconceptions"`
	ModelAnswer    string           `yaml:"model_answer"`
	FollowUps      []*Task          `yaml:"follow_ups"`
	Variants       []*Task          `yaml:"variants"`

	// memo holds what the grader derives once per task (the prompt's word
	// trigrams); it is not part of the file, and unexported so no encoding of
	// the bank carries it.
	memo Memo
}

// Memo is the task's store for data the grader derives from it once.
func (t *Task) Memo() *Memo { return &t.memo }

// Memo computes a value once and keeps it: a task's derived grading data.
type Memo struct {
	once sync.Once
	v    any
}

// Get returns the value, computing it with f on first use.
func (m *Memo) Get(f func() any) any {
	m.once.Do(func() { m.v = f() })
	return m.v
}

// Point is one rubric point: a concept and the ways of saying it.
type Point struct {
	ID      string `yaml:"id"`
	Weight  int    `yaml:"weight"`
	Concept string `yaml:"concept"`
	// Say lists ways of stating the concept. Each is a pattern such as
	// "gc|garbage collect* + lease*|protect*": groups joined by " + " must all occur
	// inside one sentence or clause; "|" separates alternatives inside a group; a
	// trailing "*" matches any word with that prefix.
	Say  []string `yaml:"say"`
	Hint string   `yaml:"hint"`

	compiled compiledSay
}

// Patterns returns the point's compiled say patterns, compiled once. A pattern
// that does not compile is left out; the validator reports it.
func (p *Point) Patterns() []Pattern { return p.compiled.get(p.Say) }

// Misconception is a wrong belief: the ways of stating it (patterns, as in Point.Say)
// and a one-line correction shown when an answer states it.
type Misconception struct {
	ID         string   `yaml:"id"`
	Say        []string `yaml:"say"`
	Correction string   `yaml:"correction"`

	compiled compiledSay
}

// Patterns returns the misconception's compiled say patterns, compiled once.
func (m *Misconception) Patterns() []Pattern { return m.compiled.get(m.Say) }

// compiledSay compiles a say list on first use: grading is on the hot path of
// every answer, and a lexicon concept expands to dozens of stemmed terms.
type compiledSay struct {
	once sync.Once
	pats []Pattern
}

func (c *compiledSay) get(say []string) []Pattern {
	c.once.Do(func() {
		for _, s := range say {
			if pat, err := CompilePattern(s); err == nil {
				c.pats = append(c.pats, pat)
			}
		}
	})
	return c.pats
}

// Duration is a time.Duration written as "30s" in YAML.
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Seconds returns the limit in whole seconds.
func (d Duration) Seconds() int { return int(time.Duration(d) / time.Second) }

// AllTasks returns the exercise's tasks in order, each followed by its follow-ups
// and variants.
func (e *Exercise) AllTasks() []*Task {
	var out []*Task
	var walk func(ts []*Task)
	walk = func(ts []*Task) {
		for _, t := range ts {
			out = append(out, t)
			walk(t.FollowUps)
			walk(t.Variants)
		}
	}
	walk(e.Tasks)
	return out
}

// Task finds a task, follow-up or variant by id; "" means the first task.
func (e *Exercise) Task(id string) *Task {
	if id == "" && len(e.Tasks) > 0 {
		return e.Tasks[0]
	}
	for _, t := range e.AllTasks() {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Scenario returns the scenario text in lang, falling back to the other language.
func (e *Exercise) Scenario(lang string) string {
	return Text{ZH: e.ScenarioZH, EN: e.ScenarioEN}.In(lang)
}

// Lang returns the answer language of the task ("en" unless set).
func (t *Task) Lang() string {
	if t.AnswerLang == "" {
		return "en"
	}
	return t.AnswerLang
}

// RubricWeight is the sum of the rubric's weights.
func (t *Task) RubricWeight() int {
	n := 0
	for _, p := range t.Rubric {
		n += p.Weight
	}
	return n
}
