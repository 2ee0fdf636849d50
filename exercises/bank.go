package exercises

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// Bank is the set of exercises in use: the compiled ones overlaid with the
// learner's own. A learner's exercises are decoded from their cache when first
// asked for: a command that needs one exercise decodes one.
type Bank struct {
	slots    []*slot
	byID     map[string]*slot
	list     []*Exercise
	Problems []Problem
}

// slot is one exercise of the bank: what the index says about it, and the
// exercise itself once decoded. Compiled exercises need no decoding.
type slot struct {
	id, module, file string
	order, level     int
	// entry and pk say where a learner's exercise is in its folder's pack.
	entry *packEntry
	pk    *pack
	user  bool
	ex    *Exercise
}

// LoadOptions says where the learner's exercises are and where their parsed form
// may be cached.
type LoadOptions struct {
	// Dirs are the learner's folders; missing ones are skipped.
	Dirs []string
	// CacheDir holds the parsed form of the learner's files ("" caches nothing).
	CacheDir string
}

// Load reads the embedded bank, then every *.md file under each of dirs (missing
// directories are skipped). A user exercise with the id of an embedded one replaces
// it. A broken file is reported in Problems and never stops the others.
func Load(dirs ...string) *Bank {
	return LoadWith(LoadOptions{Dirs: dirs})
}

// LoadWith is Load with a cache for the learner's folders.
func LoadWith(opts LoadOptions) *Bank {
	// The folders are read first, so the bank's index is made once at its full
	// size: with 500 exercises of the learner's own, growing it was a fifth of
	// what loading allocated.
	type folder struct {
		p     *pack
		probs []Problem
	}
	var folders []folder
	n := len(compiledExercises)
	for _, dir := range opts.Dirs {
		if p, probs, ok := readFolder(dir, opts.CacheDir); ok {
			folders = append(folders, folder{p, probs})
			n += len(p.Entries)
		}
	}
	b := &Bank{byID: make(map[string]*slot, n), slots: make([]*slot, 0, n)}
	b.Problems = append(b.Problems, compiledProblems...)
	slots := make([]slot, len(compiledExercises))
	for i, ex := range compiledExercises {
		s := &slots[i]
		*s = slot{id: ex.ID, module: ex.Module, file: ex.File, order: ex.Order, level: ex.Level, ex: ex}
		b.add(s)
	}
	for _, f := range folders {
		b.addFolder(f.p, f.probs)
	}
	return b
}

// LoadDir adds every *.md file below dir as user exercises.
func (b *Bank) LoadDir(dir string) {
	if p, probs, ok := readFolder(dir, ""); ok {
		b.addFolder(p, probs)
	}
}

// readFolder reads a learner's folder, through its cache when cacheDir is set;
// ok is false for a folder that does not exist.
func readFolder(dir, cacheDir string) (p *pack, probs []Problem, ok bool) {
	if dir == "" {
		return nil, nil, false
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, nil, false
	}
	p, probs = loadOverlay(dir, cacheDir)
	return p, probs, true
}

func (b *Bank) addFolder(p *pack, probs []Problem) {
	b.Problems = append(b.Problems, probs...)
	slots := make([]slot, len(p.Entries))
	for i, e := range p.Entries {
		b.Problems = append(b.Problems, e.Problems...)
		if len(e.Problems) > 0 || e.Len == 0 {
			continue
		}
		s := &slots[i]
		*s = slot{id: e.ID, module: e.Module, file: e.File, order: e.Order, level: e.Level, entry: e, pk: p, user: true}
		b.add(s)
	}
}

// add puts s in the bank. A learner's exercise replaces a compiled one of the
// same id; any other repeated id is a problem.
func (b *Bank) add(s *slot) {
	if old, ok := b.byID[s.id]; ok {
		if !s.user || old.user {
			b.Problems = append(b.Problems, Problem{File: s.file, Line: 2,
				Msg: "exercise id " + s.id + " is already used by " + old.file})
			return
		}
		b.remove(old)
	}
	b.byID[s.id] = s
	b.slots = append(b.slots, s)
	b.list = nil
}

