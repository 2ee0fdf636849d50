package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/text"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// A polish still streaming for answer A must not land on answer B: p on A,
// r retry, submit B, then A's polisher delivers. The messages are applied in
// that order by hand, so the test does not depend on timing.
func TestLatePolishIsDroppedAfterRetry(t *testing.T) {
	d := testDeps(t)
	d.Polish = func(ctx context.Context, answer string, max int, onChunk func(string)) (*PolishResult, error) {
		// Deliberately ignores ctx: a late reply must be dropped anyway.
		onChunk("POLISHED-A ")
		return &PolishResult{Text: "POLISHED-A text", Diff: "x"}, nil
	}
	m := New(d)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	m.Update(m.day.load(m.c)())
	m.Update(press("1"))
	for _, r := range "This is answer A: two importers share one writer." {
		m.Update(press(string(r)))
	}
	_, cmd := m.Update(press("ctrl+s"))
	run(m, cmd) // records A
	_, polishA := m.Update(press("p"))
	chunkA := polishA() // A's first chunk, held back
	m.Update(press("r"))
	if !strings.Contains(m.task.editor.Value(), "answer A") {
		t.Fatalf("retry did not start from the previous answer: %q", m.task.editor.Value())
	}
	m.task.editor.SetValue("Now answer B: their writes interleave.")
	_, cmd = m.Update(press("ctrl+s"))
	run(m, cmd) // records B
	if m.state != stateFeedback || m.feedback.attemptID == 0 {
		t.Fatalf("state %v, attempt %d", m.state, m.feedback.attemptID)
	}
	// A's polish arrives on B's screen.
	if chunkA != nil {
		_, next := m.Update(chunkA)
		run(m, next)
	}
	if v := ansi.Strip(m.View().Content); strings.Contains(v, "POLISHED-A") || strings.Contains(v, "a keep polished") {
		t.Fatalf("A's polish is on B's feedback:\n%s", v)
	}
	_, cmd = m.Update(press("a"))
	run(m, cmd)
	atts, err := d.Store.Attempts(context.Background(), store.Filter{})
	if err != nil || len(atts) != 2 {
		t.Fatalf("attempts = %v, %v", atts, err)
	}
	for _, a := range atts {
		if a.Polished != "" {
			t.Fatalf("attempt %d (%q) got a polished text %q", a.ID, a.Answer, a.Polished)
		}
	}
}

// run executes cmd and feeds what it returns back to m, depth first, as the
// program would; ticks and terminal queries are left out.
func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	case tickMsg:
	default:
		if fmt.Sprintf("%T", msg) == "tea.sequenceMsg" {
			return
		}
		_, next := m.Update(msg)
		run(m, next)
	}
}

// The program's context reaches the polisher: cancelling it (SIGTERM) stops
// the request in flight.
func TestProgramContextCancelsPolish(t *testing.T) {
	d := testDeps(t)
	cancelled := make(chan struct{})
	d.Polish = func(ctx context.Context, answer string, max int, onChunk func(string)) (*PolishResult, error) {
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := New(d)
	m.c.ctx = ctx
	f, _ := recordNew(m.c, m.day, d.Bank.All()[0], d.Bank.All()[0].Tasks[0], 1, &gradedAnswer{answer: "x", res: &grader.Result{Score: 10}})
	f.startPolish()
	cancel()
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the polisher never saw the program's context cancelled")
	}
}

