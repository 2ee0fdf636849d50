package ui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
)

func (m *Model) planKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "q":
		return m, tea.Quit
	case "?":
		m.full = true
	case "e":
		m.state = stateSummary
	case "s":
		return m, m.openStats()
	case "1", "2", "3", "4":
		return m, m.openModule(int(msg.String()[0] - '1'))
	case "enter":
		for i := range m.planItems() {
			if !m.moduleDone(i) {
				return m, m.openModule(i)
			}
		}
		m.state = stateSummary
	}
	return m, nil
}

// openStats shows the progress page, computed in the background.
func (m *Model) openStats() tea.Cmd {
	if m.deps.Stats == nil {
		return nil
	}
	m.state = stateStats
	m.statsView.SetContent("Computing your progress…")
	d := m.deps
	return func() tea.Msg {
		text, err := d.Stats(context.Background(), d.Now())
		return statsMsg{text: text, err: err}
	}
}

func (m *Model) statsScreen() string {
	w := max(20, m.width)
	head := truncate(m.st.Title.Render("Progress"), w)
	return head + "\n" + m.statsView.View() + "\n" + truncate(m.st.Status.Render(m.status), w) + "\n" + m.help.View(m.keys.statsHelp())
}

func (m *Model) planItems() []planItem {
	if m.plan == nil {
		return nil
	}
	out := make([]planItem, len(m.plan.Items))
	for i, it := range m.plan.Items {
		out[i] = planItem{module: it.Module, ex: it.Exercise, reason: it.Reason}
	}
	return out
}

type planItem struct {
	module string
	ex     *exercises.Exercise
	reason string
}

// moduleDone reports whether every top-level task of module i was answered today.
func (m *Model) moduleDone(i int) bool {
	items := m.planItems()
	if i >= len(items) {
		return true
	}
	for _, t := range items[i].ex.Tasks {
		if _, ok := m.today[items[i].ex.ID+"/"+t.ID]; !ok {
			return false
		}
	}
	return true
}

// openModule opens the first unanswered task of module i (or its first task).
func (m *Model) openModule(i int) tea.Cmd {
	items := m.planItems()
	if i < 0 || i >= len(items) {
		return nil
	}
	ex := items[i].ex
	t := ex.Tasks[0]
	for _, x := range ex.Tasks {
		if _, ok := m.today[ex.ID+"/"+x.ID]; !ok {
			t = x
			break
		}
	}
	return m.openTask(ex, t)
}

func (m *Model) planView() string {
	now := m.deps.Now()
	var b strings.Builder
	b.WriteString(m.st.Title.Render(now.Format("Monday, 2 January 2006")) + "\n")
	b.WriteString(modules.Greeting(now) + "\n")
	line := "today " + fmtDuration(m.spent)
	if !m.deps.HideStreak {
		streak := fmt.Sprintf("Streak: %d day", m.streak)
		if m.streak != 1 {
			streak += "s"
		}
		line = streak + " · " + line
	}
	b.WriteString(m.st.Subtle.Render(line) + "\n\n")
	if m.plan == nil {
		b.WriteString("Loading today's drill…\n")
	} else {
		b.WriteString(m.st.Accent.Render("Today's drill: four modules") + "\n\n")
	}
	w := max(40, m.width)
	for i, it := range m.planItems() {
		mod, _ := modules.Get(it.module)
		mark := "  "
		if m.moduleDone(i) {
			mark = m.st.Good.Render("✓ ")
		}
		head := fmt.Sprintf("%s%s %s · %s", mark, m.st.Key.Render(mod.Key), mod.Title, mod.TitleZH)
		b.WriteString(truncate(head, w) + "\n")
		b.WriteString(truncate("     "+sanitize.Text(it.ex.Title)+m.st.Subtle.Render(" ("+it.reason+")"), w) + "\n")
		var tasks []string
		for _, t := range it.ex.Tasks {
			s := t.ID
			if sc, ok := m.today[it.ex.ID+"/"+t.ID]; ok {
				s = m.st.Good.Render(fmt.Sprintf("✓ %s %d", t.ID, sc))
			}
			if t.TimeLimit > 0 {
				s += m.st.Subtle.Render(fmt.Sprintf(" ⏱%ds", t.TimeLimit.Seconds()))
			}
			tasks = append(tasks, s)
		}
		b.WriteString(truncate("     "+strings.Join(tasks, " · "), w) + "\n")
	}
	body := b.String()
	return place(body, m.help.View(m.keys.planHelp(m.deps.Stats != nil)), m.status, m.height)
}

// place puts body at the top and the status and help lines at the bottom.
func place(body, helpLine, status string, height int) string {
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	room := height - 2
	if len(lines) > room && room > 0 {
		lines = lines[:room]
	}
	for len(lines) < room {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n") + "\n" + status + "\n" + helpLine
}

// truncate cuts s to width cells, keeping wide characters whole.
func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(s)
}

func fmtDuration(d interface{ Seconds() float64 }) string {
	s := int(d.Seconds())
	if s < 60 {
		return fmt.Sprintf("%ds", s)
	}
	if s < 3600 {
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, (s%3600)/60)
}
