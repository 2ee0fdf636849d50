package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/practice"
)

type statsOptions struct {
	IO       *iostreams.IOStreams
	Config   func() (*config.Config, error)
	Practice func(context.Context) (*practice.Service, error)

	JSON bool
}

func newStatsCmd(f *Factory) *cobra.Command {
	opts := statsOptions{IO: f.IO, Config: f.Config, Practice: f.Practice}
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
			return runStats(cmd.Context(), &opts)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "print JSON")
	return cmd
}

func runStats(ctx context.Context, opts *statsOptions) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	svc, err := opts.Practice(ctx)
	if err != nil {
		return err
	}
	s, err := svc.Stats(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(opts.IO.Out, s)
	}
	_, err = io.WriteString(opts.IO.Out, s.Text(svc.Now().Local(), cfg.HideStreak))
	return err
}
