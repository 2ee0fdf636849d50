package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Dates an imported attempt may carry: nothing before drill's time, nothing
// from the future beyond a clock difference between two machines. A date far
// in the future would schedule a review past year 9999, which cannot be stored.
const MaxClockSkew = time.Hour

var earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// ErrOutOfRange marks an imported value outside what drill can hold.
var ErrOutOfRange = errors.New("value out of range")

// ImportAttempts adds attempts from an export, in one transaction, and returns
// how many were new. An attempt is the same as one already stored when exercise,
// task and creation time (to the nanosecond) match, so importing a file twice, or
// an export of this same database, adds nothing. IDs are not kept: the database
// assigns its own. Unlike RecordAttempt it leaves drafts alone, because an old
// attempt says nothing about what the learner is typing now.
func (s *Store) ImportAttempts(ctx context.Context, as []Attempt) (int, error) {
	if err := s.writeCheck(); err != nil {
		return 0, err
	}
	latest := s.Now().Add(MaxClockSkew)
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
		if a.CreatedAt.Before(earliest) || a.CreatedAt.After(latest) {
			return 0, fmt.Errorf("store: import: attempt %d (%s/%s) is dated %s, outside %s .. now: %w",
				i+1, a.Exercise, a.Task, a.CreatedAt.UTC().Format(time.RFC3339), earliest.Format(DateLayout), ErrOutOfRange)
		}
		if a.ElapsedMS < 0 {
			return 0, fmt.Errorf("store: import: attempt %d (%s/%s) has negative elapsed_ms %d: %w", i+1, a.Exercise, a.Task, a.ElapsedMS, ErrOutOfRange)
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
