package text

import (
	"reflect"
	"testing"
)

func TestSentences(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"We saw it, e.g. on node 3. Then it failed.", []string{"We saw it, e.g. on node 3.", "Then it failed."}},
		{"Use errgroup; cancel on first error.", []string{"Use errgroup; cancel on first error."}},
		{"Open main.go, line 1.5 of it. Done!", []string{"Open main.go, line 1.5 of it.", "Done!"}},
		{"1. Lease first.\n2. Then commit.", []string{"1. Lease first.", "2. Then commit."}},
		{"A hard-wrapped\nsentence ends here.", []string{"A hard-wrapped\nsentence ends here."}},
		{"先加租约。再提交。", []string{"先加租约。", "再提交。"}},
		{"- \n...", nil},
	} {
		if got := Sentences(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Sentences(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := CountSentences(c.in); got != len(c.want) {
			t.Errorf("CountSentences(%q) = %d, want %d", c.in, got, len(c.want))
		}
	}
}

func TestTokens(t *testing.T) {
	got := Tokenize("GC 回收了 blob-A, don't retry 3x")
	want := []string{"gc", "回", "收", "了", "blob", "a", "don", "t", "retry", "3x"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Tokenize = %q, want %q", got, want)
	}
	s := "Lease 它 now"
	for _, tok := range Tokens(s) {
		if s[tok.Start:tok.End] != tok.Text {
			t.Errorf("token %q is not at [%d,%d)", tok.Text, tok.Start, tok.End)
		}
	}
	if n := CountWords("two words 两字"); n != 4 {
		t.Errorf("CountWords = %d, want 4", n)
	}
}

func TestDiffUnits(t *testing.T) {
	got := DiffUnits("Open main.go, don't wait.")
	want := []string{"Open", "main.go", ",", "don't", "wait", "."}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("DiffUnits = %q, want %q", got, want)
	}
}
