package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// drillBinary builds the real drill binary once per test run, for the tests
// and benchmarks that run it as a learner would.
func drillBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "drill-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "drill")
		out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

var (
	sandboxOnce sync.Once
	sandboxBin  string
	sandboxErr  error
)

// sandboxProgramForTests builds drill-sandbox (drill with the sandbox built in,
// as make build does) once per test run. It is built without the race
// detector: the sandbox's buggy TransferService races on purpose.
func sandboxProgramForTests() (string, error) {
	sandboxOnce.Do(func() {
		dir, err := os.MkdirTemp("", "drill-sandbox-")
		if err != nil {
			sandboxErr = err
			return
		}
		sandboxBin = filepath.Join(dir, "drill-sandbox")
		out, err := exec.Command("go", "build", "-tags", "sandbox", "-o", sandboxBin, ".").CombinedOutput()
		if err != nil {
			sandboxErr = fmt.Errorf("go build -tags sandbox: %v\n%s", err, out)
		}
	})
	return sandboxBin, sandboxErr
}
