package store

import (
	"bytes"
	"context"
	"database/sql"
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

// TaskDays returns each (day, exercise, task) answered at least once, by day,
// module, exercise and task.
func (s *Store) TaskDays(ctx context.Context) ([]TaskDay, error) {
	// Not queryAll: each row's RawBytes is split in place before the next row
	// overwrites it. One row per day with one column: the cgo driver pays per
	// row and per column read, and over years of daily attempts that, not SQLite, is the cost
	// of this query. Tabs and newlines cannot occur in days, modules or ids.
	rows, err := s.db.QueryContext(ctx, `SELECT day, group_concat(module || char(9) || exercise || char(9) || task, char(10)
		ORDER BY module, exercise, task) FROM attempts GROUP BY day ORDER BY day`)
	if err != nil {
		return nil, fmt.Errorf("store: task days: %w", err)
	}
	defer rows.Close()
	var out []TaskDay
	seen := map[string]string{} // interned strings: the same few ids repeat for years
	intern := func(b []byte) string {
		if v, ok := seen[string(b)]; ok {
			return v
		}
		v := string(b)
		seen[v] = v
		return v
	}
	var day string
	var raw sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&day, &raw); err != nil {
			return nil, err
		}
		for len(raw) > 0 {
			line := raw
			if i := bytes.IndexByte(raw, '\n'); i >= 0 {
				line, raw = raw[:i], raw[i+1:]
			} else {
				raw = nil
			}
			f := bytes.SplitN(line, []byte{'\t'}, 3)
			if len(f) != 3 {
				return nil, fmt.Errorf("store: task days: malformed entry %q on %s", line, day)
			}
			d := TaskDay{Day: day, Module: intern(f[0]), Exercise: intern(f[1]), Task: intern(f[2])}
			// Entries arrive sorted, so a task answered twice that day repeats the
			// previous entry; dropping it here is cheaper than DISTINCT in SQL.
			if n := len(out); n > 0 && out[n-1] == d {
				continue
			}
			out = append(out, d)
		}
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
	return queryAll(ctx, s.db, "scores by day",
		scanInto(func(d *DayScore) []any { return []any{&d.Day, &d.Module, &d.Average, &d.Attempts} }),
		`SELECT day, module, avg(score), count(*) FROM attempts
		WHERE day >= ? GROUP BY day, module ORDER BY day, module`, sinceDay)
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
	return queryAll(ctx, s.db, "point stats",
		scanInto(func(p *PointStat) []any { return []any{&p.Point, &p.Seen, &p.Missed, &p.LastMissed} }),
		`SELECT json_extract(j.value, '$.id') AS point, count(*),
			sum(CASE WHEN json_extract(j.value, '$.hit') THEN 0 ELSE 1 END),
			coalesce(max(CASE WHEN json_extract(j.value, '$.hit') THEN NULL ELSE a.day END), '')
		FROM attempts a, json_each(a.points) j
		WHERE a.day >= ? AND point IS NOT NULL
		GROUP BY point ORDER BY 3 DESC, point`, sinceDay)
}

// Totals sums the whole history.
type Totals struct {
	Attempts int   `json:"attempts"`
	Seconds  int64 `json:"seconds"`
	Days     int   `json:"days"`
}

// Totals counts attempts, seconds spent (answering and reading the feedback)
// and days with practice. It reads the per-day sums kept with every attempt
// rather than scanning the attempts (answers and all).
func (s *Store) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(sum(attempts), 0), coalesce(sum(seconds), 0), count(*)
		FROM practice_days WHERE attempts > 0`).Scan(&t.Attempts, &t.Seconds, &t.Days)
	if err != nil {
		return t, fmt.Errorf("store: totals: %w", err)
	}
	return t, nil
}

// ExerciseSpan is the first and last day an exercise was answered.
type ExerciseSpan struct {
	First string
	Last  string
}

// ExerciseSpans returns, per exercise ever answered, its first and last day.
func (s *Store) ExerciseSpans(ctx context.Context) (map[string]ExerciseSpan, error) {
	type row struct {
		exercise string
		span     ExerciseSpan
	}
	rows, err := queryAll(ctx, s.db, "exercise spans",
		scanInto(func(r *row) []any { return []any{&r.exercise, &r.span.First, &r.span.Last} }),
		`SELECT exercise, min(day), max(day) FROM attempts GROUP BY exercise`)
	out := make(map[string]ExerciseSpan, len(rows))
	for _, r := range rows {
		out[r.exercise] = r.span
	}
	return out, err
}
