package exercises

import (
	"strings"
	"testing"
)

const valid = `---
id: tiny
module: review
title: Tiny
level: 1
tasks:
  - id: review
    title: Review it
    time_limit: 45s
    max_sentences: 3
    prompt:
      zh: 评审这段代码。
      en: Review this code.
    rubric:
      - id: leak
        weight: 2
        concept: The body is never closed.
        say: ["body + clos*|leak*"]
        hint: Look at resp.Body.
    model_answer: The response body is never closed, so connections leak.
    variants:
      - id: pr3
        title: Three lines
        prompt: {zh: 三行。, en: Three lines.}
        rubric:
          - {id: leak, weight: 1, concept: Leak., say: ["body + clos*"], hint: Body.}
        model_answer: Close the body.
---
场景
<!-- en -->
Scenario
`

func TestParseValid(t *testing.T) {
	ex, probs := Parse("tiny.md", []byte(valid))
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if ex.ScenarioZH != "场景" || ex.ScenarioEN != "Scenario" {
		t.Fatalf("scenario zh=%q en=%q", ex.ScenarioZH, ex.ScenarioEN)
	}
	tk := ex.Task("")
	if tk.ID != "review" || tk.TimeLimit.Seconds() != 45 || tk.MaxSentences != 3 || tk.Lang() != "en" {
		t.Fatalf("task = %+v", tk)
	}
	v := ex.Task("pr3")
	if v == nil || v.Kind != "variant" || v.Parent != "review" {
		t.Fatalf("variant = %+v", v)
	}
	if got := len(ex.AllTasks()); got != 2 {
		t.Fatalf("AllTasks = %d", got)
	}
}

func TestParseProblemsCarryLines(t *testing.T) {
	cases := []struct {
		name, edit, want string
	}{
		{"module", "module: review", "tiny.md:3: module \"cooking\" is not one of debug, review, expression, design"},
		{"say", `say: ["body + clos*|leak*"]`, "tiny.md:18: say pattern \"body + \" has an empty alternative"},
		{"weight", "weight: 2", "tiny.md:16: rubric point \"leak\" needs a positive weight"},
		{"yaml", "title: Review it", "tiny.md:9: ',' or ']' must be specified"},
		{"unknown field", "max_sentences: 3", "tiny.md:10: unknown field \"max_sentence\""},
	}
	repl := map[string]string{
		"module":        "module: cooking",
		"say":           `say: ["body + "]`,
		"weight":        "weight: 0",
		"yaml":          "title: [Review it",
		"unknown field": "max_sentence: 3",
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(valid, c.edit, repl[c.name], 1)
			_, probs := Parse("tiny.md", []byte(src))
			var all []string
			for _, p := range probs {
				all = append(all, p.String())
			}
			got := strings.Join(all, "\n")
			if !strings.Contains(got, c.want) {
				t.Fatalf("problems:\n%s\nwant one containing %q", got, c.want)
			}
		})
	}
}

func TestParseRejectsBadFiles(t *testing.T) {
	for name, src := range map[string]string{
		"no front matter": "just text",
		"unclosed":        "---\nid: x\n",
		"bad utf8":        "---\nid: x\n\xff\n---\n",
	} {
		ex, probs := Parse("f.md", []byte(src))
		if ex != nil || len(probs) != 1 || probs[0].Line == 0 {
			t.Errorf("%s: ex=%v probs=%v", name, ex, probs)
		}
	}
	_, probs := Parse("f.md", []byte("---\nid: x\n\xff\n---\n"))
	if probs[0].Line != 3 {
		t.Errorf("bad utf8 reported at line %d, want 3", probs[0].Line)
	}
}

func TestEmbeddedBankIsClean(t *testing.T) {
	b := Load()
	for _, p := range b.Problems {
		t.Error(p)
	}
	seen := map[string]bool{}
	for _, ex := range b.All() {
		seen[ex.Module] = true
	}
	for _, m := range ModuleNames() {
		if !seen[m] {
			t.Errorf("no %s exercises in the bank", m)
		}
	}
}

func TestOverlayReplacesByID(t *testing.T) {
	dir := t.TempDir()
	b := Load()
	orig := b.All()[0]
	src := strings.Replace(valid, "id: tiny", "id: "+orig.ID, 1)
	writeFile(t, dir+"/mine.md", src)
	b = Load(dir)
	got := b.Get(orig.ID)
	if got == nil || !got.User || got.Title != "Tiny" {
		t.Fatalf("overlay did not replace %s: %+v", orig.ID, got)
	}
	if len(b.All()) != len(Load().All()) {
		t.Fatalf("overlay changed the count")
	}
}

func TestSuggest(t *testing.T) {
	b := Load()
	id := b.All()[0].ID
	typo := id[:len(id)-1]
	s := b.Suggest(typo)
	if len(s) == 0 || s[0] != id {
		t.Fatalf("Suggest(%q) = %v, want %s first", typo, s, id)
	}
	if s := b.Suggest("zzzzzzzzzzzzzzzzzzzzzzzzzzzzz"); len(s) != 0 {
		t.Fatalf("nonsense got suggestions %v", s)
	}
}

func TestWordMatches(t *testing.T) {
	p, err := CompilePattern("writer + commit* | garbage collect*")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) != 2 || len(p.Groups[1]) != 2 || len(p.Groups[1][1].Words) != 2 {
		t.Fatalf("groups = %+v", p.Groups)
	}
	w := Word{Text: "writer", Stem: Stem("writer")}
	for tok, want := range map[string]bool{"writer": true, "writers": true, "rewriter": false, "writ": false} {
		if w.Matches(tok, Stem(tok)) != want {
			t.Errorf("writer matches %q = %v", tok, !want)
		}
	}
	for word, toks := range map[string][]string{
		"policy":  {"policies"},
		"retry":   {"retries", "retried", "retrying"},
		"copy":    {"copying", "copied"},
		"cache":   {"caches", "cached", "caching"},
		"stop":    {"stopped", "stopping"},
		"lease":   {"leased", "leases"},
		"rewrite": {"rewrites", "rewriting"},
	} {
		for _, tok := range toks {
			if !(Word{Text: word, Stem: Stem(word)}).Matches(tok, Stem(tok)) {
				t.Errorf("%s should match %s", word, tok)
			}
		}
	}
	for word, tok := range map[string]string{"lease": "leash", "gc": "gcc", "log": "logic"} {
		if (Word{Text: word, Stem: Stem(word)}).Matches(tok, Stem(tok)) {
			t.Errorf("%s should not match %s", word, tok)
		}
	}
	if got := Tokenize("activeWriters map, writeCommit() 中文!"); strings.Join(got, " ") != "activewriters map writecommit 中 文" {
		t.Errorf("Tokenize = %v", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("---\nid: [\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, probs := Parse("fuzz.md", data)
		if ex == nil && len(probs) == 0 {
			t.Fatal("nil exercise without a problem")
		}
		for _, p := range probs {
			if p.Msg == "" {
				t.Fatal("problem without message")
			}
		}
	})
}
