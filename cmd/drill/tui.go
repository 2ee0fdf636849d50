package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/grader/llm"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
	"github.com/drill-coach/drill/ui"
)

// runTUI opens the full-screen drill. Logs go to a file: the terminal belongs to
// the app.
func runTUI(ctx context.Context, env *Env) error {
	logf, err := openLog(env)
	if err != nil {
		return err
	}
	defer logf.Close()
	log := slog.New(slog.NewTextHandler(logf, nil))
	st, err := env.Store(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	bank := env.Bank()
	editor := findEditor(env.Getenv, exec.LookPath)
	cfg, err := config.Load(env.Getenv)
	if err != nil {
		return err
	}
	log.Info("start", "db", env.DBPath, "llm", cfg.LLMConfigured())
	err = ui.Run(ctx, ui.Deps{
		Bank:    bank,
		Store:   st,
		Now:     env.Now,
		Log:     log,
		NoColor: env.Getenv("NO_COLOR") != "",
		Editor:  editor,
		Record:  recordAttempt(st, cfg),
		Plan: func(ctx context.Context, now time.Time) (*schedule.Plan, error) {
			return schedule.TodayWith(ctx, bank, st, now, schedule.Options{Retention: cfg.DesiredRetention})
		},
		Stats: func(ctx context.Context, now time.Time) (string, error) {
			s, err := schedule.ComputeStats(ctx, bank, st, now, schedule.Options{Retention: cfg.DesiredRetention})
			if err != nil {
				return "", err
			}
			return s.Text(now, cfg.HideStreak), nil
		},
		Regrade: func(ctx context.Context, a *store.Attempt) error {
			return schedule.Regrade(ctx, st, a, cfg.DesiredRetention)
		},
		HideStreak: cfg.HideStreak,
		Started:    processStart,
		Polish:     polisher(cfg),
		LLMGrade:   llmGrader(cfg),
	})
	if err != nil {
		log.Error("exit", "err", err)
	}
	return err
}

// findEditor is the command ctrl+e opens: $VISUAL, then $EDITOR, then vi or
// nano if installed; "" when there is none.
func findEditor(getenv func(string) string, lookPath func(string) (string, error)) string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if e := strings.TrimSpace(getenv(v)); e != "" {
			return e
		}
	}
	for _, e := range []string{"vi", "nano"} {
		if _, err := lookPath(e); err == nil {
			return e
		}
	}
	return ""
}

// llmGrader returns the LLM grader when llm_grading is on and an endpoint is set.
func llmGrader(cfg *config.Config) func(context.Context, *exercises.Exercise, *exercises.Task, string, *grader.Result) (*grader.Result, string) {
	if !cfg.LLMGrading {
		return nil
	}
	client, err := llm.FromConfig(cfg)
	if err != nil {
		return nil
	}
	return func(ctx context.Context, ex *exercises.Exercise, t *exercises.Task, answer string, offline *grader.Result) (*grader.Result, string) {
		res, note, _ := client.Grade(ctx, ex, t, answer, offline)
		return res, note.Text
	}
}

// polisher polishes with the configured LLM, or gives the offline checks.
func polisher(cfg *config.Config) ui.PolishFunc {
	client, err := llm.FromConfig(cfg)
	return func(ctx context.Context, text string, maxSentences int, onChunk func(string)) (*ui.PolishResult, error) {
		if err != nil || client == nil {
			res := &ui.PolishResult{Offline: true}
			for _, a := range llm.Advise(text, maxSentences) {
				res.Advice = append(res.Advice, a.Message)
			}
			return res, nil
		}
		p, err := client.Polish(ctx, text, "", onChunk)
		if err != nil {
			return nil, err
		}
		diff := llm.FormatDiff(p.Diff)
		for _, c := range p.Changes {
			diff += fmt.Sprintf("\n[%s] %q → %q: %s", c.Category, c.Before, c.After, c.Reason)
		}
		return &ui.PolishResult{Text: p.Text, Diff: diff}, nil
	}
}

func openLog(env *Env) (*os.File, error) {
	dir := filepath.Join(stateHome(env.Getenv), "drill")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("log folder: %w", err)
	}
	return os.OpenFile(filepath.Join(dir, "drill.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
}
