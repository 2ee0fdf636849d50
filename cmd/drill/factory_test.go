package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/drill-coach/drill/internal/iostreams"
)

// testFactory is a Factory over buffers (no terminal, no colour), with the
// environment in vars and the database, config and cache in a temporary folder.
// Standard output and standard error share the returned buffer.
func testFactory(t *testing.T, vars map[string]string) (*Factory, *bytes.Buffer) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	ios.ErrOut = out
	dir := t.TempDir()
	if vars == nil {
		vars = map[string]string{}
	}
	for k, v := range map[string]string{
		"XDG_CONFIG_HOME": filepath.Join(dir, "config"),
		"XDG_CACHE_HOME":  filepath.Join(dir, "cache"),
		"XDG_STATE_HOME":  filepath.Join(dir, "state"),
	} {
		if _, ok := vars[k]; !ok {
			vars[k] = v
		}
	}
	f := NewFactory(ios, func(k string) string { return vars[k] })
	f.dbFlag = filepath.Join(dir, "drill.db")
	t.Cleanup(func() { f.Close() })
	return f, out
}

// DRILL_NOW freezes the clock: every reading is the same instant, however long
// the command takes.
func TestDrillNowIsFrozen(t *testing.T) {
	f, _ := testFactory(t, map[string]string{"DRILL_NOW": "2026-11-25T08:45:00+08:00"})
	now, err := f.Now()
	if err != nil {
		t.Fatal(err)
	}
	first := now()
	time.Sleep(20 * time.Millisecond)
	if second := now(); !second.Equal(first) {
		t.Fatalf("DRILL_NOW moved from %s to %s", first, second)
	}
	st, err := f.Store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Now().Equal(first) {
		t.Fatalf("the store's clock is %s, not DRILL_NOW", st.Now())
	}
}

// The factory builds each piece once: two commands' worth of asking for the
// store or the configuration open one database and read one file.
func TestFactoryBuildsOnce(t *testing.T) {
	f, _ := testFactory(t, nil)
	ctx := context.Background()
	a, err := f.Store(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.Store(ctx)
	c1, _ := f.Config()
	c2, _ := f.Config()
	b1, b2 := f.Bank(), f.Bank()
	if a != b || c1 != c2 || b1 != b2 {
		t.Fatal("the factory built a piece twice")
	}
}

// A bad DRILL_NOW is a usage error naming the variable, not a crash.
func TestBadDrillNow(t *testing.T) {
	f, _ := testFactory(t, map[string]string{"DRILL_NOW": "yesterday"})
	if _, err := f.Now(); err == nil {
		t.Fatal("DRILL_NOW=yesterday was accepted")
	} else if _, ok := err.(usageError); !ok {
		t.Fatalf("not a usage error: %v", err)
	}
}
