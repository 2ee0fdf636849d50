package content

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	leasesapi "github.com/containerd/containerd/api/services/leases/v1"
	versionapi "github.com/containerd/containerd/api/services/version/v1"
	"github.com/containerd/containerd/v2/core/content"
	contentproxy "github.com/containerd/containerd/v2/core/content/proxy"
	"github.com/containerd/containerd/v2/core/leases"
	leasesproxy "github.com/containerd/containerd/v2/core/leases/proxy"
	"github.com/containerd/containerd/v2/defaults"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/containerd/errdefs"
	"github.com/containerd/errdefs/pkg/errgrpc"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
)

// RemoteNamespace is the containerd namespace everything drill does on a
// daemon lives in, so a daemon's other namespaces are never touched.
const RemoteNamespace = "drill-sandbox"

// RemoteOptions configure Dial.
type RemoteOptions struct {
	// Address is the unix socket of containerd's gRPC API.
	Address string
	// Metrics and TraceSize are as in Options.
	Metrics   *Metrics
	TraceSize int
}

// ErrDaemon marks a daemon that cannot serve the sandbox: no socket, no
// permission, nothing listening, or an API it does not implement.
var ErrDaemon = errors.New("containerd daemon unusable")

// remote is a Store's connection to a containerd daemon.
type remote struct {
	addr    string
	version string
	conn    *grpc.ClientConn
}

// Dial opens a Store over a running containerd daemon's content store and
// lease manager, reached through containerd's own gRPC proxies. All content
// and leases go into RemoteNamespace; GC is the daemon's own collector.
func Dial(ctx context.Context, o RemoteOptions) (_ *Store, err error) {
	if err := checkSocket(o.Address); err != nil {
		return nil, err
	}
	conn, err := dialDaemon(o.Address)
	if err != nil {
		return nil, err
	}
	r := &remote{addr: o.Address, conn: conn}
	defer func() {
		if err != nil {
			conn.Close()
		}
	}()
	if r.version, err = probeDaemon(ctx, conn, o.Address); err != nil {
		return nil, err
	}
	s := &Store{dir: "containerd:" + o.Address, metrics: o.Metrics, trace: NewTrace(o.TraceSize), remote: r}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	s.cs = &instrumentedStore{Store: &remoteContent{r: r}, s: s}
	s.lm = &instrumentedLeases{Manager: &remoteLeases{r: r}, s: s}
	return s, nil
}

// checkSocket turns the usual ways a socket path is wrong into one clear
// sentence each, before gRPC would report them as a generic dial failure.
func checkSocket(addr string) error {
	if addr == "" {
		return fmt.Errorf("containerd socket: no path given: %w", errdefs.ErrInvalidArgument)
	}
	fi, err := os.Stat(addr)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("containerd socket %s does not exist: is the daemon running? (%w: %w)", addr, ErrDaemon, errdefs.ErrNotFound)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("containerd socket %s: permission denied: run as root or as a member of the socket's group (%w: %w)", addr, ErrDaemon, errdefs.ErrPermissionDenied)
	case err != nil:
		return fmt.Errorf("containerd socket %s: %v (%w)", addr, err, ErrDaemon)
	case fi.Mode()&os.ModeSocket == 0:
		return fmt.Errorf("containerd socket %s is not a socket (%w: %w)", addr, ErrDaemon, errdefs.ErrInvalidArgument)
	}
	// gRPC connects lazily and retries; a plain connect tells the caller
	// at once whether it may talk to the daemon at all.
	c, err := net.DialTimeout("unix", addr, 5*time.Second)
	switch {
	case errors.Is(err, syscall.EACCES) || errors.Is(err, os.ErrPermission):
		return fmt.Errorf("containerd socket %s: permission denied: run as root or as a member of the socket's group (%w: %w)", addr, ErrDaemon, errdefs.ErrPermissionDenied)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("containerd socket %s: nothing is listening (a daemon that exited left it behind) (%w: %w)", addr, ErrDaemon, errdefs.ErrUnavailable)
	case err != nil:
		return fmt.Errorf("containerd socket %s: %v (%w: %w)", addr, err, ErrDaemon, errdefs.ErrUnavailable)
	}
	return c.Close()
}

