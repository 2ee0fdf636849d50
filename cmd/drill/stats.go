package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/schedule"
)

func init() { extraCommands = append(extraCommands, newStatsCmd) }

type statsOptions struct {
	JSON bool
	// Retention is the desired retention the due counts are computed with.
	Retention float64
	// HideStreak leaves the streak out of the text (config hide_streak).
	HideStreak bool
}

func newStatsCmd(env *Env) *cobra.Command {
	opts := statsOptions{Retention: schedule.DefaultRetention}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Your streak, the last 12 weeks, score trends, weakest concepts and what is due",
		Long: `stats shows your progress. The streak counts days in a row on which you
completed at least one module: every top-level task of one exercise of that
module answered that day, whatever the score. While today is not completed yet
the streak still counts up to yesterday.`,
		Example: `  drill stats
  drill stats --json | jq .streak`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(env.Getenv)
			if err != nil {
				return err
			}
			opts.Retention, opts.HideStreak = cfg.DesiredRetention, cfg.HideStreak
			return runStats(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runStats(ctx context.Context, env *Env, opts statsOptions) error {
	st, err := env.Store(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	now := env.Now()
	s, err := schedule.ComputeStats(ctx, env.Bank(), st, now, schedule.Options{Retention: opts.Retention})
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(env.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	_, err = io.WriteString(env.IO.Out, s.Text(now.Local(), opts.HideStreak))
	return err
}
