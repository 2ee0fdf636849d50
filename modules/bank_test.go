package modules

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
)

const offTopic = `Last weekend I baked sourdough bread with my family. We fed the starter on Friday night,
mixed the dough on Saturday morning and let it rise slowly in the kitchen. The crust came out
dark and crunchy, and the children loved tearing it apart while it was still warm.`

func bank(t *testing.T) *exercises.Bank {
	t.Helper()
	b := exercises.Load()
	for _, p := range b.Problems {
		t.Errorf("bank problem: %s", p)
	}
	if len(b.All()) == 0 {
		t.Fatal("empty bank")
	}
	return b
}

func grade(t *testing.T, ex *exercises.Exercise, task *exercises.Task, answer string) *grader.Result {
	t.Helper()
	r, err := Grade(ex, task, answer, 0)
	if err != nil {
		t.Fatalf("%s/%s: %v", ex.ID, task.ID, err)
	}
	for _, p := range r.Points {
		if p.Hit && !strings.Contains(answer, p.Evidence) {
			t.Errorf("%s/%s point %s: evidence %q is not in the answer", ex.ID, task.ID, p.ID, p.Evidence)
		}
	}
	return r
}

func TestEveryTaskOfTheBank(t *testing.T) {
	b := bank(t)
	for _, ex := range b.All() {
		for _, task := range ex.AllTasks() {
			t.Run(ex.ID+"/"+task.ID, func(t *testing.T) {
				model := grade(t, ex, task, task.ModelAnswer)
				if model.Score < 85 {
					t.Errorf("model answer scores %d, want >= 85; missed: %v", model.Score, missed(model))
				}
				if _, err := Grade(ex, task, " \n\t", 0); !errors.Is(err, grader.ErrEmpty) {
					t.Errorf("empty answer: got %v, want ErrEmpty", err)
				}
				if r := grade(t, ex, task, offTopic); r.Score > 15 {
					t.Errorf("off-topic paragraph scores %d, want <= 15", r.Score)
				}
				list := grade(t, ex, task, RubricTerms(task))
				if 2*list.Score > model.Score {
					t.Errorf("rubric terms as a list score %d, more than half of the model answer's %d", list.Score, model.Score)
				}
				if !list.HasFlag(grader.FlagTermList) {
					t.Errorf("rubric terms as a list are not flagged as a term list")
				}
				again := grade(t, ex, task, task.ModelAnswer)
				if again.Score != model.Score || len(again.Feedback) != len(model.Feedback) {
					t.Errorf("grading is not deterministic: %d then %d", model.Score, again.Score)
				}
			})
		}
	}
}

// knownCalibrationGaps lists the tasks whose calibration answers the grader does
// not yet order right, one "exercise/task" per line. It only shrinks: a listed
// task that passes fails the test until it is removed from the list, so the list
// is always exactly the tasks still to fix.
//
//go:embed testdata/calibration-gaps.txt
var knownCalibrationGaps string

// TestCalibration checks that the grader ranks the calibration answers of every
// task the way a strong interviewer would. paraphrase and wrong are written blind,
// from the prompt alone, by someone who has not read the rubric.
func TestCalibration(t *testing.T) {
	b := bank(t)
	gaps := map[string]bool{}
	for _, l := range strings.Split(knownCalibrationGaps, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			gaps[l] = true
		}
	}
	for _, ex := range b.All() {
		cal, path, err := ex.Calibration()
		if err != nil {
			t.Errorf("%s: %s: %v", ex.ID, path, err)
			continue
		}
		for _, task := range ex.AllTasks() {
			t.Run(ex.ID+"/"+task.ID, func(t *testing.T) {
				c, ok := cal[task.ID]
				if !ok || c.Strong == "" || c.Partial == "" || c.Vague == "" || c.OffTopic == "" || c.Paraphrase == "" || c.Wrong == "" {
					if gaps[ex.ID+"/"+task.ID] {
						t.Logf("known gap: %s: task %s lacks calibration answers", path, task.ID)
						return
					}
					t.Fatalf("%s: task %s needs strong, paraphrase, partial, vague, wrong and off_topic answers", path, task.ID)
				}
				tc, err := CalibrateTask(ex, task, c)
				if err != nil {
					t.Fatal(err)
				}
				for kind, r := range tc.Results {
					checkEvidence(t, ex, task, CalibrationAnswersOf(task, c)[kind], r)
				}
				fails := calibrationFailures(tc)
				switch key := ex.ID + "/" + task.ID; {
				case gaps[key] && len(fails) == 0:
					t.Errorf("%s now passes its calibration: remove it from modules/testdata/calibration-gaps.txt", key)
				case gaps[key]:
					t.Logf("known gap: %s", strings.Join(fails, "; "))
				default:
					for _, f := range fails {
						t.Error(f)
					}
				}
			})
		}
	}
}

