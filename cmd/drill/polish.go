package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/grader/llm"
	"github.com/drill-coach/drill/internal/iostreams"
	"github.com/drill-coach/drill/internal/sanitize"
)

type polishOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.Config, error)

	Text    string // from the arguments
	File    string
	Stdin   bool
	Variant string
	JSON    bool
}

func newPolishCmd(f *Factory) *cobra.Command {
	opts := polishOptions{IO: f.IO, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "polish [TEXT | --file F | -]",
		Short: "Polish English: the rewritten text, then each change with its category and reason",
		Long: `polish rewrites English into clear spoken form through an OpenAI-compatible LLM and
shows the changes as a word diff, each with a category (grammar, word choice,
concision, tone, structure) and a one-line reason. --variant gives the condensed
forms: pitch15 (a 15-second pitch), pr3 (a 3-line PR comment), meeting (collaborative
tone) and rca (a root-cause summary).

Without an endpoint it runs offline checks instead (sentence count, non-English text,
misspellings, filler words, repetition) and says how to enable the LLM.`,
		Example: `  drill polish "We was seeing intermitent failures when two importers commit."
  drill polish --file answer.txt --variant pitch15
  pbpaste | drill polish - --variant pr3`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Stdin = len(args) == 1 && args[0] == "-"
			if !opts.Stdin && len(args) > 0 {
				opts.Text = strings.Join(args, " ")
			}
			n := 0
			for _, given := range []bool{opts.Text != "", opts.File != "", opts.Stdin} {
				if given {
					n++
				}
			}
			if n != 1 {
				return usageError{errors.New("give the text as an argument, with --file F, or - for stdin (exactly one)")}
			}
			if !llm.IsVariant(opts.Variant) || opts.Variant == "" && cmd.Flags().Changed("variant") {
				return usageError{fmt.Errorf("unknown variant %q: use pitch15, pr3, meeting or rca", opts.Variant)}
			}
			return runPolish(cmd.Context(), &opts)
		},
	}
	cmd.Flags().StringVarP(&opts.File, "file", "f", "", "read the text from this file")
	cmd.Flags().StringVar(&opts.Variant, "variant", "", "condensed form: pitch15, pr3, meeting or rca")
	addJSONFlag(cmd, &opts.JSON, "print the result as JSON")
	return cmd
}

// polishJSON is the stable shape of `drill polish --json`.
type polishJSON struct {
	LLM      bool          `json:"llm"`
	Polished *llm.Polished `json:"polished,omitempty"`
	Advice   []llm.Advice  `json:"advice,omitempty"`
	Error    string        `json:"error,omitempty"`
}

func runPolish(ctx context.Context, opts *polishOptions) error {
	text := opts.Text
	if text == "" {
		var err error
		if text, err = readAnswer(ctx, opts.IO.In, opts.File); errors.Is(err, errInterrupted) {
			return errors.New("interrupted: nothing was polished")
		} else if err != nil {
			return err
		}
	}
	if strings.TrimSpace(text) == "" {
		return usageError{errors.New("nothing to polish: the text is empty")}
	}
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	client, err := llm.FromConfig(cfg)
	if errors.Is(err, llm.ErrNotConfigured) {
		return printPolishAdvice(opts, text, "No LLM endpoint is configured, so here are the offline checks.", nil)
	}
	if err != nil {
		return err
	}

	out := opts.IO.Out
	stream := opts.IO.IsStdoutTTY() && !opts.JSON
	var onText func(string)
	if stream {
		fmt.Fprintf(out, "Polished (%s):\n", sanitize.Text(client.Model()))
		onText = func(s string) { fmt.Fprint(out, s) }
	}
	p, err := client.Polish(ctx, text, opts.Variant, onText)
	if err != nil {
		if stream {
			fmt.Fprintln(out)
		}
		// Keep the learner's text and still give the offline checks.
		_ = printPolishAdvice(opts, text, "The LLM failed, so here are the offline checks; your text is unchanged.", err)
		return fmt.Errorf("polish: %w", err)
	}
	if opts.JSON {
		return writeJSON(out, polishJSON{LLM: true, Polished: p})
	}
	if stream {
		fmt.Fprint(out, "\n\n")
	} else {
		fmt.Fprintf(out, "Polished:\n%s\n\n", p.Text)
	}
	printPolishChanges(out, p, opts.IO.ColorEnabled())
	return nil
}

func printPolishChanges(out io.Writer, p *llm.Polished, color bool) {
	if len(p.Changes) == 0 {
		fmt.Fprintln(out, "No changes: the text already reads well.")
		return
	}
	fmt.Fprintln(out, "Word diff:")
	var sb strings.Builder
	for i, s := range p.Diff {
		if i > 0 {
			sb.WriteByte(' ')
		}
		t := sanitize.Text(s.Text)
		switch {
		case s.Op == "-" && color:
			sb.WriteString("\x1b[31;9m" + t + "\x1b[0m")
		case s.Op == "+" && color:
			sb.WriteString("\x1b[32m" + t + "\x1b[0m")
		case s.Op == "-":
			sb.WriteString("[-" + t + "-]")
		case s.Op == "+":
			sb.WriteString("{+" + t + "+}")
		default:
			sb.WriteString(t)
		}
	}
	fmt.Fprintf(out, "%s\n\nChanges:\n", sb.String())
	for _, c := range p.Changes {
		var what string
		switch {
		case c.Before == "":
			what = fmt.Sprintf("added %q", sanitize.Text(c.After))
		case c.After == "":
			what = fmt.Sprintf("removed %q", sanitize.Text(c.Before))
		default:
			what = fmt.Sprintf("%q → %q", sanitize.Text(c.Before), sanitize.Text(c.After))
		}
		fmt.Fprintf(out, "- [%s] %s: %s\n", c.Category, what, sanitize.Text(c.Reason))
	}
	if p.Note != "" {
		fmt.Fprintf(out, "\nNote: %s.\n", p.Note)
	}
}

// printPolishAdvice prints the offline checks and how to enable the LLM.
func printPolishAdvice(opts *polishOptions, text, header string, cause error) error {
	advice := llm.AdviseVariant(text, opts.Variant)
	if opts.JSON {
		j := polishJSON{Advice: advice}
		if cause != nil {
			j.Error = cause.Error()
		}
		return writeJSON(opts.IO.Out, j)
	}
	out := opts.IO.Out
	fmt.Fprintln(out, header)
	for _, a := range advice {
		fmt.Fprintf(out, "- [%s] %s\n", a.Check, sanitize.Text(a.Message))
	}
	if cause == nil {
		fmt.Fprintf(out, "\n%s\n%s\n", llm.EnableHint, llm.CheckHint)
	}
	return nil
}
