package markdown_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/drill-coach/drill/exercises"
	"github.com/drill-coach/drill/grader"
	"github.com/drill-coach/drill/internal/markdown"
	"github.com/drill-coach/drill/internal/text"
	"github.com/drill-coach/drill/modules"
)

var widths = []int{40, 80, 120}

// bankMarkdown is every Markdown text drill renders from the embedded bank:
// each exercise in both languages, and the feedback on each task's model
// answer. It is built once: grading the whole bank is the slow part.
var bankMarkdown = sync.OnceValues(func() (map[string]string, error) {
	out := map[string]string{}
	for _, ex := range exercises.Load().All() {
		for _, lang := range []string{"zh", "en"} {
			out[ex.ID+"/"+lang] = modules.ExerciseMarkdown(ex, ex.AllTasks(), lang)
		}
		for _, tk := range ex.AllTasks() {
			res, err := grader.Grade(ex, tk, tk.ModelAnswer, grader.Options{})
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %w", ex.ID, tk.ID, err)
			}
			out[ex.ID+"/"+tk.ID+"/feedback"] = modules.FeedbackMarkdown(ex, tk, res)
		}
	}
	if len(out) < 100 {
		return nil, fmt.Errorf("only %d texts from the bank", len(out))
	}
	return out, nil
})

