package grader

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/drill-coach/drill/exercises"
)

func task(t *testing.T) (*exercises.Exercise, *exercises.Task) {
	t.Helper()
	ex := &exercises.Exercise{ID: "ex", Module: "debug"}
	tk := &exercises.Task{ID: "t", TimeLimit: exercises.Duration(30 * time.Second), MaxSentences: 3,
		ModelAnswer: "model",
		Rubric: []*exercises.Point{
			{ID: "gc", Weight: 2, Concept: "GC removes unleased blobs", Say: []string{"gc|garbage collect* + lease*|protect* + commit*|ingest*"}, Hint: "lease"},
			{ID: "shared", Weight: 1, Concept: "shared writer", Say: []string{"writer* + shar*|reus*"}, Hint: "writer"},
		}}
	return ex, tk
}

func TestSplitSentences(t *testing.T) {
	in := "We saw it. GC ran in file.go at 1.5s; then\nit wrapped, e.g. here.\n- a list item here\n1. numbered one\n中文句子。Next!"
	want := []string{"We saw it.", "GC ran in file.go at 1.5s; then\nit wrapped, e.g. here.", "- a list item here", "1. numbered one", "中文句子。", "Next!"}
	got := splitSentences(in)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestConceptNeedsCoOccurrenceInOneSentence(t *testing.T) {
	ex, tk := task(t)
	apart, _ := Grade(ex, tk, "GC runs every minute on the node. We also use a lease somewhere. The commit path is old.", Options{})
	if apart.Points[0].Hit {
		t.Fatalf("terms spread over sentences counted as the concept: %+v", apart.Points[0])
	}
	together, _ := Grade(ex, tk, "GC can delete the blob because no lease protects it before the commit.", Options{})
	if !together.Points[0].Hit || together.Points[0].Evidence != "GC can delete the blob because no lease protects it before the commit." {
		t.Fatalf("stated concept missed: %+v", together.Points[0])
	}
	if together.Coverage != 67 || together.Score != 67 {
		t.Fatalf("coverage %d score %d, want 67", together.Coverage, together.Score)
	}
}

func TestPastedTermsEarnNothing(t *testing.T) {
	ex, tk := task(t)
	for _, ans := range []string{
		"gc, lease, commit, writer, shared, reuse",
		"- gc lease commit\n- writer shared\n",
		"GC lease commit writer shared reuse ingest protect garbage collect",
	} {
		r, err := Grade(ex, tk, ans, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Score != 0 || !r.HasFlag(FlagTermList) {
			t.Errorf("%q: score %d flags %v; want 0 and a term-list flag", ans, r.Score, r.Flags)
		}
	}
}

func TestFlags(t *testing.T) {
	ex, tk := task(t)
	ans := "GC can delete the blob because no lease protects it before the commit. The writer is shared by two importers. It fails. Then it fails again 真的."
	r, _ := Grade(ex, tk, ans, Options{Elapsed: 41 * time.Second})
	for _, f := range []string{FlagOverTime, FlagOverSentences, FlagNonEnglish} {
		if !r.HasFlag(f) {
			t.Errorf("missing flag %s in %+v", f, r.Flags)
		}
	}
	// 11 s over a 30 s limit costs 5+7; one sentence over a limit of 3 costs 10+13.
	if r.Coverage != 100 || r.Score != 100-12-23 {
		t.Errorf("coverage %d score %d; want 100 and 65 after penalties", r.Coverage, r.Score)
	}
	rep := "Eviction strategy matters. We need an eviction strategy for tenants. The eviction strategy must be good. Cache eviction strategy is key."
	r, _ = Grade(ex, tk, rep, Options{})
	if !r.HasFlag(FlagRepeatedKeywords) {
		t.Errorf("repetitive answer not flagged: %+v", r.Flags)
	}
}

func TestRefusals(t *testing.T) {
	ex, tk := task(t)
	for ans, want := range map[string]error{
		"   \n":                       ErrEmpty,
		"bad \xff":                    ErrEncoding,
		strings.Repeat("a", 64<<10+1): ErrTooLarge,
	} {
		if _, err := Grade(ex, tk, ans, Options{}); !errors.Is(err, want) {
			t.Errorf("got %v, want %v", err, want)
		}
	}
}

func TestFeedbackKinds(t *testing.T) {
	ex, tk := task(t)
	r, _ := Grade(ex, tk, "The writer is shared by every importer of the ref.", Options{})
	kinds := map[string]int{}
	for _, it := range r.Feedback {
		kinds[it.Kind]++
	}
	if kinds[Celebratory] != 1 || kinds[Essential] != 1 {
		t.Fatalf("feedback kinds %v: want one celebratory (shared) and one essential (gc, weight 2)", kinds)
	}
}

func BenchmarkGrade(b *testing.B) {
	ex := &exercises.Exercise{ID: "ex", Module: "debug"}
	_, tk := task(&testing.T{})
	var rubric []*exercises.Point
	for i := 0; i < 6; i++ {
		rubric = append(rubric, tk.Rubric...)
	}
	tk.Rubric = rubric
	ans := strings.Repeat("GC can delete the blob because no lease protects it before the commit. The writer is shared by two importers of one ref. ", 10)
	b.SetBytes(int64(len(ans)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Grade(ex, tk, ans, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A sentence that continues the previous one through a pronoun states the
// concept together with it; the evidence quotes both, verbatim.
func TestPronounContinuesThePreviousSentence(t *testing.T) {
	ex, tk := task(t)
	ans := "The importers write through one writer.\nIt is shared by every caller of the ref, so their bytes interleave."
	r, err := Grade(ex, tk, ans, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := r.Points[1]
	if !p.Hit || p.Evidence != ans {
		t.Fatalf("shared point = %+v; want a hit quoting both sentences", p)
	}
	// Without the pronoun the second sentence starts a new subject.
	r, _ = Grade(ex, tk, "The importers write through one writer. Callers are shared by the ref.", Options{})
	if r.Points[1].Hit {
		t.Fatalf("unrelated sentences joined: %+v", r.Points[1])
	}
}

// FuzzGrade: any text is graded without a panic, scores stay in 0..100 and every
// evidence quote is a verbatim part of the answer.
func FuzzGrade(f *testing.F) {
	f.Add("GC can delete the blob because no lease protects it before the commit.")
	f.Add("The importers write through one writer.\nIt is shared by every caller, so bytes interleave.")
	f.Add("1. e.g. writer; 中文。It shares.")
	ex, tk := task(&testing.T{})
	f.Fuzz(func(t *testing.T, answer string) {
		r, err := Grade(ex, tk, answer, Options{})
		if err != nil {
			return
		}
		if r.Score < 0 || r.Score > 100 || r.Coverage < 0 || r.Coverage > 100 {
			t.Fatalf("score %d coverage %d", r.Score, r.Coverage)
		}
		for _, p := range r.Points {
			if p.Hit && !strings.Contains(answer, p.Evidence) {
				t.Fatalf("evidence %q not in answer %q", p.Evidence, answer)
			}
		}
	})
}

// Form penalties grow with how far over the limit an answer is.
func TestFormPenaltiesScale(t *testing.T) {
	ex, tk := task(t)
	penalty := func(sentences int) int {
		ans := strings.Repeat("The writer is shared by two importers of one ref. ", sentences)
		r, _ := Grade(ex, tk, ans, Options{})
		for _, f := range r.Flags {
			if f.Code == FlagOverSentences {
				return f.Penalty
			}
		}
		return 0
	}
	if p4, p5, p16 := penalty(4), penalty(5), penalty(16); !(0 < p4 && p4 < p5 && p5 < p16 && p16 == 50) {
		t.Fatalf("over-sentence penalties 4:%d 5:%d 16:%d; want growing to 50", p4, p5, p16)
	}
}

// A connective that links nothing ("So, eviction strategy.") is not a mechanism:
// the repetition check looks at how terms are linked, not at whether "so" appears.
func TestRepeatedKeywordsLookAtLinks(t *testing.T) {
	ex, tk := task(t)
	hollow := "So, eviction strategy. Then, the eviction strategy. Because eviction strategy. The eviction strategy, again."
	r, _ := Grade(ex, tk, hollow, Options{})
	if !r.HasFlag(FlagRepeatedKeywords) {
		t.Errorf("connectives without links hid the repetition: %+v", r.Flags)
	}
	linked := "Eviction strategy matters because tenants thrash the cache. The eviction strategy drops cold entries before hot ones. " +
		"Eviction strategy changes when memory pressure rises. The eviction strategy keeps tenants apart so noisy ones lose entries first."
	r, _ = Grade(ex, tk, linked, Options{})
	if r.HasFlag(FlagRepeatedKeywords) {
		t.Errorf("an answer linking causes and effects was flagged: %+v", r.Flags)
	}
}
