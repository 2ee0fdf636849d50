package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

func init() { extraCommands = append(extraCommands, newExportCmd, newImportCmd) }

// exportKind and exportVersion mark drill's JSON export, so import can refuse
// other JSON files with a clear message instead of importing nothing.
const (
	exportKind    = "drill-export"
	exportVersion = 1
)

// exportFile is the JSON export: every attempt, answers and evidence included.
type exportFile struct {
	Kind       string          `json:"kind"`
	Version    int             `json:"version"`
	ExportedAt time.Time       `json:"exported_at"`
	Attempts   []store.Attempt `json:"attempts"`
}

type exportOptions struct {
	Format string
	Output string
}

func newExportCmd(env *Env) *cobra.Command {
	opts := exportOptions{Format: "json"}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write your whole history as JSON, as an FSRS review log (CSV) or as Markdown",
		Long: `export writes every graded answer.

  json  everything, for backups and for drill import
  csv   the FSRS optimizer's review log: card_id (a stable integer per exercise
        and task), review_time (ms since the epoch), review_rating (1 again ..
        4 easy, from the score), review_state (0 new, 1 learning, 2 review,
        3 relearning, before the review), review_duration (ms)
  md    a readable journal, day by day`,
		Example: `  drill export > backup.json
  drill export --format csv -o revlog.csv
  drill export --format md -o journal.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch opts.Format {
			case "json", "csv", "md":
			default:
				return usageError{fmt.Errorf("--format %q is not one of json, csv, md", opts.Format)}
			}
			return runExport(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "json", "json, csv or md")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file instead of standard output")
	return cmd
}

func runExport(ctx context.Context, env *Env, opts exportOptions) (err error) {
	st, err := env.Store(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	as, err := st.Attempts(ctx, store.Filter{})
	if err != nil {
		return err
	}
	if as == nil {
		as = []store.Attempt{}
	}
	w := env.IO.Out
	if opts.Output != "" {
		// Write next to the target and rename, so a failed export never leaves
		// a half-written backup in place of a good one.
		f, err := os.CreateTemp(filepath.Dir(opts.Output), ".drill-export-*")
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("export: %w", cerr)
			}
			if err == nil {
				err = os.Rename(f.Name(), opts.Output)
			}
			if err != nil {
				os.Remove(f.Name())
			}
		}()
		w = f
	}
	switch opts.Format {
	case "csv":
		return writeReviewLog(w, as)
	case "md":
		return writeJournal(w, as)
	default:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(exportFile{Kind: exportKind, Version: exportVersion, ExportedAt: env.Now().UTC(), Attempts: as})
	}
}

// writeReviewLog writes the FSRS optimizer's review-log columns.
func writeReviewLog(w io.Writer, as []store.Attempt) error {
	log, _ := schedule.Replay(as, schedule.DefaultRetention)
	cw := csv.NewWriter(w)
	cw.Write([]string{"card_id", "review_time", "review_rating", "review_state", "review_duration"})
	for _, e := range log {
		cw.Write([]string{strconv.FormatInt(e.CardID, 10), strconv.FormatInt(e.Time.UnixMilli(), 10),
			strconv.Itoa(int(e.Rating)), strconv.Itoa(int(e.State)), strconv.FormatInt(e.DurationMS, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// writeJournal writes a Markdown journal, day by day. Answers are fenced with a
// fence longer than any backtick run inside them, so no answer can break out.
func writeJournal(w io.Writer, as []store.Attempt) error {
	var b strings.Builder
	b.WriteString("# drill journal\n")
	day := ""
	for _, a := range as {
		if a.Day != day {
			day = a.Day
			fmt.Fprintf(&b, "\n## %s\n", sanitize.Text(day))
		}
		fmt.Fprintf(&b, "\n### %s · %s / %s — %d/100\n\n", sanitize.Text(a.Module), sanitize.Text(a.Exercise),
			sanitize.Text(a.Task), a.Score)
		fmt.Fprintf(&b, "%s", a.CreatedAt.Local().Format("15:04"))
		if a.ElapsedMS > 0 {
			fmt.Fprintf(&b, " · %ds", a.ElapsedMS/1000)
		}
		if len(a.Flags) > 0 {
			fmt.Fprintf(&b, " · flags: %s", sanitize.Text(strings.Join(a.Flags, ", ")))
		}
		b.WriteString("\n\n")
		answer := sanitize.Text(a.Answer)
		fence := strings.Repeat("`", max(3, longestRun(answer, '`')+1))
		fmt.Fprintf(&b, "%s\n%s\n%s\n", fence, strings.TrimRight(answer, "\n"), fence)
		var hit, missed []string
		for _, p := range a.Points {
			if p.Hit {
				hit = append(hit, sanitize.Text(p.ID))
			} else {
				missed = append(missed, sanitize.Text(p.ID))
			}
		}
		if len(hit) > 0 {
			fmt.Fprintf(&b, "\n- hit: %s\n", strings.Join(hit, ", "))
		}
		if len(missed) > 0 {
			if len(hit) == 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "- missed: %s\n", strings.Join(missed, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

type importOptions struct {
	File string
}

func newImportCmd(env *Env) *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Add the answers of a JSON export to this database",
		Long: `import adds the attempts of a file written by 'drill export' (JSON). An
attempt already in the database (same exercise, task and time) is skipped, so
importing the same file twice changes nothing. The review schedule is then
recomputed from the whole history.`,
		Example: `  drill import backup.json
  drill import backup.json --db ~/new-laptop/drill.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runImport(cmd.Context(), env, opts)
		},
	}
	return cmd
}

func runImport(ctx context.Context, env *Env, opts importOptions) error {
	data, err := os.ReadFile(opts.File)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	var f exportFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("import %s: not a drill JSON export: %w", opts.File, err)
	}
	if f.Kind != exportKind {
		return fmt.Errorf("import %s: not a drill JSON export (kind %q; write one with drill export --format json)", opts.File, f.Kind)
	}
	if f.Version > exportVersion {
		return fmt.Errorf("import %s: export version %d is newer than this drill understands (%d); update drill", opts.File, f.Version, exportVersion)
	}
	st, err := env.Store(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	added, err := st.ImportAttempts(ctx, f.Attempts)
	if err != nil {
		return err
	}
	if added > 0 {
		if err := schedule.Rebuild(ctx, st, schedule.DefaultRetention); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(env.IO.Out, "imported %d of %d attempts (%d already present)\n", added, len(f.Attempts), len(f.Attempts)-added)
	return err
}
