package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the real drill binary inside scripts, so
// every script drives the same code path a learner's shell does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"drill": func() { os.Exit(Main(os.Args[1:])) },
	})
}

// TestScripts runs every testdata/script/*.txtar against the drill binary, with
// the XDG folders inside the script's work directory.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			for _, kv := range []struct{ k, v string }{
				{"HOME", e.WorkDir},
				{"XDG_DATA_HOME", filepath.Join(e.WorkDir, ".local", "share")},
				{"XDG_CONFIG_HOME", filepath.Join(e.WorkDir, ".config")},
				{"XDG_STATE_HOME", filepath.Join(e.WorkDir, ".local", "state")},
				{"XDG_CACHE_HOME", filepath.Join(e.WorkDir, ".cache")},
				{"DRILL_DB", ""},
				{"OPENAI_API_KEY", ""},
				{"OPENAI_BASE_URL", ""},
				{"NO_COLOR", "1"},
			} {
				e.Setenv(kv.k, kv.v)
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "race" {
				return raceEnabled, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// bigfile FILE N writes N bytes of plain English words.
			"bigfile": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: bigfile FILE N")
				}
				n, err := strconv.Atoi(args[1])
				ts.Check(err)
				data := bytes.Repeat([]byte("the writer was shared. "), n/23+1)[:n]
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o644))
			},
			// badutf8 FILE writes a file that is not valid UTF-8.
			"badutf8": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte("GC ran \xff\xfe before commit."), 0o644))
			},
		},
	})
}
