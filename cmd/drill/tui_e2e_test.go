//go:build tmux

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/text"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// These tests drive the real drill binary inside tmux, the way a learner uses it:
// keys go in through send-keys, the screen comes back through capture-pane.

type tmux struct {
	t      testing.TB
	socket string
	home   string
	env    []string // extra NAME=value pairs for drill
}

func newTmux(t testing.TB) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required for the end-to-end tests (apt-get install tmux); .ci/run installs it")
	}
	x := &tmux{t: t, socket: fmt.Sprintf("drill-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), home: t.TempDir()}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", x.socket, "kill-server").Run() })
	return x
}

func (x *tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", x.socket}, args...)...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// start opens drill in a new detached session of w×h cells; its pid goes to a file.
func (x *tmux) start(w, h int) {
	x.t.Helper()
	bin := drillBinary(x.t)
	env := fmt.Sprintf("env HOME=%s XDG_DATA_HOME=%s/data XDG_CONFIG_HOME=%s/config XDG_STATE_HOME=%s/state DRILL_NOW=2026-11-25T08:45:00Z TZ=UTC LANG=C.UTF-8 TERM=xterm-256color OPENAI_API_KEY= OPENAI_BASE_URL= %s",
		x.home, x.home, x.home, x.home, strings.Join(x.env, " "))
	cmd := fmt.Sprintf("echo $$ > %s/pid; exec %s %s", x.home, env, bin)
	x.run("new-session", "-d", "-s", "drill", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "sh", "-c", cmd)
	x.waitFor("Today's drill", 15*time.Second)
}

func (x *tmux) keys(keys ...string) { x.run(append([]string{"send-keys", "-t", "drill"}, keys...)...) }
func (x *tmux) text(s string)       { x.run("send-keys", "-t", "drill", "-l", s) }
func (x *tmux) screen() string      { return x.run("capture-pane", "-p", "-t", "drill") }

func (x *tmux) waitFor(want string, timeout time.Duration) string {
	x.t.Helper()
	deadline := time.Now().Add(timeout)
	var s string
	for time.Now().Before(deadline) {
		s = x.screen()
		if strings.Contains(s, want) {
			return s
		}
		time.Sleep(25 * time.Millisecond)
	}
	x.t.Fatalf("screen never showed %q; last screen:\n%s", want, s)
	return ""
}

func (x *tmux) pid() int {
	data, err := os.ReadFile(filepath.Join(x.home, "pid"))
	if err != nil {
		x.t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		x.t.Fatal(err)
	}
	return pid
}

// openDebug opens module 1 from the plan: the debug drill's timed opening.
func (x *tmux) openDebug() {
	x.t.Helper()
	x.keys("1")
	x.waitFor("30-second opening", 5*time.Second)
}

// quit presses ctrl+c and waits for drill to be gone.
func (x *tmux) quit() {
	x.t.Helper()
	x.keys("C-c")
	x.waitExit()
}

// waitExit waits for the drill process to be gone.
func (x *tmux) waitExit() {
	x.t.Helper()
	pid := x.pid()
	for i := 0; i < 400; i++ {
		if syscall.Kill(pid, 0) != nil {
			// The server may already be gone with its only session.
			_ = exec.Command("tmux", "-L", x.socket, "kill-server").Run()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	x.t.Fatalf("drill (pid %d) did not exit", pid)
}

func TestTUIAnswerAndFeedback(t *testing.T) {
	x := newTmux(t)
	x.start(80, 24)
	x.openDebug()
	// The day's first debug exercise is the level-1 certificate incident.
	x.text("The certificate the API serves expired at midnight, so every client now fails with x509 certificate has expired, 偶发 nothing else changed. I think the renewed certificate is in the secret but the server process never reloaded it. Next I will check what clients really receive with openssl s_client and restart the pods.")
	x.waitFor("偶发", 5*time.Second)
	x.keys("C-s")
	s := x.waitFor("Score", 5*time.Second)
	for _, want := range []string{"What you did well", "✅"} {
		if !strings.Contains(s, want) {
			t.Errorf("feedback lacks %q:\n%s", want, s)
		}
	}
	// The feedback scrolls to the model answer and the next steps.
	for i := 0; i < 6; i++ {
		x.keys("PgDn")
	}
	x.waitFor("Next steps", 5*time.Second)
	x.quit()
}

func TestTUIDraftSurvivesQuit(t *testing.T) {
	x := newTmux(t)
	x.start(80, 24)
	x.openDebug()
	x.text("Half an answer about writers 写入")
	x.waitFor("写入", 5*time.Second)
	x.quit()

	x.start(80, 24)
	x.keys("1")
	x.waitFor("Half an answer about writers 写入", 5*time.Second)
	x.quit()
}

// A kill -9 loses at most the last two seconds of typing.
func TestTUIDraftSurvivesKill9(t *testing.T) {
	x := newTmux(t)
	x.start(80, 24)
	x.openDebug()
	// Type, then wait until the autosave (no key pressed) has the text in the
	// database: what was saved is what kill -9 must not lose. No wall-clock
	// bound: on a loaded machine the save may come late, never not at all.
	var typed []string
	for i := 0; i < 6; i++ {
		c := fmt.Sprintf("w%02d", i)
		x.text(c + " ")
		typed = append(typed, c)
	}
	saved := x.waitForDraft(strings.Join(typed, " "))
	x.text("unsaved ")
	if err := syscall.Kill(x.pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	x.waitExit()

	x.start(80, 24)
	x.openDebug()
	x.waitFor("Draft restored", 15*time.Second)
	s := x.screen()
	for _, c := range strings.Fields(saved) {
		if !strings.Contains(s, c) {
			t.Errorf("%q was autosaved before kill -9 and is lost:\n%s", c, s)
		}
	}
	x.quit()
}

// waitForDraft waits until the draft of the day's first debug task in drill's
// database holds want, and returns the draft.
func (x *tmux) waitForDraft(want string) string {
	x.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(x.home, "data", "drill", "drill.db"))
	if err != nil {
		x.t.Fatal(err)
	}
	defer st.Close()
	plan, err := schedule.Today(ctx, exercises.Load(), st, time.Date(2026, 11, 25, 8, 45, 0, 0, time.UTC))
	if err != nil {
		x.t.Fatal(err)
	}
	ex := plan.Items[0].Exercise
	var body string
	for i := 0; i < 1200; i++ {
		if dr, err := st.GetDraft(ctx, ex.ID, ex.Tasks[0].ID); err == nil {
			body = dr.Body
			if strings.Contains(body, want) {
				return body
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	x.t.Fatalf("the autosave never wrote %q; the draft holds %q", want, body)
	return ""
}

// ctrl+e hands the draft to $EDITOR and takes back what it saved.
func TestTUIExternalEditor(t *testing.T) {
	x := newTmux(t)
	editor := filepath.Join(x.home, "editor.sh")
	script := "#!/bin/sh\nprintf ' and the editor added: the writer is shared by importers.' >> \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	x.env = []string{"EDITOR=" + editor}
	x.start(100, 30)
	x.openDebug()
	x.text("Typed first")
	x.waitFor("Typed first", 5*time.Second)
	x.keys("C-e")
	x.waitFor("Typed first and the editor added: the writer is shared by importers.", 5*time.Second)
	x.waitFor("Text from the editor is in", 5*time.Second)
	x.quit()
}

// A whole day's drill, four modules, with the keyboard alone; every key in the
// help bars does what it says.
func TestTUIWholeDayByKeyboard(t *testing.T) {
	x := newTmux(t)
	x.start(100, 30)

	x.keys("?")
	x.waitFor("Press ?, f1 or esc to close.", 5*time.Second)
	x.keys("Escape")
	x.waitFor("Today's drill", 5*time.Second)

	x.keys("Enter")
	x.waitFor("30-second opening", 5*time.Second)
	x.keys("Tab")
	x.waitFor("focus: prompt", 5*time.Second)
	x.keys("Tab")
	x.waitFor("focus: editor", 5*time.Second)
	x.keys("F1")
	x.waitFor("Press ?, f1 or esc to close.", 5*time.Second)
	x.keys("F1")
	x.waitFor("focus: editor", 5*time.Second)
	x.keys("Escape")
	x.waitFor("Today's drill", 5*time.Second)
	x.keys("e")
	x.waitFor("End of day", 5*time.Second)
	x.keys("Escape")
	x.waitFor("Today's drill", 5*time.Second)
	x.keys("s")
	x.waitFor("Weakest concepts", 5*time.Second)
	x.keys("Escape")
	x.waitFor("Today's drill", 5*time.Second)

	// Empty submit is refused and nothing is lost.
	x.openDebug()
	x.keys("C-s")
	x.waitFor("Nothing to grade yet", 5*time.Second)

	answered := 0
	for step := 0; step < 12; step++ {
		x.text(fmt.Sprintf("Answer %d: the writer is shared by concurrent importers, so the commit fails when their writes interleave.", step))
		x.keys("C-s")
		x.waitFor("Score", 5*time.Second)
		answered++
		if step == 0 {
			x.keys("r") // retry opens the same task again
			x.waitFor("30-second opening", 5*time.Second)
			continue
		}
		x.keys("n")
		time.Sleep(150 * time.Millisecond)
		if strings.Contains(x.screen(), "End of day") {
			break
		}
	}
	s := x.waitFor("End of day", 5*time.Second)
	for _, want := range []string{"Time spent today", "streak: 1 day", "Coming back tomorrow"} {
		if !strings.Contains(s, want) {
			t.Errorf("end of day lacks %q:\n%s", want, s)
		}
	}
	if strings.Count(s, "✓") != 4 {
		t.Errorf("want all four modules done after %d answers:\n%s", answered, s)
	}
	x.keys("q")
	x.waitExit()
}

// BenchmarkTUIFirstFrame measures launch to first frame in a real terminal, and
// the resident memory once the plan is on screen. ns/op includes tmux starting a
// session and the 25 ms polling of capture-pane; first-frame-ms is drill's own
// time from process start to the first frame with the plan, read from its log.
func BenchmarkTUIFirstFrame(b *testing.B) {
	x := newTmux(b)
	var rss int64
	var frames []time.Duration
	for b.Loop() {
		x.start(80, 24)
		b.StopTimer()
		if d, ok := x.firstFrame(); ok {
			frames = append(frames, d)
		}
		if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", x.pid())); err == nil {
			for _, l := range strings.Split(string(data), "\n") {
				if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
					rss, _ = strconv.ParseInt(f[1], 10, 64)
				}
			}
		}
		x.keys("q")
		x.waitExit()
		b.StartTimer()
	}
	b.ReportMetric(float64(rss), "rss-KiB")
	if len(frames) > 0 {
		var sum time.Duration
		for _, d := range frames {
			sum += d
		}
		b.ReportMetric(float64(sum.Milliseconds())/float64(len(frames)), "first-frame-ms")
	}
}

// firstFrame reads the last "first frame" duration from drill's log.
func (x *tmux) firstFrame() (time.Duration, bool) {
	data, err := os.ReadFile(filepath.Join(x.home, "state", "drill", "drill.log"))
	if err != nil {
		return 0, false
	}
	var d time.Duration
	found := false
	for _, l := range strings.Split(string(data), "\n") {
		if _, v, ok := strings.Cut(l, "since_start="); ok {
			if p, err := time.ParseDuration(strings.Fields(v)[0]); err == nil {
				d, found = p, true
			}
		}
	}
	return d, found
}

// SIGTERM (and SIGHUP, when the terminal goes away) ends drill cleanly, with
// the text typed since the last autosave written out.
func TestTUIDraftSurvivesSIGTERM(t *testing.T) {
	x := newTmux(t)
	x.start(80, 24)
	x.openDebug()
	x.text("saved by autosave,")
	x.waitFor("draft saved", 5*time.Second)
	// Typed well within the autosave interval of the last save: only the final
	// save on exit can keep it.
	x.text(" typed just before the terminal closed")
	x.waitFor("terminal closed", 5*time.Second)
	if err := syscall.Kill(x.pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	x.waitExit()
	x.start(80, 24)
	x.keys("1")
	x.waitFor("saved by autosave, typed just before the terminal closed", 5*time.Second)
	x.quit()
}

// At 80x24 the first task of every module of the day shows its question and
// its limits without scrolling, in Chinese and, after ctrl+l, in English.
func TestTUITaskQuestionAbove80x24Fold(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	plan, err := schedule.Today(ctx, exercises.Load(), st, time.Date(2026, 11, 25, 8, 45, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	x := newTmux(t)
	x.start(80, 24)
	for i, it := range plan.Items {
		task := it.Exercise.Tasks[0]
		x.keys(strconv.Itoa(i + 1))
		s := x.waitFor(task.Title, 5*time.Second)
		if lim := modules.Limits(task); lim != "" && !strings.Contains(strings.Join(strings.Fields(s), ""), strings.Join(strings.Fields(lim), "")) {
			t.Errorf("%s: limits %q not on screen:\n%s", task.ID, lim, s)
		}
		if !firstWordsOn(s, task.Prompt.In("zh")) {
			t.Errorf("%s: the question is below the fold:\n%s", task.ID, s)
		}
		if strings.TrimSpace(task.Prompt.EN) != "" {
			x.keys("C-l")
			// A long task title may cut the marker short at 80 columns.
			s = x.waitFor("EN (ctrl+", 5*time.Second)
			if !firstWordsOn(s, task.Prompt.EN) {
				t.Errorf("%s: the English question is not on screen:\n%s", task.ID, s)
			}
		}
		x.keys("Escape")
		x.waitFor("Today's drill", 5*time.Second)
	}
	x.quit()
}

// firstWordsOn reports whether the first six words of prompt are on screen,
// in order, whatever the wrapping.
func firstWordsOn(screen, prompt string) bool {
	have, want := text.Tokenize(screen), text.Tokenize(prompt)
	if len(want) > 6 {
		want = want[:6]
	}
	for i := 0; i+len(want) <= len(have); i++ {
		if strings.Join(have[i:i+len(want)], " ") == strings.Join(want, " ") {
			return true
		}
	}
	return false
}
