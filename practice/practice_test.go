package practice

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// now is 08:45 local on a Wednesday; the clock never moves.
var now = time.Date(2026, 11, 25, 8, 45, 0, 0, time.Local)

func service(t *testing.T) *Service {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "drill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := func() time.Time { return now }
	st.Now = clock
	return &Service{Bank: exercises.Load(), Store: st, Now: clock}
}

func record(t *testing.T, s *Service, ex *exercises.Exercise, task string, score int, at time.Time, elapsed time.Duration) {
	t.Helper()
	a := &store.Attempt{Exercise: ex.ID, Task: task, Module: ex.Module, Answer: "a", Score: score, CreatedAt: at, ElapsedMS: elapsed.Milliseconds()}
	if err := s.Record(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

// Today keeps each task's best score and latest attempt of today only, adds
// up today's time, and its streak is the one stats shows.
func TestTodayIsTheLearnersDay(t *testing.T) {
	s := service(t)
	ctx := context.Background()
	ex := s.Bank.Filter(exercises.Debug, "")[0]
	task := ex.Tasks[0].ID
	record(t, s, ex, task, 90, now.Add(-24*time.Hour), time.Minute) // yesterday
	record(t, s, ex, task, 70, now.Add(-2*time.Hour), 30*time.Second)
	record(t, s, ex, task, 40, now.Add(-time.Hour), 20*time.Second)

	d, err := s.Today(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k := Key(ex.ID, task)
	if d.Best[k] != 70 {
		t.Errorf("best today = %d, want 70 (yesterday's 90 does not count)", d.Best[k])
	}
	if d.Last[k] == nil || d.Last[k].Score != 40 {
		t.Errorf("last today = %+v, want the 40", d.Last[k])
	}
	if d.Spent != 50*time.Second {
		t.Errorf("spent = %s, want 50s", d.Spent)
	}
	want, _, err := schedule.Streak(ctx, s.Bank, s.Store, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Streak != want {
		t.Errorf("streak %d, stats says %d", d.Streak, want)
	}
	if d.Plan == nil || len(d.Plan.Items) != len(exercises.ModuleNames()) {
		t.Fatalf("plan: %+v", d.Plan)
	}
}

// Record stores the attempt and its task's review state together.
func TestRecordSchedulesTheTask(t *testing.T) {
	s := service(t)
	ctx := context.Background()
	ex := s.Bank.Filter(exercises.Review, "")[0]
	record(t, s, ex, ex.Tasks[0].ID, 95, now, 0)
	r, err := s.Store.GetReview(ctx, ex.ID, ex.Tasks[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reps != 1 || !r.Due.After(now) {
		t.Fatalf("review after one Easy answer: %+v", r)
	}
}

// Import skips what is already there and schedules what it adds.
func TestImportRebuildsTheSchedule(t *testing.T) {
	src, dst := service(t), service(t)
	ctx := context.Background()
	ex := src.Bank.Filter(exercises.Design, "")[0]
	record(t, src, ex, ex.Tasks[0].ID, 80, now.Add(-48*time.Hour), 0)
	as, err := src.Store.Attempts(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0} {
		n, err := dst.Import(ctx, as)
		if err != nil || n != want {
			t.Fatalf("import #%d added %d (%v), want %d", i+1, n, err, want)
		}
	}
	if _, err := dst.Store.GetReview(ctx, ex.ID, ex.Tasks[0].ID); err != nil {
		t.Fatalf("the imported attempt was not scheduled: %v", err)
	}
}
