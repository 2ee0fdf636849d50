package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkAnswerProcess measures `drill answer` as a learner runs it: a fresh
// process that loads the bank, grades, opens SQLite and records the attempt.
func BenchmarkAnswerProcess(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "drill")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	ans := filepath.Join(dir, "answer.txt")
	if err := os.WriteFile(ans, []byte(`We are seeing intermittent "failed to commit writer" errors on blob import.
My suspicion is that concurrent imports share one writer and close it too early, or that GC removes content while an ingest is in flight.
Next, I will trace each writer's lifetime from open to commit.`), 0o644); err != nil {
		b.Fatal(err)
	}
	db := filepath.Join(dir, "drill.db")
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, "answer", "containerd-commit-writer", "--task", "opening", "--file", ans, "--json", "--db", db)
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "OPENAI_API_KEY=", "OPENAI_BASE_URL=")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
	}
}
