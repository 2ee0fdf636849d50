package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestReviewsUpdateAndReplace(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if _, err := s.GetReview(ctx, "ex", "t"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("GetReview on empty table: %v, want ErrNotFound", err)
	}
	at := time.Date(2026, 11, 2, 8, 0, 0, 123, time.UTC)
	r, err := s.UpdateReview(ctx, "ex", "t", func(prev Review, found bool) Review {
		if found {
			t.Fatalf("found a review that was never saved: %+v", prev)
		}
		return Review{Stability: 3.173, Difficulty: 5.28, LastReview: at, Due: at.AddDate(0, 0, 3), Reps: 1, State: 2}
	})
	if err != nil || r.Exercise != "ex" || r.Task != "t" {
		t.Fatalf("UpdateReview = %+v, %v", r, err)
	}
	got, err := s.GetReview(ctx, "ex", "t")
	if err != nil || got.Stability != 3.173 || !got.LastReview.Equal(at) || !got.Due.Equal(at.AddDate(0, 0, 3)) || got.Reps != 1 || got.State != 2 {
		t.Fatalf("GetReview = %+v, %v", got, err)
	}
	if _, err := s.UpdateReview(ctx, "ex", "t", func(prev Review, found bool) Review {
		if !found || prev.Reps != 1 {
			t.Fatalf("second update saw %+v found=%v", prev, found)
		}
		prev.Reps++
		return prev
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceReviews(ctx, []Review{{Exercise: "a", Task: "x", Due: at, LastReview: at}, {Exercise: "b", Task: "y", Due: at.Add(-time.Hour), LastReview: at}}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Reviews(ctx)
	if err != nil || len(all) != 2 || all[0].Exercise != "b" {
		t.Fatalf("Reviews after replace = %+v, %v (want b first: soonest due)", all, err)
	}
}

// Two processes reviewing one task at once must both count.
func TestUpdateReviewConcurrent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "drill.db")
	// Create the file first: concurrent first-time Opens race on switching the
	// new file to WAL, which is Open's concern and not what this test is about.
	first, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()
	inParallel(t, path, 4, func(s *Store) error {
		for j := 0; j < 10; j++ {
			if _, err := s.UpdateReview(ctx, "e", "t", func(prev Review, _ bool) Review {
				prev.Reps++
				return prev
			}); err != nil {
				return err
			}
		}
		return nil
	})
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.GetReview(ctx, "e", "t")
	if err != nil || r.Reps != 40 {
		t.Fatalf("reps = %d, %v; want 40", r.Reps, err)
	}
}

func TestStatsQueries(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	add := func(day int, module, ex, task string, score int, hits ...bool) {
		a := &Attempt{Exercise: ex, Task: task, Module: module, Answer: "a", Score: score, ElapsedMS: 60000,
			CreatedAt: base.AddDate(0, 0, day), Day: base.AddDate(0, 0, day).Format(DateLayout)}
		for i, h := range hits {
			a.Points = append(a.Points, Point{ID: []string{"symptom", "tone"}[i], Hit: h})
		}
		if err := s.RecordAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	add(0, "debug", "d1", "opening", 40, false, true)
	add(0, "debug", "d1", "opening", 60, false, true)
	add(0, "debug", "d1", "repro", 80, true, false)
	add(1, "review", "r1", "review", 90, false, true)

	days, err := s.TaskDays(ctx)
	if err != nil || len(days) != 3 || days[0] != (TaskDay{"2026-11-02", "debug", "d1", "opening"}) {
		t.Fatalf("TaskDays = %+v, %v", days, err)
	}
	scores, err := s.ScoresByDay(ctx, "2026-11-02")
	if err != nil || len(scores) != 2 || scores[0].Average != 60 || scores[0].Attempts != 3 {
		t.Fatalf("ScoresByDay = %+v, %v", scores, err)
	}
	if later, _ := s.ScoresByDay(ctx, "2026-11-03"); len(later) != 1 || later[0].Module != "review" {
		t.Fatalf("ScoresByDay since a later day = %+v", later)
	}
	points, err := s.PointStats(ctx, "")
	if err != nil || len(points) != 2 {
		t.Fatalf("PointStats = %+v, %v", points, err)
	}
	if p := points[0]; p.Point != "symptom" || p.Seen != 4 || p.Missed != 3 || p.LastMissed != "2026-11-03" {
		t.Fatalf("symptom = %+v", p)
	}
	if p := points[1]; p.Point != "tone" || p.Missed != 1 || p.LastMissed != "2026-11-02" {
		t.Fatalf("tone = %+v", p)
	}
	tot, err := s.Totals(ctx)
	if err != nil || tot != (Totals{Attempts: 4, Seconds: 240, Days: 2}) {
		t.Fatalf("Totals = %+v, %v", tot, err)
	}
}

func TestImportAttemptsIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	at := time.Date(2026, 11, 2, 9, 0, 0, 987654321, time.UTC)
	s.SaveDraft(ctx, Draft{Exercise: "ex", Task: "t", Body: "typing"})
	in := []Attempt{
		{Exercise: "ex", Task: "t", Module: "debug", Answer: "one", Score: 50, CreatedAt: at, Day: "2026-11-02", ElapsedMS: 30000},
		{Exercise: "ex", Task: "t", Module: "debug", Answer: "two", Score: 70, CreatedAt: at.Add(time.Minute), Day: "2026-11-02"},
	}
	for i, want := range []int{2, 0} {
		n, err := s.ImportAttempts(ctx, in)
		if err != nil || n != want {
			t.Fatalf("import #%d added %d, %v; want %d", i+1, n, err, want)
		}
	}
	got, _ := s.Attempts(ctx, Filter{})
	if len(got) != 2 || got[0].Answer != "one" || !got[0].CreatedAt.Equal(at) {
		t.Fatalf("attempts = %+v", got)
	}
	days, _ := s.Days(ctx)
	if len(days) != 1 || days[0].Attempts != 2 || days[0].Seconds != 30 {
		t.Fatalf("days = %+v", days)
	}
	if _, err := s.GetDraft(ctx, "ex", "t"); err != nil {
		t.Fatalf("import removed the draft: %v", err)
	}
	if _, err := s.ImportAttempts(ctx, []Attempt{{Exercise: "ex", Task: "t", Score: 101, CreatedAt: at}}); err == nil {
		t.Fatal("score 101 imported")
	}
}