func bank(t *testing.T) map[string]string {
	t.Helper()
	m, err := bankMarkdown()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// words is the text's words run together: a word cut at a line end still
// reads the same, a lost or reordered one does not.
func words(s string) string {
	var b strings.Builder
	for _, tk := range text.Tokens(s) {
		b.WriteString(tk.Text)
	}
	return b.String()
}

// Every word of every bank text survives rendering, in order, at every width;
// no line is wider than the width; no line starts with punctuation Chinese
// does not start a line with; without colour there is not one escape
// sequence.
func TestBankRendersWhole(t *testing.T) {
	for name, md := range bank(t) {
		// A fence's language names the code; it is not shown.
		want := words(fenceInfo.ReplaceAllString(md, "```"))
		for _, w := range widths {
			themes := []markdown.Theme{markdown.NoColor}
			if w == 80 {
				// Colour changes no layout but code spans' backticks; one
				// width is enough to check it, and keeps the race run short.
				themes = append(themes, markdown.Dark)
			}
			for _, theme := range themes {
				raw := markdown.Render(md, w, theme)
				if theme == markdown.NoColor && strings.Contains(raw, "\x1b") {
					t.Fatalf("%s at %d: escape sequence without colour:\n%q", name, w, raw)
				}
				out := ansi.Strip(raw)
				if got := words(out); got != want {
					t.Fatalf("%s at %d (%s): words changed\nwant %s\ngot  %s\n%s", name, w, theme, want, got, out)
				}
				for i, l := range strings.Split(out, "\n") {
					if n := ansi.StringWidth(l); n > w {
						t.Errorf("%s at %d (%s): line %d is %d cells: %q", name, w, theme, i+1, n, l)
					}
					body := strings.TrimLeft(l, " │•")
					if r, _ := utf8.DecodeRuneInString(body); strings.ContainsRune(text.NoLineStart, r) {
						t.Errorf("%s at %d (%s): line %d starts with %q:\n%s", name, w, theme, i+1, r, out)
					}
				}
			}
		}
	}
}

var fenceInfo = regexp.MustCompile("```[a-z]+")

var ident = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// Code blocks of the bank keep every identifier whole at every width: long
// lines break between tokens, behind a continuation mark.
func TestBankCodeKeepsTokens(t *testing.T) {
	fence := regexp.MustCompile("(?s)```[a-z]*\n.*?\n```")
	blocks := 0
	wrapped := false
	for name, md := range bank(t) {
		for _, block := range fence.FindAllString(md, -1) {
			blocks++
			code := strings.TrimSuffix(block[strings.Index(block, "\n")+1:], "```")
			want := strings.Join(ident.FindAllString(code, -1), " ")
			for _, w := range widths {
				out := ansi.Strip(markdown.Render(block, w, markdown.Dark))
				wrapped = wrapped || strings.Contains(out, text.Continuation)
				got := strings.Join(ident.FindAllString(out, -1), " ")
				if got != want {
					t.Fatalf("%s at %d: identifiers changed:\n%s", name, w, out)
				}
			}
		}
	}
	if blocks == 0 || !wrapped {
		t.Fatalf("%d code blocks, wrapped: %v: the bank no longer exercises code wrapping", blocks, wrapped)
	}
}

func TestLayout(t *testing.T) {
	md := "# Title\n\nSome *soft* and **strong** text with `code` and a [link](https://example.com/x).\n\n" +
		"- one\n- two\n  - nested\n\n3. third\n4. fourth\n\n> quoted words\n\n---\n\n```\nplain code\n```\n"
	got := markdown.Render(md, 40, markdown.NoColor)
	want := strings.Join([]string{
		"  # Title",
		"",
		"  Some soft and strong text with `code`",
		"  and a link (https://example.com/x).",
		"",
		"  • one",
		"  • two",
		"    • nested",
		"",
		"  3. third",
		"  4. fourth",
		"",
		"  │ quoted words",
		"",
		"  " + strings.Repeat("─", 38),
		"",
		"    plain code",
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// In colour, emphasis, code and Go tokens are styled; the two themes differ.
func TestThemesStyle(t *testing.T) {
	md := "**strong** `code`\n\n```go\nfunc f() string { return \"s\" } // c\n```\n"
	dark, light := markdown.Render(md, 80, markdown.Dark), markdown.Render(md, 80, markdown.Light)
	if dark == light {
		t.Fatal("dark and light render alike")
	}
	for _, out := range []string{dark, light} {
		if ansi.Strip(out) == out {
			t.Fatalf("no styling:\n%q", out)
		}
		for _, word := range []string{"strong", "code", "func", "return", `"s"`, "// c"} {
			if strings.Contains(out, " "+word+" ") || !strings.Contains(ansi.Strip(out), word) {
				t.Errorf("%q is missing or unstyled:\n%q", word, out)
			}
		}
	}
	plainGo := markdown.Render(strings.Replace(md, "```go", "```text", 1), 80, markdown.Dark)
	if plainGo == dark {
		t.Error("Go code is not highlighted apart from plain code")
	}
}

// Escape sequences in the source never reach the terminal: only the theme's
// own colour sequences do.
func TestSanitises(t *testing.T) {
	md := "evil \x1b]0;title\x07 and \x1b[2J clear and \x1b[31mred\n"
	for _, theme := range []markdown.Theme{markdown.Dark, markdown.NoColor} {
		out := markdown.Render(md, 80, theme)
		for _, seq := range []string{"\x1b]", "\x1b[2J", "\x07"} {
			if strings.Contains(out, seq) {
				t.Errorf("%s: %q reached the output: %q", theme, seq, out)
			}
		}
	}
}

func TestDarkBackground(t *testing.T) {
	for _, c := range []struct {
		v        string
		dark, ok bool
	}{
		{"15;0", true, true},
		{"0;15", false, true},
		{"15;default;0", true, true},
		{"0;7", false, true},
		{"7;8", true, true},
		{"0;12", false, true},
		{"", false, false},
		{"15;default", false, false},
		{"0;255", false, false},
	} {
		dark, ok := markdown.DarkBackground(c.v)
		if dark != c.dark || ok != c.ok {
			t.Errorf("DarkBackground(%q) = %v, %v; want %v, %v", c.v, dark, ok, c.dark, c.ok)
		}
	}
}

func BenchmarkRenderExercise(b *testing.B) {
	ex := exercises.Load().All()[0]
	md := modules.ExerciseMarkdown(ex, ex.AllTasks(), "zh")
	b.ReportAllocs()
	for b.Loop() {
		markdown.Render(md, 80, markdown.Dark)
	}
}

// Whatever the source, rendering never panics, keeps every line within the
// width unless a code token is wider, and writes no escape sequence without
// colour.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# T\n\n- a\n  1. b\n\n> q *e* **s** `c` [l](u)\n\n---\n\n```go\nfunc f() {}\n```\n",
		"用不超过四句英文说明，为什么？“引号”（括号）。",
		"ref <ref> locked for <d>\n\n<div>\nx\n</div>\n",
		"\x1b[31mred\x1b]0;t\x07 \t\ttabs\n    indented code\n",
	} {
		f.Add(s, 40)
	}
	f.Fuzz(func(t *testing.T, src string, width int) {
		width = 20 + abs(width)%140
		out := markdown.Render(src, width, markdown.NoColor)
		if strings.Contains(out, "\x1b") {
			t.Fatalf("escape sequence without colour: %q", out)
		}
		if words(ansi.Strip(markdown.Render(src, width, markdown.Dark))) != words(out) {
			t.Fatalf("the themes differ in their words:\n%s", out)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
