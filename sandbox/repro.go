package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"regexp"
	"sort"
	"sync"
	"sync/atomic"
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
	// Containerd, when set, is the socket of a running containerd daemon
	// whose content store, leases and GC are used instead of in-process
	// ones. Dir must then be empty.
	Containerd string
	// TrialTimeout is the watchdog: importers still running this long after
	// a trial started are reported as hung and left behind. 0 means
	// DefaultTrialTimeout.
	TrialTimeout time.Duration
	// StallTimeout applies on a daemon only: once an importer of a trial
	// has failed, the others are reported as hung when none of them has
	// read any of its body for this long. 0 means DefaultStallTimeout.
	StallTimeout time.Duration
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
	// DefaultTrialTimeout is far above any import of a default blob, even
	// on a loaded machine, so only an importer that will never return
	// reaches it.
	DefaultTrialTimeout = 30 * time.Second
	// DefaultDaemonGCInterval replaces DefaultGCInterval on a daemon, where a
	// collection is a gRPC round trip through the daemon's GC scheduler
	// (about 14 ms here under load) and commit and read back are round trips
	// too, so a blob is garbage for longer. With the fixed writers (--fix
	// isolate, arrivals together) on this 2-core machine under a load
	// average of 30, a GC every 30 ms lost blobs in 20% of 60 trials, every
	// 50 ms in 10%, every 100 ms in 5%: 50 ms leaves the GC window a share
	// the arrival spread can aim around.
	DefaultDaemonGCInterval = 50 * time.Millisecond
	// DefaultStallTimeout is how long importers of a trial that has already
	// failed may go without reading before they count as hung. A stalled
	// importer holds up the run, not the result: its trial has failed.
	DefaultStallTimeout = 500 * time.Millisecond
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
	// Daemon names the containerd daemon the run used; nil in-process.
	Daemon *Daemon `json:"daemon,omitempty"`
}

// DaemonNamespace is the containerd namespace the sandbox uses on a daemon.
const DaemonNamespace = content.RemoteNamespace

// Daemon is the containerd daemon a run used.
type Daemon struct {
	Address   string `json:"address"`
	Version   string `json:"version"`
	Namespace string `json:"namespace"`
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
	start = max(start, minJitter)
	return &calibrator{target: target, start: start, logK: math.Log(float64(start)), total: trials}
}

func clampJitter(d float64) time.Duration {
	return time.Duration(math.Max(float64(minJitter), math.Min(float64(maxJitter), d)))
}

// jitter is the spread for the next trial. Until a first import has
// succeeded there is no pace: logPace is 0 and logK is the logarithm of the
// spread itself, so a run in which every trial fails still widens it.
func (c *calibrator) jitter() time.Duration {
	return clampJitter(math.Exp(c.logK + c.logPace))
}

