package exercises

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
)

// TestCompiledBankIsFresh fails when bank_gen.go does not hold what the Markdown
// files say today: a file was edited, added or removed, or the parser now reads
// them differently (a new field, a new default), and nobody regenerated.
func TestCompiledBankIsFresh(t *testing.T) {
	src := os.DirFS(".")
	hash, err := SourcesHash(src)
	if err != nil {
		t.Fatal(err)
	}
	if CompiledKey() != hash {
		t.Fatalf("%s is stale: the exercise files changed since it was generated: %s", CompiledBankFile, RegenerateHint)
	}
	want, probs, err := ParseSources(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Error(p)
	}
	if !reflect.DeepEqual(CompiledProblems(), probs) {
		t.Fatalf("%s holds the problems %v, the files have %v: %s", CompiledBankFile, CompiledProblems(), probs, RegenerateHint)
	}
	lex := LoadLexicon(src)
	for _, p := range lex.Problems {
		t.Error(p)
	}
	if !reflect.DeepEqual(DefaultLexicon().Concepts(), lex.Concepts()) {
		t.Fatalf("%s holds another lexicon than lexicon/*.yaml: %s", CompiledBankFile, RegenerateHint)
	}
	if terms, ok := DefaultLexicon().Terms("gc"); !ok || len(terms) == 0 {
		t.Fatalf("the compiled lexicon has no @gc: %v", terms)
	}
	if _, ok := DefaultLexicon().Terms("no-such-concept"); ok {
		t.Fatal("the lexicon finds a concept it does not have")
	}
	got := CompiledExercises()
	if len(got) != len(want) {
		t.Fatalf("%s holds %d exercises, the files %d: %s", CompiledBankFile, len(got), len(want), RegenerateHint)
	}
	for i := range want {
		if d := firstDifference(reflect.ValueOf(got[i]), reflect.ValueOf(want[i]), want[i].File); d != "" {
			t.Fatalf("%s is stale: %s differs from what the parser reads now: %s", CompiledBankFile, d, RegenerateHint)
		}
	}
}

// firstDifference compares what the bank carries: exported fields, with a nil slice or
// map equal to an empty one. It returns the path of the first difference, or "".
func firstDifference(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() {
		return path
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path
			}
			return ""
		}
		return firstDifference(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			f := a.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if d := firstDifference(a.Field(i), b.Field(i), path+"."+f.Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return path
		}
		for i := 0; i < a.Len(); i++ {
			if d := firstDifference(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() {
			return path
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]", path, k)
			}
			if d := firstDifference(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k)); d != "" {
				return d
			}
		}
		return ""
	default:
		if !a.CanInterface() || !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return path
		}
		return ""
	}
}

func TestFirstDifferenceSeesEveryExportedField(t *testing.T) {
	a := &Exercise{ID: "x", Tasks: []*Task{{ID: "t", Rubric: []*Point{{ID: "p", Say: []string{"a"}}}}}}
	b := &Exercise{ID: "x", Tasks: []*Task{{ID: "t", Rubric: []*Point{{ID: "p", Say: []string{"b"}}}}}}
	if d := firstDifference(reflect.ValueOf(a), reflect.ValueOf(b), "f"); d != "f.Tasks[0].Rubric[0].Say[0]" {
		t.Fatalf("difference at %q", d)
	}
	c := &Exercise{ID: "x", Tags: []string{}}
	if d := firstDifference(reflect.ValueOf(&Exercise{ID: "x"}), reflect.ValueOf(c), "f"); d != "" {
		t.Fatalf("nil and empty slices differ at %q; the bank does not tell them apart", d)
	}
}

// The compiled bank is Go data: Load hands out the exercises the linker laid
// out, without copying or decoding them.
func TestCompiledBankIsNotDecoded(t *testing.T) {
	b := Load()
	if len(b.Problems) > 0 {
		t.Fatal(b.Problems)
	}
	all := b.All()
	if len(all) != len(compiledExercises) || len(all) < 64 {
		t.Fatalf("All() = %d exercises, compiled %d", len(all), len(compiledExercises))
	}
	for _, ex := range compiledExercises {
		if b.Get(ex.ID) != ex {
			t.Fatalf("Get(%s) is a copy, not the compiled exercise", ex.ID)
		}
	}
}

// A learner's cached exercise is decoded when it is asked for, and only that one.
func TestGetDecodesOnlyWhatItNeeds(t *testing.T) {
	dir, cache := syntheticDir(t, 8), t.TempDir()
	LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache})
	b := LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache})
	if ex := b.Get("synthetic-003"); ex == nil || ex.ID != "synthetic-003" || !ex.User {
		t.Fatalf("Get(synthetic-003) = %+v", ex)
	}
	decoded := 0
	for _, s := range b.slots {
		if s.user && s.ex != nil {
			decoded++
		}
	}
	if decoded != 1 {
		t.Fatalf("Get decoded %d exercises, want 1", decoded)
	}
	if n := len(b.All()); n != len(b.slots) || n != len(compiledExercises)+8 {
		t.Fatalf("All() = %d exercises", n)
	}
}

// A damaged or foreign pack is refused before it is decoded.
func TestUnmarshalPackRefusesDamage(t *testing.T) {
	pb := newPackBuilder("test")
	for _, ex := range compiledExercises[:4] {
		pb.add(ex, &packEntry{File: ex.File})
	}
	good := pb.marshal()
	p, err := unmarshalPack(good)
	if err != nil {
		t.Fatal(err)
	}
	last := p.Entries[len(p.Entries)-1]
	for name, data := range map[string][]byte{
		"empty":         nil,
		"truncated":     good[:len(good)/2],
		"index flipped": flip(good, packHead+10),
		"magic":         flip(good, 0),
	} {
		if _, err := unmarshalPack(data); err == nil {
			t.Errorf("%s pack accepted", name)
		}
	}
	// A damaged message is found by its checksum, before it is decoded.
	bad, err := unmarshalPack(flip(good, int(p.base+last.Off+last.Len/2)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.decode([]*packEntry{bad.Entries[len(bad.Entries)-1]}); !errors.Is(err, errBadPack) {
		t.Fatalf("damaged message decoded: %v", err)
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x40
	return c
}
