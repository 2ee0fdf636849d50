package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/internal/text"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/store"
)

// taskModel is one task being answered: the prompt, the editor, the countdown
// and the draft. A new one is made each time a task is opened; seq identifies
// it, and replies of its async work carry seq.
type taskModel struct {
	c   *common
	day *day
	seq int
	ex  *exercises.Exercise
	t   *exercises.Task

	prompt      viewportModel
	pin         string // the task itself, kept on screen above the scenario
	editor      textarea.Model
	focusPrompt bool
	lang        string // "zh" or "en": the language of the prompt shown

	opened      time.Time
	baseElapsed time.Duration
	savedBody   string
	savedAt     time.Time
	elapsed     time.Duration // frozen at submit
	grading     bool          // an LLM grade is on its way
}

type (
	draftMsg struct {
		seq     int
		body    string
		elapsed time.Duration
	}
	savedMsg struct {
		seq  int
		body string
		at   time.Time
		err  error
	}
	gradedMsg struct {
		seq    int
		answer string
		res    *grader.Result
		note   string
	}
	editorDoneMsg struct {
		seq  int
		body string
		err  error
	}
)

func newEditor() textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.CharLimit = 0
	ta.MaxHeight = 0
	ta.Placeholder = "Type your answer in English…"
	ta.Prompt = "│ "
	return ta
}

// newTaskModel opens t. prefill, when not empty, is the previous answer a
// retry starts from; otherwise the task's draft is loaded.
func newTaskModel(c *common, d *day, ex *exercises.Exercise, t *exercises.Task, seq int, prefill string) *taskModel {
	m := &taskModel{c: c, day: d, seq: seq, ex: ex, t: t, prompt: newViewport(), editor: newEditor(), lang: "zh",
		opened: c.deps.Monotonic()}
	if prefill != "" {
		m.editor.SetValue(prefill)
	}
	m.editor.Focus()
	m.layout()
	return m
}

func (m *taskModel) init() tea.Cmd {
	if m.editor.Value() != "" {
		return nil // a retry starts from the previous answer, not the draft
	}
	st, ctx, ex, t, seq := m.c.deps.Store, m.c.ctx, m.ex.ID, m.t.ID, m.seq
	return func() tea.Msg {
		dr, err := st.GetDraft(ctx, ex, t)
		if err != nil {
			return nil
		}
		return draftMsg{seq: seq, body: dr.Body, elapsed: time.Duration(dr.ElapsedMS) * time.Millisecond}
	}
}

// elapsedNow is the time spent on the task, including earlier sessions of its draft.
func (m *taskModel) elapsedNow() time.Duration {
	if m.elapsed > 0 {
		return m.elapsed
	}
	return m.baseElapsed + m.c.deps.Monotonic().Sub(m.opened)
}

// autosave writes the draft when it changed; force skips the interval.
func (m *taskModel) autosave(force bool) tea.Cmd {
	body := m.editor.Value()
	now := m.c.deps.Monotonic()
	if body == m.savedBody || (!force && now.Sub(m.savedAt) < autosaveEvery) {
		return nil
	}
	dr := store.Draft{Exercise: m.ex.ID, Task: m.t.ID, Body: body, ElapsedMS: m.elapsedNow().Milliseconds()}
	st, seq := m.c.deps.Store, m.seq
	// The draft is written even when the program is stopping: its own context.
	ctx := context.WithoutCancel(m.c.ctx)
	m.savedAt = now // one write in flight at a time per interval
	return func() tea.Msg {
		return savedMsg{seq: seq, body: body, at: now, err: st.SaveDraft(ctx, dr)}
	}
}

// flush writes the draft now if it changed; for when the program has stopped.
func (m *taskModel) flush(ctx context.Context) error {
	body := m.editor.Value()
	if body == m.savedBody {
		return nil
	}
	err := m.c.deps.Store.SaveDraft(ctx, store.Draft{Exercise: m.ex.ID, Task: m.t.ID, Body: body, ElapsedMS: m.elapsedNow().Milliseconds()})
	if err == nil {
		m.savedBody = body
	}
	return err
}

