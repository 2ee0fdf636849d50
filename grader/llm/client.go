// Package llm polishes English and optionally grades answers through any
// OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, llama.cpp
// server), using github.com/sashabaranov/go-openai.
//
// Everything here is optional: without an endpoint, polishing falls back to the
// offline checks of Advise and grading stays with the offline rubric engine.
// go-openai never retries, so this package does (429 and 5xx, honouring
// Retry-After); it also bounds every call with a timeout, detects streams cut off
// without a finish reason, rejects replies that are not the JSON asked for, and
// strips terminal escape sequences from everything the model says.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/drill-coach/drill/config"
	"github.com/drill-coach/drill/internal/sanitize"
)

// Error classes. Every error from this package wraps one of them; test with
// errors.Is, never with the message text.
var (
	ErrNotConfigured = errors.New("no LLM endpoint is configured")
	ErrTimeout       = errors.New("the LLM endpoint did not answer in time")
	ErrUnreachable   = errors.New("the LLM endpoint cannot be reached")
	ErrRateLimited   = errors.New("the LLM endpoint is rate limiting requests")
	ErrServer        = errors.New("the LLM endpoint failed")
	ErrAuth          = errors.New("the LLM endpoint rejected the API key")
	ErrRejected      = errors.New("the LLM endpoint rejected the request")
	ErrTruncated     = errors.New("the LLM reply was cut off")
	ErrMalformed     = errors.New("the LLM reply is not in the expected format")
	ErrEmpty         = errors.New("the LLM reply is empty")
	ErrTooLarge      = fmt.Errorf("the LLM reply is larger than %d MiB", MaxReplyBytes>>20)
)

// MaxReplyBytes caps a reply's HTTP body. A polished answer streamed as
// server-sent events spends about 200 bytes of JSON per token, so a long
// answer's polish stays well under it, while a runaway or hostile server
// cannot fill memory or the learner's screen.
const MaxReplyBytes = 2 << 20

// Options configure a Client.
type Options struct {
	BaseURL string // default https://api.openai.com/v1
	APIKey  string // may be empty for local servers
	Model   string
	// Timeout bounds each call, retries and waits included. Default 60s.
	Timeout time.Duration
	// Attempts is how many times a request is tried on 429 or 5xx. Default 3.
	Attempts int
	// Backoff is the first wait between tries when the server sends no
	// Retry-After; it doubles each time. Default 1s.
	Backoff time.Duration
	// MaxRetryAfter caps how long a Retry-After is honoured; a server asking for
	// longer gets its error reported at once instead of a silent long wait.
	// Default 30s.
	MaxRetryAfter time.Duration
	// HTTPClient is the transport; default a plain http.Client.
	HTTPClient *http.Client

	// sleep waits between tries; tests record the waits instead of sleeping.
	sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to one endpoint with one model. It is safe for concurrent use.
type Client struct {
	api     *openai.Client
	model   string
	timeout time.Duration
	baseURL string
	key     string // kept only to redact it from error messages
}

// New builds a client. It does not contact the endpoint.
func New(o Options) (*Client, error) {
	if o.APIKey == "" && o.BaseURL == "" {
		return nil, ErrNotConfigured
	}
	if o.BaseURL == "" {
		o.BaseURL = config.OpenAIBaseURL
	}
	if o.Model == "" {
		o.Model = config.DefaultModel
	}
	if o.Timeout <= 0 {
		o.Timeout = config.DefaultTimeout
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Second
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = 30 * time.Second
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.sleep == nil {
		o.sleep = sleepCtx
	}
	cfg := openai.DefaultConfig(o.APIKey)
	cfg.BaseURL = strings.TrimRight(o.BaseURL, "/")
	cfg.HTTPClient = &retryDoer{next: o.HTTPClient, attempts: o.Attempts, backoff: o.Backoff,
		maxWait: o.MaxRetryAfter, sleep: o.sleep, maxBody: MaxReplyBytes}
	return &Client{api: openai.NewClientWithConfig(cfg), model: o.Model, timeout: o.Timeout,
		baseURL: cfg.BaseURL, key: o.APIKey}, nil
}

// FromConfig builds a client from drill's configuration; ErrNotConfigured when
// neither a key nor a base URL is set.
func FromConfig(c *config.Config) (*Client, error) {
	if c == nil || !c.LLMConfigured() {
		return nil, ErrNotConfigured
	}
	return New(Options{BaseURL: c.BaseURL, APIKey: c.APIKey, Model: c.Model, Timeout: c.LLMTimeout})
}

// Model is the model the client asks for.
func (c *Client) Model() string { return c.model }

// BaseURL is the endpoint in use.
func (c *Client) BaseURL() string { return c.baseURL }

// Ping lists the endpoint's models within timeout: it tells whether the endpoint
// answers and whether it serves the configured model.
func (c *Client) Ping(ctx context.Context, timeout time.Duration) (models []string, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	list, err := c.api.ListModels(ctx)
	if err != nil {
		return nil, c.classify(ctx, err, timeout)
	}
	for _, m := range list.Models {
		models = append(models, sanitize.Text(m.ID))
	}
	return models, nil
}

// classify maps a go-openai or transport error onto the package's error classes,
// with the server's own message, cleaned and with the key redacted.
func (c *Client) classify(ctx context.Context, err error, timeout time.Duration) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w (no reply within %s; raise llm_timeout in config.yaml if the model is slow)", ErrTimeout, timeout)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, ErrTooLarge) {
		return ErrTooLarge
	}
	status, msg := 0, ""
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status, msg = apiErr.HTTPStatusCode, apiErr.Message
	case errors.As(err, &reqErr):
		status, msg = reqErr.HTTPStatusCode, string(reqErr.Body)
	}
	msg = c.clean(msg, 200)
	detail := func(class error) error {
		if msg == "" {
			return fmt.Errorf("%w (HTTP %d)", class, status)
		}
		return fmt.Errorf("%w (HTTP %d: %s)", class, status, msg)
	}
	switch {
	case status == http.StatusTooManyRequests:
		return detail(ErrRateLimited)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return detail(ErrAuth)
	case status >= 500:
		return detail(ErrServer)
	case status >= 400:
		return detail(ErrRejected)
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: the response body is not chat-completions JSON (%s)", ErrMalformed, c.clean(err.Error(), 120))
	}
	var netErr net.Error
	var opErr *net.OpError
	if errors.As(err, &opErr) || errors.As(err, &netErr) {
		return fmt.Errorf("%w at %s (%s): is the server running?", ErrUnreachable, c.baseURL, c.clean(err.Error(), 160))
	}
	return fmt.Errorf("%w: %s", ErrServer, c.clean(err.Error(), 200))
}

