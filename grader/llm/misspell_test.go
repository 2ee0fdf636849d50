package llm

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/misspell"
)

// misspell_gen.go is what go generate writes from the misspell version in
// go.mod: a newer dictionary, or a change to the generator, needs a regenerate.
func TestMisspellDataIsFresh(t *testing.T) {
	out := filepath.Join(t.TempDir(), "gen.go")
	if b, err := exec.Command("go", "run", "./internal/genmisspell", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("genmisspell: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("misspell_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("misspell_gen.go is stale: run 'go generate ./grader/llm' and commit it")
	}
}

// Every pair of misspell's dictionary is found, in each case misspell finds.
func TestDictionaryFix(t *testing.T) {
	dict := misspell.DictMain
	for i := 0; i+1 < len(dict); i += 2 {
		wrong, right := dict[i], dict[i+1]
		if got, ok := dictionaryFix(wrong); !ok || !strings.EqualFold(got, right) && !strings.EqualFold(got, firstRight(dict, wrong)) {
			t.Fatalf("dictionaryFix(%q) = %q, %v; want %q", wrong, got, ok, right)
		}
	}
	for w, want := range map[string]string{"occured": "occurred", "Occured": "Occurred", "OCCURED": "OCCURRED"} {
		if got, ok := dictionaryFix(w); !ok || got != want {
			t.Errorf("dictionaryFix(%q) = %q, %v; want %q", w, got, ok, want)
		}
	}
	for _, w := range []string{"oCCured", "occurred", "writer", "", "zzzzzz"} {
		if got, ok := dictionaryFix(w); ok {
			t.Errorf("dictionaryFix(%q) = %q, want no fix", w, got)
		}
	}
}

// firstRight is the correction of the first entry for wrong: the dictionary
// lists a few words twice, and the generator keeps the first.
func firstRight(dict []string, wrong string) string {
	for i := 0; i+1 < len(dict); i += 2 {
		if strings.EqualFold(dict[i], wrong) {
			return dict[i+1]
		}
	}
	return ""
}
