package monitor

import (
	"errors"
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

// DefaultMinPrime is the fewest complete pairs of history Monitor.Prime
// accepts: fewer say little more about the variance than the burn-in does.
const DefaultMinPrime = 30

// ErrPrimeAfterStart is returned by Monitor.Prime once the monitor has been
// fed a point or primed already.
var ErrPrimeAfterStart = errors.New("prime the monitor once, before the first point")

// Prime gives the monitor the two groups' values from before the
// experiment, one entry a step in time order (control[i] and experiment[i]
// at the same time; NaN is missing): the same groups' previous hours, when
// they were treated alike (A/A). They set the variance, the
// autocorrelation and so the mixing variance of the test from the first
// live point on, instead of the noisy plug-in of a few live pairs; they are
// not evidence: the tests' means are of the live pairs only, and the
// guardrails and the no-data rule do not see them. A primed test's
// variance pools the history's autocovariances (each centred by the
// history's own mean, so a constant offset between the groups before the
// experiment is not taken as noise) with the live pairs', weighted by their
// numbers of pairs. Lags across a missing value are left out.
//
// How much history: an hour sets the variance of most metrics; a metric
// whose differences drift slowly (autocorrelation that decays over many
// steps under counting noise) needs hours before its long-run variance
// shows. Give eight, the history the judge's time-series test asks for
// (compare.MinHistoryChecked). On an AR(1) 0.8 drift the monitor primed
// with 60 minutes stopped 0.109 of A/A runs, with 240 minutes 0.037 and
// with 480 minutes 0.021 (BENCHMARKS.md, TestMonitorPrimeLongDrift); on
// the accuracy matrix's AR(1) 0.95 feed four hours stopped 0.113 and eight
// 0.036, and primed with eight hours every shape of the matrix held alpha
// but one with 40% of its points missing (blind stops;
// docs/accuracy.md).
//
// The history should be A/A: the groups alike for all of it. When the
// mean of its differences shifts, or moves and comes back (a deploy to
// one group, a split set up partway through; compare.FindHistoryChange),
// the step reads as slow noise and the monitor becomes slow to stop:
// every decision then carries a warning that says when.
//
// Prime must be called before the first Add or Check, at most once
// (ErrPrimeAfterStart). It returns an error, and changes nothing, for
// slices of different lengths, an infinite value, fewer than
// DefaultMinPrime complete pairs (on the LogRatio scale a pair with a
// value <= 0 is not complete), or a history whose differences do not vary.
func (m *Monitor) Prime(control, experiment []float64) error {
	return m.prime(control, experiment, nil)
}

// prime is Prime; times, when not nil, are the steps' times (PrimeSeries),
// for the warning of a change in the history to say when.
func (m *Monitor) prime(control, experiment []float64, times []int64) error {
	if m.started || m.nh > 0 {
		return ErrPrimeAfterStart
	}
	if len(control) != len(experiment) {
		return fmt.Errorf("history: %d control values but %d experiment values; want one of each per step", len(control), len(experiment))
	}
	d := make([]float64, len(control))
	var n int
	for i := range control {
		c, e := control[i], experiment[i]
		if math.IsInf(c, 0) || math.IsInf(e, 0) {
			return fmt.Errorf("history: step %d has an infinite value (control %v, experiment %v); want a number or NaN for missing", i+1, c, e)
		}
		switch {
		case math.IsNaN(c) || math.IsNaN(e):
			d[i] = math.NaN()
		case m.cfg.Scale == LogRatio && !(c > 0 && e > 0):
			d[i] = math.NaN()
		case m.cfg.Scale == LogRatio:
			d[i] = math.Log(e) - math.Log(c)
		default:
			d[i] = e - c
		}
		if !math.IsNaN(d[i]) {
			n++
		}
	}
	if n < DefaultMinPrime {
		return fmt.Errorf("history: %d complete pairs (values > 0 on the log-ratio scale); want >= %d to prime the variance", n, DefaultMinPrime)
	}
	if err := m.diffs.Pool(d); err != nil {
		return errors.New("history: the differences between the groups do not vary; the variance cannot be primed from it")
	}
	m.nh = n
	m.primeWarn = historyChangeWarning(d, times, m.cfg.Scale)
	return nil
}

// historyChangeWarning returns the warning, as a one-error slice, of a
// change in the mean of the history's differences d (NaN missing) that
// compare.FindHistoryChange finds, or nil. A step between the groups in
// the history reads as slow noise and inflates the primed variance: a 6%
// step over the second half of eight hours of the accuracy matrix's
// AR(1) 0.5 feed left the monitor catching 0.01 of the 15% drops within
// 10 minutes, against 1.00 after a clean history (a 3% step: 0.88; the
// warning came in 1.00, 0.97 and 0.02 of those runs; 200 each)
// (internal/accuracy's TestMonitorPrimedHistoryChange). times, when not
// nil, name the steps.
func historyChangeWarning(d []float64, times []int64, scale Scale) []error {
	at := make([]int, 0, len(d)) // index in d of each complete pair
	dc := make([]float64, 0, len(d))
	for i, v := range d {
		if !math.IsNaN(v) {
			at, dc = append(at, i), append(dc, v)
		}
	}
	c, ok := compare.FindHistoryChange(dc)
	if !ok {
		return nil
	}
	step := func(k int) string {
		if times != nil {
			return fmtMilli(times[at[k]])
		}
		return fmt.Sprintf("step %d of %d", at[k]+1, len(d))
	}
	units := func(x float64) string {
		if scale == LogRatio {
			pct := 100 * math.Expm1(x)
			if math.Abs(pct) < 0.05 {
				pct = 0 // not "-0.0%"
			}
			return fmt.Sprintf("%+.1f%%", pct)
		}
		return fmt.Sprintf("%.4g", x)
	}
	moved := fmt.Sprintf("shift from %s to %s at %s", units(c.Outside), units(c.Inside), step(c.From))
	if c.Segment {
		moved = fmt.Sprintf("moved from %s to %s between %s and %s and came back", units(c.Outside), units(c.Inside), step(c.From), step(c.To-1))
	}
	return []error{fmt.Errorf("the history's differences between the groups %s (p = %.2g): if the groups were not alike for all of it, the primed variance is too large and the monitor slow to stop; prime with a history of alike groups", moved, c.P)}
}

// ErrHistoryOverlap is returned by Monitor.Add for a first point that is
// not after the last time of the history PrimeSeries gave: the history
// would then be the experiment's own data.
var ErrHistoryOverlap = errors.New("the history must come before the experiment")

// PrimeSeries primes the monitor (Prime) with the two groups' series from
// before the experiment, merged by timestamp as Replay merges the run's
// (MergePoints: a time only one group has is a step with the other's value
// missing), and remembers the history's last time: the first point fed
// afterwards must come after it (ErrHistoryOverlap). It returns Prime's
// errors (ErrPrimeAfterStart; fewer than DefaultMinPrime complete pairs;
// no variance), and an error for a series that is invalid or a plain
// sample without timestamps.
func (m *Monitor) PrimeSeries(control, experiment series.Series) error {
	for _, s := range []struct {
		name string
		s    series.Series
	}{{"control", control}, {"experiment", experiment}} {
		if err := s.s.Validate(); err != nil {
			return fmt.Errorf("history: %s: %w", s.name, err)
		}
		if len(s.s.T) == 0 && len(s.s.V) > 0 {
			return fmt.Errorf("history: %s: has no timestamps; the history is a time series", s.name)
		}
	}
	pts := MergePoints(control, experiment, series.Series{})
	c, x := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		c[i], x[i] = p.Control, p.Experiment
	}
	times := make([]int64, len(pts))
	for i, p := range pts {
		times[i] = p.T
	}
	if err := m.prime(c, x, times); err != nil {
		return err
	}
	m.histEnd, m.hasHistEnd = pts[len(pts)-1].T, true
	return nil
}
