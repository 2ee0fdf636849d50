// Package ui is drill's full-screen terminal app: the day's plan, the task screen
// with its editor and countdown, the coach's feedback and the end-of-day summary.
// It is the only package that imports bubbletea. All I/O runs inside tea.Cmds.
//
// The root Model routes messages: global keys first, then the active screen.
// Each screen (plan, task, feedback, stats, end of day) is a small model that
// owns its state and keys; they share a *common (dependencies, styles, key map,
// size) and the day's progress.
package ui

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/markdown"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/store"
)

// Deps are what the app needs from the outside world.
type Deps struct {
	Bank  *exercises.Bank
	Store *store.Store
	// Practice records attempts, regrades claims, builds the plan and says how
	// the day stands: the same service the commands use. Built over Bank,
	// Store and Now at the default retention when nil.
	Practice *practice.Service
	// Now is the wall clock: dates, the plan, timestamps.
	Now func() time.Time
	// Monotonic measures durations (a timed task's countdown, the autosave
	// interval). It is apart from Now so a frozen Now (DRILL_NOW) keeps the
	// dates still while durations pass; time.Now when nil.
	Monotonic func() time.Time
	Log       *slog.Logger
	// NoColor drops every colour (NO_COLOR is set).
	NoColor bool
	// Theme is the configured palette: "dark", "light", or "auto" (or empty)
	// to follow the terminal's background, dark until the terminal answers.
	Theme string
	// Editor is the command for ctrl+e; empty disables it.
	Editor string
	// Started is when the process started; the first frame logs the time since.
	Started time.Time
	// LLMGrade combines an LLM grade with the offline one; nil grades offline
	// only. It never fails: on any problem it returns offline and says why.
	LLMGrade func(ctx context.Context, ex *exercises.Exercise, t *exercises.Task, answer string, offline *grader.Result) (*grader.Result, string)
	// ShowStats offers the progress page (streak, calendar, trends, weak
	// concepts) on the s key.
	ShowStats bool
	// HideStreak leaves the streak off every screen.
	HideStreak bool
	// Polish polishes an answer; nil hides the key.
	Polish PolishFunc
}

type state int

const (
	statePlan state = iota
	stateTask
	stateFeedback
	stateSummary
	stateStats
)

func (s state) String() string {
	return [...]string{"plan", "task", "feedback", "summary", "stats"}[s]
}

// autosaveEvery bounds what a crash can lose: a changed draft is written at the
// first tick at least this long after the previous write.
const (
	autosaveEvery = time.Second
	tickEvery     = 500 * time.Millisecond
)

// common is what every screen shares: the program's context (cancelled on
// SIGTERM, so in-flight LLM work stops), dependencies, styles, keys and size.
type common struct {
	ctx    context.Context
	deps   Deps
	keys   keyMap
	st     styles
	help   help.Model
	width  int
	height int
}

// Model is the root model.
type Model struct {
	c      *common
	state  state
	full   bool // the ? screen
	err    error
	status string
	framed bool

	day      *day
	plan     planModel
	task     *taskModel
	feedback *feedbackModel
	stats    statsModel
	summary  summaryModel
	// seq numbers the attempts of this run; async replies carry the number
	// they were started for and are dropped when it is no longer current.
	seq int
}

// New builds the app.
func New(d Deps) *Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Monotonic == nil {
		d.Monotonic = time.Now
	}
	if d.Practice == nil {
		d.Practice = &practice.Service{Bank: d.Bank, Store: d.Store, Now: d.Now}
	}
	c := &common{ctx: context.Background(), deps: d, keys: newKeyMap(), st: newStyles(d.Theme != "light", d.NoColor), help: help.New(),
		width: 80, height: 24}
	dy := &day{today: map[string]int{}}
	m := &Model{c: c, day: dy}
	m.plan = planModel{c: c, day: dy}
	m.stats = newStatsModel(c)
	m.summary = summaryModel{c: c, day: dy}
	return m
}

// Messages shared by the screens.
type (
	tickMsg time.Time
	// statusMsg sets the status line.
	statusMsg string
)

// Init loads the plan and asks the terminal for its background colour.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.day.load(m.c), tea.RequestBackgroundColor, tick())
}

