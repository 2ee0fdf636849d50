// Package ui is drill's full-screen terminal app: the day's plan, the task screen
// with its editor and countdown, the coach's feedback and the end-of-day summary.
// It is the only package that imports bubbletea. All I/O runs inside tea.Cmds.
package ui

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// Deps are what the app needs from the outside world.
type Deps struct {
	Bank  *exercises.Bank
	Store *store.Store
	Now   func() time.Time
	Log   *slog.Logger
	// NoColor drops every colour (NO_COLOR is set).
	NoColor bool
	// Editor is the command for ctrl+e ($VISUAL or $EDITOR); empty disables it.
	Editor string
	// AfterAttempt runs after an attempt is stored (the review scheduler).
	AfterAttempt func(ctx context.Context, a *store.Attempt) error
	// Started is when the process started; the first frame logs the time since.
	Started time.Time
	// LLMGrade combines an LLM grade with the offline one; nil grades offline
	// only. It never fails: on any problem it returns offline and says why.
	LLMGrade func(ctx context.Context, ex *exercises.Exercise, t *exercises.Task, answer string, offline *grader.Result) (*grader.Result, string)
	// Stats renders the progress page (streak, calendar, trends, weak concepts);
	// nil hides the key.
	Stats func(ctx context.Context, now time.Time) (string, error)
	// Streak counts the practice streak; nil counts consecutive practice days.
	Streak func(ctx context.Context, now time.Time) (int, error)
	// HideStreak leaves the streak off every screen.
	HideStreak bool
	// Polish polishes an answer; nil hides the key.
	Polish PolishFunc
	// Plan builds the day's plan; schedule.Today when nil.
	Plan func(ctx context.Context, now time.Time) (*schedule.Plan, error)
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

// Model is the root model.
type Model struct {
	deps   Deps
	keys   keyMap
	st     styles
	help   help.Model
	width  int
	height int
	state  state
	full   bool // the ? screen
	err    error
	status string

	plan   *schedule.Plan
	today  map[string]int // "exercise/task" → best score today
	spent  time.Duration
	streak int
	// comingBack is what tomorrow's plan brings back, given today's answers.
	comingBack []string

	// task screen
	ex          *exercises.Exercise
	task        *exercises.Task
	prompt      viewport.Model
	editor      textarea.Model
	focusPrompt bool
	opened      time.Time
	baseElapsed time.Duration
	savedBody   string
	savedAt     time.Time
	elapsed     time.Duration // frozen at submit
	grading     bool          // an LLM grade is on its way

	// feedback screen
	result     *grader.Result
	feedback   viewport.Model
	lastAnswer string
	attemptID  int64
	polishing  bool
	polishText string
	polished   *PolishResult
	polishErr  error
	polishCh   <-chan tea.Msg

	renderers map[int]*glamour.TermRenderer
	framed    bool

	// stats screen
	statsView viewport.Model
}

// New builds the app.
func New(d Deps) *Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Plan == nil {
		d.Plan = func(ctx context.Context, now time.Time) (*schedule.Plan, error) {
			return schedule.Today(ctx, d.Bank, d.Store, now)
		}
	}
	m := &Model{deps: d, keys: newKeyMap(), st: newStyles(true, d.NoColor), help: help.New(),
		width: 80, height: 24, renderers: map[int]*glamour.TermRenderer{}, today: map[string]int{}}
	m.editor = newEditor()
	m.prompt = viewport.New()
	m.feedback = viewport.New()
	m.statsView = viewport.New()
	return m
}

func newEditor() textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.Placeholder = "Type your answer in English…"
	ta.Prompt = "│ "
	return ta
}

// Messages.
type (
	planMsg struct {
		plan   *schedule.Plan
		today  map[string]int
		spent  time.Duration
		streak int
		back   []string
		err    error
	}
	draftMsg struct {
		ex, task string
		body     string
		elapsed  time.Duration
	}
	savedMsg struct {
		body string
		at   time.Time
		err  error
	}
	recordedMsg struct {
		attempt *store.Attempt
		err     error
	}
	editorDoneMsg struct {
		body string
		err  error
	}
	gradedMsg struct {
		ex, task, answer string
		res              *grader.Result
		note             string
	}
	statsMsg struct {
		text string
		err  error
	}
	tickMsg time.Time
)

// Init loads the plan and asks the terminal for its background colour.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadPlan(), tea.RequestBackgroundColor, tick())
}

func tick() tea.Cmd {
	return tea.Tick(tickEvery, func(t time.Time) tea.Msg { return tickMsg(t) })
}

