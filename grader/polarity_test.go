package grader

import (
	"errors"
	"strings"
	"testing"

	"github.com/drill-coach/drill/exercises"
)

// opening is the debug opening's shape: a shared-writer hypothesis, a GC
// hypothesis and a next step, plus one misconception.
func opening() (*exercises.Exercise, *exercises.Task) {
	ex := &exercises.Exercise{ID: "ex", Module: "debug", ScenarioEN: "Blob imports fail now and then with failed to commit writer; nobody can reproduce it locally."}
	tk := &exercises.Task{ID: "opening", ModelAnswer: "m",
		Prompt: exercises.Text{EN: "In 30 seconds tell the team what you see, what you currently believe, and what you will do next."},
		Rubric: []*exercises.Point{
			{ID: "writer", Weight: 3, Concept: "Concurrent imports share one writer.", Say: []string{"writer* + @share|@concurrent"}, Hint: "h"},
			{ID: "gc", Weight: 2, Concept: "GC removes a committed blob nothing references yet.", Say: []string{"@gc + @delete + blob*|content|commit*"}, Hint: "h"},
			{ID: "next", Weight: 3, Concept: "Trace writer lifetimes per ref.", Say: []string{"@trace|@metric + writer*|lifetime*"}, Hint: "h"},
		},
		Misconceptions: []*exercises.Misconception{
			{ID: "writer-safe", Say: []string{"writer* + safe|fine + shar*|concurren*|parallel"}, Correction: "A content.Writer is not safe for concurrent use."},
		}}
	return ex, tk
}

func statuses(r *Result) string {
	var out []string
	for _, p := range r.Points {
		out = append(out, p.ID+"="+p.Status)
	}
	return strings.Join(out, " ")
}

