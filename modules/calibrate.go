package modules

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
)

// Calibration measures the grader against the order an interviewer would give
// the answers of a task: strong ≈ paraphrase > partial > everything that is not
// an answer (vague, wrong, the rubric's terms as a list, the prompt pasted back,
// off-topic).

// Calibration kinds, by tier: a kind of a higher tier must outscore every kind
// of a lower one.
var kindTier = sync.OnceValue(func() map[string]int {
	return map[string]int{
		"strong": 3, "paraphrase": 3,
		"partial": 2,
		"vague":   1, "wrong": 1, "terms": 1, "prompt": 1, "off_topic": 1,
	}
})

// CalibrationKinds lists the kinds in report order.
func CalibrationKinds() []string {
	return []string{"strong", "paraphrase", "partial", "vague", "wrong", "terms", "prompt", "off_topic"}
}

// TaskCalibration is the grade of every calibration answer of one task.
type TaskCalibration struct {
	Exercise string                    `json:"exercise"`
	Module   string                    `json:"module"`
	Task     string                    `json:"task"`
	Scores   map[string]int            `json:"scores"`
	Results  map[string]*grader.Result `json:"-"`
	// Pairs and Correct count the pairs of kinds from different tiers, and those
	// the grader ordered right (strictly).
	Pairs   int `json:"pairs"`
	Correct int `json:"correct"`
	// HardPairs and HardCorrect count only the pairs that words alone cannot
	// order: an answer (strong, paraphrase, partial) against a fluent wrong one
	// or the rubric's terms as a salad.
	HardPairs   int `json:"hard_pairs"`
	HardCorrect int `json:"hard_correct"`
}

// hard reports whether a > b is a pair that takes understanding to order.
func hard(a, b string) bool {
	return (a == "strong" || a == "paraphrase" || a == "partial") && (b == "wrong" || b == "terms")
}

// CalibrationAnswersOf returns the answers of a task by kind, the two synthetic
// ones included: the rubric's terms as a comma list, and the task's own prompt.
func CalibrationAnswersOf(t *exercises.Task, c exercises.CalibrationAnswers) map[string]string {
	m := map[string]string{
		"strong": c.Strong, "paraphrase": c.Paraphrase, "partial": c.Partial, "vague": c.Vague,
		"wrong": c.Wrong, "off_topic": c.OffTopic,
		"terms": RubricTerms(t), "prompt": strings.TrimSpace(t.Prompt.EN),
	}
	for k, v := range m {
		if strings.TrimSpace(v) == "" {
			delete(m, k)
		}
	}
	return m
}

// RubricTerms pastes every term of every say pattern as one comma-separated list.
func RubricTerms(t *exercises.Task) string {
	var terms []string
	for _, p := range t.Rubric {
		for _, pat := range p.Patterns() {
			for _, g := range pat.Groups {
				for _, term := range g {
					var ws []string
					for _, w := range term.Words {
						ws = append(ws, w.Text)
					}
					terms = append(terms, strings.Join(ws, " "))
				}
			}
		}
	}
	return strings.Join(terms, ", ")
}

// CalibrateTask grades every calibration answer of a task.
func CalibrateTask(ex *exercises.Exercise, t *exercises.Task, c exercises.CalibrationAnswers) (*TaskCalibration, error) {
	tc := &TaskCalibration{Exercise: ex.ID, Module: ex.Module, Task: t.ID,
		Scores: map[string]int{}, Results: map[string]*grader.Result{}}
	for kind, ans := range CalibrationAnswersOf(t, c) {
		r, err := Grade(ex, t, ans, 0)
		if err != nil {
			return nil, fmt.Errorf("%s/%s %s answer: %w", ex.ID, t.ID, kind, err)
		}
		tc.Scores[kind], tc.Results[kind] = r.Score, r
	}
	for a, sa := range tc.Scores {
		for b, sb := range tc.Scores {
			if kindTier()[a] > kindTier()[b] {
				tc.Pairs++
				if sa > sb {
					tc.Correct++
				}
				if hard(a, b) {
					tc.HardPairs++
					if sa > sb {
						tc.HardCorrect++
					}
				}
			}
		}
	}
	return tc, nil
}

// CalibrationReport sums the calibration of a bank per module.
type CalibrationReport struct {
	Tasks   []*TaskCalibration  `json:"tasks"`
	Modules []ModuleCalibration `json:"modules"`
	Overall ModuleCalibration   `json:"overall"`
	Missing []string            `json:"missing,omitempty"` // exercises or tasks without answers
}

// ModuleCalibration is the pairwise accuracy and the mean score per kind.
type ModuleCalibration struct {
	Module   string  `json:"module"`
	Tasks    int     `json:"tasks"`
	Accuracy float64 `json:"accuracy"`
	// HardAccuracy is the accuracy over the hard pairs only.
	HardAccuracy float64            `json:"hard_accuracy"`
	Mean         map[string]float64 `json:"mean"`
}

// Calibrate grades the calibration answers of every task of the bank.
func Calibrate(b *exercises.Bank) (*CalibrationReport, error) {
	rep := &CalibrationReport{}
	for _, ex := range b.All() {
		cal, _, err := ex.Calibration()
		if err != nil {
			rep.Missing = append(rep.Missing, ex.ID+": "+err.Error())
			continue
		}
		for _, t := range ex.AllTasks() {
			c, ok := cal[t.ID]
			if !ok {
				rep.Missing = append(rep.Missing, ex.ID+"/"+t.ID)
				continue
			}
			tc, err := CalibrateTask(ex, t, c)
			if err != nil {
				return nil, err
			}
			rep.Tasks = append(rep.Tasks, tc)
		}
	}
	byModule := map[string][]*TaskCalibration{}
	for _, tc := range rep.Tasks {
		byModule[tc.Module] = append(byModule[tc.Module], tc)
	}
	for _, m := range All() {
		if ts := byModule[m.Name]; len(ts) > 0 {
			rep.Modules = append(rep.Modules, summarise(m.Name, ts))
		}
	}
	rep.Overall = summarise("all", rep.Tasks)
	return rep, nil
}

func summarise(name string, ts []*TaskCalibration) ModuleCalibration {
	mc := ModuleCalibration{Module: name, Tasks: len(ts), Mean: map[string]float64{}}
	pairs, correct, hp, hc := 0, 0, 0, 0
	n := map[string]int{}
	for _, tc := range ts {
		pairs += tc.Pairs
		correct += tc.Correct
		hp += tc.HardPairs
		hc += tc.HardCorrect
		for k, s := range tc.Scores {
			mc.Mean[k] += float64(s)
			n[k]++
		}
	}
	for k := range mc.Mean {
		mc.Mean[k] /= float64(n[k])
	}
	if pairs > 0 {
		mc.Accuracy = float64(correct) / float64(pairs)
	}
	if hp > 0 {
		mc.HardAccuracy = float64(hc) / float64(hp)
	}
	return mc
}

// Misordered lists, for one task, the pairs of kinds the grader ordered wrong.
func (tc *TaskCalibration) Misordered() []string {
	var out []string
	for a, sa := range tc.Scores {
		for b, sb := range tc.Scores {
			if kindTier()[a] > kindTier()[b] && sa <= sb {
				out = append(out, fmt.Sprintf("%s %d <= %s %d", a, sa, b, sb))
			}
		}
	}
	sort.Strings(out)
	return out
}
