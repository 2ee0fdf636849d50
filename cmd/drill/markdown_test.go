package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/drill-coach/drill/internal/iostreams"
)

// Go code blocks are highlighted: Go code comes out coloured differently from
// the same text marked as plain text.
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

// A URL, a www. address and an e-mail address in text survive rendering.
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

// The two themes colour differently; without colour the layout stays and no
// escape sequence is written.
func TestMarkdownThemes(t *testing.T) {
	render := func(theme string, noColor bool) string {
		var out bytes.Buffer
		ios, _, _, _ := iostreams.Test()
		ios.Out = &out
		ios.SetNoColor(noColor)
		ios.SetTheme(theme)
		if err := printMarkdown(ios, "**bold** and `code`\n", false); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	dark, light := render(iostreams.ThemeDark, false), render(iostreams.ThemeLight, false)
	if dark == light || !strings.Contains(dark, "\x1b[") {
		t.Errorf("dark %q and light %q", dark, light)
	}
	if plain := render(iostreams.ThemeLight, true); strings.Contains(plain, "\x1b") || !strings.Contains(plain, "bold and `code`") {
		t.Errorf("no colour: %q", plain)
	}
}

// auto is dark unless COLORFGBG says the background is light; dark and light
// are what they say whatever the terminal reports.
func TestTerminalTheme(t *testing.T) {
	for _, c := range []struct{ setting, colorfgbg, want string }{
		{"auto", "", iostreams.ThemeDark},
		{"auto", "15;0", iostreams.ThemeDark},
		{"auto", "0;15", iostreams.ThemeLight},
		{"auto", "default;default", iostreams.ThemeDark},
		{"dark", "0;15", iostreams.ThemeDark},
		{"light", "15;0", iostreams.ThemeLight},
	} {
		getenv := func(k string) string {
			if k == "COLORFGBG" {
				return c.colorfgbg
			}
			return ""
		}
		if got := terminalTheme(c.setting, getenv); got != c.want {
			t.Errorf("terminalTheme(%q) with COLORFGBG=%q = %q, want %q", c.setting, c.colorfgbg, got, c.want)
		}
	}
}
