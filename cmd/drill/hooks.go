package main

import (
	"context"

	"github.com/drill-coach/drill/store"
)

// afterAttempt is what runs after every stored attempt, from `drill answer` and the
// TUI alike: the review scheduler's update.
func afterAttempt(env *Env) func(ctx context.Context, a *store.Attempt) error {
	return nil
}
