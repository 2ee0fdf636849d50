package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newManCmd is `drill man`: one man page per command, generated from the same
// command tree the help is, so the two never disagree.
//
// The pages are written here, in a few lines of roff, rather than with cobra's
// doc package: that package links a Markdown-to-roff converter whose package
// initialisation every drill command would pay, --help included.
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
			n, err := writeManTree(root, dir, "drill "+readBuildInfo().Version)
			if err != nil {
				return fmt.Errorf("man: %w", err)
			}
			fmt.Fprintf(f.IO.Out, "wrote %d man pages to %s; read one with: man %s\n", n, dir, filepath.Join(dir, "drill.1"))
			return nil
		},
	}
}

// writeManTree writes the page of cmd and of every command below it that a
// user can run or read about, and returns how many it wrote.
func writeManTree(cmd *cobra.Command, dir, source string) (int, error) {
	n := 0
	for _, c := range cmd.Commands() {
		if !manWorthy(c) {
			continue
		}
		k, err := writeManTree(c, dir, source)
		n += k
		if err != nil {
			return n, err
		}
	}
	file := filepath.Join(dir, manName(cmd)+".1")
	if err := os.WriteFile(file, manPage(cmd, source), 0o644); err != nil {
		return n, err
	}
	return n + 1, nil
}

func manWorthy(c *cobra.Command) bool {
	return c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand()
}

// manName is the page's name: the command path joined with dashes.
func manName(cmd *cobra.Command) string {
	return strings.ReplaceAll(cmd.CommandPath(), " ", "-")
}

// manPage renders one command as a man(7) page.
func manPage(cmd *cobra.Command, source string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, ".TH \"DRILL\" \"1\" \"\" %s \"drill manual\"\n", roffQuote(source))
	b.WriteString(".SH NAME\n")
	fmt.Fprintf(&b, "%s \\- %s\n", roffEscape(manName(cmd)), roffEscape(cmd.Short))

	b.WriteString(".SH SYNOPSIS\n")
	if cmd.Runnable() {
		fmt.Fprintf(&b, ".B %s\n", roffEscape(cmd.UseLine()))
	} else {
		fmt.Fprintf(&b, ".B %s\n", roffEscape(cmd.CommandPath()+" COMMAND"))
	}

	b.WriteString(".SH DESCRIPTION\n")
	long := cmd.Long
	if long == "" {
		long = cmd.Short
	}
	roffParagraphs(&b, long)

	if fs := cmd.NonInheritedFlags(); fs.HasAvailableFlags() {
		b.WriteString(".SH OPTIONS\n")
		roffFlags(&b, fs)
	}
	if fs := cmd.InheritedFlags(); fs.HasAvailableFlags() {
		b.WriteString(".SH OPTIONS INHERITED FROM PARENT COMMANDS\n")
		roffFlags(&b, fs)
	}
	if cmd.Example != "" {
		b.WriteString(".SH EXAMPLE\n.EX\n")
		for _, line := range strings.Split(strings.TrimRight(cmd.Example, "\n"), "\n") {
			b.WriteString(roffLine(line))
			b.WriteByte('\n')
		}
		b.WriteString(".EE\n")
	}

	var see []string
	if cmd.HasParent() {
		see = append(see, manName(cmd.Parent()))
	}
	for _, c := range cmd.Commands() {
		if manWorthy(c) {
			see = append(see, manName(c))
		}
	}
	sort.Strings(see)
	if len(see) > 0 {
		b.WriteString(".SH SEE ALSO\n")
		for i, s := range see {
			sep := ","
			if i == len(see)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, ".BR %s (1)%s\n", roffEscape(s), sep)
		}
	}
	return b.Bytes()
}

// roffFlags lists the flags of fs as tagged paragraphs.
func roffFlags(b *bytes.Buffer, fs *pflag.FlagSet) {
	fs.VisitAll(func(fl *pflag.Flag) {
		if fl.Hidden {
			return
		}
		name := "--" + fl.Name
		if fl.Shorthand != "" && fl.ShorthandDeprecated == "" {
			name = "-" + fl.Shorthand + ", " + name
		}
		if varname, _ := pflag.UnquoteUsage(fl); varname != "" {
			name += " " + varname
		}
		usage := fl.Usage
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "[]" && fl.DefValue != "0" && fl.DefValue != "0s" {
			usage += " (default " + fl.DefValue + ")"
		}
		fmt.Fprintf(b, ".TP\n.B %s\n", roffEscape(name))
		b.WriteString(roffLine(usage))
		b.WriteByte('\n')
	})
}

// roffParagraphs writes text, its blank lines separating paragraphs. Indented
// lines (examples inside a description) keep their layout.
func roffParagraphs(b *bytes.Buffer, text string) {
	for i, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		lines := strings.Split(para, "\n")
		verbatim := false
		for _, l := range lines {
			if strings.HasPrefix(l, "  ") {
				verbatim = true
			}
		}
		if verbatim {
			b.WriteString(".nf\n")
		}
		for _, l := range lines {
			b.WriteString(roffLine(l))
			b.WriteByte('\n')
		}
		if verbatim {
			b.WriteString(".fi\n")
		}
	}
}

// roffLine escapes one line of text so that roff prints it as it is: a line
// starting with a dot or a quote would be read as a request.
func roffLine(s string) string {
	s = roffEscape(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffEscape escapes roff's escape character and hyphens (so options keep
// their ASCII minus signs when the page is copied from).
func roffEscape(s string) string {
	return strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
}

// roffQuote quotes a macro argument.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(roffEscape(s), `"`, `\(dq`) + `"`
}
