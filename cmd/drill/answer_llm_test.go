package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var pointIDRE = regexp.MustCompile(`"id": "([a-z0-9-]+)"`)

// gradingEndpoint answers chat completions with a grade for the containerd
// opening: every point hit, quoting the answer.
func gradingEndpoint(t *testing.T, quote string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		// Every rubric point the request names is entailed, quoting the answer.
		var req struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		var pts []map[string]any
		if len(req.Messages) > 0 {
			for _, m := range pointIDRE.FindAllStringSubmatch(req.Messages[0].Content, -1) {
				pts = append(pts, map[string]any{"id": m[1], "verdict": "entailed", "evidence": quote})
			}
		}
		content, _ := json.Marshal(map[string]any{"points": pts, "injection_detected": false,
			"feedback": []any{map[string]any{"kind": "celebratory", "text": "Clear and calm."}}})
		resp := map[string]any{"id": "x", "object": "chat.completion", "created": 1, "model": "m",
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": string(content)}}}}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAnswerWithLLMVerdictsReplaceOfflineOnes(t *testing.T) {
	answer := "We see intermittent commit failures on blob import, and I think concurrent importers share one writer."
	srv := gradingEndpoint(t, answer)
	f, out := testFactory(t, map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1", "OPENAI_API_KEY": "sk-test-secret"})
	file := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(file, []byte(answer), 0o644); err != nil {
		t.Fatal(err)
	}
	err := runAnswer(context.Background(), &answerOptions{IO: f.IO, Bank: f.Bank, Config: f.Config, Store: f.Store, Practice: f.Practice, ID: "containerd-commit-writer", Task: "opening", File: file, JSON: true, LLM: true})
	if err != nil {
		t.Fatal(err)
	}
	var got answerJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.LLM == nil || !got.LLM.UsedLLM || got.LLM.LLMScore <= got.LLM.OfflineScore {
		t.Fatalf("LLM grade not combined: %+v", got.LLM)
	}
	if got.Score != got.LLM.LLMScore {
		t.Fatalf("score %d, want the LLM verdicts' score %d", got.Score, got.LLM.LLMScore)
	}
	for _, p := range got.Points {
		if p.Status != "hit" || p.Source != "llm" {
			t.Fatalf("point %+v: want every point hit by the LLM's verdict", p)
		}
	}
	if strings.Contains(out.String(), "sk-test-secret") {
		t.Fatal("the API key reached the output")
	}
}
