package sandbox

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The calibrator finds the jitter at which a modelled failure probability
// meets the target, whether writes are fast (idle machine) or slow (loaded,
// GOMAXPROCS=1): the model is two arrivals overlapping during a write of w,
// P = 2w/J - (w/J)², plus a GC-window share g that jitter does not change.
func TestCalibratorAimsAtTheTargetRate(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    time.Duration
		g    float64
	}{
		{"fast writes", 2 * time.Millisecond, 0.05},
		{"slow writes", 30 * time.Millisecond, 0.2},
		{"very slow writes", 120 * time.Millisecond, 0.1},
	} {
		p := func(j time.Duration) float64 {
			x := min(1, float64(tc.w)/float64(max(j, 1)))
			shared := 2*x - x*x
			return 1 - (1-shared)*(1-tc.g)
		}
		for seed := range uint64(20) {
			rng := rand.New(rand.NewPCG(seed, 7))
			c := newCalibrator(0.5, DefaultJitter, DefaultCalibration)
			for range DefaultCalibration {
				c.observe(rng.Float64() < p(c.jitter()))
			}
			if got := p(c.result()); got < 0.3 || got > 0.7 {
				t.Errorf("%s, seed %d: calibrated to %s, where the failure rate is %.2f", tc.name, seed, c.result(), got)
			}
		}
	}
}

// A service that never fails drives the jitter down to arrivals together:
// a fix is then tested where the bug is most likely.
func TestCalibratorNarrowsArrivalsWhenNothingFails(t *testing.T) {
	c := newCalibrator(0.5, DefaultJitter, DefaultCalibration)
	for range DefaultCalibration {
		c.observe(false)
	}
	if c.result() > time.Millisecond {
		t.Fatalf("jitter %s after %d successes", c.result(), DefaultCalibration)
	}
}

func TestNormalizerFoldsSizes(t *testing.T) {
	n := newNormalizer("/tmp/store")
	a := n.message(errString(`failed to commit writer for ref sha256:abc123: "sha256:abc123" failed size validation: 1507328 != 1048576: failed precondition`))
	b := n.message(errString(`failed to commit writer for ref sha256:abc123: "sha256:abc123" failed size validation: 1310720 != 1048576: failed precondition`))
	if a != b {
		t.Fatalf("%q and %q differ", a, b)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
