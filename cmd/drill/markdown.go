package main

import (
	"fmt"

	"charm.land/glamour/v2"

	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
)

// printMarkdown prints md as stable plain text when plain is set (piped output,
// --plain), and rendered with glamour for a terminal otherwise. With NO_COLOR the
// rendering keeps its layout and drops colour.
func printMarkdown(ios *iostreams.IOStreams, md string, plain bool) error {
	// Clean the source, not only the output: glamour's own styling must pass to
	// the terminal, so nothing from an exercise may hide among it.
	md = sanitize.Text(md)
	if plain {
		_, err := fmt.Fprint(ios.Out, md)
		return err
	}
	style := "dark"
	if ios.NoColor() {
		style = "notty"
	}
	r, err := glamour.NewTermRenderer(glamour.WithWordWrap(80), glamour.WithStandardStyle(style))
	if err != nil {
		return err
	}
	out, err := r.Render(md)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(ios.Out, out)
	return err
}
