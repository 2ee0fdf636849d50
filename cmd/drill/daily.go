package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

type dailyOptions struct {
	Plain bool
	JSON  bool
}

func newDailyCmd(env *Env) *cobra.Command {
	var opts dailyOptions
	cmd := &cobra.Command{
		Use:   "daily",
		Short: "Today's four-module drill",
		Example: `  drill daily           # open today's drill
  drill daily --plain   # print the plan as plain text
  DRILL_NOW=2026-11-25T08:45:00+08:00 drill daily --plain`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !env.IO.OutTTY || !env.IO.InTTY {
				opts.Plain = true
			}
			return runDaily(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Plain, "plain", false, "print the plan as plain text instead of opening the drill")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON")
	return cmd
}

func runDaily(ctx context.Context, env *Env, opts dailyOptions) error {
	if !opts.Plain && !opts.JSON {
		return runTUI(ctx, env)
	}
	st, err := env.Store(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	now := env.Now()
	cfg, err := config.Load(env.Getenv)
	if err != nil {
		return err
	}
	plan, err := schedule.TodayWith(ctx, env.Bank(), st, now, schedule.Options{Retention: cfg.DesiredRetention})
	if err != nil {
		return err
	}
	if opts.JSON {
		return printPlanJSON(env.IO.Out, plan)
	}
	today, err := bestToday(ctx, st, now)
	if err != nil {
		return err
	}
	return printPlan(env.IO.Out, plan, today, now)
}

// bestToday maps "exercise/task" to the best score of today's attempts (the
// learner's local day), the same figure the full-screen plan shows.
func bestToday(ctx context.Context, st *store.Store, now time.Time) (map[string]int, error) {
	day := now.Local().Format(store.DateLayout)
	// A local day is at most 26 hours long, so 48 hours back covers it.
	atts, err := st.Attempts(ctx, store.Filter{Since: now.Add(-48 * time.Hour)})
	if err != nil {
		return nil, err
	}
	best := map[string]int{}
	for _, a := range atts {
		if a.Day != day {
			continue
		}
		k := a.Exercise + "/" + a.Task
		if s, ok := best[k]; !ok || a.Score > s {
			best[k] = a.Score
		}
	}
	return best, nil
}

func printPlan(w io.Writer, plan *schedule.Plan, today map[string]int, now time.Time) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\nToday's drill: four modules.\n", now.Format("Monday, 2 January 2006"), modules.Greeting(now))
	for i, it := range plan.Items {
		m, _ := modules.Get(it.Module)
		fmt.Fprintf(&b, "\n%d. %s (%s) — %s\n   %s · %s (%s)\n", i+1, m.Title, m.TitleZH, it.Module, sanitize.Text(it.Exercise.Title), it.Exercise.ID, it.Reason)
		done, sum := 0, 0
		for _, t := range it.Exercise.Tasks {
			if s, ok := today[it.Exercise.ID+"/"+t.ID]; ok {
				done++
				sum += s
			}
		}
		if done > 0 {
			fmt.Fprintf(&b, "   today: %d/%d done · score %d (mean of each task's best today)\n", done, len(it.Exercise.Tasks), sum/done)
		}
		for _, t := range it.Exercise.Tasks {
			lim := ""
			if l := modules.Limits(t); l != "" {
				lim = " — " + l
			}
			got := ""
			if s, ok := today[it.Exercise.ID+"/"+t.ID]; ok {
				got = fmt.Sprintf(" — done, best %d", s)
			}
			fmt.Fprintf(&b, "   - %s: %s%s%s\n", t.ID, sanitize.Text(t.Title), lim, got)
		}
	}
	b.WriteString("\nStart with module 1, or pick any: drill show ID, then drill answer ID --task T --file F.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
