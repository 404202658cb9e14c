package monitor

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/compare"
)

// maxLag is the longest autocorrelation lag the long-run variance uses.
const maxLag = 40

// addPair adds one complete pair to the running sums: O(maxLag).
func (m *Monitor) addPair(c, e float64) {
	d := e - c
	if m.cfg.Scale == LogRatio {
		d = math.Log(e) - math.Log(c)
	}
	m.sumC += c
	m.sumE += e
	m.diffs.Add(d)
	m.prefixC.push(m.prefixC.at(m.prefixC.len()-1) + c)
	m.n++
}

// longRun returns the long-run variance V of the differences, its ratio
// to their variance (VarianceFactor) and their lag-1 autocorrelation,
// centred by two means split before pair index s (1-based; s = 1: one
// mean), so that a change of level at a restarted test's start does not
// inflate the variance that would otherwise hide it.
//
// A per-minute metric's differences are autocorrelated (a slow
// group-specific drift), and an mSPRT that takes them as independent stops
// A/A runs far more often than alpha (a sum of AR(1) noise with rho 0.5
// has three times the variance of independent noise). V = gamma_0 *
// VarianceFactor, the factor the largest of three estimates and 1:
//   - the AR(1) model's (1+rho)/(1-rho), rho the lag-1 autocorrelation
//     clipped by compare.ClipAR1;
//   - compare's Newey-West long-run variance (compare.LongRunStream:
//     Bartlett kernel, Andrews' AR(1) bandwidth with Kendall's bias
//     correction, lags up to maxLag, the one clipping rule compare.MaxAR1)
//     over gamma_0;
//   - the autoregressive spectral factor (compare.LongRunStream.ARFactor:
//     Yule-Walker, the order by AIC), the one of the three that sees
//     autocorrelation decaying slowly after a small lag-1 value (a slow
//     drift under counting noise), which the other two, built on the lag-1
//     value, cut short: with it the A/A false-stop rate of such differences
//     fell from 0.215 to 0.191 unprimed and from 0.162 to 0.124 primed with
//     an hour (BENCHMARKS.md, "The autoregressive factor").
//
// All three come from running sums, so a call costs O(maxLag). A primed
// monitor pools the live differences' autocovariances with the history's,
// weighted by their numbers of pairs (compare.LongRunStream.Pool).
func (m *Monitor) longRun(s int) (lrv, factor, rho float64) {
	lr := m.diffs.LongRun(s-1, compare.LongRunOptions{MaxLag: maxLag, BiasLevels: 1})
	if !(lr.Gamma0 > 0) {
		return 0, math.NaN(), math.NaN()
	}
	rho = lr.Gamma1 / lr.Gamma0
	if knownLRV > 0 {
		return knownLRV, knownLRV / lr.Gamma0, rho
	}
	r := compare.ClipAR1(rho)
	ar, _ := m.diffs.ARFactor(s - 1)
	factor = max((1+r)/(1-r), lr.Factor(), ar, 1)
	return lr.Gamma0 * factor, factor, rho
}

// knownLRV, when positive, replaces every test's long-run variance by
// itself: the monitor told the true variance of the data, the oracle
// TestMonitorKnownVariance compares the plug-in with (with plainMSPRT, no t
// correction). Always 0 outside tests.
var knownLRV float64

// ring is an append-only sequence that keeps only its last entries: at(i)
// is the i-th value pushed (0-based) while it is among the last cap.
type ring[T any] struct {
	buf []T
	n   int // values pushed
}

func newRing[T any](capacity int) ring[T] { return ring[T]{buf: make([]T, capacity)} }

func (r *ring[T]) push(v T) {
	r.buf[r.n%len(r.buf)] = v
	r.n++
}

func (r *ring[T]) len() int { return r.n }

// at returns the i-th value pushed; it panics for one no longer kept.
func (r *ring[T]) at(i int) T {
	if i < r.n-len(r.buf) || i >= r.n {
		panic(fmt.Sprintf("monitor: ring: value %d of %d is not kept (last %d)", i, r.n, len(r.buf)))
	}
	return r.buf[i%len(r.buf)]
}