func (m *Model) loadPlan() tea.Cmd {
	d := m.deps
	return func() tea.Msg {
		ctx := context.Background()
		now := d.Now()
		plan, err := d.Plan(ctx, now)
		if err != nil {
			return planMsg{err: err}
		}
		msg := planMsg{plan: plan, today: map[string]int{}}
		day := now.Format(store.DateLayout)
		atts, err := d.Store.Attempts(ctx, store.Filter{Since: now.Add(-48 * time.Hour)})
		if err != nil {
			return planMsg{err: err}
		}
		for _, a := range atts {
			if a.Day != day {
				continue
			}
			k := a.Exercise + "/" + a.Task
			if s, ok := msg.today[k]; !ok || a.Score > s {
				msg.today[k] = a.Score
			}
			msg.spent += time.Duration(a.ElapsedMS) * time.Millisecond
		}
		days, err := d.Store.Days(ctx)
		if err != nil {
			return planMsg{err: err}
		}
		msg.streak = streak(days, now)
		if d.Streak != nil {
			if n, err := d.Streak(ctx, now); err == nil {
				msg.streak = n
			}
		}
		if next, err := d.Plan(ctx, now.AddDate(0, 0, 1)); err == nil {
			for _, it := range next.Items {
				msg.back = append(msg.back, fmt.Sprintf("%s: %s (%s)", it.Module, sanitize.Text(it.Exercise.Title), it.Reason))
			}
		}
		return msg
	}
}

// streak counts consecutive practice days ending today, or yesterday when today
// has no practice yet (the streak is still alive until the day ends).
func streak(days []store.Day, now time.Time) int {
	have := map[string]bool{}
	for _, d := range days {
		have[d.Day] = true
	}
	day := now
	if !have[day.Format(store.DateLayout)] {
		day = day.AddDate(0, 0, -1)
	}
	n := 0
	for have[day.Format(store.DateLayout)] {
		n++
		day = day.AddDate(0, 0, -1)
	}
	return n
}

// Update routes global messages first, then the active screen's.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.st = newStyles(msg.IsDark(), m.deps.NoColor)
		m.renderers = map[int]*glamour.TermRenderer{}
		m.refreshContent()
		return m, nil
	case planMsg:
		if msg.err != nil {
			m.err = msg.err
			m.deps.Log.Error("load plan", "err", msg.err)
			return m, nil
		}
		m.plan, m.today, m.spent, m.streak, m.comingBack = msg.plan, msg.today, msg.spent, msg.streak, msg.back
		return m, nil
	case tickMsg:
		return m, tea.Batch(tick(), m.autosave(false))
	case savedMsg:
		if msg.err != nil {
			m.status = "Could not save the draft: " + msg.err.Error() + " (your text is still here)"
			m.deps.Log.Error("save draft", "err", msg.err)
		} else {
			m.savedBody, m.savedAt = msg.body, msg.at
		}
		return m, nil
	case draftMsg:
		if m.ex != nil && m.ex.ID == msg.ex && m.task.ID == msg.task && msg.body != "" {
			m.editor.SetValue(msg.body)
			m.savedBody, m.baseElapsed = msg.body, msg.elapsed
			m.status = "Draft restored."
		}
		return m, nil
	case statsMsg:
		if msg.err != nil {
			m.status = "Could not compute the stats: " + msg.err.Error()
			m.state = statePlan
			return m, nil
		}
		m.statsView.SetContent(sanitize.Text(msg.text))
		m.statsView.GotoTop()
		return m, nil
	case gradedMsg:
		if m.state != stateTask || m.ex == nil || m.ex.ID != msg.ex || m.task.ID != msg.task {
			m.grading = false
			return m, nil
		}
		return m, m.showResult(msg.answer, msg.res, msg.note)
	case polishChunkMsg:
		m.polishText += string(msg)
		m.refreshContent()
		m.feedback.GotoBottom()
		return m, waitPolish(m.polishCh)
	case polishDoneMsg:
		m.polishing = false
		m.polished, m.polishErr = msg.res, msg.err
		if msg.err != nil {
			m.deps.Log.Error("polish", "err", msg.err)
		}
		m.refreshContent()
		m.feedback.GotoBottom()
		return m, waitPolish(m.polishCh)
	case polishSavedMsg:
		if msg.err != nil {
			m.status = "Could not save the polished version: " + msg.err.Error()
		} else {
			m.status = "Polished version saved with the attempt."
		}
		return m, nil
	case recordedMsg:
		if msg.err == nil && msg.attempt != nil {
			m.attemptID = msg.attempt.ID
		}
		if msg.err != nil {
			m.status = "Could not record the attempt: " + msg.err.Error()
			m.deps.Log.Error("record attempt", "err", msg.err)
		}
		return m, m.loadPlan()
	case editorDoneMsg:
		if msg.err != nil {
			m.status = "Editor: " + msg.err.Error()
		} else {
			m.editor.SetValue(strings.TrimRight(msg.body, "\n"))
			m.status = "Text from the editor is in; ctrl+s submits."
		}
		return m, m.autosave(true)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	}
	return m.updateActive(msg)
}

