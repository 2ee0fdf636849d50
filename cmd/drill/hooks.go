package main

import (
	"context"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// recordAttempt is how the TUI stores a graded attempt, as `drill answer` does:
// the attempt and its task's new review state in one transaction, so a crash
// between the two can never leave the history and the schedule disagreeing.
func recordAttempt(st *store.Store, cfg *config.Config) func(ctx context.Context, a *store.Attempt) error {
	return func(ctx context.Context, a *store.Attempt) error {
		_, err := schedule.Record(ctx, st, a, cfg.DesiredRetention)
		return err
	}
}
