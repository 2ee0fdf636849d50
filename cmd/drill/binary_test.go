package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// goBuild builds this package, with args, into a new temporary folder as name.
func goBuild(name string, args ...string) (string, error) {
	dir, err := os.MkdirTemp("", name+"-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, name)
	cmd := append(append([]string{"build"}, args...), "-o", bin, ".")
	if out, err := exec.Command("go", cmd...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(cmd, " "), err, out)
	}
	return bin, nil
}

// drillBuild is the real drill binary, built once per test run for the tests
// and benchmarks that run it as a learner would.
var drillBuild = sync.OnceValues(func() (string, error) { return goBuild("drill") })

// drillBinary returns drillBuild's binary, failing t when it cannot be built.
func drillBinary(t testing.TB) string {
	t.Helper()
	bin, err := drillBuild()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// sandboxProgramForTests builds drill-sandbox (drill with the sandbox built in,
// as make build does) once per test run. It is built without the race
// detector: the sandbox's buggy TransferService races on purpose.
var sandboxProgramForTests = sync.OnceValues(func() (string, error) {
	return goBuild("drill-sandbox", "-tags", "sandbox")
})
