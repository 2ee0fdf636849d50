package store

import (
	"context"
	"encoding/json"
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
		if a.Day == "" {
			a.Day = a.CreatedAt.Local().Format(DateLayout)
		}
		if a.Points == nil {
			a.Points = []Point{}
		}
		if a.Flags == nil {
			a.Flags = []string{}
		}
		points, _ := json.Marshal(a.Points)
		flags, _ := json.Marshal(a.Flags)
		if _, err := tx.ExecContext(ctx, `INSERT INTO attempts
			(exercise, task, module, answer, score, coverage, points, flags, elapsed_ms, created_at, day, polished)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.Exercise, a.Task, a.Module, a.Answer, a.Score, a.Coverage, string(points), string(flags),
			a.ElapsedMS, created, a.Day, a.Polished); err != nil {
			return 0, fmt.Errorf("store: import attempt %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_days (day, seconds, attempts) VALUES (?, ?, 1)
			ON CONFLICT(day) DO UPDATE SET seconds = seconds + excluded.seconds, attempts = attempts + 1`,
			a.Day, a.ElapsedMS/1000); err != nil {
			return 0, fmt.Errorf("store: import practice day: %w", err)
		}
		added++
	}
	return added, tx.Commit()
}
