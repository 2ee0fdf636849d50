package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/store"
)

// feedbackModel is the coach's feedback on one attempt. It owns the attempt's
// async work (recording, polishing, claims) under its own context, cancelled
// when the screen is left; replies carry seq and are dropped when they belong
// to another attempt.
type feedbackModel struct {
	c      *common
	day    *day
	seq    int
	ctx    context.Context
	cancel context.CancelFunc

	ex        *exercises.Exercise
	t         *exercises.Task
	answer    string
	result    *grader.Result
	attemptID int64
	pane      viewportModel

	polishing  bool
	polishText string
	polished   *PolishResult
	polishErr  error

	claim claimPicker
	// pending is a claim made before the attempt was recorded.
	pending *store.Attempt

	// Reading the feedback is practice: the time from shown (monotonic) until
	// the learner moves on or quits joins the time spent on shownDay, the day the
	// screen opened, once (counted says it has been).
	shown    time.Time
	shownDay string
	counted  bool
}

type (
	recordedMsg struct {
		seq     int
		attempt *store.Attempt
		err     error
	}
	regradedMsg struct {
		seq   int
		score int
		err   error
	}
)

func newFeedbackModel(c *common, d *day, ex *exercises.Exercise, t *exercises.Task, seq int, answer string, res *grader.Result) *feedbackModel {
	ctx, cancel := context.WithCancel(c.ctx)
	f := &feedbackModel{c: c, day: d, seq: seq, ctx: ctx, cancel: cancel, ex: ex, t: t, answer: answer, result: res, pane: newViewport(),
		shown: c.deps.Monotonic(), shownDay: c.deps.Now().Local().Format(store.DateLayout)}
	f.layout()
	return f
}

// recordNew shows a fresh grade and stores the attempt.
func recordNew(c *common, d *day, ex *exercises.Exercise, t *exercises.Task, seq int, g *gradedAnswer) (*feedbackModel, tea.Cmd) {
	f := newFeedbackModel(c, d, ex, t, seq, g.answer, g.res)
	k := practice.Key(ex.ID, t.ID)
	if s, ok := d.today[k]; !ok || g.res.Score > s {
		d.today[k] = g.res.Score
	}
	a := modules.AttemptFrom(ex.Module, g.answer, g.res)
	// Known at once, before the store has it: reopening the task right away
	// shows this answer even while the write is still in flight.
	if d.last != nil {
		d.last[k] = a
	}
	deps := c.deps
	// A store write finishes even when the program is stopping.
	ctx := context.WithoutCancel(c.ctx)
	return f, func() tea.Msg {
		err := deps.Practice.Record(ctx, a)
		return recordedMsg{seq: seq, attempt: a, err: err}
	}
}

// reopenFeedback shows the feedback of a recorded attempt: the answer graded
// again offline, with the points the learner claimed kept.
func reopenFeedback(c *common, d *day, ex *exercises.Exercise, t *exercises.Task, a *store.Attempt, seq int) *feedbackModel {
	res, err := modules.Grade(ex, t, a.Answer, 0)
	if err != nil {
		res = &grader.Result{Exercise: ex.ID, Task: t.ID, Score: a.Score}
	}
	sents := grader.Sentences(a.Answer)
	for _, p := range a.Points {
		if p.Status != grader.StatusClaimed {
			continue
		}
		for i, s := range sents {
			if s == p.Evidence {
				_ = grader.Claim(res, a.Answer, p.ID, i+1) // a point the grader now hits needs no claim
			}
		}
	}
	f := newFeedbackModel(c, d, ex, t, seq, a.Answer, res)
	f.attemptID = a.ID
	f.layout()
	return f
}

// readTime is the time spent on the screen and the day it counts towards (the
// day it opened, as the attempt's); false when it has been counted already.
func (f *feedbackModel) readTime() (string, time.Duration, bool) {
	if f.counted {
		return "", 0, false
	}
	f.counted = true
	return f.shownDay, max(0, f.c.deps.Monotonic().Sub(f.shown)), true
}

