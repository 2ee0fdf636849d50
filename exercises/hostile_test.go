package exercises

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// aliasBomb is the "billion laughs": nine levels of nine aliases, about 1 KB,
// which a YAML decoder that expands aliases turns into 9^9 strings.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("---\nid: bomb\nmodule: review\ntitle: Bomb\n")
	b.WriteString(`l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("tags: *l8\n---\nbody\n")
	return b.String()
}

// hostileDir holds one good exercise and the hostile file name, written by make.
func hostileDir(t *testing.T, name string, make func(path string) error) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.md"), valid)
	if err := make(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writer(data string) func(string) error {
	return func(p string) error { return os.WriteFile(p, []byte(data), 0o644) }
}

type hostileCase struct {
	name, file string
	make       func(string) error
	want       string
}

// One hostile file in the learner's folder is reported as file:line and skipped;
// the good exercise beside it still loads, with and without the cache.
func TestHostileFilesAreSkipped(t *testing.T) {
	cases := []hostileCase{
		{"alias bomb", "bomb.md", writer(aliasBomb()), "alias inside an anchored value"},
		{"deep nesting", "deep.md", writer("---\nid: " + strings.Repeat("[", 100000) + "\n---\n"), "nested deeper than 64"},
		{"huge front matter", "huge.md", writer("---\nid: huge\ntitle: " + strings.Repeat("x", MaxFileBytes) + "\n---\n"), "at most 256 KiB"},
		{"symlink to /dev/zero", "zero.md", func(p string) error { return os.Symlink("/dev/zero", p) }, "not a regular file (a device)"},
		{"directory named .md", "dir.md", func(p string) error { return os.Mkdir(p, 0o755) }, ""},
	}
	cases = append(cases, platformHostileCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := hostileDir(t, c.file, c.make)
			for _, cache := range []string{"", t.TempDir()} {
				for run := 0; run < 2; run++ { // the second run reads the cache
					b := LoadWith(LoadOptions{Dirs: []string{dir}, CacheDir: cache})
					if ex := b.Get("tiny"); ex == nil || !ex.User {
						t.Fatalf("the good exercise beside %s did not load: %v", c.file, b.Problems)
					}
					if c.want == "" {
						if len(b.Problems) != 0 {
							t.Fatalf("problems: %v", b.Problems)
						}
						continue
					}
					if len(b.Problems) != 1 {
						t.Fatalf("want one problem, got %v", b.Problems)
					}
					p := b.Problems[0]
					if p.File != filepath.Join(dir, c.file) || p.Line < 1 || !strings.Contains(p.Msg, c.want) {
						t.Fatalf("problem = %q, want %s:LINE: ...%s...", p, filepath.Join(dir, c.file), c.want)
					}
				}
			}
		})
	}
}

func TestAliasesWithinLimits(t *testing.T) {
	src := strings.Replace(valid, "level: 1\n", "level: 1\nx-anchor: &t [go, http]\n", 1)
	src = strings.Replace(src, "title: Tiny\n", "title: Tiny\ntags: *t\n", 1)
	// The anchor itself is an unknown field; only the check of aliases is tested here.
	if line, msg := checkFrontMatter([]byte(src[4 : strings.Index(src, "\n---\n")+1])); msg != "" {
		t.Fatalf("a plain alias was refused at line %d: %s", line, msg)
	}
	many := "a: &a x\nb: [" + strings.TrimSuffix(strings.Repeat("*a, ", maxAliases+1), ", ") + "]\n"
	if line, msg := checkFrontMatter([]byte(many)); !strings.Contains(msg, "more than") || line != 2 {
		t.Fatalf("%d aliases: line %d %q", maxAliases+1, line, msg)
	}
}

// A parse that does not finish is given up after the deadline, the file reported.
func TestParseDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	stuck := func(string, []byte) (*Exercise, []Problem) {
		<-release
		return nil, nil
	}
	ex, probs := parseWithDeadline(stuck, "slow.md", []byte(valid), time.Millisecond)
	if ex != nil || len(probs) != 1 || probs[0].Line != 1 || !strings.Contains(probs[0].Msg, "took too long") {
		t.Fatalf("ex=%v probs=%v", ex, probs)
	}
}
