// Package schedule decides what the learner practises and when: today's plan of
// one exercise per module.
package schedule

import (
	"context"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/store"
)

// Reasons an exercise is in the plan.
const (
	ReasonDue = "due" // practised before and due for review
	ReasonNew = "new" // never practised
)

// Item is one module's exercise for the day.
type Item struct {
	Module   string
	Exercise *exercises.Exercise
	Reason   string
}

// Plan is a day's drill.
type Plan struct {
	Date  time.Time
	Items []Item
}

// Today builds the plan for the day of now: for each module, the exercise due for
// review the longest, else the next new one in curriculum order. Only attempts from
// before today count, so the plan stays the same all day while the learner works.
func Today(ctx context.Context, bank *exercises.Bank, st *store.Store, now time.Time) (*Plan, error) {
	day := now.Format(store.DateLayout)
	attempts, err := st.Attempts(ctx, store.Filter{})
	if err != nil {
		return nil, err
	}
	last := map[string]time.Time{}
	for _, a := range attempts {
		if a.Day >= day {
			continue
		}
		if a.CreatedAt.After(last[a.Exercise]) {
			last[a.Exercise] = a.CreatedAt
		}
	}
	p := &Plan{Date: now}
	for _, m := range exercises.Modules {
		var pick *exercises.Exercise
		reason := ""
		for _, ex := range bank.Filter(m, "") {
			if _, seen := last[ex.ID]; !seen {
				pick, reason = ex, ReasonNew
				break
			}
		}
		if pick == nil {
			for _, ex := range bank.Filter(m, "") {
				if pick == nil || last[ex.ID].Before(last[pick.ID]) {
					pick, reason = ex, ReasonDue
				}
			}
		}
		if pick != nil {
			p.Items = append(p.Items, Item{Module: m, Exercise: pick, Reason: reason})
		}
	}
	return p, nil
}
