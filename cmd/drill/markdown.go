package main

import (
	"fmt"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/markdown"
	"github.com/drill-coach/drill/internal/sanitize"
)

// maxProseWidth caps rendered text on a wide terminal: lines much longer than
// this are hard to follow back to their start.
const maxProseWidth = 100

// printMarkdown prints md as stable plain text when plain is set (piped output,
// --plain), and rendered for the terminal otherwise, in its theme. With
// NO_COLOR the rendering keeps its layout and drops colour.
func printMarkdown(ios *iostreams.IOStreams, md string, plain bool) error {
	md = sanitize.Text(md)
	if plain {
		_, err := fmt.Fprint(ios.Out, md)
		return err
	}
	theme := markdown.Dark
	switch {
	case ios.NoColor():
		theme = markdown.NoColor
	case ios.Theme() == iostreams.ThemeLight:
		theme = markdown.Light
	}
	_, err := fmt.Fprintln(ios.Out, markdown.Render(md, min(ios.TerminalWidth(), maxProseWidth), theme))
	return err
}

// terminalTheme is the theme a command draws in for the configured setting:
// auto is light only when COLORFGBG says the background is light, since a
// command prints before a terminal could answer a background query.
func terminalTheme(setting string, getenv func(string) string) string {
	switch setting {
	case config.ThemeLight:
		return iostreams.ThemeLight
	case config.ThemeDark:
		return iostreams.ThemeDark
	}
	if dark, ok := markdown.DarkBackground(getenv("COLORFGBG")); ok && !dark {
		return iostreams.ThemeLight
	}
	return iostreams.ThemeDark
}
