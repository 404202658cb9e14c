package compare

import (
	"errors"
	"math"
)

// LongRunStream is LongRunVariance for a series that grows one point at a
// time, as a monitor sees it: Add costs O(maxLag) and LongRun O(maxLag)
// (only the lags inside the bandwidth are computed), so that the estimate
// can be asked for at every look. It keeps running sums of the lag
// products up to maxLag and the prefix sums of the points (8 bytes a
// point; NewLongRunStreamWindow keeps only the last ones, for a stream that
// runs for weeks). Beyond LongRunVariance it can centre the points by two means,
// before and from a split point, so that a change of level there does not
// inflate the variance; and it can pool the autocovariances of a prior
// stretch of the series (Pool), such as the hours before an experiment.
// Unsplit and unpooled, LongRun(0, opts) is LongRunVariance of the points
// added, with opts.MaxLag at most maxLag, up to rounding. A LongRunStream
// is not safe for concurrent use.
type LongRunStream struct {
	maxLag  int
	n       int
	shift   float64   // the first point: the sums are of x − shift, for accuracy
	sumQ    float64   // Σ (x_t − shift)²
	lag     []float64 // lag[k] = Σ_{t≥k} (x_t − shift)(x_{t−k} − shift), k = 1..maxLag
	ring    []float64 // the last maxLag shifted points, the newest at ringPos − 1
	ringPos int
	// prefix[i] = Σ_{t<i} (x_t − shift) for i = 0..n; with a window, only
	// i <= maxLag (head) and the last len(prefix) of them, prefix being a
	// ring whose entry for i is at i % len(prefix).
	prefix []float64
	head   []float64
	window int       // 0: every prefix sum is kept
	gamma  []float64 // scratch for LongRun

	// The pooled prior stretch: its number of present points, its
	// autocovariances (divisor nh, centred by its own mean) and the
	// least-squares AR(1) denominator Σ (x_{t−1} − mean)² / nh over its
	// lag-1 pairs.
	nh     int
	gammaH []float64
	den1H  float64
}

// NewLongRunStream returns an empty stream that sums lags up to maxLag,
// which must be positive.
func NewLongRunStream(maxLag int) *LongRunStream {
	if maxLag < 1 {
		panic("compare: NewLongRunStream: maxLag < 1")
	}
	return &LongRunStream{maxLag: maxLag, lag: make([]float64, maxLag+1), ring: make([]float64, maxLag),
		prefix: []float64{0}, gamma: make([]float64, maxLag+1)}
}

// NewLongRunStreamWindow returns an empty stream that sums lags up to maxLag
// and keeps the prefix sums of the first maxLag and the last window +
// maxLag points only, so that its memory is O(maxLag + window) however many
// points are added, for a monitor that runs for weeks. Mean(from) and
// LongRun(split) then accept from and split of 0 or at least Len − window
// (and any while Len <= window); others panic. maxLag and window must be
// positive.
func NewLongRunStreamWindow(maxLag, window int) *LongRunStream {
	if window < 1 {
		panic("compare: NewLongRunStreamWindow: window < 1")
	}
	s := NewLongRunStream(maxLag)
	s.window = window
	s.head = append(make([]float64, 0, maxLag+1), 0)
	s.prefix = make([]float64, window+maxLag+1)
	return s
}

// p returns the prefix sum Σ_{t<i} (x_t − shift).
func (s *LongRunStream) p(i int) float64 {
	if s.window == 0 {
		return s.prefix[i]
	}
	if i < len(s.head) {
		return s.head[i]
	}
	if i < s.n+1-len(s.prefix) || i > s.n {
		panic("compare: LongRunStream: a split or start outside the stream's window")
	}
	return s.prefix[i%len(s.prefix)]
}

// push appends the prefix sum of the points up to the newest.
func (s *LongRunStream) push(v float64) {
	if s.window == 0 {
		s.prefix = append(s.prefix, v)
		return
	}
	i := s.n + 1 // the new sum's index; n is not yet incremented
	if i <= s.maxLag {
		s.head = append(s.head, v)
	}
	s.prefix[i%len(s.prefix)] = v
}

// Add appends the point x, which must be a number (not NaN): O(maxLag).
func (s *LongRunStream) Add(x float64) {
	if s.n == 0 {
		s.shift = x
	}
	x -= s.shift
	s.sumQ += x * x
	// lag[k] += x_n x_{n−k}; ring holds x_{n−1}, x_{n−2}, ... before this
	// point, the newest at ringPos − 1.
	for k := 1; k <= min(s.maxLag, s.n); k++ {
		s.lag[k] += x * s.ring[(s.ringPos-k+s.maxLag)%s.maxLag]
	}
	s.push(s.p(s.n) + x)
	s.ring[s.ringPos] = x
	s.ringPos = (s.ringPos + 1) % s.maxLag
	s.n++
}

