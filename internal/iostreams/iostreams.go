// Package iostreams owns drill's standard streams and what is known about them:
// which stream is a terminal, whether colour is wanted, how wide the terminal
// is, which theme to draw in, and where progress goes. Commands ask it instead
// of each probing file descriptors and the environment on their own, and tests
// build one over buffers with Test.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/drill-coach/drill/internal/sanitize"
)

// DefaultWidth is the width assumed when the terminal does not say (pipes,
// files, tests).
const DefaultWidth = 80

// Themes drill draws in.
const (
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// IOStreams carries every byte drill reads or writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY, stdoutTTY, stderrTTY bool
	noColor                        bool
	theme                          string
	// size reports the terminal's width; nil when stdout is not a terminal.
	size  func() (int, error)
	width int // fixed width set by a test or $COLUMNS; 0 asks size
}

// System returns the process's streams. Everything drill prints is cleaned of
// terminal escape sequences in one place, so no field of an exercise, answer or
// reply can be forgotten; on a terminal drill's own colours (SGR) pass.
// getenv is read once, here: NO_COLOR, TERM and COLUMNS.
func System(getenv func(string) string) *IOStreams {
	s := &IOStreams{
		In:        os.Stdin,
		stdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		theme:     ThemeDark,
	}
	s.Out = sanitize.NewWriter(os.Stdout, s.stdoutTTY)
	s.ErrOut = sanitize.NewWriter(os.Stderr, false)
	// https://no-color.org: any non-empty value turns colour off.
	s.noColor = getenv("NO_COLOR") != "" || getenv("TERM") == "dumb"
	if n, err := strconv.Atoi(strings.TrimSpace(getenv("COLUMNS"))); err == nil && n > 0 {
		s.width = n
	}
	if s.stdoutTTY {
		fd := int(os.Stdout.Fd())
		s.size = func() (int, error) {
			w, _, err := term.GetSize(fd)
			return w, err
		}
	}
	return s
}

// Test returns streams over buffers: no terminal, no colour, 80 columns.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, theme: ThemeDark, noColor: true}, in, out, errOut
}

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether standard output is a terminal: print for
// humans, else stable plain text.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether standard error is a terminal, where a progress
// bar may redraw itself.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// SetStdinTTY, SetStdoutTTY and SetStderrTTY let tests play a terminal.
func (s *IOStreams) SetStdinTTY(v bool)  { s.stdinTTY = v }
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// ColorEnabled reports whether drill may colour standard output: it is a
// terminal and NO_COLOR is not set.
func (s *IOStreams) ColorEnabled() bool { return s.stdoutTTY && !s.noColor }

// NoColor reports whether the user asked for no colour at all (NO_COLOR or
// TERM=dumb), whatever the stream.
func (s *IOStreams) NoColor() bool { return s.noColor }

// SetNoColor sets what NO_COLOR would.
func (s *IOStreams) SetNoColor(v bool) { s.noColor = v }

// Theme is the theme drill draws in: ThemeDark or ThemeLight.
func (s *IOStreams) Theme() string {
	if s.theme == "" {
		return ThemeDark
	}
	return s.theme
}

// SetTheme sets the theme from the configuration. Anything but ThemeLight
// draws dark, the usual terminal background.
func (s *IOStreams) SetTheme(theme string) {
	if theme == ThemeLight {
		s.theme = ThemeLight
		return
	}
	s.theme = ThemeDark
}

// TerminalWidth is the width to lay output out in: $COLUMNS, else the
// terminal's own width, else DefaultWidth.
func (s *IOStreams) TerminalWidth() int {
	if s.width > 0 {
		return s.width
	}
	if s.size != nil {
		if w, err := s.size(); err == nil && w > 0 {
			return w
		}
	}
	return DefaultWidth
}

// SetWidth fixes the width, for tests.
func (s *IOStreams) SetWidth(w int) { s.width = w }

// ProgressBar reports whether progress may redraw one line on standard error;
// otherwise progress is written as occasional lines, or not at all.
func (s *IOStreams) ProgressBar() bool { return s.stderrTTY && !s.noColor }

// ProgressOut is where a progress bar draws: standard error without the
// cleaning writer, since the bar's own carriage returns and line erasing are
// the point. Only drill's own text goes there.
func (s *IOStreams) ProgressOut() io.Writer { return sanitize.Raw(s.ErrOut) }

// Flush writes out what the cleaning writers hold back.
func (s *IOStreams) Flush() {
	for _, w := range []io.Writer{s.Out, s.ErrOut} {
		if f, ok := w.(interface{ Flush() error }); ok {
			_ = f.Flush()
		}
	}
}