func (m *taskModel) update(msg tea.Msg) (tea.Cmd, navigation) {
	switch msg := msg.(type) {
	case savedMsg:
		if msg.seq != m.seq {
			return nil, navigation{}
		}
		if msg.err != nil {
			m.c.deps.Log.Error("save draft", "err", msg.err)
			return nil, say("Could not save the draft: " + msg.err.Error() + " (your text is still here)")
		}
		m.savedBody, m.savedAt = msg.body, msg.at
		return nil, navigation{}
	case draftMsg:
		if msg.seq != m.seq || msg.body == "" {
			return nil, navigation{}
		}
		m.editor.SetValue(msg.body)
		m.savedBody, m.baseElapsed = msg.body, msg.elapsed
		return nil, say("Draft restored.")
	case gradedMsg:
		if msg.seq != m.seq {
			return nil, navigation{}
		}
		m.grading = false
		return nil, m.graded(msg.answer, msg.res, msg.note)
	case editorDoneMsg:
		if msg.seq != m.seq {
			return nil, navigation{}
		}
		if msg.err != nil {
			return nil, say("Editor: " + msg.err.Error())
		}
		m.editor.SetValue(strings.TrimRight(msg.body, "\n"))
		return m.autosave(true), say("Text from the editor is in; ctrl+s submits.")
	}
	var cmd tea.Cmd
	if m.focusPrompt {
		m.prompt.Model, cmd = m.prompt.Update(msg)
	} else {
		m.editor, cmd = m.editor.Update(msg)
	}
	return cmd, navigation{}
}

func (m *taskModel) key(msg tea.KeyPressMsg) (tea.Cmd, navigation) {
	k := m.c.keys
	switch {
	case key.Matches(msg, k.Submit):
		return m.submit()
	case key.Matches(msg, k.Editor):
		return m.openEditor()
	case key.Matches(msg, k.Lang):
		if m.hasEnglish() {
			m.lang = map[string]string{"zh": "en", "en": "zh"}[m.lang]
			m.layout()
		}
		return nil, navigation{}
	case key.Matches(msg, k.Focus):
		m.focusPrompt = !m.focusPrompt
		if m.focusPrompt {
			m.editor.Blur()
			return nil, navigation{}
		}
		return m.editor.Focus(), navigation{}
	case key.Matches(msg, k.Back):
		return nil, goTo(statePlan)
	case key.Matches(msg, k.Help) && m.focusPrompt:
		return nil, navigation{help: true}
	case key.Matches(msg, k.Scroll):
		var cmd tea.Cmd
		m.prompt.Model, cmd = m.prompt.Update(msg)
		return cmd, navigation{}
	}
	var cmd tea.Cmd
	if m.focusPrompt {
		m.prompt.Model, cmd = m.prompt.Update(msg)
	} else {
		m.editor, cmd = m.editor.Update(msg)
	}
	return cmd, navigation{}
}

func (m *taskModel) hasEnglish() bool { return strings.TrimSpace(m.t.Prompt.EN) != "" }

// submit grades the answer; the feedback screen records it.
func (m *taskModel) submit() (tea.Cmd, navigation) {
	if m.grading {
		return nil, navigation{}
	}
	answer := m.editor.Value()
	el := m.elapsedNow()
	res, err := modules.Grade(m.ex, m.t, answer, el)
	if err != nil {
		if errors.Is(err, grader.ErrEmpty) {
			return nil, say("Nothing to grade yet: write at least one sentence, then ctrl+s.")
		}
		return nil, say(err.Error())
	}
	m.elapsed = el
	if m.c.deps.LLMGrade == nil {
		return nil, m.graded(answer, res, "")
	}
	// The LLM grade is combined before anything is shown or stored; the editor
	// keeps the text meanwhile, and any failure falls back to the offline grade.
	m.grading = true
	ex, t, grade, ctx, seq := m.ex, m.t, m.c.deps.LLMGrade, m.c.ctx, m.seq
	return func() tea.Msg {
		combined, note := grade(ctx, ex, t, answer, res)
		return gradedMsg{seq: seq, answer: answer, res: combined, note: note}
	}, say("Grading with the LLM…")
}

