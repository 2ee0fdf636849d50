//go:build !race

// The buggy TransferService races inside containerd's client on purpose
// (that is the bug the debug drill is about), so the real-daemon repro runs
// in the non-race pass of make test only.

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestSandboxDaemon runs testdata/daemon/*.txtar against a containerd
// daemon the test starts itself, with its own root, state and socket, so
// `drill sandbox repro --containerd` meets containerd's real content store,
// leases and garbage collector over gRPC.
func TestSandboxDaemon(t *testing.T) {
	bin, err := exec.LookPath("containerd")
	if err != nil {
		if os.Getenv("DRILL_REQUIRE_CONTAINERD") != "" {
			t.Fatal("containerd is not on PATH, and DRILL_REQUIRE_CONTAINERD is set")
		}
		t.Skip("containerd is not installed; install it (Debian: apt-get install containerd) to run the real-daemon repro")
	}
	if os.Geteuid() != 0 {
		if os.Getenv("DRILL_REQUIRE_CONTAINERD") != "" {
			t.Fatal("starting containerd needs root, and DRILL_REQUIRE_CONTAINERD is set")
		}
		t.Skip("starting containerd needs root; run the tests as root to include the real-daemon repro")
	}
	sock := startContainerd(t, bin)
	p := scriptParams("testdata/daemon")
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		e.Setenv("CONTAINERD_SOCK", sock)
		return setup(e)
	}
	testscript.Run(t, p)
}

// startContainerd starts a throwaway daemon and returns its socket. The
// daemon is killed and its directories removed when the test ends.
func startContainerd(t *testing.T, bin string) string {
	t.Helper()
	// A unix socket path must fit in 108 bytes; t.TempDir() under a long
	// TMPDIR may not, so the directory is a short one under /tmp.
	dir, err := os.MkdirTemp("/tmp", "drill-ctrd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "c.sock")
	// Only the content store, metadata, GC and leases are needed. CRI would
	// read /etc/containerd and set up networking; the opt plugin writes
	// under /opt; the snapshotters below fail to load outside their
	// filesystems and only add noise to the log.
	config := fmt.Sprintf(`version = 2
root = %q
state = %q
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = %q

[ttrpc]
  address = %q
`, filepath.Join(dir, "root"), filepath.Join(dir, "state"), sock, sock+".ttrpc")
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "containerd.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, "--config", cfg)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start containerd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	showLog := func() string {
		b, _ := os.ReadFile(logf.Name())
		return string(b)
	}
	// The daemon is ready once its socket accepts a connection. The bound is
	// for a daemon that never comes up, not a speed target.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for {
		var d net.Dialer
		if c, err := d.DialContext(ctx, "unix", sock); err == nil {
			c.Close()
			return sock
		}
		select {
		case err := <-exited:
			t.Fatalf("containerd exited before serving: %v\n%s", err, showLog())
		case <-ctx.Done():
			t.Fatalf("containerd did not open %s:\n%s", sock, lastLines(showLog(), 40))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
