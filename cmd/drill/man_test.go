package main

import (
	"context"
	"os"
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
}
