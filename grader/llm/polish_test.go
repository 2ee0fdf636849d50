package llm

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var fenceRE = regexp.MustCompile(`<<<TEXT-([0-9a-f]{32})>>>`)

func TestPolishStreamsTextAndExplainsChanges(t *testing.T) {
	const original = "We was seeing intermitent failures when two importers commit the same layer."
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		writeStream(w, []string{"We were ", "seeing intermittent ", "failures when two importers ",
			"commit the same layer.", "\n===CHA", "NGES===\n",
			`[{"before":"was","after":"were","category":"grammar","reason":"subject–verb agreement: we were"},`,
			`{"before":"intermitent","after":"intermittent","category":"Spelling","reason":"double t"}]`}, "stop", true)
	})
	c := api.client(t, nil)
	var mu sync.Mutex
	var pieces []string
	p, err := c.Polish(context.Background(), original, "", func(s string) {
		mu.Lock()
		defer mu.Unlock()
		pieces = append(pieces, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	const want = "We were seeing intermittent failures when two importers commit the same layer."
	if p.Text != want {
		t.Fatalf("polished = %q", p.Text)
	}
	streamed := strings.Join(pieces, "")
	if strings.TrimSpace(streamed) != want || len(pieces) < 2 {
		t.Fatalf("streamed %d pieces %q, want the polished text in several pieces", len(pieces), pieces)
	}
	if strings.Contains(streamed, "===") || strings.Contains(streamed, "before") {
		t.Fatalf("the change list leaked into the streamed text: %q", streamed)
	}
	if got := FormatDiff(p.Diff); got != "We [-was-] {+were+} seeing [-intermitent-] {+intermittent+} failures when two importers commit the same layer." {
		t.Fatalf("word diff = %q", got)
	}
	if len(p.Changes) != 2 || p.Changes[0].Category != "grammar" || !strings.Contains(p.Changes[0].Reason, "agreement") ||
		p.Changes[1].Category != "grammar" || p.Changes[1].Reason != "double t" || p.Note != "" {
		t.Fatalf("changes = %+v note %q", p.Changes, p.Note)
	}

	req := api.request(0)
	if !req.Stream || req.Model != "test-model" || req.Auth != "Bearer sk-test-secret-123" {
		t.Fatalf("request: stream=%v model=%q auth=%q", req.Stream, req.Model, req.Auth)
	}
	m := fenceRE.FindStringSubmatch(req.Messages[1].Content)
	if m == nil || req.Messages[1].Content != "<<<TEXT-"+m[1]+">>>\n"+original+"\n<<<END-TEXT-"+m[1]+">>>" ||
		!strings.Contains(req.Messages[0].Content, m[1]) {
		t.Fatalf("the text is not fenced as data:\nsystem: %s\nuser: %s", req.Messages[0].Content, req.Messages[1].Content)
	}
}

func TestPolishVariantAndMissingChangeList(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		if !strings.Contains(req.Messages[0].Content, "15-second pitch") {
			t.Errorf("pitch15 instruction missing from %q", req.Messages[0].Content)
		}
		writeStream(w, []string{"Two importers share one writer, so commits fail."}, "stop", true)
	})
	p, err := api.client(t, nil).Polish(context.Background(), "Basically two importers are sharing one writer and so the commits are failing.", "pitch15", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Note == "" || len(p.Changes) == 0 {
		t.Fatalf("without a change list drill must still explain the diff and say so: %+v", p)
	}
	for _, c := range p.Changes {
		if c.Category == "" || c.Reason == "" {
			t.Fatalf("unexplained change %+v", c)
		}
	}
	if _, err := api.client(t, nil).Polish(context.Background(), "x", "haiku", nil); err == nil {
		t.Fatal("an unknown variant was accepted")
	}
}

func TestPolishStripsEscapeSequences(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		// Sequences split across chunks, as a tokenizer would split them.
		writeStream(w, []string{"Red \x1b[3", "1mtext\x1b[0m and a \x1b]0;pw", "ned title\x07 done.\r\x1b[2K",
			"\n===CHANGES===\n", `[{"before":"x","after":"y","category":"tone","reason":"\u001b[5mblink\u001b[0m"}]`}, "stop", true)
	})
	var out strings.Builder
	p, err := api.client(t, nil).Polish(context.Background(), "Red text and a title done.", "", func(s string) { out.WriteString(s) })
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"streamed": out.String(), "polished": p.Text} {
		if strings.ContainsAny(s, "\x1b\r\a") || strings.Contains(s, "[31m") || strings.Contains(s, "title") {
			t.Errorf("%s text still carries escape sequences: %q", name, s)
		}
	}
	if strings.TrimSpace(out.String()) != "Red text and a  done." {
		t.Errorf("streamed = %q", out.String())
	}
}

