package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/adrg/xdg"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/store"
)

// Factory builds what commands need, each piece at most once and only when a
// command first asks for it, so `drill --help` opens no database and parses no
// exercise. The order of dependence is:
//
//  1. IO and Getenv: given when the process starts.
//  2. The global flags (--db, --exercises): set by cobra before any command runs.
//  3. Clock: DRILL_NOW or the real clock.
//  4. Config: the config file and the environment, read once.
//  5. Bank: the embedded exercises overlaid with the learner's folders.
//  6. Store: the database, opened once and closed by Close when drill ends.
//
// Commands take from it only what they use, into their own Options.
type Factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string

	// The global flags.
	dbFlag       string
	exerciseDirs []string
	exercisesSet bool

	clock  func() (func() time.Time, error)
	config func() (*config.Config, error)
	bank   func() *exercises.Bank

	storeMu sync.Mutex
	store   *store.Store
}

// NewFactory returns a factory over io and getenv. Nothing is read yet.
func NewFactory(io *iostreams.IOStreams, getenv func(string) string) *Factory {
	f := &Factory{IO: io, Getenv: getenv}
	f.clock = sync.OnceValues(func() (func() time.Time, error) {
		now, err := clock(f.Getenv("DRILL_NOW"))
		if err != nil {
			return nil, usageError{err}
		}
		return now, nil
	})
	f.config = sync.OnceValues(func() (*config.Config, error) {
		cfg, err := config.Load(f.Getenv)
		if err == nil {
			f.IO.SetTheme(terminalTheme(cfg.Theme, f.Getenv))
		}
		return cfg, err
	})
	f.bank = sync.OnceValue(func() *exercises.Bank {
		b := exercises.LoadWith(exercises.LoadOptions{
			Dirs:     f.ExerciseDirs(),
			CacheDir: filepath.Join(cacheHome(f.Getenv), "drill"),
		})
		// One bad file never hides the others: it is named and skipped.
		for _, p := range b.Problems {
			fmt.Fprintf(f.IO.ErrOut, "warning: %s\n", p)
		}
		return b
	})
	return f
}

// Now is the clock every command reads: the real one, or DRILL_NOW frozen at
// its instant, so tests and demos see fixed dates however slow the machine.
func (f *Factory) Now() (func() time.Time, error) { return f.clock() }

// Config is the configuration, read once.
func (f *Factory) Config() (*config.Config, error) { return f.config() }

// Bank loads the embedded exercises overlaid with the learner's folders and warns
// about broken files on stderr. The learner's files are cached, parsed, under
// $XDG_CACHE_HOME/drill, so a command reads only the files that changed.
func (f *Factory) Bank() *exercises.Bank { return f.bank() }

// DBPath is --db, else $DRILL_DB, else $XDG_DATA_HOME/drill/drill.db.
func (f *Factory) DBPath() string {
	switch {
	case f.dbFlag != "":
		return f.dbFlag
	case f.Getenv("DRILL_DB") != "":
		return f.Getenv("DRILL_DB")
	default:
		return filepath.Join(dataHome(f.Getenv), "drill", "drill.db")
	}
}

// ExerciseDirs are the learner's exercise folders: --exercises, else
// $XDG_CONFIG_HOME/drill/exercises.
func (f *Factory) ExerciseDirs() []string {
	if f.exercisesSet {
		return f.exerciseDirs
	}
	return []string{filepath.Join(configHome(f.Getenv), "drill", "exercises")}
}

// Store opens the database on first use; Close closes it.
func (f *Factory) Store(ctx context.Context) (*store.Store, error) {
	f.storeMu.Lock()
	defer f.storeMu.Unlock()
	if f.store != nil {
		return f.store, nil
	}
	now, err := f.Now()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, f.DBPath())
	if err != nil {
		return nil, err
	}
	st.Now = now
	f.store = st
	return st, nil
}

// Practice is the practice service over the bank, the store, the clock and
// the configured retention.
func (f *Factory) Practice(ctx context.Context) (*practice.Service, error) {
	now, err := f.Now()
	if err != nil {
		return nil, err
	}
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	st, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	return &practice.Service{Bank: f.Bank(), Store: st, Now: now, Retention: cfg.DesiredRetention}, nil
}

// Close closes what the factory opened.
func (f *Factory) Close() error {
	f.storeMu.Lock()
	defer f.storeMu.Unlock()
	if f.store == nil {
		return nil
	}
	err := f.store.Close()
	f.store = nil
	return err
}

// clock returns time.Now, or a frozen clock when DRILL_NOW is set (RFC 3339):
// every reading is that instant. Durations the learner sees (a timed task's
// countdown, the autosave interval) run on the monotonic clock, not on this
// one, so they still pass.
func clock(v string) (func() time.Time, error) {
	if v == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, fmt.Errorf("DRILL_NOW=%q is not an RFC 3339 time such as 2026-11-25T08:45:00+08:00", v)
	}
	return func() time.Time { return t }, nil
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