func dialDaemon(addr string) (*grpc.ClientConn, error) {
	// The message limits are containerd's own client defaults: a remote
	// writer sends at most half of the send limit per message.
	conn, err := grpc.NewClient("unix://"+addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(defaults.DefaultMaxRecvMsgSize),
			grpc.MaxCallSendMsgSize(defaults.DefaultMaxSendMsgSize)))
	if err != nil {
		return nil, fmt.Errorf("containerd socket %s: %w", addr, err)
	}
	return conn, nil
}

// probeDaemon asks the daemon its version and calls the two services the
// sandbox needs, so a daemon without them is refused before any trial.
func probeDaemon(ctx context.Context, conn *grpc.ClientConn, addr string) (string, error) {
	ctx, cancel := context.WithTimeout(namespaces.WithNamespace(ctx, RemoteNamespace), 10*time.Second)
	defer cancel()
	v, err := versionapi.NewVersionClient(conn).Version(ctx, &emptypb.Empty{})
	if err != nil {
		return "", probeError(addr, "version", errgrpc.ToNative(err))
	}
	if _, err := leasesapi.NewLeasesClient(conn).List(ctx, &leasesapi.ListRequest{}); err != nil {
		return v.Version, probeError(addr, "leases", errgrpc.ToNative(err))
	}
	if _, err := contentproxy.NewContentStore(conn).ListStatuses(ctx); err != nil {
		return v.Version, probeError(addr, "content", errgrpc.ToNative(err))
	}
	return v.Version, nil
}

func probeError(addr, service string, err error) error {
	switch {
	case errdefs.IsNotImplemented(err):
		return fmt.Errorf("containerd at %s does not implement the %s API (daemon too old, or the plugin disabled): %w: %w", addr, service, ErrDaemon, err)
	case errdefs.IsPermissionDenied(err):
		return fmt.Errorf("containerd at %s: permission denied calling the %s API: %w: %w", addr, service, ErrDaemon, err)
	case errdefs.IsDeadlineExceeded(err) || errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("containerd at %s did not answer the %s API within 10s: %w: %w", addr, service, ErrDaemon, err)
	}
	return fmt.Errorf("containerd at %s: %s API: %w: %w", addr, service, ErrDaemon, err)
}

// Remote reports whether the store is a containerd daemon's, and which:
// the socket and the daemon's version. Both are empty in-process.
func (s *Store) Remote() (addr, version string) {
	if s.remote == nil {
		return "", ""
	}
	return s.remote.addr, s.remote.version
}

// gcRemote forces a collection on the daemon: deleting a lease with
// SynchronousDelete makes containerd's lease service ask its GC scheduler
// for a collection and wait for it (plugins/leases/local.go,
// ScheduleAndWait in plugins/gc/scheduler.go), and a scheduled trigger runs
// at once. The empty lease keeps nothing alive; it only carries the request.
func (s *Store) gcRemote(ctx context.Context) error {
	lm := &remoteLeases{r: s.remote}
	l, err := lm.Create(ctx, leases.WithRandomID())
	if err != nil {
		return err
	}
	return lm.Delete(ctx, l, leases.SynchronousDelete)
}

// inNamespace puts ctx into RemoteNamespace whatever it carried: the
// sandbox names namespaces per trial for its own bookkeeping, but on a
// daemon it keeps to one.
func inNamespace(ctx context.Context) context.Context {
	return namespaces.WithNamespace(ctx, RemoteNamespace)
}

var (
	_ content.Store  = (*remoteContent)(nil)
	_ leases.Manager = (*remoteLeases)(nil)
)

// remoteContent is containerd's content proxy over the current connection.
type remoteContent struct{ r *remote }