// clean makes server-provided text safe to show: no escape sequences, no key,
// one line, at most n runes.
func (c *Client) clean(s string, n int) string {
	if c.key != "" {
		s = strings.ReplaceAll(s, c.key, "[redacted]")
	}
	s = strings.Join(strings.Fields(sanitize.Text(s)), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}

// retryDoer retries 429 and 5xx answers, since go-openai never does. It sits
// below go-openai so it sees the Retry-After header, which go-openai's errors drop.
type retryDoer struct {
	next     *http.Client
	attempts int
	backoff  time.Duration
	maxWait  time.Duration
	sleep    func(context.Context, time.Duration) error
	maxBody  int64
}

func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.do(req)
	if resp != nil && d.maxBody > 0 {
		resp.Body = &cappedBody{ReadCloser: resp.Body, left: d.maxBody}
	}
	return resp, err
}

// cappedBody fails a read past its limit instead of returning a short body, so
// a cut reply is never mistaken for a whole one.
type cappedBody struct {
	io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

func (d *retryDoer) do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for try := 1; ; try++ {
		resp, err := d.next.Do(req)
		// Transport errors are not retried: a local server that is not running
		// should say so at once, not after a minute of backoff.
		if err != nil || !retriable(resp.StatusCode) || try >= d.attempts || req.GetBody == nil && req.Body != nil {
			return resp, err
		}
		wait, ok := retryAfter(resp.Header, time.Now())
		if !ok {
			// Exponential backoff with jitter so many clients do not retry in step.
			wait = d.backoff << (try - 1)
			wait += time.Duration(rand.Int64N(int64(wait)/4 + 1))
		}
		if wait > d.maxWait {
			return resp, nil // report the server's answer rather than wait that long
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return resp, nil // the wait would outlast the call's timeout
		}
		// Drain so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if err := d.sleep(ctx, wait); err != nil {
			return nil, err
		}
		next := req.Clone(ctx)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			next.Body = body
		}
		req = next
	}
}

func retriable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500 && status <= 599
}

// retryAfter reads Retry-After (seconds or an HTTP date) or OpenAI's
// retry-after-ms.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
