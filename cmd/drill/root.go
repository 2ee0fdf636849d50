package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/store"
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

// IOStreams carries every byte drill reads or writes, so tests can swap them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY is true when Out is a terminal: print for humans, else stable plain text.
	OutTTY bool
	InTTY  bool
}

// systemIO cleans everything drill prints of terminal escape sequences in one
// place, so no field of an exercise, answer or reply can be forgotten; on a
// terminal drill's own colours (SGR) pass.
func systemIO() *IOStreams {
	outTTY := term.IsTerminal(int(os.Stdout.Fd()))
	return &IOStreams{
		In: os.Stdin, Out: sanitize.NewWriter(os.Stdout, outTTY), ErrOut: sanitize.NewWriter(os.Stderr, false),
		OutTTY: outTTY,
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
	}
}

// Env is what every command shares: streams, global flags and the clock.
type Env struct {
	IO           *IOStreams
	DBPath       string
	ExerciseDirs []string
	Getenv       func(string) string
	Now          func() time.Time
}

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
	env := &Env{IO: systemIO(), Getenv: os.Getenv}
	defer flushIO(env.IO)
	root := newRootCmd(env)
	root.SetArgs(args)
	root.SetIn(env.IO.In)
	root.SetOut(env.IO.Out)
	root.SetErr(env.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(env.IO.ErrOut, "drill: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitError
}

func flushIO(io *IOStreams) {
	for _, w := range []any{io.Out, io.ErrOut} {
		if f, ok := w.(interface{ Flush() error }); ok {
			_ = f.Flush()
		}
	}
}

func newRootCmd(env *Env) *cobra.Command {
	var dbFlag string
	var exDirs []string
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
			return env.setup(dbFlag, exDirs, cmd.Flags().Changed("exercises"))
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDaily(cmd.Context(), env, dailyOptions{Plain: !env.IO.OutTTY || !env.IO.InTTY})
		},
	}
	root.PersistentFlags().StringVar(&dbFlag, "db", "", "database file (default $DRILL_DB or $XDG_DATA_HOME/drill/drill.db)")
	root.PersistentFlags().StringArrayVar(&exDirs, "exercises", nil, "folder of your own exercises, overlaid on the bank (default $XDG_CONFIG_HOME/drill/exercises)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	// --version prints the same as `drill version`.
	root.Version = readBuildInfo().Version
	root.SetVersionTemplate(versionText())
	root.AddCommand(newListCmd(env), newShowCmd(env), newAnswerCmd(env), newDailyCmd(env), newExercisesCmd(env), newSandboxCmd(env))
	for _, add := range extraCommands {
		root.AddCommand(add(env))
	}
	return root
}

// extraCommands lets other files of this package register commands.
var extraCommands []func(*Env) *cobra.Command

func (env *Env) setup(dbFlag string, exDirs []string, exChanged bool) error {
	if env.Now == nil {
		now, err := clock(env.Getenv("DRILL_NOW"))
		if err != nil {
			return usageError{err}
		}
		env.Now = now
	}
	switch {
	case dbFlag != "":
		env.DBPath = dbFlag
	case env.Getenv("DRILL_DB") != "":
		env.DBPath = env.Getenv("DRILL_DB")
	default:
		env.DBPath = filepath.Join(dataHome(env.Getenv), "drill", "drill.db")
	}
	if exChanged {
		env.ExerciseDirs = exDirs
	} else {
		env.ExerciseDirs = []string{filepath.Join(configHome(env.Getenv), "drill", "exercises")}
	}
	return nil
}

// clock returns time.Now, or a fixed clock when DRILL_NOW is set (RFC 3339), for
// tests and demos. A fixed clock still advances with real time from that instant,
// so the TUI's autosave interval and countdown, which read this clock, keep
// working.
func clock(v string) (func() time.Time, error) {
	if v == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, fmt.Errorf("DRILL_NOW=%q is not an RFC 3339 time such as 2026-11-25T08:45:00+08:00", v)
	}
	start := time.Now()
	return func() time.Time { return t.Add(time.Since(start)) }, nil
}

// XDG paths are read from the environment on every call, not cached at start-up,
// so tests can point them at temporary folders.
func dataHome(getenv func(string) string) string {
	if v := getenv("XDG_DATA_HOME"); v != "" {
		return v
	}
	return xdg.DataHome
}

func configHome(getenv func(string) string) string {
	if v := getenv("XDG_CONFIG_HOME"); v != "" {
		return v
	}
	return xdg.ConfigHome
}

func cacheHome(getenv func(string) string) string {
	if v := getenv("XDG_CACHE_HOME"); v != "" {
		return v
	}
	return xdg.CacheHome
}

func stateHome(getenv func(string) string) string {
	if v := getenv("XDG_STATE_HOME"); v != "" {
		return v
	}
	return xdg.StateHome
}

// Bank loads the embedded exercises overlaid with the learner's folders and warns
// about broken files on stderr: one bad file never hides the others.
//
// The learner's files are cached, parsed, under $XDG_CACHE_HOME/drill, so a
// command reads only the files that changed.
func (env *Env) Bank() *exercises.Bank {
	opts := exercises.LoadOptions{Dirs: env.ExerciseDirs}
	if env.Getenv != nil {
		opts.CacheDir = filepath.Join(cacheHome(env.Getenv), "drill")
	}
	b := exercises.LoadWith(opts)
	for _, p := range b.Problems {
		fmt.Fprintf(env.IO.ErrOut, "warning: %s\n", p)
	}
	return b
}

// Store opens the database.
func (env *Env) Store(ctx context.Context) (*store.Store, error) {
	st, err := store.Open(ctx, env.DBPath)
	if err != nil {
		return nil, err
	}
	if env.Now != nil {
		st.Now = env.Now
	}
	return st, nil
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
