//go:build nobank

package exercises

// An empty bank, for building the generator: go generate runs genbank with the
// nobank tag, so it never depends on the bank_gen.go it is about to replace,
// which may not compile after a change to the Exercise types.

const compiledKey = ""

var (
	compiledExercises []*Exercise
	compiledProblems  []Problem
)

// compiledLexicon is empty too: DefaultLexicon then reads the lexicon files.
var compiledLexicon []Concept
