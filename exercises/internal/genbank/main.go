// Command genbank compiles the exercise bank: it parses and validates
// exercises/<module>/*.md and the concept lexicon (exercises/lexicon/*.yaml) and
// writes them as Go data, exercises/bank_gen.go.
// It runs from the exercises folder through go generate.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/drill-coach/drill/exercises"
)

func main() {
	if err := run("."); err != nil {
		fmt.Fprintf(os.Stderr, "genbank: %v\n", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	fsys := os.DirFS(dir)
	exs, probs, err := exercises.ParseSources(fsys)
	if err != nil {
		return err
	}
	lex := exercises.LoadLexicon(fsys)
	probs = append(probs, lex.Problems...)
	key, err := exercises.SourcesHash(fsys)
	if err != nil {
		return err
	}
	data, err := goSource(key, exs, lex.Concepts(), probs)
	if err != nil {
		return err
	}
	if err := write(dir, data); err != nil {
		return err
	}
	// The bank is written with its problems in it, so tests show them; the
	// command still fails, so nobody commits a broken bank without noticing.
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(os.Stderr, p)
		}
		return fmt.Errorf("%d problem(s) in the bank, written with them: fix them, then generate again", len(probs))
	}
	return nil
}

func write(dir string, data []byte) error {
	// An interrupted run never leaves a half-written bank for the next build to embed.
	return exercises.WriteFileAtomic(filepath.Join(dir, exercises.CompiledBankFile), data, 0o644)
}