// countReadTime adds the time spent reading to the day's practice time. The
// write finishes even when the program is stopping.
func (f *feedbackModel) countReadTime() tea.Cmd {
	day, d, ok := f.readTime()
	if !ok || d < time.Second {
		return nil
	}
	deps, ctx := f.c.deps, context.WithoutCancel(f.c.ctx)
	return func() tea.Msg {
		if err := deps.Store.AddPracticeTime(ctx, day, d); err != nil {
			deps.Log.Error("count feedback reading time", "err", err)
			return statusMsg("Could not add the time spent reading the feedback: " + err.Error())
		}
		return nil
	}
}

// close cancels the attempt's work in flight (a polish stream).
func (f *feedbackModel) close() { f.cancel() }

func (f *feedbackModel) layout() {
	w := max(20, f.c.width)
	f.pane.SetWidth(w)
	f.pane.SetHeight(max(3, f.c.height-3))
	f.refresh()
}

// refresh renders the feedback, the polish section and what n does.
func (f *feedbackModel) refresh() {
	w := max(20, f.c.width) - 2
	r := *f.result
	r.Feedback = f.keyedSteps(r.Feedback)
	f.pane.SetContent(f.c.renderMarkdown(modules.FeedbackMarkdown(f.ex, f.t, &r)+f.polishMarkdown(), w))
}

// keyedSteps rewrites the coach's next steps as the keys that take them, and
// says exactly what n opens.
func (f *feedbackModel) keyedSteps(items []grader.Item) []grader.Item {
	out := make([]grader.Item, 0, len(items))
	for _, it := range items {
		step, ok := strings.CutPrefix(it.Text, "Next: ")
		if !ok {
			out = append(out, it)
			continue
		}
		switch {
		case strings.HasPrefix(step, "move on to the "):
			continue // n says what comes next, below
		case strings.HasPrefix(step, "retry"):
			step = "r: " + step
		case strings.HasPrefix(step, "condensed variant"):
			step = "v: " + step
		case strings.HasPrefix(step, "follow-up round"):
			step = "f: " + step
		}
		it.Text = "Next: " + step
		out = append(out, it)
	}
	_, desc := f.next()
	return append(out, grader.Item{Kind: grader.Informative, Text: "Next: n: " + desc})
}

// next is where n goes: the next unanswered task of this exercise, else the
// next module with work left, else the end of the day; and it says so.
func (f *feedbackModel) next() (navigation, string) {
	for i, t := range f.ex.Tasks {
		if _, ok := f.day.today[practice.Key(f.ex.ID, t.ID)]; !ok && t.ID != f.t.ID {
			return openTask(f.ex, t, ""), fmt.Sprintf("task %d/%d of this exercise, %s", i+1, len(f.ex.Tasks), sanitize.Text(t.Title))
		}
	}
	items := f.day.items()
	cur := 0
	for i, it := range items {
		if it.ex.ID == f.ex.ID {
			cur = i
		}
	}
	for k := 1; k <= len(items); k++ {
		i := (cur + k) % len(items)
		if !f.day.moduleDone(i) {
			mod, _ := modules.Get(items[i].module)
			return f.day.open(i), fmt.Sprintf("module %d, %s: %s", i+1, mod.Title, sanitize.Text(items[i].ex.Title))
		}
	}
	return goTo(stateSummary), "the end-of-day summary (every module is done)"
}

