// Package modules holds what differs between the four drill modules: their names,
// the extra checks each runs on top of the rubric (review tone, design trade-off
// dimensions, ...) and the coach's menu of next steps after an answer.
package modules

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
)

// Module describes one of the four modules.
type Module struct {
	Name    string // debug, review, expression, design
	Key     string // the key that opens it on the plan screen
	Title   string
	TitleZH string
	// check adds module-specific feedback after rubric grading.
	check func(t *exercises.Task, answer string) []grader.Item
}

var all = []Module{
	{Name: exercises.Debug, Key: "1", Title: "System debug quick reaction", TitleZH: "系统排障快速反应", check: checkDebug},
	{Name: exercises.Review, Key: "2", Title: "Code review checklist", TitleZH: "代码评审清单", check: checkReview},
	{Name: exercises.Expression, Key: "3", Title: "English quick expression", TitleZH: "英文快速表达", check: checkExpression},
	{Name: exercises.Design, Key: "4", Title: "System design and cost reasoning", TitleZH: "系统设计与成本权衡", check: checkDesign},
}

// All returns the modules in the day's order.
func All() []Module { return all }

// Get returns the module called name.
func Get(name string) (Module, bool) {
	for _, m := range all {
		if m.Name == name {
			return m, true
		}
	}
	return Module{}, false
}

// Grade grades an answer with the offline rubric engine, then adds the module's own
// checks as feedback items.
func Grade(ex *exercises.Exercise, t *exercises.Task, answer string, elapsed time.Duration) (*grader.Result, error) {
	r, err := grader.Grade(ex, t, answer, grader.Options{Elapsed: elapsed})
	if err != nil {
		return nil, err
	}
	if m, ok := Get(ex.Module); ok && m.check != nil {
		r.Extra = append(r.Extra, m.check(t, answer)...)
	}
	for _, s := range NextSteps(ex, t, r) {
		r.Extra = append(r.Extra, grader.Item{Kind: grader.Informative, Text: "Next: " + s.Label})
	}
	grader.Score(r)
	return r, nil
}

// Step is one entry of the coach's next-step menu.
type Step struct {
	Action string `json:"action"` // retry, variant, follow-up, next-module, sandbox, lab
	Task   string `json:"task,omitempty"`
	Label  string `json:"label"`
}

// NextSteps is the coach's menu after an answer: retry when it fell short, the
// condensed variants and follow-up rounds of the task, then the next module.
func NextSteps(ex *exercises.Exercise, t *exercises.Task, r *grader.Result) []Step {
	var steps []Step
	if r != nil && r.Score < 85 {
		steps = append(steps, Step{Action: "retry", Task: t.ID, Label: "retry this task using the hints above"})
	}
	for _, v := range t.Variants {
		steps = append(steps, Step{Action: "variant", Task: v.ID, Label: "condensed variant: " + v.Title})
	}
	for _, f := range t.FollowUps {
		steps = append(steps, Step{Action: "follow-up", Task: f.ID, Label: "follow-up round: " + f.Title})
	}
	if ex.Module == "debug" {
		steps = append(steps, Step{Action: "sandbox", Label: "reproduce it hands-on: drill sandbox repro"})
		if t.ID == "repro" {
			steps = append(steps, Step{Action: "lab", Label: "fix it yourself and prove it under -race: drill sandbox lab init, then drill sandbox lab check"})
		}
	}
	if next := nextModule(ex.Module); next != "" {
		steps = append(steps, Step{Action: "next-module", Label: "move on to the " + next + " module"})
	}
	return steps
}

func nextModule(name string) string {
	for i, m := range all {
		if m.Name == name && i+1 < len(all) {
			return all[i+1].Name
		}
	}
	return ""
}

func has(answer string, words ...string) bool {
	low := strings.ToLower(answer)
	for _, w := range words {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

func checkDebug(t *exercises.Task, answer string) []grader.Item {
	var items []grader.Item
	if t.TimeLimit > 0 && !has(answer, "next", "i will", "i'll", "we will", "we'll", "plan", "going to") {
		items = append(items, grader.Item{Kind: grader.Actionable,
			Text: "End the opening with the next step you are taking, so the team knows what happens now."})
	}
	if has(answer, "layer 1", "first layer", "1.", "1)") && has(answer, "layer 3", "third", "3.", "3)") {
		items = append(items, grader.Item{Kind: grader.Celebratory, Text: "Clear layered structure: easy to follow under pressure."})
	}
	return items
}

var numbered = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)^\s*(\d+[.)]|[-*•])\s+`)
})

func checkReview(t *exercises.Task, answer string) []grader.Item {
	var items []grader.Item
	if has(answer, "thank", "nice", "good call", "appreciate", "like the", "great") {
		items = append(items, grader.Item{Kind: grader.Celebratory, Text: "Opens by acknowledging the author's intent: reviews land better that way."})
	} else {
		items = append(items, grader.Item{Kind: grader.Actionable, Text: "Start by thanking the author and naming what the change gets right."})
	}
	if t.MaxSentences == 0 && len(numbered().FindAllString(answer, -1)) < 2 {
		items = append(items, grader.Item{Kind: grader.Actionable, Text: "Number your points so the author can reply to each one."})
	}
	if !has(answer, "happy to", "let me know", "what do you think", "open to", "discuss", "pair") {
		items = append(items, grader.Item{Kind: grader.Actionable, Text: "Close with an invitation to discuss: it keeps the review collaborative."})
	}
	return items
}

func checkExpression(t *exercises.Task, answer string) []grader.Item {
	return []grader.Item{{Kind: grader.Informative,
		Text: "Read it aloud once: if a sentence needs a breath in the middle, split it."}}
}

func checkDesign(t *exercises.Task, answer string) []grader.Item {
	dims := []struct{ name, words string }{
		{"cost", "cost|cheap|expensive|$|price|bill"},
		{"latency", "latency|cold start|cold-start|slow|fast|seconds"},
		{"complexity", "complex|operab|operate|maintain|simple"},
		{"tenancy", "tenant|isolation|noisy neighbo"},
	}
	var missing []string
	for _, d := range dims {
		if !has(answer, strings.Split(d.words, "|")...) {
			missing = append(missing, d.name)
		}
	}
	var items []grader.Item
	if len(missing) > 0 && len(missing) < len(dims) {
		items = append(items, grader.Item{Kind: grader.Actionable,
			Text: fmt.Sprintf("Trade-off dimensions not discussed: %s.", strings.Join(missing, ", "))})
	}
	if !has(answer, "recommend", "i would choose", "i'd choose", "i would go", "i'd go", "my choice", "i would pick", "i'd pick", "i would start") {
		items = append(items, grader.Item{Kind: grader.Actionable,
			Text: "Commit to a recommendation and say why, then what you would do later (phased rollout)."})
	}
	return items
}
