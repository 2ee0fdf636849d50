package exercises

import (
	"embed"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

//go:embed */*.md
var embedded embed.FS

// Bank is the set of exercises in use: the embedded ones overlaid with the
// learner's own.
type Bank struct {
	list     []*Exercise
	byID     map[string]*Exercise
	Problems []Problem
}

// Load reads the embedded bank, then every *.md file under each of dirs (missing
// directories are skipped). A user exercise with the id of an embedded one replaces
// it. A broken file is reported in Problems and never stops the others.
func Load(dirs ...string) *Bank {
	b := &Bank{byID: map[string]*Exercise{}}
	var files []string
	_ = fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".md" {
			files = append(files, p)
		}
		return err
	})
	// Parsing YAML is most of drill's start-up time; files parse independently,
	// so they are spread over the CPUs and added in their walk order.
	parsed := make([]parsedFile, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				data, err := embedded.ReadFile(files[i])
				name := "embedded:" + files[i]
				if err != nil {
					parsed[i] = parsedFile{probs: []Problem{{File: name, Msg: err.Error()}}}
					continue
				}
				ex, probs := Parse(name, data)
				parsed[i] = parsedFile{name: name, ex: ex, probs: probs}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, p := range parsed {
		b.addParsed(p.name, p.ex, p.probs, false)
	}
	for _, dir := range dirs {
		b.LoadDir(dir)
	}
	b.sort()
	return b
}

// LoadDir adds every *.md file below dir as user exercises.
func (b *Bank) LoadDir(dir string) {
	if dir == "" {
		return
	}
	if _, err := os.Stat(dir); err != nil {
		return
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			b.Problems = append(b.Problems, Problem{File: p, Msg: err.Error()})
			return nil
		}
		if d.IsDir() || filepath.Ext(p) != ".md" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			b.Problems = append(b.Problems, Problem{File: p, Msg: err.Error()})
			return nil
		}
		b.add(p, data, true)
		return nil
	})
	b.sort()
}

type parsedFile struct {
	name  string
	ex    *Exercise
	probs []Problem
}

func (b *Bank) add(file string, data []byte, user bool) {
	ex, probs := Parse(file, data)
	b.addParsed(file, ex, probs, user)
}

func (b *Bank) addParsed(file string, ex *Exercise, probs []Problem, user bool) {
	b.Problems = append(b.Problems, probs...)
	if ex == nil || len(probs) > 0 {
		return
	}
	ex.User = user
	if old, ok := b.byID[ex.ID]; ok {
		if !user || old.User {
			b.Problems = append(b.Problems, Problem{File: file, Line: 2,
				Msg: "exercise id " + ex.ID + " is already used by " + old.File})
			return
		}
		b.remove(old)
	}
	b.byID[ex.ID] = ex
	b.list = append(b.list, ex)
}

func (b *Bank) remove(ex *Exercise) {
	for i, e := range b.list {
		if e == ex {
			b.list = append(b.list[:i], b.list[i+1:]...)
			return
		}
	}
}

// sort orders exercises by module (the day's order), then curriculum order, level, id.
func (b *Bank) sort() {
	rank := map[string]int{}
	for i, m := range Modules {
		rank[m] = i
	}
	sort.SliceStable(b.list, func(i, j int) bool {
		x, y := b.list[i], b.list[j]
		if rank[x.Module] != rank[y.Module] {
			return rank[x.Module] < rank[y.Module]
		}
		if x.Order != y.Order {
			return x.Order < y.Order
		}
		if x.Level != y.Level {
			return x.Level < y.Level
		}
		return x.ID < y.ID
	})
}

// All returns every exercise in curriculum order.
func (b *Bank) All() []*Exercise { return b.list }

// Get returns the exercise with id, or nil.
func (b *Bank) Get(id string) *Exercise { return b.byID[id] }

// Filter returns the exercises of module and tag ("" matches any).
func (b *Bank) Filter(module, tag string) []*Exercise {
	var out []*Exercise
	for _, e := range b.list {
		if module != "" && e.Module != module {
			continue
		}
		if tag != "" && !hasTag(e, tag) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func hasTag(e *Exercise, tag string) bool {
	for _, t := range e.Tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

// Suggest returns up to three known ids closest to id, for "did you mean".
func (b *Bank) Suggest(id string) []string {
	type cand struct {
		id string
		d  int
	}
	var cs []cand
	for _, e := range b.list {
		d := levenshtein(strings.ToLower(id), e.ID)
		if strings.Contains(e.ID, strings.ToLower(id)) && id != "" {
			d = min(d, 2)
		}
		if d <= max(3, len(e.ID)/3) {
			cs = append(cs, cand{e.ID, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for i := 0; i < len(cs) && i < 3; i++ {
		out = append(out, cs[i].id)
	}
	return out
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// LoadOnly reads the exercises under dir without the embedded bank.
func LoadOnly(dir string) *Bank {
	b := &Bank{byID: map[string]*Exercise{}}
	b.LoadDir(dir)
	return b
}