func (f *feedbackModel) update(msg tea.Msg) (tea.Cmd, navigation) {
	switch msg := msg.(type) {
	case recordedMsg:
		if msg.seq != f.seq {
			return nil, navigation{}
		}
		if msg.err != nil {
			f.c.deps.Log.Error("record attempt", "err", msg.err)
			return f.day.load(f.c), say("Could not record the attempt: " + msg.err.Error())
		}
		f.attemptID = msg.attempt.ID
		if f.pending != nil {
			a := f.pending
			f.pending = nil
			return tea.Batch(f.day.load(f.c), f.regrade(a)), navigation{}
		}
		return f.day.load(f.c), navigation{}
	case regradedMsg:
		if msg.seq != f.seq {
			return nil, navigation{}
		}
		if msg.err != nil {
			f.c.deps.Log.Error("claim", "err", msg.err)
			return nil, say("Could not store the claim: " + msg.err.Error())
		}
		return f.day.load(f.c), say(fmt.Sprintf("Claim stored: the attempt now scores %d, and its review is rescheduled.", msg.score))
	case polishChunkMsg, polishDoneMsg, polishSavedMsg:
		return f.polishUpdate(msg)
	}
	var cmd tea.Cmd
	f.pane.Model, cmd = f.pane.Update(msg)
	return cmd, navigation{}
}

func (f *feedbackModel) key(msg tea.KeyPressMsg) (tea.Cmd, navigation) {
	if f.claim.active() {
		return f.claimKey(msg)
	}
	k := f.c.keys
	switch {
	case key.Matches(msg, k.Retry):
		return nil, openTask(f.ex, f.t, f.answer)
	case key.Matches(msg, k.Variant):
		if len(f.t.Variants) > 0 {
			return nil, openTask(f.ex, f.t.Variants[0], "")
		}
		return nil, say("This task has no condensed variant.")
	case key.Matches(msg, k.FollowUp):
		if len(f.t.FollowUps) > 0 {
			return nil, openTask(f.ex, f.t.FollowUps[0], "")
		}
		_, desc := f.next()
		return nil, say("This task has no follow-up round; n goes on to " + desc + ".")
	case key.Matches(msg, k.Next):
		n, _ := f.next()
		return nil, n
	case key.Matches(msg, k.Polish):
		return f.startPolish(), navigation{}
	case key.Matches(msg, k.Accept):
		return f.acceptPolish()
	case key.Matches(msg, k.Claim):
		return nil, f.startClaim()
	case key.Matches(msg, k.Back):
		return nil, goTo(statePlan)
	case key.Matches(msg, k.Help):
		return nil, navigation{help: true}
	case key.Matches(msg, k.Top):
		f.pane.GotoTop()
		return nil, navigation{}
	case key.Matches(msg, k.Bottom):
		f.pane.GotoBottom()
		return nil, navigation{}
	}
	var cmd tea.Cmd
	f.pane.Model, cmd = f.pane.Update(msg)
	return cmd, navigation{}
}

// canClaim reports whether a point is missed. The key shows before the
// attempt is recorded too, so the screen does not change under the learner.
func (f *feedbackModel) canClaim() bool {
	for _, p := range f.result.Points {
		if p.Status == grader.StatusMissed {
			return true
		}
	}
	return false
}

func (f *feedbackModel) helpKeys() helpKeys {
	if f.claim.active() {
		return f.c.keys.pickHelp()
	}
	return f.c.keys.feedbackHelp(feedbackKeys{
		variant:  len(f.t.Variants) > 0,
		followUp: len(f.t.FollowUps) > 0,
		polish:   f.c.deps.Polish != nil,
		accept:   f.polished != nil && f.polished.Text != "" && f.attemptID != 0,
		claim:    f.canClaim(),
	})
}

func (f *feedbackModel) view(status string) string {
	st := f.c.st
	mod, _ := modules.Get(f.ex.Module)
	w := max(20, f.c.width)
	title := " · feedback"
	if f.claim.active() {
		title = " · claim a point"
	}
	head := truncate(st.Title.Render(mod.Key+" "+mod.Title)+st.Subtle.Render(" · "+sanitize.Text(f.t.Title)+title)+f.pane.indicator(st), w)
	body := f.pane.View()
	if f.claim.active() {
		body = f.claimView(f.pane.Height())
	}
	return head + "\n" + body + "\n" + truncate(st.Status.Render(status), w) + "\n" + f.c.helpView(f.helpKeys())
}