// calibrationFailures lists how a task's calibration answers miss the order an
// interviewer would give them.
func calibrationFailures(tc *TaskCalibration) []string {
	var out []string
	s, res := tc.Scores, tc.Results
	if s["strong"] < 85 {
		out = append(out, fmt.Sprintf("strong scores %d, want >= 85; missed %v", s["strong"], missed(res["strong"])))
	}
	if len(res["strong"].Misconceptions) > 0 {
		out = append(out, fmt.Sprintf("a misconception fires on the strong answer: %+v", res["strong"].Misconceptions))
	}
	if 10*s["paraphrase"] < 7*s["strong"] {
		out = append(out, fmt.Sprintf("paraphrase scores %d, want >= 0.7 x strong (%d); missed %v", s["paraphrase"], s["strong"], missed(res["paraphrase"])))
	}
	if !(s["strong"] > s["partial"] && s["partial"] > s["vague"] && s["vague"] >= s["off_topic"]) {
		out = append(out, fmt.Sprintf("want strong > partial > vague >= off-topic, got %d > %d > %d >= %d",
			s["strong"], s["partial"], s["vague"], s["off_topic"]))
	}
	if s["wrong"] > 35 || s["wrong"] >= s["partial"] {
		out = append(out, fmt.Sprintf("wrong scores %d, want <= 35 and below partial (%d); hit %v", s["wrong"], s["partial"], hits(res["wrong"])))
	}
	if s["prompt"] > 20 {
		out = append(out, fmt.Sprintf("the prompt pasted as an answer scores %d, want <= 20; hit %v", s["prompt"], hits(res["prompt"])))
	}
	if s["vague"] > 50 {
		out = append(out, fmt.Sprintf("vague scores %d, want <= 50; hit %v", s["vague"], hits(res["vague"])))
	}
	if s["off_topic"] > 15 {
		out = append(out, fmt.Sprintf("off-topic scores %d, want <= 15", s["off_topic"]))
	}
	if 2*s["terms"] > s["strong"] {
		out = append(out, fmt.Sprintf("rubric terms as a list score %d, more than half of strong's %d", s["terms"], s["strong"]))
	}
	return out
}

