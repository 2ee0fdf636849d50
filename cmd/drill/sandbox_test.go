//go:build sandbox

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestSandboxReproJSON(t *testing.T) {
	f, _ := testFactory(t, nil)
	var out, errOut bytes.Buffer
	f.IO.Out, f.IO.ErrOut = &out, &errOut
	cmd := newSandboxCmd(f)
	cmd.SetArgs([]string{"repro", "--fix", "all", "--trials", "20", "--blob-size", "65536", "--json", "--dir", t.TempDir()})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Trials      int            `json:"trials"`
		Failed      int            `json:"failed"`
		FailureRate float64        `json:"failure_rate"`
		First       *float64       `json:"first_failure_ms"`
		Errors      map[string]int `json:"errors"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if got.Trials != 20 || got.Failed != 0 || got.First != nil || len(got.Errors) != 0 {
		t.Fatalf("got %+v", got)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr is not a terminal, yet got %q", errOut.String())
	}
}

func TestSandboxBadFixIsUsageError(t *testing.T) {
	for _, sub := range []string{"repro", "serve"} {
		f, _ := testFactory(t, nil)
		cmd := newSandboxCmd(f)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		cmd.SetArgs([]string{sub, "--fix", "mutex"})
		err := cmd.ExecuteContext(context.Background())
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%s --fix mutex: %v, want a usage error", sub, err)
		}
	}
}

// On a terminal, repro redraws one progress line on stderr (drill's own
// carriage returns pass the cleaning writer); on a pipe it writes plain lines.
func TestSandboxReproProgress(t *testing.T) {
	for _, tty := range []bool{true, false} {
		f, _ := testFactory(t, nil)
		var out, errOut bytes.Buffer
		f.IO.Out, f.IO.ErrOut = &out, &errOut
		f.IO.SetStderrTTY(tty)
		f.IO.SetNoColor(false)
		cmd := newSandboxCmd(f)
		cmd.SetArgs([]string{"repro", "--fix", "all", "--trials", "20", "--blob-size", "4096", "--target-rate", "0", "--dir", t.TempDir()})
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			t.Fatal(err)
		}
		bar := bytes.Contains(errOut.Bytes(), []byte("\r\x1b[K[")) && bytes.Contains(errOut.Bytes(), []byte("/20 trials"))
		lines := bytes.Contains(errOut.Bytes(), []byte("repro: 2/20 trials"))
		if tty && (!bar || lines) || !tty && (bar || !lines) {
			t.Errorf("stderr a terminal: %v; progress written:\n%q", tty, errOut.String())
		}
	}
}
