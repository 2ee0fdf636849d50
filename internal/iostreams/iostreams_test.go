package iostreams

import (
	"errors"
	"testing"
)

func TestColourNeedsATerminalAndNoNO_COLOR(t *testing.T) {
	s, _, _, _ := Test()
	s.SetNoColor(false)
	if s.ColorEnabled() {
		t.Fatal("colour on a pipe")
	}
	s.SetStdoutTTY(true)
	if !s.ColorEnabled() {
		t.Fatal("no colour on a terminal")
	}
	s.SetNoColor(true)
	if s.ColorEnabled() {
		t.Fatal("colour despite NO_COLOR")
	}
}

func TestWidth(t *testing.T) {
	s, _, _, _ := Test()
	if s.TerminalWidth() != DefaultWidth {
		t.Fatalf("width %d on a pipe", s.TerminalWidth())
	}
	s.size = func() (int, error) { return 132, nil }
	if s.TerminalWidth() != 132 {
		t.Fatalf("width %d, the terminal says 132", s.TerminalWidth())
	}
	s.size = func() (int, error) { return 0, errors.New("not a terminal") }
	if s.TerminalWidth() != DefaultWidth {
		t.Fatalf("width %d when the terminal cannot say", s.TerminalWidth())
	}
	s.SetWidth(100) // $COLUMNS wins
	if s.TerminalWidth() != 100 {
		t.Fatalf("width %d, COLUMNS says 100", s.TerminalWidth())
	}
}

func TestTheme(t *testing.T) {
	s, _, _, _ := Test()
	for in, want := range map[string]string{"": ThemeDark, "dark": ThemeDark, "light": ThemeLight, "auto": ThemeDark, "purple": ThemeDark} {
		s.SetTheme(in)
		if got := s.Theme(); got != want {
			t.Errorf("SetTheme(%q): %q, want %q", in, got, want)
		}
	}
}

func TestProgressBarOnlyOnATerminal(t *testing.T) {
	s, _, _, _ := Test()
	s.SetNoColor(false)
	if s.ProgressBar() {
		t.Fatal("a redrawn bar on a pipe")
	}
	s.SetStderrTTY(true)
	if !s.ProgressBar() {
		t.Fatal("no bar on a terminal")
	}
}
