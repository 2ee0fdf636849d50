package markdown

import (
	"strings"
)

// The parser reads the CommonMark that drill's texts and LLM replies use:
// ATX and setext headings, paragraphs, thematic breaks, block quotes, bullet
// and ordered lists (nested, tight or loose), fenced and indented code, and
// HTML blocks, which are shown as written. Reference links, tables and the
// other extensions are left as text. Every line of the source ends up in the
// output, so nothing the author wrote is lost to a construct the parser does
// not know.

type blockKind int

const (
	kParagraph blockKind = iota
	kHeading
	kRule
	kQuote
	kList
	kItem
	kCode
	kHTML
)

// block is one node of the document's block structure.
type block struct {
	kind blockKind
	// text is a paragraph's or heading's inline source, lines joined with
	// "\n"; the lines of a code or HTML block.
	text  string
	lines []string
	level int    // heading level
	lang  string // a fenced code block's info string
	// Lists: ordered or not, the first number, the delimiter ('.' or ')'),
	// and whether the items are tight (no blank line between them).
	ordered bool
	start   int
	delim   byte
	tight   bool
	kids    []*block
}

// parse splits src into blocks.
func parse(src string) []*block {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	return parseBlocks(strings.Split(src, "\n"), 0)
}

// indentOf returns the width of line's leading white space, a tab counting to
// the next multiple of four, and the byte offset where the rest starts.
func indentOf(line string) (width, off int) {
	for off < len(line) {
		switch line[off] {
		case ' ':
			width++
		case '\t':
			width += 4 - width%4
		default:
			return width, off
		}
		off++
	}
	return width, off
}

// dedent removes up to n columns of leading white space from line.
func dedent(line string, n int) string {
	w := 0
	for i := 0; i < len(line); i++ {
		if w >= n {
			return line[i:]
		}
		switch line[i] {
		case ' ':
			w++
		case '\t':
			tw := 4 - w%4
			if w+tw > n {
				// A tab that reaches past n leaves its remaining columns as spaces.
				return strings.Repeat(" ", w+tw-n) + line[i+1:]
			}
			w += tw
		default:
			return line[i:]
		}
	}
	return ""
}

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

// trimBlank drops the blank lines at both ends.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && isBlank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// maxNesting bounds how deep quotes and lists nest. Deeper, the text is shown
// as written: a terminal has no width left for it, and each level parses its
// lines again, so ten thousand "> " would cost quadratic time.
const maxNesting = 16

func parseBlocks(lines []string, depth int) []*block {
	if depth >= maxNesting {
		return []*block{{kind: kHTML, lines: trimBlank(lines)}}
	}
	var out []*block
	for i := 0; i < len(lines); {
		line := lines[i]
		if isBlank(line) {
			i++
			continue
		}
		ind, off := indentOf(line)
		rest := line[off:]
		if ind >= 4 {
			b, n := indentedCode(lines[i:])
			out = append(out, b)
			i += n
			continue
		}
		if b, n := fenced(lines[i:], ind, rest); b != nil {
			out = append(out, b)
			i += n
			continue
		}
		if lvl, txt, ok := atxHeading(rest); ok {
			out = append(out, &block{kind: kHeading, level: lvl, text: txt})
			i++
			continue
		}
		if isRule(rest) {
			out = append(out, &block{kind: kRule})
			i++
			continue
		}
		if strings.HasPrefix(rest, ">") {
			b, n := quote(lines[i:], depth)
			out = append(out, b)
			i += n
			continue
		}
		if startsHTML(rest) {
			b, n := htmlBlock(lines[i:])
			out = append(out, b)
			i += n
			continue
		}
		if _, ok := listMarker(line); ok {
			b, n := list(lines[i:], depth)
			out = append(out, b)
			i += n
			continue
		}
		b, n := paragraph(lines[i:])
		out = append(out, b)
		i += n
	}
	return out
}

// interrupts reports whether line starts a block that ends a paragraph.
func interrupts(line string) bool {
	ind, off := indentOf(line)
	if ind >= 4 {
		return false
	}
	rest := line[off:]
	if _, _, ok := atxHeading(rest); ok {
		return true
	}
	if isRule(rest) || strings.HasPrefix(rest, ">") || startsHTML(rest) || fenceOpen(rest) != "" {
		return true
	}
	// A list interrupts a paragraph only with content, and an ordered one only
	// when it starts at 1: "in 2024. we" is a sentence, not a list.
	if m, ok := listMarker(line); ok && m.content != "" && (!m.ordered || m.start == 1) {
		return true
	}
	return false
}

func paragraph(lines []string) (*block, int) {
	n := 1
	for n < len(lines) && !isBlank(lines[n]) {
		// A setext underline turns the lines above it into a heading.
		if lvl := setext(lines[n]); lvl > 0 {
			return &block{kind: kHeading, level: lvl, text: joinTrimmed(lines[:n])}, n + 1
		}
		if interrupts(lines[n]) {
			break
		}
		n++
	}
	return &block{kind: kParagraph, text: joinTrimmed(lines[:n])}, n
}

