package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkProcess measures drill as a learner runs it from a shell: each op is
// a fresh process, start-up and package initialisation included, with its own
// database and folders. peak-KiB is drill's peak resident memory as GNU time
// reports it (%M), the largest of three runs after the timed ones; it is left
// out where /usr/bin/time is missing. It cannot come
// from this process's wait4: a child started by a Go program inherits the
// parent's high-water mark through the shared address space before exec. The
// learner's folder is empty except for answer-500,
// which has 500 exercises of their own, already cached by an earlier run.
func BenchmarkProcess(b *testing.B) {
	// make bench measures the program make build writes (DRILL_BIN), linked
	// as it ships; without it, an ordinary build of this package.
	bin := os.Getenv("DRILL_BIN")
	if bin == "" {
		bin = drillBinary(b)
		b.Log("DRILL_BIN is not set: measuring an ordinary build, not make build's static one")
	}
	timeTool := ""
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		timeTool = "/usr/bin/time"
	} else {
		b.Log("no /usr/bin/time (Debian package time): peak memory is not reported")
	}
	dir := b.TempDir()
	env := append(os.Environ(),
		"HOME="+dir,
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"DRILL_NOW=2026-11-25T08:45:00+08:00",
		"DRILL_DB=", "OPENAI_API_KEY=", "OPENAI_BASE_URL=", "NO_COLOR=1")
	ans := filepath.Join(dir, "answer.txt")
	if err := os.WriteFile(ans, []byte(`We are seeing intermittent "failed to commit writer" errors on blob import.
My suspicion is that concurrent imports share one writer and close it too early, or that GC removes content while an ingest is in flight.
Next, I will trace each writer's lifetime from open to commit.`), 0o644); err != nil {
		b.Fatal(err)
	}
	own := filepath.Join(dir, "own")
	writeSynthetic(b, own, 500)
	db := filepath.Join(dir, "drill.db")
	answer := []string{"answer", "containerd-commit-writer", "--task", "opening", "--file", ans, "--json", "--db", db}
	cases := []struct {
		name string
		args []string
	}{
		{"help", []string{"--help"}},
		{"list", []string{"list", "--db", db}},
		{"show-plain", []string{"show", "containerd-commit-writer", "--plain", "--db", db}},
		{"answer", answer},
		{"daily-plain", []string{"daily", "--plain", "--db", db}},
		{"answer-500", []string{"--exercises", own, "answer", "synthetic-250", "--task", "opening", "--file", ans, "--json", "--db", db}},
	}
	for _, c := range cases {
		// run runs the command once; measured, it also reads the peak
		// resident memory GNU time saw. The timed loop runs drill bare:
		// GNU time's own start-up is not drill's.
		run := func(measured bool) int64 {
			args, rss := c.args, ""
			name := bin
			if measured && timeTool != "" {
				rss = filepath.Join(dir, "rss")
				args = append([]string{"-f", "%M", "-o", rss, bin}, c.args...)
				name = timeTool
			}
			cmd := exec.Command(name, args...)
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("drill %s: %v\n%s", strings.Join(c.args, " "), err, out)
			}
			if rss == "" {
				return 0
			}
			data, err := os.ReadFile(rss)
			if err != nil {
				b.Fatal(err)
			}
			kib, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
			if err != nil {
				b.Fatalf("GNU time wrote %q", data)
			}
			return kib
		}
		run(false) // creates the database and fills the cache, as an earlier day would
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				run(false)
			}
			b.StopTimer()
			var peak int64
			for range 3 {
				peak = max(peak, run(true))
			}
			if peak > 0 {
				b.ReportMetric(float64(peak), "peak-KiB")
			}
		})
	}
}

// writeSynthetic writes n exercises of the learner's own into dir: copies of a
// bank exercise under new ids, so each is as large as a real one.
func writeSynthetic(tb testing.TB, dir string, n int) {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "exercises", "debug", "containerd-commit-writer.md"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		id := fmt.Sprintf("synthetic-%03d", i)
		data := strings.Replace(string(src), "id: containerd-commit-writer", "id: "+id, 1)
		if err := os.WriteFile(filepath.Join(dir, id+".md"), []byte(data), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
