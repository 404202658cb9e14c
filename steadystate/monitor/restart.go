package monitor

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/steadystate"
)

// Restarted tests: one starts at every complete pair, up to the horizon,
// runs for restartWindow pairs and counts once it has restartMinPairs.
const restartWindow = 60

// restartEvery and restartMinPairs are variables only so that
// TestMonitorDropPhase can trace the choice (BENCHMARKS.md, "Harm that
// starts between restarts"); never changed outside tests.
var (
	restartEvery    = 1
	restartMinPairs = 8
)

// scheduleRestarts sets up the restarted tests of a run planned for horizon
// looks. A test of the mean since the start dilutes harm that begins later
// (a drop from minute 20 is a third of the mean at minute 30) and inflates
// the plug-in variance with the step. So besides the whole-run test, at
// alpha/2, a restarted test begins at every complete pair up to the horizon
// (the j-th after j pairs, j = 1..J, J = horizon) and runs for
// restartWindow pairs, with weight
//
//	w_j = (1/j) / H_J,   H_J = 1 + 1/2 + ... + 1/J
//
// and its own mixing ratio, MixingRatio(alpha w_j / 2, restartWindow). The
// weights favour early restarts, because harm from a fault mostly shows
// soon after it is injected. The restarted tests together stop the
// experiment when their weighted sum sum_j w_j Lambda_j reaches 2/alpha
// (restartedTests): each Lambda_j is a nonnegative martingale under the
// null that is 1 before its start and frozen after its window, so the sum
// is one too, with mean sum_j w_j = 1, and by Ville's inequality it ever
// reaches 2/alpha with probability at most alpha/2. A union bound over
// the restarts (max_j w_j Lambda_j) would be valid too, but the sum is at
// least as large and gathers the evidence of the restarts that begin just
// after harm starts, whatever its phase: with restarts every 10 pairs, as
// before, a 15% drop caught within 10 minutes 0.93 of the time when it
// began on a restart and 0.04 when it began five pairs after one
// (BENCHMARKS.md).
func (m *Monitor) scheduleRestarts(horizon int) {
	m.restarts = max(horizon/restartEvery, 1)
	m.harmonic = harmonic(m.restarts)
}

// restartWeight returns w_j and the j-th restarted test's mixing ratio.
// They are computed when a test starts and kept while it runs: a monitor
// planned for a long horizon keeps no table of them all.
func (m *Monitor) restartWeight(j int) (w, g float64) {
	c := &m.wCache[j%len(m.wCache)]
	if c.j != j {
		w := 1 / (float64(j) * m.harmonic)
		*c = weightOf{j: j, w: w, g: MixingRatio(m.alpha*w/2, restartWindow)}
	}
	return c.w, c.g
}

// weightOf is a restarted test's weight and mixing ratio (restartWeight).
type weightOf struct {
	j    int
	w, g float64
}

// harmonic returns H_n = 1 + 1/2 + ... + 1/n: summed up to 10^6, beyond by
// its asymptotic expansion log n + gamma + 1/(2n) - 1/(12n^2), whose error
// is below 1/(120 n^4).
func harmonic(n int) float64 {
	if n <= 1e6 {
		var h float64
		for k := n; k >= 1; k-- { // smallest terms first
			h += 1 / float64(k)
		}
		return h
	}
	x := float64(n)
	return math.Log(x) + 0.5772156649015329 + 1/(2*x) - 1/(12*x*x)
}

