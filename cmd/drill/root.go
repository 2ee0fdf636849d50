package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/iostreams"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError marks errors in how drill was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCodeError carries the exit status of a program drill ran on the
// learner's behalf (drill-sandbox), which has already reported its error.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs drill with args and returns the exit code. It is the only place that
// maps errors to exit codes.
func Main(args []string) int {
	// SIGTERM and SIGHUP (the terminal closed) end drill like ctrl+c does, so the
	// TUI saves the draft and the sandbox server shuts down cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	// After the first signal, the default action returns: a second ctrl+c ends
	// drill even if something is stuck.
	context.AfterFunc(ctx, stop)
	f := NewFactory(iostreams.System(os.Getenv), os.Getenv)
	defer f.IO.Flush()
	defer f.Close()
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ec exitCodeError
	if errors.As(err, &ec) {
		return ec.code // the program that failed has said why
	}
	fmt.Fprintf(f.IO.ErrOut, "drill: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitError
}

// newRootCmd wires every command drill has, here and nowhere else.
func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "drill",
		Short: "A daily four-module drill for staff-level infrastructure interviews",
		Long: `drill serves a daily four-module drill (debug, review, expression, design),
grades English answers offline against rubrics, keeps every attempt in SQLite and
schedules what comes back when. Run it with no arguments to open today's drill.`,
		Example: `  drill                      # open today's drill
  drill list --module debug
  drill show containerd-commit-writer --task opening
  drill answer containerd-commit-writer --task opening --file answer.txt`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			f.exercisesSet = cmd.Flags().Changed("exercises")
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDaily(cmd.Context(), newDailyOptions(f, !f.IO.IsStdoutTTY() || !f.IO.IsStdinTTY()))
		},
	}
	root.PersistentFlags().StringVar(&f.dbFlag, "db", "", "database file (default $DRILL_DB or $XDG_DATA_HOME/drill/drill.db)")
	root.PersistentFlags().StringArrayVar(&f.exerciseDirs, "exercises", nil, "folder of your own exercises, overlaid on the bank (default $XDG_CONFIG_HOME/drill/exercises)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	// --version prints the same as `drill version`.
	root.Version = readBuildInfo().Version
	root.SetVersionTemplate(versionText())

	root.AddGroup(
		&cobra.Group{ID: "practice", Title: "Practice:"},
		&cobra.Group{ID: "progress", Title: "Progress:"},
		&cobra.Group{ID: "tools", Title: "Exercises, LLM and sandbox:"},
	)
	for _, g := range []struct {
		id   string
		cmds []*cobra.Command
	}{
		{"practice", []*cobra.Command{newDailyCmd(f), newListCmd(f), newShowCmd(f), newAnswerCmd(f), newPolishCmd(f)}},
		{"progress", []*cobra.Command{newStatsCmd(f), newHistoryCmd(f), newExportCmd(f), newImportCmd(f)}},
		{"tools", []*cobra.Command{newExercisesCmd(f), newDoctorCmd(f), newSandboxCmd(f), newVersionCmd(f), newManCmd(f, root)}},
	} {
		for _, c := range g.cmds {
			c.GroupID = g.id
			root.AddCommand(c)
		}
	}
	root.SetHelpCommandGroupID("tools")
	root.SetCompletionCommandGroupID("tools")
	return root
}

// exercise finds id in the bank or says which ids come close.
func exercise(b *exercises.Bank, id string) (*exercises.Exercise, error) {
	if ex := b.Get(id); ex != nil {
		return ex, nil
	}
	msg := fmt.Sprintf("unknown exercise %q", id)
	if s := b.Suggest(id); len(s) > 0 {
		msg += "; did you mean " + joinQuoted(s) + "?"
	} else {
		msg += "; run 'drill list' to see them all"
	}
	return nil, errors.New(msg)
}

func task(ex *exercises.Exercise, id string) (*exercises.Task, error) {
	if t := ex.Task(id); t != nil {
		return t, nil
	}
	var ids []string
	for _, t := range ex.AllTasks() {
		ids = append(ids, t.ID)
	}
	return nil, fmt.Errorf("exercise %s has no task %q; its tasks are %s", ex.ID, id, joinQuoted(ids))
}

func joinQuoted(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", x)
	}
	return out
}
