package compare

import "math"

// MaxAR1 bounds every AR(1) coefficient that a long-run variance in this
// module plugs in: the Bartlett bandwidth's (LongRunVariance,
// LongRunStream), the sum of TimeSeries' prewhitening coefficients, and the
// AR(1) variance factor of steadystate/monitor. ClipAR1 applies it. Near
// ±1 the bandwidth, the recolouring factor 1/(1−Φ)² and the factor
// (1+ρ)/(1−ρ) explode, so a coefficient estimated there (a random walk, a
// trend) is taken as ±0.97, as Andrews and Monahan (1992) bound theirs.
// TimeSeries' false-alarm rates were simulated with this bound for AR(1)
// differences up to 0.95 (its doc).
const MaxAR1 = 0.97

// ClipAR1 returns rho clipped to [−MaxAR1, MaxAR1], the one clipping rule
// of every AR(1) coefficient a long-run variance plugs in (MaxAR1).
func ClipAR1(rho float64) float64 { return max(-MaxAR1, min(MaxAR1, rho)) }

// kendallAR1 returns the AR(1) coefficient rho, estimated from n points
// around levels fitted means, corrected for its small-sample bias:
// rho + levels·(1 + 3·rho)/n (Kendall 1954: each estimated level biases the
// coefficient by −(1 + 3ρ)/n).
func kendallAR1(rho float64, n, levels int) float64 {
	return rho + float64(levels)*(1+3*rho)/float64(n)
}

// andrewsBandwidth returns Andrews' (1991) AR(1) plug-in bandwidth of the
// Bartlett kernel for n points with AR(1) coefficient r (clipped already),
// S = 1.1447·(α·n)^{1/3} with α = 4r²/((1−r)²(1+r)²), at most n.
func andrewsBandwidth(r float64, n int) float64 {
	a := 4 * r * r / ((1 - r) * (1 - r) * (1 + r) * (1 + r))
	return min(1.1447*math.Cbrt(a*float64(n)), float64(n))
}

// LongRunOptions are the choices of LongRunVariance and LongRunStream.
// The zero value is Newey-West with Andrews' bandwidth as TimeSeries uses
// it on its prewhitened residuals.
type LongRunOptions struct {
	// MaxLag, when positive, caps the lags the kernel sums (the
	// bandwidth may ask for more); 0 sums every lag below the bandwidth.
	MaxLag int
	// BiasLevels, when positive, corrects the bandwidth's AR(1)
	// coefficient for its small-sample bias as estimated around that many
	// fitted levels (1: the mean): ρ̂ + BiasLevels·(1 + 3ρ̂)/n, Kendall
	// (1954). 0 leaves it uncorrected.
	BiasLevels int
}

// LongRun is a long-run variance estimate: the variance of the mean of n
// autocorrelated points is Variance/n.
type LongRun struct {
	// Variance is ω̂ = γ̂₀ + 2·Σ_{1≤j<S} (1 − j/S)·γ̂_j (divisor n): 0 for
	// a constant series, nonnegative unless LongRunOptions.MaxLag cuts
	// the kernel short of the bandwidth.
	Variance float64
	// Gamma0 and Gamma1 are the autocovariances at lags 0 and 1 (divisor
	// n): Gamma0 is the variance of the points, Gamma1/Gamma0 their lag-1
	// autocorrelation.
	Gamma0, Gamma1 float64
	// AR1 is the AR(1) coefficient the bandwidth used: the least-squares
	// coefficient ρ̂ = Σ x_t x_{t−1} / Σ x_{t−1}² of the centred points,
	// bias-corrected by LongRunOptions.BiasLevels, clipped by ClipAR1;
	// Clipped says whether the clip changed it.
	AR1     float64
	Clipped bool
	// Bandwidth is the Bartlett bandwidth S.
	Bandwidth float64
}

// Factor returns Variance/Gamma0, the ratio of the long-run variance to
// the variance: 1 for independent points, about (1+ρ)/(1−ρ) for AR(1)
// noise, NaN for a constant series.
func (l LongRun) Factor() float64 {
	if l.Gamma0 == 0 {
		return math.NaN()
	}
	return l.Variance / l.Gamma0
}

