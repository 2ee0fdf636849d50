package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/drill-coach/drill/content"
)

// WriteJSON prints the stable machine-readable summary: trials, failed,
// failure_rate with its 95% Wilson interval (wilson_low, wilson_high),
// first_failure_ms, errors {normalised message: count}, classes
// {class: count}, jitter_ms, the metrics and, when the jitter was
// calibrated, how.
func (r *ReproResult) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

var classTitles = map[string]string{
	"commit":   "shared writer: commit refused",
	"write":    "shared writer: write into a closed or torn writer",
	"panic":    "shared writer: importer panicked inside containerd's writer",
	"hung":     "shared writer: importer hung waiting for the daemon's reply",
	"gc":       "GC window: blob collected between commit and use",
	"mismatch": "different content under one ref",
	"other":    "other",
}

var classOrder = []string{"commit", "write", "panic", "hung", "gc", "mismatch", "other"}

// WriteText prints the report for a person.
func (r *ReproResult) WriteText(w io.Writer) error {
	p := &errWriter{w: w}
	o := r.Options
	arrive := fmt.Sprintf("arriving up to %s apart", o.Jitter.Round(10*time.Microsecond))
	if r.Calibration != nil {
		arrive = fmt.Sprintf("arriving up to %s apart on average", o.Jitter.Round(10*time.Microsecond))
	}
	if o.Jitter == 0 {
		arrive = "arriving together"
	}
	p.printf("drill sandbox repro: %d trials of %d importers of %s (%s blobs, %s); GC %s; each blob used %s after commit; fix: %s\n",
		r.Trials, o.Importers, o.Ref, sizeString(o.BlobSize), arrive, gcString(o.GCInterval), o.UseDelay, o.Fixes)
	if d := r.Daemon; d != nil {
		p.printf("content store, leases and GC of containerd %s at %s (namespace %s)\n", d.Version, d.Address, d.Namespace)
	}
	if c := r.Calibration; c != nil {
		p.printf("arrival spread calibrated over %d earlier trials (%d failed) towards a %.0f%% failure rate: %.2f× the recent import time, nudged as trials ran\n",
			c.Trials, c.Failed, 100*c.TargetRate, c.Multiple)
	}
	p.printf("\n")
	p.printf("failed trials   %d of %d = %.1f%%  (95%% Wilson interval %.1f%%-%.1f%%)\n",
		r.Failed, r.Trials, 100*r.FailureRate, 100*r.Low, 100*r.High)
	if r.FirstFailureMS != nil {
		p.printf("first failure   after %.1f ms\n", *r.FirstFailureMS)
	} else {
		p.printf("first failure   none\n")
	}
	p.printf("run time        %s\n", r.Elapsed.Round(time.Millisecond))

	if len(r.Errors) > 0 {
		p.printf("\nerror classes (failed imports; containerd's messages, digests and paths shortened)\n")
		byClass := map[string][]string{}
		for _, msg := range sortedErrors(r.Errors) {
			c := classOfMessage(msg)
			byClass[c] = append(byClass[c], msg)
		}
		for _, c := range classOrder {
			if r.Classes[c] == 0 {
				continue
			}
			p.printf("  %-4d %s\n", r.Classes[c], classTitles[c])
			msgs := byClass[c]
			for i, m := range msgs {
				if i == 4 {
					rest := 0
					for _, m := range msgs[4:] {
						rest += r.Errors[m]
					}
					p.printf("         ... %d more in %d other messages\n", rest, len(msgs)-4)
					break
				}
				p.printf("       %4d  %s\n", r.Errors[m], m)
			}
		}
	}

	m := r.Metrics
	p.printf("\nmetrics\n")
	p.printf("  blob_writer_opened_total      %.0f\n", m.WritersOpened)
	p.printf("  blob_writer_reused_total      %.0f\n", m.WriterReused)
	p.printf("  writer_commit_total           %.0f\n", m.Commits)
	p.printf("  writer_commit_failure_total   %.0f\n", m.CommitFailures)
	p.printf("  active_writer_count           %.0f\n", m.ActiveWriters)
	p.printf("  blob_writer_lifetime_seconds  mean %.2f ms over %d writers\n", 1000*m.LifetimeMeanSec, m.LifetimeCount)
	p.printf("  gc_runs_total                 %.0f (mean %.2f ms)\n", m.GCRuns, 1000*m.GCMeanSec)
	if r.Daemon != nil {
		p.printf("  gc_blobs_removed_total        (the daemon's API does not report it)\n")
	} else {
		p.printf("  gc_blobs_removed_total        %.0f\n", m.GCBlobsRemoved)
	}
	p.printf("  importer_panic_total          %.0f\n", m.ImporterPanics)

	if r.FailingTrial >= 0 {
		p.printf("\ntrace of failing trial %d  (◆ writer shared by importers at once, ✖ GC removed this trial's blob)\n", r.FailingTrial)
		writeTimeline(p, r.FailingTrace)
	}
	return p.err
}

