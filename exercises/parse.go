package exercises

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Problem is one thing wrong with an exercise file, located by file and line.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// enMarker separates the Chinese scenario from the English one in the body.
const enMarker = "<!-- en -->"

var idPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
})

// SpokenWordsPerSecond is the budget of a timed answer: 2.5 words a second,
// about 150 words a minute, the top of a calm speaking pace.
const SpokenWordsPerSecond = 2.5

// Parse reads one exercise file. It returns the exercise (nil when the file cannot
// be used at all) and every problem found, each as file:line.
func Parse(file string, data []byte) (*Exercise, []Problem) {
	bad := func(line int, format string, args ...any) []Problem {
		return []Problem{{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > MaxFileBytes {
		return nil, bad(1, "%v", errTooLarge(int64(len(data))))
	}
	if !utf8.Valid(data) {
		return nil, bad(firstInvalidLine(data), "file is not valid UTF-8")
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(data, []byte("---\n")) {
		return nil, bad(1, "missing YAML front matter: the file must start with a line \"---\"")
	}
	rest := data[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	if end < 0 {
		if bytes.HasSuffix(rest, []byte("\n---")) {
			end = len(rest) - 4
		} else {
			return nil, bad(1, "front matter is not closed: add a line \"---\" after it")
		}
	}
	front := rest[:end+1]
	body := ""
	if end+5 <= len(rest) {
		body = string(rest[end+5:])
	}
	const offset = 1 // the opening "---" line
	if line, msg := checkFrontMatter(front); msg != "" {
		return nil, bad(line+offset, "%s", msg)
	}

	var ex Exercise
	if err := decode(front, &ex); err != nil {
		line := 0
		msg := err.Error()
		var yerr yaml.Error
		if errors.As(err, &yerr) {
			msg = yerr.GetMessage()
			if tk := yerr.GetToken(); tk != nil && tk.Position != nil {
				line = tk.Position.Line + offset
			}
		}
		if errors.Is(err, errUnreadable) {
			line = 1
		}
		return nil, bad(line, "%s", msg)
	}
	ex.File = file
	zh, en, _ := strings.Cut(body, enMarker)
	ex.ScenarioZH = strings.TrimSpace(zh)
	ex.ScenarioEN = strings.TrimSpace(en)

	lines := newLocator(front, offset)
	var probs []Problem
	add := func(path, format string, args ...any) {
		probs = append(probs, Problem{File: file, Line: lines.line(path), Msg: fmt.Sprintf(format, args...)})
	}
	validate(&ex, add)
	return &ex, probs
}

var errUnreadable = errors.New("the YAML front matter could not be read: check its indentation, tags (!) and brackets")

// decode reads the front matter strictly. The YAML library can panic on some
// malformed input (found by fuzzing: a tag with no value inside a sequence); a
// learner's broken file must be reported, never crash drill.
func decode(front []byte, ex *Exercise) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errUnreadable
		}
	}()
	return yaml.UnmarshalWithOptions(front, ex, yaml.DisallowUnknownField())
}

func validate(ex *Exercise, add func(path, format string, args ...any)) {
	switch {
	case ex.ID == "":
		add("$", "missing id")
	case !idPattern().MatchString(ex.ID):
		add("$.id", "id %q must be lower-case letters, digits and dashes", ex.ID)
	}
	if !IsModule(ex.Module) {
		add("$.module", "module %q is not one of %s", ex.Module, strings.Join(moduleNames[:], ", "))
	}
	if strings.TrimSpace(ex.Title) == "" {
		add("$", "missing title")
	}
	if ex.Level < 0 || ex.Level > 5 {
		add("$.level", "level %d is outside 1..5", ex.Level)
	}
	if len(ex.Tasks) == 0 {
		add("$", "an exercise needs at least one task")
	}
	// The bank's facts must be traceable; a learner's own exercise may cite
	// sources, and is not refused for lacking them.
	if len(ex.Sources) == 0 && ex.Module != Expression && IsModule(ex.Module) && strings.HasPrefix(ex.File, "embedded:") {
		add("$", "a %s exercise needs sources: the primary sources (title and url) of its facts", ex.Module)
	}
	for i, src := range ex.Sources {
		if strings.TrimSpace(src.Title) == "" || strings.TrimSpace(src.URL) == "" {
			add(fmt.Sprintf("$.sources[%d]", i), "a source needs a title and a url (or a repository path at a version)")
		}
	}
	seen := map[string]bool{}
	var walk func(path, kind, parent string, ts []*Task)
	walk = func(path, kind, parent string, ts []*Task) {
		for i, t := range ts {
			p := fmt.Sprintf("%s[%d]", path, i)
			if t == nil {
				add(p, "empty task entry: give it an id, a title, prompts, a rubric and a model answer")
				continue
			}
			t.Kind, t.Parent = kind, parent
			validateTask(t, p, seen, add)
			walk(p+".follow_ups", "follow-up", t.ID, t.FollowUps)
			walk(p+".variants", "variant", t.ID, t.Variants)
		}
	}
	walk("$.tasks", "task", "", ex.Tasks)
}

func validateTask(t *Task, p string, seen map[string]bool, add func(path, format string, args ...any)) {
	switch {
	case t.ID == "":
		add(p, "task without id")
	case !idPattern().MatchString(t.ID):
		add(p+".id", "task id %q must be lower-case letters, digits and dashes", t.ID)
	case seen[t.ID]:
		add(p+".id", "task id %q is used twice in this exercise", t.ID)
	}
	seen[t.ID] = true
	if strings.TrimSpace(t.Title) == "" {
		add(p, "task %q has no title", t.ID)
	}
	if strings.TrimSpace(t.Prompt.ZH) == "" {
		add(p+".prompt", "task %q has no Chinese prompt (prompt.zh)", t.ID)
	}
	if strings.TrimSpace(t.Prompt.EN) == "" {
		add(p+".prompt", "task %q has no English prompt (prompt.en)", t.ID)
	}
	if l := t.Lang(); l != "en" && l != "zh" {
		add(p+".answer_lang", "answer_lang %q must be en or zh", l)
	}
	if t.TimeLimit < 0 || t.MaxSentences < 0 || t.MaxWords < 0 {
		add(p, "limits must not be negative")
	}
	if strings.TrimSpace(t.ModelAnswer) == "" {
		add(p, "task %q has no model_answer", t.ID)
	}
	// About 140 spoken words a minute: a timed model answer must fit its clock.
	if secs := t.TimeLimit.Seconds(); secs > 0 {
		// Words as spoken: "10.244.3.0/24" or "p99" is said as one chunk, not five.
		if words := len(strings.Fields(t.ModelAnswer)); float64(words) > SpokenWordsPerSecond*float64(secs) {
			add(p+".model_answer", "the model answer of %q has %d words, more than can be said in %d s (at most %d)",
				t.ID, words, secs, int(SpokenWordsPerSecond*float64(secs)))
		}
	}
	mids := map[string]bool{}
	for j, m := range t.Misconceptions {
		mp := fmt.Sprintf("%s.misconceptions[%d]", p, j)
		switch {
		case m == nil:
			add(mp, "empty misconception")
			continue
		case m.ID == "":
			add(mp, "misconception without id")
		case mids[m.ID]:
			add(mp+".id", "misconception %q is used twice", m.ID)
		}
		mids[m.ID] = true
		if strings.TrimSpace(m.Correction) == "" {
			add(mp, "misconception %q has no correction", m.ID)
		}
		if len(m.Say) == 0 {
			add(mp, "misconception %q has no ways of saying it (say)", m.ID)
		}
		for k, s := range m.Say {
			if _, err := CompilePattern(s); err != nil {
				add(fmt.Sprintf("%s.say[%d]", mp, k), "%v", err)
			}
		}
	}
	if len(t.Rubric) == 0 {
		add(p, "task %q has no rubric points", t.ID)
	}
	ids := map[string]bool{}
	for j, pt := range t.Rubric {
		pp := fmt.Sprintf("%s.rubric[%d]", p, j)
		if pt == nil {
			add(pp, "empty rubric point")
			continue
		}
		if pt.ID == "" {
			add(pp, "rubric point without id")
		} else if ids[pt.ID] {
			add(pp+".id", "rubric point %q is used twice", pt.ID)
		}
		ids[pt.ID] = true
		if pt.Weight <= 0 {
			add(pp+".weight", "rubric point %q needs a positive weight", pt.ID)
		}
		if strings.TrimSpace(pt.Concept) == "" {
			add(pp, "rubric point %q has no concept", pt.ID)
		}
		if strings.TrimSpace(pt.Hint) == "" {
			add(pp, "rubric point %q has no hint", pt.ID)
		}
		if len(pt.Say) == 0 {
			add(pp, "rubric point %q has no ways of saying it (say)", pt.ID)
		}
		for k, s := range pt.Say {
			if _, err := CompilePattern(s); err != nil {
				add(fmt.Sprintf("%s.say[%d]", pp, k), "%v", err)
			}
		}
	}
}

// locator maps YAML paths to line numbers of the file. It parses the YAML a
// second time, so it does so only when a problem needs a line: a clean bank
// loads at the cost of one parse.
type locator struct {
	front  []byte
	file   *ast.File
	parsed bool
	offset int
}

func newLocator(front []byte, offset int) *locator {
	return &locator{front: front, offset: offset}
}

// line returns the line of the node at path, or of its nearest ancestor found.
func (l *locator) line(path string) (line int) {
	defer func() {
		if recover() != nil {
			line = 1 // the YAML library panicked: report the problem at the top
		}
	}()
	if !l.parsed {
		l.parsed = true
		if f, err := parser.ParseBytes(l.front, 0); err == nil {
			l.file = f
		}
	}
	if l.file == nil {
		return 0
	}
	for path != "" {
		if p, err := yaml.PathString(path); err == nil {
			if n, err := p.FilterFile(l.file); err == nil && n != nil {
				if tk := n.GetToken(); tk != nil && tk.Position != nil {
					return tk.Position.Line + l.offset
				}
			}
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return 1
}

func firstInvalidLine(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return line
}

// Locate returns the line of the node at a YAML path ("$.tasks[0].rubric[1]") in
// the exercise's file, for problems found after parsing; 0 when unknown.
func (e *Exercise) Locate(path string) int {
	var data []byte
	var err error
	if rest, ok := strings.CutPrefix(e.File, "embedded:"); ok {
		// The bank is compiled; its sources are in the repository a developer
		// runs the checks from.
		data, err = readRepoFile(filepath.Join("exercises", rest))
	} else {
		data, err = os.ReadFile(e.File)
	}
	if err != nil {
		return 0
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	end := bytes.Index(rest, []byte("\n---"))
	if !ok || end < 0 {
		return 0
	}
	return newLocator(rest[:end+1], 1).line(path)
}

// TaskPath returns the YAML path of task t in the exercise, or "$".
func (e *Exercise) TaskPath(t *Task) string {
	var find func(path string, ts []*Task) string
	find = func(path string, ts []*Task) string {
		for i, x := range ts {
			p := fmt.Sprintf("%s[%d]", path, i)
			if x == t {
				return p
			}
			if r := find(p+".follow_ups", x.FollowUps); r != "" {
				return r
			}
			if r := find(p+".variants", x.Variants); r != "" {
				return r
			}
		}
		return ""
	}
	if p := find("$.tasks", e.Tasks); p != "" {
		return p
	}
	return "$"
}

// readRepoFile reads name relative to the nearest directory, from the working
// directory up, that holds it.
func readRepoFile(name string) ([]byte, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			return data, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, err
		}
		dir = parent
	}
}
