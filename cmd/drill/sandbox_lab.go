//go:build sandbox

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/sandbox/lab"
	"github.com/drill-coach/drill/store"
)

// newSandboxLabCmd is `drill sandbox lab`: the learner fixes the
// TransferService in a module of their own and the harness checks it.
func newSandboxLabCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Fix the TransferService yourself and prove it under the race detector",
		Long: `lab writes a small Go module holding the reviewed TransferService (transfer.go) and
a harness (lab_test.go) that checks it against containerd's real content store,
leases and garbage collector under go test -race. Edit transfer.go until check passes.`,
		Example: `  drill sandbox lab init
  $EDITOR drill-lab/transfer.go
  drill sandbox lab check
  drill sandbox lab hint
  drill sandbox lab solution`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newLabInitCmd(f.IO), newLabCheckCmd(f), newLabHintCmd(f.IO), newLabSolutionCmd(f.IO))
	return cmd
}

func labDir(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return lab.DefaultDir
}

func newLabInitCmd(ios *iostreams.IOStreams) *cobra.Command {
	var restore bool
	cmd := &cobra.Command{
		Use: "init [DIR]",
		Example: `  drill sandbox lab init            # writes ./drill-lab
  drill sandbox lab init ~/lab --restore`,
		Short: "Write the lab module (default ./" + lab.DefaultDir + ")",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := labDir(args)
			if restore {
				if err := lab.Restore(dir); err != nil {
					return err
				}
				fmt.Fprintf(ios.Out, "restored the harness, go.mod and go.sum in %s; your transfer.go is untouched\n", dir)
				return nil
			}
			if err := lab.Init(dir); err != nil {
				return err
			}
			out := ios.Out
			fmt.Fprintf(out, "wrote the lab to %s:\n", dir)
			fmt.Fprintf(out, "  transfer.go   the reviewed TransferService: fix it (the only file to edit)\n")
			fmt.Fprintf(out, "  lab_test.go   the harness: containerd's content store, leases and GC, under -race\n")
			fmt.Fprintf(out, "  README.md     the task and what each property means (English and Chinese)\n")
			fmt.Fprintf(out, "next: drill sandbox lab check %s\n", dir)
			return nil
		},
	}
	cmd.Flags().BoolVar(&restore, "restore", false, "put back the harness, go.mod and go.sum; keep transfer.go")
	return cmd
}

type labCheckOptions struct {
	IO       *iostreams.IOStreams
	Practice func(context.Context) (*practice.Service, error)

	Dir     string
	JSON    bool
	Timeout time.Duration
}

