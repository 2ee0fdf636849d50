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
	// TargetRate, when above 0, makes Jitter a starting point: the first
	// CalibrationTrials adapt it until about this share of trials fails,
	// then it stays fixed for the Trials that are measured.
	TargetRate        float64
	CalibrationTrials int
	// Progress, if set, is called after each trial, calibration included.
	Progress func(p Progress)
}

// Progress is where a run is.
type Progress struct {
	Done, Total int           // trials run and to run, calibration included
	Calibrating bool          // still adapting the jitter
	Jitter      time.Duration // the jitter in use
	Failed      int           // failed measured trials so far
}

// The defaults make the failure intermittent: two importers overlap on the
// shared writer only when the second arrives while the first is still
// writing, and a GC every 10 ms catches some blobs in the 1 ms between
// commit and use. How long a 1 MiB write takes depends on the machine and
// its load, so a fixed arrival jitter does not give a fixed rate (40 ms gave
// 36-41% idle, 54-90% loaded, 69% with GOMAXPROCS=1 on a 2-core machine).
// The default therefore aims at a rate: the first DefaultCalibration trials
// adapt the jitter, starting from DefaultJitter, towards DefaultTargetRate.
const (
	DefaultImporters   = 2
	DefaultJitter      = 40 * time.Millisecond
	DefaultTargetRate  = 0.5
	DefaultCalibration = 80
	DefaultBlobSize    = 1 << 20
	DefaultGCInterval  = 10 * time.Millisecond
	DefaultUseDelay    = 1 * time.Millisecond
	DefaultTrials      = 200
	DefaultRef         = "sha256:abc123"
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

		TargetRate:        DefaultTargetRate,
		CalibrationTrials: DefaultCalibration,
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
	o.TargetRate = 0
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
	Classes        map[string]int  `json:"classes"`
	Low            float64         `json:"wilson_low"` // 95% Wilson interval of the failure rate
	High           float64         `json:"wilson_high"`
	JitterMS       float64         `json:"jitter_ms"`
	Metrics        content.Summary `json:"metrics"`
	FailingTrial   int             `json:"-"` // index of the trial whose trace is kept, or -1
	FailingTrace   []content.Event `json:"-"`
	Elapsed        time.Duration   `json:"-"`
	// Calibration is how the jitter was chosen; nil when it was fixed.
	Calibration *Calibration `json:"calibration,omitempty"`
}

// Calibration describes the trials that chose the arrival jitter.
type Calibration struct {
	TargetRate float64 `json:"target_rate"`
	Trials     int     `json:"trials"`
	Failed     int     `json:"failed"`
	StartMS    float64 `json:"start_jitter_ms"`
	// Multiple is the arrival spread in units of the recent import time.
	Multiple float64       `json:"jitter_per_import_time"`
	Start    time.Duration `json:"-"`
	Jitter   time.Duration `json:"-"` // the mean jitter of the measured trials
}

// calibrator adapts the arrival jitter towards a target failure rate.
//
// Whether two importers overlap depends on how their arrival spread
// compares with how long one import takes, and that changes with the
// machine and its load. So the jitter is a multiple of the pace, the recent
// import time (a geometric moving average of each trial's fastest import),
// and what is calibrated is the multiple, by stochastic approximation on
// its logarithm: a failure widens the spread, a success narrows it, by
// steps that shrink as trials go on. The multiple kept is the geometric
// mean over the second half of the calibration, which averages out the last
// steps' noise; the measured trials keep following the pace.
type calibrator struct {
	target   float64
	start    time.Duration
	logK     float64
	paced    bool
	logPace  float64
	n, total int
	sum      float64
	summed   int
	failed   int
}

// Bounds of the jitter: below 50 µs arrivals are simultaneous for any
// write; above 2 s a trial is mostly waiting.
const (
	minJitter = 50 * time.Microsecond
	maxJitter = 2 * time.Second
)

func newCalibrator(target float64, start time.Duration, trials int) *calibrator {
	return &calibrator{target: target, start: max(start, minJitter), total: trials}
}

func clampJitter(d float64) time.Duration {
	return time.Duration(math.Max(float64(minJitter), math.Min(float64(maxJitter), d)))
}

// jitter is the spread for the next trial.
func (c *calibrator) jitter() time.Duration {
	if !c.paced {
		return c.start
	}
	return clampJitter(math.Exp(c.logK + c.logPace))
}

// pace records a trial's fastest import.
func (c *calibrator) pace(d time.Duration) {
	if d <= 0 {
		return
	}
	l := math.Log(float64(d))
	if !c.paced {
		c.paced = true
		c.logPace = l
		c.logK = math.Log(float64(c.start)) - l
		return
	}
	c.logPace = 0.8*c.logPace + 0.2*l
}

// observe records whether a calibration trial failed.
func (c *calibrator) observe(failed bool) {
	if c.n >= c.total/2 {
		c.sum += c.logK
		c.summed++
	}
	x := 0.0
	if failed {
		x = 1
		c.failed++
	}
	c.n++
	c.logK += 1.5 / math.Pow(float64(c.n), 0.6) * (x - c.target)
	// Keep the multiple where the jitter bounds make it mean something.
	c.logK = math.Max(math.Log(float64(minJitter))-c.logPace, math.Min(math.Log(float64(maxJitter))-c.logPace, c.logK))
}

