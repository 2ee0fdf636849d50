package modules

import (
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/store"
)

// AttemptFrom turns a graded result into the row the store keeps.
func AttemptFrom(module, answer string, r *grader.Result) *store.Attempt {
	a := &store.Attempt{Exercise: r.Exercise, Task: r.Task, Module: module, Answer: answer,
		Score: r.Score, Coverage: r.Coverage, ElapsedMS: r.ElapsedMS}
	for _, p := range r.Points {
		a.Points = append(a.Points, store.Point{ID: p.ID, Hit: p.Hit, Evidence: p.Evidence, Status: p.Status, Source: p.Source})
	}
	for _, f := range r.Flags {
		a.Flags = append(a.Flags, f.Code)
	}
	return a
}
