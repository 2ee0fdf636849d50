package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

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
	editor := env.Getenv("VISUAL")
	if editor == "" {
		editor = env.Getenv("EDITOR")
	}
	log.Info("start", "db", env.DBPath)
	err = ui.Run(ctx, ui.Deps{
		Bank:         env.Bank(),
		Store:        st,
		Now:          env.Now,
		Log:          log,
		NoColor:      env.Getenv("NO_COLOR") != "",
		Editor:       editor,
		AfterAttempt: afterAttempt(env),
		Started:      processStart,
	})
	if err != nil {
		log.Error("exit", "err", err)
	}
	return err
}

func openLog(env *Env) (*os.File, error) {
	dir := filepath.Join(stateHome(env.Getenv), "drill")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("log folder: %w", err)
	}
	return os.OpenFile(filepath.Join(dir, "drill.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
}
