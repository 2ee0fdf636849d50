package modules

import (
	"fmt"
	"strings"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
)

// Lint finds what the parser cannot see in one file alone, because it needs the
// grader or the whole bank: a rubric point that the task's own prompt already
// satisfies (it would reward repeating the question), a misconception that fires
// on the model answer (the rubric would punish its own answer), and a curriculum
// whose order goes down in level within a module.
func Lint(b *exercises.Bank) []exercises.Problem {
	var probs []exercises.Problem
	add := func(ex *exercises.Exercise, path, format string, args ...any) {
		probs = append(probs, exercises.Problem{File: ex.File, Line: ex.Locate(path), Msg: fmt.Sprintf(format, args...)})
	}
	for _, ex := range b.All() {
		for _, t := range ex.AllTasks() {
			tp := ex.TaskPath(t)
			// The scenario may state the symptom an opening must restate; pasting
			// it back earns nothing at grading time (echo). The prompt asks the
			// question: a point it satisfies rewards repeating the question.
			points, _ := grader.SaidBy(t, t.Prompt.EN)
			for _, id := range points {
				add(ex, tp+".rubric", "rubric point %q of task %q is satisfied by the task's own prompt: ask for what the learner must add", id, t.ID)
			}
			if _, wrong := grader.SaidBy(t, t.ModelAnswer); len(wrong) > 0 {
				add(ex, tp+".misconceptions", "misconception(s) %s of task %q fire on its own model answer", strings.Join(wrong, ", "), t.ID)
			}
		}
	}
	// Within a module, the curriculum climbs: a later exercise is never easier.
	for _, m := range All() {
		var prev *exercises.Exercise
		for _, ex := range b.Filter(m.Name, "") {
			if prev != nil && ex.Level < prev.Level && ex.Order > prev.Order {
				add(ex, "$.order", "order %d comes after %s (order %d, level %d) but its level %d is lower: order must follow level",
					ex.Order, prev.ID, prev.Order, prev.Level, ex.Level)
			}
			if prev == nil || ex.Level >= prev.Level {
				prev = ex
			}
		}
	}
	return probs
}
