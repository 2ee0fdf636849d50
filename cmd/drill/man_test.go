package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// drill man writes one page per command, from the same tree as --help.
func TestManPages(t *testing.T) {
	f, out := testFactory(t, nil)
	dir := t.TempDir()
	root := newRootCmd(f)
	root.SetArgs([]string{"man", dir})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"drill.1", "drill-answer.1", "drill-sandbox.1", "drill-exercises-calibrate.1"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), ".TH \"DRILL\"") {
			t.Errorf("%s is not a man page:\n%.300s", name, data)
		}
	}
	page, _ := os.ReadFile(filepath.Join(dir, "drill-answer.1"))
	if !strings.Contains(string(page), "claim") {
		t.Error("drill-answer.1 does not document --claim")
	}
	if !strings.Contains(out.String(), "man pages to "+dir) {
		t.Errorf("output: %q", out.String())
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	if len(pages) < 20 || !strings.Contains(out.String(), fmt.Sprintf("wrote %d man pages", len(pages))) {
		t.Errorf("%d pages on disk; output %q", len(pages), out.String())
	}
	// Where groff is installed, every page must format without a warning (-k reads
	// UTF-8, as man does), and
	// what a reader sees keeps the text roff could misread: leading dots,
	// backslashes and the options' minus signs.
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Log("groff is not installed: the pages' formatting is not checked")
		return
	}
	for _, p := range pages {
		var stderr strings.Builder
		cmd := exec.Command(groff, "-k", "-man", "-Tutf8", "-ww", "-P-cbou", p)
		cmd.Stderr = &stderr
		got, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Errorf("groff %s: %v\n%s", filepath.Base(p), err, stderr.String())
		}
		if filepath.Base(p) == "drill-answer.1" && !strings.Contains(string(got), "--claim") {
			t.Errorf("formatted drill-answer.1 lacks --claim:\n%s", got)
		}
	}
}

func TestRoffLineEscapes(t *testing.T) {
	for in, want := range map[string]string{
		".hidden request": `\&.hidden request`,
		"'quoted":         `\&'quoted`,
		`C:\path --flag`:  `C:\epath \-\-flag`,
		"plain words, 中文": "plain words, 中文",
	} {
		if got := roffLine(in); got != want {
			t.Errorf("roffLine(%q) = %q, want %q", in, got, want)
		}
	}
}
