package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// A claimed point changes the stored grade and the task's review state
// together: the state is what replaying the task's attempts with the new score
// gives, not what the old score scheduled.
func TestRegradeUpdatesAttemptAndReview(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "drill.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day1 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)
	day2 := day1.AddDate(0, 0, 3)
	var as []*store.Attempt
	for i, at := range []time.Time{day1, day2} {
		a := &store.Attempt{Exercise: "ex", Task: "t1", Module: "debug", Answer: "Leases first. Then commit.",
			Score: 30 + i*10, Coverage: 50, CreatedAt: at,
			Points: []store.Point{{ID: "lease", Hit: true, Status: "hit"}, {ID: "commit", Status: "missed"}}}
		if err := s.RecordAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := schedule.Review(ctx, s, a, at, 0.9); err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	// Another task's history must not be replayed into this one.
	other := &store.Attempt{Exercise: "ex", Task: "t2", Module: "debug", Answer: "x", Score: 95, CreatedAt: day1}
	if err := s.RecordAttempt(ctx, other); err != nil {
		t.Fatal(err)
	}
	before, err := s.GetReview(ctx, "ex", "t1")
	if err != nil {
		t.Fatal(err)
	}

	claimed := *as[0]
	claimed.Score, claimed.Coverage = 92, 100
	claimed.Points = []store.Point{{ID: "lease", Hit: true, Status: "hit"}, {ID: "commit", Hit: true, Status: "claimed", Source: "self", Evidence: "Then commit."}}
	if err := schedule.Regrade(ctx, s, &claimed, 0.9); err != nil {
		t.Fatal(err)
	}

	got, err := s.Attempts(ctx, store.Filter{Task: "t1"})
	if err != nil || len(got) != 2 {
		t.Fatalf("attempts = %v, %v", got, err)
	}
	if g := got[0]; g.Score != 92 || g.Coverage != 100 || g.Points[1].Status != "claimed" || g.Points[1].Source != "self" ||
		g.Points[1].Evidence != "Then commit." || g.Answer != as[0].Answer {
		t.Fatalf("regraded attempt = %+v", g)
	}
	if got[1].Score != 40 {
		t.Fatalf("the other attempt changed: %+v", got[1])
	}
	after, err := s.GetReview(ctx, "ex", "t1")
	if err != nil {
		t.Fatal(err)
	}
	_, want := schedule.Replay([]store.Attempt{got[0], got[1]}, 0.9)
	if after.Stability != want[0].Stability || after.Difficulty != want[0].Difficulty || !after.Due.Equal(want[0].Due) || after.Reps != want[0].Reps {
		t.Fatalf("review after regrade = %+v, want the replay %+v", after, want[0])
	}
	if after.Stability == before.Stability {
		t.Fatalf("review state did not follow the new score: %+v", after)
	}

	if err := schedule.Regrade(ctx, s, &store.Attempt{ID: 999, Exercise: "ex", Task: "t1"}, 0.9); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown attempt: %v, want ErrNotFound", err)
	}
}
