package markdown

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type inlineKind int

const (
	iText inlineKind = iota
	iCode
	iEmph
	iStrong
	iLink
	iHardBreak
	iSoftBreak
	iDelim // a run of * or _ not (yet) matched: shown as written
)

// inode is one inline node.
type inode struct {
	kind inlineKind
	text string   // text and code; a link's destination
	kids []*inode // emphasis and link text

	// A delimiter run: its character, how many are left unmatched, how many
	// there were, and whether it can open or close emphasis.
	delim       byte
	n, orig     int
	open, close bool

	// While emphasis is processed: the position in the text, and the links
	// to the neighbouring nodes.
	pos        int
	prev, next *inode
}

// maxLabel bounds how far a link's text may reach, so that a line of
// unmatched brackets costs linear time.
const maxLabel = 1000

// parseInline parses a paragraph's or heading's text into inline nodes.
func parseInline(s string) []*inode {
	p := &inlineParser{src: s, noClose: map[int]bool{}}
	p.run()
	return processEmphasis(p.out)
}

type inlineParser struct {
	src string
	out []*inode
	buf strings.Builder
	// noClose records code-span lengths with no closing run left: a later
	// opener of that length need not search again.
	noClose map[int]bool
}

func (p *inlineParser) flush() {
	if p.buf.Len() > 0 {
		p.out = append(p.out, &inode{kind: iText, text: p.buf.String()})
		p.buf.Reset()
	}
}

func (p *inlineParser) emit(n *inode) {
	p.flush()
	p.out = append(p.out, n)
}

func (p *inlineParser) run() {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			p.emit(&inode{kind: iHardBreak})
			i += 2
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			p.buf.WriteByte(s[i+1])
			i += 2
		case c == '`':
			i = p.codeSpan(i)
		case c == '*' || c == '_':
			i = p.delimRun(i)
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if j, ok := p.link(i + 1); ok {
				i = j
			} else {
				p.buf.WriteByte('!')
				i++
			}
		case c == '[':
			if j, ok := p.link(i); ok {
				i = j
			} else {
				p.buf.WriteByte('[')
				i++
			}
		case c == '<':
			i = p.autolink(i)
		case c == '&':
			i = p.entity(i)
		case c == '\n':
			text := p.buf.String()
			trimmed := strings.TrimRight(text, " ")
			hard := len(text)-len(trimmed) >= 2
			p.buf.Reset()
			p.buf.WriteString(trimmed)
			if hard {
				p.emit(&inode{kind: iHardBreak})
			} else {
				p.emit(&inode{kind: iSoftBreak})
			}
			i++
		default:
			p.buf.WriteByte(c)
			i++
		}
	}
	p.flush()
}

// codeSpan reads a code span opened by the backtick run at i.
func (p *inlineParser) codeSpan(i int) int {
	s := p.src
	n := runLen(s, i, '`')
	if !p.noClose[n] {
		for j := i + n; j < len(s); {
			k := strings.IndexByte(s[j:], '`')
			if k < 0 {
				break
			}
			j += k
			m := runLen(s, j, '`')
			if m == n {
				code := strings.ReplaceAll(s[i+n:j], "\n", " ")
				if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
					code = code[1 : len(code)-1]
				}
				p.emit(&inode{kind: iCode, text: code})
				return j + m
			}
			j += m
		}
		p.noClose[n] = true
	}
	p.buf.WriteString(s[i : i+n])
	return i + n
}

func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// delimRun reads a run of * or _ and works out whether it can open or close
// emphasis, by CommonMark's flanking rules.
func (p *inlineParser) delimRun(i int) int {
	s := p.src
	c := s[i]
	n := runLen(s, i, c)
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	if i == 0 {
		before = ' '
	}
	after, _ := utf8.DecodeRuneInString(s[i+n:])
	if i+n == len(s) {
		after = ' '
	}
	left := !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before))
	right := !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after))
	d := &inode{kind: iDelim, delim: c, n: n, orig: n}
	if c == '*' {
		d.open, d.close = left, right
	} else {
		// An underscore inside a word (snake_case) never emphasises.
		d.open = left && (!right || isPunct(before))
		d.close = right && (!left || isPunct(after))
	}
	p.emit(d)
	return i + n
}

