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
	if len(clean) != 1 || clean[0].Message != "1 sentence." {
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
		"Use errgroup; cancel on first error.":       "1 sentence.",
	} {
		got := Advise(text, 0)[0].Message
		if !strings.HasPrefix(got, want) {
			t.Errorf("Advise(%q) says %q, want %q", text, got, want)
		}
		if n := grader.CountSentences(text); !strings.HasPrefix(got, fmt.Sprintf("%d sentence", n)) {
			t.Errorf("Advise(%q) says %q, the grader counts %d", text, got, n)
		}
	}
}

// The README's own example: the misspelling and the agreement error are found.
func TestAdviseFindsMisspellingAndAgreement(t *testing.T) {
	got := Advise("We was seeing intermitent failures when two importers commit.", 0)
	var all []string
	for _, a := range got {
		all = append(all, "["+a.Check+"] "+a.Message)
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{
		`[sentences] 1 sentence.`,
		`[misspelling] "intermitent" is spelled "intermittent".`,
		`[grammar] "We was": a plural subject takes "were".`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("advice:\n%s\nwant a line %q", joined, want)
		}
	}
}

func TestAgreementFindsCommonErrors(t *testing.T) {
	for text, want := range map[string]string{
		"They was restarting the pod.":                  `"They was": a plural subject takes "were"`,
		"These writers was shared by the importers.":    `"writers was": a plural subject takes "were"`,
		"There is bug in the commit path.":              `"There is bug": a singular noun needs an article: "There is a bug"`,
		"It was race condition between two importers.":  `"It was race condition": a singular noun needs an article: "It was a race condition"`,
		"This is issue.":                                `"This is an issue"`,
		"We saw 3 timeout in an hour.":                  `"3 timeout": after a number above one the noun takes -s: "3 timeouts"`,
		"Two importer committed the same layer.":        `"Two importers"`,
		"Yesterday we see the writer fail under load.":  `"we see": yesterday is past, so say "we saw"`,
		"The deploy failed yesterday and it is broken.": `"it is": yesterday is past, so say "it was"`,
	} {
		var msgs []string
		for _, a := range agreement(text) {
			msgs = append(msgs, a.Message)
		}
		if !strings.Contains(strings.Join(msgs, "\n"), want) {
			t.Errorf("agreement(%q) = %q, want one containing %q", text, msgs, want)
		}
	}
}

// Correct sentences, including the near misses each rule must leave alone.
func TestAgreementNoFalseAlarms(t *testing.T) {
	for _, text := range []string{
		"We were seeing intermittent failures when two importers commit.",
		"He was on call, and the writer was shared.",
		"If I were you, I would add a lease.",
		"There is a bug in the commit path, and there was data loss.",
		"It is time to roll back.",
		"The writer path is lock-free, and it is error-prone.",
		"This is test data from a 3-node cluster.",
		"It was a race condition between two importers.",
		"There is memory pressure on the node.",
		"We saw 3 timeouts in 1 second, then 1.5 second pauses stopped.",
		"We run 3 node pools with 1 replica each.",
		"Yesterday we saw the failure and restarted the pod.",
		"Yesterday's fix is deployed and we see no errors.",
		"It has failed since yesterday, so we see the same error.",
		"Yesterday it failed; today we run the fix.",
		"Two importers share one writer, so one closes it while the other writes.",
	} {
		if got := agreement(text); len(got) > 0 {
			t.Errorf("agreement(%q) = %+v, want none", text, got)
		}
	}
}

func TestAdviseVariantLimits(t *testing.T) {
	long := "The writer is shared. Two importers commit at once. One closes it early. The other fails."
	got := AdviseVariant(long, "pitch15")
	if got[0].Message != "4 sentences, over the limit of 3: merge or cut." {
		t.Errorf("pitch15 sentences: %q", got[0].Message)
	}
	wordy := strings.Repeat("the shared writer fails ", 11) + "now."
	found := false
	for _, a := range AdviseVariant(wordy, "pitch15") {
		if a.Check == "length" && strings.HasPrefix(a.Message, "45 words, over the pitch15 limit of about 40") {
			found = true
		}
	}
	if !found {
		t.Errorf("pitch15 words: %+v", AdviseVariant(wordy, "pitch15"))
	}
	for _, a := range AdviseVariant(wordy, "") {
		if a.Check == "length" {
			t.Errorf("no variant, yet a length warning: %q", a.Message)
		}
	}
	if got := AdviseVariant("Impact. Cause. Trigger. Fix. Prevention.", "rca")[0].Message; got != "5 sentences, within the limit of 5." {
		t.Errorf("rca: %q", got)
	}
}