func (m *taskModel) graded(answer string, res *grader.Result, note string) navigation {
	return navigation{to: stateFeedback, move: true, ex: m.ex, task: m.t, graded: &gradedAnswer{answer: answer, res: res, note: note}}
}

// gradedAnswer is an answer just graded, on its way to the feedback screen.
type gradedAnswer struct {
	answer string
	res    *grader.Result
	note   string
}

// openEditor hands the draft to the editor and takes back what it saved.
func (m *taskModel) openEditor() (tea.Cmd, navigation) {
	if m.c.deps.Editor == "" {
		return nil, say("No editor found: set $VISUAL or $EDITOR (vi and nano were not found either).")
	}
	f, err := os.CreateTemp("", "drill-*.md")
	if err != nil {
		return nil, say(err.Error())
	}
	name := f.Name()
	_, err = f.WriteString(m.editor.Value())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, say(err.Error())
	}
	parts := strings.Fields(m.c.deps.Editor)
	c := exec.Command(parts[0], append(parts[1:], name)...)
	seq := m.seq
	return tea.Sequence(m.autosave(true), tea.ExecProcess(c, func(err error) tea.Msg {
		defer os.Remove(name)
		if err != nil {
			return editorDoneMsg{seq: seq, err: err}
		}
		data, err := os.ReadFile(name)
		return editorDoneMsg{seq: seq, body: string(data), err: err}
	})), navigation{}
}

// fixedRows are the task screen's rows outside the panes: two header lines,
// the counters, the status and the help.
const fixedRows = 5

// layout sizes the panes and renders the prompt. The task (what to do and its
// limits) is pinned above the scrolling scenario, so the question is on screen
// while the countdown runs, at any size down to 80x24.
func (m *taskModel) layout() {
	c := m.c
	w := max(20, c.width)
	room := c.height - fixedRows
	ph := max(3, room*60/100)
	eh := max(3, room-ph)
	m.editor.SetWidth(w)
	m.editor.SetHeight(eh)

	rw := w - 2
	task := ""
	if lim := modules.Limits(m.t); lim != "" {
		task = lim + "\n\n"
	}
	task += strings.TrimSpace(modules.JoinCJKLines(sanitize.Text(m.t.Prompt.In(m.lang))))
	pinned := c.renderMarkdown(task, rw)
	scenario := ""
	if sc := m.ex.Scenario(m.lang); sc != "" {
		scenario = modules.JoinCJKLines(sanitize.Text(sc))
	}
	lines := strings.Split(pinned, "\n")
	// The pinned task takes what it needs, leaving the scenario at least two
	// rows; a longer task continues in the pane below.
	maxPin := ph
	if scenario != "" {
		maxPin = max(2, ph-2)
	}
	md := scenario
	if len(lines) > maxPin {
		lines = append(lines[:maxPin-1], c.st.Subtle.Render("  … the task continues below (pgdn)"))
		md = "## Task\n\n" + task
		if scenario != "" {
			md += "\n\n---\n\n" + scenario
		}
	}
	m.pin = strings.Join(lines, "\n")
	m.prompt.SetWidth(w)
	m.prompt.SetHeight(max(1, ph-len(lines)))
	if md == "" {
		m.prompt.SetContent("")
	} else {
		m.prompt.SetContent(c.renderMarkdown(md, rw))
	}
}

func (m *taskModel) helpKeys() helpKeys { return m.c.keys.taskHelp(m.hasEnglish()) }