// joinTrimmed joins paragraph lines, without the leading white space of each
// and the trailing white space of the last (a line's trailing two spaces are
// a hard break and stay).
func joinTrimmed(lines []string) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		_, off := indentOf(l)
		parts[i] = l[off:]
	}
	return strings.TrimRight(strings.Join(parts, "\n"), " \t")
}

func setext(line string) int {
	ind, off := indentOf(line)
	if ind >= 4 {
		return 0
	}
	t := strings.TrimRight(line[off:], " \t")
	switch {
	case t != "" && strings.Trim(t, "=") == "":
		return 1
	case t != "" && strings.Trim(t, "-") == "":
		return 2
	}
	return 0
}

func atxHeading(rest string) (int, string, bool) {
	lvl := 0
	for lvl < len(rest) && rest[lvl] == '#' {
		lvl++
	}
	if lvl == 0 || lvl > 6 || lvl < len(rest) && rest[lvl] != ' ' && rest[lvl] != '\t' {
		return 0, "", false
	}
	txt := strings.TrimSpace(rest[lvl:])
	// A closing run of #s, set off by a space, is not part of the heading.
	if t := strings.TrimRight(txt, "#"); t != txt && (t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t")) {
		txt = strings.TrimSpace(t)
	}
	return lvl, txt, true
}

func isRule(rest string) bool {
	t := strings.TrimRight(rest, " \t")
	if t == "" || !strings.ContainsAny(t[:1], "-*_") {
		return false
	}
	c, n := t[0], 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// fenceOpen returns the fence that rest opens ("```" or "~~~~"), or "".
func fenceOpen(rest string) string {
	if len(rest) < 3 || rest[0] != '`' && rest[0] != '~' {
		return ""
	}
	n := 0
	for n < len(rest) && rest[n] == rest[0] {
		n++
	}
	if n < 3 || rest[0] == '`' && strings.Contains(rest[n:], "`") {
		return ""
	}
	return rest[:n]
}

func fenced(lines []string, ind int, rest string) (*block, int) {
	fence := fenceOpen(rest)
	if fence == "" {
		return nil, 0
	}
	b := &block{kind: kCode, lang: strings.TrimSpace(rest[len(fence):])}
	if f := strings.Fields(b.lang); len(f) > 0 {
		b.lang = f[0]
	}
	n := 1
	for ; n < len(lines); n++ {
		ci, coff := indentOf(lines[n])
		c := strings.TrimRight(lines[n][coff:], " \t")
		if ci < 4 && strings.HasPrefix(c, fence) && strings.Trim(c, fence[:1]) == "" {
			return b, n + 1
		}
		// Content is indented as much as the fence was, less that indent.
		b.lines = append(b.lines, dedent(lines[n], ind))
	}
	// An unclosed fence runs to the end of its container.
	return b, n
}

func indentedCode(lines []string) (*block, int) {
	b := &block{kind: kCode}
	n := 0
	for ; n < len(lines); n++ {
		if ind, _ := indentOf(lines[n]); ind < 4 && !isBlank(lines[n]) {
			break
		}
		b.lines = append(b.lines, dedent(lines[n], 4))
	}
	// Blank lines at the end belong to what follows.
	for len(b.lines) > 0 && isBlank(b.lines[len(b.lines)-1]) {
		b.lines = b.lines[:len(b.lines)-1]
		n--
	}
	return b, n
}

func quote(lines []string, depth int) (*block, int) {
	var inner []string
	n := 0
	for ; n < len(lines); n++ {
		ind, off := indentOf(lines[n])
		rest := lines[n][off:]
		if ind < 4 && strings.HasPrefix(rest, ">") {
			rest = rest[1:]
			if strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, "\t") {
				rest = rest[1:]
			}
			inner = append(inner, rest)
			continue
		}
		// A lazy line continues the quote's paragraph.
		if n > 0 && !isBlank(lines[n]) && !interrupts(lines[n]) && len(inner) > 0 && !isBlank(inner[len(inner)-1]) {
			inner = append(inner, lines[n])
			continue
		}
		break
	}
	return &block{kind: kQuote, kids: parseBlocks(inner, depth+1)}, n
}

// startsHTML reports a line that opens an HTML block: a comment, or a tag
// that stands alone at the start of a line.
func startsHTML(rest string) bool {
	if strings.HasPrefix(rest, "<!--") {
		return true
	}
	if len(rest) < 3 || rest[0] != '<' {
		return false
	}
	i := 1
	if rest[i] == '/' {
		i++
	}
	j := i
	for j < len(rest) && (isASCIILetter(rest[j]) || j > i && isDigit(rest[j]) || j > i && rest[j] == '-') {
		j++
	}
	if j == i || j == len(rest) {
		return false
	}
	// The tag must end on this line ("<ref>" alone is text inside a sentence
	// only when more follows on the line).
	end := strings.IndexByte(rest, '>')
	return end > 0 && strings.TrimSpace(rest[end+1:]) == "" && (rest[j] == '>' || rest[j] == ' ' || rest[j] == '/')
}

