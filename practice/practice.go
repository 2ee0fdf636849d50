// Package practice is what practising does, once, for both front ends (the
// commands and the full-screen drill): record a graded attempt with its review
// state, regrade after a claim, build today's plan, and say how the day stands
// (best scores, the last answer of each task, time spent, the streak).
package practice

import (
	"context"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// Service binds the bank, the store, the clock and the scheduler's retention.
type Service struct {
	Bank  *exercises.Bank
	Store *store.Store
	Now   func() time.Time
	// Retention is the desired retention; schedule.DefaultRetention when 0.
	Retention float64
}

func (s *Service) retention() float64 {
	if s.Retention <= 0 {
		return schedule.DefaultRetention
	}
	return s.Retention
}

func (s *Service) opts() schedule.Options { return schedule.Options{Retention: s.retention()} }

// Record stores a graded attempt and its task's new review state in one
// transaction, so the history and the schedule never disagree.
func (s *Service) Record(ctx context.Context, a *store.Attempt) error {
	_, err := schedule.Record(ctx, s.Store, a, s.retention())
	return err
}

// Regrade stores a recorded attempt's new grade (after a claim) and re-derives
// its task's review state.
func (s *Service) Regrade(ctx context.Context, a *store.Attempt) error {
	return schedule.Regrade(ctx, s.Store, a, s.retention())
}

// Import adds attempts from an export, skipping those already present, and
// re-derives the review schedule from the whole history at the configured
// retention. It returns how many were added.
func (s *Service) Import(ctx context.Context, as []store.Attempt) (int, error) {
	added, err := s.Store.ImportAttempts(ctx, as)
	if err != nil || added == 0 {
		return added, err
	}
	return added, schedule.Rebuild(ctx, s.Store, s.retention())
}

// Plan is the plan of the day that holds at.
func (s *Service) Plan(ctx context.Context, at time.Time) (*schedule.Plan, error) {
	return schedule.TodayWith(ctx, s.Bank, s.Store, at, s.opts())
}

// Stats is the progress page's data at now.
func (s *Service) Stats(ctx context.Context) (*schedule.Stats, error) {
	return schedule.ComputeStats(ctx, s.Bank, s.Store, s.Now(), s.opts())
}

// Key names a task in Day's maps: "exercise/task".
func Key(exercise, task string) string { return exercise + "/" + task }

// Day is how the learner's day stands.
type Day struct {
	Now  time.Time
	Plan *schedule.Plan
	// Best is each task's best score today; Last its latest attempt today.
	Best map[string]int
	Last map[string]*store.Attempt
	// Spent is the time spent today, as stats counts it: answering, and
	// reading the feedback in the full-screen drill.
	Spent time.Duration
	// Streak is schedule.Streak, the one `drill stats` shows.
	Streak int
}

// Today reads the plan and how the day stands, on the learner's local calendar.
func (s *Service) Today(ctx context.Context) (*Day, error) {
	now := s.Now()
	plan, err := s.Plan(ctx, now)
	if err != nil {
		return nil, err
	}
	d := &Day{Now: now, Plan: plan, Best: map[string]int{}, Last: map[string]*store.Attempt{}}
	today := now.Local().Format(store.DateLayout)
	// A local day is at most 26 hours long, so 48 hours back covers it.
	atts, err := s.Store.Attempts(ctx, store.Filter{Since: now.Add(-48 * time.Hour)})
	if err != nil {
		return nil, err
	}
	for i, a := range atts {
		if a.Day != today {
			continue
		}
		k := Key(a.Exercise, a.Task)
		if best, ok := d.Best[k]; !ok || a.Score > best {
			d.Best[k] = a.Score
		}
		d.Last[k] = &atts[i] // oldest first: the last one wins
	}
	pd, err := s.Store.PracticeDay(ctx, today)
	if err != nil {
		return nil, err
	}
	d.Spent = time.Duration(pd.Seconds) * time.Second
	if d.Streak, _, err = schedule.Streak(ctx, s.Bank, s.Store, now); err != nil {
		return nil, err
	}
	return d, nil
}

// Tomorrow is what comes back tomorrow if nothing else is done today.
func (s *Service) Tomorrow(ctx context.Context) (*schedule.Plan, error) {
	return s.Plan(ctx, s.Now().AddDate(0, 0, 1))
}
