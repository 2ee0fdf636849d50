package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/store"
)

// After grading, p streams the polished answer into the feedback and a keeps it
// with the attempt in the store.
func TestPolishStreamsAndAcceptStores(t *testing.T) {
	d := testDeps(t)
	d.Polish = func(ctx context.Context, text string, max int, onChunk func(string)) (*PolishResult, error) {
		for _, c := range []string{"When two importers ", "share one writer, ", "their writes interleave."} {
			onChunk(c)
		}
		return &PolishResult{Text: "When two importers share one writer, their writes interleave.", Diff: "[-writers-] {+writer+}"}, nil
	}
	tm := newTestModel(t, d, 100, 40)
	answerFirst(t, tm, "When two importers share one writers, their writes interleave.")
	waitFor(t, tm, "p polish")
	tm.Send(press("p"))
	waitFor(t, tm, "to keep this version with the attempt")
	tm.Send(press("a"))
	waitFor(t, tm, "Polished version saved")
	quit(t, tm)
	atts, err := d.Store.Attempts(context.Background(), store.Filter{})
	if err != nil || len(atts) != 1 {
		t.Fatalf("attempts = %v, %v", atts, err)
	}
	if atts[0].Polished != "When two importers share one writer, their writes interleave." || !strings.Contains(atts[0].Answer, "writers") {
		t.Fatalf("attempt = %+v", atts[0])
	}
}

// Without an LLM the polish key gives the offline checks and keeps nothing.
func TestPolishOffline(t *testing.T) {
	d := testDeps(t)
	d.Polish = func(ctx context.Context, text string, max int, onChunk func(string)) (*PolishResult, error) {
		return &PolishResult{Offline: true, Advice: []string{"3 sentences: fine"}}, nil
	}
	tm := newTestModel(t, d, 100, 40)
	answerFirst(t, tm, "The writer is shared by importers and the commit fails.")
	waitFor(t, tm, "p polish")
	tm.Send(press("p"))
	waitFor(t, tm, "No LLM is configured")
	quit(t, tm)
}

// With LLM grading on, the combined grade is what the learner sees and what is
// stored; the note says how it was combined.
func TestLLMGradeIsCombinedBeforeStoring(t *testing.T) {
	d := testDeps(t)
	d.LLMGrade = func(ctx context.Context, ex *exercises.Exercise, tk *exercises.Task, answer string, offline *grader.Result) (*grader.Result, string) {
		combined := *offline
		combined.Score = (offline.Score + 100) / 2
		return &combined, "LLM grade 100, offline 67: combined 83"
	}
	tm := newTestModel(t, d, 100, 40)
	answerFirst(t, tm, "When two importers share one writer, their writes interleave.")
	waitFor(t, tm, "Score 83/100")
	waitFor(t, tm, "LLM grade 100, offline 67: combined 83")
	quit(t, tm)
	atts, err := d.Store.Attempts(context.Background(), store.Filter{})
	if err != nil || len(atts) != 1 || atts[0].Score != 83 {
		t.Fatalf("stored %+v, %v; want one attempt scored 83", atts, err)
	}
}

// s on the plan opens the progress page; esc goes back.
func TestStatsScreen(t *testing.T) {
	d := testDeps(t)
	d.ShowStats = true
	tm := newTestModel(t, d, 80, 24)
	waitFor(t, tm, "s stats")
	tm.Send(press("s"))
	waitFor(t, tm, "Streak: 0 days")
	tm.Send(press("esc"))
	waitFor(t, tm, "Today's drill")
	quit(t, tm)
}

// v opens the condensed variant and f the follow-up round of the task just
// answered; esc goes back to the plan.
func TestVariantAndFollowUpKeys(t *testing.T) {
	tm := newTestModel(t, testDeps(t), 100, 30)
	answerFirst(t, tm, "When two importers share one writer, their writes interleave.")
	waitFor(t, tm, "f follow-up")
	tm.Send(press("v"))
	waitFor(t, tm, "Short version")
	tm.Type("A shared writer races.")
	tm.Send(press("ctrl+s"))
	waitFor(t, tm, "Score")
	tm.Send(press("esc"))
	waitFor(t, tm, "Today's drill")
	tm.Send(press("1"))
	waitFor(t, tm, "Second debug task") // the first task is answered today
	tm.Send(press("esc"))
	waitFor(t, tm, "Today's drill")
	quit(t, tm)

	tm = newTestModel(t, testDeps(t), 100, 30)
	answerFirst(t, tm, "When two importers share one writer, their writes interleave.")
	waitFor(t, tm, "f follow-up")
	tm.Send(press("f"))
	waitFor(t, tm, "Follow-up round")
	quit(t, tm)
}

// answerFirst opens module 1 from the plan, types answer and submits it.
func answerFirst(t *testing.T, tm *teatest.TestModel, answer string) {
	t.Helper()
	waitFor(t, tm, "Today's drill")
	tm.Send(press("1"))
	waitFor(t, tm, "First debug task")
	tm.Type(answer)
	tm.Send(press("ctrl+s"))
}

// quit stops the app and waits for it to finish.
func quit(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}
