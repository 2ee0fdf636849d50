package modules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

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

// rubricTerms pastes every term of every say pattern as one comma-separated list.
func rubricTerms(task *exercises.Task) string {
	var terms []string
	for _, p := range task.Rubric {
		for _, s := range p.Say {
			for _, g := range strings.Split(s, "+") {
				for _, alt := range strings.Split(g, "|") {
					terms = append(terms, strings.TrimSuffix(strings.TrimSpace(alt), "*"))
				}
			}
		}
	}
	return strings.Join(terms, ", ")
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
				list := grade(t, ex, task, rubricTerms(task))
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

// calibration holds the hand-written answers of one exercise, per task id.
type calibration map[string]struct {
	Strong   string `yaml:"strong"`
	Partial  string `yaml:"partial"`
	Vague    string `yaml:"vague"`
	OffTopic string `yaml:"off_topic"`
}

// TestCalibration checks that the grader ranks hand-written answers the way a
// strong interviewer would, for every task of the bank.
func TestCalibration(t *testing.T) {
	b := bank(t)
	for _, ex := range b.All() {
		path := filepath.Join("..", "exercises", ex.Module, ex.ID+".calib.yaml")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no calibration answers: %v", ex.ID, err)
			continue
		}
		var cal calibration
		if err := yaml.UnmarshalWithOptions(data, &cal, yaml.DisallowUnknownField()); err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		for _, task := range ex.AllTasks() {
			t.Run(ex.ID+"/"+task.ID, func(t *testing.T) {
				c, ok := cal[task.ID]
				if !ok || c.Strong == "" || c.Partial == "" || c.Vague == "" || c.OffTopic == "" {
					t.Fatalf("%s: task %s needs strong, partial, vague and off_topic answers", path, task.ID)
				}
				strong := grade(t, ex, task, c.Strong)
				partial := grade(t, ex, task, c.Partial)
				vague := grade(t, ex, task, c.Vague)
				off := grade(t, ex, task, c.OffTopic)
				list := grade(t, ex, task, rubricTerms(task))
				if strong.Score < 85 {
					t.Errorf("strong scores %d, want >= 85; missed %v", strong.Score, missed(strong))
				}
				if !(strong.Score > partial.Score && partial.Score > vague.Score && vague.Score >= off.Score) {
					t.Errorf("want strong > partial > vague >= off-topic, got %d > %d > %d >= %d",
						strong.Score, partial.Score, vague.Score, off.Score)
				}
				if vague.Score > 50 {
					t.Errorf("vague scores %d, want <= 50; hit %v", vague.Score, hits(vague))
				}
				if off.Score > 15 {
					t.Errorf("off-topic scores %d, want <= 15", off.Score)
				}
				if 2*list.Score > strong.Score {
					t.Errorf("rubric terms as a list score %d, more than half of strong's %d", list.Score, strong.Score)
				}
			})
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