// link reads [text](destination "title") at i; ok is false when there is
// none, and the bracket is then text.
func (p *inlineParser) link(i int) (int, bool) {
	s := p.src
	depth := 0
	end := -1
	for j := i; j < len(s) && j-i < maxLabel; j++ {
		switch s[j] {
		case '\\':
			j++
		case '`':
			// A bracket inside a code span does not close the label.
			if k := strings.IndexByte(s[j+1:], '`'); k >= 0 && j+1+k-i < maxLabel {
				j += k + 1
			}
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth == 0 {
			end = j
			break
		}
	}
	if end < 0 || end+1 >= len(s) || s[end+1] != '(' {
		return 0, false
	}
	j := end + 2
	for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
		j++
	}
	var dest string
	if j < len(s) && s[j] == '<' {
		k := strings.IndexAny(s[j+1:], ">\n")
		if k < 0 || s[j+1+k] != '>' {
			return 0, false
		}
		dest, j = s[j+1:j+1+k], j+2+k
	} else {
		start, parens := j, 0
		for ; j < len(s) && s[j] > ' '; j++ {
			if s[j] == '(' {
				parens++
			} else if s[j] == ')' {
				if parens == 0 {
					break
				}
				parens--
			}
		}
		dest = s[start:j]
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
		j++
	}
	if j < len(s) && (s[j] == '"' || s[j] == '\'') {
		k := strings.IndexByte(s[j+1:], s[j])
		if k < 0 {
			return 0, false
		}
		j += k + 2
		for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
			j++
		}
	}
	if j >= len(s) || s[j] != ')' {
		return 0, false
	}
	p.emit(&inode{kind: iLink, text: unescapeText(dest), kids: parseInline(s[i+1 : end])})
	return j + 1, true
}

// autolink reads <scheme:...> or <user@host> at i; anything else in angle
// brackets is text ("<ref>" in an error message is a placeholder, not a tag).
func (p *inlineParser) autolink(i int) int {
	s := p.src
	k := strings.IndexAny(s[i+1:], "> \n<")
	if k > 0 && s[i+1+k] == '>' {
		u := s[i+1 : i+1+k]
		if isURI(u) || isEmail(u) {
			p.emit(&inode{kind: iLink, text: "", kids: []*inode{{kind: iText, text: u}}})
			return i + 2 + k
		}
	}
	p.buf.WriteByte('<')
	return i + 1
}