func newLabCheckCmd(f *Factory) *cobra.Command {
	opts := labCheckOptions{IO: f.IO, Practice: f.Practice, Timeout: 5 * time.Minute}
	cmd := &cobra.Command{
		Use: "check [DIR]",
		Example: `  drill sandbox lab check
  drill sandbox lab check ~/lab`,
		Short: "Run the harness under go test -race and report each property",
		Long: `check runs the lab's harness with go test -race and prints one line per property,
✅ or ❌ with the evidence. It refuses to run when lab_test.go, go.mod or go.sum
was edited. The result is recorded in your history (module lab).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Timeout <= 0 {
				return usageError{fmt.Errorf("--timeout %s must be positive", opts.Timeout)}
			}
			opts.Dir = labDir(args)
			return runLabCheck(cmd.Context(), &opts)
		},
	}
	addJSONFlag(cmd, &opts.JSON, "print the report as JSON")
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", opts.Timeout, "end a harness run that takes longer (a deadlocked fix)")
	return cmd
}

func runLabCheck(ctx context.Context, opts *labCheckOptions) error {
	if err := lab.Verify(opts.Dir); err != nil {
		return err
	}
	if !opts.JSON {
		fmt.Fprintf(opts.IO.ErrOut, "running the harness under go test -race in %s (the first run compiles containerd with -race, which takes a few minutes)...\n", opts.Dir)
	}
	rep, err := lab.Check(ctx, opts.Dir, lab.CheckOptions{Timeout: opts.Timeout})
	if err != nil {
		return err
	}
	if err := recordLab(ctx, opts, rep); err != nil {
		return err
	}
	if opts.JSON {
		if err := writeJSON(opts.IO.Out, rep); err != nil {
			return err
		}
	} else {
		writeLabReport(opts.IO.Out, opts.Dir, rep)
	}
	if rep.BuildError != "" {
		return errors.New("transfer.go does not build")
	}
	if !rep.Passed() {
		failed := 0
		for _, p := range rep.Properties {
			if !p.Passed {
				failed++
			}
		}
		return fmt.Errorf("%d of %d properties do not hold", failed, len(rep.Properties))
	}
	return nil
}

func writeLabReport(w io.Writer, dir string, rep *lab.Report) {
	fmt.Fprintf(w, "drill sandbox lab check: %s in %s (%s)\n\n", rep.Command, dir, rep.Elapsed.Round(100*time.Millisecond))
	if rep.BuildError != "" {
		fmt.Fprintln(w, "❌ transfer.go does not build:")
		for _, l := range strings.Split(rep.BuildError, "\n") {
			fmt.Fprintf(w, "     %s\n", sanitize.Text(l))
		}
		return
	}
	held := 0
	for _, p := range rep.Properties {
		mark := "❌"
		if p.Passed {
			mark = "✅"
			held++
		}
		fmt.Fprintf(w, "%s %-17s %s\n", mark, p.ID, p.Title)
		for _, l := range p.Failure {
			fmt.Fprintf(w, "     %s\n", sanitize.Text(l))
		}
	}
	fmt.Fprintf(w, "\n%d of %d properties hold.", held, len(rep.Properties))
	if rep.Passed() {
		fmt.Fprintf(w, " Compare with the reference: drill sandbox lab solution %s\n", dir)
	} else {
		fmt.Fprintf(w, " Stuck? drill sandbox lab hint %s\n", dir)
	}
}

// recordLab keeps the check in the history like a graded answer: the
// learner's transfer.go is the answer, each property a rubric point.
func recordLab(ctx context.Context, opts *labCheckOptions, rep *lab.Report) error {
	dir := opts.Dir
	st, err := lab.LoadState(dir)
	if err != nil {
		return err
	}
	if rep.Passed() && !st.Passed {
		st.Passed = true
		if err := lab.SaveState(dir, st); err != nil {
			return err
		}
	}
	src, err := os.ReadFile(filepath.Join(dir, "transfer.go"))
	if err != nil {
		return err
	}
	a := &store.Attempt{
		Exercise: lab.Exercise, Task: lab.Task, Module: lab.Module,
		Answer: string(src), Score: rep.Score(), Coverage: rep.Score(),
		ElapsedMS: rep.Elapsed.Milliseconds(),
	}
	if rep.BuildError != "" {
		a.Score, a.Coverage = 0, 0
		a.Flags = append(a.Flags, "does-not-build")
	}
	for _, p := range rep.Properties {
		ev := ""
		if len(p.Failure) > 0 {
			ev = p.Failure[0]
		}
		a.Points = append(a.Points, store.Point{ID: p.ID, Hit: p.Passed, Evidence: ev})
	}
	if st.Hints > 0 {
		a.Flags = append(a.Flags, fmt.Sprintf("hints-%d", st.Hints))
	}
	svc, err := opts.Practice(ctx)
	if err != nil {
		return err
	}
	return svc.Record(ctx, a)
}

func newLabHintCmd(ios *iostreams.IOStreams) *cobra.Command {
	var zh bool
	cmd := &cobra.Command{
		Use:     "hint [DIR]",
		Example: `  drill sandbox lab hint            # the next hint, one at a time`,
		Short:   "Show the next hint (each one is counted in the lab's record)",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := labDir(args)
			if err := lab.Verify(dir); errors.Is(err, lab.ErrEdited) {
				// A hint is still useful with an edited harness; check will say the rest.
			} else if err != nil {
				return err
			}
			st, err := lab.LoadState(dir)
			if err != nil {
				return err
			}
			hints := lab.Hints()
			if st.Hints < len(hints) {
				st.Hints++
				if err := lab.SaveState(dir, st); err != nil {
					return err
				}
			}
			for i := 0; i < st.Hints; i++ {
				h := hints[i]
				text := h.EN
				if zh {
					text = h.ZH
				}
				fmt.Fprintf(ios.Out, "hint %d of %d: %s\n", i+1, len(hints), text)
			}
			if st.Hints == len(hints) {
				fmt.Fprintf(ios.Out, "that was the last hint; drill sandbox lab solution --reveal %s shows the reference\n", dir)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&zh, "zh", false, "hints in Chinese")
	return cmd
}

func newLabSolutionCmd(ios *iostreams.IOStreams) *cobra.Command {
	var reveal bool
	cmd := &cobra.Command{
		Use: "solution [DIR]",
		Example: `  drill sandbox lab solution        # after a pass
  drill sandbox lab solution --reveal`,
		Short: "Print the reference transfer.go, once check has passed (or with --reveal)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := labDir(args)
			st, err := lab.LoadState(dir)
			if err != nil {
				return err
			}
			if !st.Passed && !reveal {
				return fmt.Errorf("the reference solution opens once drill sandbox lab check %s passes; --reveal shows it now", dir)
			}
			if !st.Passed {
				// Revealing is part of the record, like a hint.
				if _, err := os.Stat(filepath.Join(dir, "transfer.go")); err == nil {
					st.Hints = len(lab.Hints())
					if err := lab.SaveState(dir, st); err != nil {
						return err
					}
				}
			}
			_, err = io.WriteString(ios.Out, lab.Solution())
			return err
		},
	}
	cmd.Flags().BoolVar(&reveal, "reveal", false, "show it before check has passed")
	return cmd
}
