// Package markdown renders the Markdown drill writes (exercises, feedback, the
// polish section) for a terminal: headings, paragraphs, emphasis, code, lists,
// block quotes, rules and links, wrapped to a width with Chinese line-breaking
// rules, Go code highlighted, in a dark, light or colourless theme.
//
// It parses with goldmark's core parser only: goldmark's extensions, an HTML
// sanitiser and a general-purpose highlighter cost tens of milliseconds of
// package initialisation in every command, and drill's Markdown needs none of
// them.
package markdown

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	gtext "github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

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
	source := []byte(sanitize.Text(src))
	doc := newParser().Parse(gtext.NewReader(source))
	r := &renderer{src: source, p: newPalette(theme)}
	lines := prefix(r.blocks(doc, width-len(margin), 0), margin, margin)
	return strings.Join(lines, "\n")
}

// newParser is goldmark's CommonMark parser without extensions. It is built
// per call: it is cheap next to rendering, and keeps Render safe to call
// from several goroutines.
func newParser() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
}

type renderer struct {
	src []byte
	p   *palette
}

// blocks renders the children of a container, separated by a blank line
// (none between the paragraphs and sub-lists of a tight list item).
func (r *renderer) blocks(parent ast.Node, width int, base look) []string {
	var out []string
	tight := false
	if li, ok := parent.(*ast.ListItem); ok {
		if l, ok := li.Parent().(*ast.List); ok {
			tight = l.IsTight
		}
	}
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
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

func (r *renderer) block(n ast.Node, width int, base look) []string {
	switch n := n.(type) {
	case *ast.Heading:
		mark := strings.Repeat("#", n.Level) + " "
		return r.inline(n, width, base|lHeading, mark)
	case *ast.Paragraph, *ast.TextBlock:
		return r.inline(n, width, base, "")
	case *ast.ThematicBreak:
		return []string{r.p.paint(strings.Repeat("─", width), base|lMarker)}
	case *ast.Blockquote:
		return prefix(r.blocks(n, width-2, base|lQuote), r.p.paint("│ ", base|lQuote), r.p.paint("│ ", base|lQuote))
	case *ast.List:
		return r.list(n, width, base)
	case *ast.FencedCodeBlock:
		return r.code(n.Lines(), string(n.Language(r.src)), width, base)
	case *ast.CodeBlock:
		return r.code(n.Lines(), "", width, base)
	case *ast.HTMLBlock:
		// Shown as written: drill's text has no HTML to interpret, and a
		// line that looks like a tag is still something the author wrote.
		var lines []string
		seg := n.Lines()
		for i := 0; i < seg.Len(); i++ {
			line := seg.At(i)
			lines = append(lines, strings.TrimRight(string(line.Value(r.src)), "\n"))
		}
		if n.HasClosure() {
			lines = append(lines, strings.TrimRight(string(n.ClosureLine.Value(r.src)), "\n"))
		}
		return r.wrapPlain(strings.Join(lines, "\n"), width, base)
	default:
		if n.Type() == ast.TypeBlock && n.HasChildren() {
			return r.blocks(n, width, base)
		}
		return nil
	}
}

func (r *renderer) list(l *ast.List, width int, base look) []string {
	var out []string
	num := l.Start
	// Numbers are right-aligned in a column as wide as the widest, so the
	// items' text lines up.
	numWidth := 0
	if l.IsOrdered() {
		numWidth = len(strconv.Itoa(l.Start + l.ChildCount() - 1))
	}
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		var mark string
		if l.IsOrdered() {
			s := strconv.Itoa(num)
			mark = strings.Repeat(" ", numWidth-len(s)) + s + string(l.Marker) + " "
			num++
		} else {
			mark = "• "
		}
		mw := ansi.StringWidth(mark)
		body := r.blocks(item, width-mw, base)
		if len(body) == 0 {
			body = []string{""}
		}
		if len(out) > 0 && !l.IsTight {
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
func (r *renderer) code(seg *gtext.Segments, lang string, width int, base look) []string {
	var b strings.Builder
	for i := 0; i < seg.Len(); i++ {
		line := seg.At(i)
		b.Write(line.Value(r.src))
	}
	src := strings.TrimRight(expandTabs(b.String()), "\n")
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
func (r *renderer) inline(n ast.Node, width int, base look, lead string) []string {
	var t textBuf
	if lead != "" {
		t.add(lead, 0)
	}
	r.inlines(n, &t, 0)
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

func (r *renderer) inlines(parent ast.Node, t *textBuf, l look) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(r.src)
			if !c.IsRaw() {
				v = unescape(v)
			}
			t.add(string(v), l)
			switch {
			case c.HardLineBreak():
				t.add("\n", 0)
			case c.SoftLineBreak():
				t.add(" ", 0)
			}
		case *ast.String:
			v := c.Value
			if !c.IsCode() && !c.IsRaw() {
				v = unescape(v)
			}
			t.add(string(v), l)
		case *ast.CodeSpan:
			var b bytes.Buffer
			for g := c.FirstChild(); g != nil; g = g.NextSibling() {
				switch g := g.(type) {
				case *ast.Text:
					b.Write(g.Segment.Value(r.src))
				case *ast.String:
					b.Write(g.Value)
				}
			}
			code := strings.ReplaceAll(b.String(), "\n", " ")
			if r.p.theme == NoColor {
				// Without colour the backticks are what still marks code.
				code = "`" + code + "`"
			}
			t.add(code, l|lCode)
		case *ast.Emphasis:
			if c.Level >= 2 {
				r.inlines(c, t, l|lBold)
			} else {
				r.inlines(c, t, l|lItalic)
			}
		case *ast.Link:
			before := t.b.Len()
			r.inlines(c, t, l|lLink)
			label := t.b.String()[before:]
			if dest := string(c.Destination); dest != "" && dest != label {
				t.add(" ("+dest+")", l)
			}
		case *ast.AutoLink:
			t.add(string(c.URL(r.src)), l|lLink)
		case *ast.Image:
			r.inlines(c, t, l)
			if dest := string(c.Destination); dest != "" {
				t.add(" ("+dest+")", l|lLink)
			}
		case *ast.RawHTML:
			// Inline HTML is shown as written: in drill's text "<ref>" is a
			// placeholder in an error message, not a tag.
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				t.add(strings.ReplaceAll(string(seg.Value(r.src)), "\n", " "), l)
			}
		default:
			r.inlines(c, t, l)
		}
	}
}

// unescape resolves backslash escapes and character references as CommonMark
// defines them.
func unescape(v []byte) []byte {
	v = util.UnescapePunctuations(v)
	v = util.ResolveNumericReferences(v)
	return util.ResolveEntityNames(v)
}
