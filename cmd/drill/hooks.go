package main

import (
	"context"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// afterAttempt is what runs after every stored attempt in the TUI, as in
// `drill answer`: the review scheduler's update of that task.
func afterAttempt(st *store.Store, cfg *config.Config) func(ctx context.Context, a *store.Attempt) error {
	return func(ctx context.Context, a *store.Attempt) error {
		_, err := schedule.Review(ctx, st, a, a.CreatedAt, cfg.DesiredRetention)
		return err
	}
}
