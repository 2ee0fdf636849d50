package sanitize

import (
	"bytes"
	"fmt"
	"testing"
	"unicode/utf8"
)

func TestWriterCleansEveryWrite(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, false)
	// An OSC 52 clipboard write hidden in a tag, as `drill show` once printed it.
	fmt.Fprintf(w, "tags: %s\n", "k8s, \x1b]52;c;cm0gLXJmIH4K\x07disk")
	if got, want := out.String(), "tags: k8s, disk\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestWriterKeepsCharactersSplitAcrossWrites(t *testing.T) {
	in := []byte("中文 answer — ✅ done\n")
	var out bytes.Buffer
	w := NewWriter(&out, false)
	for i := range in {
		if _, err := w.Write(in[i : i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if out.String() != string(in) {
		t.Fatalf("byte-by-byte writes gave %q, want %q", out.String(), in)
	}
}

func TestWriterFlushesACutCharacter(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, false)
	w.Write([]byte("end \xe4\xb8"))
	if out.String() != "end " {
		t.Fatalf("before flush: %q", out.String())
	}
	w.Flush()
	if out.String() != "end "+Text("\xe4\xb8") {
		t.Fatalf("after flush: %q", out.String())
	}
}

func TestKeepStyle(t *testing.T) {
	in := "\x1b[31;9mgone\x1b[0m \x1b[32mnew\x1b[0m\x1b]52;c;eA==\x07\x1b[2J\x1b[?25l"
	want := "\x1b[31;9mgone\x1b[0m \x1b[32mnew\x1b[0m"
	if got := KeepStyle(in); got != want {
		t.Fatalf("KeepStyle = %q, want %q", got, want)
	}
	var out bytes.Buffer
	NewWriter(&out, true).Write([]byte(in))
	if out.String() != want {
		t.Fatalf("styled writer = %q, want %q", out.String(), want)
	}
}

func TestRaw(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, false)
	if Raw(w) != &out {
		t.Fatal("Raw did not unwrap the writer")
	}
	if Raw(&out) != &out {
		t.Fatal("Raw changed a plain writer")
	}
}

// FuzzWriter: however the text is cut into writes, nothing that can drive a
// terminal gets through, and one whole write is exactly Text.
func FuzzWriter(f *testing.F) {
	f.Add("a\x1b[31mb\x1b]52;c;x\x07c", uint8(3))
	f.Add("中文\u009b2J", uint8(1))
	f.Fuzz(func(t *testing.T, s string, step uint8) {
		var whole bytes.Buffer
		NewWriter(&whole, false).Write([]byte(s))
		if utf8.ValidString(s) && whole.String() != Text(s) {
			t.Fatalf("one write of %q = %q, Text = %q", s, whole.String(), Text(s))
		}
		var out bytes.Buffer
		w := NewWriter(&out, false)
		n := int(step%16) + 1
		for i := 0; i < len(s); i += n {
			w.Write([]byte(s[i:min(i+n, len(s))]))
		}
		w.Flush()
		if got := out.String(); Text(got) != got {
			t.Fatalf("writes of %d bytes of %q let through %q", n, s, got)
		}
	})
}
