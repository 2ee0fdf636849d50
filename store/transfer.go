package store

import (
	"context"
	"fmt"
	"time"
)

// ImportAttempts adds attempts from an export, in one transaction, and returns
// how many were new. An attempt is the same as one already stored when exercise,
// task and creation time (to the nanosecond) match, so importing a file twice, or
// an export of this same database, adds nothing. IDs are not kept: the database
// assigns its own. Unlike RecordAttempt it leaves drafts alone, because an old
// attempt says nothing about what the learner is typing now.
func (s *Store) ImportAttempts(ctx context.Context, as []Attempt) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: import: %w", err)
	}
	defer tx.Rollback()
	exists, err := tx.PrepareContext(ctx, `SELECT count(*) FROM attempts WHERE exercise = ? AND task = ? AND created_at = ?`)
	if err != nil {
		return 0, fmt.Errorf("store: import: %w", err)
	}
	defer exists.Close()
	added := 0
	for i, a := range as {
		if a.Exercise == "" || a.Task == "" {
			return 0, fmt.Errorf("store: import: attempt %d has no exercise or task", i+1)
		}
		if a.Score < 0 || a.Score > 100 {
			return 0, fmt.Errorf("store: import: attempt %d (%s/%s) has score %d outside 0..100", i+1, a.Exercise, a.Task, a.Score)
		}
		if a.CreatedAt.IsZero() {
			return 0, fmt.Errorf("store: import: attempt %d (%s/%s) has no created_at", i+1, a.Exercise, a.Task)
		}
		created := a.CreatedAt.UTC().Format(time.RFC3339Nano)
		var n int
		if err := exists.QueryRowContext(ctx, a.Exercise, a.Task, created).Scan(&n); err != nil {
			return 0, fmt.Errorf("store: import: %w", err)
		}
		if n > 0 {
			continue
		}
		if err := insertAttempt(ctx, tx, &a); err != nil {
			return 0, fmt.Errorf("store: import attempt %d: %w", i+1, err)
		}
		added++
	}
	return added, tx.Commit()
}
