package monitor

import "math"

// maxLag is the longest autocorrelation lag the long-run variance uses.
const maxLag = 40

// addPair adds one complete pair to the running sums: O(maxLag).
func (m *Monitor) addPair(c, e float64) {
	d := e - c
	if m.cfg.Scale == LogRatio {
		d = math.Log(e) - math.Log(c)
	}
	if m.n == 0 {
		m.shift = d
	}
	x := d - m.shift
	m.sumC += c
	m.sumE += e
	m.sumD += x
	m.sumQ += x * x
	// lag[k] += x_n x_{n-k}; ring holds x_{n-1}, x_{n-2}, ... before this
	// point, newest at ringPos-1.
	for k := 1; k <= min(maxLag, m.n); k++ {
		m.lag[k] += x * m.ring[(m.ringPos-k+maxLag)%maxLag]
	}
	if m.n < maxLag {
		m.head[m.n] = x
	}
	m.prefix = append(m.prefix, m.prefix[len(m.prefix)-1]+x)
	m.prefixC = append(m.prefixC, m.prefixC[len(m.prefixC)-1]+c)
	m.ring[m.ringPos] = x
	m.ringPos = (m.ringPos + 1) % maxLag
	m.n++
}

// autocov returns the sample autocovariances gamma_0..gamma_L (divisor n)
// of the differences centred by two means, one for the pairs before pair
// index s (1-based) and one from s on; s = 1 centres by the overall mean.
// Splitting at a restarted test's start removes a change of level there
// from the variance, which would otherwise hide the change it tests for
// (a step inflates the variance and the autocorrelation). It works from the
// running lag sums and the prefix sums in O(L).
func (m *Monitor) autocov(L, s int, gamma []float64) { m.autocovRange(0, L, s, gamma) }

// autocovRange is autocov for the lags from..to only.
func (m *Monitor) autocovRange(from, to, s int, gamma []float64) {
	n := m.n
	P := m.prefix
	var m1 float64
	if s > 1 {
		m1 = P[s-1] / float64(s-1)
	}
	m2 := (P[n] - P[s-1]) / float64(n-s+1)
	for k := from; k <= to; k++ {
		lagSum := m.sumQ
		if k > 0 {
			lagSum = m.lag[k]
		}
		// sum_{t>k} x_t m(t-k)
		a := m1*(P[min(n, s-1+k)]-P[k]) + m2*(P[n]-P[min(n, s+k-1)])
		// sum_{t>k} x_{t-k} m(t)
		b := m1*P[max(0, s-1-k)] + m2*(P[n-k]-P[max(s, k+1)-k-1])
		pre := max(0, s-1-k)
		post := max(0, n-s-k+1)
		cross := n - k - pre - post
		c := float64(pre)*m1*m1 + float64(post)*m2*m2 + float64(cross)*m1*m2
		gamma[k] = (lagSum - a - b + c) / float64(n)
	}
}

// longRun returns the long-run variance V of the differences (centred as
// autocov does for split s), its ratio to their variance (VarianceFactor)
// and the lag-1 autocorrelation. A per-minute metric's differences are
// autocorrelated (a slow group-specific drift), and an mSPRT that takes
// them as independent stops A/A runs far more often than alpha (a sum of
// AR(1) noise with rho 0.5 has three times the variance of independent
// noise). V = gamma_0 * VarianceFactor, the factor the larger of two
// estimates: the AR(1) model's (1+rho)/(1-rho) from the lag-1
// autocorrelation, and Newey-West [3] with Bartlett weights and Andrews'
// AR(1) plug-in bandwidth [4] (its rho corrected for small-sample bias by
// (1+3 rho)/n [5]). Both come from running sums over lags up to maxLag, so
// a call costs O(maxLag). A primed monitor pools the live autocovariances
// with the history's, weighted by their numbers of pairs.
//
// [3] W. K. Newey, K. D. West. A simple, positive semi-definite,
// heteroskedasticity and autocorrelation consistent covariance matrix.
// Econometrica 55(3), 1987.
// [4] D. W. K. Andrews. Heteroskedasticity and autocorrelation consistent
// covariance matrix estimation. Econometrica 59(3), 1991.
// [5] M. G. Kendall. Note on bias in the estimation of autocorrelation.
// Biometrika 41, 1954.
func (m *Monitor) longRun(s int) (lrv, factor, rho float64) {
	var gamma [maxLag + 1]float64
	L := min(maxLag, m.n-2)
	nt := m.n + m.nh
	if m.nh > 0 {
		L = min(maxLag, nt-2)
	}
	// Lags 0 and 1 first: the bandwidth depends on them, and the lags
	// beyond it are not needed.
	m.lags(0, min(L, 1), s, gamma[:])
	g0 := gamma[0]
	if m.nh == 0 && !(g0 > 1e-12*(m.sumQ/float64(m.n))) || !(g0 > 0) {
		return 0, math.NaN(), math.NaN()
	}
	n := float64(nt)
	rho = gamma[1] / g0
	if L < 1 {
		rho = 0
	}
	// The AR(1) model, rho in [0, 0.95].
	rr := min(max(rho, 0), 0.95)
	ar := (1 + rr) / (1 - rr)
	// Newey-West, Bartlett weights, with Andrews' (1991) AR(1) plug-in
	// bandwidth S = 1.1447 (a n)^(1/3), a = 4 rho^2 / ((1-rho)^2 (1+rho)^2),
	// rho corrected for its small-sample bias by Kendall's (1+3 rho)/n.
	rc := min(max(rho+(1+3*rho)/n, 0), 0.95)
	a := 4 * rc * rc / ((1 - rc) * (1 - rc) * (1 + rc) * (1 + rc))
	bw := 1.1447 * math.Cbrt(a*n)
	if top := min(L, int(math.Ceil(bw))-1); top >= 2 {
		m.lags(2, top, s, gamma[:])
	}
	nw := g0
	for k := 1; k <= L && float64(k) < bw; k++ {
		nw += 2 * (1 - float64(k)/bw) * gamma[k]
	}
	factor = max(ar, nw/g0, 1)
	return g0 * factor, factor, rho
}

// lags fills gamma[from..to] with the autocovariances the tests use: the
// live pairs' (autocovRange, split at s), pooled with the history's when
// the monitor is primed (a live lag beyond the live pairs counts as 0).
func (m *Monitor) lags(from, to, s int, gamma []float64) {
	if top := min(to, m.n-2); top >= from {
		m.autocovRange(from, top, s, gamma)
	}
	if m.nh == 0 {
		return
	}
	nl, nh := float64(m.n), float64(m.nh)
	for k := from; k <= to; k++ {
		// gamma[k] is still 0 for a lag beyond the live pairs.
		gamma[k] = (nl*gamma[k] + nh*m.gammaH[k]) / (nl + nh)
	}
}
