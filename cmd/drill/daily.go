package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/practice"
)

type dailyOptions struct {
	IO       *iostreams.IOStreams
	Practice func(context.Context) (*practice.Service, error)
	// TUI opens the full-screen drill.
	TUI func(context.Context) error

	Plain bool
	JSON  bool
}

func newDailyOptions(f *Factory, plain bool) *dailyOptions {
	return &dailyOptions{IO: f.IO, Practice: f.Practice, TUI: func(ctx context.Context) error { return runTUI(ctx, newTUIOptions(f)) }, Plain: plain}
}

func newDailyCmd(f *Factory) *cobra.Command {
	opts := newDailyOptions(f, false)
	cmd := &cobra.Command{
		Use:   "daily",
		Short: "Today's four-module drill",
		Example: `  drill daily           # open today's drill
  drill daily --plain   # print the plan as plain text
  DRILL_NOW=2026-11-25T08:45:00+08:00 drill daily --plain`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !f.IO.IsStdoutTTY() || !f.IO.IsStdinTTY() {
				opts.Plain = true
			}
			return runDaily(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Plain, "plain", false, "print the plan as plain text instead of opening the drill")
	addJSONFlag(cmd, &opts.JSON, "print the plan as JSON")
	return cmd
}

func runDaily(ctx context.Context, opts *dailyOptions) error {
	if !opts.Plain && !opts.JSON {
		return opts.TUI(ctx)
	}
	svc, err := opts.Practice(ctx)
	if err != nil {
		return err
	}
	day, err := svc.Today(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return printPlanJSON(opts.IO.Out, day.Plan)
	}
	return printPlan(opts.IO.Out, day)
}

func printPlan(w io.Writer, day *practice.Day) error {
	plan, today, now := day.Plan, day.Best, day.Now
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\nToday's drill: four modules.\n", now.Format("Monday, 2 January 2006"), modules.Greeting(now))
	for i, it := range plan.Items {
		m, _ := modules.Get(it.Module)
		fmt.Fprintf(&b, "\n%d. %s (%s) — %s\n   %s · %s (%s)\n", i+1, m.Title, m.TitleZH, it.Module, sanitize.Text(it.Exercise.Title), it.Exercise.ID, it.Reason)
		done, sum := 0, 0
		for _, t := range it.Exercise.Tasks {
			if s, ok := today[practice.Key(it.Exercise.ID, t.ID)]; ok {
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
			if s, ok := today[practice.Key(it.Exercise.ID, t.ID)]; ok {
				got = fmt.Sprintf(" — done, best %d", s)
			}
			fmt.Fprintf(&b, "   - %s: %s%s%s\n", t.ID, sanitize.Text(t.Title), lim, got)
		}
	}
	b.WriteString("\nStart with module 1, or pick any: drill show ID, then drill answer ID --task T --file F.\n")
	_, err := io.WriteString(w, b.String())
	return err
}
