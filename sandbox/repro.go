package sandbox

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/opencontainers/go-digest"

	"github.com/drill-coach/drill/content"
)

// ReproOptions configure a repro run. The zero value of a field means its
// default; see DefaultReproOptions.
type ReproOptions struct {
	Importers  int           // concurrent importers of one ref per trial
	Jitter     time.Duration // each importer starts after a random delay in [0, Jitter]
	BlobSize   int           // bytes per blob
	GCInterval time.Duration // pause between background GC runs; negative disables GC
	UseDelay   time.Duration // pause between commit and use
	Trials     int
	Seed       uint64
	Fixes      Fixes
	Ref        string
	// Dir holds the content store; empty means a temporary directory.
	Dir string
	// Progress, if set, is called after each trial.
	Progress func(done, total int)
}

// The defaults make the failure intermittent on a loaded 2-core machine:
// two importers arriving up to 40 ms apart overlap on the shared writer only
// when the second arrives while the first is still writing (a few ms for
// 1 MiB), and a GC every 10 ms catches some blobs in the 1 ms between commit
// and use. Measured on a 2-core machine: about 40% of 200 trials fail when it
// is idle, 45-55% when it is loaded; the band the tests demand is 20-80%.
const (
	DefaultImporters  = 2
	DefaultJitter     = 40 * time.Millisecond
	DefaultBlobSize   = 1 << 20
	DefaultGCInterval = 10 * time.Millisecond
	DefaultUseDelay   = 1 * time.Millisecond
	DefaultTrials     = 200
	DefaultRef        = "sha256:abc123"
)

// DefaultReproOptions returns the intermittent defaults.
func DefaultReproOptions() ReproOptions {
	return ReproOptions{
		Importers:  DefaultImporters,
		Jitter:     DefaultJitter,
		BlobSize:   DefaultBlobSize,
		GCInterval: DefaultGCInterval,
		UseDelay:   DefaultUseDelay,
		Trials:     DefaultTrials,
		Seed:       1,
		Ref:        DefaultRef,
	}
}

// Aggressive turns options into the always-failing setting: ten importers
// arriving together always share and tear the writer, and a use delay well
// above the GC interval loses every unleased blob.
func Aggressive(o ReproOptions) ReproOptions {
	o.Importers = 10
	o.Jitter = 0
	o.GCInterval = 0
	o.UseDelay = 10 * time.Millisecond
	return o
}

// ReproResult is what a repro run found.
type ReproResult struct {
	Options        ReproOptions    `json:"-"`
	Trials         int             `json:"trials"`
	Failed         int             `json:"failed"`
	FailureRate    float64         `json:"failure_rate"`
	FirstFailureMS *float64        `json:"first_failure_ms"`
	Errors         map[string]int  `json:"errors"`
	Classes        map[string]int  `json:"-"`
	Low, High      float64         `json:"-"` // 95% Wilson interval of the failure rate
	Metrics        content.Summary `json:"-"`
	FailingTrial   int             `json:"-"` // index of the trial whose trace is kept, or -1
	FailingTrace   []content.Event `json:"-"`
	Elapsed        time.Duration   `json:"-"`
}

// Repro runs trials of concurrent importers of one ref against one store
// with a background GC, and reports how often and how they fail.
func Repro(ctx context.Context, o ReproOptions) (*ReproResult, error) {
	d := DefaultReproOptions()
	if o.Importers <= 0 {
		o.Importers = d.Importers
	}
	if o.BlobSize <= 0 {
		o.BlobSize = d.BlobSize
	}
	if o.Trials <= 0 {
		o.Trials = d.Trials
	}
	if o.Ref == "" {
		o.Ref = d.Ref
	}
	if o.Jitter < 0 || o.UseDelay < 0 {
		return nil, fmt.Errorf("jitter and use delay must not be negative: %w", errdefs.ErrInvalidArgument)
	}

	store, err := content.Open(ctx, content.Options{Dir: o.Dir, TraceSize: 1 << 15})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	ts := NewTransferService(store, o.Fixes, o.UseDelay)
	defer ts.Close()

	gcCtx, stopGC := context.WithCancel(ctx)
	var gcDone sync.WaitGroup
	if o.GCInterval >= 0 {
		gcDone.Go(func() { gcLoop(gcCtx, store, o.GCInterval) })
	}
	defer func() { stopGC(); gcDone.Wait() }()

	res := &ReproResult{Options: o, Errors: map[string]int{}, Classes: map[string]int{}, FailingTrial: -1}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	norm := newNormalizer(store.Dir())
	start := time.Now()
	for i := range o.Trials {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		blob := make([]byte, o.BlobSize)
		for j := range blob {
			blob[j] = byte(rng.Uint32())
		}
		delays := make([]time.Duration, o.Importers)
		for j := range delays {
			if o.Jitter > 0 {
				delays[j] = time.Duration(rng.Int64N(int64(o.Jitter) + 1))
			}
		}
		ns := fmt.Sprintf("trial-%04d", i)
		seq := store.Trace().Next()
		errs := runTrial(content.WithNamespace(ctx, ns), ts, o.Ref, blob, delays)
		failed := false
		for _, err := range errs {
			if err == nil {
				continue
			}
			failed = true
			res.Errors[norm.message(err)]++
			res.Classes[Class(err)]++
		}
		if failed {
			res.Failed++
			if res.FirstFailureMS == nil {
				ms := float64(time.Since(start).Microseconds()) / 1000
				res.FirstFailureMS = &ms
			}
			if res.FailingTrace == nil {
				res.FailingTrial = i
				res.FailingTrace = trialEvents(store.Trace().Events(seq), ns, digest.FromBytes(blob).String())
			}
		}
		if o.Progress != nil {
			o.Progress(i+1, o.Trials)
		}
	}
	res.Elapsed = time.Since(start)
	res.Trials = o.Trials
	res.FailureRate = float64(res.Failed) / float64(res.Trials)
	res.Low, res.High = Wilson(res.Failed, res.Trials)
	res.Metrics = store.Metrics().Summary()
	return res, nil
}

