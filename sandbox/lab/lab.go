// Package lab is the sandbox's hands-on lab: a small Go module the learner
// owns, holding the reviewed TransferService to fix, and a harness that
// checks the fix against containerd's real content store, leases and GC
// under the race detector.
package lab

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/containerd/errdefs"
)

//go:embed workspace
var workspace embed.FS

// DefaultDir is where init writes the lab when no directory is given.
const DefaultDir = "drill-lab"

// Exercise and Task name the lab's results in the attempt history.
const (
	Exercise = "lab-transfer-service"
	Task     = "check"
	Module   = "lab"
)

// file is one file of the workspace: its name in the lab directory, its
// name in the embedded template, and whether check refuses an edited copy.
type file struct {
	name, src string
	guarded   bool
}

var files = []file{
	{"transfer.go", "workspace/transfer.go.txt", false},
	{"lab_test.go", "workspace/lab_test.go.txt", true},
	{"go.mod", "workspace/go.mod.txt", true},
	{"go.sum", "workspace/go.sum.txt", true},
	{"README.md", "workspace/README.md", false},
}

// stateFile keeps the learner's progress in the lab directory: hints seen
// and whether check has passed.
const stateFile = ".drill-lab.json"

// State is the learner's progress in one lab directory.
type State struct {
	Hints  int  `json:"hints"`
	Passed bool `json:"passed"`
}

func template(name string) []byte {
	b, err := workspace.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time; missing means a broken build
	}
	return b
}

// Init writes the lab into dir. It refuses to touch a directory that
// already holds a transfer.go, so the learner's work is never overwritten.
func Init(dir string) error {
	if dir == "" {
		dir = DefaultDir
	}
	if _, err := os.Stat(filepath.Join(dir, "transfer.go")); err == nil {
		return fmt.Errorf("%s already holds a lab (transfer.go is there and is kept); run drill sandbox lab check %s, or init another directory: %w",
			dir, dir, errdefs.ErrAlreadyExists)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("lab directory: %w", err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), template(f.src), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", f.name, err)
		}
	}
	return SaveState(dir, State{})
}

// ErrEdited is returned by Verify when a guarded file differs from the one
// init wrote.
var ErrEdited = errors.New("lab harness edited")

// Verify makes sure dir is a lab whose harness is the one drill wrote: the
// guarded files match their checksums and no other test file was added.
// transfer.go is the learner's; any other non-test file is allowed.
func Verify(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "transfer.go")); err != nil {
		return fmt.Errorf("%s is not a lab (no transfer.go): run drill sandbox lab init %s first: %w", dir, dir, errdefs.ErrNotFound)
	}
	var problems []string
	for _, f := range files {
		if !f.guarded {
			continue
		}
		got, err := os.ReadFile(filepath.Join(dir, f.name))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s is missing", f.name))
			continue
		}
		if want := template(f.src); !bytes.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("%s was edited (sha256 %s, drill wrote %s)", f.name, sum(got), sum(want)))
		}
	}
	tests, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, p := range tests {
		if filepath.Base(p) != "lab_test.go" {
			problems = append(problems, fmt.Sprintf("%s is an extra test file", filepath.Base(p)))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s; check runs only the harness drill wrote: edit transfer.go alone, and restore the rest with drill sandbox lab init --restore %s: %w",
		strings.Join(problems, "; "), dir, ErrEdited)
}

// Restore rewrites the guarded files and removes extra test files; the
// learner's transfer.go and anything else stay.
func Restore(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "transfer.go")); err != nil {
		return fmt.Errorf("%s is not a lab (no transfer.go): %w", dir, errdefs.ErrNotFound)
	}
	for _, f := range files {
		if f.guarded {
			if err := os.WriteFile(filepath.Join(dir, f.name), template(f.src), 0o644); err != nil {
				return fmt.Errorf("restore %s: %w", f.name, err)
			}
		}
	}
	tests, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, p := range tests {
		if filepath.Base(p) != "lab_test.go" {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:12]
}

// LoadState reads the lab's progress; a lab without one starts from zero.
func LoadState(dir string) (State, error) {
	var s State
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return State{}, fmt.Errorf("%s: %v: %w", filepath.Join(dir, stateFile), err, errdefs.ErrInvalidArgument)
	}
	return s, nil
}

// SaveState writes the lab's progress.
func SaveState(dir string, s State) error {
	b, _ := json.Marshal(s)
	return os.WriteFile(filepath.Join(dir, stateFile), append(b, '\n'), 0o644)
}

// Solution is the reference transfer.go.
func Solution() string { return string(template("workspace/solution.go.txt")) }

// Starter is the transfer.go init writes.
func Starter() string { return string(template("workspace/transfer.go.txt")) }
