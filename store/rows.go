package store

import (
	"context"
	"database/sql"
	"fmt"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAll runs query and turns each row into a T with scan, so every list
// query closes its rows and checks their error the same way. what names the
// query in errors.
func queryAll[T any](ctx context.Context, q querier, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// scanInto returns a scan function that fills a new T through the pointers
// fields gives for it, for rows that need no decoding.
func scanInto[T any](fields func(*T) []any) func(scanner) (T, error) {
	return func(r scanner) (T, error) {
		var v T
		err := r.Scan(fields(&v)...)
		return v, err
	}
}
