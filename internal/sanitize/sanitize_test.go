package sanitize

import "testing"

func TestText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain 中文 text\nline two\ttab", "plain 中文 text\nline two\ttab"},
		{"red \x1b[31mtext\x1b[0m", "red text"},
		{"title \x1b]0;pwned\x07after", "title after"},
		{"osc st \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "osc st link"},
		{"clear\x1b[2J\x1b[Hscreen", "clearscreen"},
		{"over\rwrite", "overwrite"},
		{"bell\x07 nul\x00", "bell nul"},
		{"c1 \u009b31mcsi", "c1 csi"},
		{"bidi \u202eevil", "bidi evil"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"dcs \x1bPq#0;2;0;0;0\x1b\\end", "dcs end"},
		{"lone esc at end \x1b", "lone esc at end "},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("a\x1b[31mb")
	f.Add("\x1b]0;x\x07")
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		for _, r := range out {
			if r == 0x1b || r == '\r' || r == 0x9b || r == 0x07 {
				t.Fatalf("Text(%q) kept control %U", s, r)
			}
		}
		if Text(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}