// TestCalibrationAccuracy: the grader orders the calibration kinds of the whole
// bank right in at least nine pairs out of ten, overall and in every module.
func TestCalibrationAccuracy(t *testing.T) {
	rep, err := Calibrate(bank(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range append(rep.Modules, rep.Overall) {
		if m.Accuracy < 0.9 || m.HardAccuracy < 0.9 {
			t.Errorf("%s: pairwise accuracy %.3f (hard pairs %.3f) over %d tasks, want >= 0.9; means %v",
				m.Module, m.Accuracy, m.HardAccuracy, m.Tasks, m.Mean)
		}
	}
	if len(rep.Missing) > 0 {
		t.Errorf("tasks without calibration answers: %v", rep.Missing)
	}
}

// TestBankLint: no rubric point is satisfied by its own prompt, no misconception
// fires on its model answer, the curriculum climbs, and every task lists the
// wrong beliefs an interviewer listens for.
func TestBankLint(t *testing.T) {
	b := bank(t)
	gaps := map[string]bool{}
	for _, l := range strings.Split(knownLintGaps, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			gaps[l] = true
		}
	}
	seen := map[string]bool{}
	for _, p := range Lint(b) {
		if m := promptSatisfied.FindStringSubmatch(p.String()); m != nil {
			key := m[1] + "/" + m[3] + "/" + m[2]
			seen[key] = true
			if gaps[key] {
				continue
			}
		}
		t.Error(p)
	}
	for key := range gaps {
		if !seen[key] {
			t.Errorf("%s is no longer satisfied by its own prompt: remove it from modules/testdata/lint-gaps.txt", key)
		}
	}
	for _, ex := range b.All() {
		for _, task := range ex.AllTasks() {
			if n := len(task.Misconceptions); n < 2 || n > 4 {
				t.Errorf("%s/%s has %d misconceptions, want 2-4", ex.ID, task.ID, n)
			}
		}
	}
}

// knownLintGaps lists the rubric points that their task's own prompt still
// satisfies, as exercise/task/point; like the calibration gaps, it only shrinks.
//
//go:embed testdata/lint-gaps.txt
var knownLintGaps string

var promptSatisfied = regexp.MustCompile(`embedded:\w+/([\w-]+)\.md:\d+: rubric point "([\w-]+)" of task "([\w-]+)" is satisfied by the task's own prompt`)

// The opening that denies every hypothesis earns no hypothesis or next-step
// point, and the feedback names the contradiction.
func TestDenyingTheHypothesesOnTheContainerdOpening(t *testing.T) {
	b := bank(t)
	ex := b.Get("containerd-commit-writer")
	task := ex.Task("opening")
	r := grade(t, ex, task, "It is definitely not a shared writer and GC is not involved. I will not trace writer lifetimes.")
	contradicted := 0
	for _, p := range r.Points {
		if p.Hit {
			t.Errorf("point %s earned by a denial: %q", p.ID, p.Evidence)
		}
		if p.Status == grader.StatusContradicted {
			contradicted++
		}
	}
	named := false
	for _, it := range r.Feedback {
		named = named || it.Kind == grader.Essential && strings.Contains(it.Text, "You denied")
	}
	if contradicted == 0 || !named || r.Score > 10 {
		t.Errorf("score %d, %d contradicted, named in feedback %v: %+v", r.Score, contradicted, named, r.Feedback)
	}
}

func checkEvidence(t *testing.T, ex *exercises.Exercise, task *exercises.Task, answer string, r *grader.Result) {
	t.Helper()
	for _, p := range r.Points {
		if p.Hit && !strings.Contains(answer, p.Evidence) {
			t.Errorf("%s/%s point %s: evidence %q is not in the answer", ex.ID, task.ID, p.ID, p.Evidence)
		}
	}
}

func missed(r *grader.Result) []string {
	var out []string
	for _, p := range r.Points {
		if !p.Hit {
			out = append(out, p.ID)
		}
	}
	return out
}

func hits(r *grader.Result) []string {
	var out []string
	for _, p := range r.Points {
		if p.Hit {
			out = append(out, p.ID+": "+p.Evidence)
		}
	}
	return out
}

// BenchmarkGradeBankTask grades a long model answer against a real rubric whose
// patterns expand lexicon concepts: the cost of one `drill answer`'s grading.
func BenchmarkGradeBankTask(b *testing.B) {
	bk := exercises.Load()
	ex := bk.Get("containerd-commit-writer")
	task := ex.Task("layers")
	if _, err := Grade(ex, task, task.ModelAnswer, 0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Grade(ex, task, task.ModelAnswer, 0); err != nil {
			b.Fatal(err)
		}
	}
}
