package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

// day is today's progress, shared by the plan, the feedback's next step and
// the end-of-day summary. Only the root writes it, from planMsg and when an
// answer is graded.
type day struct {
	plan *schedule.Plan
	// today maps "exercise/task" to the best score of today's attempts.
	today map[string]int
	// last maps "exercise/task" to today's latest attempt, which reopening a
	// finished task shows.
	last   map[string]*store.Attempt
	spent  time.Duration
	streak int
	// comingBack is what tomorrow's plan brings back, given today's answers.
	comingBack []string
}

type planMsg struct {
	plan   *schedule.Plan
	today  map[string]int
	last   map[string]*store.Attempt
	spent  time.Duration
	streak int
	back   []string
	err    error
}

func (d *day) set(msg planMsg) {
	d.plan, d.today, d.last, d.spent, d.streak, d.comingBack = msg.plan, msg.today, msg.last, msg.spent, msg.streak, msg.back
}

// load reads the plan and today's progress in the background. The streak is
// schedule.Streak, the one `drill stats` shows.
func (d *day) load(c *common) tea.Cmd {
	deps, ctx := c.deps, c.ctx
	return func() tea.Msg {
		day, err := deps.Practice.Today(ctx)
		if err != nil {
			return planMsg{err: err}
		}
		msg := planMsg{plan: day.Plan, today: day.Best, last: day.Last, spent: day.Spent, streak: day.Streak}
		if next, err := deps.Practice.Tomorrow(ctx); err == nil {
			for _, it := range next.Items {
				msg.back = append(msg.back, fmt.Sprintf("%s: %s (%s)", it.Module, sanitize.Text(it.Exercise.Title), it.Reason))
			}
		}
		return msg
	}
}

type planItem struct {
	module string
	ex     *exercises.Exercise
	reason string
}

func (d *day) items() []planItem {
	if d.plan == nil {
		return nil
	}
	out := make([]planItem, len(d.plan.Items))
	for i, it := range d.plan.Items {
		out[i] = planItem{module: it.Module, ex: it.Exercise, reason: it.Reason}
	}
	return out
}

// answered counts the top-level tasks of ex answered today.
func (d *day) answered(ex *exercises.Exercise) int {
	n := 0
	for _, t := range ex.Tasks {
		if _, ok := d.today[practice.Key(ex.ID, t.ID)]; ok {
			n++
		}
	}
	return n
}

// moduleDone reports whether every top-level task of plan item i was answered today.
func (d *day) moduleDone(i int) bool {
	items := d.items()
	if i >= len(items) {
		return true
	}
	return d.answered(items[i].ex) == len(items[i].ex.Tasks)
}

// best is the module's score: the mean over its tasks of each task's best
// score today, the figure the plan and the end of day both show.
func (d *day) best(ex *exercises.Exercise) (score int, ok bool) {
	sum, n := 0, 0
	for _, t := range ex.Tasks {
		if s, ok := d.today[practice.Key(ex.ID, t.ID)]; ok {
			sum += s
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / n, true
}

// firstOpen is the first unanswered task of ex, or nil when all are answered.
func (d *day) firstOpen(ex *exercises.Exercise) *exercises.Task {
	for _, t := range ex.Tasks {
		if _, ok := d.today[practice.Key(ex.ID, t.ID)]; !ok {
			return t
		}
	}
	return nil
}

// open opens plan item i: its first unanswered task, or, once the module is
// finished, the feedback of its last answer.
func (d *day) open(i int) navigation {
	items := d.items()
	if i < 0 || i >= len(items) {
		return navigation{}
	}
	ex := items[i].ex
	if t := d.firstOpen(ex); t != nil {
		return openTask(ex, t, "")
	}
	t := ex.Tasks[len(ex.Tasks)-1]
	if a := d.last[practice.Key(ex.ID, t.ID)]; a != nil {
		return navigation{to: stateFeedback, move: true, ex: ex, task: t, last: a}
	}
	return openTask(ex, ex.Tasks[0], "")
}

// planModel is the day's plan: the four modules and what is done.
type planModel struct {
	c   *common
	day *day
}

func (p *planModel) key(msg tea.KeyPressMsg) (tea.Cmd, navigation) {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.QuitPlan):
		return nil, navigation{quit: true}
	case key.Matches(msg, k.Help):
		return nil, navigation{help: true}
	case key.Matches(msg, k.Summary):
		return nil, goTo(stateSummary)
	case key.Matches(msg, k.Stats):
		if p.c.deps.ShowStats {
			return nil, goTo(stateStats)
		}
	case key.Matches(msg, k.Modules):
		return nil, p.day.open(int(msg.String()[0] - '1'))
	case key.Matches(msg, k.Continue):
		for i := range p.day.items() {
			if !p.day.moduleDone(i) {
				return nil, p.day.open(i)
			}
		}
		return nil, goTo(stateSummary)
	}
	return nil, navigation{}
}

