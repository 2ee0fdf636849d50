package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/internal/iostreams"
)

type exercisesNewOptions struct {
	IO           *iostreams.IOStreams
	ExerciseDirs func() []string
	Bank         func() *exercises.Bank

	Module string
	ID     string
}

// newExercisesNewCmd is `drill exercises new`, added to the exercises command.
func newExercisesNewCmd(f *Factory) *cobra.Command {
	opts := exercisesNewOptions{IO: f.IO, ExerciseDirs: f.ExerciseDirs, Bank: f.Bank}
	cmd := &cobra.Command{
		Use:   "new --module M [--id ID]",
		Short: "Write a commented exercise template into your exercise folder",
		Long: `new writes a complete, valid exercise file into your own exercise folder
(the first --exercises folder, default $XDG_CONFIG_HOME/drill/exercises). Every
field is explained in a comment; replace the example content with your own.
Your exercises join the daily plan of their module like the built-in ones.`,
		Example: `  drill exercises new --module debug
  drill exercises new --module design --id cache-stampede
  drill exercises validate ~/.config/drill/exercises/cache-stampede.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Module == "" {
				return usageError{fmt.Errorf("--module is required: one of %s", strings.Join(exercises.ModuleNames(), ", "))}
			}
			if !exercises.IsModule(opts.Module) {
				return usageError{fmt.Errorf("--module %q is not one of %s", opts.Module, strings.Join(exercises.ModuleNames(), ", "))}
			}
			if opts.ID != "" && !slugPattern.MatchString(opts.ID) {
				return usageError{fmt.Errorf("--id %q: an id must be lower-case letters, digits and dashes, such as cache-stampede (at most 64 characters)", opts.ID)}
			}
			return runExercisesNew(&opts)
		},
	}
	cmd.Flags().StringVar(&opts.Module, "module", "", "debug, review, expression or design (required)")
	cmd.Flags().StringVar(&opts.ID, "id", "", "exercise id and file name (default my-MODULE-exercise, numbered if taken)")
	return cmd
}

// slugPattern is what an id may be: the bank's id rule, plus a length limit so
// the id is also a safe file name. It is checked on the flag itself, before the
// id goes anywhere near YAML (where "#..." is a comment) or a path.
var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

func runExercisesNew(opts *exercisesNewOptions) error {
	dirs := opts.ExerciseDirs()
	if len(dirs) == 0 || dirs[0] == "" {
		return errors.New("no exercise folder: pass --exercises DIR")
	}
	dir := dirs[0]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("exercises new: %w", err)
	}
	id := opts.ID
	explicit := id != ""
	if !explicit {
		id = "my-" + opts.Module + "-exercise"
		for n := 2; fileExists(filepath.Join(dir, id+".md")); n++ {
			id = "my-" + opts.Module + "-exercise-" + strconv.Itoa(n)
		}
	}
	path := filepath.Join(dir, id+".md")
	// Belt and braces: whatever the id, the file lands inside the folder.
	if rel, err := filepath.Rel(dir, path); err != nil || rel != filepath.Base(path) {
		return usageError{fmt.Errorf("--id %q would write outside %s", id, dir)}
	}
	body := exerciseTemplate(id, opts.Module)
	// The template must be a valid exercise: check it as drill will load it.
	if _, probs := exercises.Parse(path, []byte(body)); len(probs) > 0 {
		return usageError{fmt.Errorf("--id %q: %s", id, probs[0].Msg)}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: edit it, or choose another --id: %w", path, fs.ErrExist)
	}
	if err != nil {
		return fmt.Errorf("exercises new: %w", err)
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("exercises new: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("exercises new: %w", err)
	}
	if explicit && exercises.Load().Get(id) != nil {
		fmt.Fprintf(opts.IO.ErrOut, "note: %s is also a built-in exercise id; your file replaces it\n", id)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s\nedit it, then check it with: drill exercises validate %s\n", path, path)
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// firstTask names the template's task after what each module asks for.
var firstTask = map[string][2]string{
	"debug":      {"opening", "30-second opening"},
	"review":     {"review", "Review comment"},
	"expression": {"briefing", "One-minute briefing"},
	"design":     {"recommend", "Recommendation with trade-offs"},
}

func exerciseTemplate(id, module string) string {
	t := firstTask[module]
	return fmt.Sprintf(`---
# Your own exercise. Every field is explained below; see exercises/FORMAT.md in
# the drill source for the full format. Check it with: drill exercises validate
id: %[1]s          # lower-case letters, digits, dashes; the file name is up to you
module: %[2]s                 # debug | review | expression | design
title: Node disk fills up and pods are evicted   # one line, shown in the plan
tags: [kubernetes, disk, logs]  # free words; drill list --tag filters on them
level: 2                      # 1 (warm-up) .. 5 (hardest)
order: 5                      # curriculum place, lower first: built-in ones use 10, 20, ...
tasks:
  - id: %[3]s                 # unique inside this exercise
    title: %[4]s
    time_limit: 60s           # optional: over time is flagged, never cut off
    max_sentences: 5          # optional: more sentences are flagged
    prompt:                   # what the learner is asked, in both languages
      zh: |
        用英文向团队简要说明：发生了什么、你认为的原因、下一步做什么。
      en: |
        Brief the team in English: what happened, what you think the cause is, and what you will do next.
    rubric:                   # the concepts a strong answer states
      - id: symptom           # point ids are shared across exercises: a point
        weight: 2             # missed again and again becomes a weak concept
        concept: Names the symptom precisely — the node's disk fills up and pods get evicted.
        say:                  # ways of saying it: groups joined by " + " must occur
          # in one sentence; "|" separates alternatives; "word*" matches a prefix
          - "disk*|volume|filesystem + full|fill*|pressure|out of space"
          - "pod* + evict*"
        hint: Open with what you observed before any theory.
      - id: next-step
        weight: 1
        concept: Says what happens next — rotate or cap the logs and watch disk usage.
        say:
          - "rotat*|cap*|limit*|clean* + log*"
          - "alert*|watch*|monitor* + disk*|usage"
        hint: End with the concrete next step.
    model_answer: |
      The node's disk is filling up and the kubelet is evicting pods under disk pressure.
      I think container logs are never rotated, so one chatty pod fills the volume.
      Next, I will cap log size in the runtime config and add an alert on disk usage.
---
场景（中文）：凌晨三点，一个节点的磁盘写满，kubelet 开始驱逐 Pod。把这里换成你自己的场景。

<!-- en -->
Scenario (English): at 3 a.m. a node's disk fills up and the kubelet starts evicting pods. Replace this with your own scenario.
`, id, module, t[0], t[1])
}
