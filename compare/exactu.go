package compare

import "math"

// uCDF returns P(U ≤ k) for k = 0..kmax under the null hypothesis, where U is
// the Mann-Whitney statistic of samples of sizes m and n with no ties.
//
// The number of arrangements with U = k is the coefficient of q^k in the
// Gaussian binomial coefficient
//
//	[m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i)
//
// (Andrews, The Theory of Partitions, 1976, ch. 3). Multiplying by
// (1 − q^a) and dividing by (1 − q^i) are each one pass over the
// coefficients, and coefficient k depends only on coefficients ≤ k, so P(U ≤
// kmax) costs O(min(m, n) · kmax) time and O(kmax) memory — 200 vs 200
// takes milliseconds, where the classic recursion takes O(m·n·kmax). Each
// factor is scaled by i/(n+i) so the coefficients stay probabilities and
// never overflow (C(m+n, m) exceeds float64 beyond m = n = 500); far-tail
// probabilities underflow to zero gracefully.
func uCDF(kmax, m, n int) []float64 {
	if m > n {
		m, n = n, m
	}
	f := make([]float64, kmax+1)
	g := make([]float64, kmax+1)
	f[0] = 1
	for i := 1; i <= m; i++ {
		a := n + i
		scale := float64(i) / float64(a)
		// g = f · (1 − q^a) / (1 − q^i) · scale, one ascending pass:
		// g[j] = scale·(f[j] − f[j−a]) + g[j−i].
		for j := 0; j <= kmax; j++ {
			v := f[j]
			if j >= a {
				v -= f[j-a]
			}
			v *= scale
			if j >= i {
				v += g[j-i]
			}
			g[j] = v
		}
		f, g = g, f
	}
	// Cumulate.
	var s float64
	for j, p := range f {
		s += p
		f[j] = s
	}
	return f
}

// uSF returns P(U ≥ u) under the null, including the mass at u, as scipy's
// _mwu_state.sf does: by symmetry P(U ≥ u) = P(U ≤ mn − u), summed from
// whichever tail is shorter.
func uSF(u, m, n int) float64 {
	mn := m * n
	switch {
	case u <= 0:
		return 1
	case u > mn:
		return 0
	}
	if c := mn - u; c <= u {
		return clamp01(uCDF(c, m, n)[c])
	}
	return clamp01(1 - uCDF(u-1, m, n)[u-1])
}

// qwilcox returns R's qwilcox(p, m, n): the smallest q with P(U ≤ q) ≥ p,
// with R's fuzz of 10·DBL_EPSILON (nmath/qwilcox.c).
func qwilcox(p float64, m, n int) int {
	const fuzz = 10 * 2.220446049250313e-16
	mn := m * n
	if p <= 0.5 {
		// Walk up from 0 until the CDF reaches p; the CDF array grows as
		// needed (it is cheap to compute up to mn/2).
		cdf := uCDF(mn/2, m, n)
		x := p - fuzz
		for q := 0; q <= mn/2; q++ {
			if cdf[q] >= x {
				return q
			}
		}
		return mn / 2 // unreachable: CDF(mn/2) ≥ 0.5
	}
	// Upper half: R sums from the top with the symmetric distribution.
	cdf := uCDF(mn/2, m, n)
	x := 1 - p + fuzz
	for q := 0; q <= mn/2; q++ {
		if cdf[q] > x {
			return mn - q
		}
	}
	return mn - mn/2
}

// pwilcox returns P(U ≤ q) (R's pwilcox(q, m, n)).
func pwilcox(q, m, n int) float64 {
	mn := m * n
	switch {
	case q < 0:
		return 0
	case q >= mn:
		return 1
	}
	if q <= mn/2 {
		return uCDF(q, m, n)[q]
	}
	return 1 - uCDF(mn-q-1, m, n)[mn-q-1]
}

func clamp01(p float64) float64 { return math.Max(0, math.Min(1, p)) }
