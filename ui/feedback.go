package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
)

func (m *Model) feedbackKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "r":
		return m, m.openTask(m.ex, m.task)
	case "v":
		if len(m.task.Variants) > 0 {
			return m, m.openTask(m.ex, m.task.Variants[0])
		}
	case "f":
		if len(m.task.FollowUps) > 0 {
			return m, m.openTask(m.ex, m.task.FollowUps[0])
		}
	case "n":
		return m, m.nextStep()
	case "p":
		return m, m.startPolish()
	case "a":
		return m, m.acceptPolish()
	case "esc":
		m.state = statePlan
		return m, m.loadPlan()
	case "?":
		m.full = true
		return m, nil
	}
	var cmd tea.Cmd
	m.feedback, cmd = m.feedback.Update(msg)
	return m, cmd
}

// nextStep continues the day: the next unanswered task of this exercise, else the
// next module with work left, else the end-of-day summary.
func (m *Model) nextStep() tea.Cmd {
	for _, t := range m.ex.Tasks {
		if _, ok := m.today[m.ex.ID+"/"+t.ID]; !ok {
			return m.openTask(m.ex, t)
		}
	}
	items := m.planItems()
	cur := 0
	for i, it := range items {
		if it.ex.ID == m.ex.ID {
			cur = i
		}
	}
	for k := 1; k <= len(items); k++ {
		i := (cur + k) % len(items)
		if !m.moduleDone(i) {
			return m.openModule(i)
		}
	}
	m.state = stateSummary
	return m.loadPlan()
}

func (m *Model) feedbackView() string {
	mod, _ := modules.Get(m.ex.Module)
	w := max(20, m.width)
	head := truncate(m.st.Title.Render(mod.Key+" "+mod.Title)+m.st.Subtle.Render(" · "+sanitize.Text(m.task.Title)+" · feedback"), w)
	hk := m.feedbackKeys()
	return head + "\n" + m.feedback.View() + "\n" + truncate(m.st.Status.Render(m.status), w) + "\n" + m.help.View(hk)
}

func (m *Model) summaryView() string {
	now := m.deps.Now()
	var b strings.Builder
	b.WriteString(m.st.Title.Render("End of day · "+now.Format("Monday, 2 January")) + "\n\n")
	for i, it := range m.planItems() {
		mod, _ := modules.Get(it.module)
		var scores []int
		for _, t := range it.ex.Tasks {
			if s, ok := m.today[it.ex.ID+"/"+t.ID]; ok {
				scores = append(scores, s)
			}
		}
		line := fmt.Sprintf("%s %-34s ", mod.Key, mod.Title)
		if len(scores) == 0 {
			line += m.st.Subtle.Render("not started")
		} else {
			sum := 0
			for _, s := range scores {
				sum += s
			}
			avg := sum / len(scores)
			line += fmt.Sprintf("%3d  %s  %d/%d tasks", avg, modules.ScoreBar(avg, 10), len(scores), len(it.ex.Tasks))
		}
		if m.moduleDone(i) {
			line += m.st.Good.Render(" ✓")
		}
		b.WriteString(truncate(line, max(20, m.width)) + "\n")
	}
	fmt.Fprintf(&b, "\nTime spent today: %s", fmtDuration(m.spent))
	if !m.deps.HideStreak {
		fmt.Fprintf(&b, " · streak: %d day(s)", m.streak)
	}
	b.WriteString("\n")
	if back := m.comingBack; len(back) > 0 {
		b.WriteString("\nComing back tomorrow:\n")
		for _, s := range back {
			b.WriteString("  · " + truncate(s, max(20, m.width)-4) + "\n")
		}
	}
	return place(b.String(), m.help.View(m.keys.summaryHelp()), m.status, m.height)
}
