package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/store"
)

type historyOptions struct {
	IO    *iostreams.IOStreams
	Store func(context.Context) (*store.Store, error)

	Module   string
	Exercise string
	Limit    int
	JSON     bool
}

func newHistoryCmd(f *Factory) *cobra.Command {
	opts := historyOptions{IO: f.IO, Store: f.Store}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Your graded answers, oldest first",
		Example: `  drill history
  drill history --module debug --limit 10
  drill history --json | jq '.[] | select(.score < 40) | .exercise'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkModule(opts.Module); err != nil {
				return err
			}
			if opts.Limit < 0 {
				return usageError{fmt.Errorf("--limit %d must not be negative", opts.Limit)}
			}
			return runHistory(cmd.Context(), &opts)
		},
	}
	addModuleFlag(cmd, &opts.Module, "only this module")
	cmd.Flags().StringVar(&opts.Exercise, "exercise", "", "only this exercise id")
	cmd.Flags().IntVar(&opts.Limit, "limit", 0, "only the latest N answers (0: all)")
	addJSONFlag(cmd, &opts.JSON, "print a JSON array of attempts, answers included")
	return cmd
}

func runHistory(ctx context.Context, opts *historyOptions) error {
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	as, err := st.Attempts(ctx, store.Filter{Module: opts.Module, Exercise: opts.Exercise, Limit: opts.Limit})
	if err != nil {
		return err
	}
	if opts.JSON {
		if as == nil {
			as = []store.Attempt{}
		}
		return writeJSON(opts.IO.Out, as)
	}
	if len(as) == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "no answers yet: try drill daily, or drill answer ID --file F")
		return nil
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tMODULE\tEXERCISE\tTASK\tSCORE\tTIME\tFLAGS")
	for _, a := range as {
		elapsed := "-"
		if a.ElapsedMS > 0 {
			elapsed = fmt.Sprintf("%ds", a.ElapsedMS/1000)
		}
		flags := strings.Join(a.Flags, ",")
		if flags == "" {
			flags = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", a.CreatedAt.Local().Format("2006-01-02 15:04"),
			sanitize.Text(a.Module), sanitize.Text(a.Exercise), sanitize.Text(a.Task), a.Score, elapsed, sanitize.Text(flags))
	}
	return tw.Flush()
}
