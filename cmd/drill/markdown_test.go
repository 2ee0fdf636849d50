package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/drill-coach/drill/internal/iostreams"
)

// Code blocks are still highlighted now that chroma loads its lexers and styles
// on first use: Go code comes out coloured differently from the same text marked
// as plain text.
func TestMarkdownHighlightsCode(t *testing.T) {
	render := func(lang string) string {
		var out bytes.Buffer
		ios, _, _, _ := iostreams.Test()
		ios.Out = &out
		ios.SetNoColor(false)
		md := "Look at this:\n\n```" + lang + "\nfunc main() { return }\n```\n"
		if err := printMarkdown(ios, md, false); err != nil {
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

// Links are still found in text now that goldmark compiles its URL patterns on
// first use: a URL, a www. address and an e-mail address survive rendering.
func TestMarkdownLinkifies(t *testing.T) {
	var out bytes.Buffer
	ios, _, _, _ := iostreams.Test()
	ios.Out = &out
	md := "See https://github.com/containerd/containerd/blob/main/README.md and www.example.com or write to ops@example.com.\n"
	if err := printMarkdown(ios, md, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"https://github.com/containerd/containerd/blob/main/README.md", "www.example.com", "ops@example.com"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("rendering lost %q:\n%q", want, out.String())
		}
	}
}
