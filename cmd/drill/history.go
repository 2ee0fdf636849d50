package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/store"
)

func init() { extraCommands = append(extraCommands, newHistoryCmd) }

type historyOptions struct {
	Module   string
	Exercise string
	Limit    int
	JSON     bool
}

func newHistoryCmd(env *Env) *cobra.Command {
	var opts historyOptions
	cmd := &cobra.Command{
		Use:   "history",
		Short: "Your graded answers, oldest first",
		Example: `  drill history
  drill history --module debug --limit 10
  drill history --json | jq '.[] | select(.score < 40) | .exercise'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Module != "" && !exercises.IsModule(opts.Module) {
				return usageError{fmt.Errorf("--module %q is not one of %s", opts.Module, strings.Join(exercises.Modules, ", "))}
			}
			if opts.Limit < 0 {
				return usageError{fmt.Errorf("--limit %d must not be negative", opts.Limit)}
			}
			return runHistory(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Module, "module", "", "only this module: debug, review, expression or design")
	cmd.Flags().StringVar(&opts.Exercise, "exercise", "", "only this exercise id")
	cmd.Flags().IntVar(&opts.Limit, "limit", 0, "only the latest N answers (0: all)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print a JSON array of attempts, answers included")
	return cmd
}

func runHistory(ctx context.Context, env *Env, opts historyOptions) error {
	st, err := env.Store(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	as, err := st.Attempts(ctx, store.Filter{Module: opts.Module, Exercise: opts.Exercise, Limit: opts.Limit})
	if err != nil {
		return err
	}
	if opts.JSON {
		if as == nil {
			as = []store.Attempt{}
		}
		enc := json.NewEncoder(env.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(as)
	}
	if len(as) == 0 {
		fmt.Fprintln(env.IO.ErrOut, "no answers yet: try drill daily, or drill answer ID --file F")
		return nil
	}
	tw := tabwriter.NewWriter(env.IO.Out, 0, 0, 2, ' ', 0)
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
