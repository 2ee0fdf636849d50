//go:build !sandbox

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/internal/sanitize"
)

// sandboxProgram is the drill built with the sandbox in it (make build writes
// bin/drill-sandbox beside bin/drill). The sandbox links containerd, its
// protobuf API and Prometheus, whose package initialisation every command
// would otherwise pay at start-up; kept in a second program, they cost only
// `drill sandbox`.
const sandboxProgram = "drill-sandbox"

// newSandboxCmd is `drill sandbox`: it runs drill-sandbox with the same
// arguments, the learner's streams and drill's environment.
func newSandboxCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "sandbox",
		Short: "Reproduce, watch and fix the debug drill's blob import failure on containerd's content store",
		Long: `sandbox runs containerd's real content store, metadata GC and leases in-process
(or a running daemon's), with the TransferService the debug drill is about.
It lives in the program drill-sandbox, installed beside drill; every argument
after "sandbox" goes to it, so drill sandbox --help shows its commands.`,
		Example: `  drill sandbox repro
  drill sandbox repro --fix all --trials 500
  drill sandbox serve --fix lease
  drill sandbox lab init && drill sandbox lab check`,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSandboxProgram(cmd.Context(), f, args)
		},
	}
}

// runSandboxProgram finds drill-sandbox ($DRILL_SANDBOX, then beside this
// executable, then on $PATH) and runs it; its exit status becomes drill's.
func runSandboxProgram(ctx context.Context, f *Factory, args []string) error {
	path, err := findSandboxProgram(f.Getenv)
	if err != nil {
		return err
	}
	// The global flags given before "sandbox" travel with it.
	var global []string
	if f.dbFlag != "" {
		global = append(global, "--db", f.dbFlag)
	}
	if f.exercisesSet {
		for _, d := range f.exerciseDirs {
			global = append(global, "--exercises", d)
		}
	}
	c := exec.Command(path, append(append(global, "sandbox"), args...)...)
	// The streams themselves, not drill's cleaning writers: drill-sandbox is
	// drill and cleans what it prints, and it must see the terminal to draw
	// its progress bar.
	c.Stdin, c.Stdout, c.Stderr = f.IO.In, sanitize.Raw(f.IO.Out), sanitize.Raw(f.IO.ErrOut)
	if err := c.Start(); err != nil {
		return fmt.Errorf("drill sandbox: %w", err)
	}
	// ctrl+c reaches both processes through the terminal; a SIGTERM or SIGHUP
	// sent to drill alone is passed on, so the sandbox server shuts down cleanly.
	stop := context.AfterFunc(ctx, func() { _ = c.Process.Signal(syscall.SIGTERM) })
	defer stop()
	err = c.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exitCodeError{code: exit.ExitCode()}
	}
	return err
}

func findSandboxProgram(getenv func(string) string) (string, error) {
	if p := getenv("DRILL_SANDBOX"); p != "" {
		return p, nil
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), sandboxProgram)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(sandboxProgram); err == nil {
		return p, nil
	}
	return "", errors.New("drill sandbox runs the program drill-sandbox, which is not installed beside drill or on $PATH: " +
		"make build writes bin/drill-sandbox, make install installs it, or go build -tags sandbox -o drill-sandbox ./cmd/drill")
}

// configureProcess runs drill's commands on one processor. Each is a short,
// sequential piece of work, and a second processor only makes the runtime
// start a second thread with its own caches: about 50 of the 650 page faults
// of `drill daily --plain` here, 2 ms. The full-screen drill takes the default
// back (runTUI); a GOMAXPROCS set in the environment is left alone.
// drill-sandbox, whose importers race on purpose, keeps every processor
// (sandbox_process.go).
func configureProcess() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}
