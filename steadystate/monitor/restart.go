package monitor

import (
	"fmt"
	"math"
)

// Restarted tests: one starts every restartEvery complete pairs, up to the
// horizon, and runs for restartWindow pairs.
const (
	restartEvery  = 10
	restartWindow = 60
)

// scheduleRestarts sets up the restarted tests of a run planned for horizon
// looks. A test of the mean since the start dilutes harm that begins later
// (a drop from minute 20 is a third of the mean at minute 30) and inflates
// the plug-in variance with the step. So besides the whole-run test, at
// alpha/2, a restarted test begins every restartEvery pairs up to the
// horizon and runs for restartWindow pairs: the j-th (starting after 10 j
// pairs, j = 1..J, J = horizon/10) at alpha w_j / 2 with
//
//	w_j = (1/j) / H_J,   H_J = 1 + 1/2 + ... + 1/J
//
// a union bound: all of them together stop an A/A run with probability at
// most alpha. The weights favour early restarts, because harm from a fault
// mostly shows soon after it is injected (BENCHMARKS.md compares them with
// equal weights). Each uses its own mixing ratio, MixingRatio(alpha w_j / 2,
// restartWindow).
func (m *Monitor) scheduleRestarts(horizon int) {
	m.restarts = max(horizon/restartEvery, 1)
	m.weight = make([]float64, m.restarts+1)
	m.gRestart = make([]float64, m.restarts+1)
	var h float64 // the harmonic number H_J
	for j := 1; j <= m.restarts; j++ {
		h += 1 / float64(j)
	}
	for j := 1; j <= m.restarts; j++ {
		m.weight[j] = 1 / (float64(j) * h)
		m.gRestart[j] = MixingRatio(m.alpha*m.weight[j]/2, restartWindow)
	}
}

// restartedTests runs the restarted tests active now against p, the
// whole-run test's Bonferroni-adjusted p-value, and returns the smallest
// of them all (min(2/Lambda, 2/(w_j Lambda_j))), the words of the reason
// that name the test that gave it ("" for the whole-run test) and its
// Window. A restarted test uses the mean since its start and the variance
// of all pairs centred by two means, before and after its start, so that a
// step there does not inflate it; its Window carries its own always-valid
// interval at 1 - alpha w_j / 2.
func (m *Monitor) restartedTests(p float64) (float64, string, Window) {
	window := ""
	win := noWindow()
	for j := 1; j <= m.restarts; j++ {
		s := j*restartEvery + 1
		n2 := m.n - s + 1
		if n2 < 1 {
			break
		}
		if n2 > restartWindow {
			continue
		}
		vs, fs, _ := m.longRun(s)
		if !(vs > 0) {
			continue
		}
		mean2 := m.diffs.Mean(s - 1)
		pj := m.pValue(mean2, float64(n2), vs, m.df(fs), m.gRestart[j], 2/m.weight[j], min(p, m.minP))
		if pj < p {
			p = pj
			window = fmt.Sprintf(" over the %d pairs since %s (%s)", n2, fmtMilli(m.pairT.at(s-1)), m.describe(mean2))
			// The test's own confidence sequence, at 1 - alpha w_j / 2.
			h := halfWidth(vs, float64(n2), m.gRestart[j], math.Log(2/(m.alpha*m.weight[j])), m.df(fs))
			ctl := (m.prefixC.at(m.n) - m.prefixC.at(s-1)) / float64(n2)
			win = Window{Start: m.pairT.at(s - 1), N: n2, Interval: Interval{Confidence: 1 - m.alpha*m.weight[j]/2}}
			_, win.Estimate = m.toUnits(mean2, ctl)
			_, win.Low = m.toUnits(mean2-h, ctl)
			_, win.High = m.toUnits(mean2+h, ctl)
		}
	}
	return p, window, win
}
