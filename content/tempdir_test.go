package content

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// When DRILL_CONTENT_HELPER is set the test binary is a drill process that
// opens a temporary store, says where, and waits to be killed.
func init() {
	if os.Getenv("DRILL_CONTENT_HELPER") == "" {
		return
	}
	s, err := Open(context.Background(), Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println(s.Dir())
	select {}
}

// startHolder runs a process that holds a temporary store in tmp.
func startHolder(t *testing.T, tmp string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DRILL_CONTENT_HELPER=1", "TMPDIR="+tmp)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(strings.TrimSpace(line), tmp) {
		t.Fatalf("holder said %q, %v", line, err)
	}
	return cmd, strings.TrimSpace(line)
}

// A SIGKILLed drill never runs Close; the next temporary store removes what
// it left, and only that: a live drill's directory and a directory that is
// not provably drill's stay.
func TestOpenSweepsTempDirsOfKilledProcesses(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	killed, killedDir := startHolder(t, tmp)
	_, liveDir := startHolder(t, tmp)
	if err := killed.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = killed.Wait()
	if _, err := os.Stat(killedDir); err != nil {
		t.Fatalf("a SIGKILLed holder should leave its directory: %v", err)
	}
	unmarked := filepath.Join(tmp, tempPattern+"not-ours")
	if err := os.MkdirAll(unmarked, 0o755); err != nil {
		t.Fatal(err)
	}
	forged := filepath.Join(tmp, tempPattern+"no-marker")
	if err := os.MkdirAll(forged, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(forged, lockName), []byte("someone else's\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	s, err := Open(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	if _, err := os.Stat(killedDir); !os.IsNotExist(err) {
		t.Errorf("the killed process's %s is still there (%v)", killedDir, err)
	}
	for _, d := range []string{liveDir, unmarked, forged, s.Dir()} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
}