func (b *Bank) remove(s *slot) {
	for i, x := range b.slots {
		if x == s {
			b.slots = append(b.slots[:i], b.slots[i+1:]...)
			return
		}
	}
}

// decode fills the exercises of slots that are not decoded yet, one decoder per
// pack. A slot that cannot be decoded is dropped with a problem.
func (b *Bank) decode(slots []*slot) {
	byPack := map[*pack][]*slot{}
	var packs []*pack
	for _, s := range slots {
		if s.ex != nil {
			continue
		}
		if byPack[s.pk] == nil {
			packs = append(packs, s.pk)
		}
		byPack[s.pk] = append(byPack[s.pk], s)
	}
	for _, p := range packs {
		ss := byPack[p]
		entries := make([]*packEntry, len(ss))
		for i, s := range ss {
			entries[i] = s.entry
		}
		exs, err := p.decode(entries)
		if err != nil && p.path != "" {
			// A damaged cache: it is removed, and the files are read again.
			_ = os.Remove(p.path)
			exs, err = reparse(ss)
		}
		if err != nil {
			for _, s := range ss {
				b.Problems = append(b.Problems, Problem{File: s.file, Msg: "cannot decode the parsed exercise: " + err.Error()})
				b.remove(s)
				delete(b.byID, s.id)
			}
			continue
		}
		for i, s := range ss {
			s.ex = exs[i]
			s.ex.User = s.user
		}
	}
}

// reparse reads the files of slots again, for when their cached form is damaged.
func reparse(ss []*slot) ([]*Exercise, error) {
	out := make([]*Exercise, len(ss))
	for i, s := range ss {
		ex, probs := LoadFile(s.file)
		if len(probs) > 0 {
			return nil, errors.New(probs[0].String())
		}
		if ex.ID != s.id {
			return nil, fmt.Errorf("%s changed while drill read it: run the command again", s.file)
		}
		out[i] = ex
	}
	return out, nil
}

// sortSlots orders exercises by module (the day's order), then curriculum order,
// level, id. It needs only the index, not the decoded exercises.
func (b *Bank) sortSlots() {
	rank := map[string]int{}
	for i, m := range moduleNames {
		rank[m] = i
	}
	sort.SliceStable(b.slots, func(i, j int) bool {
		x, y := b.slots[i], b.slots[j]
		if rank[x.module] != rank[y.module] {
			return rank[x.module] < rank[y.module]
		}
		if x.order != y.order {
			return x.order < y.order
		}
		if x.level != y.level {
			return x.level < y.level
		}
		return x.id < y.id
	})
}

// All returns every exercise in curriculum order.
func (b *Bank) All() []*Exercise {
	if b.list == nil {
		b.decode(b.slots)
		b.sortSlots()
		b.list = make([]*Exercise, 0, len(b.slots))
		for _, s := range b.slots {
			b.list = append(b.list, s.ex)
		}
	}
	return b.list
}

// Get returns the exercise with id, or nil.
func (b *Bank) Get(id string) *Exercise {
	s := b.byID[id]
	if s == nil {
		return nil
	}
	b.decode([]*slot{s})
	return s.ex
}

// Filter returns the exercises of module and tag ("" matches any).
func (b *Bank) Filter(module, tag string) []*Exercise {
	var out []*Exercise
	for _, e := range b.All() {
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
	b.sortSlots()
	for _, s := range b.slots {
		d := levenshtein(strings.ToLower(id), s.id)
		if strings.Contains(s.id, strings.ToLower(id)) && id != "" {
			d = min(d, 2)
		}
		if d <= max(3, len(s.id)/3) {
			cs = append(cs, cand{s.id, d})
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
	b := &Bank{byID: map[string]*slot{}}
	b.LoadDir(dir)
	return b
}
