package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/drill-coach/drill/config"
)

// fakeEndpoint is an OpenAI-compatible server on loopback: it streams a polished
// text with its change list and lists one model.
func fakeEndpoint(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Stream bool `json:"stream"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || !req.Stream {
			http.Error(w, `{"error":{"message":"want a stream"}}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, piece := range []string{"We were seeing ", "intermittent failures.\x1b]0;x\x07", "\n===CHANGES===\n",
			`[{"before":"was","after":"were","category":"grammar","reason":"we takes were"}]`} {
			b, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
				"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": piece}, "finish_reason": nil}}})
			fmt.Fprintf(w, "data: %s\n\n", b)
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`+"\n\ndata: [DONE]\n\n")
	})
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"object":"list","data":[{"id":"llama3.1","object":"model","created":1,"owned_by":"me"}]}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestPolishWithEndpoint(t *testing.T) {
	srv := fakeEndpoint(t)
	for _, tty := range []bool{false, true} {
		f, out := testFactory(t, map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1", "DRILL_LLM_MODEL": "llama3.1", "NO_COLOR": "1"})
		f.IO.SetStdoutTTY(tty)
		if err := runPolish(context.Background(), &polishOptions{IO: f.IO, Config: f.Config, Text: "We was seeing intermittent failures."}); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		for _, want := range []string{
			"We were seeing intermittent failures.",
			"Word diff:\nWe [-was-] {+were+} seeing intermittent failures.",
			`- [grammar] "was" → "were": we takes were`,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("tty=%v: output lacks %q:\n%s", tty, want, got)
			}
		}
		if strings.Contains(got, "\x1b") || strings.Contains(got, "===CHANGES") {
			t.Errorf("tty=%v: escape sequence or protocol marker printed:\n%q", tty, got)
		}
		if tty && !strings.HasPrefix(got, "Polished (llama3.1):\n") {
			t.Errorf("terminal output does not stream under its header:\n%s", got)
		}
	}
}

func doctorOpts(f *Factory) *doctorOptions {
	return &doctorOptions{IO: f.IO, ConfigPath: func() string { return config.Path(f.Getenv) }, Config: f.Config,
		DBPath: f.DBPath, ExerciseDirs: f.ExerciseDirs, Timeout: 2 * time.Minute} // far above a loaded machine's needs
}

func TestDoctorWithEndpoint(t *testing.T) {
	srv := fakeEndpoint(t)
	f, out := testFactory(t, map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1", "DRILL_LLM_MODEL": "llama3.1",
		"OPENAI_API_KEY": "sk-never-shown"})
	if err := runDoctor(context.Background(), doctorOpts(f)); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "endpoint check:  answers, 1 models") || strings.Contains(out.String(), "sk-never-shown") {
		t.Fatalf("doctor output:\n%s", out)
	}

	f, out = testFactory(t, map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1", "DRILL_LLM_MODEL": "gpt-5"})
	if err := runDoctor(context.Background(), doctorOpts(f)); err == nil ||
		!strings.Contains(out.String(), `does not list model "gpt-5"; it lists "llama3.1"`) {
		t.Fatalf("a missing model was not reported: %v\n%s", err, out)
	}
}
