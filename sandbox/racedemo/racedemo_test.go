package racedemo

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/drill-coach/drill/sandbox"
)

// childEnv marks the subprocess: only there does the racy workload run, and
// only the parent spawns, so the test never recurses.
const childEnv = "DRILL_RACEDEMO_CHILD"

// TestRaceDetectorFlagsSharedWriter runs TestSharedWriterWorkload under
// `go test -race` in a subprocess and expects the race detector's report.
// The subprocess is how the parent stays green while the child fails by
// design.
func TestRaceDetectorFlagsSharedWriter(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skip("builds the sandbox with -race in a subprocess")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool: %v", err)
	}
	cmd := exec.Command(goBin, "test", "-race", "-count=1", "-run", "^TestSharedWriterWorkload$", ".")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if !strings.Contains(out.String(), "WARNING: DATA RACE") {
		t.Fatalf("race detector did not report the shared writer (err %v):\n%s", err, out.String())
	}
	// The report points into containerd's local writer.
	if !strings.Contains(out.String(), "plugins/content/local") {
		t.Errorf("race report does not mention containerd's local writer:\n%s", out.String())
	}
	if err == nil {
		t.Error("child passed under -race; it must fail with the race report")
	}
}

// TestSharedWriterWorkload is the child's workload: importers arriving
// together on one ref, sharing one writer.
func TestSharedWriterWorkload(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestRaceDetectorFlagsSharedWriter under -race")
	}
	o := sandbox.DefaultReproOptions()
	o.Importers = 4
	o.Jitter = 0
	o.Trials = 5
	o.BlobSize = 256 << 10
	o.Dir = t.TempDir()
	if _, err := sandbox.Repro(context.Background(), o); err != nil {
		t.Fatal(err)
	}
}
