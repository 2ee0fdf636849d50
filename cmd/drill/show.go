package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/modules"
)

type showOptions struct {
	IO     *iostreams.IOStreams
	Bank   func() *exercises.Bank
	Config func() (*config.Config, error)

	ID    string
	Task  string
	Lang  string
	Plain bool
}

func newShowCmd(f *Factory) *cobra.Command {
	opts := showOptions{IO: f.IO, Bank: f.Bank, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an exercise: its scenario and tasks",
		Example: `  drill show containerd-commit-writer
  drill show containerd-commit-writer --task opening --lang en
  drill show image-pull-efficiency --plain | less`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if opts.Lang != "zh" && opts.Lang != "en" {
				return usageError{fmt.Errorf("--lang %q must be zh or en", opts.Lang)}
			}
			return runShow(&opts)
		},
	}
	cmd.Flags().StringVar(&opts.Task, "task", "", "show only this task")
	cmd.Flags().StringVar(&opts.Lang, "lang", "zh", "language of the instructions: zh or en")
	cmd.Flags().BoolVar(&opts.Plain, "plain", false, "stable plain text, no styling")
	return cmd
}

func runShow(opts *showOptions) error {
	ex, err := exercise(opts.Bank(), opts.ID)
	if err != nil {
		return err
	}
	tasks := ex.AllTasks()
	if opts.Task != "" {
		t, err := task(ex, opts.Task)
		if err != nil {
			return err
		}
		tasks = []*exercises.Task{t}
	}
	md := modules.ExerciseMarkdown(ex, tasks, opts.Lang)
	plain := opts.Plain || !opts.IO.IsStdoutTTY()
	if !plain {
		// Reading the configuration sets its theme on IO.
		if _, err := opts.Config(); err != nil {
			return err
		}
	}
	return printMarkdown(opts.IO, md, plain)
}
