package monitor

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/steadystate"
)

// Restarted tests: one starts at every complete pair, up to the horizon,
// runs for restartWindow pairs and counts once it has restartMinPairs.
const restartWindow = 60

// A restarted test's share of alpha is split between its mixture over its
// window and its early looks (earlyTests): earlyShare of it goes to
// one-look tests at its earlyFrom-th to (earlyFrom+earlyLooks-1)-th pairs.
const (
	earlyShare = 0.5
	earlyFrom  = 8
	earlyLooks = 3
	// earlyDF caps the early looks' degrees of freedom at earlyDF·n - 1
	// for a mean of n pairs (earlyTests).
	earlyDF = 1.5
	// Once the pairs the long-run variance rests on number at least
	// earlyApart times the mean's n (two thirds of them from before the
	// restart), the early looks take their degrees of freedom with
	// earlyDFShare in place of dfShare (earlyTests, Monitor.earlyDFOf).
	earlyDFShare = 1.5
)

// earlyApart is a variable only so that TestMonitorEarlyApart can trace
// the choice (0: the lighter share at every look; +Inf: never);
// never changed outside tests.
var earlyApart = 3.0

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
// smallest of p, the whole-run test's Bonferroni-adjusted p-value, the
// restarted tests' mixtures' 2/((1-earlyShare) sum_j w_j Lambda_j) and
// their early looks' (earlyTests); when one of the latter is smallest, also
// the words of the reason that name the restart that carried it (for the
// mixtures, the largest term of the sum) and its Window.
//
// Each restarted test spends its share alpha w_j / 2 in two parts. Half
// goes to its mixture, an mSPRT over its whole window: that catches harm
// of any size at any look, slow or small harm included. The other half
// goes to three one-look tests at its 8th, 9th and 10th pairs, where a
// sharp fault must be caught within 10 minutes of its start. An
// anytime-valid mixture that may stop at any of 60 looks needs a larger z
// at its tenth pair than a test that looks once (4.16 against 2.95 for the
// restarts of minutes 20 to 29; BENCHMARKS.md, "One critical value for a
// family of noises"). With the early looks the 15% drop is caught within
// 10 minutes in 0.95 rather than 0.91 of unprimed runs of the generator,
// at no higher A/A false-stop rate on any shape (BENCHMARKS.md, "Early
// looks"), and in 0.976 with their lighter t correction once the variance
// rests mostly on pairs before the restart (earlyDFOf).
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
	ep, window, win := m.earlyTests(first, last, min(p, m.minP))
	if ep < p {
		p = ep
	} else {
		window, win = "", noWindow()
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
	bound *= 1 - earlyShare
	if !(2/bound < below) {
		return p, window, win
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
	sum *= 1 - earlyShare
	if !(2/sum < p) || best < 0 {
		return p, window, win
	}
	s := best*restartEvery + 1
	n2 := m.n - s + 1
	window = fmt.Sprintf(" over the %d pairs since %s (%s)", n2, fmtMilli(m.pairT.at(s-1)), m.describe(bmean))
	// The largest term's own confidence sequence, at 1 - alpha w_j / 2.
	h := halfWidth(bv, float64(n2), bg, math.Log(2/(m.alpha*bw)), bdf)
	ctl := (m.prefixC.at(m.n) - m.prefixC.at(s-1)) / float64(n2)
	win = Window{Start: m.pairT.at(s - 1), N: n2, Interval: Interval{Confidence: 1 - m.alpha*bw/2}}
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

// earlyDFOf returns the degrees of freedom of an early look's t
// correction for a mean of n pairs and a long-run variance with ratio
// factor to the variance: those of every test (Monitor.df, dfShare 2)
// while the variance rests on fewer than earlyApart·n pairs, the lighter
// earlyDFShare 1.5 once it rests on more, capped at earlyDF·n - 1 either
// way. The first restarts of an unprimed run test a mean of eight to ten
// pairs with a variance of the same few pairs; there dfShare 1.5 for the
// early looks stopped A/A runs that dfShare 2 does not (in the first 30
// looks 18 of 1,000 generator runs against 13, 75 against 58 on ar08,
// and 49 of the 189 real taxi days against 34). Where the variance rests
// mostly on pairs before the restart, the same share left every A/A rate
// unchanged (3,000 fresh replays of four noises, the accuracy matrix on
// two seeds, the taxi and NAB days within one day) and raised the
// detection of a 15% drop within 10 minutes from 0.952 to 0.976
// (BENCHMARKS.md, "The early looks' degrees of freedom"). earlyApart 3
// was chosen after the taxi days were seen (2 let 6 more of them stop,
// 2.5 two), so the real data checked the share and not the split.
func (m *Monitor) earlyDFOf(factor float64, n int) float64 {
	df := m.df(factor)
	if N := float64(m.n + m.nh); !plainMSPRT && N >= earlyApart*float64(n) {
		df = N/factor/earlyDFShare - 1
	}
	return min(df, earlyDF*float64(n)-1)
}

// earlyTests runs the early looks of the restarted tests first..last: the
// restarts that have exactly earlyFrom to earlyFrom+earlyLooks-1 pairs now
// (at most earlyLooks of them), each a one-look test of the mean since
// its start, studentized as the mixture's (the long-run variance of all
// pairs centred by two means, the t correction), at the level
// earlyShare alpha w_j / (2 earlyLooks). It returns the smallest
// Bonferroni-adjusted p-value, 2 earlyLooks p_j / (earlyShare w_j), with
// the reason's words and the Window of its restart (a one-look interval
// at its level), or 1 when no restart is at an early look. Summed over
// the restarts and their looks the levels are earlyShare alpha / 2, so
// the union bound keeps the monitor's false-stop rate within alpha.
//
// The degrees of freedom of the t correction are capped at earlyDF n - 1
// for a mean of n pairs: the t correction allows for the noise of the
// variance, but at an early look's level (near 1e-5) the mean of eight to
// ten heavy-tailed or spiky pairs is itself far from normal, however much
// history estimated the variance. Without the cap a monitor primed with an
// hour stopped 0.077 of heavy-tailed (t3) A/A runs (300 replays); with it
// 0.047. With the cap at 2 n - 1, bursty counts, whose variance is near
// that of independent pairs, kept more of their early detection (0.657
// against 0.593), but five-minute spikes in one group stopped 0.198 of A/A
// runs (0.168; 0.185 without early looks) (BENCHMARKS.md, "Early looks").
func (m *Monitor) earlyTests(first, last int, below float64) (float64, string, Window) {
	p := 1.0
	best := -1
	var bv, bdf, bmean, bw float64
	for j := max(first, (m.n-earlyFrom-earlyLooks+1)/restartEvery); j <= last; j++ {
		s := j*restartEvery + 1
		n2 := m.n - s + 1
		if n2 < earlyFrom || n2 >= earlyFrom+earlyLooks {
			continue
		}
		mean2 := m.diffs.Mean(s - 1)
		if !m.harmful(mean2) {
			continue
		}
		w, _ := m.restartWeight(j)
		// A bound in O(1), as for the mixtures: the long-run variance is
		// at least Gamma0 and the t correction only raises the tail, so
		// when the normal tail at Gamma0 cannot bring the p-value below
		// the running minimum the look is skipped.
		if g0 := m.diffs.Gamma0(s - 1); g0 > 0 && knownLRV == 0 {
			tail0 := 0.5 * math.Erfc(math.Abs(mean2)*math.Sqrt(float64(n2)/g0)/math.Sqrt2)
			if m.cfg.Direction == steadystate.Either {
				tail0 *= 2
			}
			if 2*earlyLooks*tail0/(earlyShare*w) >= min(p, below) {
				continue
			}
		}
		v, f, _ := m.longRun(s)
		if !(v > 0) {
			continue
		}
		df := m.earlyDFOf(f, n2)
		z := tToZ(mean2*math.Sqrt(float64(n2)/v), df)
		tail := 0.5 * math.Erfc(math.Abs(z)/math.Sqrt2)
		if m.cfg.Direction == steadystate.Either {
			tail *= 2
		}
		if q := 2 * earlyLooks * tail / (earlyShare * w); q < p {
			p, best = q, j
			bv, bdf, bmean, bw = v, df, mean2, w
		}
	}
	if best < 0 {
		return 1, "", noWindow()
	}
	s := best*restartEvery + 1
	n2 := m.n - s + 1
	window := fmt.Sprintf(" over the %d pairs since %s (%s)", n2, fmtMilli(m.pairT.at(s-1)), m.describe(bmean))
	// The look's own two-sided interval at its level.
	level := earlyShare * m.alpha * bw / (2 * earlyLooks)
	h := tUpper(level/2, max(bdf, 1)) * math.Sqrt(bv/float64(n2))
	ctl := (m.prefixC.at(m.n) - m.prefixC.at(s-1)) / float64(n2)
	win := Window{Start: m.pairT.at(s - 1), N: n2, Interval: Interval{Confidence: 1 - level}}
	_, win.Estimate = m.toUnits(bmean, ctl)
	_, win.Low = m.toUnits(bmean-h, ctl)
	_, win.High = m.toUnits(bmean+h, ctl)
	return p, window, win
}
