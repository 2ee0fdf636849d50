package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
)

func newExercisesCmd(env *Env) *cobra.Command {
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
			var b *exercises.Bank
			if len(args) == 1 {
				b = validatePath(args[0])
			} else {
				b = exercises.Load(env.ExerciseDirs...)
			}
			for _, p := range b.Problems {
				fmt.Fprintln(env.IO.Out, p)
			}
			if n := len(b.Problems); n > 0 {
				return fmt.Errorf("%d problem(s) found", n)
			}
			fmt.Fprintf(env.IO.Out, "%d exercises, 0 problems\n", len(b.All()))
			return nil
		},
	})
	cmd.AddCommand(newExercisesNewCmd(env))
	return cmd
}

// validatePath checks one file or folder on its own, without the embedded bank.
func validatePath(path string) *exercises.Bank {
	b := &exercises.Bank{}
	fi, err := os.Stat(path)
	if err != nil {
		b.Problems = append(b.Problems, exercises.Problem{File: path, Msg: err.Error()})
		return b
	}
	if fi.IsDir() {
		return exercises.LoadOnly(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Problems = append(b.Problems, exercises.Problem{File: path, Msg: err.Error()})
		return b
	}
	_, probs := exercises.Parse(path, data)
	b.Problems = append(b.Problems, probs...)
	return b
}