// restartedTests runs the restarted tests active now and returns the
// smaller of p, the whole-run test's Bonferroni-adjusted p-value, and the
// restarted tests' 2/sum_j w_j Lambda_j; when the latter is smaller, also
// the words of the reason that name the restart that carried most of the
// sum (its largest term) and its Window.
//
// A restarted test uses the mean since its start and the variance of all
// pairs centred by two means, before and after its start, so that a step
// there does not inflate it, with the t correction of the whole run (its
// degrees of freedom from all pairs). It counts in the sum from its
// restartMinPairs-th (eighth) pair: a mean of a few pairs is one
// heavy-tailed minute away from a false stop, and a five-minute spike in
// one group fills it. Heavy-tailed A/A runs stopped 0.12 of the time with
// restarts counting from their first pair, 0.065 from their fifth and
// 0.046 from their eighth; runs with five-minute +25% spikes in either
// group 0.44 from the fifth and 0.20 from the eighth; the drop caught
// within 10 minutes, averaged over its phase, 0.92 either way
// (BENCHMARKS.md). The price is time: a stop waits at least eight pairs
// after harm starts unless the tests that began before it stop it.
// Restarts past their
// window are left out of the sum; dropping nonnegative terms only lowers
// it, so the test stays valid; so does leaving out, in a one-sided test,
// the restarts whose mean points the harmless way (their Lambda_j is at
// most 1), which saves their long-run variances. The Window carries the
// largest term's own always-valid interval at 1 - alpha w_j / 2.
func (m *Monitor) restartedTests(p float64) (float64, string, Window) {
	first := max(1, (m.n-restartWindow)/restartEvery)
	last := min(m.restarts, (m.n-restartMinPairs)/restartEvery)
	if last < first {
		return p, "", noWindow()
	}
	// First a bound, in O(1) a test: the long-run variance is the variance
	// centred by the two means (Gamma0) times a factor of at least 1, the
	// uncorrected Lambda_j with that variance bounds the t-corrected one in
	// the harmful direction, and a one-sided Lambda_j in the harmless
	// direction is at most 1. When even the bound cannot bring 2/sum below
	// the running minimum, the long-run variances and t corrections, most
	// of Add's cost, are skipped.
	below := min(p, m.minP)
	var bound float64
	for j := first; j <= last; j++ {
		s := j*restartEvery + 1
		n2 := m.n - s + 1
		if n2 > restartWindow {
			continue
		}
		w, g := m.restartWeight(j)
		l := 1.0
		v := m.diffs.Gamma0(s - 1)
		if knownLRV > 0 {
			v = knownLRV
		}
		if t := m.diffs.Mean(s-1) * math.Sqrt(float64(n2)/v); v > 0 && m.harmful(t) {
			// The two-sided Lambda times 2 bounds the one-sided one
			// (2 Phi(.) <= 2) and saves its normal CDF.
			r := float64(n2) * g
			if x := r/(1+r)*t*t/2 - 0.5*math.Log1p(r); x > -math.Ln2 {
				l = 2 * math.Exp(x)
			}
		}
		bound += w * l
	}
	if !(2/bound < below) {
		return p, "", noWindow()
	}
	var sum, top float64
	best := -1
	var bw, bg, bv, bdf, bmean float64
	for j := first; j <= last; j++ {
		s := j*restartEvery + 1
		n2 := m.n - s + 1
		if n2 > restartWindow {
			continue
		}
		mean2 := m.diffs.Mean(s - 1)
		if !m.harmful(mean2) {
			continue
		}
		vs, fs, _ := m.longRun(s)
		if !(vs > 0) {
			continue
		}
		w, g := m.restartWeight(j)
		df := m.df(fs)
		x := w * math.Exp(m.logLambdaZ(tToZ(mean2*math.Sqrt(float64(n2)/vs), df), float64(n2), g))
		sum += x
		if x > top {
			top, best = x, j
			bw, bg, bv, bdf, bmean = w, g, vs, df, mean2
		}
	}
	if !(2/sum < p) || best < 0 {
		return p, "", noWindow()
	}
	s := best*restartEvery + 1
	n2 := m.n - s + 1
	window := fmt.Sprintf(" over the %d pairs since %s (%s)", n2, fmtMilli(m.pairT.at(s-1)), m.describe(bmean))
	// The largest term's own confidence sequence, at 1 - alpha w_j / 2.
	h := halfWidth(bv, float64(n2), bg, math.Log(2/(m.alpha*bw)), bdf)
	ctl := (m.prefixC.at(m.n) - m.prefixC.at(s-1)) / float64(n2)
	win := Window{Start: m.pairT.at(s - 1), N: n2, Interval: Interval{Confidence: 1 - m.alpha*bw/2}}
	_, win.Estimate = m.toUnits(bmean, ctl)
	_, win.Low = m.toUnits(bmean-h, ctl)
	_, win.High = m.toUnits(bmean+h, ctl)
	return 2 / sum, window, win
}

// harmful reports whether a statistic t points in the harmful direction
// (either way for steadystate.Either).
func (m *Monitor) harmful(t float64) bool {
	switch m.cfg.Direction {
	case steadystate.Decrease:
		return t < 0
	case steadystate.Increase:
		return t > 0
	}
	return true
}
