package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/practice"
	"github.com/drill-coach/drill/schedule"
	"github.com/drill-coach/drill/store"
)

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
	IO    *iostreams.IOStreams
	Store func(context.Context) (*store.Store, error)
	Now   func() (func() time.Time, error)

	Format string
	Output string
}

func newExportCmd(f *Factory) *cobra.Command {
	opts := exportOptions{IO: f.IO, Store: f.Store, Now: f.Now, Format: "json"}
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
			return runExport(cmd.Context(), &opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "json", "json, csv or md")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file instead of standard output (- is standard output)")
	return cmd
}

func runExport(ctx context.Context, opts *exportOptions) error {
	now, err := opts.Now()
	if err != nil {
		return err
	}
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	as, err := st.Attempts(ctx, store.Filter{})
	if err != nil {
		return err
	}
	if as == nil {
		as = []store.Attempt{}
	}
	write := func(w io.Writer) error {
		switch opts.Format {
		case "csv":
			return writeReviewLog(w, as)
		case "md":
			return writeJournal(w, as)
		default:
			return writeJSON(w, exportFile{Kind: exportKind, Version: exportVersion, ExportedAt: now().UTC(), Attempts: as})
		}
	}
	if opts.Output == "" || opts.Output == "-" {
		w := opts.IO.Out
		if !opts.IO.IsStdoutTTY() {
			// A backup piped to a file keeps every byte of every answer; only what
			// is shown on a terminal is cleaned of escape sequences.
			w = sanitize.Raw(w)
		}
		return write(w)
	}
	return writeOutput(ctx, opts.Output, write)
}

// writeOutput writes a file so that a failed or killed export never harms what
// was there: a regular file (or a new one) is written beside the target, synced
// and renamed over it; a symlink is followed and its target replaced the same
// way, so the link stays; a device or FIFO is written into, never replaced.
func writeOutput(ctx context.Context, path string, write func(io.Writer) error) error {
	target, err := filepath.EvalSymlinks(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		target = path
		// A dangling symlink: create the file it names, as a shell's > does.
		if dest, lerr := os.Readlink(path); lerr == nil {
			if !filepath.IsAbs(dest) {
				dest = filepath.Join(filepath.Dir(path), dest)
			}
			target = dest
		}
	case err != nil:
		return fmt.Errorf("export: %w", err)
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return replaceFile(target, 0o600, write)
	case err != nil:
		return fmt.Errorf("export: %w", err)
	case fi.IsDir():
		return usageError{fmt.Errorf("export: -o %s is a directory; name a file inside it", path)}
	case fi.Mode().IsRegular():
		return replaceFile(target, fi.Mode().Perm(), write)
	default:
		return writeInto(ctx, target, fi.Mode(), write)
	}
}

// replaceFile writes a temporary file next to path and renames it over path
// only when every byte is written and synced.
func replaceFile(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	removeStaleTemps(dir)
	f, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	// The lock marks the file as in use until this process ends, however it
	// ends: the next export removes only temporary files nobody holds.
	_ = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	// Sync before the rename: otherwise a crash right after it can leave the new
	// name pointing at a file whose data never reached the disk.
	if err := f.Sync(); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	// The rename itself lives in the directory; sync it too (best effort: not
	// every file system can sync a directory).
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

const tempPattern = ".drill-export-*"

// removeStaleTemps deletes temporary files left by exports that were killed:
// those no running export holds locked.
func removeStaleTemps(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, tempPattern))
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
			os.Remove(name)
		}
		f.Close()
	}
}

// writeInto writes into a device or FIFO in place. A FIFO is opened without
// blocking, so a FIFO nobody reads is reported instead of hanging drill.
func writeInto(ctx context.Context, path string, mode fs.FileMode, write func(io.Writer) error) error {
	flag := os.O_WRONLY
	if mode&fs.ModeNamedPipe != 0 {
		flag |= syscall.O_NONBLOCK
	}
	f, err := os.OpenFile(path, flag, 0)
	if errors.Is(err, syscall.ENXIO) {
		return fmt.Errorf("export: nothing is reading the FIFO %s: start the reader first", path)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	// Closing the file ends a write blocked on a reader that stopped reading,
	// so ctrl+c still works.
	stop := context.AfterFunc(ctx, func() { f.Close() })
	defer stop()
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := f.Close(); err != nil && !errors.Is(err, fs.ErrClosed) {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	return ctx.Err()
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
	IO       *iostreams.IOStreams
	Practice func(context.Context) (*practice.Service, error)

	File string
}

func newImportCmd(f *Factory) *cobra.Command {
	opts := importOptions{IO: f.IO, Practice: f.Practice}
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
			return runImport(cmd.Context(), &opts)
		},
	}
	return cmd
}

// maxImportBytes caps an import file. Years of daily practice export to a
// few megabytes (answers are at most 64 KiB, usually one); the cap keeps a
// wrong file, such as /dev/zero, from filling memory.
const maxImportBytes = 128 << 20

func runImport(ctx context.Context, opts *importOptions) error {
	f, err := os.Open(opts.File)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("import %s: is a directory; give the file written by drill export", opts.File)
	}
	data, err := readAll(ctx, io.LimitReader(f, maxImportBytes+1))
	if errors.Is(err, errInterrupted) {
		return errors.New("import interrupted: nothing was imported")
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", opts.File, err)
	}
	if len(data) > maxImportBytes {
		return fmt.Errorf("import %s: larger than %d MiB, so not a drill export", opts.File, maxImportBytes>>20)
	}
	ef, err := parseExport(data)
	if err != nil {
		return fmt.Errorf("import %s: %w", opts.File, err)
	}
	return importAttempts(ctx, opts, ef)
}

// parseExport reads and checks a JSON export: kind, version and every
// attempt's fields, so a bad record is refused with its number before anything
// is written. Dates are checked by the store against its clock.
func parseExport(data []byte) (*exportFile, error) {
	var f exportFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("not a drill JSON export: %w", err)
	}
	if f.Kind != exportKind {
		return nil, fmt.Errorf("not a drill JSON export (kind %q; write one with drill export --format json)", f.Kind)
	}
	if f.Version < 1 {
		return nil, fmt.Errorf("the export has no version (or version %d); drill exports start at 1", f.Version)
	}
	if f.Version > exportVersion {
		return nil, fmt.Errorf("export version %d is newer than this drill understands (%d); update drill", f.Version, exportVersion)
	}
	for i, a := range f.Attempts {
		if len(a.Answer) > grader.MaxAnswerBytes || len(a.Polished) > grader.MaxAnswerBytes {
			return nil, fmt.Errorf("attempt %d (%s/%s): %w", i+1, a.Exercise, a.Task, grader.ErrTooLarge)
		}
	}
	return &f, nil
}

func importAttempts(ctx context.Context, opts *importOptions, f *exportFile) error {
	svc, err := opts.Practice(ctx)
	if err != nil {
		return err
	}
	added, err := svc.Import(ctx, f.Attempts)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(opts.IO.Out, "imported %d of %d attempts (%d already present)\n", added, len(f.Attempts), len(f.Attempts)-added)
	return err
}
