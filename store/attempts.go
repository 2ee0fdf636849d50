package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DateLayout is how days are written: the learner's local calendar date.
const DateLayout = "2006-01-02"

// Point is one rubric point's outcome as stored with an attempt.
type Point struct {
	ID       string `json:"id"`
	Hit      bool   `json:"hit"`
	Evidence string `json:"evidence"`
	// Status is hit, missed, contradicted or claimed (self-assessed); empty in
	// attempts recorded before statuses existed.
	Status string `json:"status,omitempty"`
	// Source says who decided a status other than the offline grader: llm, self.
	Source string `json:"source,omitempty"`
}

// Attempt is one graded answer.
type Attempt struct {
	ID        int64     `json:"id"`
	Exercise  string    `json:"exercise"`
	Task      string    `json:"task"`
	Module    string    `json:"module"`
	Answer    string    `json:"answer"`
	Score     int       `json:"score"`
	Coverage  int       `json:"coverage"`
	Points    []Point   `json:"points"`
	Flags     []string  `json:"flags"`
	ElapsedMS int64     `json:"elapsed_ms"`
	CreatedAt time.Time `json:"created_at"`
	Day       string    `json:"day"`
	Polished  string    `json:"polished,omitempty"`
}

// RecordAttempt stores a graded answer, counts it towards its practice day and
// clears the task's draft, all in one transaction. CreatedAt and Day default to now.
func (s *Store) RecordAttempt(ctx context.Context, a *Attempt) error {
	_, err := s.RecordAttemptReview(ctx, a, nil)
	return err
}

// RecordAttemptReview is RecordAttempt that also updates the task's review state
// in the same transaction: next receives the state before this attempt (found
// is false for a task never reviewed) and returns the new one. Either both the
// attempt and its schedule are saved or neither is. A nil next skips the review.
func (s *Store) RecordAttemptReview(ctx context.Context, a *Attempt, next func(prev Review, found bool) Review) (Review, error) {
	if a.Exercise == "" || a.Task == "" {
		return Review{}, errors.New("store: attempt without exercise or task")
	}
	if err := s.writeCheck(); err != nil {
		return Review{}, err
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.Now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Review{}, fmt.Errorf("store: record attempt: %w", err)
	}
	defer tx.Rollback()
	if err := insertAttempt(ctx, tx, a); err != nil {
		return Review{}, fmt.Errorf("store: record attempt: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE exercise = ? AND task = ?`, a.Exercise, a.Task); err != nil {
		return Review{}, fmt.Errorf("store: record attempt: %w", err)
	}
	var r Review
	if next != nil {
		if r, err = updateReview(ctx, tx, a.Exercise, a.Task, next); err != nil {
			return Review{}, err
		}
	}
	return r, tx.Commit()
}

// insertAttempt adds one attempt and counts it towards its practice day; the
// caller owns the transaction. It fills in Day, empty Points and Flags, and ID.
func insertAttempt(ctx context.Context, tx *sql.Tx, a *Attempt) error {
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
	res, err := tx.ExecContext(ctx, `INSERT INTO attempts
		(exercise, task, module, answer, score, coverage, points, flags, elapsed_ms, created_at, day, polished)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Exercise, a.Task, a.Module, a.Answer, a.Score, a.Coverage, string(points), string(flags),
		a.ElapsedMS, a.CreatedAt.UTC().Format(time.RFC3339Nano), a.Day, a.Polished)
	if err != nil {
		return err
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO practice_days (day, seconds, attempts) VALUES (?, ?, 1)
		ON CONFLICT(day) DO UPDATE SET seconds = seconds + excluded.seconds, attempts = attempts + 1`,
		a.Day, a.ElapsedMS/1000)
	return err
}

// SetPolished stores the accepted polished version of an attempt's answer.
func (s *Store) SetPolished(ctx context.Context, id int64, polished string) error {
	if err := s.writeCheck(); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE attempts SET polished = ? WHERE id = ?`, polished, id)
	if err != nil {
		return fmt.Errorf("store: set polished: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: attempt %d: %w", id, ErrNotFound)
	}
	return nil
}

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("not found")

// Filter selects attempts; zero fields match everything.
type Filter struct {
	Module   string
	Exercise string
	Task     string
	Since    time.Time
	Limit    int
}

// Attempts returns matching attempts, oldest first.
func (s *Store) Attempts(ctx context.Context, f Filter) ([]Attempt, error) {
	var where []string
	var args []any
	if f.Module != "" {
		where, args = append(where, "module = ?"), append(args, f.Module)
	}
	if f.Exercise != "" {
		where, args = append(where, "exercise = ?"), append(args, f.Exercise)
	}
	if f.Task != "" {
		where, args = append(where, "task = ?"), append(args, f.Task)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, f.Since.UTC().Format(time.RFC3339Nano))
	}
	q := `SELECT id, exercise, task, module, answer, score, coverage, points, flags, elapsed_ms, created_at, day, polished FROM attempts`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at, id"
	if f.Limit > 0 {
		q = "SELECT * FROM (" + strings.Replace(q, "ORDER BY created_at, id", "ORDER BY created_at DESC, id DESC", 1) +
			fmt.Sprintf(" LIMIT %d) ORDER BY created_at, id", f.Limit)
	}
	return queryAll(ctx, s.db, "attempts", scanAttempt, q, args...)
}

func scanAttempt(sc scanner) (Attempt, error) {
	var a Attempt
	var points, flags, created string
	if err := sc.Scan(&a.ID, &a.Exercise, &a.Task, &a.Module, &a.Answer, &a.Score, &a.Coverage,
		&points, &flags, &a.ElapsedMS, &created, &a.Day, &a.Polished); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(points), &a.Points); err != nil {
		return a, fmt.Errorf("attempt %d points: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(flags), &a.Flags); err != nil {
		return a, fmt.Errorf("attempt %d flags: %w", a.ID, err)
	}
	var err error
	if a.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return a, fmt.Errorf("attempt %d time: %w", a.ID, err)
	}
	return a, nil
}

// Draft is an unsubmitted answer.
type Draft struct {
	Exercise  string
	Task      string
	Body      string
	ElapsedMS int64
	UpdatedAt time.Time
}

// SaveDraft stores the current text of a task's answer, replacing the last one.
func (s *Store) SaveDraft(ctx context.Context, d Draft) error {
	if err := s.writeCheck(); err != nil {
		return err
	}
	if d.UpdatedAt.IsZero() {
		d.UpdatedAt = s.Now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO drafts (exercise, task, body, elapsed_ms, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(exercise, task) DO UPDATE SET body = excluded.body, elapsed_ms = excluded.elapsed_ms, updated_at = excluded.updated_at`,
		d.Exercise, d.Task, d.Body, d.ElapsedMS, d.UpdatedAt.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("store: save draft: %w", err)
	}
	return nil
}

