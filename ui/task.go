package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/store"
)

// openTask shows a task with an empty editor and loads its draft.
func (m *Model) openTask(ex *exercises.Exercise, t *exercises.Task) tea.Cmd {
	save := m.autosave(true) // leaving a task never loses its text
	m.ex, m.task = ex, t
	m.state = stateTask
	m.result = nil
	m.focusPrompt = false
	m.editor.Reset()
	m.editor.Focus()
	m.savedBody, m.baseElapsed, m.elapsed = "", 0, 0
	m.opened = m.deps.Now()
	m.status = ""
	m.layout()
	m.prompt.GotoTop()
	d := m.deps
	load := func() tea.Msg {
		dr, err := d.Store.GetDraft(context.Background(), ex.ID, t.ID)
		if err != nil {
			return nil
		}
		return draftMsg{ex: ex.ID, task: t.ID, body: dr.Body, elapsed: time.Duration(dr.ElapsedMS) * time.Millisecond}
	}
	return tea.Sequence(save, load)
}

// elapsedNow is the time spent on the task, including earlier sessions of its draft.
func (m *Model) elapsedNow() time.Duration {
	if m.elapsed > 0 {
		return m.elapsed
	}
	return m.baseElapsed + m.deps.Now().Sub(m.opened)
}

// autosave writes the draft when it changed; force skips the interval.
func (m *Model) autosave(force bool) tea.Cmd {
	if m.state != stateTask || m.ex == nil {
		return nil
	}
	body := m.editor.Value()
	now := m.deps.Now()
	if body == m.savedBody || (!force && now.Sub(m.savedAt) < autosaveEvery) {
		return nil
	}
	d := Draft{Exercise: m.ex.ID, Task: m.task.ID, Body: body, Elapsed: m.elapsedNow()}
	st := m.deps.Store
	m.savedAt = now // one write in flight at a time per interval
	return func() tea.Msg {
		err := st.SaveDraft(context.Background(), store.Draft{Exercise: d.Exercise, Task: d.Task, Body: d.Body, ElapsedMS: d.Elapsed.Milliseconds()})
		return savedMsg{body: body, at: now, err: err}
	}
}

// Draft is the text being written for a task.
type Draft struct {
	Exercise, Task, Body string
	Elapsed              time.Duration
}

func (m *Model) taskKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "ctrl+s":
		return m, m.submit()
	case "ctrl+e":
		return m, m.openEditor()
	case "tab":
		m.focusPrompt = !m.focusPrompt
		if m.focusPrompt {
			m.editor.Blur()
		} else {
			return m, m.editor.Focus()
		}
		return m, nil
	case "esc":
		cmd := m.autosave(true)
		m.state = statePlan
		return m, tea.Batch(cmd, m.loadPlan())
	case "?":
		if m.focusPrompt {
			m.full = true
			return m, nil
		}
	case "pgup", "pgdown":
		var cmd tea.Cmd
		m.prompt, cmd = m.prompt.Update(msg)
		return m, cmd
	}
	if m.focusPrompt {
		var cmd tea.Cmd
		m.prompt, cmd = m.prompt.Update(msg)
		return m, cmd
	}
	var cmd tea.Cmd
	m.editor, cmd = m.editor.Update(msg)
	return m, cmd
}

// submit grades the answer, shows the feedback and records the attempt.
func (m *Model) submit() tea.Cmd {
	if m.grading {
		return nil
	}
	answer := m.editor.Value()
	el := m.elapsedNow()
	res, err := modules.Grade(m.ex, m.task, answer, el)
	if err != nil {
		if errors.Is(err, grader.ErrEmpty) {
			m.status = "Nothing to grade yet: write at least one sentence, then ctrl+s."
		} else {
			m.status = err.Error()
		}
		return nil
	}
	m.elapsed = el
	if m.deps.LLMGrade == nil {
		return m.showResult(answer, res, "")
	}
	// The LLM grade is combined before anything is shown or stored; the editor
	// keeps the text meanwhile, and any failure falls back to the offline grade.
	m.grading = true
	m.status = "Grading with the LLM…"
	ex, t, grade := m.ex, m.task, m.deps.LLMGrade
	return func() tea.Msg {
		combined, note := grade(context.Background(), ex, t, answer, res)
		return gradedMsg{ex: ex.ID, task: t.ID, answer: answer, res: combined, note: note}
	}
}

// showResult shows the feedback for a graded answer and records the attempt.
func (m *Model) showResult(answer string, res *grader.Result, note string) tea.Cmd {
	m.grading = false
	m.result = res
	m.lastAnswer, m.attemptID = answer, 0
	m.polishing, m.polished, m.polishText, m.polishErr = false, nil, "", nil
	m.state = stateFeedback
	m.status = note
	m.today[m.ex.ID+"/"+m.task.ID] = res.Score
	m.refreshContent()
	m.feedback.GotoTop()
	a := modules.AttemptFrom(m.ex.Module, answer, res)
	d := m.deps
	return func() tea.Msg {
		ctx := context.Background()
		err := d.Store.RecordAttempt(ctx, a)
		if err == nil && d.AfterAttempt != nil {
			err = d.AfterAttempt(ctx, a)
		}
		return recordedMsg{attempt: a, err: err}
	}
}

