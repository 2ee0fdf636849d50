package ui

import (
	"image/color"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/drill-coach/drill/internal/text"
)

// Chinese wraps between characters, but never puts ，。：； and the like at the
// start of a line; nothing is lost and nothing overflows.
func TestChineseWrapKeepsPunctuation(t *testing.T) {
	c := New(testDeps(t)).c
	md := "用不超过四句英文说明，为什么共享的 writer 会在 commit 时失败？这一段中文故意写得很长，用来检查在八十列的终端里中文能否正确换行，而不会溢出屏幕边缘。再来一句：标点符号，逗号，句号。冒号：分号；结束。"
	for w := 20; w <= 80; w++ {
		out := ansi.Strip(c.renderMarkdown(md, w))
		for i, l := range strings.Split(out, "\n") {
			if n := ansi.StringWidth(l); n > w {
				t.Errorf("width %d: line %d is %d cells: %q", w, i+1, n, l)
			}
			body := []rune(strings.TrimLeft(l, " "))
			if i > 0 && len(body) > 0 && strings.ContainsRune(text.NoLineStart, body[0]) {
				t.Errorf("width %d: line %d starts with %q:\n%s", w, i+1, body[0], out)
			}
		}
		if got := strings.Join(strings.Fields(out), ""); got != strings.Join(strings.Fields(md), "") {
			t.Errorf("width %d: text changed:\n%s", w, out)
		}
	}
}

// Code in review tasks wraps at token boundaries with a continuation mark,
// never inside an identifier.
func TestCodeWrapsAtTokens(t *testing.T) {
	c := New(testDeps(t)).c
	code := "func (s *TransferService) getOrCreateWriter(ctx context.Context, ref string, expectedSize int64, expected digest.Digest) (content.Writer, error) {\n\treturn nil, nil\n}"
	ident := regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	for _, w := range []int{40, 60, 80} {
		out := ansi.Strip(c.renderMarkdown("```go\n"+code+"\n```\n", w))
		checkFits(t, out, w, 1000)
		if !strings.Contains(out, "↪") {
			t.Errorf("width %d: no continuation mark:\n%s", w, out)
		}
		got := ident.FindAllString(strings.ReplaceAll(out, "↪", " "), -1)
		want := ident.FindAllString(code, -1)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("width %d: identifiers cut:\n%s", w, out)
		}
	}
}

// With theme auto the terminal's background decides; a configured dark or
// light theme stays whatever the terminal answers.
func TestThemeSetting(t *testing.T) {
	white := tea.BackgroundColorMsg{Color: color.White}
	for _, c := range []struct {
		theme    string
		wantDark bool
	}{{"auto", false}, {"", false}, {"dark", true}, {"light", false}} {
		d := testDeps(t)
		d.Theme = c.theme
		m := New(d)
		m.Update(white)
		if m.c.st.Dark != c.wantDark {
			t.Errorf("theme %q on a white terminal: dark = %v, want %v", c.theme, m.c.st.Dark, c.wantDark)
		}
	}
	d := testDeps(t)
	d.Theme = "light"
	m := New(d)
	m.Update(tea.BackgroundColorMsg{Color: color.Black})
	if m.c.st.Dark {
		t.Error("theme light turned dark on a black terminal")
	}
}
