package schedule

import (
	"context"
	"testing"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/store"
)

// fiveYears fills st with five years of daily practice: every day one exercise
// per module, every top-level task answered, scores and missed points varying.
func fiveYears(tb testing.TB, st *store.Store, b *exercises.Bank, end time.Time) int {
	tb.Helper()
	var as []store.Attempt
	start := end.AddDate(-5, 0, 0)
	n := 0
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		for mi, m := range exercises.ModuleNames() {
			exs := b.Filter(m, "")
			ex := exs[(n+mi)%len(exs)]
			for ti, t := range ex.Tasks {
				score := (n*37 + mi*11 + ti*7) % 101
				a := store.Attempt{Exercise: ex.ID, Task: t.ID, Module: m, Answer: "We saw the writer shared between imports.",
					Score: score, ElapsedMS: int64(30_000 + score*900), CreatedAt: d.Add(time.Duration(mi*10+ti) * time.Minute)}
				for pi, p := range t.Rubric {
					a.Points = append(a.Points, store.Point{ID: p.ID, Hit: (score+pi*13)%100 >= 45, Evidence: "We saw the writer shared."})
				}
				as = append(as, a)
			}
		}
		n++
	}
	if _, err := st.ImportAttempts(context.Background(), as); err != nil {
		tb.Fatal(err)
	}
	if err := Rebuild(context.Background(), st, DefaultRetention); err != nil {
		tb.Fatal(err)
	}
	return len(as)
}

// BenchmarkStatsFiveYears: `drill stats` over five years of daily attempts must
// answer well under 50 ms.
func BenchmarkStatsFiveYears(b *testing.B) {
	st := openStore(b)
	bk := bank(b)
	end := time.Date(2026, 11, 25, 21, 0, 0, 0, time.Local)
	n := fiveYears(b, st, bk, end)
	ctx := context.Background()
	for b.Loop() {
		s, err := ComputeStats(ctx, bk, st, end, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if s.Streak < 365*5 {
			b.Fatalf("streak %d over five daily years", s.Streak)
		}
	}
	b.ReportMetric(float64(n), "attempts")
}

// BenchmarkPlanFiveYears: the daily plan over the same history.
func BenchmarkPlanFiveYears(b *testing.B) {
	st := openStore(b)
	bk := bank(b)
	end := time.Date(2026, 11, 25, 21, 0, 0, 0, time.Local)
	fiveYears(b, st, bk, end)
	ctx := context.Background()
	for b.Loop() {
		if _, err := Today(ctx, bk, st, end.AddDate(0, 0, 1)); err != nil {
			b.Fatal(err)
		}
	}
}