func (c *remoteContent) store() content.Store { return contentproxy.NewContentStore(c.r.conn) }

func (c *remoteContent) Info(ctx context.Context, dgst digest.Digest) (content.Info, error) {
	return c.store().Info(inNamespace(ctx), dgst)
}

func (c *remoteContent) Update(ctx context.Context, info content.Info, fieldpaths ...string) (content.Info, error) {
	return c.store().Update(inNamespace(ctx), info, fieldpaths...)
}

func (c *remoteContent) Walk(ctx context.Context, fn content.WalkFunc, filters ...string) error {
	return c.store().Walk(inNamespace(ctx), fn, filters...)
}

func (c *remoteContent) Delete(ctx context.Context, dgst digest.Digest) error {
	return c.store().Delete(inNamespace(ctx), dgst)
}

func (c *remoteContent) ReaderAt(ctx context.Context, desc ocispec.Descriptor) (content.ReaderAt, error) {
	return c.store().ReaderAt(inNamespace(ctx), desc)
}

func (c *remoteContent) Status(ctx context.Context, ref string) (content.Status, error) {
	return c.store().Status(inNamespace(ctx), ref)
}

func (c *remoteContent) ListStatuses(ctx context.Context, filters ...string) ([]content.Status, error) {
	return c.store().ListStatuses(inNamespace(ctx), filters...)
}

func (c *remoteContent) Abort(ctx context.Context, ref string) error {
	return c.store().Abort(inNamespace(ctx), ref)
}

// Writer opens a write stream. gRPC keeps a goroutine per stream until the
// stream's context ends, so each stream gets a context of its own, ended
// when the writer commits or closes.
func (c *remoteContent) Writer(ctx context.Context, opts ...content.WriterOpt) (content.Writer, error) {
	wctx, cancel := context.WithCancel(inNamespace(ctx))
	w, err := c.store().Writer(wctx, opts...)
	if err != nil {
		cancel()
		return nil, err
	}
	return &cancelWriter{Writer: w, cancel: cancel}, nil
}

// cancelWriter ends its stream's context when closed.
type cancelWriter struct {
	content.Writer
	cancel context.CancelFunc
}

func (w *cancelWriter) Commit(ctx context.Context, size int64, expected digest.Digest, opts ...content.Opt) error {
	// The proxy's Commit closes the stream itself.
	defer w.cancel()
	return w.Writer.Commit(ctx, size, expected, opts...)
}

func (w *cancelWriter) Close() error {
	defer w.cancel()
	return w.Writer.Close()
}

// remoteLeases is containerd's lease proxy over the current connection.
type remoteLeases struct{ r *remote }

func (l *remoteLeases) manager() leases.Manager {
	return leasesproxy.NewLeaseManager(leasesapi.NewLeasesClient(l.r.conn))
}

func (l *remoteLeases) Create(ctx context.Context, opts ...leases.Opt) (leases.Lease, error) {
	return l.manager().Create(inNamespace(ctx), opts...)
}

func (l *remoteLeases) Delete(ctx context.Context, lease leases.Lease, opts ...leases.DeleteOpt) error {
	return l.manager().Delete(inNamespace(ctx), lease, opts...)
}

func (l *remoteLeases) List(ctx context.Context, filters ...string) ([]leases.Lease, error) {
	return l.manager().List(inNamespace(ctx), filters...)
}

func (l *remoteLeases) AddResource(ctx context.Context, lease leases.Lease, r leases.Resource) error {
	return l.manager().AddResource(inNamespace(ctx), lease, r)
}

func (l *remoteLeases) DeleteResource(ctx context.Context, lease leases.Lease, r leases.Resource) error {
	return l.manager().DeleteResource(inNamespace(ctx), lease, r)
}

func (l *remoteLeases) ListResources(ctx context.Context, lease leases.Lease) ([]leases.Resource, error) {
	return l.manager().ListResources(inNamespace(ctx), lease)
}
