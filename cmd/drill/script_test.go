package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"

	"github.com/drill-coach/drill/store"
)

// TestMain lets the test binary act as the real drill binary inside scripts, so
// every script drives the same code path a learner's shell does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"drill": main,
	})
}

// TestScripts runs every testdata/script/*.txtar against the drill binary, with
// the XDG folders inside the script's work directory.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams("testdata/script"))
}

// TestBadInput is the table of bad input, hostile files and clumsy use: one
// script per case in testdata/badinput, each with the message it must give and
// what must survive.
func TestBadInput(t *testing.T) {
	testscript.Run(t, scriptParams("testdata/badinput"))
}

func scriptParams(dir string) testscript.Params {
	return testscript.Params{
		Dir: dir,
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
			// drill sandbox runs the program drill-sandbox, unless this test
			// binary has the sandbox built in.
			if !sandboxInProcess {
				p, err := sandboxProgramForTests()
				if err != nil {
					return err
				}
				e.Setenv("DRILL_SANDBOX", p)
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
			// filetype PATH symlink|fifo|chardev|regular checks what PATH is,
			// without following a symlink.
			"filetype": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: filetype PATH symlink|fifo|chardev|regular")
				}
				fi, err := os.Lstat(ts.MkAbs(args[0]))
				ts.Check(err)
				m := fi.Mode()
				got := map[string]bool{"symlink": m&fs.ModeSymlink != 0, "fifo": m&fs.ModeNamedPipe != 0,
					"chardev": m&fs.ModeCharDevice != 0, "regular": m.IsRegular()}[args[1]]
				if got == neg {
					ts.Fatalf("%s is %v, want (neg=%v) %s", args[0], m.Type(), neg, args[1])
				}
			},
			// mkfifo PATH makes a named pipe.
			"mkfifo": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Check(unix.Mkfifo(ts.MkAbs(args[0]), 0o644))
			},
			// bigimport FILE N writes a drill export with one attempt whose answer
			// is N bytes.
			"bigimport": func(ts *testscript.TestScript, neg bool, args []string) {
				n, err := strconv.Atoi(args[1])
				ts.Check(err)
				data, err := json.Marshal(exportFile{Kind: exportKind, Version: exportVersion, Attempts: []store.Attempt{{
					Exercise: "containerd-commit-writer", Task: "opening", Module: "debug", Score: 50,
					Answer: strings.Repeat("a", n), CreatedAt: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)}}})
				ts.Check(err)
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), data, 0o644))
			},
			// badutf8 FILE writes a file that is not valid UTF-8.
			"badutf8": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte("GC ran \xff\xfe before commit."), 0o644))
			},
		},
	}
}
