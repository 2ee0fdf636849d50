package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/modules"
)

func newExercisesCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exercises",
		Short: "Work with exercise files",
		Example: `  drill exercises validate
  drill exercises new --module review`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "validate [PATH]",
		Short: "Check exercise files and report every problem as file:line",
		Example: `  drill exercises validate                      # the bank and your own folder
  drill exercises validate ~/my-exercises/k8s.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var count int
			var problems []exercises.Problem
			if len(args) == 1 {
				count, problems = validatePath(args[0])
			} else {
				b := exercises.Load(f.ExerciseDirs()...)
				count, problems = len(b.All()), b.Problems
				// The embedded bank's own checks run in its tests; a learner
				// validating gets what concerns their files.
				for _, p := range modules.Lint(b) {
					if !strings.HasPrefix(p.File, "embedded:") {
						problems = append(problems, p)
					}
				}
			}
			for _, p := range problems {
				fmt.Fprintln(f.IO.Out, p)
			}
			if n := len(problems); n > 0 {
				return fmt.Errorf("%d problem(s) found", n)
			}
			fmt.Fprintf(f.IO.Out, "%s, 0 problems\n", plural(count, "exercise"))
			return nil
		},
	})
	cmd.AddCommand(newExercisesNewCmd(f))
	cmd.AddCommand(newExercisesCalibrateCmd(f))
	return cmd
}

func newExercisesCalibrateCmd(f *Factory) *cobra.Command {
	var asJSON, verbose bool
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Grade every task's calibration answers and show how far the grader is from the ideal order",
		Long: `Grades the calibration answers of every task (strong, paraphrase, partial, vague,
wrong, off_topic, plus the rubric's terms as a list and the prompt pasted back) and
reports, per module, the pairwise ordering accuracy — the share of pairs from
different tiers (strong/paraphrase > partial > the rest) that the grader ordered
right — and the mean score of each kind.`,
		Example: `  drill exercises calibrate
  drill exercises calibrate --json | jq .overall`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := modules.Calibrate(exercises.Load(f.ExerciseDirs()...))
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(f.IO.Out, rep)
			}
			w := tabwriter.NewWriter(f.IO.Out, 0, 0, 2, ' ', tabwriter.AlignRight)
			kinds := modules.CalibrationKinds()
			fmt.Fprintf(w, "module\ttasks\taccuracy\thard\t%s\t\n", strings.Join(kinds, "\t"))
			for _, m := range append(rep.Modules, rep.Overall) {
				fmt.Fprintf(w, "%s\t%d\t%.2f\t%.2f", m.Module, m.Tasks, m.Accuracy, m.HardAccuracy)
				for _, k := range kinds {
					if v, ok := m.Mean[k]; ok {
						fmt.Fprintf(w, "\t%.0f", v)
					} else {
						fmt.Fprint(w, "\t-")
					}
				}
				fmt.Fprintln(w, "\t")
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(f.IO.Out, "\naccuracy: pairs of kinds from different tiers (strong, paraphrase > partial > the rest) ordered right;")
			fmt.Fprintln(f.IO.Out, "hard: only strong, paraphrase or partial against wrong or the terms list; then the mean score per kind")
			if verbose {
				for _, tc := range rep.Tasks {
					if bad := tc.Misordered(); len(bad) > 0 {
						fmt.Fprintf(f.IO.Out, "%s/%s: %s\n", tc.Exercise, tc.Task, strings.Join(bad, "; "))
					}
				}
			}
			for _, m := range rep.Missing {
				fmt.Fprintf(f.IO.ErrOut, "no calibration answers: %s\n", m)
			}
			return nil
		},
	}
	addJSONFlag(cmd, &asJSON, "print the report as JSON")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list the tasks whose answers are ordered wrong")
	return cmd
}

// validatePath checks one file or folder on its own, without the embedded bank,
// and returns how many exercises it holds and their problems.
func validatePath(path string) (int, []exercises.Problem) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, []exercises.Problem{{File: path, Msg: err.Error()}}
	}
	if fi.IsDir() {
		b := exercises.LoadOnly(path)
		return len(b.All()), b.Problems
	}
	ex, probs := exercises.LoadFile(path)
	if ex == nil {
		return 0, probs
	}
	return 1, probs
}

// plural says "1 exercise", "2 exercises".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