// GetDraft returns the task's draft, or ErrNotFound.
func (s *Store) GetDraft(ctx context.Context, exercise, task string) (Draft, error) {
	d := Draft{Exercise: exercise, Task: task}
	var updated string
	err := s.db.QueryRowContext(ctx, `SELECT body, elapsed_ms, updated_at FROM drafts WHERE exercise = ? AND task = ?`,
		exercise, task).Scan(&d.Body, &d.ElapsedMS, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("store: draft %s/%s: %w", exercise, task, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("store: draft: %w", err)
	}
	d.UpdatedAt, _ = time.Parse(time.RFC3339Nano, updated)
	return d, nil
}

// DeleteDraft removes a task's draft.
func (s *Store) DeleteDraft(ctx context.Context, exercise, task string) error {
	if err := s.writeCheck(); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM drafts WHERE exercise = ? AND task = ?`, exercise, task)
	return err
}

// AddPracticeTime adds d to the time spent on day (DateLayout) without counting
// an attempt: reading an answer's feedback is practice too. Like an attempt's
// elapsed time, it is kept in whole seconds.
func (s *Store) AddPracticeTime(ctx context.Context, day string, d time.Duration) error {
	if err := s.writeCheck(); err != nil {
		return err
	}
	if _, err := time.Parse(DateLayout, day); err != nil {
		return fmt.Errorf("store: practice time: day %q is not a date like %s: %w", day, DateLayout, ErrOutOfRange)
	}
	if d < 0 {
		return fmt.Errorf("store: practice time: negative duration %v: %w", d, ErrOutOfRange)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO practice_days (day, seconds, attempts) VALUES (?, ?, 0)
		ON CONFLICT(day) DO UPDATE SET seconds = seconds + excluded.seconds`, day, int64(d/time.Second))
	if err != nil {
		return fmt.Errorf("store: practice time: %w", err)
	}
	return nil
}

// PracticeDay returns the time spent and the attempts of one day (DateLayout);
// a day without practice is zero.
func (s *Store) PracticeDay(ctx context.Context, day string) (Day, error) {
	d := Day{Day: day}
	err := s.db.QueryRowContext(ctx, `SELECT seconds, attempts FROM practice_days WHERE day = ?`, day).Scan(&d.Seconds, &d.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("store: practice day %s: %w", day, err)
	}
	return d, nil
}

// Day is one day of practice.
type Day struct {
	Day      string `json:"day"`
	Seconds  int64  `json:"seconds"`
	Attempts int    `json:"attempts"`
}

// Days returns every practice day, oldest first.
func (s *Store) Days(ctx context.Context) ([]Day, error) {
	return queryAll(ctx, s.db, "days", scanInto(func(d *Day) []any { return []any{&d.Day, &d.Seconds, &d.Attempts} }),
		`SELECT day, seconds, attempts FROM practice_days ORDER BY day`)
}
