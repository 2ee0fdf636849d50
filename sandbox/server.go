package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/drill-coach/drill/content"
)

// Server defaults.
const (
	DefaultAddr          = "127.0.0.1:4242"
	DefaultMaxBodyBytes  = 64 << 20
	DefaultMaxConcurrent = 32
	DefaultServeGC       = 20 * time.Millisecond
	DefaultServeUseDelay = 5 * time.Millisecond
	// DefaultBodyTimeout bounds reading one import's body: a client that
	// sends its body slower than DefaultMaxBodyBytes in this time (about
	// 2 MiB/s) is cut off, so slow clients cannot hold every slot.
	DefaultBodyTimeout = 30 * time.Second
)

// ServeOptions configure the sandbox HTTP API.
type ServeOptions struct {
	Addr          string
	Fixes         Fixes
	GCInterval    time.Duration // background GC; 0 or negative: only on /v1/gc/trigger
	UseDelay      time.Duration
	MaxBodyBytes  int64
	MaxConcurrent int
	BodyTimeout   time.Duration // reading one import body; 0 means DefaultBodyTimeout
	Dir           string        // content store directory; empty means temporary
	// Containerd, when set, is a running containerd daemon's socket whose
	// content store, leases and GC serve the API instead (Dir stays empty).
	Containerd string
	// Ready, if set, is called with the listening address once the server
	// accepts connections.
	Ready func(addr string)
}

// Server is the sandbox's HTTP API over one store and TransferService.
type Server struct {
	store       *content.Store
	ts          *TransferService
	maxBody     int64
	bodyTimeout time.Duration
	slots       chan struct{}
	mux         *http.ServeMux
}

// Limits bound the work one server accepts. Zero fields take the defaults.
type Limits struct {
	MaxBodyBytes  int64
	MaxConcurrent int
	BodyTimeout   time.Duration
}

// NewServer builds the API handler.
func NewServer(store *content.Store, ts *TransferService, l Limits) *Server {
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if l.MaxConcurrent <= 0 {
		l.MaxConcurrent = DefaultMaxConcurrent
	}
	if l.BodyTimeout <= 0 {
		l.BodyTimeout = DefaultBodyTimeout
	}
	s := &Server{store: store, ts: ts, maxBody: l.MaxBodyBytes, bodyTimeout: l.BodyTimeout,
		slots: make(chan struct{}, l.MaxConcurrent), mux: http.NewServeMux()}
	s.mux.HandleFunc("POST /v1/blobs/import", s.limited(s.handleImport))
	s.mux.HandleFunc("POST /v1/gc/trigger", s.limited(s.handleGC))
	s.mux.HandleFunc("GET /v1/blobs/{digest}", s.limited(s.handleBlob))
	s.mux.HandleFunc("GET /v1/trace", s.handleTrace)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(store.Metrics().Registry(), promhttp.HandlerOpts{}))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// limited bounds concurrent work: a request that finds every slot taken is
// refused at once rather than queued without limit.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
			h(w, r)
		default:
			replyError(w, fmt.Errorf("server busy: %d requests in flight: %w", cap(s.slots), errdefs.ErrUnavailable))
		}
	}
}

type importReply struct {
	Status string `json:"status"` // "imported" or "exists"
	Ref    string `json:"ref"`
	ImportResult
}

type errorReply struct {
	Error   string `json:"error"`
	Class   string `json:"class"`   // containerd's error class
	Failure string `json:"failure"` // the sandbox's failure class: commit, write, gc, panic, ...
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	ref := r.Header.Get("Blob-Ref")
	if ref == "" {
		replyError(w, fmt.Errorf("header Blob-Ref is required: %w", errdefs.ErrInvalidArgument))
		return
	}
	var dgst digest.Digest
	if v := r.Header.Get("Blob-Digest"); v != "" {
		d, err := digest.Parse(v)
		if err != nil {
			replyError(w, fmt.Errorf("header Blob-Digest: %v: %w", err, errdefs.ErrInvalidArgument))
			return
		}
		dgst = d
	}
	// The body's length is the expected size, so it is read whole first
	// (bounded): a chunked upload has no Content-Length to trust. The read
	// has a deadline, counted from when the request got its slot: without
	// one, a client that trickles its body holds the slot indefinitely, and
	// a few such clients refuse everyone else.
	if err := http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.bodyTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		replyError(w, fmt.Errorf("set body deadline: %w", err))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		replyError(w, fmt.Errorf("body larger than %d bytes: %w", tooBig.Limit, errdefs.ErrResourceExhausted))
		return
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		replyError(w, fmt.Errorf("body not received within %s (%d bytes read): %w", s.bodyTimeout, len(body), context.DeadlineExceeded))
		return
	}
	if err != nil {
		replyError(w, fmt.Errorf("read body: %v: %w", err, errdefs.ErrInvalidArgument))
		return
	}
	res, err := s.ts.Import(r.Context(), ImportRequest{
		Ref: ref, Digest: dgst, Size: int64(len(body)), Body: bytes.NewReader(body),
		Importer: "http-" + r.RemoteAddr,
	})
	if err != nil {
		replyError(w, err)
		return
	}
	rep := importReply{Status: "imported", Ref: ref, ImportResult: res}
	code := http.StatusCreated
	if res.Existed {
		rep.Status, code = "exists", http.StatusOK
	}
	writeJSON(w, code, rep)
}