// pace records a trial's fastest import.
func (c *calibrator) pace(d time.Duration) {
	if d <= 0 {
		return
	}
	l := math.Log(float64(d))
	if !c.paced {
		// From now on logK is the multiple of the pace.
		c.paced = true
		c.logPace = l
		c.logK -= l
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
	if o.TrialTimeout <= 0 {
		o.TrialTimeout = DefaultTrialTimeout
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = DefaultStallTimeout
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

	store, err := openStore(ctx, o.Dir, o.Containerd, 1<<15)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	daemonAddr, daemonVersion := store.Remote()
	ts := NewTransferService(store, o.Fixes, o.UseDelay)
	defer ts.Close()

	gcCtx, stopGC := context.WithCancel(ctx)
	var gcDone sync.WaitGroup
	if o.GCInterval >= 0 {
		gcDone.Go(func() { gcLoop(gcCtx, store, o.GCInterval) })
	}
	defer func() { stopGC(); gcDone.Wait() }()

	res := &ReproResult{Options: o, Errors: map[string]int{}, Classes: map[string]int{}, FailingTrial: -1}
	if daemonAddr != "" {
		res.Daemon = &Daemon{Address: daemonAddr, Version: daemonVersion, Namespace: content.RemoteNamespace}
	}
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
		tctx := content.WithNamespace(ctx, ns)
		stall := time.Duration(0)
		if daemonAddr != "" {
			stall = o.StallTimeout
		}
		errs, pace := runTrial(tctx, ts, o.Ref, blob, delays, o.TrialTimeout, stall)
		if daemonAddr != "" {
			// The daemon keeps one namespace for every trial, so a trial
			// must not leave a cached writer or an ingest under the ref
			// for the next one to resume.
			_ = ts.Close()
			if _, err := store.Content().Status(tctx, o.Ref); err == nil {
				_ = store.Content().Abort(tctx, o.Ref)
			}
		}
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
// right now. A panic is recovered inside Import; the extra recover here
// keeps drill alive should one ever escape.
//
// A watchdog keeps a trial from hanging the run. It gives up on importers
// still running timeout after the start or, when stall is above 0, once
// another importer of the trial has failed and none has read any of its
// body for stall. On a daemon, two importers sharing one gRPC write stream
// receive concurrently, which gRPC does not allow: when the daemon ends
// the stream, one receiver takes the closing message and the other waits
// for one that never comes. Neither cancelling its context nor closing the
// connection wakes it (grpc's recvBufferReader waits on its buffer after
// the context ends), so the importers given up on are reported as hung and
// left behind, holding no blob. Their trial has failed already: waiting
// longer would tell nothing.
func runTrial(ctx context.Context, ts *TransferService, ref string, blob []byte, delays []time.Duration,
	timeout, stall time.Duration) ([]error, time.Duration) {
	type outcome struct {
		i    int
		err  error
		took time.Duration
	}
	errs := make([]error, len(delays))
	took := make([]time.Duration, len(delays))
	// Buffered so an importer left behind never blocks on its send.
	results := make(chan outcome, len(delays))
	var progress atomic.Int64
	bodies := make([]*countingReader, len(delays))
	gate := make(chan struct{})
	for i, d := range delays {
		bodies[i] = newCountingReader(blob, &progress)
		go func() {
			o := outcome{i: i}
			defer func() {
				if r := recover(); r != nil {
					o.err = &panicError{value: r}
				}
				results <- o
			}()
			<-gate
			if d > 0 {
				time.Sleep(d)
			}
			start := time.Now()
			_, o.err = ts.Import(ctx, ImportRequest{
				Ref:      ref,
				Size:     int64(len(blob)),
				Body:     bodies[i],
				Importer: fmt.Sprintf("importer-%d", i+1),
			})
			o.took = time.Since(start)
		}()
	}
	close(gate)
	watchdog := time.NewTimer(timeout)
	defer watchdog.Stop()
	var (
		stallC    <-chan time.Time
		stallTime *time.Timer
		seen      int64
	)
	returned := make([]bool, len(delays))
	for got := 0; got < len(delays); {
		var why string
		select {
		case o := <-results:
			errs[o.i], took[o.i], returned[o.i] = o.err, o.took, true
			got++
			if o.err != nil && stall > 0 && stallTime == nil {
				stallTime = time.NewTimer(stall)
				defer stallTime.Stop()
				stallC, seen = stallTime.C, progress.Load()
			}
			continue
		case <-stallC:
			if p := progress.Load(); p != seen {
				seen = p
				stallTime.Reset(stall)
				continue
			}
			why = fmt.Sprintf("no progress for %s after another importer failed", stall)
		case <-watchdog.C:
			why = fmt.Sprintf("no result within %s", timeout)
		}
		for i := range returned {
			if !returned[i] {
				errs[i] = &hungError{why: why}
				bodies[i].drop()
			}
		}
		return errs, 0
	}
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

// countingReader hands out a blob in chunks and counts reads into n: an
// importer that reads is moving. drop lets go of the blob, so an importer
// left behind holds no memory worth mentioning.
type countingReader struct {
	r atomic.Pointer[chunkReader]
	n *atomic.Int64
}

func newCountingReader(blob []byte, n *atomic.Int64) *countingReader {
	c := &countingReader{n: n}
	c.r.Store(newChunkReader(blob))
	return c
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.n.Add(1)
	r := c.r.Load()
	if r == nil {
		return 0, errAbandoned
	}
	return r.Read(p)
}

func (c *countingReader) drop() { c.r.Store(nil) }

var errAbandoned = errors.New("importer abandoned by the watchdog")

// openStore opens the in-process store in dir, or dials the daemon.
func openStore(ctx context.Context, dir, containerd string, traceSize int) (*content.Store, error) {
	if containerd == "" {
		return content.Open(ctx, content.Options{Dir: dir, TraceSize: traceSize})
	}
	if dir != "" {
		return nil, fmt.Errorf("a store directory and a containerd socket exclude each other: %w", errdefs.ErrInvalidArgument)
	}
	return content.Dial(ctx, content.RemoteOptions{Address: containerd, TraceSize: traceSize})
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
	blobPath   = regexp.MustCompile(`blobs/sha256/[0-9a-f]{64}`)
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
	s = blobPath.ReplaceAllString(s, "blobs/sha256/<digest>")
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
