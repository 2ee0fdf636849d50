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
//
//go:embed lexicon/*.yaml
var lexiconFiles embed.FS

// Lexicon maps a concept to its phrasings, each a term as in a say group.
type Lexicon struct {
	terms    map[string][]string
	Problems []Problem
}

// Terms returns the phrasings of concept, and whether it exists.
func (l *Lexicon) Terms(concept string) ([]string, bool) {
	t, ok := l.terms[concept]
	return t, ok
}

// Concepts lists the concept names in order.
func (l *Lexicon) Concepts() []string {
	out := make([]string, 0, len(l.terms))
	for c := range l.terms {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// DefaultLexicon is the embedded lexicon, read once. It never changes after that,
// so every pattern compiled in a process sees the same concepts.
func DefaultLexicon() *Lexicon { return defaultLexicon() }

var defaultLexicon = sync.OnceValue(func() *Lexicon { return loadLexicon(lexiconFiles) })

func loadLexicon(fsys fs.FS) *Lexicon {
	l := &Lexicon{terms: map[string][]string{}}
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
			if !idPattern.MatchString(concept) {
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
			l.terms[concept] = terms
		}
	}
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
