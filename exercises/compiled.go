package exercises

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// The bank is compiled once, at build time: go generate parses and validates
// exercises/<module>/*.md and writes them as Go data (bank_gen.go). The linker
// lays that data out in the binary, so loading the bank parses, decodes and
// allocates nothing, and a command touches only the exercises it reads.
// TestCompiledBankIsFresh fails when bank_gen.go no longer matches the files.
//
// The compiled exercises are shared by every Bank of the process: nothing may
// change them (the grader's caches in them are filled once, under sync.Once).
//
//go:generate go run -tags nobank ./internal/genbank

// CompiledBankFile is the generated file, relative to this package.
const CompiledBankFile = "bank_gen.go"

// RegenerateHint says how to rebuild the compiled bank.
const RegenerateHint = "run 'go generate ./exercises' (or 'make gen') and commit exercises/bank_gen.go"

// bankSources lists the exercise files of the bank in fsys, as go:embed would.
func bankSources(fsys fs.FS) ([]string, error) {
	files, err := fs.Glob(fsys, "*/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

// SourcesHash is the SHA-256 of the bank's files in fsys, the exercises and the
// lexicon: names and contents.
func SourcesHash(fsys fs.FS) (string, error) {
	files, err := bankSources(fsys)
	if err != nil {
		return "", err
	}
	lex, err := fs.Glob(fsys, "lexicon/*.yaml")
	if err != nil {
		return "", err
	}
	sort.Strings(lex)
	files = append(files, lex...)
	h := sha256.New()
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ParseSources parses and validates the bank's files in fsys, in name order, as
// the compiled bank holds them. Every problem is returned, duplicate ids included.
func ParseSources(fsys fs.FS) ([]*Exercise, []Problem, error) {
	files, err := bankSources(fsys)
	if err != nil {
		return nil, nil, err
	}
	var exs []*Exercise
	var probs []Problem
	seen := map[string]string{}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, nil, err
		}
		name := "embedded:" + path.Clean(f)
		ex, ps := Parse(name, data)
		probs = append(probs, ps...)
		if ex == nil || len(ps) > 0 {
			continue
		}
		if old, ok := seen[ex.ID]; ok {
			probs = append(probs, Problem{File: name, Line: 2, Msg: "exercise id " + ex.ID + " is already used by " + old})
			continue
		}
		seen[ex.ID] = name
		exs = append(exs, ex)
	}
	return exs, probs, nil
}

// CompiledKey returns the sources hash the embedded bank was built from.
func CompiledKey() string { return compiledKey }

// CompiledExercises returns every exercise of the embedded bank, in file order.
// They are shared: the caller must not change them.
func CompiledExercises() []*Exercise {
	return append([]*Exercise(nil), compiledExercises...)
}

// CompiledProblems returns the problems the bank's files had when it was
// compiled (none in a bank that ships: go generate fails on them).
func CompiledProblems() []Problem {
	return append([]Problem(nil), compiledProblems...)
}
