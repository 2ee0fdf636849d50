package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Regrade replaces an attempt's score, coverage and points after the learner
// claimed a missed point, and re-derives the review state of the attempt's task,
// in one transaction: the stored grade and the schedule never disagree. review
// gets every attempt of that task, the changed one included, oldest first, and
// returns the task's new state (the scheduler replays them). An unknown id
// returns an error wrapping ErrNotFound.
func (s *Store) Regrade(ctx context.Context, id int64, score, coverage int, points []Point, review func([]Attempt) Review) error {
	if points == nil {
		points = []Point{}
	}
	js, err := json.Marshal(points)
	if err != nil {
		return fmt.Errorf("store: regrade attempt %d: %w", id, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: regrade attempt %d: %w", id, err)
	}
	defer tx.Rollback()
	var exercise, task string
	err = tx.QueryRowContext(ctx, `UPDATE attempts SET score = ?, coverage = ?, points = ? WHERE id = ? RETURNING exercise, task`,
		score, coverage, string(js), id).Scan(&exercise, &task)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: attempt %d: %w", id, ErrNotFound)
		}
		return fmt.Errorf("store: regrade attempt %d: %w", id, err)
	}
	as, err := queryAll(ctx, tx, fmt.Sprintf("regrade attempt %d", id), func(sc scanner) (Attempt, error) {
		a := Attempt{Exercise: exercise, Task: task}
		var created string
		if err := sc.Scan(&a.ID, &a.Score, &a.ElapsedMS, &created); err != nil {
			return a, err
		}
		var err error
		a.CreatedAt, err = time.Parse(time.RFC3339Nano, created)
		return a, err
	}, `SELECT id, score, elapsed_ms, created_at FROM attempts
		WHERE exercise = ? AND task = ? ORDER BY created_at, id`, exercise, task)
	if err != nil {
		return err
	}
	r := review(as)
	r.Exercise, r.Task = exercise, task
	if err := putReview(ctx, tx, r); err != nil {
		return err
	}
	return tx.Commit()
}