func TestDenialContradictsThePoint(t *testing.T) {
	ex, tk := opening()
	r, err := Grade(ex, tk, "It is definitely not a shared writer and GC is not involved. I will not trace writer lifetimes.", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(r); got != "writer=contradicted gc=missed next=contradicted" {
		t.Fatalf("statuses %s", got)
	}
	if r.Score != 0 {
		t.Errorf("score %d, want 0", r.Score)
	}
	named := false
	for _, it := range r.Feedback {
		if it.Kind == Essential && strings.Contains(it.Text, "You denied") && strings.Contains(it.Text, "not a shared writer") {
			named = true
		}
	}
	if !named {
		t.Errorf("feedback does not name the contradiction: %+v", r.Feedback)
	}
}

func TestPolarityKeepsTrueStatements(t *testing.T) {
	ex, tk := opening()
	for ans, want := range map[string]string{
		// The denial is about GC, the lease is stated: the point stands.
		"Two imports of the same blob share one writer, so one closes it while the other still writes.": "writer=hit",
		"Ten goroutines importing the same ref at once end up with one writer handed to all of them.":   "writer=hit",
		"The writer is not safe to share, yet ten importers use it in parallel.":                        "writer=hit",
		"The cleanup job deletes the finished blob because nothing holds a reference to it yet.":        "gc=hit",
		"I will count active writers per ref in a metric.":                                              "next=hit",
		"Not only is the writer shared, the commits also overlap.":                                      "writer=hit",
		"I'd confirm or rule out a shared writer by tracing each writer's lifetime.":                    "next=hit",
	} {
		r, err := Grade(ex, tk, ans, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(statuses(r), want) {
			t.Errorf("%q: %s, want %s", ans, statuses(r), want)
		}
	}
}

func TestDismissalsDeny(t *testing.T) {
	ex, tk := opening()
	for _, ans := range []string{
		"A shared writer is harmless here.",
		"The writer is shared, but that is harmless.",
		"There is no need to trace writer lifetimes.",
		"We can rule out writers being shared by the importers.",
	} {
		r, _ := Grade(ex, tk, ans, Options{})
		for _, p := range r.Points {
			if p.Hit {
				t.Errorf("%q: %s earned %s", ans, statuses(r), p.ID)
			}
		}
	}
}

func TestMisconceptionCostsAndVoidsItsSentence(t *testing.T) {
	ex, tk := opening()
	wrong := "Sharing one writer between concurrent importers is safe because the writer serialises writes internally. I will trace writer lifetimes to confirm."
	r, _ := Grade(ex, tk, wrong, Options{})
	if len(r.Misconceptions) != 1 || r.Misconceptions[0].ID != "writer-safe" {
		t.Fatalf("misconceptions %+v", r.Misconceptions)
	}
	if r.Points[0].Hit {
		t.Errorf("the misconception's sentence earned the writer point: %+v", r.Points[0])
	}
	if !r.Points[2].Hit || r.Score != 38-misconceptionPenalty {
		t.Errorf("score %d (%s), want the next-step point minus the misconception", r.Score, statuses(r))
	}
	if r.Feedback[0].Kind != Essential || !strings.Contains(r.Feedback[0].Text, "not safe for concurrent use") {
		t.Errorf("first feedback item %+v, want the correction", r.Feedback[0])
	}
	// Denying the misconception is a correct claim.
	r, _ = Grade(ex, tk, "Sharing one writer between concurrent importers is not safe at all.", Options{})
	if len(r.Misconceptions) != 0 {
		t.Errorf("denied misconception counted: %+v", r.Misconceptions)
	}
}

func TestEchoEarnsNothing(t *testing.T) {
	ex, tk := opening()
	tk.Rubric = append(tk.Rubric, &exercises.Point{ID: "symptom", Weight: 2, Concept: "c", Say: []string{"fail* + reproduc*"}, Hint: "h"})
	r, _ := Grade(ex, tk, "Blob imports fail now and then with failed to commit writer; nobody can reproduce it locally.", Options{})
	if r.Score != 0 {
		t.Fatalf("the scenario pasted back scores %d (%s)", r.Score, statuses(r))
	}
	if !Echoes(ex, tk, tk.Prompt.EN) || Echoes(ex, tk, "Two importers share one writer and the second commit fails.") {
		t.Fatal("Echoes misjudges the prompt or a fresh sentence")
	}
}

func TestPronounCarriesOnlyWhenItHoldsATerm(t *testing.T) {
	ex, tk := opening()
	// The second sentence is about the symptom, not the writer: no joining.
	r, _ := Grade(ex, tk, "Importers share it across the ref.\nIt fails intermittently on the writer.", Options{})
	if r.Points[0].Hit && !strings.Contains(r.Points[0].Evidence, "share") {
		t.Fatalf("evidence %q", r.Points[0].Evidence)
	}
	r, _ = Grade(ex, tk, "We saw intermittent failures during imports last night.\nThey come from one writer shared by two importers.", Options{})
	if ev := r.Points[0].Evidence; ev != "They come from one writer shared by two importers." {
		t.Fatalf("evidence %q, want only the sentence that says it", ev)
	}
}

func TestChineseWordsAreNotTerms(t *testing.T) {
	ex, tk := opening()
	r, _ := Grade(ex, tk, "我们的 writer 被共享了，这是问题所在。", Options{})
	if r.Points[0].Hit {
		t.Fatalf("a Chinese sentence earned %+v", r.Points[0])
	}
}

func TestClaimAMissedPoint(t *testing.T) {
	ex, tk := opening()
	ans := "Two importers share one writer. I'll watch how long each one lives from open to close."
	r, _ := Grade(ex, tk, ans, Options{})
	before := r.Score
	if r.Points[2].Status != StatusMissed {
		t.Fatalf("next-step point %+v, want missed for this test", r.Points[2])
	}
	if err := Claim(r, ans, "next", 2); err != nil {
		t.Fatal(err)
	}
	p := r.Points[2]
	if p.Status != StatusClaimed || p.Source != "self" || p.Evidence != "I'll watch how long each one lives from open to close." || r.Score <= before {
		t.Fatalf("after the claim: %+v score %d (before %d)", p, r.Score, before)
	}
	found := false
	for _, it := range r.Feedback {
		found = found || strings.Contains(it.Text, "(self-assessed)")
	}
	if !found {
		t.Errorf("a claimed point is not shown as self-assessed: %+v", r.Feedback)
	}
	for _, bad := range []struct {
		id string
		n  int
	}{{"next", 1}, {"writer", 1}, {"nope", 1}, {"gc", 3}} {
		if err := Claim(r, ans, bad.id, bad.n); !errors.Is(err, ErrClaim) {
			t.Errorf("claim %s=%d: %v, want ErrClaim", bad.id, bad.n, err)
		}
	}
}

// A wrong belief is stated only when every part of it is affirmed: a sentence
// that denies it and gives a reason does not state it.
func TestMisconceptionNeedsEveryPartAffirmed(t *testing.T) {
	ex, tk := opening()
	tk.Misconceptions = append(tk.Misconceptions,
		&exercises.Misconception{ID: "clock", Say: []string{"clock skew|clock + client*"}, Correction: "c"},
		&exercises.Misconception{ID: "leaf-only", Say: []string{"only + leaf"}, Correction: "c"})
	for ans, want := range map[string]string{
		"It is not client clock skew, because every client failed at the same second.": "",
		"Clients check not only the leaf but every certificate in the chain.":          "",
		"The client clock skew explains every failure we saw.":                         "clock",
		"Clients only check the leaf certificate, so the root does not matter.":        "leaf-only",
	} {
		r, _ := Grade(ex, tk, ans, Options{})
		var got []string
		for _, m := range r.Misconceptions {
			got = append(got, m.ID)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%q: misconceptions %v, want %q", ans, got, want)
		}
	}
}
