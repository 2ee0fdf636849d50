// Package schedule decides what the learner practises and when: FSRS-5 memory
// state per task, today's plan of one exercise per module, and the stats that show
// progress.
package schedule

import (
	"context"
	"sort"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/store"
)

// Reasons an exercise is in the plan.
const (
	ReasonDue = "due" // practised before and due for review
	ReasonNew = "new" // never practised
)

// WeakBoostDays is how many days of overdueness each weak concept an exercise
// trains is worth when ranking due reviews: a task that is two days overdue and
// trains a concept the learner keeps missing beats one that is five days overdue
// and trains none.
const WeakBoostDays = 4

// Item is one module's exercise for the day.
type Item struct {
	Module   string
	Exercise *exercises.Exercise
	Reason   string
	// Overdue is how many days past due the exercise's most overdue task is
	// (0 = due today; negative = not due yet, brought forward); 0 for new ones.
	Overdue int
	// Weak lists the weak concepts (rubric point ids) the exercise trains.
	Weak []string
}

// Plan is a day's drill.
type Plan struct {
	Date  time.Time
	Items []Item
}

// Today builds the plan for the day of now with the default options.
func Today(ctx context.Context, bank *exercises.Bank, st *store.Store, now time.Time) (*Plan, error) {
	return TodayWith(ctx, bank, st, now, Options{})
}

// TodayWith builds the plan for the day of now: for each module, in order of
// preference,
//
//  1. the exercise already practised today (the first in curriculum order if
//     several), so the plan stays the same all day while the learner works;
//  2. the exercise due for review the longest, counting each weak concept it
//     trains as WeakBoostDays more overdue;
//  3. a new exercise: those training weak concepts first, else curriculum order;
//  4. when the module has nothing due and nothing new, an early review of the
//     exercise least likely to be recalled now.
//
// A weak concept is a rubric point id missed again and again lately (see Weak).
// Drafts (exercises marked draft: true) are never in the plan: an unfinished
// file of the learner's must not take the place of a real exercise.
func TodayWith(ctx context.Context, bank *exercises.Bank, st *store.Store, now time.Time, opts Options) (*Plan, error) {
	spans, err := st.ExerciseSpans(ctx)
	if err != nil {
		return nil, err
	}
	byEx, err := reviewsByExercise(ctx, st, opts)
	if err != nil {
		return nil, err
	}
	weak, err := Weak(ctx, st, now)
	if err != nil {
		return nil, err
	}
	weakIDs := map[string]bool{}
	for _, w := range weak {
		weakIDs[w.Point] = true
	}
	// Days are the learner's local calendar days, as the store records them.
	now = now.Local()
	today := now.Format(store.DateLayout)
	ret := opts.retention()
	p := &Plan{Date: now}
	for _, m := range exercises.ModuleNames() {
		if it, ok := pick(ready(bank.Filter(m, "")), spans, byEx, weakIDs, today, now, ret); ok {
			it.Module = m
			p.Items = append(p.Items, it)
		}
	}
	return p, nil
}

// ready leaves out the drafts of exs.
func ready(exs []*exercises.Exercise) []*exercises.Exercise {
	out := exs[:0:0]
	for _, ex := range exs {
		if !ex.Draft {
			out = append(out, ex)
		}
	}
	return out
}

func pick(exs []*exercises.Exercise, spans map[string]store.ExerciseSpan, byEx map[string][]store.Review,
	weak map[string]bool, today string, now time.Time, ret float64) (Item, bool) {
	if len(exs) == 0 {
		return Item{}, false
	}
	for _, ex := range exs {
		if sp, ok := spans[ex.ID]; ok && sp.Last == today {
			reason := ReasonDue
			if sp.First == today {
				reason = ReasonNew
			}
			return Item{Exercise: ex, Reason: reason, Overdue: overdue(byEx[ex.ID], now, ret), Weak: trains(ex, weak)}, true
		}
	}
	var best *Item
	bestPrio := 0
	for _, ex := range exs {
		rs := byEx[ex.ID]
		if len(rs) == 0 {
			continue
		}
		od := overdue(rs, now, ret)
		if od < 0 {
			continue
		}
		w := trains(ex, weak)
		prio := od + WeakBoostDays*len(w)
		if best == nil || prio > bestPrio {
			best, bestPrio = &Item{Exercise: ex, Reason: ReasonDue, Overdue: od, Weak: w}, prio
		}
	}
	if best != nil {
		return *best, true
	}
	var fresh []Item
	for _, ex := range exs {
		if _, seen := spans[ex.ID]; !seen && len(byEx[ex.ID]) == 0 {
			fresh = append(fresh, Item{Exercise: ex, Reason: ReasonNew, Weak: trains(ex, weak)})
		}
	}
	if len(fresh) > 0 {
		sort.SliceStable(fresh, func(i, j int) bool { return len(fresh[i].Weak) > len(fresh[j].Weak) })
		return fresh[0], true
	}
	// Early review: the exercise whose weakest task is least likely to be
	// recalled now. Ranking by due date instead would pick the same exercise day
	// after day, since an early review barely moves its due date.
	bestR := 2.0
	for _, ex := range exs {
		rs := byEx[ex.ID]
		if len(rs) == 0 {
			continue
		}
		if r := recall(rs, now); r < bestR {
			bestR = r
			best = &Item{Exercise: ex, Reason: ReasonDue, Overdue: overdue(rs, now, ret), Weak: trains(ex, weak)}
		}
	}
	if best != nil {
		return *best, true
	}
	return Item{}, false
}

