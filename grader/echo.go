package grader

import (
	"strings"

	"github.com/drill-coach/drill/exercises"
)

// Echo: a sentence that mostly repeats the task's prompt or scenario states
// nothing the learner worked out, so it earns no point. Overlap is measured on
// word trigrams of stems, the usual unit of text-reuse detection.

// echoShare is the share of a sentence's trigrams found in the prompt above which
// the sentence counts as an echo.
const echoShare = 0.6

// promptText is everything the learner was shown for the task: its prompt, the
// prompt of the task it belongs to, and the scenario.
func promptText(ex *exercises.Exercise, t *exercises.Task) string {
	parts := []string{t.Prompt.EN, ex.ScenarioEN}
	if t.Parent != "" {
		if p := ex.Task(t.Parent); p != nil {
			parts = append(parts, p.Prompt.EN)
		}
	}
	return strings.Join(parts, "\n")
}

func trigrams(stems []string) []string {
	var out []string
	for i := 0; i+3 <= len(stems); i++ {
		out = append(out, stems[i]+" "+stems[i+1]+" "+stems[i+2])
	}
	return out
}

// promptTrigrams are the word trigrams of what the learner was shown, computed
// once per task: stemming the scenario on every grade would cost more than the
// grading itself.
func promptTrigrams(ex *exercises.Exercise, t *exercises.Task) map[string]bool {
	return t.Memo().Get(func() any { return trigramSet(promptText(ex, t)) }).(map[string]bool)
}

func trigramSet(text string) map[string]bool {
	seen := map[string]bool{}
	for _, u := range splitUnits(text) {
		for _, g := range trigrams(u.stems) {
			seen[g] = true
		}
	}
	return seen
}

// markEcho flags the units that mostly repeat the text whose trigrams are seen.
func markEcho(units []unit, seen map[string]bool) {
	if len(seen) == 0 {
		return
	}
	for i := range units {
		grams := trigrams(units[i].stems)
		if len(grams) < 2 {
			continue
		}
		n := 0
		for _, g := range grams {
			if seen[g] {
				n++
			}
		}
		units[i].echo = float64(n) >= echoShare*float64(len(grams))
	}
}

// Echoes reports whether most of text repeats the prompt of the task: the
// validator uses it to reject a rubric point that the prompt itself satisfies.
func Echoes(ex *exercises.Exercise, t *exercises.Task, text string) bool {
	units := splitUnits(text)
	markEcho(units, promptTrigrams(ex, t))
	for _, u := range units {
		if !u.echo {
			return false
		}
	}
	return len(units) > 0
}

// SaidBy returns the rubric points and the misconceptions that text states,
// ignoring echo: the validator asks whether a task's own prompt already satisfies
// a point, and whether a misconception fires on the model answer.
func SaidBy(t *exercises.Task, text string) (points, misconceptions []string) {
	units := splitUnits(text)
	for _, p := range t.Rubric {
		if st, _ := findEvidence(text, p, units, nil); st == stated {
			points = append(points, p.ID)
		}
	}
	for _, m := range t.Misconceptions {
		if _, ok := findMisconception(m, units); ok {
			misconceptions = append(misconceptions, m.ID)
		}
	}
	return points, misconceptions
}