// runTrial starts the importers, each after its delay, and returns each
// one's error. A panic is recovered inside Import; the extra recover here
// keeps drill alive should one ever escape.
func runTrial(ctx context.Context, ts *TransferService, ref string, blob []byte, delays []time.Duration) []error {
	errs := make([]error, len(delays))
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, d := range delays {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = &panicError{value: r}
				}
			}()
			<-gate
			if d > 0 {
				time.Sleep(d)
			}
			_, errs[i] = ts.Import(ctx, ImportRequest{
				Ref:      ref,
				Size:     int64(len(blob)),
				Body:     newChunkReader(blob),
				Importer: fmt.Sprintf("importer-%d", i+1),
			})
		})
	}
	close(gate)
	wg.Wait()
	return errs
}

// gcLoop collects garbage every interval until ctx ends; interval 0 means
// back to back. GC errors are in the trace; the loop keeps going.
func gcLoop(ctx context.Context, store *content.Store, interval time.Duration) {
	gctx := content.WithImporter(ctx, "gc")
	for ctx.Err() == nil {
		_, _ = store.GC(gctx)
		if interval > 0 {
			t := time.NewTimer(interval)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		} else {
			// Yield so importers are not starved on a small machine.
			time.Sleep(50 * time.Microsecond)
		}
	}
}

// trialEvents keeps a trial's own events plus GC removals of its blob, and
// the GC runs that removed it.
func trialEvents(all []content.Event, ns, dgst string) []content.Event {
	var out []content.Event
	for _, e := range all {
		switch {
		case e.Namespace == ns:
			out = append(out, e)
		case e.Kind == content.GCRemove && e.Digest == dgst:
			out = append(out, e)
		}
	}
	return out
}

// Wilson returns the 95% Wilson score interval for k successes in n trials;
// unlike the normal approximation it stays inside [0, 1] and is honest at 0
// and n.
func Wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nf := float64(n)
	den := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

// normalizer turns an error message into its class's text: containerd's
// exact words, with the parts that differ between trials (temp paths,
// ingest hashes, digests) replaced so identical failures count together.
type normalizer struct {
	dir *regexp.Regexp
}

var (
	ingestHash = regexp.MustCompile(`ingest/[0-9a-f]{64}`)
	sha256Hex  = regexp.MustCompile(`sha256:[0-9a-f]{64}`)
	duration   = regexp.MustCompile(`locked for [^ ]+ \(since [^)]*\)`)
)

func newNormalizer(dir string) normalizer {
	return normalizer{dir: regexp.MustCompile(regexp.QuoteMeta(dir))}
}

func (n normalizer) message(err error) string {
	s := err.Error()
	s = n.dir.ReplaceAllString(s, "<store>")
	s = ingestHash.ReplaceAllString(s, "ingest/<h>")
	s = sha256Hex.ReplaceAllString(s, "sha256:<digest>")
	s = duration.ReplaceAllString(s, "locked for <d>")
	return s
}

// sortedErrors lists messages by count, most frequent first.
func sortedErrors(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// chunkReader hands out the blob in 64 KiB reads, like a network body, so
// importers of a shared writer interleave their writes.
type chunkReader struct {
	b []byte
}

func newChunkReader(b []byte) *chunkReader { return &chunkReader{b: b} }

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 64<<10)], r.b)
	r.b = r.b[n:]
	return n, nil
}
