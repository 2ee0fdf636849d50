package markdown

import (
	"go/scanner"
	"go/token"
)

// goSpans finds the keywords, strings, comments and numbers of Go source with
// the standard library's own scanner, so highlighting agrees with the
// compiler about what a token is. Snippets are often not whole files: scan
// errors are ignored and the scan goes on.
func goSpans(src string) []span {
	fset := token.NewFileSet()
	f := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(f, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	var out []span
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		var l look
		switch {
		case tok.IsKeyword():
			l = lKeyword
		case tok == token.STRING || tok == token.CHAR:
			l = lString
		case tok == token.COMMENT:
			l = lComment
		case tok == token.INT || tok == token.FLOAT || tok == token.IMAG:
			l = lNumber
		default:
			continue
		}
		start := f.Offset(pos)
		end := start + len(lit)
		if lit == "" {
			end = start + len(tok.String())
		}
		out = append(out, span{start, min(end, len(src)), l})
	}
}
