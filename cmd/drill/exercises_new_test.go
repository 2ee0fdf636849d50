package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/modules"
)

// Every module's template is a valid exercise of its own kind, a draft, whose
// model answers earn full marks and which the bank-wide checks accept.
func TestExerciseTemplateValidatesForEveryModule(t *testing.T) {
	bank := exercises.Load()
	dir := t.TempDir()
	for _, m := range exercises.ModuleNames() {
		id := "my-" + m + "-exercise"
		body := exerciseTemplate(bank, id, m, "")
		ex, probs := exercises.Parse(id+".md", []byte(body))
		if len(probs) > 0 || ex == nil || ex.ID != id || ex.Module != m {
			t.Fatalf("%s template: %v", m, probs)
		}
		if !ex.Draft {
			t.Errorf("%s template is not a draft", m)
		}
		if first := bank.Filter(m, "")[0]; ex.Order >= first.Order {
			t.Errorf("%s template has order %d, not before the module's first exercise %s (%d)", m, ex.Order, first.ID, first.Order)
		}
		for _, task := range ex.AllTasks() {
			res, err := modules.Grade(ex, task, task.ModelAnswer, 0)
			if err != nil {
				t.Fatal(err)
			}
			if res.Score < 100 {
				t.Errorf("%s template, task %s: its model answer scores %d", m, task.ID, res.Score)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, id+".md"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	withTemplates := exercises.Load(dir)
	if len(withTemplates.Problems) > 0 {
		t.Fatalf("templates() in a folder: %v", withTemplates.Problems)
	}
	for _, p := range modules.Lint(withTemplates) {
		if !strings.HasPrefix(p.File, "embedded:") {
			t.Errorf("bank-wide check: %v", p)
		}
	}
}

// Each module's template asks what that module trains: the design one is a
// brief with requirements, scale numbers, a trade-off question and follow-up
// rounds, not a debug opening.
func TestEachModuleHasATemplateOfItsKind(t *testing.T) {
	bank := exercises.Load()
	seen := map[string]string{}
	for _, m := range exercises.ModuleNames() {
		body := exerciseTemplate(bank, "x", m, "")
		ex, _ := exercises.Parse("x.md", []byte(body))
		if other, ok := seen[ex.Tasks[0].ID]; ok {
			t.Errorf("%s and %s templates() share the task %q", m, other, ex.Tasks[0].ID)
		}
		seen[ex.Tasks[0].ID] = m
	}
	ex, _ := exercises.Parse("x.md", []byte(exerciseTemplate(bank, "x", "design", "")))
	for _, want := range []string{"Requirements:", "Scale:", "builds an hour"} {
		if !strings.Contains(ex.ScenarioEN, want) {
			t.Errorf("design brief's scenario lacks %q:\n%s", want, ex.ScenarioEN)
		}
	}
	if len(ex.Tasks[0].FollowUps) < 2 {
		t.Errorf("design brief has %d follow-up rounds, want at least 2", len(ex.Tasks[0].FollowUps))
	}
	if !strings.Contains(ex.Tasks[0].Prompt.EN, "weigh") {
		t.Errorf("design brief asks no trade-off question: %s", ex.Tasks[0].Prompt.EN)
	}
}

// new never overwrites a file nor adds a numbered copy; --force overwrites;
// an id the bank already has is refused unless forced, and one of another of
// the learner's files is refused even then.
func TestExercisesNewNeverOverwrites(t *testing.T) {
	f, _ := progressFactory(t, filepath.Join(t.TempDir(), "drill.db"), time.Now())
	dir := f.ExerciseDirs()[0]
	// Each run reads the folder afresh, as each command of the learner's does.
	run := func(opts exercisesNewOptions) error {
		opts.IO, opts.ExerciseDirs = f.IO, f.ExerciseDirs
		opts.Bank = func() *exercises.Bank { return exercises.Load(f.ExerciseDirs()...) }
		return runExercisesNew(&opts)
	}
	if err := run(exercisesNewOptions{Module: "review"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "my-review-exercise.md")
	if err := os.WriteFile(path, []byte("the learner's own words"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []exercisesNewOptions{
		{Module: "review"},
		{Module: "design", ID: "my-review-exercise"},
		{Module: "design", Title: "My review exercise"},
	} {
		err := run(opts)
		if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), "--force") {
			t.Fatalf("%+v over an existing file: %v", opts, err)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "the learner's own words" {
		t.Fatalf("the learner's file was changed: %q", b)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*.md")); len(names) != 1 {
		t.Fatalf("files in the folder: %v", names)
	}

	if err := run(exercisesNewOptions{Module: "review", Force: true}); err != nil {
		t.Fatal(err)
	}
	if ex, probs := exercises.LoadFile(path); len(probs) > 0 || !ex.Draft {
		t.Fatalf("--force did not write a fresh template: %v", probs)
	}

	builtin := exercises.Load().Filter("design", "")[0].ID
	err := run(exercisesNewOptions{Module: "design", ID: builtin})
	if !errors.Is(err, errIDTaken) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("a built-in id: %v", err)
	}
	if err := run(exercisesNewOptions{Module: "design", ID: builtin, Force: true}); err != nil {
		t.Fatal(err)
	}
	if ex := exercises.Load(dir).Get(builtin); ex == nil || !ex.User || !ex.Draft {
		t.Fatalf("--force on a built-in id did not write the learner's draft: %+v", ex)
	}

	// Another file of the learner's holds the id: two files with one id would
	// make both unusable, so not even --force writes it.
	other, _ := os.ReadFile(path)
	if err := os.WriteFile(filepath.Join(dir, "renamed.md"), other, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	err = run(exercisesNewOptions{Module: "review", Force: true})
	if !errors.Is(err, errIDTaken) || !strings.Contains(err.Error(), "renamed.md") {
		t.Fatalf("an id of another of the learner's files: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a second file with the id was written: %v", err)
	}
}

func TestIDFromTitle(t *testing.T) {
	for in, want := range map[string]string{
		"Cache stampede":            "cache-stampede",
		"  Cache -- stampede, v2! ": "cache-stampede-v2",
		"Über-cache":                "ber-cache",
		"缓存击穿":                      "",
		strings.Repeat("ab ", 40):   strings.TrimRight(strings.Repeat("ab-", 22)[:64], "-"),
	} {
		got := idFromTitle(in)
		if got != want {
			t.Errorf("idFromTitle(%q) = %q, want %q", in, got, want)
		}
		if got != "" && !slugPattern().MatchString(got) {
			t.Errorf("idFromTitle(%q) = %q is not a valid id", in, got)
		}
	}
}
