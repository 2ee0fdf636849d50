package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/grader/llm"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/modules"
	"github.com/drill-coach/drill/schedule"
)

type answerOptions struct {
	ID      string
	Task    string
	File    string
	JSON    bool
	Elapsed time.Duration
	LLM     bool
	// Claims are "POINT=N": the learner says sentence N states the missed point.
	Claims []string
}

func newAnswerCmd(env *Env) *cobra.Command {
	var opts answerOptions
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
			return runAnswer(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Task, "task", "", "task id (default: the first task)")
	cmd.Flags().StringVarP(&opts.File, "file", "f", "", "read the answer from this file")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
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

func readAnswer(env *Env, file string) (string, error) {
	var r io.Reader = env.IO.In
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
	data, err := io.ReadAll(io.LimitReader(r, grader.MaxAnswerBytes+1))
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

func runAnswer(ctx context.Context, env *Env, opts answerOptions) error {
	ex, err := exercise(env.Bank(), opts.ID)
	if err != nil {
		return err
	}
	t, err := task(ex, opts.Task)
	if err != nil {
		return err
	}
	answer, err := readAnswer(env, opts.File)
	if err != nil {
		return err
	}
	res, err := modules.Grade(ex, t, answer, opts.Elapsed)
	if err != nil {
		return err
	}
	cfg, err := config.Load(env.Getenv)
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
			fmt.Fprintln(env.IO.ErrOut, sanitize.Text(n.Text))
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
	st, err := env.Store(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	a := modules.AttemptFrom(ex.Module, answer, res)
	if err := st.RecordAttempt(ctx, a); err != nil {
		return err
	}
	if _, err := schedule.Review(ctx, st, a, a.CreatedAt, cfg.DesiredRetention); err != nil {
		return err
	}
	if opts.JSON {
		flags := make([]string, 0, len(res.Flags))
		for _, f := range res.Flags {
			flags = append(flags, f.Code)
		}
		enc := json.NewEncoder(env.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(answerJSON{Exercise: ex.ID, Task: t.ID, Score: res.Score, Points: res.Points,
			Misconceptions: res.Misconceptions, Sentences: grader.Sentences(answer), Flags: flags, Feedback: res.Feedback, ModelAnswer: res.ModelAnswer, AttemptID: a.ID, LLM: note})
	}
	md := modules.FeedbackMarkdown(ex, t, res)
	return printMarkdown(env, md, !env.IO.OutTTY)
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
