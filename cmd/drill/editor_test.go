package main

import (
	"errors"
	"testing"
)

// ctrl+e opens $VISUAL, then $EDITOR, then vi or nano when either is installed.
func TestFindEditor(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	installed := func(names ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			for _, n := range names {
				if n == name {
					return "/usr/bin/" + n, nil
				}
			}
			return "", errors.New("not found")
		}
	}
	for _, c := range []struct {
		env       map[string]string
		installed []string
		want      string
	}{
		{map[string]string{"VISUAL": "code -w", "EDITOR": "vim"}, []string{"vi"}, "code -w"},
		{map[string]string{"EDITOR": "vim"}, []string{"vi"}, "vim"},
		{nil, []string{"vi", "nano"}, "vi"},
		{nil, []string{"nano"}, "nano"},
		{map[string]string{"EDITOR": "  "}, nil, ""},
	} {
		if got := findEditor(env(c.env), installed(c.installed...)); got != c.want {
			t.Errorf("env %v, installed %v: %q, want %q", c.env, c.installed, got, c.want)
		}
	}
}
