package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/grader/llm"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/ui"
)

type tuiOptions struct {
	Getenv   func(string) string
	IO       *iostreams.IOStreams
	Config   func() (*config.Config, error)
	Practice func(context.Context) (*practice.Service, error)
	DBPath   string
}

func newTUIOptions(f *Factory) *tuiOptions {
	return &tuiOptions{Getenv: f.Getenv, IO: f.IO, Config: f.Config, Practice: f.Practice, DBPath: f.DBPath()}
}

// runTUI opens the full-screen drill. Logs go to a file: the terminal belongs to
// the app.
func runTUI(ctx context.Context, opts *tuiOptions) error {
	// Commands run on one processor (configureProcess); the full-screen drill
	// renders while it grades and saves, so it gets the default back.
	if opts.Getenv("GOMAXPROCS") == "" {
		runtime.SetDefaultGOMAXPROCS()
	}
	logf, err := openLog(opts.Getenv)
	if err != nil {
		return err
	}
	defer logf.Close()
	log := slog.New(slog.NewTextHandler(logf, nil))
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	svc, err := opts.Practice(ctx)
	if err != nil {
		return err
	}
	log.Info("start", "db", opts.DBPath, "llm", cfg.LLMConfigured())
	err = ui.Run(ctx, ui.Deps{
		Bank:       svc.Bank,
		Store:      svc.Store,
		Practice:   svc,
		Now:        svc.Now,
		Log:        log,
		NoColor:    opts.IO.NoColor(),
		Theme:      cfg.Theme,
		Editor:     findEditor(opts.Getenv, exec.LookPath),
		ShowStats:  true,
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

func openLog(getenv func(string) string) (*os.File, error) {
	dir := filepath.Join(stateHome(getenv), "drill")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("log folder: %w", err)
	}
	return os.OpenFile(filepath.Join(dir, "drill.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
}
