// Package markdown renders the Markdown drill writes (exercises, feedback, the
// polish section) for a terminal: headings, paragraphs, emphasis, code, lists,
// block quotes, rules and links, wrapped to a width with Chinese line-breaking
// rules, Go code highlighted, in a dark, light or colourless theme.
//
// It parses with its own small CommonMark parser (parse.go, inline.go): a
// general-purpose Markdown library, its HTML entity tables and its regular
// expressions would be built at start-up by every command, --help included,
// and drill's Markdown needs none of them.
package markdown

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/drill-coach/drill/internal/sanitize"
	"github.com/drill-coach/drill/internal/text"
)

// minWidth is the narrowest layout rendered; below it nested blocks would have
// no room left for their text.
const minWidth = 20

// margin sets the text off the terminal's left edge, where it is hard to read.
const margin = "  "

// Render renders src at most width cells wide in theme, two cells in from the
// left edge. The source is sanitised first, so the only escape sequences in
// the result are the theme's own; NoColor output has none.
func Render(src string, width int, theme Theme) string {
	width = max(minWidth, width)
	doc := parse(sanitize.Text(src))
	r := &renderer{p: newPalette(theme)}
	lines := prefix(r.blocks(doc, false, width-len(margin), 0), margin, margin)
	return strings.Join(lines, "\n")
}

type renderer struct {
	p *palette
}

// blocks renders a container's blocks, separated by a blank line (none
// between the paragraphs and sub-lists of a tight list's item).
func (r *renderer) blocks(kids []*block, tight bool, width int, base look) []string {
	var out []string
	for _, c := range kids {
		b := r.block(c, width, base)
		if b == nil {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, "")
		}
		out = append(out, b...)
	}
	return out
}

func (r *renderer) block(n *block, width int, base look) []string {
	switch n.kind {
	case kHeading:
		mark := strings.Repeat("#", n.level) + " "
		return r.inline(n.text, width, base|lHeading, mark)
	case kParagraph:
		return r.inline(n.text, width, base, "")
	case kRule:
		return []string{r.p.paint(strings.Repeat("─", width), base|lMarker)}
	case kQuote:
		return prefix(r.blocks(n.kids, false, width-2, base|lQuote), r.p.paint("│ ", base|lQuote), r.p.paint("│ ", base|lQuote))
	case kList:
		return r.list(n, width, base)
	case kCode:
		return r.code(n.lines, n.lang, width, base)
	case kHTML:
		// Shown as written: drill's text has no HTML to interpret, and a
		// line that looks like a tag is still something the author wrote.
		return r.wrapPlain(strings.Join(n.lines, "\n"), width, base)
	}
	return nil
}

func (r *renderer) list(l *block, width int, base look) []string {
	var out []string
	num := l.start
	// Numbers are right-aligned in a column as wide as the widest, so the
	// items' text lines up.
	numWidth := 0
	if l.ordered {
		numWidth = len(strconv.Itoa(l.start + len(l.kids) - 1))
	}
	for _, item := range l.kids {
		var mark string
		if l.ordered {
			s := strconv.Itoa(num)
			mark = strings.Repeat(" ", numWidth-len(s)) + s + string(l.delim) + " "
			num++
		} else {
			mark = "• "
		}
		mw := ansi.StringWidth(mark)
		body := r.blocks(item.kids, l.tight, width-mw, base)
		if len(body) == 0 {
			body = []string{""}
		}
		if len(out) > 0 && !l.tight {
			out = append(out, "")
		}
		out = append(out, prefix(body, r.p.paint(mark, base|lMarker), strings.Repeat(" ", mw))...)
	}
	return out
}

// prefix puts first before the first line and rest before every other one;
// empty lines get no trailing spaces.
func prefix(lines []string, first, rest string) []string {
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" && strings.TrimSpace(ansi.Strip(p)) == "" {
			continue
		}
		lines[i] = p + l
	}
	return lines
}

