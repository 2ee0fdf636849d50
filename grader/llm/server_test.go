package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI is an in-process OpenAI-compatible server speaking the real
// chat-completions JSON and server-sent-events formats. Each test gives it the
// behaviour of the n-th request (1-based).
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	handle func(w http.ResponseWriter, req *chatRequest, n int)

	mu       sync.Mutex
	requests []*chatRequest
}

// chatRequest is the request body as the server sees it on the wire.
type chatRequest struct {
	Model          string          `json:"model"`
	Stream         bool            `json:"stream"`
	Messages       []chatMessage   `json:"messages"`
	ResponseFormat json.RawMessage `json:"response_format"`
	Auth           string          `json:"-"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func newFakeAPI(t *testing.T, handle func(w http.ResponseWriter, req *chatRequest, n int)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, handle: handle}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read request: %v", err)
			return
		}
		var req chatRequest
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("request is not JSON: %v", err)
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		req.Auth = r.Header.Get("Authorization")
		f.mu.Lock()
		f.requests = append(f.requests, &req)
		n := len(f.requests)
		f.mu.Unlock()
		f.handle(w, &req, n)
	})
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"object":"list","data":[{"id":"test-model","object":"model","created":1,"owned_by":"me"},{"id":"other","object":"model","created":1,"owned_by":"me"}]}`)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeAPI) request(i int) *chatRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[i]
}

// client returns a real client on the fake server; waits between retries are
// recorded in *waits instead of slept.
func (f *fakeAPI) client(t *testing.T, waits *[]time.Duration) *Client {
	t.Helper()
	var mu sync.Mutex
	c, err := New(Options{
		BaseURL: f.srv.URL + "/v1", APIKey: "sk-test-secret-123", Model: "test-model",
		// What these tests check is never how fast the fake server answers, so
		// the limit is far above what a loaded 2-core machine needs (a 2 MiB
		// streamed reply took over 10 s at load average 30); TestTimeout
		// checks the limit itself.
		Timeout: 5 * time.Minute,
		sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			if waits != nil {
				*waits = append(*waits, d)
			}
			return ctx.Err()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeCompletion answers with a non-streaming chat completion.
func writeCompletion(w http.ResponseWriter, content, finish string) {
	w.Header().Set("Content-Type", "application/json")
	resp := map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model",
		"choices": []any{map[string]any{
			"index": 0, "message": map[string]any{"role": "assistant", "content": content},
			"finish_reason": finish,
		}},
		"usage": map[string]any{"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
	}
	_ = json.NewEncoder(w).Encode(resp)
}

// writeStream answers with server-sent events: one chunk per piece, then a final
// chunk carrying finish (unless empty) and, if done, the [DONE] sentinel.
func writeStream(w http.ResponseWriter, pieces []string, finish string, done bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	fl := w.(http.Flusher)
	chunk := func(delta map[string]any, finish any) {
		b, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "test-model",
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		})
		fmt.Fprintf(w, "data: %s\n\n", b)
		fl.Flush()
	}
	chunk(map[string]any{"role": "assistant", "content": ""}, nil)
	for _, p := range pieces {
		chunk(map[string]any{"content": p}, nil)
	}
	if finish != "" {
		chunk(map[string]any{}, finish)
	}
	if done {
		fmt.Fprint(w, "data: [DONE]\n\n")
		fl.Flush()
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"message":%q,"type":"server_error","code":null}}`, msg)
}

// A reply larger than MaxReplyBytes is refused whole, streamed or not: neither
// memory nor the learner's screen fills with it.
func TestHugeReplyIsRefused(t *testing.T) {
	huge := strings.Repeat("word ", 2*MaxReplyBytes/5)
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		if req.Stream {
			pieces := make([]string, 0, 64)
			for i := 0; i < 64; i++ {
				pieces = append(pieces, huge[:len(huge)/64])
			}
			writeStream(w, pieces, "stop", true)
			return
		}
		writeCompletion(w, huge, "stop")
	})
	c := api.client(t, nil)
	printed := 0
	_, err := c.Polish(context.Background(), "We was late.", "", func(s string) { printed += len(s) })
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("polish err = %v, want ErrTooLarge", err)
	}
	if printed > MaxReplyBytes {
		t.Fatalf("%d bytes reached the screen", printed)
	}
	_, err = c.Ping(context.Background(), 5*time.Minute)
	if err != nil {
		t.Fatalf("a small reply is still read: %v", err)
	}
}