// LongRunVariance returns the Newey-West [1] long-run variance of x, the
// points centred by their mean, with the Bartlett kernel and Andrews' [2]
// AR(1) plug-in bandwidth:
//
//	ω̂ = γ̂₀ + 2 Σ_{1≤j<S, j≤MaxLag} (1 − j/S) γ̂_j,   γ̂_j = (1/n) Σ_{t≥j} x_t x_{t−j}
//	S = min(1.1447 (α̂ n)^{1/3}, n),   α̂ = 4r²/((1−r)²(1+r)²)
//	r = ClipAR1(ρ̂ + BiasLevels·(1 + 3ρ̂)/n),   ρ̂ = Σ x_t x_{t−1} / Σ x_{t−1}²
//
// ω̂/n estimates the variance of the mean of n autocorrelated points; the
// weights keep it nonnegative when every lag below S is summed. There is no small-sample factor n/(n−1): a
// caller that wants one (TimeSeries) applies it. It is the estimator
// LongRunStream computes point by point; x must not hold NaN. Fewer than
// two points, or a constant series, give the zero LongRun.
//
// [1] Newey, W. K. and West, K. D. (1987). Econometrica 55, 703–708.
// [2] Andrews, D. W. K. (1991). Econometrica 59, 817–858.
func LongRunVariance(x []float64, opts LongRunOptions) LongRun {
	n := len(x)
	if n < 2 {
		return LongRun{}
	}
	var s float64
	for _, v := range x {
		s += v
	}
	m := s / float64(n)
	xm := make([]float64, n)
	for i, v := range x {
		xm[i] = v - m
	}
	g0 := autocov(xm, 0)
	if g0 == 0 {
		return LongRun{}
	}
	gamma := make([]float64, lagCap(n, opts)+1)
	gamma[0], gamma[1] = g0, autocov(xm, 1)
	return neweyWest(n, ar1Coef(xm), gamma, func(from, to int) {
		for j := from; j <= to; j++ {
			gamma[j] = autocov(xm, j)
		}
	}, opts)
}

// lagCap is the largest lag the kernel may sum for n points: n − 1, or
// MaxLag when that is smaller.
func lagCap(n int, opts LongRunOptions) int {
	if opts.MaxLag > 0 {
		return min(n-1, opts.MaxLag)
	}
	return n - 1
}

// neweyWest is the estimator of LongRunVariance from the least-squares
// AR(1) coefficient rho and gamma (len lagCap+1 >= 2) holding lags 0 and 1:
// fill computes the lags from..to into gamma, and is called only for the
// lags inside the bandwidth beyond 1.
func neweyWest(n int, rho float64, gamma []float64, fill func(from, to int), opts LongRunOptions) LongRun {
	r := rho
	if opts.BiasLevels > 0 {
		r = kendallAR1(rho, n, opts.BiasLevels)
	}
	lr := LongRun{Gamma0: gamma[0], Gamma1: gamma[1], AR1: ClipAR1(r)}
	lr.Clipped = math.Abs(r) > MaxAR1
	lr.Bandwidth = andrewsBandwidth(lr.AR1, n)
	L := len(gamma) - 1
	if top := min(L, int(math.Ceil(lr.Bandwidth))-1); top >= 2 {
		fill(2, top)
	}
	lr.Variance = gamma[0]
	for j := 1; j <= L && float64(j) < lr.Bandwidth; j++ {
		lr.Variance += 2 * (1 - float64(j)/lr.Bandwidth) * gamma[j]
	}
	return lr
}

// ar1Coef is the least-squares coefficient of x_t on x_{t−1} (x demeaned).
func ar1Coef(x []float64) float64 {
	var sxy, sxx float64
	for t := 1; t < len(x); t++ {
		sxy += x[t] * x[t-1]
		sxx += x[t-1] * x[t-1]
	}
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}

// autocov returns (1/n) Σ x_t x_{t−j} of the demeaned x.
func autocov(x []float64, j int) float64 {
	var s float64
	for t := j; t < len(x); t++ {
		s += x[t] * x[t-j]
	}
	return s / float64(len(x))
}
