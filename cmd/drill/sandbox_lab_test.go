//go:build sandbox

package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestSandboxLabScripts drives drill sandbox lab through the real binary. The
// lab runs go test -race on the learner's module in a subprocess, offline
// (GOPROXY=off) from the module cache drill was built with, so the scripts
// get the real Go caches; they run in make test's non-race pass, since the
// race detector on drill itself adds nothing to a subprocess but time.
func TestSandboxLabScripts(t *testing.T) {
	if raceEnabled {
		t.Skip("runs go test -race in a subprocess; make test runs it in the non-race pass")
	}
	if testing.Short() {
		t.Skip("compiles containerd under -race in a subprocess")
	}
	goEnv := map[string]string{}
	for _, k := range []string{"GOMODCACHE", "GOCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		goEnv[k] = strings.TrimSpace(string(out))
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/lab",
		Setup: func(e *testscript.Env) error {
			for k, v := range map[string]string{
				"HOME":            e.WorkDir,
				"XDG_DATA_HOME":   filepath.Join(e.WorkDir, ".local", "share"),
				"XDG_CONFIG_HOME": filepath.Join(e.WorkDir, ".config"),
				"XDG_STATE_HOME":  filepath.Join(e.WorkDir, ".local", "state"),
				"DRILL_DB":        "",
				"NO_COLOR":        "1",
				"GOMODCACHE":      goEnv["GOMODCACHE"],
				"GOCACHE":         goEnv["GOCACHE"],
				"GOPATH":          goEnv["GOPATH"],
				"GOPROXY":         "off",
				"GOFLAGS":         "-mod=mod",
				"GOTOOLCHAIN":     "local",
			} {
				e.Setenv(k, v)
			}
			return nil
		},
	})
}
