package styles

import (
	"embed"
	"io/fs"
	"sort"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// This file differs from chroma v2.14.0: the embedded styles are parsed on first
// use instead of at package initialisation (about 7 ms and 1.6 MB for every
// process that links the package, highlighting or not), and the compatibility
// variables of compat.go, which needed them at initialisation, are gone.

//go:embed *.xml
var embedded embed.FS

// Registry of Styles registered with Register. The embedded styles are not in it
// until first used: look styles up with Get.
var Registry = map[string]*chroma.Style{}

// Fallback style, set when the embedded styles are loaded. Reassign to change the
// default fallback style.
var Fallback *chroma.Style

var (
	loadOnce sync.Once
	builtin  map[string]*chroma.Style
)

// load parses the embedded styles once.
func load() {
	loadOnce.Do(func() {
		builtin = map[string]*chroma.Style{}
		files, err := fs.ReadDir(embedded, ".")
		if err != nil {
			panic(err)
		}
		for _, file := range files {
			if file.IsDir() {
				continue
			}
			r, err := embedded.Open(file.Name())
			if err != nil {
				panic(err)
			}
			style, err := chroma.NewXMLStyle(r)
			if err != nil {
				panic(err)
			}
			builtin[style.Name] = style
			_ = r.Close()
		}
		if Fallback == nil {
			Fallback = builtin["swapoff"]
		}
	})
}

// Register a chroma.Style.
func Register(style *chroma.Style) *chroma.Style {
	Registry[style.Name] = style
	return style
}

// Names of all available styles.
func Names() []string {
	load()
	seen := map[string]bool{}
	out := []string{}
	for _, m := range []map[string]*chroma.Style{Registry, builtin} {
		for name := range m {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Get named style, or Fallback.
func Get(name string) *chroma.Style {
	if style, ok := Registry[name]; ok {
		return style
	}
	load()
	if style, ok := builtin[name]; ok {
		return style
	}
	return Fallback
}
