package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sub", "drill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationsRecordedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "drill.db")
	for i := 0; i < 2; i++ {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		names, err := s.Migrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(names) == 0 || names[0] != "migrations/0001_init.sql" {
			t.Fatalf("migrations = %v", names)
		}
		var mode string
		if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
		}
		s.Close()
	}
}

func TestRecordAttemptRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2026, 11, 25, 8, 45, 0, 0, time.Local)
	s.Now = func() time.Time { return now }
	if err := s.SaveDraft(ctx, Draft{Exercise: "ex", Task: "t1", Body: "half an answer 中文"}); err != nil {
		t.Fatal(err)
	}
	a := &Attempt{Exercise: "ex", Task: "t1", Module: "debug", Answer: "GC ran before commit 中文", Score: 72,
		Points: []Point{{ID: "gc", Hit: true, Evidence: "GC ran before commit"}}, Flags: []string{"non-english"}, ElapsedMS: 31000}
	if err := s.RecordAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Day != "2026-11-25" {
		t.Fatalf("id %d day %q", a.ID, a.Day)
	}
	got, err := s.Attempts(ctx, Filter{Module: "debug"})
	if err != nil || len(got) != 1 {
		t.Fatalf("attempts = %v, %v", got, err)
	}
	g := got[0]
	if g.Answer != a.Answer || g.Score != 72 || !g.Points[0].Hit || g.Points[0].Evidence != "GC ran before commit" ||
		g.Flags[0] != "non-english" || g.ElapsedMS != 31000 || !g.CreatedAt.Equal(now) {
		t.Fatalf("round trip lost data: %+v", g)
	}
	if _, err := s.GetDraft(ctx, "ex", "t1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("draft after submit: %v, want ErrNotFound", err)
	}
	days, err := s.Days(ctx)
	if err != nil || len(days) != 1 || days[0].Seconds != 31 || days[0].Attempts != 1 {
		t.Fatalf("days = %+v, %v", days, err)
	}
	if other, _ := s.Attempts(ctx, Filter{Module: "review"}); len(other) != 0 {
		t.Fatalf("filter leaked %d attempts", len(other))
	}
}

func TestDraftsReplaceAndSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "drill.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"first", "second 写"} {
		if err := s.SaveDraft(ctx, Draft{Exercise: "ex", Task: "t", Body: body, ElapsedMS: 1200}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.GetDraft(ctx, "ex", "t")
	if err != nil || d.Body != "second 写" || d.ElapsedMS != 1200 {
		t.Fatalf("draft = %+v, %v", d, err)
	}
}

// Concurrent writers (the TUI's autosave and a CLI command) must wait on each
// other, never fail with "database is locked".
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "drill.db")
	inParallel(t, path, 4, func(s *Store) error {
		for j := 0; j < 25; j++ {
			if err := s.RecordAttempt(ctx, &Attempt{Exercise: "e", Task: "t", Module: "debug", Answer: "a", Score: j}); err != nil {
				return err
			}
		}
		return nil
	})
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	all, err := s2.Attempts(ctx, Filter{})
	if err != nil || len(all) != 100 {
		t.Fatalf("got %d attempts, %v; want 100", len(all), err)
	}
	last, _ := s2.Attempts(ctx, Filter{Limit: 3})
	if len(last) != 3 || last[2].ID != all[99].ID {
		t.Fatalf("limit returned %+v", last)
	}
}

// inParallel runs fn in n goroutines, each with its own Store on path, as
// separate processes would, and fails the test on any error.
func inParallel(t *testing.T, path string, n int, fn func(s *Store) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), path)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			if err := fn(s); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
