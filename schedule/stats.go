package schedule

import (
	"context"
	"strings"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/store"
)

// StreakRule says in words when a day counts towards the streak.
const StreakRule = "a day counts once a module is completed: every top-level task of one exercise of that module answered that day (any score); " +
	"the streak is the run of counted days ending today, or yesterday while today is not counted yet"

// CalendarWeeks is how many weeks the calendar heatmap shows.
const CalendarWeeks = 12

// Stats is the learner's progress as of a day; `drill stats` prints it and the
// TUI's stats screen draws it.
type Stats struct {
	Date          string `json:"date"`
	Streak        int    `json:"streak"`
	LongestStreak int    `json:"longest_streak"`
	// TodayCounts is true once today counts towards the streak.
	TodayCounts bool   `json:"today_counts"`
	StreakRule  string `json:"streak_rule"`
	// Calendar runs from the Monday CalendarWeeks−1 weeks before this week's
	// Monday through today, oldest first: seven rows of a heatmap, one column a week.
	Calendar []CalendarDay `json:"calendar"`
	// Trend holds each module's daily average score over the calendar's span.
	Trend []ModuleTrend `json:"trend"`
	// Weak lists the weak concepts (see Weak), most missed first.
	Weak []WeakConcept `json:"weak"`
	// DueToday counts tasks due today or overdue; DueWeek those due within
	// seven days, today included.
	DueToday     int   `json:"due_today"`
	DueWeek      int   `json:"due_week"`
	Attempts     int   `json:"attempts"`
	PracticeDays int   `json:"practice_days"`
	TotalSeconds int64 `json:"total_seconds"`
}

// CalendarDay is one cell of the heatmap.
type CalendarDay struct {
	Day      string `json:"day"`
	Attempts int    `json:"attempts"`
	Seconds  int64  `json:"seconds"`
	// Completed is how many modules were completed that day.
	Completed int `json:"completed"`
}

// ModuleTrend is one module's daily average scores, oldest first.
type ModuleTrend struct {
	Module string           `json:"module"`
	Scores []store.DayScore `json:"scores"`
}

// ComputeStats gathers the stats as of now. Every figure comes from an aggregate
// query, so it stays fast over years of history.
func ComputeStats(ctx context.Context, bank *exercises.Bank, st *store.Store, now time.Time, opts Options) (*Stats, error) {
	now = now.Local()
	today := now.Format(store.DateLayout)
	s := &Stats{Date: today, StreakRule: StreakRule, Calendar: []CalendarDay{}, Trend: []ModuleTrend{}, Weak: []WeakConcept{}}

	taskDays, err := st.TaskDays(ctx)
	if err != nil {
		return nil, err
	}
	completed := CompletedModules(bank, taskDays)
	s.Streak, s.TodayCounts = streak(completed, now)
	s.LongestStreak = longest(completed)

	start := calendarStart(now)
	days, err := st.Days(ctx)
	if err != nil {
		return nil, err
	}
	byDay := make(map[string]store.Day, len(days))
	for _, d := range days {
		byDay[d.Day] = d
	}
	for d := start; Days(d, now) >= 0; d = d.AddDate(0, 0, 1) {
		k := d.Format(store.DateLayout)
		s.Calendar = append(s.Calendar, CalendarDay{Day: k, Attempts: byDay[k].Attempts, Seconds: byDay[k].Seconds, Completed: completed[k]})
	}

	scores, err := st.ScoresByDay(ctx, start.Format(store.DateLayout))
	if err != nil {
		return nil, err
	}
	for _, m := range exercises.ModuleNames() {
		t := ModuleTrend{Module: m, Scores: []store.DayScore{}}
		for _, d := range scores {
			if d.Module == m {
				t.Scores = append(t.Scores, d)
			}
		}
		s.Trend = append(s.Trend, t)
	}

	weak, err := Weak(ctx, st, now)
	if err != nil {
		return nil, err
	}
	concepts := pointConcepts(bank)
	for _, w := range weak {
		c := concepts[w.Point]
		w.Concept, w.Module = c.concept, c.module
		s.Weak = append(s.Weak, w)
	}

	byEx, err := reviewsByExercise(ctx, st, opts)
	if err != nil {
		return nil, err
	}
	ret := opts.retention()
	for _, rs := range byEx {
		for _, r := range rs {
			switch d := Days(DueAt(r, ret), now); {
			case d >= 0:
				s.DueToday++
				s.DueWeek++
			case d >= -6:
				s.DueWeek++
			}
		}
	}

	tot, err := st.Totals(ctx)
	if err != nil {
		return nil, err
	}
	s.Attempts, s.PracticeDays, s.TotalSeconds = tot.Attempts, tot.Days, tot.Seconds
	return s, nil
}