// Len returns the number of points added (the pooled prior not counted).
func (s *LongRunStream) Len() int { return s.n }

// Mean returns the mean of the points added from index from (0-based) on;
// from must be below Len.
func (s *LongRunStream) Mean(from int) float64 {
	return (s.p(s.n)-s.p(from))/float64(s.n-from) + s.shift
}

// Pool pools the stream's autocovariances with those of a prior stretch of
// the series, x (NaN missing), weighted by their numbers of points: the
// prior's are centred by its own mean (so a level it has is not taken as
// noise), with the lag products across a missing value left out and
// divisor its number of present values. Its points are not added: Len and
// Mean are the stream's own. It replaces an earlier prior, and returns an
// error, pooling nothing, for fewer than two present values or values that
// do not vary (up to rounding: γ̂₀ <= 1e-24·mean²).
func (s *LongRunStream) Pool(x []float64) error {
	var n int
	var sum float64
	for _, v := range x {
		if !math.IsNaN(v) {
			n++
			sum += v
		}
	}
	if n < 2 {
		return errors.New("compare: fewer than 2 values to pool")
	}
	mean := sum / float64(n)
	gamma := make([]float64, s.maxLag+1)
	for k := 0; k <= s.maxLag; k++ {
		for t := k; t < len(x); t++ {
			if a, b := x[t], x[t-k]; !math.IsNaN(a) && !math.IsNaN(b) {
				gamma[k] += (a - mean) * (b - mean)
			}
		}
		gamma[k] /= float64(n)
	}
	if !(gamma[0] > 1e-24*mean*mean) || !(gamma[0] > 0) {
		return errors.New("compare: the values to pool do not vary")
	}
	var den float64
	for t := 1; t < len(x); t++ {
		if a, b := x[t], x[t-1]; !math.IsNaN(a) && !math.IsNaN(b) {
			den += (b - mean) * (b - mean)
		}
	}
	s.nh, s.gammaH, s.den1H = n, gamma, den/float64(n)
	return nil
}

// LongRun returns LongRunVariance of the points added, centred by two
// means, one of the first split points and one of the rest (split 0: the
// one mean), and pooled with the prior (Pool) when there is one:
// autocovariances and the least-squares AR(1) coefficient's sums are
// weighted by the numbers of points, n is their total, and a lag the
// points added are too few for counts 0 for them. opts.MaxLag is capped at
// the stream's maxLag. A series constant up to the rounding of the running
// sums (γ̂₀ <= 1e-12 of the mean square around the first point, unpooled)
// gives the zero LongRun, as does one with fewer than two points.
func (s *LongRunStream) LongRun(split int, opts LongRunOptions) LongRun {
	N := s.n + s.nh
	if s.n == 0 || N < 2 {
		return LongRun{}
	}
	if opts.MaxLag <= 0 || opts.MaxLag > s.maxLag {
		opts.MaxLag = s.maxLag
	}
	gamma := s.gamma[:lagCap(N, opts)+1]
	clear(gamma)
	s.lags(0, 1, split, gamma)
	g0 := gamma[0]
	if s.nh == 0 && !(g0 > 1e-12*(s.sumQ/float64(s.n))) || !(g0 > 0) {
		return LongRun{}
	}
	// The least-squares AR(1) coefficient Σ x_t x_{t−1} / Σ x_{t−1}²: the
	// denominator is γ̂₀ less the last point's square (and, pooled, the
	// prior's own difference between the two), over N.
	last := s.ring[(s.ringPos-1+s.maxLag)%s.maxLag] - (s.p(s.n)-s.p(split))/float64(s.n-split)
	den := g0 - last*last/float64(N)
	if s.nh > 0 {
		den -= float64(s.nh) * (s.gammaH[0] - s.den1H) / float64(N)
	}
	rho := 0.0
	if den > 0 {
		rho = gamma[1] / den
	}
	return neweyWest(N, rho, gamma, func(from, to int) { s.lags(from, to, split, gamma) }, opts)
}

// Gamma0 returns γ̂₀ of LongRun(split, …): the variance (divisor n) of the
// points added centred by the two means, pooled with the prior's when there
// is one, in O(1). The long-run variance LongRun gives is γ̂₀ times a
// factor that callers often bound below by 1, so Gamma0 lets them skip a
// LongRun whose result cannot matter.
func (s *LongRunStream) Gamma0(split int) float64 {
	if s.n == 0 || s.n+s.nh < 2 {
		return 0
	}
	var g [1]float64
	s.lags(0, 0, split, g[:])
	return g[0]
}

// lags fills gamma[from..to] with the autocovariances LongRun uses: the
// points' (autocov, split), pooled with the prior's when there is one.
func (s *LongRunStream) lags(from, to, split int, gamma []float64) {
	if top := min(to, s.n-1); top >= from {
		s.autocov(from, top, split, gamma)
	}
	if s.nh == 0 {
		return
	}
	nl, nh := float64(s.n), float64(s.nh)
	for k := from; k <= to; k++ {
		// gamma[k] is still 0 for a lag beyond the points added.
		gamma[k] = (nl*gamma[k] + nh*s.gammaH[k]) / (nl + nh)
	}
}