// openEditor hands the draft to $EDITOR and takes back what it saved.
func (m *Model) openEditor() tea.Cmd {
	if m.deps.Editor == "" {
		m.status = "Set $EDITOR to edit in your own editor."
		return nil
	}
	f, err := os.CreateTemp("", "drill-*.md")
	if err != nil {
		m.status = err.Error()
		return nil
	}
	name := f.Name()
	_, err = f.WriteString(m.editor.Value())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		m.status = err.Error()
		return nil
	}
	parts := strings.Fields(m.deps.Editor)
	c := exec.Command(parts[0], append(parts[1:], name)...)
	return tea.Sequence(m.autosave(true), tea.ExecProcess(c, func(err error) tea.Msg {
		defer os.Remove(name)
		if err != nil {
			return editorDoneMsg{err: err}
		}
		data, err := os.ReadFile(name)
		return editorDoneMsg{body: string(data), err: err}
	}))
}

// layout sizes the prompt viewport, the editor and the feedback viewport.
func (m *Model) layout() {
	w := max(20, m.width)
	fixed := 5 // two header lines, counters, status, help
	ph := max(3, (m.height-fixed)*60/100)
	eh := max(3, m.height-fixed-ph)
	m.prompt.SetWidth(w)
	m.prompt.SetHeight(ph)
	m.editor.SetWidth(w)
	m.editor.SetHeight(eh)
	m.feedback.SetWidth(w)
	m.feedback.SetHeight(max(3, m.height-3))
	m.statsView.SetWidth(w)
	m.statsView.SetHeight(max(3, m.height-3))
	m.help.SetWidth(w)
	m.refreshContent()
}

// refreshContent re-renders the markdown of the prompt and the feedback.
func (m *Model) refreshContent() {
	w := max(20, m.width) - 2
	if m.ex != nil && m.task != nil {
		// The scenario comes first, as the prompts refer to it ("the code above");
		// pgup/pgdn scroll the prompt from the editor, and the header shows how far.
		md := ""
		if sc := m.ex.Scenario("zh"); sc != "" {
			md = modules.JoinCJKLines(sanitize.Text(sc)) + "\n\n---\n\n"
		}
		md += modules.TaskMarkdown(m.task, "zh")
		if en := strings.TrimSpace(m.task.Prompt.EN); en != "" {
			md += "*EN: " + sanitize.Text(firstLine(en)) + "*\n"
		}
		m.prompt.SetContent(m.renderMarkdown(md, w))
	}
	if m.result != nil {
		m.feedback.SetContent(m.renderMarkdown(modules.FeedbackMarkdown(m.ex, m.task, m.result)+m.polishMarkdown(), w))
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 && i < 200 {
		return s[:i] + " …"
	}
	return s
}

func (m *Model) taskView() string {
	mod, _ := modules.Get(m.ex.Module)
	w := max(20, m.width)
	head := truncate(m.st.Title.Render(mod.Key+" "+mod.Title)+m.st.Subtle.Render(" · "+sanitize.Text(m.ex.Title)), w)
	line2 := m.st.Accent.Render(sanitize.Text(m.task.Title))
	if t := m.timer(); t != "" {
		line2 += "  " + t
	}
	focus := "editor"
	if m.focusPrompt {
		focus = "prompt (↑/↓ scroll)"
	}
	line2 += m.st.Subtle.Render("  focus: " + focus)
	if !m.prompt.AtBottom() {
		line2 += m.st.Subtle.Render(fmt.Sprintf("  prompt %d%% ↓ pgdn", int(m.prompt.ScrollPercent()*100)))
	}
	counters := m.counters()
	var b strings.Builder
	b.WriteString(head + "\n" + truncate(line2, w) + "\n")
	b.WriteString(m.prompt.View() + "\n")
	b.WriteString(truncate(counters, w) + "\n")
	b.WriteString(m.editor.View() + "\n")
	b.WriteString(truncate(m.st.Status.Render(m.status), w) + "\n")
	b.WriteString(m.help.View(m.keys.taskHelp()))
	return b.String()
}

// timer shows the countdown of a timed task; past the limit it counts on, marked.
func (m *Model) timer() string {
	lim := time.Duration(m.task.TimeLimit)
	el := m.elapsedNow()
	if lim <= 0 {
		return m.st.Subtle.Render("⏱ " + fmtDuration(el.Truncate(time.Second)))
	}
	left := lim - el
	if left >= 0 {
		return m.st.Warn.Render(fmt.Sprintf("⏱ %ds left", int(left.Seconds()+0.999)))
	}
	return m.st.Bad.Render(fmt.Sprintf("⏱ over time +%ds", int((-left).Seconds())))
}

// counters shows live word and sentence counts against the task's limits.
func (m *Model) counters() string {
	text := m.editor.Value()
	words := len(exercises.Tokenize(text))
	sentences := grader.CountSentences(text)
	part := func(name string, n, limit int) string {
		s := fmt.Sprintf("%s %d", name, n)
		if limit > 0 {
			s += fmt.Sprintf("/%d", limit)
			if n > limit {
				return m.st.Bad.Render(s)
			}
		}
		return m.st.Subtle.Render(s)
	}
	saved := ""
	if m.savedBody == text && text != "" {
		saved = m.st.Subtle.Render(" · draft saved")
	}
	return part("words", words, m.task.MaxWords) + m.st.Subtle.Render(" · ") + part("sentences", sentences, m.task.MaxSentences) + saved
}
