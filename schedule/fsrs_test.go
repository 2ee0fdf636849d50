package schedule

import (
	"math"
	"testing"
	"time"
)

var day0 = time.Date(2026, 11, 2, 8, 30, 0, 0, time.UTC)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-3 }

// The published check: a new card rated Good gets S = 3.173 and a 3-day interval.
func TestNewCardGood(t *testing.T) {
	c := Next(Card{}, Good, day0, DefaultRetention)
	if !near(c.Stability, 3.173) {
		t.Fatalf("S = %v, want 3.173", c.Stability)
	}
	if got := Interval(c.Stability, DefaultRetention); got != 3 {
		t.Fatalf("interval = %d, want 3", got)
	}
	if want := day0.AddDate(0, 0, 3); !c.Due.Equal(want) {
		t.Fatalf("due = %v, want %v", c.Due, want)
	}
	// D0(3) = w4 − e^(w5·2) + 1.
	if !near(c.Difficulty, 5.2824) || c.State != StateReview || c.Reps != 1 || c.Lapses != 0 {
		t.Fatalf("card = %+v", c)
	}
}

func TestFirstRatingsUseInitialStabilities(t *testing.T) {
	for g := Again; g <= Easy; g++ {
		c := Next(Card{}, g, day0, DefaultRetention)
		if !near(c.Stability, weights[g-1]) {
			t.Errorf("%v: S = %v, want w[%d] = %v", g, c.Stability, g-1, weights[g-1])
		}
	}
	if c := Next(Card{}, Again, day0, DefaultRetention); c.State != StateLearning || c.Lapses != 0 {
		t.Errorf("new card rated again: %+v", c)
	}
	// Easy on the first answer: w3 = 15.69 → 16 days.
	if got := Interval(weights[3], DefaultRetention); got != 16 {
		t.Errorf("easy interval = %d, want 16", got)
	}
}

// Again < Hard < Good < Easy order the next intervals of a card in review, and
// never shrink for a new card (Again and Hard both round to one day there).
func TestRatingsOrderIntervals(t *testing.T) {
	first := Next(Card{}, Good, day0, DefaultRetention)
	at := first.Due
	prev := 0
	want := map[Rating]int{Again: 1, Hard: 5, Good: 11, Easy: 26}
	for g := Again; g <= Easy; g++ {
		c := Next(first, g, at, DefaultRetention)
		iv := Days(at, c.Due)
		if iv <= prev {
			t.Fatalf("%v interval %d not above the previous rating's %d", g, iv, prev)
		}
		if iv != want[g] {
			t.Errorf("%v interval = %d, want %d (computed from the FSRS-5 formulas)", g, iv, want[g])
		}
		prev = iv
	}
	prevNew := 0
	for g := Again; g <= Easy; g++ {
		iv := Days(day0, Next(Card{}, g, day0, DefaultRetention).Due)
		if iv < prevNew {
			t.Fatalf("new card: %v interval %d below %d", g, iv, prevNew)
		}
		prevNew = iv
	}
}

func TestLapseNeverRaisesStability(t *testing.T) {
	c := Card{Stability: 40, Difficulty: 5, State: StateReview, Reps: 5, LastReview: day0}
	n := Next(c, Again, day0.AddDate(0, 0, 40), DefaultRetention)
	if n.Stability >= c.Stability || n.Lapses != 1 || n.State != StateRelearning {
		t.Fatalf("after a lapse: %+v", n)
	}
	if n.Difficulty <= c.Difficulty {
		t.Fatalf("difficulty %v did not rise after Again", n.Difficulty)
	}
	// Recalled again: back in review.
	if m := Next(n, Good, n.Due, DefaultRetention); m.State != StateReview {
		t.Fatalf("state after recall = %v", m.State)
	}
}

func TestSameDayReview(t *testing.T) {
	c := Next(Card{}, Good, day0, DefaultRetention)
	later := day0.Add(6 * time.Hour)
	n := Next(c, Good, later, DefaultRetention)
	want := c.Stability * math.Exp(weights[17]*(0+weights[18]))
	if !near(n.Stability, want) {
		t.Fatalf("same-day S = %v, want %v", n.Stability, want)
	}
}

func TestRetentionChangesInterval(t *testing.T) {
	if Interval(10, 0.9) != 10 {
		t.Fatalf("I at r=0.9 must equal S")
	}
	lo, hi := Interval(10, 0.8), Interval(10, 0.95)
	if !(hi < 10 && 10 < lo) {
		t.Fatalf("higher retention must shorten intervals: r=0.95 %d, r=0.8 %d", hi, lo)
	}
	if Interval(1e9, 0.9) != 36500 || Interval(0.01, 0.9) != 1 {
		t.Fatalf("interval not clamped to [1, 36500]")
	}
}

func TestDifficultyStaysInRange(t *testing.T) {
	c := Next(Card{}, Again, day0, DefaultRetention)
	for i := 0; i < 50; i++ {
		c = Next(c, Again, c.Due, DefaultRetention)
	}
	if c.Difficulty > 10 || c.Difficulty < 1 {
		t.Fatalf("D = %v", c.Difficulty)
	}
	for i := 0; i < 50; i++ {
		c = Next(c, Easy, c.Due, DefaultRetention)
	}
	if c.Difficulty > 10 || c.Difficulty < 1 {
		t.Fatalf("D = %v", c.Difficulty)
	}
}

func TestRatingFromScore(t *testing.T) {
	for _, tc := range []struct {
		score int
		want  Rating
	}{{0, Again}, {39, Again}, {40, Hard}, {69, Hard}, {70, Good}, {89, Good}, {90, Easy}, {100, Easy}} {
		if got := RatingFromScore(tc.score); got != tc.want {
			t.Errorf("score %d → %v, want %v", tc.score, got, tc.want)
		}
	}
}

func TestDaysCountsCalendarDays(t *testing.T) {
	loc := time.FixedZone("UTC+8", 8*3600)
	a := time.Date(2026, 11, 2, 22, 0, 0, 0, loc)
	b := time.Date(2026, 11, 3, 8, 0, 0, 0, loc)
	if Days(a, b) != 1 || Days(b, a) != -1 || Days(a, a.Add(time.Hour)) != 0 {
		t.Fatalf("Days: %d %d", Days(a, b), Days(b, a))
	}
}
