package content

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/containerd/errdefs"
	"google.golang.org/grpc"
)

// shortDir is a temporary directory whose socket paths stay under the
// 108-byte limit of a unix socket address, whatever TMPDIR is.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "drill-rt-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Each way a --containerd socket can be wrong gets its own sentence and
// error class, before any trial runs.
func TestDialRefusesWhatIsNotAUsableDaemon(t *testing.T) {
	dir := shortDir(t)

	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	// A socket left behind by a process that is gone.
	stale := filepath.Join(dir, "stale.sock")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()

	// A gRPC server that serves none of containerd's services, as a daemon
	// without the needed plugins or API would.
	bare := filepath.Join(dir, "bare.sock")
	bl, err := net.Listen("unix", bare)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	go srv.Serve(bl)
	t.Cleanup(srv.Stop)

	for _, tc := range []struct {
		addr  string
		want  string
		class func(error) bool
	}{
		{filepath.Join(dir, "missing.sock"), "does not exist: is the daemon running?", errdefs.IsNotFound},
		{plain, "is not a socket", errdefs.IsInvalidArgument},
		{stale, "nothing is listening", errdefs.IsUnavailable},
		{bare, "does not implement the version API", errdefs.IsNotImplemented},
	} {
		s, err := Dial(context.Background(), RemoteOptions{Address: tc.addr})
		if err == nil {
			s.Close()
			t.Fatalf("%s: Dial succeeded", tc.addr)
		}
		if !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrDaemon) || !tc.class(err) {
			t.Errorf("%s: got %v, want %q of class %v", tc.addr, err, tc.want, ErrDaemon)
		}
	}
}
