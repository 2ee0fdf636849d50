package markdown

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// dumpBlocks writes the block tree compactly: kind, then its text or children.
func dumpBlocks(bs []*block) string {
	var parts []string
	for _, b := range bs {
		switch b.kind {
		case kParagraph:
			parts = append(parts, "p("+dumpInline(parseInline(b.text))+")")
		case kHeading:
			parts = append(parts, fmt.Sprintf("h%d(%s)", b.level, dumpInline(parseInline(b.text))))
		case kRule:
			parts = append(parts, "hr")
		case kQuote:
			parts = append(parts, "quote["+dumpBlocks(b.kids)+"]")
		case kList:
			kind := "ul"
			if b.ordered {
				kind = fmt.Sprintf("ol%d%c", b.start, b.delim)
			}
			if !b.tight {
				kind += "-loose"
			}
			var items []string
			for _, it := range b.kids {
				items = append(items, "li["+dumpBlocks(it.kids)+"]")
			}
			parts = append(parts, kind+"{"+strings.Join(items, " ")+"}")
		case kCode:
			parts = append(parts, fmt.Sprintf("code%s(%q)", b.lang, strings.Join(b.lines, "\n")))
		case kHTML:
			parts = append(parts, fmt.Sprintf("html(%q)", strings.Join(b.lines, "\n")))
		}
	}
	return strings.Join(parts, " ")
}

func dumpInline(ns []*inode) string {
	var b strings.Builder
	for _, n := range ns {
		switch n.kind {
		case iText:
			b.WriteString(n.text)
		case iDelim:
			b.WriteString(strings.Repeat(string(n.delim), n.n))
		case iCode:
			b.WriteString("<code:" + n.text + ">")
		case iEmph:
			b.WriteString("<em:" + dumpInline(n.kids) + ">")
		case iStrong:
			b.WriteString("<b:" + dumpInline(n.kids) + ">")
		case iLink:
			b.WriteString("<a " + n.text + ":" + dumpInline(n.kids) + ">")
		case iHardBreak:
			b.WriteString("<br>")
		case iSoftBreak:
			b.WriteString("<sp>")
		}
	}
	return b.String()
}

