package llm

import (
	"regexp"
	"strings"
	"sync"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/drill-coach/drill/internal/text"
)

// Segment is one run of a word diff.
type Segment struct {
	Op   string `json:"op"` // "=", "-", "+"
	Text string `json:"text"`
}

// WordDiff diffs two texts word by word (punctuation counts as a word), so a
// change reads as whole words replaced rather than scattered letters.
func WordDiff(before, after string) []Segment {
	a, b := text.DiffUnits(before), text.DiffUnits(after)
	// go-diff diffs runes; map every distinct word to one rune, diff, map back.
	// This is diffmatchpatch's own line-mode trick applied to words.
	index := map[string]rune{}
	var words []string
	encode := func(ws []string) string {
		var sb strings.Builder
		for _, w := range ws {
			r, ok := index[w]
			if !ok {
				// Private-use runes keep the mapping clear of surrogates.
				r = rune(0xF0000 + len(words))
				index[w] = r
				words = append(words, w)
			}
			sb.WriteRune(r)
		}
		return sb.String()
	}
	ea, eb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact diff: texts are short
	// No semantic cleanup: with one rune per word it would swallow one-word
	// equalities ("seeing") into the edits around them.
	diffs := dmp.DiffMain(ea, eb, false)
	var out []Segment
	for _, d := range diffs {
		var ws []string
		for _, r := range d.Text {
			ws = append(ws, words[r-0xF0000])
		}
		op := "="
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = "-"
		case diffmatchpatch.DiffInsert:
			op = "+"
		}
		out = append(out, Segment{Op: op, Text: joinWords(ws)})
	}
	return out
}

// joinWords puts words back together with spaces, except before punctuation
// that attaches to the previous word.
func joinWords(ws []string) string {
	var sb strings.Builder
	for i, w := range ws {
		if i > 0 && !strings.ContainsAny(w[:1], ".,;:!?)]}%'’") && !strings.ContainsAny(ws[i-1], "([{") {
			sb.WriteByte(' ')
		}
		sb.WriteString(w)
	}
	return sb.String()
}

// FormatDiff renders a diff in git's --word-diff=plain style: [-removed-]{+added+}.
func FormatDiff(segs []Segment) string {
	var sb strings.Builder
	for i, s := range segs {
		if i > 0 {
			sb.WriteByte(' ')
		}
		switch s.Op {
		case "-":
			sb.WriteString("[-" + s.Text + "-]")
		case "+":
			sb.WriteString("{+" + s.Text + "+}")
		default:
			sb.WriteString(s.Text)
		}
	}
	return sb.String()
}

// hunk is one change in a diff: removed and added words side by side.
type hunk struct{ before, after string }

func hunks(segs []Segment) []hunk {
	var out []hunk
	var cur *hunk
	for _, s := range segs {
		if s.Op == "=" {
			cur = nil
			continue
		}
		if cur == nil {
			out = append(out, hunk{})
			cur = &out[len(out)-1]
		}
		if s.Op == "-" {
			cur.before = strings.TrimSpace(cur.before + " " + s.Text)
		} else {
			cur.after = strings.TrimSpace(cur.after + " " + s.Text)
		}
	}
	return out
}

// explain pairs each change of the diff with the category and reason the model
// gave for it; a change the model did not list gets drill's own guess.
func explain(segs []Segment, claimed []Change) []Change {
	var out []Change
	used := make([]bool, len(claimed))
	for _, h := range hunks(segs) {
		c := Change{Before: h.before, After: h.after}
		for i, m := range claimed {
			if !used[i] && overlaps(h, m) {
				c.Category, c.Reason, used[i] = m.Category, m.Reason, true
				break
			}
		}
		if c.Category == "" {
			c.Category, c.Reason = guess(h)
		}
		out = append(out, c)
	}
	return out
}

func overlaps(h hunk, m Change) bool {
	norm := func(s string) string { return strings.ToLower(joinWords(text.DiffUnits(s))) }
	hb, ha, mb, ma := norm(h.before), norm(h.after), norm(m.Before), norm(m.After)
	in := func(x, y string) bool {
		return x != "" && y != "" && (strings.Contains(x, y) || strings.Contains(y, x))
	}
	return in(ha, ma) || in(hb, mb)
}

var punctOnly = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[\p{P}\s]+$`)
})

func guess(h hunk) (category, reason string) {
	switch {
	case h.after == "":
		return "concision", "removed words that add nothing to the point"
	case strings.EqualFold(h.before, h.after):
		return "grammar", "capitalisation"
	case punctOnly().MatchString(h.before + h.after):
		return "grammar", "punctuation"
	case h.before == "":
		return "structure", "added words to connect the ideas"
	}
	return "word choice", "a clearer or more natural word"
}
