package exercises

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

// The concept lexicon: one file per area under lexicon/, each mapping a concept
// name to the plain-word phrasings of it. Patterns reference a concept as "@name".
// go generate compiles it with the bank (compiledLexicon in bank_gen.go); the
// files are embedded for the generator itself, which builds without that data.
//
//go:embed lexicon/*.yaml
var lexiconFiles embed.FS

// Lexicon maps a concept to its phrasings, each a term as in a say group.
type Lexicon struct {
	concepts []Concept // sorted by name
	Problems []Problem
}

// Concept is one concept of the lexicon and its phrasings.
type Concept struct {
	Name  string
	Terms []string
}

// Terms returns the phrasings of concept, and whether it exists.
func (l *Lexicon) Terms(concept string) ([]string, bool) {
	i, ok := sort.Find(len(l.concepts), func(i int) int { return strings.Compare(concept, l.concepts[i].Name) })
	if !ok {
		return nil, false
	}
	return l.concepts[i].Terms, true
}

// Concepts returns the concepts in name order. They are shared: the caller must
// not change them.
func (l *Lexicon) Concepts() []Concept { return l.concepts }

// DefaultLexicon is the compiled lexicon. It never changes, so every pattern
// compiled in a process sees the same concepts.
func DefaultLexicon() *Lexicon { return defaultLexicon() }

var defaultLexicon = sync.OnceValue(func() *Lexicon {
	if len(compiledLexicon) == 0 {
		// Only genbank, built without the compiled bank, reads the files.
		return LoadLexicon(lexiconFiles)
	}
	return &Lexicon{concepts: compiledLexicon}
})

// LoadLexicon reads and validates the lexicon files (lexicon/*.yaml) of fsys.
func LoadLexicon(fsys fs.FS) *Lexicon {
	byName := map[string][]string{}
	l := &Lexicon{}
	from := map[string]string{}
	names, _ := fs.Glob(fsys, "lexicon/*.yaml")
	sort.Strings(names)
	for _, name := range names {
		file := "embedded:exercises/" + name
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			l.Problems = append(l.Problems, Problem{File: file, Msg: err.Error()})
			continue
		}
		var m yaml.MapSlice
		if err := yaml.Unmarshal(data, &m); err != nil {
			l.Problems = append(l.Problems, Problem{File: file, Msg: err.Error()})
			continue
		}
		for _, item := range m {
			concept, _ := item.Key.(string)
			line := lineOf(data, concept+":")
			bad := func(format string, args ...any) {
				l.Problems = append(l.Problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
			}
			if !idPattern().MatchString(concept) {
				bad("concept %q must be lower-case letters, digits and dashes", concept)
				continue
			}
			if prev, dup := from[concept]; dup {
				bad("concept %q is already defined in %s", concept, path.Base(prev))
				continue
			}
			list, ok := item.Value.([]any)
			if !ok || len(list) == 0 {
				bad("concept %q needs a list of phrasings", concept)
				continue
			}
			var terms []string
			for _, v := range list {
				s := strings.TrimSpace(fmt.Sprint(v))
				if strings.ContainsAny(s, "|+@") || len(Tokenize(strings.TrimSuffix(s, "*"))) == 0 {
					bad("concept %q: phrasing %q must be plain words (no |, + or @)", concept, s)
					continue
				}
				terms = append(terms, s)
			}
			from[concept] = file
			byName[concept] = terms
		}
	}
	for name, t := range byName {
		l.concepts = append(l.concepts, Concept{Name: name, Terms: t})
	}
	sort.Slice(l.concepts, func(i, j int) bool { return l.concepts[i].Name < l.concepts[j].Name })
	return l
}

// lineOf returns the 1-based line where key starts a line, or 0.
func lineOf(data []byte, key string) int {
	for i, ln := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(ln, key) {
			return i + 1
		}
	}
	return 0
}
