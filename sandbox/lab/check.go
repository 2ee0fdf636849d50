package lab

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Property is one thing check demands of the learner's TransferService.
type Property struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	TitleZH string   `json:"title_zh"`
	Passed  bool     `json:"passed"`
	Ran     bool     `json:"ran"`
	Failure []string `json:"evidence,omitempty"` // the harness's own words: counts, containerd's errors, a race excerpt
	test    string
}

// properties in report order. The race property has no test of its own: any
// race report in the run fails it.
func properties() []*Property {
	return []*Property{
		{ID: "stores", test: "TestImportStoresTheBlob",
			Title:   "a nil return means the blob is stored, whole (a stub that writes nothing fails here)",
			TitleZH: "返回 nil 就意味着 blob 已完整写入（什么都不写的桩实现在这里失败）"},
		{ID: "no-shared-writer", test: "TestConcurrentImportersNeverShareAWriter",
			Title:   "concurrent importers of one ref never share a writer, and every one gets the blob",
			TitleZH: "同一 ref 的并发导入者从不共用 writer，每个都拿到 blob"},
		{ID: "survives-gc", test: "TestBlobSurvivesImmediateGC",
			Title:   "after a nil return the caller's lease holds the blob: it survives an immediate GC",
			TitleZH: "返回 nil 后 blob 在调用方的 lease 里：立即 GC 也删不掉"},
		{ID: "cancel", test: "TestCancellingOneImporterSparesTheOthers",
			Title:   "cancelling one importer does not fail the others",
			TitleZH: "取消一个导入者不会让其他导入者失败"},
		{ID: "no-race", Title: "no data race (go test -race)", TitleZH: "没有数据竞争（go test -race）"},
		{ID: "no-leak", test: "TestNoGoroutineLeftBehind",
			Title:   "no goroutine left behind after the imports return",
			TitleZH: "导入返回后没有遗留的 goroutine"},
	}
}

// Report is what check found.
type Report struct {
	Properties []*Property   `json:"properties"`
	BuildError string        `json:"build_error,omitempty"` // compiler output when transfer.go does not build
	Races      int           `json:"races"`
	Elapsed    time.Duration `json:"-"`
	Command    string        `json:"command"`
}

// Passed reports whether every property holds.
func (r *Report) Passed() bool {
	for _, p := range r.Properties {
		if !p.Passed {
			return false
		}
	}
	return true
}

// Score is the share of properties that hold, 0-100.
func (r *Report) Score() int {
	n := 0
	for _, p := range r.Properties {
		if p.Passed {
			n++
		}
	}
	return 100 * n / len(r.Properties)
}

// CheckOptions configure Check.
type CheckOptions struct {
	// Go is the go command; empty means "go" on PATH.
	Go string
	// Env is the environment of go test; nil means os.Environ().
	Env []string
	// Timeout bounds the harness run (go test -timeout). It is far above
	// what an honest run takes; it only ends a deadlocked fix.
	Timeout time.Duration
}

// ErrToolchain means the Go toolchain or the modules the lab needs are not
// available.
var ErrToolchain = errors.New("go toolchain unavailable")

// Arguments of the harness run: the race detector on, every test once, and
// JSON events so each property's result and evidence can be told apart.
func testArgs(timeout time.Duration) []string {
	return []string{"test", "-race", "-count=1", "-timeout", timeout.String(), "-json", "."}
}

// Check verifies the harness, runs it under the race detector in dir and
// reports each property.
func Check(ctx context.Context, dir string, o CheckOptions) (*Report, error) {
	if err := Verify(dir); err != nil {
		return nil, err
	}
	if o.Go == "" {
		o.Go = "go"
	}
	if o.Env == nil {
		o.Env = os.Environ()
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	goBin, err := exec.LookPath(o.Go)
	if err != nil {
		return nil, fmt.Errorf("the lab compiles your transfer.go with Go, and %q is not on PATH: install Go 1.26.7 or later from https://go.dev/dl: %w", o.Go, ErrToolchain)
	}
	args := testArgs(o.Timeout)
	cmd := exec.CommandContext(ctx, goBin, args...)
	cmd.Dir = dir
	// -mod=mod lets go fill in what go.sum lacks from the module cache;
	// everything the lab needs is already there once drill was built.
	if flags := getenv(o.Env, "GOFLAGS"); !strings.Contains(flags, "-mod=") {
		cmd.Env = append(o.Env, "GOFLAGS="+strings.TrimSpace(flags+" -mod=mod"))
	} else {
		cmd.Env = o.Env
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	rep := parse(&stdout)
	rep.Elapsed = time.Since(start)
	rep.Command = "go " + strings.Join(args, " ")
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		return nil, fmt.Errorf("run go test: %w", runErr)
	}
	if msg := toolchainProblem(stderr.String() + rep.BuildError); msg != "" {
		return nil, fmt.Errorf("%s: %w", msg, ErrToolchain)
	}
	if rep.BuildError == "" && !rep.ran() && runErr != nil {
		rep.BuildError = strings.TrimSpace(stderr.String())
	}
	return rep, nil
}

func getenv(env []string, key string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], key+"="); ok {
			return v
		}
	}
	return ""
}

