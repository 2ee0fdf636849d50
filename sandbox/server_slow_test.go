package sandbox

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Two clients that send headers and a trickle of body, then stall, must not
// hold both import slots for good: their body deadline passes, they get 408,
// and the next honest client is served.
func TestSlowBodiesDoNotHoldEveryImportSlot(t *testing.T) {
	store, ts := newService(t, Fixes{Isolate: true, Lease: true}, 0)
	// A short body deadline keeps the test quick; what it shows does not
	// depend on its length.
	srv := httptest.NewServer(NewServer(store, ts, Limits{MaxConcurrent: 2, BodyTimeout: 200 * time.Millisecond}))
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	slow := make([]net.Conn, 2)
	for i := range slow {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprintf(c, "POST /v1/blobs/import HTTP/1.1\r\nHost: x\r\nBlob-Ref: slow-%d\r\nContent-Length: 1048576\r\n\r\nfirst bytes", i)
		slow[i] = c
	}
	// Each stalled client gets its answer once its deadline passes. The
	// generous bound only keeps a server without deadlines from hanging the
	// test; the assertion is the status, not the time.
	for i, c := range slow {
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("stalled client %d never got an answer (its slot is still held): %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(body), "body not received within 200ms") {
			t.Errorf("stalled client %d: %d %s", i, resp.StatusCode, body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/blobs/import", bytes.NewReader([]byte("an honest body")))
	req.Header.Set("Blob-Ref", "honest")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("honest client after the stalled ones: %d %s", resp.StatusCode, body)
	}
}