// CompletedModules counts, per day, the modules completed that day: a module is
// completed when every top-level task of one of its exercises was answered that
// day. Exercises no longer in the bank are not counted, since their tasks are
// unknown.
func CompletedModules(bank *exercises.Bank, taskDays []store.TaskDay) map[string]int {
	// taskDays come sorted by day, module, exercise, task, so each (day,
	// exercise) is one run of rows: count its distinct top-level tasks.
	out := map[string]int{}
	top := map[string]map[string]bool{}
	for _, ex := range bank.All() {
		m := make(map[string]bool, len(ex.Tasks))
		for _, t := range ex.Tasks {
			m[t.ID] = true
		}
		top[ex.ID] = m
	}
	lastDone := "" // day+module already counted, so a module counts once a day
	for i := 0; i < len(taskDays); {
		j, n := i, 0
		td := taskDays[i]
		tasks := top[td.Exercise]
		for ; j < len(taskDays) && taskDays[j].Day == td.Day && taskDays[j].Exercise == td.Exercise; j++ {
			if tasks[taskDays[j].Task] {
				n++
			}
		}
		ex := bank.Get(td.Exercise)
		if ex != nil && len(ex.Tasks) > 0 && n == len(ex.Tasks) {
			if k := td.Day + "/" + ex.Module; k != lastDone {
				out[td.Day]++
				lastDone = k
			}
		}
		i = j
	}
	return out
}

// Streak is the learner's streak as of now, by StreakRule: the one definition
// that `drill stats` and the app both show. todayCounts is true once today is
// part of it.
func Streak(ctx context.Context, bank *exercises.Bank, st *store.Store, now time.Time) (n int, todayCounts bool, err error) {
	taskDays, err := st.TaskDays(ctx)
	if err != nil {
		return 0, false, err
	}
	n, todayCounts = streak(CompletedModules(bank, taskDays), now.Local())
	return n, todayCounts, nil
}

func streak(completed map[string]int, now time.Time) (int, bool) {
	d := now
	todayCounts := completed[d.Format(store.DateLayout)] > 0
	if !todayCounts {
		d = d.AddDate(0, 0, -1)
	}
	n := 0
	for completed[d.Format(store.DateLayout)] > 0 {
		n++
		d = d.AddDate(0, 0, -1)
	}
	return n, todayCounts
}

func longest(completed map[string]int) int {
	best := 0
	for k := range completed {
		d, err := time.Parse(store.DateLayout, k)
		if err != nil {
			continue
		}
		// Only start counting at the first day of a run.
		if completed[d.AddDate(0, 0, -1).Format(store.DateLayout)] > 0 {
			continue
		}
		n := 0
		for completed[d.Format(store.DateLayout)] > 0 {
			n++
			d = d.AddDate(0, 0, 1)
		}
		best = max(best, n)
	}
	return best
}

// calendarStart is the Monday CalendarWeeks−1 weeks before the Monday of now's week.
func calendarStart(now time.Time) time.Time {
	y, m, d := now.Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, now.Location())
	back := (int(day.Weekday()) + 6) % 7 // days since Monday
	return day.AddDate(0, 0, -back-7*(CalendarWeeks-1))
}

type concept struct{ concept, module string }

// pointConcepts maps each rubric point id to the first concept text the bank
// gives it, in curriculum order.
func pointConcepts(bank *exercises.Bank) map[string]concept {
	out := map[string]concept{}
	for _, ex := range bank.All() {
		for _, t := range ex.AllTasks() {
			for _, p := range t.Rubric {
				if _, ok := out[p.ID]; !ok {
					out[p.ID] = concept{strings.TrimSpace(p.Concept), ex.Module}
				}
			}
		}
	}
	return out
}

// HeatLevel maps a day's attempts to a heatmap shade 0 (none) .. 4 (most).
func HeatLevel(attempts int) int {
	switch {
	case attempts <= 0:
		return 0
	case attempts <= 2:
		return 1
	case attempts <= 5:
		return 2
	case attempts <= 9:
		return 3
	default:
		return 4
	}
}

// Sparkline draws scores (0–100) as block characters on a fixed 0–100 scale, so
// a line of high blocks means high scores rather than "high for you".
func Sparkline(scores []float64) string {
	const bars = "▁▂▃▄▅▆▇█"
	rs := []rune(bars)
	var b strings.Builder
	for _, s := range scores {
		i := int(s / 100 * float64(len(rs)-1))
		b.WriteRune(rs[min(max(i, 0), len(rs)-1)])
	}
	return b.String()
}
