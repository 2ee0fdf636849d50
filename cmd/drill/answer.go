package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/grader/llm"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/store"
)

type answerOptions struct {
	IO       *iostreams.IOStreams
	Bank     func() *exercises.Bank
	Config   func() (*config.Config, error)
	Store    func(context.Context) (*store.Store, error)
	Practice func(context.Context) (*practice.Service, error)

	ID      string
	Task    string
	File    string
	JSON    bool
	Elapsed time.Duration
	LLM     bool
	// Claims are "POINT=N": the learner says sentence N states the missed point.
	Claims []string
}

func newAnswerCmd(f *Factory) *cobra.Command {
	opts := answerOptions{IO: f.IO, Bank: f.Bank, Config: f.Config, Store: f.Store, Practice: f.Practice}
	cmd := &cobra.Command{
		Use:   "answer ID (--file F | -)",
		Short: "Grade an answer, record it and print the coach's feedback",
		Example: `  drill answer containerd-commit-writer --task opening --file opening.txt
  echo "We see intermittent commit failures..." | drill answer containerd-commit-writer -
  drill answer transfer-service-get-or-create-writer --file review.md --json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			stdin := len(args) == 2 && args[1] == "-"
			if len(args) == 2 && !stdin {
				return usageError{fmt.Errorf("unexpected argument %q: give the answer with --file F or - for stdin", args[1])}
			}
			if stdin == (opts.File != "") {
				return usageError{errors.New("give the answer with exactly one of --file F or - (stdin)")}
			}
			if opts.Elapsed < 0 {
				return usageError{fmt.Errorf("--elapsed %s is negative: give how long the answer took, such as 34s", opts.Elapsed)}
			}
			return runAnswer(cmd.Context(), &opts)
		},
	}
	cmd.Flags().StringVar(&opts.Task, "task", "", "task id (default: the first task)")
	cmd.Flags().StringVarP(&opts.File, "file", "f", "", "read the answer from this file")
	addJSONFlag(cmd, &opts.JSON, "print the result as JSON")
	cmd.Flags().DurationVar(&opts.Elapsed, "elapsed", 0, "how long the answer took, for timed tasks (e.g. 34s)")
	cmd.Flags().BoolVar(&opts.LLM, "llm", false, "grade each point with the configured LLM (see drill doctor); falls back to the offline grade")
	cmd.Flags().StringArrayVar(&opts.Claims, "claim", nil, "claim a missed point: POINT=N says sentence N of your answer states it (self-assessed; repeatable)")
	return cmd
}

// answerJSON is the stable shape of `drill answer --json`.
type answerJSON struct {
	Exercise string               `json:"exercise"`
	Task     string               `json:"task"`
	Score    int                  `json:"score"`
	Points   []grader.PointResult `json:"points"`
	// Misconceptions are the wrong beliefs the answer states, with corrections.
	Misconceptions []grader.MisconceptionResult `json:"misconceptions"`
	// Sentences are the answer's sentences as numbered for --claim.
	Sentences   []string      `json:"sentences"`
	Flags       []string      `json:"flags"`
	Feedback    []grader.Item `json:"feedback"`
	ModelAnswer string        `json:"model_answer"`
	AttemptID   int64         `json:"attempt_id"`
	// LLM says how the optional LLM grade was combined, when it was asked for.
	LLM *llm.Note `json:"llm,omitempty"`
}

// errInterrupted says the learner stopped drill while it read the answer.
var errInterrupted = errors.New("interrupted")

// readAnswer reads the answer from file, or from stdin when file is empty. A
// ctrl+c while reading stops at once and returns what was read so far with
// errInterrupted, so the caller can keep it: a terminal read blocks, and
// drill must not ignore the learner's ctrl+c or drop their text.
func readAnswer(ctx context.Context, in io.Reader, file string) (string, error) {
	var r io.Reader = in
	name := "stdin"
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("read answer: %w", err)
		}
		defer f.Close()
		r, name = f, file
	}
	// Read one byte past the limit to tell "too large" from "exactly at the limit".
	data, err := readAll(ctx, io.LimitReader(r, grader.MaxAnswerBytes+1))
	if errors.Is(err, errInterrupted) {
		return string(data), err
	}
	if err != nil {
		return "", fmt.Errorf("read answer from %s: %w", name, err)
	}
	if len(data) > grader.MaxAnswerBytes {
		return "", fmt.Errorf("answer in %s: %w", name, grader.ErrTooLarge)
	}
	if !utf8.Valid(data) {
		return "", fmt.Errorf("answer in %s: %w (save it as UTF-8)", name, grader.ErrEncoding)
	}
	return string(data), nil
}

// readAll is io.ReadAll that gives up when ctx ends, returning what it has.
// The reading goroutine may stay blocked on the terminal; drill exits soon after.
func readAll(ctx context.Context, r io.Reader) ([]byte, error) {
	var mu sync.Mutex
	var buf []byte
	done := make(chan error, 1)
	// appended ticks after every chunk is added: a ctrl+c that lands between a
	// read returning and its bytes being kept must not lose them.
	appended := make(chan struct{}, 1)
	go func() {
		p := make([]byte, 32<<10)
		for {
			n, err := r.Read(p)
			mu.Lock()
			buf = append(buf, p[:n]...)
			mu.Unlock()
			select {
			case appended <- struct{}{}:
			default:
			}
			if errors.Is(err, io.EOF) {
				done <- nil
				return
			}
			if err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		return buf, err
	case <-ctx.Done():
		// Let a chunk already taken from the input land; a reader still
		// blocked has nothing more to give. A tick left from an earlier chunk
		// is dropped first, under the lock, so it cannot end the wait early.
		mu.Lock()
		select {
		case <-appended:
		default:
		}
		mu.Unlock()
		select {
		case <-appended:
		case <-done:
		case <-time.After(100 * time.Millisecond):
		}
		mu.Lock()
		defer mu.Unlock()
		return append([]byte(nil), buf...), errInterrupted
	}
}

// keepInterrupted saves what was typed before a ctrl+c as the task's draft,
// which the full-screen drill opens, and says so.
func keepInterrupted(ctx context.Context, opts *answerOptions, exID, taskID, text string, elapsed time.Duration) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("interrupted before an answer was read; nothing was recorded")
	}
	if len(text) > grader.MaxAnswerBytes {
		text = text[:grader.MaxAnswerBytes]
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	st, err := opts.Store(ctx)
	if err != nil {
		return fmt.Errorf("interrupted, and what you typed could not be kept: %w", err)
	}
	if err := st.SaveDraft(ctx, store.Draft{Exercise: exID, Task: taskID, Body: text, ElapsedMS: elapsed.Milliseconds()}); err != nil {
		return fmt.Errorf("interrupted, and what you typed could not be kept: %w", err)
	}
	return fmt.Errorf("interrupted: what you typed (%d bytes) is saved as the draft of %s / %s; run drill to finish it", len(text), exID, taskID)
}

func runAnswer(ctx context.Context, opts *answerOptions) error {
	ex, err := exercise(opts.Bank(), opts.ID)
	if err != nil {
		return err
	}
	t, err := task(ex, opts.Task)
	if err != nil {
		return err
	}
	// The configuration is read before the answer, so a broken config.yaml
	// fails before anything is typed into stdin, not after.
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	answer, err := readAnswer(ctx, opts.IO.In, opts.File)
	if errors.Is(err, errInterrupted) {
		return keepInterrupted(context.WithoutCancel(ctx), opts, ex.ID, t.ID, answer, opts.Elapsed)
	}
	if err != nil {
		return err
	}
	res, err := modules.Grade(ex, t, answer, opts.Elapsed)
	if err != nil {
		return err
	}
	var note *llm.Note
	if opts.LLM || cfg.LLMGrading {
		// An LLM failure never fails the command: the offline grade stands and the
		// note says why.
		client, _ := llm.FromConfig(cfg)
		combined, n, _ := client.Grade(ctx, ex, t, answer, res)
		res, note = combined, &n
		if !opts.JSON {
			fmt.Fprintln(opts.IO.ErrOut, sanitize.Text(n.Text))
		}
	}
	for _, c := range opts.Claims {
		id, n, err := parseClaim(c)
		if err != nil {
			return err
		}
		if err := grader.Claim(res, answer, id, n); err != nil {
			return usageError{err}
		}
	}
	// Once the answer is graded it is saved even if ctrl+c comes now: saving
	// takes milliseconds, and losing a finished answer is worse than a late exit.
	save := context.WithoutCancel(ctx)
	svc, err := opts.Practice(save)
	if err != nil {
		return err
	}
	a := modules.AttemptFrom(ex.Module, answer, res)
	if err := svc.Record(save, a); err != nil {
		return err
	}
	if opts.JSON {
		flags := make([]string, 0, len(res.Flags))
		for _, f := range res.Flags {
			flags = append(flags, f.Code)
		}
		return writeJSON(opts.IO.Out, answerJSON{Exercise: ex.ID, Task: t.ID, Score: res.Score, Points: res.Points,
			Misconceptions: res.Misconceptions, Sentences: grader.Sentences(answer), Flags: flags, Feedback: res.Feedback, ModelAnswer: res.ModelAnswer, AttemptID: a.ID, LLM: note})
	}
	md := modules.FeedbackMarkdown(ex, t, res)
	return printMarkdown(opts.IO, md, !opts.IO.IsStdoutTTY())
}

// parseClaim reads "POINT=N".
func parseClaim(s string) (string, int, error) {
	id, num, ok := strings.Cut(s, "=")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if !ok || strings.TrimSpace(id) == "" || err != nil {
		return "", 0, usageError{fmt.Errorf("--claim %q: write POINT=N, e.g. --claim next-step=3 (N counts the sentences of your answer from 1)", s)}
	}
	return strings.TrimSpace(id), n, nil
}