func TestPolishTruncatedStream(t *testing.T) {
	for _, done := range []bool{false, true} {
		api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
			// The connection ends before any chunk carries a finish reason.
			writeStream(w, []string{"We were seeing inter"}, "", done)
		})
		_, err := api.client(t, nil).Polish(context.Background(), "We was seeing failures.", "", nil)
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("done=%v: err = %v, want ErrTruncated", done, err)
		}
	}
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		writeStream(w, []string{"We were"}, "length", true)
	})
	if _, err := api.client(t, nil).Polish(context.Background(), "We was.", "", nil); !errors.Is(err, ErrTruncated) {
		t.Fatalf("finish_reason length: err = %v", err)
	}
}

func TestRetryAfterThenSuccess(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			writeError(w, http.StatusTooManyRequests, "Rate limit reached")
			return
		}
		writeStream(w, []string{"Fine."}, "stop", true)
	})
	var waits []time.Duration
	p, err := api.client(t, &waits).Polish(context.Background(), "fine", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Text != "Fine." || api.count() != 2 {
		t.Fatalf("text %q after %d requests", p.Text, api.count())
	}
	if len(waits) != 1 || waits[0] != 2*time.Second {
		t.Fatalf("waits = %v, want the server's Retry-After of 2s", waits)
	}
	// The retried request carries the same body.
	if a, b := api.request(0), api.request(1); a.Messages[1].Content != b.Messages[1].Content {
		t.Fatal("the retry sent a different body")
	}
}

func TestServerErrorRetriedThenReported(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		writeError(w, http.StatusInternalServerError, "The server had an error while processing your request")
	})
	var waits []time.Duration
	_, err := api.client(t, &waits).Polish(context.Background(), "We was.", "", nil)
	if !errors.Is(err, ErrServer) || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("err = %v", err)
	}
	if api.count() != 3 || len(waits) != 2 || waits[0] < time.Second || waits[1] < 2*time.Second {
		t.Fatalf("%d requests, waits %v: want 3 tries with doubling backoff", api.count(), waits)
	}
}

func TestRetryAfterTooLongIsReportedAtOnce(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		w.Header().Set("Retry-After", "3600")
		writeError(w, http.StatusTooManyRequests, "quota exceeded")
	})
	var waits []time.Duration
	_, err := api.client(t, &waits).Polish(context.Background(), "x y z", "", nil)
	if !errors.Is(err, ErrRateLimited) || api.count() != 1 || len(waits) != 0 {
		t.Fatalf("err %v after %d requests and waits %v", err, api.count(), waits)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		<-release
	})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	c, err := New(Options{BaseURL: api.srv.URL + "/v1", Model: "m", Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Polish(context.Background(), "We was.", "", nil)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "100ms") {
		t.Fatalf("err = %v, want ErrTimeout naming the limit", err)
	}
}

func TestKeyNeverInErrors(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {
		writeError(w, http.StatusUnauthorized, "Incorrect API key provided: sk-test-secret-123. \x1b[31mSee docs.")
	})
	_, err := api.client(t, nil).Polish(context.Background(), "We was.", "", nil)
	if !errors.Is(err, ErrAuth) || strings.Contains(err.Error(), "sk-test-secret-123") ||
		!strings.Contains(err.Error(), "[redacted]") || strings.Contains(err.Error(), "\x1b") {
		t.Fatalf("err = %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	api := newFakeAPI(t, func(w http.ResponseWriter, req *chatRequest, n int) {})
	url := api.srv.URL
	api.srv.Close()
	c, err := New(Options{BaseURL: url + "/v1", Model: "m", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Polish(context.Background(), "We was.", "", nil); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
}

func TestPing(t *testing.T) {
	api := newFakeAPI(t, nil)
	models, err := api.client(t, nil).Ping(context.Background(), time.Second)
	if err != nil || len(models) != 2 || models[0] != "test-model" {
		t.Fatalf("models %v, err %v", models, err)
	}
}

func TestNotConfigured(t *testing.T) {
	if _, err := New(Options{}); !errors.Is(err, ErrNotConfigured) {
		t.Fatalf("err = %v", err)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
		ok   bool
	}{
		{http.Header{"Retry-After": {"7"}}, 7 * time.Second, true},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second, true},
		{http.Header{"Retry-After": {now.Add(-time.Minute).Format(http.TimeFormat)}}, 0, true},
		{http.Header{"Retry-After-Ms": {"250"}}, 250 * time.Millisecond, true},
		{http.Header{"Retry-After": {"soon"}}, 0, false},
		{http.Header{}, 0, false},
	} {
		got, ok := retryAfter(tc.h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%v: got %v %v, want %v %v", tc.h, got, ok, tc.want, tc.ok)
		}
	}
}
