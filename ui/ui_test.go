package ui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/store"
)

var update = flag.Bool("update-golden", false, "rewrite the golden files of the screens")

// fixedNow is 08:45 on a Wednesday: the clock never moves, so timers and
// greetings render the same on every run.
var fixedNow = time.Date(2026, 11, 25, 8, 45, 0, 0, time.UTC)

func testDeps(t *testing.T) Deps {
	t.Helper()
	bank := exercises.LoadOnly("testdata/bank")
	if len(bank.Problems) > 0 || len(bank.All()) != 4 {
		t.Fatalf("fixture bank: %d exercises, problems %v", len(bank.All()), bank.Problems)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "drill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return fixedNow }
	return Deps{Bank: bank, Store: st, Now: func() time.Time { return fixedNow }, Monotonic: func() time.Time { return fixedNow }, NoColor: true}
}

// probe wraps the app so a test can read the current screen from inside the
// program's own goroutine: the output stream only carries the cells that changed.
type probe struct{ *Model }

type viewRequest chan string

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if r, ok := msg.(viewRequest); ok {
		r <- ansi.Strip(p.Model.View().Content)
		return p, nil
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

func newTestModel(t *testing.T, d Deps, w, h int) *teatest.TestModel {
	return teatest.NewTestModel(t, probe{New(d)}, teatest.WithInitialTermSize(w, h))
}

// waitFor waits until the screen shows want.
func waitFor(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	// A wait, not a measure: a loaded 2-core machine can take many seconds
	// to draw a frame.
	deadline := time.Now().Add(2 * time.Minute)
	var last string
	for time.Now().Before(deadline) {
		r := make(viewRequest, 1)
		tm.Send(r)
		select {
		case last = <-r:
		case <-time.After(time.Second):
		}
		if strings.Contains(last, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("screen never showed %q; last screen:\n%s", want, last)
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+l":
		return tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// screen drives the app to a screen, quits, and returns the final view without
// styling.
func screen(t *testing.T, w, h int, drive func(tm *teatest.TestModel)) string {
	t.Helper()
	tm := newTestModel(t, testDeps(t), w, h)
	waitFor(t, tm, "Today's drill")
	drive(tm)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(probe)
	return ansi.Strip(final.View().Content)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update-golden to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("view has %d lines, screen has %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, screen is %d: %q", i+1, n, w, l)
		}
	}
}

var sizes = []struct{ w, h int }{{80, 24}, {120, 40}}

func TestGoldenPlan(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sizeName(sz.w, sz.h), func(t *testing.T) {
			v := screen(t, sz.w, sz.h, func(*teatest.TestModel) {})
			checkFits(t, v, sz.w, sz.h)
			for _, want := range []string{"Wednesday, 25 November 2026", "Good morning, it's 08:45", "1 System debug quick reaction", "4 System design"} {
				if !strings.Contains(v, want) {
					t.Errorf("plan lacks %q", want)
				}
			}
			golden(t, "plan_"+sizeName(sz.w, sz.h), v)
		})
	}
}

func TestGoldenTask(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sizeName(sz.w, sz.h), func(t *testing.T) {
			v := screen(t, sz.w, sz.h, func(tm *teatest.TestModel) {
				tm.Send(press("1"))
				waitFor(t, tm, "First debug task")
				tm.Type("Shared writers race 中文")
				waitFor(t, tm, "race 中文")
			})
			checkFits(t, v, sz.w, sz.h)
			for _, want := range []string{"⏱ 30s left", "words 5 · sentences 1/4", "Shared writers race 中文", "ctrl+s submit"} {
				if !strings.Contains(v, want) {
					t.Errorf("task screen lacks %q:\n%s", want, v)
				}
			}
			golden(t, "task_"+sizeName(sz.w, sz.h), v)
		})
	}
}

func TestGoldenFeedback(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sizeName(sz.w, sz.h), func(t *testing.T) {
			v := screen(t, sz.w, sz.h, func(tm *teatest.TestModel) {
				tm.Send(press("1"))
				waitFor(t, tm, "First debug task")
				tm.Type("When two importers share one writer, their writes interleave.")
				tm.Send(press("ctrl+s"))
				waitFor(t, tm, "Score")
			})
			checkFits(t, v, sz.w, sz.h)
			for _, want := range []string{"Score 67/100", "What you did well", "their writes interleave.”", "What is missing", "r retry"} {
				if !strings.Contains(v, want) {
					t.Errorf("feedback lacks %q:\n%s", want, v)
				}
			}
			golden(t, "feedback_"+sizeName(sz.w, sz.h), v)
		})
	}
}

func sizeName(w, h int) string { return fmt.Sprintf("%dx%d", w, h) }

// Resizing mid-task re-lays the screen out to the new size, text kept.
func TestResizeKeepsLayoutAndText(t *testing.T) {
	tm := newTestModel(t, testDeps(t), 120, 40)
	waitFor(t, tm, "Today's drill")
	tm.Send(press("1"))
	waitFor(t, tm, "First debug task")
	tm.Type("Shared writers race 中文")
	waitFor(t, tm, "race 中文")
	for _, sz := range []struct{ w, h int }{{80, 24}, {60, 20}, {100, 30}} {
		tm.Send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		waitFor(t, tm, "race 中文")
		r := make(viewRequest, 1)
		tm.Send(r)
		checkFits(t, <-r, sz.w, sz.h)
	}
	quit(t, tm)
}