func htmlBlock(lines []string) (*block, int) {
	b := &block{kind: kHTML}
	_, off := indentOf(lines[0])
	if strings.HasPrefix(lines[0][off:], "<!--") {
		for n, l := range lines {
			b.lines = append(b.lines, l)
			if strings.Contains(l, "-->") {
				return b, n + 1
			}
		}
		return b, len(lines)
	}
	n := 0
	for ; n < len(lines) && !isBlank(lines[n]); n++ {
		b.lines = append(b.lines, lines[n])
	}
	return b, n
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }

// marker is a list item's marker on a line.
type marker struct {
	ordered bool
	bullet  byte // '-', '*' or '+'
	delim   byte // '.' or ')'
	start   int
	// indent is the column where the item's content starts; content is the
	// rest of the first line.
	indent  int
	content string
}

func listMarker(line string) (marker, bool) {
	ind, off := indentOf(line)
	if ind >= 4 || off >= len(line) {
		return marker{}, false
	}
	rest := line[off:]
	var m marker
	w := 0
	switch c := rest[0]; {
	case c == '-' || c == '*' || c == '+':
		if isRule(rest) {
			return marker{}, false
		}
		m.bullet, w = c, 1
	case isDigit(c):
		for w < len(rest) && w < 9 && isDigit(rest[w]) {
			m.start = m.start*10 + int(rest[w]-'0')
			w++
		}
		if w == len(rest) || rest[w] != '.' && rest[w] != ')' {
			return marker{}, false
		}
		m.ordered, m.delim = true, rest[w]
		w++
	default:
		return marker{}, false
	}
	after := rest[w:]
	if after != "" && after[0] != ' ' && after[0] != '\t' {
		return marker{}, false
	}
	sp, soff := indentOf(after)
	m.content = after[soff:]
	if m.content == "" || sp > 4 {
		// An empty item, or indented code inside it: the content starts one
		// space after the marker.
		sp = 1
		if m.content != "" {
			m.content = dedent(after, 1)
		}
	}
	m.indent = ind + w + sp
	return m, true
}

func sameList(a, b marker) bool {
	return a.ordered == b.ordered && a.bullet == b.bullet && a.delim == b.delim
}

func list(lines []string, depth int) (*block, int) {
	first, _ := listMarker(lines[0])
	l := &block{kind: kList, ordered: first.ordered, start: first.start, delim: first.delim, tight: true}
	n := 0
	for n < len(lines) {
		m, ok := listMarker(lines[n])
		if !ok || !sameList(m, first) {
			break
		}
		body := []string{m.content}
		k := n + 1
		for k < len(lines) {
			line := lines[k]
			if isBlank(line) {
				body = append(body, "")
				k++
				continue
			}
			ind, _ := indentOf(line)
			if ind >= m.indent {
				body = append(body, dedent(line, m.indent))
				k++
				continue
			}
			// A lazy line continues the item's paragraph.
			if last := body[len(body)-1]; last != "" && !interrupts(line) {
				if _, isItem := listMarker(line); !isItem {
					body = append(body, line)
					k++
					continue
				}
			}
			break
		}
		// Blank lines at the end of an item separate it from what follows.
		trailing := 0
		for len(body) > 1 && body[len(body)-1] == "" {
			body = body[:len(body)-1]
			trailing++
		}
		item := &block{kind: kItem, kids: parseBlocks(body, depth+1)}
		l.kids = append(l.kids, item)
		if len(item.kids) > 1 && hasBlankBetween(body) {
			l.tight = false
		}
		n = k
		if trailing > 0 {
			if nextItem(lines, n, first) {
				l.tight = false
			} else {
				// The list ends here; its trailing blank lines are not its own.
				n -= trailing
				break
			}
		}
	}
	return l, n
}

// nextItem reports whether the line at i starts another item of the list.
func nextItem(lines []string, i int, first marker) bool {
	if i >= len(lines) {
		return false
	}
	m, ok := listMarker(lines[i])
	return ok && sameList(m, first)
}

// hasBlankBetween reports a blank line between two of an item's lines that is
// not inside a fenced code block.
func hasBlankBetween(body []string) bool {
	fence := ""
	for _, l := range body {
		_, off := indentOf(l)
		rest := l[off:]
		switch {
		case fence != "" && strings.HasPrefix(strings.TrimSpace(rest), fence):
			fence = ""
		case fence == "" && fenceOpen(rest) != "":
			fence = fenceOpen(rest)
		case fence == "" && isBlank(l):
			return true
		}
	}
	return false
}