func (p *planModel) view(status string) string {
	c, st, d := p.c, p.c.st, p.day
	now := c.deps.Now()
	var b strings.Builder
	b.WriteString(st.Title.Render(now.Format("Monday, 2 January 2006")) + "\n")
	b.WriteString(modules.Greeting(now) + "\n")
	line := "today " + fmtDuration(d.spent)
	if !c.deps.HideStreak {
		line = "Streak: " + plural(d.streak, "day") + " · " + line
	}
	b.WriteString(st.Subtle.Render(line) + "\n\n")
	if d.plan == nil {
		b.WriteString("Loading today's drill…\n")
	} else {
		b.WriteString(st.Accent.Render("Today's drill: four modules") + st.Subtle.Render(" · score = mean of each task's best today") + "\n\n")
	}
	w := max(40, c.width)
	for i, it := range d.items() {
		mod, _ := modules.Get(it.module)
		mark := "  "
		if d.moduleDone(i) {
			mark = st.Good.Render("✓ ")
		}
		head := fmt.Sprintf("%s%s %s · %s", mark, st.Key.Render(mod.Key), mod.Title, mod.TitleZH)
		if n := d.answered(it.ex); n > 0 {
			s, _ := d.best(it.ex)
			head += st.Subtle.Render(fmt.Sprintf("  %d/%d done · score %d", n, len(it.ex.Tasks), s))
		}
		b.WriteString(truncate(head, w) + "\n")
		reason := it.reason
		if d.answered(it.ex) > 0 && reason == "new" {
			reason = "started today"
			if d.moduleDone(i) {
				reason = "finished today"
			}
		}
		b.WriteString(truncate("     "+sanitize.Text(it.ex.Title)+st.Subtle.Render(" ("+reason+")"), w) + "\n")
		var tasks []string
		for _, t := range it.ex.Tasks {
			s := t.ID
			if sc, ok := d.today[practice.Key(it.ex.ID, t.ID)]; ok {
				s = st.Good.Render(fmt.Sprintf("✓ %s %d", t.ID, sc))
			}
			if t.TimeLimit > 0 {
				s += st.Subtle.Render(fmt.Sprintf(" ⏱%ds", t.TimeLimit.Seconds()))
			}
			tasks = append(tasks, s)
		}
		b.WriteString(truncate("     "+strings.Join(tasks, " · "), w) + "\n")
	}
	return place(b.String(), c.helpView(c.keys.planHelp(c.deps.ShowStats)), truncate(st.Status.Render(status), w), c.height)
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

// truncate cuts s to width cells with an ellipsis, keeping wide characters whole.
func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return lipgloss.NewStyle().MaxWidth(width-1).Render(s) + "…"
}

// plural says "1 day", "2 days".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
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

// statsModel is the progress page, computed in the background.
type statsModel struct {
	c    *common
	pane viewportModel
}

type statsMsg struct {
	text string
	err  error
}

func newStatsModel(c *common) statsModel { return statsModel{c: c, pane: newViewport()} }

func (s *statsModel) open() tea.Cmd {
	s.pane.SetContent("Computing your progress…")
	d, ctx := s.c.deps, s.c.ctx
	return func() tea.Msg {
		st, err := d.Practice.Stats(ctx)
		if err != nil {
			return statsMsg{err: err}
		}
		return statsMsg{text: st.Text(d.Now().Local(), d.HideStreak)}
	}
}

