package sandbox

import (
	"math/rand/v2"
	"testing"
	"time"
)

// failModel is the chance a trial fails with arrival spread j when one import
// takes w: two arrivals overlap during a write, P = 2x - x² with x = w/j,
// plus a GC-window share g that the spread does not change.
func failModel(j, w time.Duration, g float64) float64 {
	x := min(1, float64(w)/float64(max(j, 1)))
	shared := 2*x - x*x
	return 1 - (1-shared)*(1-g)
}

// The calibrator finds the spread at which the modelled failure rate meets
// the target, for fast writes (an idle machine) and slow ones (a loaded one,
// GOMAXPROCS=1), and keeps it there when the load changes after calibration:
// the spread follows the import time.
func TestCalibratorAimsAtTheTargetRate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		w, w2 time.Duration // import time while calibrating, then while measuring
		g     float64
	}{
		{"fast writes", 2 * time.Millisecond, 2 * time.Millisecond, 0.05},
		{"slow writes", 30 * time.Millisecond, 30 * time.Millisecond, 0.2},
		{"very slow writes", 120 * time.Millisecond, 120 * time.Millisecond, 0.1},
		{"load arrives after calibration", 3 * time.Millisecond, 40 * time.Millisecond, 0.1},
		{"load leaves after calibration", 60 * time.Millisecond, 4 * time.Millisecond, 0.1},
	} {
		for seed := range uint64(20) {
			rng := rand.New(rand.NewPCG(seed, 7))
			c := newCalibrator(0.5, DefaultJitter, DefaultCalibration)
			for range DefaultCalibration {
				failed := rng.Float64() < failModel(c.jitter(), tc.w, tc.g)
				c.pace(tc.w)
				c.observe(failed)
			}
			c.freeze()
			for range 30 { // the measured trials keep reporting their pace
				c.pace(tc.w2)
			}
			if got := failModel(c.jitter(), tc.w2, tc.g); got < 0.3 || got > 0.7 {
				t.Errorf("%s, seed %d: spread %s (%.2f× the import time), where the failure rate is %.2f",
					tc.name, seed, c.jitter(), c.multiple(), got)
			}
		}
	}
}

// When the rate drifts after calibration for reasons the import time does
// not show, tracking the measured trials brings it back towards the target.
func TestCalibratorTracksADriftingRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	c := newCalibrator(0.5, DefaultJitter, DefaultCalibration)
	w := 10 * time.Millisecond
	for range DefaultCalibration {
		failed := rng.Float64() < failModel(c.jitter(), w, 0.1)
		c.pace(w)
		c.observe(failed)
	}
	c.freeze()
	// Writes now overlap for longer than the import time says (the hidden
	// window is 4w); the early measured trials fail far above the target.
	early := failModel(c.jitter(), 4*w, 0.1)
	fails := 0
	for i := range 200 {
		failed := rng.Float64() < failModel(c.jitter(), 4*w, 0.1)
		if i >= 100 && failed {
			fails++
		}
		c.pace(w)
		c.track(failed)
	}
	late := float64(fails) / 100
	if early < 0.7 || late > 0.7 || late < 0.3 {
		t.Fatalf("rate right after calibration %.2f, over the last 100 measured trials %.2f", early, late)
	}
}

// Until an import succeeds there is no import time to scale by; failures
// must still widen the spread, or a run whose starting spread fails every
// trial (a slow store, such as a daemon's over gRPC) stays there.
func TestCalibratorWidensArrivalsBeforeAnyImportSucceeds(t *testing.T) {
	c := newCalibrator(0.5, DefaultJitter, DefaultCalibration)
	for range 10 {
		c.observe(true)
	}
	if c.jitter() <= 4*DefaultJitter {
		t.Fatalf("spread %s after 10 failures from %s", c.jitter(), DefaultJitter)
	}
	before := c.jitter()
	c.pace(20 * time.Millisecond)
	if d := c.jitter() - before; d < -time.Microsecond || d > time.Microsecond {
		t.Fatalf("the first pace moved the spread from %s to %s", before, c.jitter())
	}
}

// A service that never fails drives the spread down to arrivals together:
// a fix is then tested where the bug is most likely.
func TestCalibratorNarrowsArrivalsWhenNothingFails(t *testing.T) {
	c := newCalibrator(0.5, DefaultJitter, DefaultCalibration)
	for range DefaultCalibration {
		c.pace(5 * time.Millisecond)
		c.observe(false)
	}
	c.freeze()
	if c.jitter() > time.Millisecond {
		t.Fatalf("spread %s after %d successes", c.jitter(), DefaultCalibration)
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
