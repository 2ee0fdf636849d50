package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gradingEndpoint answers chat completions with a grade for the containerd
// opening: every point hit, quoting the answer.
func gradingEndpoint(t *testing.T, quote string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		var pts []map[string]any
		for _, id := range []string{"symptom", "hypothesis-writer", "hypothesis-gc", "next-step"} {
			pts = append(pts, map[string]any{"id": id, "hit": true, "evidence": quote, "score": 100})
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

func TestAnswerWithLLMCombinesBothGrades(t *testing.T) {
	answer := "We see intermittent commit failures on blob import, and I think concurrent importers share one writer."
	srv := gradingEndpoint(t, answer)
	env, out := testEnv(t, false, map[string]string{"OPENAI_BASE_URL": srv.URL + "/v1", "OPENAI_API_KEY": "sk-test-secret"})
	file := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(file, []byte(answer), 0o644); err != nil {
		t.Fatal(err)
	}
	err := runAnswer(context.Background(), env, answerOptions{ID: "containerd-commit-writer", Task: "opening", File: file, JSON: true, LLM: true})
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
	if got.Score <= got.LLM.OfflineScore || got.Score > got.LLM.LLMScore {
		t.Fatalf("combined score %d is not between offline %d and LLM %d", got.Score, got.LLM.OfflineScore, got.LLM.LLMScore)
	}
	if strings.Contains(out.String(), "sk-test-secret") {
		t.Fatal("the API key reached the output")
	}
}
