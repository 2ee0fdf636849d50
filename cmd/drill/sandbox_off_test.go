//go:build !sandbox

package main

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sandboxInProcess is false: drill sandbox runs drill-sandbox; see
// sandbox_on_test.go.
const sandboxInProcess = false

// drill itself links neither containerd nor Prometheus: their package
// initialisation would run at every command's start-up. drill-sandbox does.
func TestDrillLinksNoSandbox(t *testing.T) {
	for _, c := range []struct {
		tags string
		want bool
	}{{"", false}, {"sandbox", true}} {
		out, err := exec.Command("go", "list", "-tags", c.tags, "-deps", ".").CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		for _, dep := range []string{"github.com/containerd/containerd/v2/core/content", "github.com/prometheus/client_golang/prometheus", "github.com/containerd/log"} {
			if got := strings.Contains(string(out), dep+"\n"); got != c.want {
				t.Errorf("tags %q: links %s = %v, want %v", c.tags, dep, got, c.want)
			}
		}
	}
}

// What every command pays at start-up is the initialisation of every linked
// package. These were linked once and cost --help milliseconds; drill does
// their work itself now (gob: exercises/codec.go; Markdown: internal/markdown;
// man pages: man.go; misspell's dictionary: grader/llm/misspell_gen.go), and
// must not link them again by accident.
func TestDrillLinksNoStartupWeight(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range []string{"encoding/gob", "github.com/yuin/goldmark", "github.com/russross/blackfriday/v2", "github.com/spf13/cobra/doc", "github.com/alecthomas/chroma/v2", "github.com/golangci/misspell"} {
		if strings.Contains(string(out), dep+"\n") {
			t.Errorf("drill links %s", dep)
		}
	}
}

// drill sandbox passes its arguments and the global flags to drill-sandbox
// and exits with its status.
func TestSandboxLauncher(t *testing.T) {
	bin, err := sandboxProgramForTests()
	if err != nil {
		t.Fatal(err)
	}
	f, out := testFactory(t, map[string]string{"DRILL_SANDBOX": bin})
	root := newRootCmd(f)
	root.SetArgs([]string{"sandbox", "repro", "--fix", "mutex"})
	err = root.ExecuteContext(context.Background())
	var ec exitCodeError
	if !errors.As(err, &ec) || ec.code != exitUsage {
		t.Fatalf("drill sandbox repro --fix mutex: %v (%s), want exit status %d", err, out, exitUsage)
	}
	f, _ = testFactory(t, map[string]string{"DRILL_SANDBOX": filepath.Join(t.TempDir(), "missing")})
	root = newRootCmd(f)
	root.SetArgs([]string{"sandbox", "repro"})
	if err := root.ExecuteContext(context.Background()); err == nil {
		t.Fatal("a missing drill-sandbox was not reported")
	}
	if _, err := findSandboxProgram(func(string) string { return "" }); err != nil && !strings.Contains(err.Error(), "make build") {
		t.Fatalf("the message does not say how to get drill-sandbox: %v", err)
	}
}

// Commands run on one processor unless GOMAXPROCS says otherwise.
func TestCommandsRunOnOneProcessor(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	t.Setenv("GOMAXPROCS", "")
	runtime.GOMAXPROCS(2)
	configureProcess()
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Fatalf("GOMAXPROCS = %d after configureProcess, want 1", n)
	}
	t.Setenv("GOMAXPROCS", "2")
	runtime.GOMAXPROCS(2)
	configureProcess()
	if n := runtime.GOMAXPROCS(0); n != 2 {
		t.Fatalf("GOMAXPROCS = %d, want the environment's 2 left alone", n)
	}
}
