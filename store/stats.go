package store

import (
	"context"
	"fmt"
)

// The queries behind `drill stats`. Each returns aggregates computed by SQLite,
// so years of history never have to be loaded as attempts (answers and all).

// TaskDay says a task was answered on a day.
type TaskDay struct {
	Day      string
	Module   string
	Exercise string
	Task     string
}

// TaskDays returns each (day, exercise, task) answered at least once, by day.
func (s *Store) TaskDays(ctx context.Context) ([]TaskDay, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT day, module, exercise, task FROM attempts ORDER BY day, module, exercise, task`)
	if err != nil {
		return nil, fmt.Errorf("store: task days: %w", err)
	}
	defer rows.Close()
	var out []TaskDay
	for rows.Next() {
		var d TaskDay
		if err := rows.Scan(&d.Day, &d.Module, &d.Exercise, &d.Task); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DayScore is a module's average score on one day.
type DayScore struct {
	Day      string  `json:"day"`
	Module   string  `json:"module"`
	Average  float64 `json:"average"`
	Attempts int     `json:"attempts"`
}

// ScoresByDay returns each module's daily average score from sinceDay
// (YYYY-MM-DD, inclusive; "" for all), oldest first.
func (s *Store) ScoresByDay(ctx context.Context, sinceDay string) ([]DayScore, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT day, module, avg(score), count(*) FROM attempts
		WHERE day >= ? GROUP BY day, module ORDER BY day, module`, sinceDay)
	if err != nil {
		return nil, fmt.Errorf("store: scores by day: %w", err)
	}
	defer rows.Close()
	var out []DayScore
	for rows.Next() {
		var d DayScore
		if err := rows.Scan(&d.Day, &d.Module, &d.Average, &d.Attempts); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PointStat counts how often a rubric point id was graded and missed.
type PointStat struct {
	Point  string
	Seen   int
	Missed int
	// LastMissed is the latest day it was missed, "" if never.
	LastMissed string
}

// PointStats counts, per rubric point id, the attempts from sinceDay
// (inclusive) that graded it and those that missed it, most missed first.
func (s *Store) PointStats(ctx context.Context, sinceDay string) ([]PointStat, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT json_extract(j.value, '$.id') AS point, count(*),
			sum(CASE WHEN json_extract(j.value, '$.hit') THEN 0 ELSE 1 END),
			coalesce(max(CASE WHEN json_extract(j.value, '$.hit') THEN NULL ELSE a.day END), '')
		FROM attempts a, json_each(a.points) j
		WHERE a.day >= ? AND point IS NOT NULL
		GROUP BY point ORDER BY 3 DESC, point`, sinceDay)
	if err != nil {
		return nil, fmt.Errorf("store: point stats: %w", err)
	}
	defer rows.Close()
	var out []PointStat
	for rows.Next() {
		var p PointStat
		if err := rows.Scan(&p.Point, &p.Seen, &p.Missed, &p.LastMissed); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Totals sums the whole history.
type Totals struct {
	Attempts  int   `json:"attempts"`
	ElapsedMS int64 `json:"elapsed_ms"`
	Days      int   `json:"days"`
}

// Totals counts attempts, time spent answering and days with practice.
func (s *Store) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(elapsed_ms), 0), count(DISTINCT day) FROM attempts`).
		Scan(&t.Attempts, &t.ElapsedMS, &t.Days)
	if err != nil {
		return t, fmt.Errorf("store: totals: %w", err)
	}
	return t, nil
}
