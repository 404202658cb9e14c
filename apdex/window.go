package apdex

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// MaxWindows bounds the number of windows Windows makes, so that a stray
// timestamp years away from the rest is an error rather than an
// allocation of millions of empty windows.
const MaxWindows = 10_000_000

// Window is the score of the samples in one window of time, [Start,
// Start+length).
type Window struct {
	// Start is the window's start in Unix milliseconds.
	Start int64
	Score
}

// Windows scores the samples window by window: windows of the given length
// aligned to multiples of it since the Unix epoch (as series.Windows cuts
// them, so one-minute windows start on the minute), from the window
// holding the earliest sample to the one holding the latest. The samples
// may come in any order.
//
// A window without samples is in the result with an NS score (Value NaN,
// Total 0): a minute without traffic is not a minute of satisfied users.
// It returns an error wrapping ErrNoSamples when there are no samples at
// all, and an error for a length that is not a positive whole number of
// milliseconds, for a duration that is negative or NaN on a request that
// did not fail, and for samples spanning more than MaxWindows windows.
func Windows(samples []Sample, th Thresholds, length time.Duration) ([]Window, error) {
	if err := th.Validate(); err != nil {
		return nil, err
	}
	if length <= 0 || length%time.Millisecond != 0 {
		return nil, fmt.Errorf("apdex: window length %v; want a positive whole number of milliseconds", length)
	}
	if len(samples) == 0 {
		return nil, fmt.Errorf("apdex: %w: nothing to cut into windows", ErrNoSamples)
	}
	l := length.Milliseconds()
	lo, hi := samples[0].Time, samples[0].Time
	for _, s := range samples[1:] {
		lo, hi = min(lo, s.Time), max(hi, s.Time)
	}
	first, last := floorTo(lo, l), floorTo(hi, l)
	// (last-first)/l cannot overflow: both are multiples of l, and their
	// difference is checked before it is used as a size.
	if span := uint64(last - first); span/uint64(l) >= MaxWindows {
		return nil, fmt.Errorf("apdex: samples from %s to %s span more than %d windows of %v; check the timestamps or use longer windows",
			time.UnixMilli(lo).UTC().Format(time.RFC3339Nano), time.UnixMilli(hi).UTC().Format(time.RFC3339Nano), MaxWindows, length)
	}
	n := int((last-first)/l) + 1
	type tally struct{ s, tol, fr, errs int64 }
	ts := make([]tally, n)
	f := th.Frustration()
	for i, sm := range samples {
		k := int((floorTo(sm.Time, l) - first) / l)
		t := &ts[k]
		switch {
		case sm.Error:
			t.fr++
			t.errs++
		case math.IsNaN(sm.Duration) || sm.Duration < 0:
			return nil, fmt.Errorf("apdex: sample %d: duration %v s; want a duration >= 0 (a failed request may have none)", i, sm.Duration)
		case sm.Duration <= th.T:
			t.s++
		case sm.Duration <= f:
			t.tol++
		default:
			t.fr++
		}
	}
	out := make([]Window, n)
	for k, t := range ts {
		out[k] = Window{Start: first + int64(k)*l,
			Score: newScore(th, float64(t.s), float64(t.tol), float64(t.fr), float64(t.errs))}
	}
	return out, nil
}

// floorTo returns the largest multiple of step at or before t.
func floorTo(t, step int64) int64 {
	q := t / step
	if t%step != 0 && t < 0 {
		q--
	}
	return q * step
}

// Series returns the unrounded scores of the windows as a series named
// "apdex", with NaN (missing) for windows without samples: the
// satisfaction signal the steady-state criteria correlate metrics with.
// The windows must be in time order, as Windows returns them.
func Series(ws []Window) (series.Series, error) {
	s := series.Series{Name: "apdex", T: make([]int64, len(ws)), V: make([]float64, len(ws))}
	for i, w := range ws {
		s.T[i] = w.Start
		s.V[i] = w.Value
		if w.NoSamples() {
			s.V[i] = math.NaN()
		}
	}
	if err := s.Validate(); err != nil {
		return series.Series{}, errors.New("apdex: " + err.Error())
	}
	return s, nil
}
