package schedule

import (
	"context"
	"hash/fnv"
	"sort"
	"time"

	"github.com/drill-coach/drill/store"
)

// Options tune the scheduler; the zero value uses the defaults.
type Options struct {
	// Retention is the desired probability of recall when a task comes back,
	// in (0, 1); 0 means DefaultRetention (0.9). Higher brings tasks back sooner.
	Retention float64
}

func (o Options) retention() float64 {
	if o.Retention <= 0 || o.Retention >= 1 {
		return DefaultRetention
	}
	return o.Retention
}

// CardOf turns a stored review state into a card.
func CardOf(r store.Review) Card {
	return Card{Stability: r.Stability, Difficulty: r.Difficulty, State: State(r.State), Reps: r.Reps,
		Lapses: r.Lapses, LastReview: r.LastReview, Due: r.Due}
}

func reviewOf(exercise, task string, c Card) store.Review {
	return store.Review{Exercise: exercise, Task: task, Stability: c.Stability, Difficulty: c.Difficulty,
		Due: c.Due, LastReview: c.LastReview, Reps: c.Reps, Lapses: c.Lapses, State: int(c.State)}
}

// DueAt is when a reviewed task comes back at the given retention. It is derived
// from stability and the last review rather than read from the stored due, so a
// change of the desired retention applies at once to every task.
func DueAt(r store.Review, retention float64) time.Time {
	return r.LastReview.AddDate(0, 0, Interval(r.Stability, retention))
}

// Review updates the FSRS state of the attempt's task for a review at now; call
// it right after store.RecordAttempt. The score becomes the rating
// (< 40 Again, 40–69 Hard, 70–89 Good, >= 90 Easy).
func Review(ctx context.Context, st *store.Store, a *store.Attempt, now time.Time, retention float64) (store.Review, error) {
	g := RatingFromScore(a.Score)
	return st.UpdateReview(ctx, a.Exercise, a.Task, func(prev store.Review, found bool) store.Review {
		c := Card{}
		if found {
			c = CardOf(prev)
		}
		// Local time: days are counted on the learner's calendar, as the store does.
		return reviewOf(a.Exercise, a.Task, Next(c, g, now.Local(), retention))
	})
}

// Record stores a graded attempt and its task's new FSRS state in one
// transaction, so the history and the schedule never disagree.
func Record(ctx context.Context, st *store.Store, a *store.Attempt, retention float64) (store.Review, error) {
	g := RatingFromScore(a.Score)
	return st.RecordAttemptReview(ctx, a, func(prev store.Review, found bool) store.Review {
		c := Card{}
		if found {
			c = CardOf(prev)
		}
		return reviewOf(a.Exercise, a.Task, Next(c, g, a.CreatedAt.Local(), retention))
	})
}

// LogEntry is one review as the FSRS optimizer reads it.
type LogEntry struct {
	CardID     int64
	Exercise   string
	Task       string
	Time       time.Time
	Rating     Rating
	State      State // the card's state before this review
	DurationMS int64
	After      Card // the card after this review
}

// CardID is a stable integer for a task, the same in every database: the
// optimizer groups reviews by it. FNV-1a of "exercise/task", kept to 53 bits so
// spreadsheets and JSON readers hold it exactly.
func CardID(exercise, task string) int64 {
	h := fnv.New64a()
	h.Write([]byte(exercise + "/" + task))
	return int64(h.Sum64() & (1<<53 - 1))
}

// Replay runs FSRS over attempts in time order and returns one log entry per
// attempt (in that order) and the final state of every task.
func Replay(attempts []store.Attempt, retention float64) ([]LogEntry, []store.Review) {
	as := make([]store.Attempt, len(attempts))
	copy(as, attempts)
	sort.SliceStable(as, func(i, j int) bool { return as[i].CreatedAt.Before(as[j].CreatedAt) })
	type key struct{ ex, task string }
	cards := map[key]Card{}
	var order []key
	log := make([]LogEntry, 0, len(as))
	for _, a := range as {
		k := key{a.Exercise, a.Task}
		c, ok := cards[k]
		if !ok {
			order = append(order, k)
		}
		g := RatingFromScore(a.Score)
		n := Next(c, g, a.CreatedAt.Local(), retention)
		cards[k] = n
		log = append(log, LogEntry{CardID: CardID(a.Exercise, a.Task), Exercise: a.Exercise, Task: a.Task,
			Time: a.CreatedAt, Rating: g, State: c.State, DurationMS: a.ElapsedMS, After: n})
	}
	rs := make([]store.Review, 0, len(order))
	for _, k := range order {
		rs = append(rs, reviewOf(k.ex, k.task, cards[k]))
	}
	return log, rs
}

// Rebuild recomputes every task's state from the whole history: after an import,
// or for a database whose attempts predate the review table.
func Rebuild(ctx context.Context, st *store.Store, retention float64) error {
	_, err := rebuild(ctx, st, retention)
	return err
}

// rebuild returns the replayed states; a read-only database keeps its table
// and the caller uses them from memory.
func rebuild(ctx context.Context, st *store.Store, retention float64) ([]store.Review, error) {
	as, err := st.Attempts(ctx, store.Filter{})
	if err != nil {
		return nil, err
	}
	_, rs := Replay(as, retention)
	if st.ReadOnly() {
		return rs, nil
	}
	return rs, st.ReplaceReviews(ctx, rs)
}

// Regrade stores the changed grade of a recorded attempt (a claimed point) and
// re-derives its task's review state by replaying that task's attempts, so the
// schedule follows the grade the learner ends up with.
func Regrade(ctx context.Context, st *store.Store, a *store.Attempt, retention float64) error {
	return st.Regrade(ctx, a.ID, a.Score, a.Coverage, a.Points, func(as []store.Attempt) store.Review {
		_, rs := Replay(as, retention)
		return rs[0]
	})
}