// autocov fills gamma[from..to] with the sample autocovariances (divisor
// n) of the points centred by two means, m1 of the first split points and
// m2 of the rest, from the running lag sums and the prefix sums in O(1) a
// lag: Σ_{t≥k} (x_t − m(t))(x_{t−k} − m(t−k)) expanded into the lag sum,
// the two cross sums with the means, and the products of the means.
func (s *LongRunStream) autocov(from, to, split int, gamma []float64) {
	n := s.n
	P := s.p
	var m1 float64
	if split > 0 {
		m1 = P(split) / float64(split)
	}
	m2 := (P(n) - P(split)) / float64(n-split)
	for k := from; k <= to; k++ {
		lagSum := s.sumQ
		if k > 0 {
			lagSum = s.lag[k]
		}
		// Σ_{t≥k} x_t m(t−k)
		a := m1*(P(min(n, split+k))-P(k)) + m2*(P(n)-P(min(n, split+k)))
		// Σ_{t≥k} x_{t−k} m(t)
		b := m1*P(max(0, split-k)) + m2*(P(n-k)-P(max(split, k)-k))
		pre := max(0, split-k)
		post := max(0, n-split-k)
		cross := n - k - pre - post
		c := float64(pre)*m1*m1 + float64(post)*m2*m2 + float64(cross)*m1*m2
		gamma[k] = (lagSum - a - b + c) / float64(n)
	}
}

// ARFactor returns the long-run variance factor ω/γ₀ of the AR(p) model
// that Yule-Walker fits to the autocovariances LongRun(split, …) uses, and
// its order p: the spectral density at frequency 0 of the fitted model
// over the variance,
//
//	σ̂²_p / (γ̂₀ (1 − Σ φ̂_j)²),   Σ φ̂_j clipped by ClipAR1,
//
// p in 0..min(maxAROrder(N), maxLag) with the smallest AIC, N·log σ̂²_p +
// 2p, N the number of points (pooled prior included), as R's ar.yw fits it
// (method "yule-walker", aic = TRUE). It is the autoregressive spectral
// estimator of the long-run variance (Berk 1974; den Haan and Levin 1997):
// unlike the Bartlett kernel with Andrews' AR(1) bandwidth it is
// consistent for autocorrelation that decays slowly after a small lag-1
// value (a slow drift under white noise, an ARMA(1,1)), whose long-run
// variance LongRun's bandwidth, chosen from the lag-1 value alone, cuts
// short. O(p²) with p at most 24 (the order TimeSeries' prewhitening
// considers at most), no allocation. A series LongRun gives the zero
// LongRun for gives factor 1, order 0.
func (s *LongRunStream) ARFactor(split int) (factor float64, order int) {
	N := s.n + s.nh
	if s.n == 0 || N < 2 {
		return 1, 0
	}
	pmax := min(maxAROrder(N), s.maxLag, N-1)
	gamma := s.gamma[:pmax+1]
	clear(gamma)
	s.lags(0, pmax, split, gamma)
	if !(gamma[0] > 0) || s.nh == 0 && !(gamma[0] > 1e-12*(s.sumQ/float64(s.n))) {
		return 1, 0
	}
	return yuleWalkerAIC(gamma, N)
}

// yuleWalkerAIC fits AR(p) models of orders 0..len(gamma)−1 (at most 24) to
// the autocovariances gamma of n points by the Durbin-Levinson recursion
// and returns the long-run variance factor of the one with the smallest
// AIC, n·log σ̂²_p + 2p (ARFactor), and its order. The recursion stops at
// an order whose partial autocorrelation is not inside (−1, 1).
func yuleWalkerAIC(gamma []float64, n int) (factor float64, order int) {
	var phi, prev [25]float64
	pmax := min(len(gamma)-1, len(phi)-1)
	v := gamma[0]
	best := float64(n) * math.Log(v)
	factor = 1
	for k := 1; k <= pmax; k++ {
		acc := gamma[k]
		for j := 1; j < k; j++ {
			acc -= prev[j] * gamma[k-j]
		}
		kk := acc / v
		if !(math.Abs(kk) < 1) {
			break
		}
		phi[k] = kk
		for j := 1; j < k; j++ {
			phi[j] = prev[j] - kk*prev[k-j]
		}
		v *= 1 - kk*kk
		prev = phi
		if aic := float64(n)*math.Log(v) + 2*float64(k); aic < best {
			var sum float64
			for j := 1; j <= k; j++ {
				sum += phi[j]
			}
			r := ClipAR1(sum)
			best, order, factor = aic, k, v/(gamma[0]*(1-r)*(1-r))
		}
	}
	return factor, order
}
