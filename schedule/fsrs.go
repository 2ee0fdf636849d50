package schedule

import (
	"math"
	"time"
)

// FSRS-5 (Free Spaced Repetition Scheduler, version 5) with its published default
// weights, as in py-fsrs and the fsrs4anki wiki "The Algorithm". It is written here
// rather than imported because the formulas are short and the scheduler must keep
// working offline with no extra module.

// Rating is how well a review went: 1 Again, 2 Hard, 3 Good, 4 Easy.
type Rating int

// Ratings.
const (
	Again Rating = 1
	Hard  Rating = 2
	Good  Rating = 3
	Easy  Rating = 4
)

func (r Rating) String() string {
	switch r {
	case Again:
		return "again"
	case Hard:
		return "hard"
	case Good:
		return "good"
	case Easy:
		return "easy"
	}
	return "unknown"
}

// RatingFromScore maps a graded score (0–100) to a rating:
// < 40 Again, 40–69 Hard, 70–89 Good, >= 90 Easy.
func RatingFromScore(score int) Rating {
	switch {
	case score < 40:
		return Again
	case score < 70:
		return Hard
	case score < 90:
		return Good
	default:
		return Easy
	}
}

// State is a card's phase, numbered as in the FSRS optimizer's review log.
// drill has no intra-day learning steps (a task comes back on a later day), so a
// card rated Again on its first answer is Learning, one rated Again after that is
// Relearning, and any other rating puts it in Review.
type State int

// States.
const (
	StateNew        State = 0
	StateLearning   State = 1
	StateReview     State = 2
	StateRelearning State = 3
)

// DefaultRetention is the probability of recall the scheduler aims for.
const DefaultRetention = 0.9

const (
	decay  = -0.5
	factor = 19.0 / 81.0
	// maxInterval keeps intervals within a century, as FSRS does.
	maxInterval = 36500
)

// Weights returns the FSRS-5 default weights (a copy: the array is a value).
func Weights() [19]float64 { return weights }

// weights are the FSRS-5 default weights. Only Weights reads them from outside,
// so nothing can change the schedule of everyone else at run time.
var weights = [19]float64{0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575,
	0.1192, 1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621}

// Card is the memory state of one task.
type Card struct {
	Stability  float64 // days until recall probability falls to 90%
	Difficulty float64 // 1 (easy) .. 10 (hard)
	State      State
	Reps       int
	Lapses     int
	LastReview time.Time // zero for a new card
	Due        time.Time // zero for a new card
}

// Retrievability is the probability of recall after t days at stability s.
func Retrievability(t, s float64) float64 {
	if s <= 0 {
		return 0
	}
	return math.Pow(1+factor*t/s, decay)
}

// Interval is the number of whole days until recall probability falls to
// retention, clamped to [1, 36500]. At retention 0.9 it equals the stability.
func Interval(s, retention float64) int {
	if retention <= 0 || retention >= 1 {
		retention = DefaultRetention
	}
	i := math.Round(s / factor * (math.Pow(retention, 1/decay) - 1))
	return int(min(max(i, 1), maxInterval))
}

func initDifficulty(g Rating) float64 {
	return clampD(weights[4] - math.Exp(weights[5]*float64(g-1)) + 1)
}

func clampD(d float64) float64 { return min(max(d, 1), 10) }

func nextDifficulty(d float64, g Rating) float64 {
	dp := d - weights[6]*float64(g-3)*(10-d)/9
	return clampD(weights[7]*initDifficulty(Easy) + (1-weights[7])*dp)
}

func recallStability(d, s, r float64, g Rating) float64 {
	hp, eb := 1.0, 1.0
	if g == Hard {
		hp = weights[15]
	}
	if g == Easy {
		eb = weights[16]
	}
	return s * (1 + math.Exp(weights[8])*(11-d)*math.Pow(s, -weights[9])*(math.Exp(weights[10]*(1-r))-1)*hp*eb)
}

func lapseStability(d, s, r float64) float64 {
	f := weights[11] * math.Pow(d, -weights[12]) * (math.Pow(s+1, weights[13]) - 1) * math.Exp(weights[14]*(1-r))
	return min(f, s)
}

func sameDayStability(s float64, g Rating) float64 {
	return s * math.Exp(weights[17]*(float64(g)-3+weights[18]))
}

// Days counts calendar days from a to b in the learner's time zone (b's
// location), so a task done at 22:00 and again at 08:00 the next morning is one
// day apart: drill is a daily habit, and days, not 24-hour spans, are its unit.
func Days(a, b time.Time) int {
	a = a.In(b.Location())
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	ta := time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)
	tb := time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta) / (24 * time.Hour))
}

// Next returns the card after a review rated g at now, aiming for retention.
func Next(c Card, g Rating, now time.Time, retention float64) Card {
	if g < Again || g > Easy {
		g = Again
	}
	n := c
	n.Reps++
	if c.State == StateNew || c.LastReview.IsZero() || c.Stability <= 0 {
		n.Stability = weights[g-1]
		n.Difficulty = initDifficulty(g)
		n.State = StateReview
	} else {
		t := Days(c.LastReview, now)
		if t < 1 {
			n.Stability = sameDayStability(c.Stability, g)
		} else {
			r := Retrievability(float64(t), c.Stability)
			if g == Again {
				n.Stability = lapseStability(c.Difficulty, c.Stability, r)
			} else {
				n.Stability = recallStability(c.Difficulty, c.Stability, r, g)
			}
		}
		n.Difficulty = nextDifficulty(c.Difficulty, g)
		n.State = StateReview
	}
	if g == Again {
		// A first answer that fails is still being learnt; a failure after a
		// recall is a lapse.
		n.State = StateLearning
		if c.State != StateNew {
			n.Lapses++
			n.State = StateRelearning
		}
	}
	n.LastReview = now
	n.Due = now.AddDate(0, 0, Interval(n.Stability, retention))
	return n
}