func tick() tea.Cmd {
	return tea.Tick(tickEvery, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Update routes global messages first, then the active screen's.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.c.help.SetWidth(max(20, msg.Width))
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		// The terminal's answer counts only when the theme follows it.
		if t := m.c.deps.Theme; t != "dark" && t != "light" {
			m.c.st = newStyles(msg.IsDark(), m.c.deps.NoColor)
			m.layout()
		}
		return m, nil
	case planMsg:
		if msg.err != nil {
			m.err = msg.err
			m.c.deps.Log.Error("load plan", "err", msg.err)
			return m, nil
		}
		m.day.set(msg)
		return m, nil
	case statusMsg:
		m.status = string(msg)
		return m, nil
	case tickMsg:
		var cmd tea.Cmd
		if m.state == stateTask && m.task != nil {
			cmd = m.task.autosave(false)
		}
		return m, tea.Batch(tick(), cmd)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return m.route(msg)
}

// route hands a message to the screen it belongs to. Replies of async work
// go to the task or feedback screen that started them, which drops them when
// they are late.
func (m *Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	var nav navigation
	switch msg.(type) {
	case draftMsg, savedMsg, gradedMsg, editorDoneMsg:
		if m.task != nil {
			cmd, nav = m.task.update(msg)
		}
	case recordedMsg, polishChunkMsg, polishDoneMsg, polishSavedMsg, regradedMsg:
		if m.feedback != nil {
			cmd, nav = m.feedback.update(msg)
		}
	case statsMsg:
		cmd, nav = m.stats.update(msg)
	default:
		switch m.state {
		case stateTask:
			if m.task != nil {
				cmd, nav = m.task.update(msg)
			}
		case stateFeedback:
			if m.feedback != nil {
				cmd, nav = m.feedback.update(msg)
			}
		case stateStats:
			cmd, nav = m.stats.update(msg)
		}
	}
	return m, tea.Batch(cmd, m.navigate(nav))
}

func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.c.keys
	if key.Matches(msg, k.Quit) {
		var save tea.Cmd
		if m.state == stateTask && m.task != nil {
			save = m.task.autosave(true)
		}
		return m, tea.Sequence(save, tea.Quit)
	}
	if key.Matches(msg, k.HelpAnywhere) {
		m.full = !m.full
		return m, nil
	}
	if m.full {
		if key.Matches(msg, k.Help, k.Back, k.QuitPlan) {
			m.full = false
		}
		return m, nil
	}
	var cmd tea.Cmd
	var nav navigation
	switch m.state {
	case statePlan:
		cmd, nav = m.plan.key(msg)
	case stateTask:
		cmd, nav = m.task.key(msg)
	case stateFeedback:
		cmd, nav = m.feedback.key(msg)
	case stateStats:
		cmd, nav = m.stats.key(msg)
	case stateSummary:
		cmd, nav = m.summary.key(msg)
	}
	return m, tea.Batch(cmd, m.navigate(nav))
}

// navigation is what a screen asks the root to do after a key or a message.
type navigation struct {
	to     state
	move   bool // false: stay
	help   bool // open the ? screen
	quit   bool
	status *string
	// opening a task
	ex      *exercises.Exercise
	task    *exercises.Task
	prefill string // the editor starts with this text (a retry)
	// opening the feedback of an answer just graded, or of a recorded
	// attempt (a finished module reopened)
	graded *gradedAnswer
	last   *store.Attempt
}

func goTo(s state) navigation { return navigation{to: s, move: true} }

func openTask(ex *exercises.Exercise, t *exercises.Task, prefill string) navigation {
	return navigation{to: stateTask, move: true, ex: ex, task: t, prefill: prefill}
}

func say(s string) navigation { return navigation{status: &s} }

// navigate switches screens: leaving a task saves its draft, leaving a
// feedback screen cancels its polishing, arriving at the plan reloads it.
func (m *Model) navigate(n navigation) tea.Cmd {
	if n.status != nil {
		m.status = *n.status
	}
	if n.help {
		m.full = true
	}
	if n.quit {
		return tea.Quit
	}
	if !n.move {
		return nil
	}
	var cmds []tea.Cmd
	if m.task != nil && m.state == stateTask {
		cmds = append(cmds, m.task.autosave(true)) // leaving a task never loses its text
	}
	// Leaving the feedback counts the time spent reading it; the plan reloaded
	// below must see it, so the write comes first.
	var counted tea.Cmd
	if m.feedback != nil && m.state == stateFeedback && n.to != stateFeedback {
		counted = m.feedback.countReadTime()
	}
	if m.feedback != nil && !(n.to == stateFeedback) {
		m.feedback.close()
	}
	if n.status == nil {
		m.status = ""
	}
	prev := m.state
	m.state = n.to
	switch n.to {
	case statePlan, stateSummary:
		if prev == stateTask || prev == stateFeedback {
			cmds = append(cmds, m.day.load(m.c))
		}
	case stateStats:
		cmds = append(cmds, m.stats.open())
	case stateTask:
		m.seq++
		m.task = newTaskModel(m.c, m.day, n.ex, n.task, m.seq, n.prefill)
		if n.prefill != "" {
			m.status = "Your previous answer is in the editor: edit it, or ctrl+u clears a line."
		}
		cmds = append(cmds, m.task.init())
	case stateFeedback:
		if n.graded != nil {
			// The feedback of an answer shares the task's seq: it is the same attempt.
			var record tea.Cmd
			m.feedback, record = recordNew(m.c, m.day, n.ex, n.task, m.task.seq, n.graded)
			m.status = n.graded.note
			cmds = append(cmds, record)
			break
		}
		m.seq++
		m.feedback = reopenFeedback(m.c, m.day, n.ex, n.task, n.last, m.seq)
		m.status = "Your last answer to this task today, graded again offline: r retries from it, n moves on."
	}
	if counted != nil {
		return tea.Sequence(counted, tea.Batch(cmds...))
	}
	return tea.Batch(cmds...)
}

