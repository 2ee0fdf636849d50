package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencontainers/go-digest"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/drill-coach/drill/content"
)

func newTestServer(t *testing.T, fixes Fixes, gcInterval time.Duration) *httptest.Server {
	t.Helper()
	store, ts := newService(t, fixes, DefaultServeUseDelay)
	srv := httptest.NewServer(NewServer(store, ts, Limits{MaxBodyBytes: 8 << 20, MaxConcurrent: 16}))
	t.Cleanup(srv.Close)
	if gcInterval > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() { gcLoop(ctx, store, gcInterval) })
		t.Cleanup(func() { cancel(); wg.Wait() })
	}
	return srv
}

// curlRound does what the drill's script does: five background imports of
// the same ref, then a GC trigger, and returns how many imports failed.
func curlRound(t *testing.T, base string, blob []byte) int {
	t.Helper()
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range codes {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, base+"/v1/blobs/import", bytes.NewReader(blob))
			req.Header.Set("Blob-Ref", "sha256:abc123")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes[i] = resp.StatusCode
		})
	}
	resp, err := http.Post(base+"/v1/gc/trigger", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("gc/trigger: %s", resp.Status)
	}
	wg.Wait()
	failed := 0
	for _, c := range codes {
		if c != http.StatusCreated && c != http.StatusOK {
			failed++
		}
	}
	return failed
}

func sampleBlob() []byte {
	b := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(4, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestCurlScriptFixAllNeverFails(t *testing.T) {
	srv := newTestServer(t, Fixes{Isolate: true, Lease: true}, DefaultServeGC)
	blob := sampleBlob()
	for round := range 10 {
		if n := curlRound(t, srv.URL, blob); n != 0 {
			t.Fatalf("round %d: %d imports failed with --fix all", round, n)
		}
	}
}

func TestServerEndpoints(t *testing.T) {
	srv := newTestServer(t, Fixes{Isolate: true, Lease: true}, 0)
	blob := []byte("a small layer")
	dgst := digest.FromBytes(blob)

	post := func(ref, dg string, body []byte) (*http.Response, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/blobs/import", bytes.NewReader(body))
		if ref != "" {
			req.Header.Set("Blob-Ref", ref)
		}
		if dg != "" {
			req.Header.Set("Blob-Digest", dg)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return resp, m
	}

	resp, m := post("sha256:abc123", "", blob)
	if resp.StatusCode != http.StatusCreated || m["status"] != "imported" || m["digest"] != dgst.String() {
		t.Fatalf("import: %s %v", resp.Status, m)
	}
	resp, m = post("sha256:abc123", dgst.String(), blob)
	if resp.StatusCode != http.StatusOK || m["status"] != "exists" {
		t.Fatalf("import again: %s %v", resp.Status, m)
	}
	resp, m = post("", "", blob)
	if resp.StatusCode != http.StatusBadRequest || m["class"] != "invalid_argument" {
		t.Fatalf("no ref: %s %v", resp.Status, m)
	}
	resp, m = post("x", "sha256:nothex", blob)
	if resp.StatusCode != http.StatusBadRequest || m["class"] != "invalid_argument" {
		t.Fatalf("bad digest: %s %v", resp.Status, m)
	}
	resp, m = post("x", "", make([]byte, 8<<20+1))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || m["class"] != "resource_exhausted" {
		t.Fatalf("too large: %s %v", resp.Status, m)
	}
	resp, m = post("y", digest.FromString("other").String(), blob)
	if resp.StatusCode != http.StatusConflict || m["class"] != "failed_precondition" || m["failure"] != "commit" {
		t.Fatalf("wrong digest: %s %v", resp.Status, m)
	}

	// The blob is unleased once its import is over: GC takes it.
	get, err := http.Get(srv.URL + "/v1/blobs/" + dgst.String())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if get.StatusCode != http.StatusOK || !bytes.Equal(got, blob) {
		t.Fatalf("get blob: %s %q", get.Status, got)
	}
	gc, err := http.Post(srv.URL+"/v1/gc/trigger", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var gcm map[string]any
	_ = json.NewDecoder(gc.Body).Decode(&gcm)
	gc.Body.Close()
	if gcm["removed"] != float64(1) {
		t.Fatalf("gc: %v", gcm)
	}
	get, err = http.Get(srv.URL + "/v1/blobs/" + dgst.String())
	if err != nil {
		t.Fatal(err)
	}
	get.Body.Close()
	if get.StatusCode != http.StatusNotFound {
		t.Fatalf("get after gc: %s", get.Status)
	}

	tr, err := http.Get(srv.URL + "/v1/trace")
	if err != nil {
		t.Fatal(err)
	}
	var trace struct {
		Events []content.Event `json:"events"`
	}
	if err := json.NewDecoder(tr.Body).Decode(&trace); err != nil {
		t.Fatal(err)
	}
	tr.Body.Close()
	kinds := map[content.Kind]bool{}
	for _, e := range trace.Events {
		kinds[e.Kind] = true
	}
	for _, k := range []content.Kind{content.WriterOpen, content.WriterWrite, content.WriterCommit, content.GCStart, content.GCRemove, content.GCEnd, content.LeaseAdd, content.LeaseRemove} {
		if !kinds[k] {
			t.Errorf("trace has no %s event", k)
		}
	}

	mr, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer mr.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(mr.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	for _, name := range []string{"blob_writer_lifetime_seconds", "blob_writer_reused_total", "active_writer_count", "writer_commit_failure_total", "gc_runs_total", "gc_blobs_removed_total"} {
		if families[name] == nil {
			t.Errorf("/metrics has no %s", name)
		}
	}
	if f := families["writer_commit_failure_total"]; f != nil && f.GetMetric()[0].GetCounter().GetValue() != 1 {
		t.Errorf("writer_commit_failure_total = %v, want 1 (the wrong digest)", f.GetMetric()[0].GetCounter().GetValue())
	}
	if f := families["gc_blobs_removed_total"]; f != nil && f.GetMetric()[0].GetCounter().GetValue() < 1 {
		t.Errorf("gc_blobs_removed_total = 0")
	}
	if !strings.Contains(mr.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("content type %q", mr.Header.Get("Content-Type"))
	}
}

func TestServeShutsDownOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ServeOptions{Addr: "127.0.0.1:0", Dir: t.TempDir(), GCInterval: time.Millisecond,
			Ready: func(a string) { addrc <- a }})
	}()
	addr := <-addrc
	resp, err := http.Post("http://"+addr+"/v1/gc/trigger", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve after cancel: %v", err)
	}
	if _, err := http.Post("http://"+addr+"/v1/gc/trigger", "", nil); err == nil {
		t.Fatal("server still answering after shutdown")
	}
}

func TestLoopbackAddr(t *testing.T) {
	for in, want := range map[string]string{"": DefaultAddr, ":4242": "127.0.0.1:4242", "0.0.0.0:80": "0.0.0.0:80", "localhost:1": "localhost:1"} {
		if got, err := loopbackAddr(in); err != nil || got != want {
			t.Errorf("loopbackAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
