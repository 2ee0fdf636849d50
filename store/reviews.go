package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Review is the spaced-repetition state of one task. The scheduler computes it;
// the store only keeps it.
type Review struct {
	Exercise   string    `json:"exercise"`
	Task       string    `json:"task"`
	Stability  float64   `json:"stability"`
	Difficulty float64   `json:"difficulty"`
	Due        time.Time `json:"due"`
	LastReview time.Time `json:"last_review"`
	Reps       int       `json:"reps"`
	Lapses     int       `json:"lapses"`
	State      int       `json:"state"`
}

const reviewCols = `exercise, task, stability, difficulty, due, last_review, reps, lapses, state`

type scanner interface{ Scan(dest ...any) error }

func scanReview(sc scanner) (Review, error) {
	var r Review
	var due, last string
	if err := sc.Scan(&r.Exercise, &r.Task, &r.Stability, &r.Difficulty, &due, &last, &r.Reps, &r.Lapses, &r.State); err != nil {
		return r, err
	}
	var err error
	if r.Due, err = time.Parse(time.RFC3339Nano, due); err != nil {
		return r, fmt.Errorf("store: review %s/%s due: %w", r.Exercise, r.Task, err)
	}
	if r.LastReview, err = time.Parse(time.RFC3339Nano, last); err != nil {
		return r, fmt.Errorf("store: review %s/%s last review: %w", r.Exercise, r.Task, err)
	}
	return r, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// maxTime is the last instant the stored RFC 3339 text can hold: a due date in
// year 10000 would be written but could never be read back.
var maxTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

func putReview(ctx context.Context, ex execer, r Review) error {
	if r.Due.After(maxTime) || r.LastReview.After(maxTime) {
		return fmt.Errorf("store: review %s/%s: due %s is past year 9999", r.Exercise, r.Task, r.Due.UTC().Format(DateLayout))
	}
	_, err := ex.ExecContext(ctx, `INSERT INTO reviews (`+reviewCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(exercise, task) DO UPDATE SET stability = excluded.stability, difficulty = excluded.difficulty,
		due = excluded.due, last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses,
		state = excluded.state`,
		r.Exercise, r.Task, r.Stability, r.Difficulty, r.Due.UTC().Format(time.RFC3339Nano),
		r.LastReview.UTC().Format(time.RFC3339Nano), r.Reps, r.Lapses, r.State)
	if err != nil {
		return fmt.Errorf("store: save review %s/%s: %w", r.Exercise, r.Task, err)
	}
	return nil
}

// Reviews returns the state of every task practised, soonest due first.
func (s *Store) Reviews(ctx context.Context) ([]Review, error) {
	return queryAll(ctx, s.db, "reviews", scanReview, `SELECT `+reviewCols+` FROM reviews ORDER BY due, exercise, task`)
}

// GetReview returns one task's state, or an error wrapping ErrNotFound when the
// task was never reviewed.
func (s *Store) GetReview(ctx context.Context, exercise, task string) (Review, error) {
	r, err := scanReview(s.db.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM reviews WHERE exercise = ? AND task = ?`, exercise, task))
	if errors.Is(err, sql.ErrNoRows) {
		return Review{Exercise: exercise, Task: task}, fmt.Errorf("store: review %s/%s: %w", exercise, task, ErrNotFound)
	}
	return r, err
}

// UpdateReview reads a task's state, lets next compute the new one and saves it,
// in one write transaction, so the TUI and a CLI command reviewing the same task
// at once cannot lose one of the two updates. found is false for a task never
// reviewed; prev then carries only its exercise and task.
func (s *Store) UpdateReview(ctx context.Context, exercise, task string, next func(prev Review, found bool) Review) (Review, error) {
	if err := s.writeCheck(); err != nil {
		return Review{}, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Review{}, fmt.Errorf("store: update review: %w", err)
	}
	defer tx.Rollback()
	r, err := updateReview(ctx, tx, exercise, task, next)
	if err != nil {
		return Review{}, err
	}
	return r, tx.Commit()
}

// updateReview is UpdateReview inside the caller's transaction.
func updateReview(ctx context.Context, tx *sql.Tx, exercise, task string, next func(prev Review, found bool) Review) (Review, error) {
	prev, err := scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM reviews WHERE exercise = ? AND task = ?`, exercise, task))
	found := true
	if errors.Is(err, sql.ErrNoRows) {
		prev, found = Review{Exercise: exercise, Task: task}, false
	} else if err != nil {
		return Review{}, fmt.Errorf("store: update review: %w", err)
	}
	r := next(prev, found)
	r.Exercise, r.Task = exercise, task
	if err := putReview(ctx, tx, r); err != nil {
		return Review{}, err
	}
	return r, nil
}

// ReplaceReviews swaps the whole review table for rs in one transaction; the
// scheduler uses it after replaying the history (an import, or a database from
// before reviews were kept).
func (s *Store) ReplaceReviews(ctx context.Context, rs []Review) error {
	if err := s.writeCheck(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: replace reviews: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM reviews`); err != nil {
		return fmt.Errorf("store: replace reviews: %w", err)
	}
	for _, r := range rs {
		if err := putReview(ctx, tx, r); err != nil {
			return err
		}
	}
	return tx.Commit()
}
