package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newManCmd is `drill man`: one man page per command, generated from the same
// command tree the help is, so the two never disagree.
func newManCmd(f *Factory, root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "man [DIR]",
		Short: "Write drill's man pages (drill.1, drill-list.1, ...) into DIR (default ./man)",
		Example: `  drill man && man ./man/drill.1
  sudo drill man /usr/local/share/man/man1`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "man"
			if len(args) == 1 {
				dir = args[0]
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("man: %w", err)
			}
			hdr := &doc.GenManHeader{Title: "DRILL", Section: "1", Source: "drill " + readBuildInfo().Version, Manual: "drill manual"}
			// No "auto generated" footer: the pages are drill's own manual.
			root.DisableAutoGenTag = true
			if err := doc.GenManTree(root, hdr, dir); err != nil {
				return fmt.Errorf("man: %w", err)
			}
			pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
			fmt.Fprintf(f.IO.Out, "wrote %d man pages to %s; read one with: man %s\n", len(pages), dir, filepath.Join(dir, "drill.1"))
			return nil
		},
	}
}
