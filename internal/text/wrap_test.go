package text

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Chinese wraps between characters, never puts ，。：； and the like at the
// start of a line nor “（ at the end of one; nothing is lost and nothing
// overflows.
func TestWrapChinese(t *testing.T) {
	s := "用不超过四句英文说明，为什么共享的 writer 会在 commit 时失败？这一段中文故意写得很长，用来检查在八十列的终端里中文能否正确换行，而不会溢出屏幕边缘。再来一句：标点符号，逗号，句号。冒号：分号；结束。引号“里面”和括号（里面）。"
	for w := 6; w <= 80; w++ {
		var got []string
		for i, l := range Wrap(s, w) {
			line := s[l.Start:l.End]
			got = append(got, line)
			if n := ansi.StringWidth(line); n > w {
				t.Errorf("width %d: line %d is %d cells: %q", w, i+1, n, line)
			}
			r := []rune(line)
			if i > 0 && strings.ContainsRune(NoLineStart, r[0]) {
				t.Errorf("width %d: line %d starts with %q", w, i+1, r[0])
			}
			if strings.ContainsRune(NoLineEnd, r[len(r)-1]) {
				t.Errorf("width %d: line %d ends with %q", w, i+1, r[len(r)-1])
			}
		}
		if strings.ReplaceAll(strings.Join(got, ""), " ", "") != strings.ReplaceAll(s, " ", "") {
			t.Errorf("width %d: text changed: %q", w, got)
		}
	}
}

func TestWrapWords(t *testing.T) {
	got := func(s string, w int) []string {
		var out []string
		for _, l := range Wrap(s, w) {
			out = append(out, s[l.Start:l.End])
		}
		return out
	}
	for _, c := range []struct {
		s    string
		w    int
		want []string
	}{
		{"the quick brown fox", 10, []string{"the quick", "brown fox"}},
		{"a\nb c", 10, []string{"a", "b c"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"two leaders …", 12, []string{"two", "leaders …"}},
		{"", 10, []string{""}},
	} {
		if g := got(c.s, c.w); strings.Join(g, "|") != strings.Join(c.want, "|") {
			t.Errorf("Wrap(%q, %d) = %q, want %q", c.s, c.w, g, c.want)
		}
	}
}

// Code wraps at token boundaries with a continuation mark, never inside an
// identifier, and no piece is wider than the room.
func TestWrapCode(t *testing.T) {
	line := "func (s *TransferService) getOrCreateWriter(ctx context.Context, ref string, expectedSize int64, expected digest.Digest) (content.Writer, error) {"
	ident := regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	for _, w := range []int{30, 40, 60, 80} {
		pieces, cont := WrapCode(line, w)
		if len(pieces) < 2 || !strings.Contains(cont, Continuation) {
			t.Fatalf("width %d: not wrapped: %v %q", w, pieces, cont)
		}
		var b []string
		for i, p := range pieces {
			s := line[p.Start:p.End]
			room := w
			if i > 0 {
				room -= ansi.StringWidth(cont)
			}
			if ansi.StringWidth(s) > room {
				t.Errorf("width %d: piece %q is wider than %d", w, s, room)
			}
			b = append(b, s)
		}
		if g, want := ident.FindAllString(strings.Join(b, " "), -1), ident.FindAllString(line, -1); strings.Join(g, " ") != strings.Join(want, " ") {
			t.Errorf("width %d: identifiers cut: %q", w, b)
		}
	}
}