// code renders a code block two cells in, each line wrapped at token
// boundaries with a continuation mark; Go is highlighted.
func (r *renderer) code(lines []string, lang string, width int, base look) []string {
	src := strings.TrimRight(expandTabs(strings.Join(lines, "\n")), "\n")
	var spans []span
	if isGo(lang) && r.p.theme != NoColor {
		spans = goSpans(src)
	}
	room := width - 2
	var out []string
	off := 0
	for _, line := range strings.Split(src, "\n") {
		pieces, cont := text.WrapCode(line, room)
		for i, pc := range pieces {
			var lb strings.Builder
			lb.WriteString("  ")
			if i > 0 {
				lb.WriteString(r.p.paint(cont, base|lMarker))
			}
			lb.WriteString(r.styled(line[pc.Start:pc.End], off+pc.Start, spans, base|lCodeBlock))
			out = append(out, strings.TrimRight(lb.String(), " "))
		}
		off += len(line) + 1
	}
	return out
}

func isGo(lang string) bool {
	lang = strings.ToLower(strings.TrimSpace(lang))
	return lang == "go" || lang == "golang"
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

// span is a byte range of a text in one look.
type span struct {
	start, end int
	look       look
}

// styled paints s, which starts at byte off of the text spans describe; bytes
// no span covers are painted in base.
func (r *renderer) styled(s string, off int, spans []span, base look) string {
	if r.p.theme == NoColor {
		return s
	}
	var b strings.Builder
	pos := 0
	for _, sp := range spans {
		a, z := sp.start-off, sp.end-off
		if z <= pos || a >= len(s) {
			continue
		}
		a, z = max(a, pos), min(z, len(s))
		b.WriteString(r.p.paint(s[pos:a], base))
		b.WriteString(r.p.paint(s[a:z], base|sp.look))
		pos = z
	}
	b.WriteString(r.p.paint(s[pos:], base))
	return b.String()
}

// inline renders the inline content of a paragraph or heading, wrapped to
// width, with lead (a heading's marks) before it.
func (r *renderer) inline(src string, width int, base look, lead string) []string {
	var t textBuf
	if lead != "" {
		t.add(lead, 0)
	}
	r.inlines(parseInline(src), &t, 0)
	s := strings.TrimRight(t.b.String(), " \n")
	var out []string
	for _, l := range text.Wrap(s, width) {
		out = append(out, r.styled(s[l.Start:l.End], l.Start, t.spans, base))
	}
	return out
}

// wrapPlain wraps s with no inline styling.
func (r *renderer) wrapPlain(s string, width int, base look) []string {
	var out []string
	for _, l := range text.Wrap(s, width) {
		out = append(out, r.p.paint(s[l.Start:l.End], base))
	}
	return out
}

// textBuf collects a paragraph's text and the looks of its pieces.
type textBuf struct {
	b     strings.Builder
	spans []span
}

func (t *textBuf) add(s string, l look) {
	start := t.b.Len()
	t.b.WriteString(s)
	if l != 0 && s != "" {
		t.spans = append(t.spans, span{start, t.b.Len(), l})
	}
}

func (r *renderer) inlines(nodes []*inode, t *textBuf, l look) {
	for _, c := range nodes {
		switch c.kind {
		case iText:
			t.add(c.text, l)
		case iDelim:
			t.add(strings.Repeat(string(c.delim), c.n), l)
		case iHardBreak:
			t.add("\n", 0)
		case iSoftBreak:
			t.add(" ", 0)
		case iCode:
			code := c.text
			if r.p.theme == NoColor {
				// Without colour the backticks are what still marks code.
				code = "`" + code + "`"
			}
			t.add(code, l|lCode)
		case iStrong:
			r.inlines(c.kids, t, l|lBold)
		case iEmph:
			r.inlines(c.kids, t, l|lItalic)
		case iLink:
			before := t.b.Len()
			r.inlines(c.kids, t, l|lLink)
			label := t.b.String()[before:]
			if dest := c.text; dest != "" && dest != label {
				t.add(" ("+dest+")", l)
			}
		}
	}
}