func (m *Model) layout() {
	if m.task != nil {
		m.task.layout()
	}
	if m.feedback != nil {
		m.feedback.layout()
	}
	m.stats.layout()
}

// View draws the active screen. It has no side effects.
func (m *Model) View() tea.View {
	var body string
	switch {
	case m.err != nil:
		body = m.c.st.Bad.Render("Error: "+m.err.Error()) + "\n\nctrl+c quits."
	case m.full:
		body = m.fullHelpView()
	case m.state == statePlan:
		body = m.plan.view(m.status)
	case m.state == stateTask && m.task != nil:
		body = m.task.view(m.status)
	case m.state == stateFeedback && m.feedback != nil:
		body = m.feedback.view(m.status)
	case m.state == stateSummary:
		body = m.summary.view(m.status)
	case m.state == stateStats:
		body = m.stats.view(m.status)
	}
	v := tea.NewView(body)
	v.AltScreen = true
	v.WindowTitle = "drill"
	return v
}

// logFirstFrame logs how long the first frame with the plan took, once.
func (m *Model) logFirstFrame() {
	if !m.framed && m.day.plan != nil && !m.c.deps.Started.IsZero() {
		m.framed = true
		m.c.deps.Log.Info("first frame with the plan", "since_start", time.Since(m.c.deps.Started))
	}
}

func (m *Model) fullHelpView() string {
	var hk helpKeys
	switch {
	case m.state == statePlan:
		hk = m.c.keys.planHelp(m.c.deps.ShowStats)
	case m.state == stateTask && m.task != nil:
		hk = m.task.helpKeys()
	case m.state == stateFeedback && m.feedback != nil:
		hk = m.feedback.helpKeys()
	case m.state == stateStats:
		hk = m.c.keys.statsHelp()
	default:
		hk = m.c.keys.summaryHelp()
	}
	st := m.c.st
	var b strings.Builder
	b.WriteString(st.Title.Render("Keys") + "\n\n")
	for _, col := range hk.full {
		for _, k := range col {
			h := k.Help()
			fmt.Fprintf(&b, "  %-12s %s\n", st.Key.Render(h.Key), h.Desc)
		}
		b.WriteString("\n")
	}
	b.WriteString(st.Subtle.Render("Press ?, f1 or esc to close."))
	return b.String()
}

// renderMarkdown renders md at width in the screen's theme.
func (c *common) renderMarkdown(md string, width int) string {
	theme := markdown.Dark
	switch {
	case c.deps.NoColor:
		theme = markdown.NoColor
	case !c.st.Dark:
		theme = markdown.Light
	}
	return markdown.Render(md, max(20, width), theme)
}

// Run opens the app on the terminal and returns when the learner quits.
//
// ctx is the program's: when it is cancelled (SIGTERM, SIGHUP) the program
// stops and every LLM request in flight is cancelled with it. However the
// program ends (quit, a signal, a panic that bubbletea recovers), the text in
// the editor is written to the store before Run returns: nothing the learner
// typed is lost to the way the app stopped.
func Run(ctx context.Context, d Deps) error {
	m := New(d)
	m.c.ctx = ctx
	p := tea.NewProgram(firstFrame{m}, tea.WithContext(ctx), tea.WithEnvironment(os.Environ()))
	_, err := p.Run()
	if ferr := m.FlushDraft(context.WithoutCancel(ctx)); ferr != nil {
		m.c.deps.Log.Error("final draft save", "err", ferr)
	}
	if ferr := m.FlushReadTime(context.WithoutCancel(ctx)); ferr != nil {
		m.c.deps.Log.Error("final reading time", "err", ferr)
	}
	if err != nil && ctx.Err() != nil {
		return nil
	}
	return err
}

// firstFrame logs the start-up time once the plan is on screen, outside View.
type firstFrame struct{ *Model }

func (f firstFrame) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := f.Model.Update(msg)
	if _, ok := msg.(planMsg); ok {
		f.logFirstFrame()
	}
	return f, cmd
}

// FlushDraft writes the editor's text to the store now, if it changed since the
// last save. Call it only once the program has stopped.
func (m *Model) FlushDraft(ctx context.Context) error {
	if m.state != stateTask || m.task == nil {
		return nil
	}
	return m.task.flush(ctx)
}

// FlushReadTime counts the time spent on the feedback screen the program
// stopped on (quit, a signal) towards the day's time spent. Call it only once
// the program has stopped.
func (m *Model) FlushReadTime(ctx context.Context) error {
	if m.state != stateFeedback || m.feedback == nil {
		return nil
	}
	day, d, ok := m.feedback.readTime()
	if !ok || d < time.Second {
		return nil
	}
	return m.c.deps.Store.AddPracticeTime(ctx, day, d)
}

// helpView is the help bar, cut to the screen's width: the help model keeps
// adding keys past its width when there is no room left for its ellipsis.
func (c *common) helpView(k helpKeys) string {
	return truncate(c.help.View(k), max(20, c.width))
}