// The app shows the streak `drill stats` shows: a day counts once a module is
// completed, not for any practice.
func TestStreakIsTheStatsStreak(t *testing.T) {
	d := testDeps(t)
	ctx := context.Background()
	ex := d.Bank.Get("fixture-debug")
	record := func(task string) {
		t.Helper()
		if err := d.Store.RecordAttempt(ctx, &store.Attempt{Exercise: ex.ID, Task: task, Module: ex.Module, Answer: "a", Score: 50}); err != nil {
			t.Fatal(err)
		}
	}
	record("first") // practice, but no module completed
	m := New(d)
	m.day.set(m.day.load(m.c)().(planMsg))
	if v := ansi.Strip(m.plan.view("")); !strings.Contains(v, "Streak: 0 days") {
		t.Fatalf("one task of a module counted towards the streak:\n%s", v)
	}
	record("second")
	m.day.set(m.day.load(m.c)().(planMsg))
	s, err := schedule.ComputeStats(ctx, d.Bank, d.Store, fixedNow, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Streak != 1 || m.day.streak != s.Streak {
		t.Fatalf("app streak %d, stats streak %d; want both 1", m.day.streak, s.Streak)
	}
	if v := ansi.Strip(m.plan.view("")); !strings.Contains(v, "Streak: 1 day ·") {
		t.Fatalf("plan after a completed module:\n%s", v)
	}
}

// c on the feedback claims a missed point with a sentence of the answer: the
// score is derived again, the feedback lists the claim apart, and the stored
// attempt and the task's review follow.
func TestClaimAMissedPoint(t *testing.T) {
	d := testDeps(t)
	tm := newTestModel(t, d, 100, 40)
	answerFirst(t, tm, "When two importers share one writer, their writes interleave. Then the check at the end breaks.")
	waitFor(t, tm, "Score 67/100")
	waitFor(t, tm, "c claim")
	tm.Send(press("c"))
	waitFor(t, tm, "Missed points of the rubric")
	waitFor(t, tm, "> The commit then fails its size or digest check.")
	tm.Send(press("enter"))
	waitFor(t, tm, "Your sentences")
	tm.Send(press("j"))
	waitFor(t, tm, "> 2. Then the check at the end breaks.")
	tm.Send(press("enter"))
	waitFor(t, tm, "Claim stored")
	waitFor(t, tm, "Claimed by you")
	quit(t, tm)

	ctx := context.Background()
	atts, err := d.Store.Attempts(ctx, store.Filter{})
	if err != nil || len(atts) != 1 {
		t.Fatalf("attempts = %v, %v", atts, err)
	}
	a := atts[0]
	var claimed *store.Point
	for i, p := range a.Points {
		if p.ID == "commit" {
			claimed = &a.Points[i]
		}
	}
	if claimed == nil || claimed.Status != grader.StatusClaimed || claimed.Source != "self" || claimed.Evidence != "Then the check at the end breaks." {
		t.Fatalf("stored points %+v", a.Points)
	}
	if a.Score <= 67 {
		t.Fatalf("stored score %d, want it raised by the claim", a.Score)
	}
	r, err := d.Store.GetReview(ctx, a.Exercise, a.Task)
	if err != nil {
		t.Fatal(err)
	}
	_, want := schedule.Replay(atts, schedule.DefaultRetention)
	if r.Stability != want[0].Stability {
		t.Fatalf("review %+v, want the replay of the claimed attempt %+v", r, want[0])
	}
}

// At 80x24 the task itself (its limits and its question) is on screen when it
// opens, for every task of the bank, and ctrl+l shows the whole English prompt.
func TestEveryTaskFitsAt80x24(t *testing.T) {
	bank := exercises.Load()
	if len(bank.All()) == 0 {
		t.Fatal("empty bank")
	}
	d := testDeps(t)
	d.Bank = bank
	m := New(d)
	m.c.width, m.c.height = 80, 24
	m.c.help.SetWidth(80)
	n := 0
	for _, ex := range bank.All() {
		for _, tk := range ex.AllTasks() {
			n++
			tm := newTaskModel(m.c, m.day, ex, tk, 1, "")
			v := ansi.Strip(tm.view(""))
			checkFits(t, v, 80, 24)
			flat := strings.Join(strings.Fields(v), "")
			if lim := modules.Limits(tk); lim != "" && !strings.Contains(flat, strings.Join(strings.Fields(lim), "")) {
				t.Errorf("%s/%s: limits %q not on screen:\n%s", ex.ID, tk.ID, lim, v)
			}
			if !startsOnScreen(v, tk.Prompt.In("zh")) {
				t.Errorf("%s/%s: the question is not on screen at 80x24:\n%s", ex.ID, tk.ID, v)
			}
			if strings.TrimSpace(tk.Prompt.EN) == "" {
				continue
			}
			tm.key(press("ctrl+l"))
			all := ansi.Strip(tm.pin + "\n" + tm.prompt.GetContent())
			if !inOrder(text.Tokenize(all), text.Tokenize(tk.Prompt.EN)) {
				t.Errorf("%s/%s: the English prompt is not shown whole:\n%s", ex.ID, tk.ID, all)
			}
			if v := ansi.Strip(tm.view("")); !startsOnScreen(v, tk.Prompt.EN) {
				t.Errorf("%s/%s: the English question is not on screen at 80x24:\n%s", ex.ID, tk.ID, v)
			}
		}
	}
	t.Logf("%d tasks checked", n)
}

// startsOnScreen reports whether the first words of prompt are on screen.
func startsOnScreen(screen, prompt string) bool {
	want := text.Tokenize(prompt)
	if len(want) > 6 {
		want = want[:6]
	}
	return inOrder(text.Tokenize(screen), want)
}

// inOrder reports whether want occurs as a contiguous run in have.
func inOrder(have, want []string) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		ok := true
		for j := range want {
			if have[i+j] != want[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// The feedback says exactly what n opens, f says when there is no follow-up,
// the plan shows done/score per module with the score's definition, and a
// finished module reopens on its last feedback instead of an empty editor.
func TestDayFlowSaysWhatComesNext(t *testing.T) {
	d := testDeps(t)
	tm := newTestModel(t, d, 120, 40)
	answerFirst(t, tm, "When two importers share one writer, their writes interleave.")
	waitFor(t, tm, "n: task 2/2 of this exercise, Second debug task")
	tm.Send(press("n"))
	waitFor(t, tm, "Second debug task")
	waitFor(t, tm, "module 1/4, task 2/2")
	tm.Type("I will trace every writer's lifetime.")
	tm.Send(press("ctrl+s"))
	waitFor(t, tm, "n: module 2, Code review checklist")
	tm.Send(press("f"))
	waitFor(t, tm, "This task has no follow-up round; n goes on to module 2")
	tm.Send(press("esc"))
	waitFor(t, tm, "2/2 done · score")
	waitFor(t, tm, "(finished today)")
	waitFor(t, tm, "score = mean of each task's best today")
	tm.Send(press("1"))
	waitFor(t, tm, "Your last answer to this task today")
	waitFor(t, tm, "I will trace every writer")
	quit(t, tm)
}