func isURI(u string) bool {
	colon := strings.IndexByte(u, ':')
	if colon < 2 || colon > 32 || !isASCIILetter(u[0]) {
		return false
	}
	for i := 1; i < colon; i++ {
		if c := u[i]; !isASCIILetter(c) && !isDigit(c) && c != '+' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

func isEmail(u string) bool {
	at := strings.IndexByte(u, '@')
	return at > 0 && at < len(u)-1 && strings.Contains(u[at:], ".") && !strings.ContainsAny(u, "\\ ")
}

// entity reads a character reference at i: &name;, &#123; or &#x7B;.
func (p *inlineParser) entity(i int) int {
	s := p.src
	// The longest reference drill knows is well under 33 bytes; looking no
	// further keeps a text of a thousand "&"s linear.
	k := strings.IndexByte(s[i:min(len(s), i+34)], ';')
	if k > 1 {
		if r, ok := resolveEntity(s[i+1 : i+k]); ok {
			p.buf.WriteString(r)
			return i + k + 1
		}
	}
	p.buf.WriteByte('&')
	return i + 1
}

func resolveEntity(name string) (string, bool) {
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if h, ok := strings.CutPrefix(strings.ToLower(num), "x"); ok {
			num, base = h, 16
		}
		if num == "" || len(num) > 7 {
			return "", false
		}
		v, err := strconv.ParseUint(num, base, 32)
		if err != nil {
			return "", false
		}
		if v == 0 || v > unicode.MaxRune || v >= 0xD800 && v <= 0xDFFF {
			return "\uFFFD", true
		}
		return string(rune(v)), true
	}
	return namedEntity(name)
}

// namedEntity resolves the named references that English and Chinese
// technical text uses; any other name is shown as written. A switch, not a
// map: a map would be built at start-up by every command.
func namedEntity(name string) (string, bool) {
	switch name {
	case "amp":
		return "&", true
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "quot":
		return `"`, true
	case "apos":
		return "'", true
	case "nbsp":
		return "\u00a0", true
	case "copy":
		return "©", true
	case "reg":
		return "®", true
	case "trade":
		return "™", true
	case "hellip":
		return "…", true
	case "mdash":
		return "—", true
	case "ndash":
		return "–", true
	case "lsquo":
		return "‘", true
	case "rsquo":
		return "’", true
	case "ldquo":
		return "“", true
	case "rdquo":
		return "”", true
	case "laquo":
		return "«", true
	case "raquo":
		return "»", true
	case "times":
		return "×", true
	case "divide":
		return "÷", true
	case "deg":
		return "°", true
	case "plusmn":
		return "±", true
	case "middot":
		return "·", true
	case "bull":
		return "•", true
	case "rarr":
		return "→", true
	case "larr":
		return "←", true
	case "harr":
		return "↔", true
	case "uarr":
		return "↑", true
	case "darr":
		return "↓", true
	case "rArr":
		return "⇒", true
	case "le":
		return "≤", true
	case "ge":
		return "≥", true
	case "ne":
		return "≠", true
	case "asymp":
		return "≈", true
	case "infin":
		return "∞", true
	case "micro":
		return "µ", true
	case "sect":
		return "§", true
	case "para":
		return "¶", true
	case "euro":
		return "€", true
	case "pound":
		return "£", true
	case "yen":
		return "¥", true
	case "cent":
		return "¢", true
	}
	return "", false
}

// unescapeText resolves backslash escapes and character references in a
// link destination.
func unescapeText(s string) string {
	if !strings.ContainsAny(s, `\&`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i++
		case s[i] == '&':
			if k := strings.IndexByte(s[i:], ';'); k > 1 {
				if r, ok := resolveEntity(s[i+1 : i+k]); ok {
					b.WriteString(r)
					i += k
					continue
				}
			}
			b.WriteByte('&')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// processEmphasis matches delimiter runs into emphasis, as CommonMark's
// algorithm does: each closer, left to right, takes the nearest opener of the
// same character; what stays unmatched is shown as written. The nodes are
// linked while it runs, so that wrapping a stretch in emphasis costs only the
// stretch, and a line of a hundred thousand runs stays linear.
func processEmphasis(nodes []*inode) []*inode {
	head := &inode{pos: -1}
	prev := head
	for i, n := range nodes {
		n.pos, n.prev, n.next = i, prev, nil
		prev.next = n
		prev = n
	}
	// bottom[k] is the position below which no opener can match a closer of
	// kind k: a text full of unmatched runs is searched once.
	bottom := map[[3]int]int{}
	for c := head.next; c != nil; c = c.next {
		if c.kind != iDelim || !c.close || c.n == 0 {
			continue
		}
		key := [3]int{int(c.delim), c.orig % 3, b2i(c.open)}
		found := false
		for o := c.prev; o != head && o.pos >= bottom[key]; o = o.prev {
			if o.kind != iDelim || o.delim != c.delim || !o.open || o.n == 0 {
				continue
			}
			// The rule of three: "a**b*" is not emphasis of "b".
			if (o.close || c.open) && (o.orig+c.orig)%3 == 0 && !(o.orig%3 == 0 && c.orig%3 == 0) {
				continue
			}
			use, kind := 1, iEmph
			if o.n >= 2 && c.n >= 2 {
				use, kind = 2, iStrong
			}
			o.n -= use
			c.n -= use
			em := &inode{kind: kind, pos: o.pos}
			for x := o.next; x != c; x = x.next {
				em.kids = append(em.kids, x)
			}
			o.next, em.prev, em.next, c.prev = em, o, c, em
			found = true
			break
		}
		switch {
		case !found:
			bottom[key] = c.pos
		case c.n > 0:
			// The closer has delimiters left: it may close an opener further left.
			c = c.prev
		}
	}
	var out []*inode
	for n := head.next; n != nil; n = n.next {
		out = append(out, n)
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
