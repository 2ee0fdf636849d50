package exercises

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	_ "embed"
)

// The bank is compiled once, at build time: go generate parses and validates
// exercises/<module>/*.md and writes bank.gob, which drill embeds instead of the
// Markdown. TestCompiledBankIsFresh fails when bank.gob no longer matches the files.
//
//go:generate go run ./internal/genbank
//go:embed bank.gob
var compiledBank []byte

// CompiledBankFile is the generated file, relative to this package.
const CompiledBankFile = "bank.gob"

// RegenerateHint says how to rebuild the compiled bank.
const RegenerateHint = "run 'go generate ./exercises' (or 'make gen') and commit exercises/bank.gob"

// bankSources lists the exercise files of the bank in fsys, as go:embed would.
func bankSources(fsys fs.FS) ([]string, error) {
	files, err := fs.Glob(fsys, "*/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

// SourcesHash is the SHA-256 of the bank's files in fsys: names and contents.
func SourcesHash(fsys fs.FS) (string, error) {
	files, err := bankSources(fsys)
	if err != nil {
		return "", err
	}
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

// CompileSources builds the compiled bank from the files in fsys. It refuses a
// bank with problems: what ships has been validated.
//
// The bank is compiled even when files have problems, so a half-edited bank can
// be tested; the problems travel in it and the caller reports them.
func CompileSources(fsys fs.FS) ([]byte, []Problem, error) {
	exs, probs, err := ParseSources(fsys)
	if err != nil {
		return nil, probs, err
	}
	hash, err := SourcesHash(fsys)
	if err != nil {
		return nil, nil, err
	}
	b, err := newPackBuilder(hash)
	if err != nil {
		return nil, nil, err
	}
	for _, ex := range exs {
		if err := b.add(ex, &packEntry{File: ex.File}); err != nil {
			return nil, nil, err
		}
	}
	// A file with problems is in the bank as its problems, as a learner's broken
	// file is: every command and test that loads the bank reports them.
	byFile := map[string][]Problem{}
	var files []string
	for _, p := range probs {
		if _, ok := byFile[p.File]; !ok {
			files = append(files, p.File)
		}
		byFile[p.File] = append(byFile[p.File], p)
	}
	for _, f := range files {
		b.addProblem(&packEntry{File: f, Problems: byFile[f]})
	}
	data, err := b.marshal()
	return data, probs, err
}

var embeddedPack struct {
	once sync.Once
	p    *pack
	err  error
}

// compiled returns the embedded bank's pack, read once per process: it is never
// changed, each Bank decodes its own exercises from it.
func compiled() (*pack, error) {
	embeddedPack.once.Do(func() {
		embeddedPack.p, embeddedPack.err = unmarshalPack(compiledBank)
	})
	return embeddedPack.p, embeddedPack.err
}

// CompiledKey returns the sources hash the embedded bank was built from.
func CompiledKey() (string, error) {
	p, err := compiled()
	if err != nil {
		return "", err
	}
	return p.Key, nil
}

// CompiledExercises decodes every exercise of the embedded bank, in file order.
func CompiledExercises() ([]*Exercise, error) {
	p, err := compiled()
	if err != nil {
		return nil, err
	}
	return p.decode(p.Entries)
}
