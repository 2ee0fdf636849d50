package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
)

// greeting is the coach's hello for the time of day.
func greeting(hour int, clock string) string {
	switch {
	case hour >= 5 && hour < 12:
		return "Good morning, it's " + clock + ": a good time to focus."
	case hour >= 12 && hour < 18:
		return "Good afternoon, it's " + clock + ": time for a focused drill."
	case hour >= 18 && hour < 23:
		return "Good evening, it's " + clock + ": one calm round before the day ends."
	default:
		return "It's " + clock + ", late: keep it short and get some sleep."
	}
}

func (m *Model) planKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "q":
		return m, tea.Quit
	case "?":
		m.full = true
	case "e":
		m.state = stateSummary
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
	b.WriteString(greeting(now.Hour(), now.Format("15:04")) + "\n")
	streak := fmt.Sprintf("Streak: %d day", m.streak)
	if m.streak != 1 {
		streak += "s"
	}
	b.WriteString(m.st.Subtle.Render(streak+" · today "+fmtDuration(m.spent)) + "\n\n")
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
	return place(body, m.help.View(m.keys.planHelp()), m.status, m.height)
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
