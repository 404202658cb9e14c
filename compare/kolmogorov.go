package compare

import (
	"fmt"
	"math"
)

// ksMaxAutoN is scipy's MAX_AUTO_N: Auto computes the exact p-value when
// neither sample is larger.
const ksMaxAutoN = 10000

// KolmogorovSmirnov performs the two-sample Kolmogorov-Smirnov test of
// experiment against control, as scipy 1.10's ks_2samp.
//
// The null hypothesis is that both samples come from the same continuous
// distribution. Unlike MannWhitneyU, the test sees any difference of
// distribution — a wider spread or a second mode at an unchanged median — at
// the cost of less power against a pure shift. With F_e and F_c the
// empirical distribution functions:
//
//	TwoSided: D = sup_v |F_e(v) − F_c(v)|
//	Greater:  D = sup_v (F_c(v) − F_e(v)), large when the experiment tends to be greater
//	Less:     D = sup_v (F_e(v) − F_c(v)), large when the experiment tends to be smaller
//
// Statistic is D, in [0, 1]; P is in [0, 1]. Note the mapping to scipy: a
// distribution function that lies below another belongs to larger values, so
// chaosstat's Greater is ks_2samp(experiment, control, alternative='less')
// and Less is alternative='greater'.
//
// Methods. Exact counts lattice paths (Hodges 1958; the two-sided "inside"
// recursion of Viehmann 2021), and reports D rounded to the lattice of
// multiples of 1/lcm(n1, n2) as scipy does. With ties it is the
// permutation distribution given the ties, counted only where a tie group
// ends (R 4.2.2's psmirnov with exact = TRUE; scipy ignores ties and is
// conservative there): ks.test(c(1,2,2,3,3), c(1,2,3,3,4,5,6)) gives
// 8/33 = 0.2424, scipy 0.545. Auto is
// exact when max(n1, n2) ≤ 10000. When the exact computation overflows it
// falls back to Asymptotic with a warning. Asymptotic two-sided uses the
// distribution of the one-sample statistic D_n at n = round(n1n2/(n1+n2))
// (Simard & L'Ecuyer 2011, scipy's kstwo); one-sided uses Hodges'
// approximation
//
//	P ≈ exp(−2z² − 2z(m + 2n)/√(mn(m+n))/3),  z = D·√(mn/(m+n)),  m ≥ n.
//
// With ties the asymptotic p-value is conservative; a warning says so.
//
// Shift is the Hodges-Lehmann shift with its interval (see HodgesLehmann),
// skipped (NaN) when opts.NoShift is set.
//
// [1] Hodges, J. L. (1958). The significance probability of the Smirnov
// two-sample test. Arkiv för Matematik 3(43), 469–486.
// [2] Simard, R. & L'Ecuyer, P. (2011). Computing the two-sided
// Kolmogorov-Smirnov distribution. J. Stat. Softw. 39(11).
// [3] scipy.stats.ks_2samp, scipy 1.10.
// [4] Schröer, G. & Trenkler, D. (1995). Exact and randomization
// distributions of Kolmogorov-Smirnov tests for two or three samples.
// Comput. Statist. Data Anal. 20, 185–202.
func KolmogorovSmirnov(experiment, control []float64, opts Options) (Result, error) {
	opts, s, res, err := begin("ks", experiment, control, opts, 1)
	if err != nil {
		return Result{}, err
	}
	x, y := s.x, s.y
	sortPair(x, y)
	res.ControlLevel = sortedMedian(y)
	n1, n2 := len(x), len(y)

	// D+ = max(F_e − F_c) and D− = max(F_c − F_e) over the pooled values,
	// formed as scipy forms them: i/n1 − j/n2 after every tie group.
	var maxS, minDiff float64
	tied := 0 // values that share their value with another
	for i, j := 0, 0; i < n1 || j < n2; {
		var v float64
		switch {
		case j == n2:
			v = x[i]
		case i == n1:
			v = y[j]
		default:
			v = min(x[i], y[j])
		}
		i0, j0 := i, j
		for i < n1 && x[i] == v {
			i++
		}
		for j < n2 && y[j] == v {
			j++
		}
		if i-i0+j-j0 > 1 {
			tied += i - i0 + j - j0
		}
		d := float64(i)/float64(n1) - float64(j)/float64(n2)
		maxS = max(maxS, d)
		minDiff = min(minDiff, d)
	}
	minS := math.Min(math.Max(-minDiff, 0), 1)

	// scipy's alternative for (experiment, control).
	var d float64
	sciAlt := TwoSided
	switch opts.Alternative {
	case Greater:
		sciAlt, d = Less, minS // scipy 'less'
	case Less:
		sciAlt, d = Greater, maxS // scipy 'greater'
	default:
		d = maxS
		if minS > maxS {
			d = minS
		}
	}

	g := gcd(n1, n2)
	method := opts.Method
	if method == Auto {
		method = Asymptotic
		if max(n1, n2) <= ksMaxAutoN {
			method = Exact
		}
	} else if method == Exact && float64(n1/g) >= float64(math.MaxInt32)/float64(n2/g) { // as scipy: in floating point
		method = Asymptotic
		res.Warnings = append(res.Warnings, fmt.Errorf("samples of %d and %d are too large for the exact distribution: used the asymptotic one", n1, n2))
	}
	p := math.NaN()
	if method == Exact && tied > 0 {
		d, p = ksExactTies(x, y, g, d, opts.Alternative)
	} else if method == Exact {
		var ok bool
		ok, d, p = ksExact(n1, n2, g, d, sciAlt)
		if !ok {
			method = Asymptotic
			res.Warnings = append(res.Warnings, fmt.Errorf("the exact p-value overflowed for %d+%d points: used the asymptotic distribution", n1, n2))
		}
	}
	if method == Asymptotic {
		m, n := float64(max(n1, n2)), float64(min(n1, n2))
		en := m * n / (m + n)
		if sciAlt == TwoSided {
			n := int(math.RoundToEven(en))
			if n == 0 {
				return Result{}, fmt.Errorf("compare: ks: %d+%d points are too few for the asymptotic distribution (n1n2/(n1+n2) rounds to 0; use the exact method): %w", n1, n2, ErrSampleSize)
			}
			p = kolmogorovSF(n, d)
		} else {
			z := math.Sqrt(en) * d
			p = math.Exp(-2*z*z - 2*z*(m+2*n)/math.Sqrt(m*n*(m+n))/3)
		}
	}
	res.Method = method
	res.Statistic = d
	res.P = clamp01(p)
	if tied > 0 && method == Asymptotic {
		res.Warnings = append(res.Warnings, fmt.Errorf("%d of %d values are tied: the Kolmogorov-Smirnov p-value is conservative for discrete data such as counts; Mann-Whitney corrects for ties", tied, n1+n2))
	}
	if w := minPWarning(n1, n2, opts); w != nil {
		res.Warnings = append(res.Warnings, w)
	}
	if opts.NoShift {
		res.Shift = nanShift(opts.Confidence)
		return res, nil
	}
	sh, warn := hodgesLehmannSorted(x, y, tied > 0, Options{Alternative: opts.Alternative, Confidence: opts.Confidence})
	res.Shift = sh
	res.Warnings = append(res.Warnings, warn...)
	return res, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ksExactTies returns D rounded to the lattice h/lcm(n1, n2) and the exact
// p-value P(D ≥ d) of the two-sample Kolmogorov-Smirnov test under the
// permutation null given the ties of the pooled sorted samples x and y, as R
// 4.2.2's psmirnov(exact = TRUE, z) computes it (Schröer & Trenkler 1995):
// a lattice path takes one step per pooled value, and only where a tie group
// ends does its distance from the diagonal count, since D is only ever
// evaluated there. It carries P(the path has crossed) through Viehmann's
// (2021) recursion, which is stable where one minus the lower tail is not,
// in O(n1·n2) time and O(n2) memory.
//
// For Greater (D = max(F_c − F_e)) the path's first coordinate counts the
// control: the one-sided distribution with ties depends on the direction
// (R 4.2.2's alternative = "less" evaluates the other one; see
// testdata/gen_exact_r.R).
func ksExactTies(x, y []float64, g int, d float64, alt Alternative) (dd, p float64) {
	m, n := len(x), len(y)
	lcm := (m / g) * n
	h := int(math.RoundToEven(d * float64(lcm)))
	dd = float64(h) / float64(lcm)
	if h == 0 {
		return dd, 1
	}
	// ends[k]: a tie group ends after the k-th pooled value (k = 1..N).
	ends := make([]bool, m+n+1)
	for i, j, k := 0, 0, 0; i < m || j < n; {
		var v float64
		switch {
		case j == n:
			v = x[i]
		case i == m:
			v = y[j]
		default:
			v = min(x[i], y[j])
		}
		for i < m && x[i] == v {
			i++
			k++
		}
		for j < n && y[j] == v {
			j++
			k++
		}
		ends[k] = true
	}
	// The path's coordinates: a steps of the first sample, b of the second,
	// the distance a·(lcm/ma) − b·(lcm/nb) in units of 1/lcm.
	ma, nb := m, n
	if alt == Greater {
		ma, nb = n, m
	}
	sa, sb := lcm/ma, lcm/nb
	crossed := func(a, b int) bool {
		dist := a*sa - b*sb
		if alt == TwoSided && dist < 0 {
			dist = -dist
		}
		return dist >= h && ends[a+b]
	}
	u := make([]float64, nb+1)
	for b := 1; b <= nb; b++ {
		if crossed(0, b) {
			u[b] = 1
		} else {
			u[b] = u[b-1]
		}
	}
	for a := 1; a <= ma; a++ {
		if crossed(a, 0) {
			u[0] = 1
		}
		for b := 1; b <= nb; b++ {
			if crossed(a, b) {
				u[b] = 1
				continue
			}
			v, w := float64(a)/float64(a+b), float64(b)/float64(a+b)
			u[b] = v*u[b] + w*u[b-1]
		}
	}
	return dd, clamp01(u[nb])
}

// ksExact is scipy's _attempt_exact_2kssamp: it rounds d to the lattice
// h/lcm(n1, n2) and returns the exact p-value, or ok = false when the
// computation overflows or leaves [0, 1].
func ksExact(n1, n2, g int, d float64, alt Alternative) (ok bool, dd, p float64) {
	lcm := float64(n1/g) * float64(n2)
	h := int(math.RoundToEven(d * lcm))
	dd = float64(h) / lcm
	if h == 0 {
		return true, dd, 1
	}
	switch {
	case alt == TwoSided && n1 == n2:
		p = ksProbOutsideSquare(n1, h)
	case alt == TwoSided:
		p = ksOuterProbInside(n1, n2, g, h)
	case n1 == n2:
		// binom(2n, n−h)/binom(2n, n) as a product, as scipy does.
		p = 1
		for j := range h {
			p *= float64(n1-j) / (float64(n1+j) + 1)
		}
	default:
		paths := ksCountPathsOutside(n1, n2, g, h)
		bin := binom(float64(n1+n2), float64(n1))
		if math.IsInf(paths, 0) || math.IsNaN(paths) || paths > bin || math.IsInf(bin, 0) {
			return false, dd, math.NaN()
		}
		p = paths / bin
	}
	if !(p >= 0 && p <= 1) {
		return false, dd, p
	}
	return true, dd, p
}

// ksProbOutsideSquare returns P(D_{n,n} ≥ h/n), the proportion of paths that
// leave the band |x − y| < h (scipy's _compute_prob_outside_square):
// 2·Σ_k (−1)^(k+1) C(2n, n−kh)/C(2n, n), summed Horner-fashion to avoid
// cancellation.
func ksProbOutsideSquare(n, h int) float64 {
	var p float64
	for k := n / h; k >= 0; k-- {
		p1 := 1.0
		for j := range h {
			p1 = float64(n-k*h-j) * p1 / float64(n+k*h+j+1)
		}
		p = p1 * (1 - p)
	}
	return 2 * p
}

// ksOuterProbInside returns the proportion of lattice paths from (0, 0) to
// (m, n) that do not stay strictly inside |x/m − y/n| < h/lcm(m, n)
// (scipy's _compute_outer_prob_inside_method, after Hodges 1958 and
// Viehmann 2021, which carries 1 − p through the recursion for stability).
func ksOuterProbInside(m, n, g, h int) float64 {
	if m < n {
		m, n = n, m
	}
	mg, ng := m/g, n/g
	minj, maxj := 0, min(ceilDiv(h, mg), n+1)
	curlen := maxj - minj
	lenA := min(2*maxj+2, n+1)
	a := make([]float64, lenA)
	for i := range a {
		a[i] = 1
	}
	for i := minj; i < maxj; i++ {
		a[i] = 0
	}
	for i := 1; i <= m; i++ {
		lastminj, lastlen := minj, curlen
		minj = max(floorDiv(ng*i-h, mg)+1, 0)
		minj = min(minj, n)
		maxj = min(ceilDiv(ng*i+h, mg), n+1)
		if maxj <= minj {
			return 1
		}
		val := 1.0
		if minj == 0 {
			val = 0
		}
		for jj := range maxj - minj {
			j := jj + minj
			val = (a[jj+minj-lastminj]*float64(i) + val*float64(j)) / float64(i+j)
			a[jj] = val
		}
		curlen = maxj - minj
		if lastlen > curlen {
			for k := maxj - minj; k < maxj-minj+(lastlen-curlen); k++ {
				a[k] = 1
			}
		}
	}
	return a[maxj-minj-1]
}

// ksCountPathsOutside counts the lattice paths from (0, 0) to (m, n) that
// reach m·y ≤ n·x − h·g somewhere (scipy's _count_paths_outside_method,
// Hodges 1958). The count may overflow to +Inf; callers check.
func ksCountPathsOutside(m, n, g, h int) float64 {
	if m < n {
		m, n = n, m
	}
	mg, ng := m/g, n/g
	lxj := n + floorDiv(mg-h, mg)
	if lxj <= 0 {
		return binom(float64(m+n), float64(n))
	}
	xj := make([]int, lxj)
	for j := range xj {
		xj[j] = floorDiv(h+mg*j+ng-1, ng)
	}
	b := make([]float64, lxj)
	b[0] = 1
	for j := 1; j < lxj; j++ {
		bj := binom(float64(xj[j]+j), float64(j))
		for i := range j {
			bj -= binom(float64(xj[j]-xj[i]+j-i), float64(j-i)) * b[i]
		}
		b[j] = bj
	}
	var paths float64
	for j := range lxj {
		paths += b[j] * binom(float64(m-xj[j]+n-j), float64(n-j))
	}
	return paths
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int) int { return -floorDiv(-a, b) }

// binom is the binomial coefficient C(n, k) for whole n ≥ 0 as scipy.special
// computes it: a product for k < 20 (after reducing k by symmetry), the
// gamma-function form otherwise.
func binom(n, k float64) float64 {
	if k < 0 || k > n {
		return 0
	}
	if k > n/2 && n > 0 {
		k = n - k
	}
	if k < 20 {
		num, den := 1.0, 1.0
		for i := 1.0; i <= k; i++ {
			num *= i + n - k
			den *= i
			if math.Abs(num) > 1e50 {
				num /= den
				den = 1
			}
		}
		return num / den
	}
	a, _ := math.Lgamma(n + 1)
	b, _ := math.Lgamma(k + 1)
	c, _ := math.Lgamma(n - k + 1)
	return math.Exp(a - b - c)
}
