package main

import (
	"bytes"
	"strings"
	"testing"
)

// Code blocks are still highlighted now that chroma loads its lexers and styles
// on first use: Go code comes out coloured differently from the same text marked
// as plain text.
func TestMarkdownHighlightsCode(t *testing.T) {
	render := func(lang string) string {
		var out bytes.Buffer
		env := &Env{IO: &IOStreams{Out: &out}, Getenv: func(string) string { return "" }}
		md := "Look at this:\n\n```" + lang + "\nfunc main() { return }\n```\n"
		if err := printMarkdown(env, md, false); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	goOut, plainOut := render("go"), render("text")
	if !strings.Contains(goOut, "func") || !strings.Contains(goOut, "\x1b[") {
		t.Fatalf("no styled output:\n%q", goOut)
	}
	if goOut == plainOut {
		t.Fatalf("Go code was not highlighted:\n%q", goOut)
	}
}
