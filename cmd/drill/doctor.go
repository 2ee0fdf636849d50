package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader/llm"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
)

type doctorOptions struct {
	IO           *iostreams.IOStreams
	ConfigPath   func() string
	Config       func() (*config.Config, error)
	DBPath       func() string
	ExerciseDirs func() []string

	Timeout time.Duration
	Offline bool
}

func newDoctorCmd(f *Factory) *cobra.Command {
	opts := doctorOptions{IO: f.IO, ConfigPath: func() string { return config.Path(f.Getenv) }, Config: f.Config, DBPath: f.DBPath, ExerciseDirs: f.ExerciseDirs}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Show what is configured, whether the LLM endpoint answers, and where drill keeps its files",
		Long: `doctor prints the configuration (the API key only as "set" or "not set"), checks the
LLM endpoint with GET /models, and shows where the database and exercise folders are.
It exits non-zero when something configured does not work.`,
		Example: `  drill doctor
  OPENAI_BASE_URL=http://localhost:11434/v1 DRILL_LLM_MODEL=llama3.1 drill doctor
  drill doctor --offline   # skip the endpoint check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Timeout <= 0 {
				return usageError{errors.New("--timeout must be positive")}
			}
			return runDoctor(cmd.Context(), &opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Timeout, "timeout", 5*time.Second, "how long to wait for the endpoint")
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "do not contact the endpoint")
	return cmd
}

// errDoctor reports that doctor found a problem; the details are already printed.
var errDoctor = errors.New("doctor found problems (see above)")

func runDoctor(ctx context.Context, opts *doctorOptions) error {
	out := opts.IO.Out
	problems := 0
	row := func(k, v string) { fmt.Fprintf(out, "%-16s %s\n", k+":", sanitize.Text(v)) }

	path := opts.ConfigPath()
	cfg, cfgErr := opts.Config()
	if cfgErr != nil {
		row("config file", path+" (invalid)")
		fmt.Fprintf(out, "  %s\n", strings.ReplaceAll(sanitize.Text(cfgErr.Error()), "\n", "\n  "))
		problems++
	} else {
		state := "not found, using defaults"
		if cfg.FileFound {
			state = "found"
		}
		row("config file", fmt.Sprintf("%s (%s)", path, state))
		row("API key", fmt.Sprintf("%s (%s)", config.KeyState(cfg.APIKey), cfg.Source["api_key"]))
		if cfg.LLMConfigured() {
			row("endpoint", fmt.Sprintf("%s (%s)", cfg.Endpoint(), cfg.Source["base_url"]))
		} else {
			// Without a key the default OpenAI URL is never called, so naming it
			// here would contradict the skipped check below.
			row("endpoint", "none: no API key and no base URL, so drill grades offline")
		}
		row("model", fmt.Sprintf("%s (%s)", cfg.Model, cfg.Source["model"]))
		row("LLM timeout", cfg.LLMTimeout.String())
		row("LLM grading", onOff(cfg.LLMGrading))
		if cfg.KeyFileExposed() {
			fmt.Fprintf(out, "  warning: %s holds an API key and other users can read it: chmod 600 it\n", sanitize.Text(cfg.Path))
		}
		problems += checkEndpoint(ctx, out, cfg, opts)
	}

	fmt.Fprintln(out)
	db := "not created yet"
	dbPath, dirs := opts.DBPath(), opts.ExerciseDirs()
	if st, err := os.Stat(dbPath); err == nil {
		db = fmt.Sprintf("%d KiB", (st.Size()+1023)/1024)
	}
	row("database", fmt.Sprintf("%s (%s)", dbPath, db))
	bank := exercises.Load(dirs...)
	embedded, user := 0, 0
	for _, ex := range bank.All() {
		if ex.User {
			user++
		} else {
			embedded++
		}
	}
	row("exercise bank", fmt.Sprintf("%d embedded, %d of your own", embedded, user))
	for _, dir := range dirs {
		state := "missing: create it to add your own exercises"
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			md, _ := filepath.Glob(filepath.Join(dir, "*", "*.md"))
			top, _ := filepath.Glob(filepath.Join(dir, "*.md"))
			state = fmt.Sprintf("%d Markdown files", len(md)+len(top))
		}
		row("exercise folder", fmt.Sprintf("%s (%s)", dir, state))
	}
	if n := len(bank.Problems); n > 0 {
		row("exercise files", fmt.Sprintf("%d problems: run 'drill exercises validate'", n))
		problems++
	}
	if problems > 0 {
		return errDoctor
	}
	return nil
}

// checkEndpoint lists the endpoint's models and returns the number of problems.
func checkEndpoint(ctx context.Context, out io.Writer, cfg *config.Config, opts *doctorOptions) int {
	client, err := llm.FromConfig(cfg)
	switch {
	case errors.Is(err, llm.ErrNotConfigured):
		fmt.Fprintf(out, "%-16s %s\n\n%s\n", "endpoint check:", "skipped: nothing to check", llm.EnableHint)
		return 0
	case err != nil:
		fmt.Fprintf(out, "%-16s %s\n", "endpoint check:", sanitize.Text(err.Error()))
		return 1
	case opts.Offline:
		fmt.Fprintf(out, "%-16s %s\n", "endpoint check:", "skipped (--offline)")
		return 0
	}
	models, err := client.Ping(ctx, opts.Timeout)
	if err != nil {
		fmt.Fprintf(out, "%-16s FAILED: %s\n", "endpoint check:", sanitize.Text(err.Error()))
		return 1
	}
	fmt.Fprintf(out, "%-16s answers, %d models\n", "endpoint check:", len(models))
	if len(models) > 0 && !slices.Contains(models, cfg.Model) {
		shown := models[:min(len(models), 8)]
		fmt.Fprintf(out, "  warning: the endpoint does not list model %q; it lists %s. Set DRILL_LLM_MODEL or llm_model.\n",
			sanitize.Text(cfg.Model), joinQuoted(shown))
		return 1
	}
	return 0
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
