package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/drill-coach/drill/internal/sanitize"
)

var heatShades = []string{"·", "░", "▒", "▓", "█"}

// Text renders the stats as plain text: the same on a terminal, in a pipe and on
// the TUI's stats screen, so the learner sees one format. hideStreak leaves the
// streak out for learners who find it stressful.
func (s *Stats) Text(now time.Time, hideStreak bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Progress on %s\n\n", now.Format("Monday, 2 January 2006"))

	switch {
	case hideStreak:
	case s.Streak == 0:
		b.WriteString("Streak: 0 days — complete one module today to start one.\n")
	case s.TodayCounts:
		fmt.Fprintf(&b, "Streak: %s (longest %s), today included.\n", progPlural(s.Streak, "day"), progPlural(s.LongestStreak, "day"))
	default:
		fmt.Fprintf(&b, "Streak: %s (longest %s); complete a module today to keep it.\n", progPlural(s.Streak, "day"), progPlural(s.LongestStreak, "day"))
	}

	fmt.Fprintf(&b, "\nLast %d weeks (%s none, %s 1–2, %s 3–5, %s 6–9, %s 10+ answers a day)\n",
		CalendarWeeks, heatShades[0], heatShades[1], heatShades[2], heatShades[3], heatShades[4])
	b.WriteString(progHeatmap(s.Calendar))

	b.WriteString("\nScore trend (daily average, 0–100, oldest → newest)\n")
	for _, t := range s.Trend {
		if len(t.Scores) == 0 {
			fmt.Fprintf(&b, "  %-11s no answers in these weeks\n", t.Module)
			continue
		}
		vals := make([]float64, len(t.Scores))
		for i, d := range t.Scores {
			vals[i] = d.Average
		}
		fmt.Fprintf(&b, "  %-11s %s  first %.0f, last %.0f, %s\n", t.Module, Sparkline(vals),
			vals[0], vals[len(vals)-1], progPlural(len(vals), "day"))
	}

	fmt.Fprintf(&b, "\nWeakest concepts (missed again and again, last %d days)\n", WeakWindowDays)
	if len(s.Weak) == 0 {
		b.WriteString("  none: no rubric point was missed twice and half the time or more.\n")
	}
	for i, w := range s.Weak {
		if i == 5 {
			fmt.Fprintf(&b, "  … and %d more (drill stats --json lists them all)\n", len(s.Weak)-5)
			break
		}
		line := fmt.Sprintf("  %s", sanitize.Text(w.Point))
		if w.Module != "" {
			line += " (" + w.Module + ")"
		}
		line += fmt.Sprintf(" — missed %d of %d", w.Missed, w.Seen)
		if w.Concept != "" {
			line += ": " + progClip(progOneLine(sanitize.Text(w.Concept)), 70)
		}
		b.WriteString(line + "\n")
	}

	fmt.Fprintf(&b, "\nDue: %s today, %s this week.\n", progPlural(s.DueToday, "task"), progPlural(s.DueWeek, "task"))
	fmt.Fprintf(&b, "Total: %s on %s, %s answering.\n", progPlural(s.Attempts, "answer"), progPlural(s.PracticeDays, "day"),
		progDuration(time.Duration(s.TotalSeconds)*time.Second))
	return b.String()
}

// progHeatmap lays the calendar out as seven rows (Monday first), one column a week.
func progHeatmap(days []CalendarDay) string {
	var rows [7]strings.Builder
	names := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	for i := range rows {
		rows[i].WriteString("  " + names[i])
	}
	for i, d := range days {
		rows[i%7].WriteString(" " + heatShades[HeatLevel(d.Attempts)])
	}
	var b strings.Builder
	for i := range rows {
		b.WriteString(strings.TrimRight(rows[i].String(), " ") + "\n")
	}
	if len(days) > 0 {
		fmt.Fprintf(&b, "  from %s to %s\n", days[0].Day, days[len(days)-1].Day)
	}
	return b.String()
}

func progPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func progDuration(d time.Duration) string {
	h := int(d.Hours())
	m := int(d.Minutes()) % 60
	if h > 0 {
		return fmt.Sprintf("%dh %02dm", h, m)
	}
	return fmt.Sprintf("%dm", m)
}

func progOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func progClip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
