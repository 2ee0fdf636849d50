package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/drill-coach/drill/store"
)

// clock is a frozen clock the test moves by hand; the program reads it from
// its own goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// waitStore waits until the store's record of today satisfies ok: the writes
// are asynchronous, so the test waits for them rather than for a time.
func waitStore(t *testing.T, st *store.Store, ok func(store.Day) bool, what string) store.Day {
	t.Helper()
	day := fixedNow.Local().Format(store.DateLayout)
	var d store.Day
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var err error
		if d, err = st.PracticeDay(context.Background(), day); err != nil {
			t.Fatal(err)
		}
		if ok(d) {
			return d
		}
	}
	t.Fatalf("%s: the store holds %d s and %d attempts for %s", what, d.Seconds, d.Attempts, day)
	return d
}

// The day's time spent counts the feedback screen too: from the grade until the
// next task, the plan, or quitting.
func TestTimeSpentCountsReadingTheFeedback(t *testing.T) {
	d := testDeps(t)
	clk := &clock{t: fixedNow}
	// The wall clock stays frozen (DRILL_NOW); durations pass on the
	// monotonic one.
	d.Monotonic = clk.now
	st := d.Store
	tm := newTestModel(t, d, 120, 40)
	waitFor(t, tm, "Today's drill")

	// 40 s answering, 75 s reading, then n opens the next task.
	tm.Send(press("1"))
	waitFor(t, tm, "First debug task")
	clk.advance(40 * time.Second)
	tm.Type("When two importers share one writer, their writes interleave.")
	tm.Send(press("ctrl+s"))
	waitFor(t, tm, "Score")
	waitStore(t, st, func(d store.Day) bool { return d.Attempts == 1 }, "the attempt is recorded")
	clk.advance(75 * time.Second)
	tm.Send(press("n"))
	waitFor(t, tm, "Second debug task")
	waitStore(t, st, func(d store.Day) bool { return d.Seconds == 40+75 }, "40 s answering and 75 s reading")

	// The plan says so too.
	tm.Send(press("esc"))
	waitFor(t, tm, "today 1m55s")

	// Quitting on the feedback screen counts the reading up to the quit.
	tm.Send(press("2"))
	waitFor(t, tm, "First review task")
	clk.advance(20 * time.Second)
	tm.Type("Thanks for the change, the ticker is never stopped.")
	tm.Send(press("ctrl+s"))
	waitFor(t, tm, "Score")
	waitStore(t, st, func(d store.Day) bool { return d.Attempts == 2 }, "the second attempt is recorded")
	clk.advance(30 * time.Second)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(probe)
	if err := final.FlushReadTime(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitStore(t, st, func(d store.Day) bool { return d.Seconds == 115+20+30 }, "quitting on the feedback")
	// Flushing again counts nothing twice.
	if err := final.FlushReadTime(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.PracticeDay(context.Background(), fixedNow.Local().Format(store.DateLayout)); got.Seconds != 165 {
		t.Fatalf("a second flush changed the time spent to %d s", got.Seconds)
	}
}
