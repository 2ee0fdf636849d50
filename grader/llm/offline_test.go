package llm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/drill-coach/drill/grader"
)

func TestAdvise(t *testing.T) {
	text := "Basically we saw the the commit fail. The commit failed because the commit writer was shared, " +
		"you know. 我们 see it occured again under load. The commit path needs a lease."
	got := map[string]string{}
	for _, a := range Advise(text, 3) {
		got[a.Check] += a.Message + " | "
	}
	for check, want := range map[string]string{
		"sentences":   "4 sentences, over the limit of 3",
		"non-english": `"我们"`,
		"misspelling": `"occured" is spelled "occurred"`,
		"filler":      `"basically" ×1`,
		"repetition":  `"commit" ×4`,
	} {
		if !strings.Contains(got[check], want) {
			t.Errorf("%s: %q, want it to contain %q", check, got[check], want)
		}
	}
	if !strings.Contains(got["repetition"], `Doubled word: "the the"`) || !strings.Contains(got["filler"], `"you know"`) {
		t.Errorf("repetition/filler: %v", got)
	}

	clean := Advise("Two importers share one writer, so one closes it while the other writes.", 0)
	if len(clean) != 1 || clean[0].Message != "1 sentences." {
		t.Errorf("a clean sentence got advice: %+v", clean)
	}
}

func TestWordDiffAndGuesses(t *testing.T) {
	segs := WordDiff("We just basically restart the pod, then it works.", "We restart the pod, and it works.")
	if got := FormatDiff(segs); got != "We [-just basically-] restart the pod, [-then-] {+and+} it works." {
		t.Fatalf("diff = %q", got)
	}
	ch := explain(segs, nil)
	if len(ch) != 2 || ch[0].Category != "concision" || ch[1].Category != "word choice" {
		t.Fatalf("changes = %+v", ch)
	}
	if got := explain(WordDiff("it works", "It works."), nil); len(got) != 2 || got[0].Category != "grammar" || got[1].Category != "grammar" {
		t.Fatalf("capitalisation and punctuation: %+v", got)
	}
}

var benchText = strings.Repeat("We was seeing intermitent failures when two importers commit the same layer at once, "+
	"because basically they share one writer and the the garbage collector runs before the blob is protected by a lease. ", 5)

func BenchmarkWordDiff(b *testing.B) {
	polished := strings.ReplaceAll(strings.ReplaceAll(benchText, "We was", "We were"), "basically ", "")
	for b.Loop() {
		WordDiff(benchText, polished)
	}
}

func BenchmarkAdvise(b *testing.B) {
	for b.Loop() {
		Advise(benchText, 5)
	}
}

func BenchmarkValidate(b *testing.B) {
	_, task := testTask()
	answer := "Two importers share one writer for the same ref, so one closes it while the other still writes."
	reply := gradeReply([]PointAssessment{
		{ID: "shared-writer", Verdict: Entailed, Evidence: "Two importers share one writer for the same ref"},
		{ID: "lease", Verdict: Absent},
	}, []grader.Item{}, false)
	for b.Loop() {
		if _, err := validate(task, answer, reply); err != nil {
			b.Fatal(err)
		}
	}
}

// The offline advice counts sentences as the grader (and so the editor's
// counter) does: an abbreviation does not end a sentence, a semicolon joins
// clauses of one.
func TestAdviseCountsSentencesLikeTheGrader(t *testing.T) {
	for text, want := range map[string]string{
		"We saw it, e.g. on node 3. Then it failed.": "2 sentences",
		"Use errgroup; cancel on first error.":       "1 sentences",
	} {
		got := Advise(text, 0)[0].Message
		if !strings.HasPrefix(got, want) {
			t.Errorf("Advise(%q) says %q, want %q", text, got, want)
		}
		if n := grader.CountSentences(text); !strings.HasPrefix(got, fmt.Sprintf("%d sentences", n)) {
			t.Errorf("Advise(%q) says %q, the grader counts %d", text, got, n)
		}
	}
}