// where says where the task sits in the day: module 2/4, task 1/3.
func (m *taskModel) where() string {
	mod, n := 0, 0
	for i, it := range m.day.items() {
		if it.ex.ID == m.ex.ID {
			mod, n = i+1, len(m.day.items())
		}
	}
	ti := 0
	for i, t := range m.ex.Tasks {
		if t.ID == m.t.ID {
			ti = i + 1
		}
	}
	var parts []string
	if mod > 0 {
		parts = append(parts, fmt.Sprintf("module %d/%d", mod, n))
	}
	if ti > 0 {
		parts = append(parts, fmt.Sprintf("task %d/%d", ti, len(m.ex.Tasks)))
	} else if m.t.Kind != "" && m.t.Kind != "task" {
		parts = append(parts, m.t.Kind)
	}
	return strings.Join(parts, ", ")
}

func (m *taskModel) view(status string) string {
	st := m.c.st
	mod, _ := modules.Get(m.ex.Module)
	w := max(20, m.c.width)
	head := st.Title.Render(mod.Key + " " + mod.Title)
	if wh := m.where(); wh != "" {
		head += st.Subtle.Render(" · " + wh)
	}
	head += st.Subtle.Render(" · " + sanitize.Text(m.ex.Title))
	line2 := st.Accent.Render(sanitize.Text(m.t.Title))
	if t := m.timer(); t != "" {
		line2 += "  " + t
	}
	focus := "editor"
	if m.focusPrompt {
		focus = "prompt (↑/↓ scroll)"
	}
	line2 += st.Subtle.Render("  focus: " + focus)
	if m.hasEnglish() {
		line2 += st.Subtle.Render("  " + map[string]string{"zh": "中文 (ctrl+l: EN)", "en": "EN (ctrl+l: 中文)"}[m.lang])
	}
	if !m.prompt.AtBottom() {
		line2 += st.Subtle.Render(fmt.Sprintf("  %d%% ↓ pgdn", int(m.prompt.ScrollPercent()*100)))
	}
	var b strings.Builder
	b.WriteString(truncate(head, w) + "\n" + truncate(line2, w) + "\n")
	b.WriteString(m.pin + "\n")
	if m.prompt.Height() > 0 && m.prompt.TotalLineCount() > 0 {
		b.WriteString(m.prompt.View() + "\n")
	} else {
		b.WriteString(strings.Repeat("\n", m.prompt.Height()))
	}
	b.WriteString(truncate(m.counters(), w) + "\n")
	b.WriteString(m.editor.View() + "\n")
	b.WriteString(truncate(st.Status.Render(status), w) + "\n")
	b.WriteString(m.c.helpView(m.helpKeys()))
	return b.String()
}

// timer shows the countdown of a timed task; past the limit it counts on, marked.
func (m *taskModel) timer() string {
	st := m.c.st
	lim := time.Duration(m.t.TimeLimit)
	el := m.elapsedNow()
	if lim <= 0 {
		return st.Subtle.Render("⏱ " + fmtDuration(el.Truncate(time.Second)))
	}
	left := lim - el
	if left >= 0 {
		return st.Warn.Render(fmt.Sprintf("⏱ %ds left", int(left.Seconds()+0.999)))
	}
	return st.Bad.Render(fmt.Sprintf("⏱ over time +%ds", int((-left).Seconds())))
}

// counters shows live word and sentence counts against the task's limits,
// counted as the grader counts them.
func (m *taskModel) counters() string {
	st := m.c.st
	answer := m.editor.Value()
	part := func(name string, n, limit int) string {
		s := fmt.Sprintf("%s %d", name, n)
		if limit > 0 {
			s += fmt.Sprintf("/%d", limit)
			if n > limit {
				return st.Bad.Render(s)
			}
		}
		return st.Subtle.Render(s)
	}
	saved := ""
	if m.savedBody == answer && answer != "" {
		saved = st.Subtle.Render(" · draft saved")
	}
	return part("words", text.CountWords(answer), m.t.MaxWords) + st.Subtle.Render(" · ") +
		part("sentences", text.CountSentences(answer), m.t.MaxSentences) + saved
}