func (s *Server) handleGC(w http.ResponseWriter, r *http.Request) {
	res, err := s.store.GC(content.WithImporter(r.Context(), "http-gc"))
	if err != nil {
		replyError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"removed": res.Removed, "duration_ms": float64(res.Duration.Microseconds()) / 1000})
}

func (s *Server) handleBlob(w http.ResponseWriter, r *http.Request) {
	d, err := digest.Parse(r.PathValue("digest"))
	if err != nil {
		replyError(w, fmt.Errorf("digest: %v: %w", err, errdefs.ErrInvalidArgument))
		return
	}
	ctx := content.WithDefaultNamespace(r.Context())
	info, err := s.store.Content().Info(ctx, d)
	if err != nil {
		replyError(w, err)
		return
	}
	ra, err := s.store.Content().ReaderAt(ctx, ocispec.Descriptor{Digest: d, Size: info.Size})
	if err != nil {
		replyError(w, err)
		return
	}
	defer ra.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	w.Header().Set("Docker-Content-Digest", d.String())
	_, _ = io.Copy(w, io.NewSectionReader(ra, 0, info.Size))
}

func (s *Server) handleTrace(w http.ResponseWriter, r *http.Request) {
	var since uint64
	if v := r.URL.Query().Get("since"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			replyError(w, fmt.Errorf("since: %v: %w", err, errdefs.ErrInvalidArgument))
			return
		}
		since = n
	}
	events := s.store.Trace().Events(since)
	const maxEvents = 2000
	if len(events) > maxEvents {
		events = events[len(events)-maxEvents:]
	}
	writeJSON(w, http.StatusOK, map[string]any{"next": s.store.Trace().Next(), "events": events})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func replyError(w http.ResponseWriter, err error) {
	writeJSON(w, httpStatus(err), errorReply{Error: err.Error(), Class: errdefsClass(err), Failure: Class(err)})
}

// httpStatus maps containerd's error classes to HTTP.
func httpStatus(err error) int {
	switch {
	case errors.Is(err, ErrImporterPanic):
		return http.StatusInternalServerError
	case errdefs.IsInvalidArgument(err):
		return http.StatusBadRequest
	case errdefs.IsNotFound(err):
		return http.StatusNotFound
	case errdefs.IsAlreadyExists(err), errdefs.IsFailedPrecondition(err):
		return http.StatusConflict
	case errdefs.IsResourceExhausted(err):
		return http.StatusRequestEntityTooLarge
	case errdefs.IsUnavailable(err):
		return http.StatusServiceUnavailable
	case errdefs.IsDeadlineExceeded(err):
		return http.StatusRequestTimeout
	default:
		return http.StatusInternalServerError
	}
}

// loopbackAddr binds to loopback when the address names no host, so the
// sandbox is only reachable from elsewhere when asked for explicitly.
func loopbackAddr(addr string) (string, error) {
	if addr == "" {
		return DefaultAddr, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %v: %w", addr, err, errdefs.ErrInvalidArgument)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Serve runs the API until ctx ends, then shuts down cleanly: in-flight
// requests finish, the GC loop stops, the store closes.
func Serve(ctx context.Context, o ServeOptions) error {
	addr, err := loopbackAddr(o.Addr)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, o.Dir, o.Containerd, 0)
	if err != nil {
		return err
	}
	defer store.Close()
	ts := NewTransferService(store, o.Fixes, o.UseDelay)
	defer ts.Close()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           NewServer(store, ts, Limits{MaxBodyBytes: o.MaxBodyBytes, MaxConcurrent: o.MaxConcurrent, BodyTimeout: o.BodyTimeout}),
		ReadHeaderTimeout: 10 * time.Second,
	}

	gcCtx, stopGC := context.WithCancel(ctx)
	var wg sync.WaitGroup
	if o.GCInterval > 0 {
		wg.Go(func() { gcLoop(gcCtx, store, o.GCInterval) })
	}
	defer func() { stopGC(); wg.Wait() }()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if o.Ready != nil {
		o.Ready(ln.Addr().String())
	}
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