func (s *statsModel) layout() {
	s.pane.SetWidth(max(20, s.c.width))
	s.pane.SetHeight(max(3, s.c.height-3))
}

func (s *statsModel) update(msg tea.Msg) (tea.Cmd, navigation) {
	if msg, ok := msg.(statsMsg); ok {
		if msg.err != nil {
			n := goTo(statePlan)
			text := "Could not compute the stats: " + msg.err.Error()
			n.status = &text
			return nil, n
		}
		s.pane.SetContent(sanitize.Text(msg.text))
		s.pane.GotoTop()
		return nil, navigation{}
	}
	var cmd tea.Cmd
	s.pane.Model, cmd = s.pane.Update(msg)
	return cmd, navigation{}
}

func (s *statsModel) key(msg tea.KeyPressMsg) (tea.Cmd, navigation) {
	k := s.c.keys
	switch {
	case key.Matches(msg, k.Back, k.QuitPlan):
		return nil, goTo(statePlan)
	case key.Matches(msg, k.Help):
		return nil, navigation{help: true}
	case key.Matches(msg, k.Top):
		s.pane.GotoTop()
		return nil, navigation{}
	case key.Matches(msg, k.Bottom):
		s.pane.GotoBottom()
		return nil, navigation{}
	}
	var cmd tea.Cmd
	s.pane.Model, cmd = s.pane.Update(msg)
	return cmd, navigation{}
}

func (s *statsModel) view(status string) string {
	w := max(20, s.c.width)
	head := truncate(s.c.st.Title.Render("Progress")+s.pane.indicator(s.c.st), w)
	return head + "\n" + s.pane.View() + "\n" + truncate(s.c.st.Status.Render(status), w) + "\n" + s.c.helpView(s.c.keys.statsHelp())
}

// summaryModel is the end of the day.
type summaryModel struct {
	c   *common
	day *day
}

func (s *summaryModel) key(msg tea.KeyPressMsg) (tea.Cmd, navigation) {
	k := s.c.keys
	switch {
	case key.Matches(msg, k.Back):
		return nil, goTo(statePlan)
	case key.Matches(msg, k.QuitPlan):
		return nil, navigation{quit: true}
	case key.Matches(msg, k.Help):
		return nil, navigation{help: true}
	}
	return nil, navigation{}
}

func (s *summaryModel) view(status string) string {
	c, st, d := s.c, s.c.st, s.day
	now := c.deps.Now()
	w := max(20, c.width)
	var b strings.Builder
	b.WriteString(st.Title.Render("End of day · "+now.Format("Monday, 2 January")) + "\n")
	b.WriteString(st.Subtle.Render("Score: the mean of each task's best score today.") + "\n\n")
	for i, it := range d.items() {
		mod, _ := modules.Get(it.module)
		line := fmt.Sprintf("%s %-34s ", mod.Key, mod.Title)
		if avg, ok := d.best(it.ex); !ok {
			line += st.Subtle.Render("not started")
		} else {
			line += fmt.Sprintf("%3d  %s  %d/%d tasks", avg, modules.ScoreBar(avg, 10), d.answered(it.ex), len(it.ex.Tasks))
		}
		if d.moduleDone(i) {
			line += st.Good.Render(" ✓")
		}
		b.WriteString(truncate(line, w) + "\n")
	}
	fmt.Fprintf(&b, "\nTime spent today: %s", fmtDuration(d.spent))
	if !c.deps.HideStreak {
		fmt.Fprintf(&b, " · streak: %s", plural(d.streak, "day"))
	}
	b.WriteString("\n")
	if back := d.comingBack; len(back) > 0 {
		b.WriteString("\nComing back tomorrow:\n")
		for _, x := range back {
			b.WriteString("  · " + truncate(x, w-4) + "\n")
		}
	}
	return place(b.String(), c.helpView(c.keys.summaryHelp()), truncate(st.Status.Render(status), w), c.height)
}