// toolchainProblem recognises go's messages for a missing module (offline
// with a cold cache) and a toolchain too old for the lab's go.mod.
func toolchainProblem(out string) string {
	switch {
	case strings.Contains(out, "module lookup disabled") || strings.Contains(out, "dial tcp") ||
		strings.Contains(out, "missing go.sum entry") || strings.Contains(out, "no required module provides"):
		return "the lab's modules (containerd and its dependencies, at the versions drill uses) are not in the Go module cache and cannot be downloaded: " +
			"build drill from source once (make build) or run go mod download in the lab directory with network access"
	case strings.Contains(out, "requires go >=") || strings.Contains(out, "toolchain not available"):
		return "the Go toolchain is older than the lab's go.mod asks for: install Go 1.26.7 or later from https://go.dev/dl"
	case strings.Contains(out, "-race requires cgo") || strings.Contains(out, "race detector") && strings.Contains(out, "not supported"):
		return "go test -race is unavailable here: the race detector needs cgo (CGO_ENABLED=1 and a C compiler such as gcc)"
	}
	return ""
}

// event is one line of go test -json.
type event struct {
	Action string
	Test   string
	Output string
}

var (
	evidenceLine = regexp.MustCompile(`^    lab_test\.go:\d+: (.*)$`)
	raceLine     = regexp.MustCompile(`^\s*testing\.go:\d+: race detected during execution of test`)
)

func (r *Report) ran() bool {
	for _, p := range r.Properties {
		if p.Ran {
			return true
		}
	}
	return false
}

// parse reads go test -json output into the report.
func parse(out io.Reader) *Report {
	rep := &Report{Properties: properties()}
	byTest := map[string]*Property{}
	for _, p := range rep.Properties {
		if p.test != "" {
			byTest[p.test] = p
		}
	}
	outputs := map[string][]string{}
	var all []string
	var build []string
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			continue
		}
		switch e.Action {
		case "build-output":
			build = append(build, strings.TrimRight(e.Output, "\n"))
		case "output":
			line := strings.TrimRight(e.Output, "\n")
			all = append(all, line)
			if e.Test != "" {
				outputs[e.Test] = append(outputs[e.Test], line)
			}
		case "pass", "fail":
			if p := byTest[e.Test]; p != nil {
				p.Ran = true
				p.Passed = e.Action == "pass"
			}
		}
	}
	rep.BuildError = strings.TrimSpace(strings.Join(build, "\n"))
	race := raceExcerpt(all)
	rep.Races = strings.Count(strings.Join(all, "\n"), "WARNING: DATA RACE")
	for _, p := range rep.Properties {
		if p.ID == "no-race" {
			p.Ran = rep.ran()
			p.Passed = p.Ran && rep.Races == 0
			if rep.Races > 0 {
				p.Failure = append([]string{fmt.Sprintf("%d data race reports; the first:", rep.Races)}, race...)
			}
			continue
		}
		if !p.Ran || p.Passed {
			if !p.Ran && rep.ran() {
				p.Failure = []string{"did not finish: the harness run ended first (timeout or crash); its last words:"}
				p.Failure = append(p.Failure, tail(all, 8)...)
			}
			continue
		}
		ev, raceOnly := evidence(outputs[p.test])
		if raceOnly {
			// Its only failure is the race, reported under no-race.
			p.Passed = true
			continue
		}
		if len(ev) == 0 {
			ev = tail(outputs[p.test], 8)
		}
		p.Failure = ev
	}
	return rep
}

// evidence returns the harness's failure messages of one test: each
// lab_test.go line and its indented continuation lines.
func evidence(lines []string) (ev []string, raceOnly bool) {
	sawRace := false
	in := false
	for _, l := range lines {
		if m := evidenceLine.FindStringSubmatch(l); m != nil {
			ev = append(ev, m[1])
			in = true
			continue
		}
		if raceLine.MatchString(l) {
			sawRace = true
			in = false
			continue
		}
		if in && strings.HasPrefix(l, "        ") {
			ev = append(ev, "  "+strings.TrimSpace(l))
			continue
		}
		in = false
	}
	return ev, sawRace && len(ev) == 0
}

// raceExcerpt is the first race report: the two accesses and the
// functions on their stacks, with the file lines of transfer.go kept so
// the learner sees where their code was.
func raceExcerpt(lines []string) []string {
	var out []string
	in := false
	for _, l := range lines {
		if strings.Contains(l, "WARNING: DATA RACE") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if strings.HasPrefix(l, "==================") || strings.HasPrefix(l, "Goroutine ") || len(out) >= 20 {
			break
		}
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case !strings.HasPrefix(l, " "): // "Read at ... by goroutine N:", "Previous write at ..."
			out = append(out, t)
		case strings.HasPrefix(l, "      "): // a file:line; only the learner's own
			if strings.Contains(t, "/transfer.go:") {
				out = append(out, "      "+filepath.Base(strings.Fields(t)[0]))
			}
		default: // a function
			out = append(out, "  "+t)
		}
	}
	return out
}

func tail(lines []string, n int) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}