// track nudges the multiple after a measured trial. The step is small, so
// the measured rate is still the service's, but a machine whose load
// changes in ways the import time does not show cannot drift the run far
// from the target: with this step a rate 20 points off moves the spread by
// a factor of e in 100 trials.
func (c *calibrator) track(failed bool) {
	x := 0.0
	if failed {
		x = 1
	}
	c.logK += trackStep * (x - c.target)
	c.logK = math.Max(math.Log(float64(minJitter))-c.logPace, math.Min(math.Log(float64(maxJitter))-c.logPace, c.logK))
}

const trackStep = 0.05

// freeze fixes the multiple at its calibrated value.
func (c *calibrator) freeze() {
	if c.summed > 0 {
		c.logK = c.sum / float64(c.summed)
	}
	c.total = 0
}

// multiple is the jitter in units of the pace.
func (c *calibrator) multiple() float64 { return math.Exp(c.logK) }

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
	if o.TargetRate < 0 || o.TargetRate >= 1 {
		return nil, fmt.Errorf("target rate %v is not in [0, 1): %w", o.TargetRate, errdefs.ErrInvalidArgument)
	}
	calTrials := 0
	if o.TargetRate > 0 {
		calTrials = o.CalibrationTrials
		if calTrials <= 0 {
			calTrials = DefaultCalibration
		}
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
	var cal *calibrator
	if calTrials > 0 {
		cal = newCalibrator(o.TargetRate, o.Jitter, calTrials)
	}
	total := calTrials + o.Trials
	trial := func(idx int, jitter time.Duration) (bool, []error, string, uint64, []byte) {
		blob := make([]byte, o.BlobSize)
		for j := range blob {
			blob[j] = byte(rng.Uint32())
		}
		delays := make([]time.Duration, o.Importers)
		for j := range delays {
			if jitter > 0 {
				delays[j] = time.Duration(rng.Int64N(int64(jitter) + 1))
			}
		}
		ns := fmt.Sprintf("trial-%04d", idx)
		seq := store.Trace().Next()
		errs, pace := runTrial(content.WithNamespace(ctx, ns), ts, o.Ref, blob, delays)
		if cal != nil {
			cal.pace(pace)
		}
		failed := false
		for _, err := range errs {
			failed = failed || err != nil
		}
		return failed, errs, ns, seq, blob
	}
	for i := range calTrials {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		failed, _, _, _, _ := trial(i, cal.jitter())
		cal.observe(failed)
		if o.Progress != nil {
			o.Progress(Progress{Done: i + 1, Total: total, Calibrating: true, Jitter: cal.jitter()})
		}
	}
	if cal != nil {
		cal.freeze()
		res.Calibration = &Calibration{TargetRate: o.TargetRate, Trials: calTrials, Failed: cal.failed,
			Start: o.Jitter, StartMS: ms(o.Jitter), Multiple: math.Round(100*cal.multiple()) / 100}
	}
	var jitterSum time.Duration
	start := time.Now()
	for i := range o.Trials {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		jitter := o.Jitter
		if cal != nil {
			jitter = cal.jitter()
		}
		jitterSum += jitter
		failed, errs, ns, seq, blob := trial(calTrials+i, jitter)
		if cal != nil {
			cal.track(failed)
		}
		for _, err := range errs {
			if err == nil {
				continue
			}
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
			o.Progress(Progress{Done: calTrials + i + 1, Total: total, Jitter: jitter, Failed: res.Failed})
		}
	}
	res.Elapsed = time.Since(start)
	res.Trials = o.Trials
	res.FailureRate = float64(res.Failed) / float64(res.Trials)
	res.Low, res.High = Wilson(res.Failed, res.Trials)
	if res.Calibration != nil {
		// The measured trials followed the pace; report their mean spread.
		res.Calibration.Jitter = jitterSum / time.Duration(o.Trials)
		res.Options.Jitter = res.Calibration.Jitter
	}
	res.JitterMS = ms(res.Options.Jitter)
	res.Metrics = store.Metrics().Summary()
	return res, nil
}

// runTrial starts the importers, each after its delay, and returns each
// one's error and the shortest successful import (from an importer's
// arrival to its return), or 0: how long one import takes on this machine
// right now. A panic is
// recovered inside Import; the extra recover here keeps drill alive should
// one ever escape.
func runTrial(ctx context.Context, ts *TransferService, ref string, blob []byte, delays []time.Duration) ([]error, time.Duration) {
	errs := make([]error, len(delays))
	took := make([]time.Duration, len(delays))
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
			start := time.Now()
			_, errs[i] = ts.Import(ctx, ImportRequest{
				Ref:      ref,
				Size:     int64(len(blob)),
				Body:     newChunkReader(blob),
				Importer: fmt.Sprintf("importer-%d", i+1),
			})
			took[i] = time.Since(start)
		})
	}
	close(gate)
	wg.Wait()
	// Only successful imports measure the machine: a failed one may have
	// stopped half way, and counting it would shrink the spread after each
	// failure, making the next one likelier.
	var fastest time.Duration
	for i, d := range took {
		if errs[i] == nil && (fastest == 0 || d < fastest) {
			fastest = d
		}
	}
	return errs, fastest
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

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }

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
	lo, hi = math.Max(0, centre-half), math.Min(1, centre+half)
	// At 0 and n the bound is exact; rounding must not put p outside it.
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return lo, hi
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
	// Sizes and offsets differ from failure to failure ("failed size
	// validation: 1507328 != 1048576"); one message is one class.
	bigNumber = regexp.MustCompile(`\b\d{4,}\b`)
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
	s = bigNumber.ReplaceAllString(s, "<n>")
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