// overdue is how many days past due the most overdue of rs is; negative when
// none is due yet.
func overdue(rs []store.Review, now time.Time, ret float64) int {
	od := 0
	for i, r := range rs {
		d := Days(DueAt(r, ret), now)
		if i == 0 || d > od {
			od = d
		}
	}
	return od
}

// recall is the lowest probability of recall now among rs.
func recall(rs []store.Review, now time.Time) float64 {
	r := 1.0
	for _, x := range rs {
		r = min(r, Retrievability(float64(max(Days(x.LastReview, now), 0)), x.Stability))
	}
	return r
}

// trains returns the weak concepts among the rubric points of ex's tasks.
func trains(ex *exercises.Exercise, weak map[string]bool) []string {
	if len(weak) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range ex.AllTasks() {
		for _, p := range t.Rubric {
			if weak[p.ID] && !seen[p.ID] {
				seen[p.ID] = true
				out = append(out, p.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// reviewsByExercise loads the review states grouped by exercise. Every attempt
// is one review, so when the reviews' repetitions do not add up to the attempts
// (attempts recorded before the review table existed, an import, or a caller
// that recorded an attempt without calling Review), it replays the history
// first: the schedule can lag behind the history, never disagree with it.
func reviewsByExercise(ctx context.Context, st *store.Store, opts Options) (map[string][]store.Review, error) {
	rs, err := st.Reviews(ctx)
	if err != nil {
		return nil, err
	}
	tot, err := st.Totals(ctx)
	if err != nil {
		return nil, err
	}
	reps := 0
	for _, r := range rs {
		reps += r.Reps
	}
	if reps != tot.Attempts {
		if rs, err = rebuild(ctx, st, opts.retention()); err != nil {
			return nil, err
		}
		// The order the store reads them in: soonest due first.
		sort.SliceStable(rs, func(i, j int) bool {
			a, b := rs[i], rs[j]
			if !a.Due.Equal(b.Due) {
				return a.Due.Before(b.Due)
			}
			if a.Exercise != b.Exercise {
				return a.Exercise < b.Exercise
			}
			return a.Task < b.Task
		})
	}
	out := map[string][]store.Review{}
	for _, r := range rs {
		out[r.Exercise] = append(out[r.Exercise], r)
	}
	return out, nil
}

// WeakWindowDays is how far back weak concepts are looked for: what the learner
// missed lately, not what they missed and then learned months ago.
const WeakWindowDays = 28

// WeakConcept is a rubric point id missed again and again lately.
type WeakConcept struct {
	Point  string `json:"point"`
	Seen   int    `json:"seen"`
	Missed int    `json:"missed"`
	// Concept and Module describe the point from the bank (Stats fills them).
	Concept string `json:"concept,omitempty"`
	Module  string `json:"module,omitempty"`
}

// Weak returns the weak concepts as of now: rubric point ids graded in the last
// WeakWindowDays days, missed at least twice and in at least half of the
// attempts that graded them; most missed first.
func Weak(ctx context.Context, st *store.Store, now time.Time) ([]WeakConcept, error) {
	since := now.Local().AddDate(0, 0, -WeakWindowDays+1).Format(store.DateLayout)
	ps, err := st.PointStats(ctx, since)
	if err != nil {
		return nil, err
	}
	var out []WeakConcept
	for _, p := range ps {
		if p.Missed >= 2 && 2*p.Missed >= p.Seen {
			out = append(out, WeakConcept{Point: p.Point, Seen: p.Seen, Missed: p.Missed})
		}
	}
	return out, nil
}