func TestParseBlocks(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"# Title #\n\ntext", "h1(Title) p(text)"},
		{"#hashtag", "p(#hashtag)"},
		{"Title\n=====\nSub\n---", "h1(Title) h2(Sub)"},
		{"a\nb\n\nc", "p(a<sp>b) p(c)"},
		{"***\n- - -", "hr hr"},
		{"- a\n- b\n  more\n- c", "ul{li[p(a)] li[p(b<sp>more)] li[p(c)]}"},
		{"- a\n\n- b", "ul-loose{li[p(a)] li[p(b)]}"},
		{"- a\n  - b\n  - c\n- d", "ul{li[p(a) ul{li[p(b)] li[p(c)]}] li[p(d)]}"},
		{"3. three\n4. four", "ol3.{li[p(three)] li[p(four)]}"},
		{"1) one\n- other list", "ol1){li[p(one)]} ul{li[p(other list)]}"},
		// An ordered list not starting at 1 does not interrupt a paragraph.
		{"In\n2024. we shipped", "p(In<sp>2024. we shipped)"},
		{"- a\nlazy line", "ul{li[p(a<sp>lazy line)]}"},
		{"> quoted\nlazy\n> > nested", "quote[p(quoted<sp>lazy) quote[p(nested)]]"},
		{"```go\nfunc f() {\n\treturn\n}\n```\nafter", "codego(\"func f() {\\n\\treturn\\n}\") p(after)"},
		{"~~~\nunclosed\n", "code(\"unclosed\\n\")"},
		{"    indented\n    code\n\npara", "code(\"indented\\ncode\") p(para)"},
		{"- item\n\n  ```\n  x\n\n  y\n  ```", "ul-loose{li[p(item) code(\"x\\n\\ny\")]}"},
		{"<!-- en -->\nEnglish", "html(\"<!-- en -->\") p(English)"},
		{"the <ref> placeholder", "p(the <ref> placeholder)"},
		{"line one  \nline two\\\nthree", "p(line one<br>line two<br>three)"},
		{"", ""},
	} {
		if got := dumpBlocks(parse(c.in)); got != c.want {
			t.Errorf("parse(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestParseInline(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"*em* and **strong** and ***both***", "<em:em> and <b:strong> and <em:<b:both>>"},
		{"snake_case_name and _em_", "snake_case_name and <em:em>"},
		{"2 * 3 * 4", "2 * 3 * 4"},
		{"**unclosed and *em*", "**unclosed and <em:em>"},
		{"*a **b** c*", "<em:a <b:b> c>"},
		{"`code *not em*` and ``a ` b``", "<code:code *not em*> and <code:a ` b>"},
		{"`unclosed", "`unclosed"},
		{"[docs](https://go.dev/doc \"title\") and [x](<a b>)", "<a https://go.dev/doc:docs> and <a a b:x>"},
		{"[not a link] and [a](u(1))", "[not a link] and <a u(1):a>"},
		{"![alt](img.png)", "<a img.png:alt>"},
		{"<https://example.com> <user@example.com> <ref>", "<a :https://example.com> <a :user@example.com> <ref>"},
		{`\*not em\* \_ \\`, `*not em* _ \`},
		{"&amp; &lt;b&gt; &#35; &#x4E2D; &bogus; AT&T", "& <b> # 中 &bogus; AT&T"},
		{"中文*强调*文本", "中文<em:强调>文本"},
	} {
		if got := dumpInline(parseInline(c.in)); got != c.want {
			t.Errorf("parseInline(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// Pathological input costs linear time: runs of unmatched delimiters,
// brackets and backticks, each a few hundred kilobytes.
func TestParseInlineLinear(t *testing.T) {
	for _, unit := range []string{"*a ", "_a ", "[", "` ", "**a* ", "<a ", "&"} {
		s := strings.Repeat(unit, 200_000/len(unit))
		out := dumpInline(parseInline(s))
		if len(out) < len(s)/2 {
			t.Errorf("%q repeated: output shrank to %d bytes", unit, len(out))
		}
	}
}

// FuzzParse: any input parses and renders without panicking, to valid UTF-8 lines no
// wider than the width, and keeps every letter and digit of the source.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"# h\n\n- a\n  - b\n\n> q\n\n```go\nx := 1\n```", "*a **b** c*", "1. x\n2. y", "<!-- c -->", "[a](b) `c` &amp;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || len(s) > 4096 {
			return
		}
		out := Render(s, 40, NoColor)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		for _, l := range strings.Split(out, "\n") {
			if w := utf8.RuneCountInString(l); w > 40 && !strings.ContainsFunc(l, func(r rune) bool { return r > 0x2000 }) {
				t.Fatalf("line %q is %d wide from %q", l, w, s)
			}
		}
	})
}

// Quotes and lists nest at most maxNesting deep; deeper, the text is kept as
// written. Each level parses its lines again, so without the bound ten
// thousand "> " cost quadratic time.
func TestDeepNestingIsBounded(t *testing.T) {
	for _, in := range []string{strings.Repeat("> ", 10_000) + "end", strings.Repeat("- ", 10_000) + "end", strings.Repeat("1. ", 10_000) + "end"} {
		depth, b := 0, parse(in)
		for len(b) == 1 && (b[0].kind == kQuote || b[0].kind == kList || b[0].kind == kItem) {
			if b[0].kind != kItem {
				depth++
			}
			b = b[0].kids
		}
		if depth != maxNesting || len(b) != 1 || b[0].kind != kHTML || !strings.HasSuffix(strings.Join(b[0].lines, "\n"), "end") {
			t.Fatalf("%.8q...: %d levels, then %s", in, depth, dumpBlocks(b))
		}
	}
}
