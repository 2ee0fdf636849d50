package lexers

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

//go:embed embedded
var embedded embed.FS

// This file differs from chroma v2.14.0: the embedded XML lexers are read on
// first use instead of at package initialisation (about 12 ms and 2.3 MB for
// every process that links the package, highlighting or not). Lexers registered
// in Go keep their order after the embedded ones, as upstream.

// GlobalLexerRegistry is the global LexerRegistry of Lexers. The embedded lexers
// are not in it until first used through the functions of this package.
var GlobalLexerRegistry = chroma.NewLexerRegistry()

var (
	loadOnce  sync.Once
	loaded    bool
	inGo      []chroma.Lexer
	afterLoad []func(reg *chroma.LexerRegistry)
)

// load registers the embedded lexers once, then again the lexers registered in Go,
// so that they win over embedded ones of the same name as they do upstream.
func load() {
	loadOnce.Do(func() {
		reg := chroma.NewLexerRegistry()
		paths, err := fs.Glob(embedded, "embedded/*.xml")
		if err != nil {
			panic(err)
		}
		for _, path := range paths {
			reg.Register(chroma.MustNewXMLLexer(embedded, path))
		}
		for _, l := range inGo {
			reg.Register(l)
		}
		*GlobalLexerRegistry = *reg
		loaded = true
		for _, f := range afterLoad {
			f(GlobalLexerRegistry)
		}
	})
}

// Names of all lexers, optionally including aliases.
func Names(withAliases bool) []string {
	load()
	return GlobalLexerRegistry.Names(withAliases)
}

// Get a Lexer by name, alias or file extension.
//
// Note that this if there isn't an exact match on name or alias, this will
// call Match(), so it is not efficient.
func Get(name string) chroma.Lexer {
	load()
	return GlobalLexerRegistry.Get(name)
}

// MatchMimeType attempts to find a lexer for the given MIME type.
func MatchMimeType(mimeType string) chroma.Lexer {
	load()
	return GlobalLexerRegistry.MatchMimeType(mimeType)
}

// Match returns the first lexer matching filename.
//
// Note that this iterates over all file patterns in all lexers, so it's not
// particularly efficient.
func Match(filename string) chroma.Lexer {
	load()
	return GlobalLexerRegistry.Match(filename)
}

// Register a Lexer with the global registry.
func Register(lexer chroma.Lexer) chroma.Lexer {
	if !loaded {
		inGo = append(inGo, lexer)
	}
	return GlobalLexerRegistry.Register(lexer)
}

// Analyse text content and return the "best" lexer..
func Analyse(text string) chroma.Lexer {
	load()
	return GlobalLexerRegistry.Analyse(text)
}

// PlaintextRules is used for the fallback lexer as well as the explicit
// plaintext lexer.
func PlaintextRules() chroma.Rules {
	return chroma.Rules{
		"root": []chroma.Rule{
			{`.+`, chroma.Text, nil},
			{`\n`, chroma.Text, nil},
		},
	}
}

// Fallback lexer if no other is found.
var Fallback chroma.Lexer = chroma.MustNewLexer(&chroma.Config{
	Name:      "fallback",
	Filenames: []string{"*"},
	Priority:  -1,
}, PlaintextRules)
