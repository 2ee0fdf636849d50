//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/drill-coach/drill/store"
)

// drillCmd runs the drill binary (this test binary, which TestMain makes act
// as drill) with its folders inside dir.
func drillCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("drill")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(),
		"HOME="+dir,
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"),
		"DRILL_DB="+filepath.Join(dir, "db", "drill.db"),
		"DRILL_NOW=2026-11-25T08:45:00+08:00",
		"OPENAI_API_KEY=", "OPENAI_BASE_URL=", "NO_COLOR=1",
	)
	return cmd
}

// seed fills the database with n attempts of about size bytes each.
func seed(t *testing.T, path string, n, size int) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.Now = func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) }
	as := make([]store.Attempt, n)
	answer := strings.Repeat("The writer was shared between importers, so GC ran before commit. ", size/66+1)[:size]
	for i := range as {
		as[i] = store.Attempt{Exercise: "containerd-commit-writer", Task: "opening", Module: "debug", Answer: answer,
			Score: 40 + i%60, CreatedAt: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)}
	}
	if _, err := st.ImportAttempts(context.Background(), as); err != nil {
		t.Fatal(err)
	}
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, tempPattern))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// kill -9 while export writes leaves the previous backup byte for byte, and
// the next export clears what the killed one left behind.
func TestKillDuringExportKeepsBackup(t *testing.T) {
	dir := t.TempDir()
	seed(t, filepath.Join(dir, "db", "drill.db"), 1000, 8000)
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(out, "backup.json")
	old := []byte(`{"kind": "drill-export", "version": 1, "attempts": []}` + "\n")
	if err := os.WriteFile(backup, old, 0o600); err != nil {
		t.Fatal(err)
	}
	killed := 0
	for trial := 0; trial < 5 && killed < 3; trial++ {
		cmd := drillCmd(t, dir, "export", "-o", backup)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Kill as soon as the export's temporary file exists: the export is
		// then between its first byte and its rename.
		var waitErr error
		finished := false
	poll:
		for {
			select {
			case waitErr = <-done:
				finished = true
				break poll
			default:
			}
			if len(tempFiles(t, out)) > 0 {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				waitErr = <-done
				break poll
			}
			time.Sleep(200 * time.Microsecond)
		}
		var exit *exec.ExitError
		if !finished && errors.As(waitErr, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
			killed++
			got, err := os.ReadFile(backup)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, old) {
				t.Fatalf("trial %d: after kill -9 the backup holds %d bytes, not the previous backup", trial, len(got))
			}
			continue
		}
		// The export won the race and finished: put the old backup back.
		if waitErr != nil {
			t.Fatalf("export: %v", waitErr)
		}
		if err := os.WriteFile(backup, old, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d exports killed while writing", killed)
	if killed == 0 {
		t.Fatal("no export was killed while writing; the database is too small to catch one")
	}
	if len(tempFiles(t, out)) == 0 {
		t.Fatal("a killed export left no temporary file: was it killed while writing?")
	}
	// A full export afterwards succeeds and removes the killed exports' files.
	if b, err := drillCmd(t, dir, "export", "-o", backup).CombinedOutput(); err != nil {
		t.Fatalf("export after the kills: %v\n%s", err, b)
	}
	if left := tempFiles(t, out); len(left) != 0 {
		t.Fatalf("stale temporary files remain: %v", left)
	}
	data, err := os.ReadFile(backup)
	if err != nil || !bytes.Contains(data, []byte(`"kind": "drill-export"`)) || len(data) < 1000*8000 {
		t.Fatalf("the new backup is incomplete: %d bytes, %v", len(data), err)
	}
}

// ctrl+c while `answer -` waits on stdin ends drill at once, and what was typed
// is kept as the task's draft.
func TestInterruptWhileReadingStdinKeepsDraft(t *testing.T) {
	dir := t.TempDir()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd := drillCmd(t, dir, "answer", "containerd-commit-writer", "--task", "opening", "-")
	cmd.Stdin = r
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	const typed = "We see commit failures when two importers share one writer, and GC "
	if _, err := w.WriteString(typed); err != nil {
		t.Fatal(err)
	}
	// Wait until drill has taken the text out of the pipe: it is then reading
	// and its signal handling is in place.
	for {
		n, err := unix.IoctlGetInt(int(w.Fd()), unix.TIOCINQ) // FIONREAD: bytes left in the pipe
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("drill ended before ctrl+c: %v\n%s", err, stderr.String())
		case <-time.After(time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		// Not a speed target: drill ignoring ctrl+c would wait here forever.
		cmd.Process.Kill()
		<-done
		t.Fatalf("drill ignored ctrl+c while reading stdin\n%s", stderr.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitError {
		t.Fatalf("exit = %v, want status %d\n%s", err, exitError, stderr.String())
	}
	if !strings.Contains(stderr.String(), "saved as the draft of containerd-commit-writer / opening") {
		t.Fatalf("stderr does not say where the text went:\n%s", stderr.String())
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "db", "drill.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, err := st.GetDraft(context.Background(), "containerd-commit-writer", "opening")
	if err != nil || d.Body != typed {
		t.Fatalf("draft = %q, %v; want what was typed", d.Body, err)
	}
	if as, _ := st.Attempts(context.Background(), store.Filter{}); len(as) != 0 {
		t.Fatalf("an interrupted answer was graded and recorded: %d attempts", len(as))
	}
}

// A database in a folder drill may not write is read: history, stats, the
// plan and export work, and a write says the folder is read-only.
func TestReadOnlyDatabaseFolder(t *testing.T) {
	dir := t.TempDir()
	dbDir := filepath.Join(dir, "db")
	if err := os.Mkdir(dbDir, 0o755); err != nil {
		t.Fatal(err)
	}
	ans := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(ans, []byte("The writer is shared, so GC removes the blob before commit.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := drillCmd(t, dir, "answer", "containerd-commit-writer", "--task", "opening", "--file", ans).CombinedOutput(); err != nil {
		t.Fatalf("answer: %v\n%s", err, b)
	}
	if err := os.Chmod(filepath.Join(dbDir, "drill.db"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin, err := exec.LookPath("drill")
	if err != nil {
		t.Fatal(err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		// root writes anywhere: run drill as nobody, from a copy it can reach,
		// on folders it can read but not write.
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		binDir := filepath.Join(dir, "bin")
		if err := os.Mkdir(binDir, 0o755); err != nil {
			t.Fatal(err)
		}
		bin = filepath.Join(binDir, "drill")
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		for p := dir; p != filepath.Dir(os.TempDir()) && p != "/"; p = filepath.Dir(p) {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	} else if err := os.Chmod(dbDir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dbDir, 0o755) })
	run := func(args ...string) (string, error) {
		cmd := drillCmd(t, dir, args...)
		cmd.Path = bin
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	for _, args := range [][]string{{"history"}, {"stats"}, {"daily", "--json"}, {"export"}} {
		out, err := run(args...)
		if err != nil {
			t.Fatalf("drill %s on a read-only folder: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	out, err := run("answer", "containerd-commit-writer", "--task", "opening", "--file", ans)
	if err == nil || !strings.Contains(out, "read-only") || !strings.Contains(out, dbDir) {
		t.Fatalf("answer on a read-only folder: %v\n%s\nwant it to say the folder is read-only", err, out)
	}
	if strings.Contains(out, "no such file or directory") {
		t.Fatalf("the message blames a missing file:\n%s", out)
	}
}