func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "ctrl+c" {
		return m, tea.Sequence(m.autosave(true), tea.Quit)
	}
	if msg.String() == "f1" {
		m.full = !m.full
		return m, nil
	}
	if m.full {
		if msg.String() == "?" || msg.String() == "esc" || msg.String() == "q" {
			m.full = false
		}
		return m, nil
	}
	switch m.state {
	case statePlan:
		return m.planKey(msg)
	case stateTask:
		return m.taskKey(msg)
	case stateFeedback:
		return m.feedbackKey(msg)
	case stateStats:
		switch msg.String() {
		case "esc", "q":
			m.state = statePlan
		case "?":
			m.full = true
		default:
			var cmd tea.Cmd
			m.statsView, cmd = m.statsView.Update(msg)
			return m, cmd
		}
	case stateSummary:
		switch msg.String() {
		case "esc":
			m.state = statePlan
		case "q":
			return m, tea.Quit
		case "?":
			m.full = true
		}
	}
	return m, nil
}

func (m *Model) updateActive(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.state {
	case stateTask:
		if m.focusPrompt {
			m.prompt, cmd = m.prompt.Update(msg)
		} else {
			m.editor, cmd = m.editor.Update(msg)
		}
	case stateFeedback:
		m.feedback, cmd = m.feedback.Update(msg)
	}
	return m, cmd
}

// View draws the active screen.
func (m *Model) View() tea.View {
	var body string
	switch {
	case m.err != nil:
		body = m.st.Bad.Render("Error: "+m.err.Error()) + "\n\nctrl+c quits."
	case m.full:
		body = m.fullHelpView()
	case m.state == statePlan:
		body = m.planView()
	case m.state == stateTask:
		body = m.taskView()
	case m.state == stateFeedback:
		body = m.feedbackView()
	case m.state == stateSummary:
		body = m.summaryView()
	case m.state == stateStats:
		body = m.statsScreen()
	}
	if !m.framed && m.plan != nil && !m.deps.Started.IsZero() {
		m.framed = true
		m.deps.Log.Info("first frame with the plan", "since_start", time.Since(m.deps.Started))
	}
	v := tea.NewView(body)
	v.AltScreen = true
	v.WindowTitle = "drill"
	return v
}

// feedbackKeys lists only the keys that do something on this feedback screen.
func (m *Model) feedbackKeys() helpKeys {
	t := m.task
	accept := m.polished != nil && m.polished.Text != "" && m.attemptID != 0
	return m.keys.feedbackHelp(t != nil && len(t.Variants) > 0, t != nil && len(t.FollowUps) > 0, m.deps.Polish != nil, accept)
}

func (m *Model) fullHelpView() string {
	var hk helpKeys
	switch m.state {
	case statePlan:
		hk = m.keys.planHelp(m.deps.Stats != nil)
	case stateTask:
		hk = m.keys.taskHelp()
	case stateFeedback:
		hk = m.feedbackKeys()
	case stateStats:
		hk = m.keys.statsHelp()
	default:
		hk = m.keys.summaryHelp()
	}
	var b strings.Builder
	b.WriteString(m.st.Title.Render("Keys") + "\n\n")
	for _, col := range hk.full {
		for _, k := range col {
			h := k.Help()
			fmt.Fprintf(&b, "  %-12s %s\n", m.st.Key.Render(h.Key), h.Desc)
		}
		b.WriteString("\n")
	}
	b.WriteString(m.st.Subtle.Render("Press ?, f1 or esc to close."))
	return b.String()
}

// renderMarkdown renders md with glamour at width, falling back to the raw text.
func (m *Model) renderMarkdown(md string, width int) string {
	width = max(20, width)
	r, ok := m.renderers[width]
	if !ok {
		style := "dark"
		switch {
		case m.deps.NoColor:
			style = "notty"
		case !m.st.Dark:
			style = "light"
		}
		var err error
		r, err = glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
		if err != nil {
			return md
		}
		m.renderers[width] = r
	}
	out, err := r.Render(md)
	if err != nil {
		return md
	}
	return strings.Trim(out, "\n")
}

// Run opens the app on the terminal and returns when the learner quits.
//
// However the program ends (quit, a signal that cancels ctx, a panic that
// bubbletea recovers), the text in the editor is written to the store before Run
// returns: nothing the learner typed is lost to the way the app stopped.
func Run(ctx context.Context, d Deps) error {
	m := New(d)
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithEnvironment(os.Environ()))
	_, err := p.Run()
	if ferr := m.FlushDraft(context.WithoutCancel(ctx)); ferr != nil {
		m.deps.Log.Error("final draft save", "err", ferr)
	}
	if err != nil && ctx.Err() != nil {
		return nil
	}
	return err
}

// FlushDraft writes the editor's text to the store now, if it changed since the
// last save. Call it only once the program has stopped.
func (m *Model) FlushDraft(ctx context.Context) error {
	if m.state != stateTask || m.ex == nil || m.task == nil {
		return nil
	}
	body := m.editor.Value()
	if body == m.savedBody {
		return nil
	}
	err := m.deps.Store.SaveDraft(ctx, store.Draft{Exercise: m.ex.ID, Task: m.task.ID, Body: body, ElapsedMS: m.elapsedNow().Milliseconds()})
	if err == nil {
		m.savedBody = body
	}
	return err
}
