package schedule

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/store"
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "drill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func bank(t testing.TB) *exercises.Bank {
	t.Helper()
	b := exercises.Load()
	if len(b.Problems) > 0 {
		t.Fatalf("bank problems: %v", b.Problems)
	}
	return b
}

// answer records an attempt at now for every top-level task of ex, with score,
// missing every rubric point when the score is low, and updates its review state,
// as `drill answer` does.
func answer(t testing.TB, st *store.Store, ex *exercises.Exercise, score int, now time.Time, opts Options) {
	t.Helper()
	ctx := context.Background()
	for _, task := range ex.Tasks {
		a := &store.Attempt{Exercise: ex.ID, Task: task.ID, Module: ex.Module, Answer: "answer", Score: score,
			ElapsedMS: 90_000, CreatedAt: now}
		for _, p := range task.Rubric {
			a.Points = append(a.Points, store.Point{ID: p.ID, Hit: score >= 70})
		}
		if err := st.RecordAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := Review(ctx, st, a, now, opts.retention()); err != nil {
			t.Fatal(err)
		}
	}
}

// A scripted month: every morning the learner does the whole plan. One exercise
// per module is answered weakly until its third attempt; everything else is
// answered strongly. Weak ones must come back sooner, and the streak must count
// the consecutive days.
func TestScriptedMonth(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := bank(t)
	start := time.Date(2026, 11, 2, 8, 30, 0, 0, time.Local)

	weak := map[string]bool{}
	for _, m := range exercises.ModuleNames() {
		weak[b.Filter(m, "")[0].ID] = true // the first new exercise of each module
	}
	seen := map[string][]int{} // exercise → days it was planned
	var planned []*Plan
	for day := 0; day < 30; day++ {
		now := start.AddDate(0, 0, day)
		p, err := Today(ctx, b, st, now)
		if err != nil {
			t.Fatal(err)
		}
		planned = append(planned, p)
		if len(p.Items) != len(exercises.ModuleNames()) {
			t.Fatalf("day %d: %d items", day, len(p.Items))
		}
		for _, it := range p.Items {
			seen[it.Exercise.ID] = append(seen[it.Exercise.ID], day)
			score := 95
			if weak[it.Exercise.ID] && len(seen[it.Exercise.ID]) <= 3 {
				score = 25
			}
			answer(t, st, it.Exercise, score, now.Add(20*time.Minute), Options{})
		}
		// The plan stays the same for the rest of the day.
		again, err := Today(ctx, b, st, now.Add(10*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.Items {
			if again.Items[i].Exercise.ID != p.Items[i].Exercise.ID || again.Items[i].Reason != p.Items[i].Reason {
				t.Fatalf("day %d: plan changed during the day: %s/%s → %s/%s", day, p.Items[i].Exercise.ID,
					p.Items[i].Reason, again.Items[i].Exercise.ID, again.Items[i].Reason)
			}
		}
	}

	// Day 0 is all new exercises, in curriculum order.
	for i, it := range planned[0].Items {
		if it.Reason != ReasonNew || it.Exercise.ID != b.Filter(exercises.ModuleNames()[i], "")[0].ID {
			t.Fatalf("day 0 item %d = %s (%s)", i, it.Exercise.ID, it.Reason)
		}
	}
	// Weak exercises come back the next day, as a due review.
	for id := range weak {
		days := seen[id]
		if len(days) < 4 || days[1] != 1 || days[2] != 2 {
			t.Errorf("weak %s planned on days %v; want it back on days 1 and 2", id, days)
		}
		if planned[1].Items[indexOf(planned[1], id)].Reason != ReasonDue {
			t.Errorf("weak %s not planned as due on day 1", id)
		}
	}
	// Strong ones come back later than any weak one did.
	for id, days := range seen {
		if weak[id] || len(days) < 2 {
			continue
		}
		if gap := days[1] - days[0]; gap <= 1 {
			t.Errorf("strong %s came back after %d day(s) (days %v)", id, gap, days)
		}
	}
	var strongGaps, weakGaps []int
	for id, days := range seen {
		if len(days) >= 2 {
			if weak[id] {
				weakGaps = append(weakGaps, days[1]-days[0])
			} else {
				strongGaps = append(strongGaps, days[1]-days[0])
			}
		}
	}
	if len(strongGaps) == 0 || maxInt(weakGaps) >= minInt(strongGaps) {
		t.Errorf("first return gaps: weak %v, strong %v; weak must all be shorter", weakGaps, strongGaps)
	}

	// The streak counts the 30 consecutive days.
	end := start.AddDate(0, 0, 29).Add(12 * time.Hour)
	s, err := ComputeStats(ctx, b, st, end, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Streak != 30 || s.LongestStreak != 30 || !s.TodayCounts {
		t.Fatalf("streak %d longest %d today %v; want 30, 30, true", s.Streak, s.LongestStreak, s.TodayCounts)
	}
	// Tomorrow morning, before practising, the streak still stands; the day after
	// a missed day it is broken.
	if s, _ := ComputeStats(ctx, b, st, end.AddDate(0, 0, 1), Options{}); s.Streak != 30 || s.TodayCounts {
		t.Fatalf("next morning: streak %d today %v", s.Streak, s.TodayCounts)
	}
	if s, _ := ComputeStats(ctx, b, st, end.AddDate(0, 0, 2), Options{}); s.Streak != 0 || s.LongestStreak != 30 {
		t.Fatalf("after a missed day: streak %d longest %d", s.Streak, s.LongestStreak)
	}
}

func indexOf(p *Plan, id string) int {
	for i, it := range p.Items {
		if it.Exercise.ID == id {
			return i
		}
	}
	return -1
}

func maxInt(xs []int) int {
	m := xs[0]
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

func minInt(xs []int) int {
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

// The streak needs a completed module: answering one of two tasks is not enough,
// and a gap breaks the run.
func TestStreakCountsCompletedModulesOnly(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := bank(t)
	var two *exercises.Exercise
	for _, ex := range b.All() {
		if len(ex.Tasks) >= 2 {
			two = ex
			break
		}
	}
	if two == nil {
		t.Skip("no exercise with two top-level tasks in the bank")
	}
	day := func(n int) time.Time { return time.Date(2026, 11, 2+n, 9, 0, 0, 0, time.Local) }
	record := func(at time.Time, tasks ...*exercises.Task) {
		for _, task := range tasks {
			if err := st.RecordAttempt(ctx, &store.Attempt{Exercise: two.ID, Task: task.ID, Module: two.Module, Answer: "a", Score: 10, CreatedAt: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	record(day(0), two.Tasks...)
	record(day(1), two.Tasks...)
	record(day(2), two.Tasks[0]) // only part of the exercise
	record(day(3), two.Tasks...)
	record(day(4), two.Tasks...)
	s, err := ComputeStats(ctx, b, st, day(4), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Streak != 2 || s.LongestStreak != 2 {
		t.Fatalf("streak %d longest %d; want 2 and 2", s.Streak, s.LongestStreak)
	}
	if last := s.Calendar[len(s.Calendar)-1]; last.Day != "2026-11-06" || last.Completed != 1 || last.Attempts != len(two.Tasks) {
		t.Fatalf("calendar ends with %+v", last)
	}
	if first, _ := time.Parse(store.DateLayout, s.Calendar[0].Day); first.Weekday() != time.Monday || len(s.Calendar) < 7*(CalendarWeeks-1)+1 {
		t.Fatalf("calendar starts %s (%v), %d days", s.Calendar[0].Day, first.Weekday(), len(s.Calendar))
	}
}

// A concept missed again and again raises the priority of exercises that train it.
func TestWeakConceptRaisesPriority(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := bank(t)
	exs := b.Filter("review", "")
	// Find the new review exercise furthest down the curriculum that trains a
	// point id no earlier one has, and make that point weak elsewhere.
	var target *exercises.Exercise
	var point string
	for i := len(exs) - 1; i > 0 && target == nil; i-- {
		for _, p := range exs[i].Tasks[0].Rubric {
			shared := false
			for _, other := range exs[:i] {
				if len(trains(other, map[string]bool{p.ID: true})) > 0 {
					shared = true
				}
			}
			if !shared {
				target, point = exs[i], p.ID
				break
			}
		}
	}
	if target == nil {
		t.Skip("no review exercise with a point of its own")
	}
	now := time.Date(2026, 11, 10, 9, 0, 0, 0, time.Local)
	for i := 1; i <= 3; i++ {
		a := &store.Attempt{Exercise: "elsewhere", Task: "t", Module: "debug", Answer: "a", Score: 30,
			Points: []store.Point{{ID: point, Hit: false}}, CreatedAt: now.AddDate(0, 0, -i)}
		if err := st.RecordAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Today(ctx, b, st, now)
	if err != nil {
		t.Fatal(err)
	}
	it := p.Items[indexOf(p, target.ID)]
	if it.Reason != ReasonNew || len(it.Weak) == 0 || it.Weak[0] != point {
		t.Fatalf("review item = %s %s weak %v; want %s picked for weak %q", it.Exercise.ID, it.Reason, it.Weak, target.ID, point)
	}
}

func TestRetentionOptionBringsTasksBackSooner(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := bank(t)
	ex := b.Filter("design", "")[0]
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.Local)
	answer(t, st, ex, 80, now, Options{}) // Good: S = 3.173, back in 3 days at r = 0.9
	later := now.AddDate(0, 0, 2)
	for _, tc := range []struct {
		retention float64
		due       int
	}{{0.9, 0}, {0.97, 1}} {
		s, err := ComputeStats(ctx, b, st, later, Options{Retention: tc.retention})
		if err != nil {
			t.Fatal(err)
		}
		if got := min(s.DueToday, 1); got != tc.due {
			t.Errorf("retention %v: due today %d, want %d", tc.retention, s.DueToday, tc.due)
		}
	}
}

// A database whose attempts predate the review table gets its state rebuilt.
func TestPlanRebuildsMissingReviewState(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	b := bank(t)
	ex := b.Filter("debug", "")[0]
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.Local)
	for _, task := range ex.Tasks {
		if err := st.RecordAttempt(ctx, &store.Attempt{Exercise: ex.ID, Task: task.ID, Module: "debug", Answer: "a", Score: 20, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Today(ctx, b, st, at.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if p.Items[0].Exercise.ID != ex.ID || p.Items[0].Reason != ReasonDue {
		t.Fatalf("debug item = %s (%s); want %s due", p.Items[0].Exercise.ID, p.Items[0].Reason, ex.ID)
	}
	rs, _ := st.Reviews(ctx)
	if len(rs) != len(ex.Tasks) || rs[0].State != int(StateLearning) {
		t.Fatalf("rebuilt reviews = %+v", rs)
	}
	// An attempt recorded without Review on a task that has a state is caught too.
	next := at.AddDate(0, 0, 1)
	if err := st.RecordAttempt(ctx, &store.Attempt{Exercise: ex.ID, Task: ex.Tasks[0].ID, Module: "debug", Answer: "a", Score: 95, CreatedAt: next}); err != nil {
		t.Fatal(err)
	}
	if _, err := ComputeStats(ctx, b, st, next, Options{}); err != nil {
		t.Fatal(err)
	}
	r, err := st.GetReview(ctx, ex.ID, ex.Tasks[0].ID)
	if err != nil || r.Reps != 2 || !r.LastReview.Equal(next) || r.State != int(StateReview) {
		t.Fatalf("review after an unscheduled attempt = %+v, %v", r, err)
	}
}

// A draft of the learner's, placed first in its module's curriculum and
// training a weak concept, still never enters the plan; the same file without
// the flag does.
func TestDraftsStayOutOfThePlan(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	first := bank(t).Filter("design", "")[0]
	dir := t.TempDir()
	write := func(draft string) *exercises.Bank {
		t.Helper()
		src := "---\n" + draft + `id: my-design
module: design
title: My own design question
level: 1
order: -100
tasks:
  - id: recommend
    title: Recommendation
    prompt:
      zh: 推荐一个方案。
      en: Recommend one design.
    rubric:
      - id: fail-open
        weight: 1
        concept: Builds fall back to upstream when the cache is down.
        say: ["cache + down + upstream"]
        hint: A cache outage must not become a build outage.
    model_answer: When the cache is down, builds fetch from upstream directly.
---
场景。

<!-- en -->
Scenario.
`
		if err := os.WriteFile(filepath.Join(dir, "my-design.md"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		b := exercises.Load(dir)
		if len(b.Problems) > 0 {
			t.Fatalf("bank problems: %v", b.Problems)
		}
		return b
	}
	now := time.Date(2026, 11, 10, 9, 0, 0, 0, time.Local)
	// The draft's one point is weak: without the flag it would win on two counts.
	for i := 1; i <= 3; i++ {
		a := &store.Attempt{Exercise: "elsewhere", Task: "t", Module: "debug", Answer: "a", Score: 30,
			Points: []store.Point{{ID: "fail-open", Hit: false}}, CreatedAt: now.AddDate(0, 0, -i)}
		if err := st.RecordAttempt(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		flag, want string
	}{
		{"draft: true\n", first.ID},
		{"draft: false\n", "my-design"},
		{"", "my-design"},
	} {
		p, err := Today(ctx, write(c.flag), st, now)
		if err != nil {
			t.Fatal(err)
		}
		i := indexOf(p, c.want)
		if i < 0 || p.Items[i].Module != "design" {
			t.Fatalf("with %q the design item is not %s: %+v", c.flag, c.want, p.Items)
		}
		if c.flag == "draft: true\n" && indexOf(p, "my-design") >= 0 {
			t.Fatalf("the draft is in the plan: %+v", p.Items)
		}
	}
}