// classOfMessage recovers the class from a normalised message; the text is
// ours (the wrapping prefix), not containerd's, so this is stable.
func classOfMessage(msg string) string {
	switch {
	case strings.HasPrefix(msg, "importer panicked"):
		return "panic"
	case strings.HasPrefix(msg, "importer hung"):
		return "hung"
	case strings.HasPrefix(msg, "failed to commit writer"):
		return "commit"
	case strings.HasPrefix(msg, "failed to write blob"):
		return "write"
	case strings.Contains(msg, "gone before use"):
		return "gc"
	case strings.Contains(msg, ErrContentMismatch.Error()):
		return "mismatch"
	}
	return "other"
}

// writeTimeline prints events relative to the first, folding runs of writes
// by one importer into one line, and marks writer overlaps and GC removals.
func writeTimeline(p *errWriter, events []content.Event) {
	if len(events) == 0 {
		p.printf("  (no events kept)\n")
		return
	}
	t0 := events[0].Time
	// users[writer] = importers currently holding that writer.
	users := map[uint64]map[string]bool{}
	for i := 0; i < len(events); i++ {
		e := events[i]
		mark := " "
		detail := ""
		switch e.Kind {
		case content.WriterOpen, content.WriterReuse:
			if e.Writer != 0 {
				if users[e.Writer] == nil {
					users[e.Writer] = map[string]bool{}
				}
				users[e.Writer][e.Importer] = true
			}
		case content.WriterWrite:
			n, bytes := 1, e.Bytes
			for i+1 < len(events) && events[i+1].Kind == content.WriterWrite &&
				events[i+1].Importer == e.Importer && events[i+1].Writer == e.Writer && events[i+1].Err == "" && e.Err == "" {
				i++
				n++
				bytes += events[i].Bytes
			}
			detail = fmt.Sprintf("×%d, %s", n, sizeString(int(bytes)))
		case content.GCRemove:
			mark = "✖"
		}
		if e.Writer != 0 && len(users[e.Writer]) > 1 {
			mark = "◆"
			others := make([]string, 0, len(users[e.Writer]))
			for u := range users[e.Writer] {
				if u != e.Importer {
					others = append(others, u)
				}
			}
			sort.Strings(others)
			detail = strings.TrimSpace(detail + "  shared with " + strings.Join(others, ", "))
		}
		if e.Kind == content.WriterCommit || e.Kind == content.WriterClose || e.Kind == content.WriterAbort {
			delete(users[e.Writer], e.Importer)
		}
		who := e.Importer
		if who == "" && (e.Kind == content.GCRemove || strings.HasPrefix(string(e.Kind), "gc.")) {
			who = "gc"
		}
		line := fmt.Sprintf("  %s %8.3f ms  %-11s %-15s", mark, float64(e.Time.Sub(t0).Microseconds())/1000, who, e.Kind)
		if e.Writer != 0 {
			line += fmt.Sprintf(" writer#%d", e.Writer)
		}
		if e.Digest != "" {
			line += " " + shortDigest(e.Digest)
		}
		if e.Lease != "" && e.Kind != content.LeaseResource {
			line += " lease " + e.Lease
		}
		if detail != "" {
			line += " " + detail
		}
		if e.Err != "" {
			line += "  error: " + e.Err
		}
		p.printf("%s\n", strings.TrimRight(line, " "))
	}
}

func shortDigest(d string) string {
	if i := strings.IndexByte(d, ':'); i >= 0 && len(d) > i+13 {
		return d[:i+13] + "…"
	}
	return d
}

func sizeString(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%d B", n)
}

func gcString(d time.Duration) string {
	if d < 0 {
		return "off"
	}
	if d == 0 {
		return "back to back"
	}
	return "every " + d.String()
}

// errWriter keeps the first write error so printing code stays readable.
type errWriter struct {
	w   io.Writer
	err error
}

func (p *errWriter) printf(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}
