package compare

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// HodgesLehmann estimates the shift in location experiment − control and its
// confidence interval, as R's wilcox.test(experiment, control, conf.int =
// TRUE) does.
//
// The estimate is the median of all n1·n2 differences x_i − y_j (the
// Hodges-Lehmann estimator [1]); it is robust to outliers and, unlike a
// difference of medians, is the effect the Mann-Whitney test actually tests.
// The interval inverts the Mann-Whitney test: it holds the shifts d for which
// the test of (experiment − d, control) does not reject.
//
// Methods. Exact sorts the differences d_(1) ≤ … ≤ d_(n1n2) and takes
//
//	q = qwilcox(α/2, n1, n2) (or 1 if that is 0),  CI = [d_(q), d_(n1n2−q+1)]
//
// (α for one-sided intervals). With ties (discrete data such as counts) the
// same closed interval is kept: its coverage is then at least the level
// reported, since the count of differences at most the true shift is
// stochastically no smaller than the untied U (ties broken at random have
// the untied distribution) [3]. When the samples are so small that even the
// widest interval misses the requested level, the achieved level is
// reported in Shift.Confidence with a warning. Asymptotic finds the bounds as the
// roots of
//
//	W(d) = (U(x − d, y) − n1n2/2 − c) / σ(d) = ±z
//
// with the continuity correction c (1/2, or 0 with
// opts.NoContinuityCorrection) and the tie-corrected σ of MannWhitneyU,
// searched in [min x − max y, max x − min y] and clamped to its ends, as R
// does; R stops its root search at a tolerance of 1e-4, this one at the
// exact step of W. The asymptotic estimate is the median of the differences
// (R reports a root of W(d) = 0, which can be any point of the interval
// between the two middle differences). Auto follows MannWhitneyU's rule, so
// the interval's method is the test's: exact when the exact distribution is
// affordable, ties or not (R is exact only without ties and below 50
// values).
//
// The differences are never all formed: the k-th smallest difference is
// found by bisection over the float64 values with an O(n1 + n2) count of the
// differences below each candidate, and each W(d) is one merge, so n1 = n2 =
// 100,000 takes a fraction of a second, not 10^10 differences.
//
// For a one-sided alternative the interval is one-sided: [Low, +Inf) for
// Greater, (−Inf, High] for Less. The returned warnings say where the
// interval is weak; the error is non-nil only when it cannot be computed.
//
// [1] Hodges, J. L. & Lehmann, E. L. (1963). Estimates of location based on
// rank tests. Ann. Math. Statist. 34(2), 598–611.
// [2] Bauer, D. F. (1972). Constructing confidence sets using rank
// statistics. J. Amer. Statist. Assoc. 67, 687–690.
// [3] Hollander, M. & Wolfe, D. A. (1999). Nonparametric Statistical
// Methods, 2nd ed., §4.3: the interval for discrete populations.
func HodgesLehmann(experiment, control []float64, opts Options) (Shift, []error, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return Shift{}, nil, err
	}
	s, err := prepare(experiment, control, 1)
	if err != nil {
		return Shift{}, nil, err
	}
	sortPair(s.x, s.y)
	ties := mergeRanks(s.x, s.y).Ties
	sh, warn := hodgesLehmannSorted(s.x, s.y, ties, opts)
	if sh.Low == sh.High && s.x[0] == s.x[len(s.x)-1] && s.y[0] == s.y[len(s.y)-1] {
		warn = append(warn, fmt.Errorf("both samples are constant: every difference is %v, so the interval has no width", sh.Estimate))
	}
	return sh, append(s.warnings, warn...), nil
}

// hodgesLehmannSorted is HodgesLehmann on cleaned, sorted samples; ties
// reports whether the pooled sample has tied values.
func hodgesLehmannSorted(x, y []float64, ties bool, opts Options) (Shift, []error) {
	var warn []error
	n1, n2 := len(x), len(y)
	mn := int64(n1) * int64(n2)
	alpha := 1 - opts.Confidence

	method := opts.Method
	if method == Auto {
		method, _ = uMethod(Auto, tieGroups(x, y), n1, n2, ties)
	}

	sh := Shift{Method: method, Confidence: opts.Confidence, Low: math.Inf(-1), High: math.Inf(1)}
	// The estimate: the median of the differences.
	if mn%2 == 1 {
		sh.Estimate = kthDiff(x, y, (mn+1)/2)
	} else {
		// The upper middle difference is the lower one again, or the next
		// difference above it: one more count, not another search.
		a := kthDiff(x, y, mn/2)
		b := a
		if c, _, gt := countDiffs(x, y, a); c < mn/2+1 {
			b = gt
		}
		sh.Estimate = (a + b) / 2
	}
	sh.Estimate = noNegZero(sh.Estimate)

	if method == Exact {
		a := alpha
		if opts.Alternative == TwoSided {
			a = alpha / 2
		}
		q := qwilcox(a, n1, n2)
		if q == 0 {
			q = 1
		}
		achieved := pwilcox(q-1, n1, n2)
		if opts.Alternative == TwoSided {
			achieved *= 2
		}
		if opts.Alternative != Less {
			sh.Low = noNegZero(kthDiff(x, y, int64(q)))
		}
		if opts.Alternative != Greater {
			sh.High = noNegZero(kthDiff(x, y, mn-int64(q)+1))
		}
		// R's rule: report the achieved level when it falls short by more
		// than half of alpha.
		if achieved-alpha > alpha/2 {
			sh.Confidence = 1 - achieved
			warn = append(warn, fmt.Errorf("with %d+%d points the exact interval reaches only %s confidence, not the %s asked for; collect more points", n1, n2, pct(sh.Confidence), pct(opts.Confidence)))
		}
		return sh, warn
	}

	lo := x[0] - y[n2-1]
	hi := x[n1-1] - y[0]
	if lo == hi {
		sh.Low, sh.High = lo, hi
		return sh, warn
	}
	// Between the pairwise differences W(d) is a constant: U(d) = n1n2 −
	// #{x_i − y_j ≤ d} and σ(d) holds only the ties within each sample. So
	// the root of W(d) = z is the k-th smallest difference for the k where
	// the count crosses n1n2/2 ∓ (zσ + 1/2), the continuity correction
	// included (see TestHodgesLehmannRootsMatchW for the check against a
	// root search on W itself, as R does it).
	n := float64(n1 + n2)
	fmn := float64(mn)
	sigma := math.Sqrt(fmn / 12 * ((n + 1) - (tieTerm(x)+tieTerm(y))/(n*(n-1))))
	cc := 0.5
	if opts.NoContinuityCorrection {
		cc = 0
	}
	bound := func(t float64) float64 {
		k := math.Ceil(t)
		switch {
		case k < 1:
			return lo
		case k > fmn:
			return hi
		}
		return noNegZero(kthDiff(x, y, int64(k)))
	}
	z := distuv.UnitNormal.Quantile(1 - alpha)
	if opts.Alternative == TwoSided {
		z = distuv.UnitNormal.Quantile(1 - alpha/2)
	}
	if opts.Alternative != Less {
		sh.Low = bound(fmn/2 - z*sigma - cc)
	}
	if opts.Alternative != Greater {
		sh.High = bound(fmn/2 + z*sigma + cc)
	}
	return sh, warn
}

// tieTerm returns Σ(t³ − t) over the groups of equal values in sorted x.
func tieTerm(x []float64) float64 {
	var s float64
	for i := 0; i < len(x); {
		j := i + 1
		for j < len(x) && x[j] == x[i] {
			j++
		}
		if t := float64(j - i); t > 1 {
			s += t*t*t - t
		}
		i = j
	}
	return s
}

// kthDiff returns the k-th smallest (1-based) of the n1·n2 differences
// x_i − y_j of sorted x and y without forming them. It keeps a bracket of two
// differences lo < hi with count(lo) < k ≤ count(hi), where count(d) =
// #{x_i − y_j ≤ d} costs one O(n1 + n2) pass, and narrows it by
// interpolating on the counts (the empirical distribution of the differences
// is smooth for continuous data), falling back to bisection over the ordered
// float64 bit patterns when interpolation stalls. Each pass also returns the
// nearest differences on either side of the probe, so hi snaps to a real
// difference and the search ends as soon as no difference lies between lo
// and hi: heavily tied data finish in a few passes.
func kthDiff(x, y []float64, k int64) float64 {
	lo := x[0] - y[len(y)-1]
	c, _, next := countDiffs(x, y, lo)
	if c >= k {
		return lo
	}
	// g(d) = count(d) − k + 1/2 changes sign at the answer. The Illinois
	// variant of regula falsi halves the weight of an end that survives
	// twice, which keeps the convergence superlinear where plain regula
	// falsi would creep up from one side.
	hi := x[len(x)-1] - y[0]
	glo := float64(c-k) + 0.5
	ghi := float64(int64(len(x))*int64(len(y))-k) + 0.5
	clo, chi := c, int64(len(x))*int64(len(y)) // counts at lo and hi
	side := 0                                  // which end moved last: −1 lo, +1 hi
	stalls := 0
	for next < hi {
		d := lo + (hi-lo)*(-glo/(ghi-glo))
		if stalls >= 2 || !(d > lo && d < hi) {
			a, b := floatKey(lo), floatKey(hi)
			d = keyFloat(a + (b-a)/2)
			stalls = 0
		}
		width := chi - clo
		c, le, gt := countDiffs(x, y, d)
		if g := float64(c-k) + 0.5; g > 0 {
			hi, ghi, chi = le, g, c
			if side == +1 {
				glo /= 2
			}
			side = +1
		} else {
			// No difference lies in (lo, d]: d itself becomes the bound.
			lo, glo, clo, next = d, g, c, gt
			if side == -1 {
				ghi /= 2
			}
			side = -1
		}
		if chi-clo > width/2 {
			stalls++
		} else {
			stalls = 0
		}
	}
	return hi
}

// countDiffs returns the number of differences x_i − y_j ≤ d, the largest
// such difference (le) and the smallest difference above d (gt; +Inf if
// none).
func countDiffs(x, y []float64, d float64) (c int64, le, gt float64) {
	n2 := len(y)
	le, gt = math.Inf(-1), math.Inf(1)
	// For each x_i the differences x_i − y_j fall as j rises, and the first
	// j with x_i − y_j ≤ d never moves left as x_i grows.
	p := 0
	for _, xi := range x {
		for p < n2 && xi-y[p] > d {
			p++
		}
		c += int64(n2 - p)
		if p < n2 {
			le = max(le, xi-y[p])
		}
		if p > 0 {
			gt = min(gt, xi-y[p-1])
		}
	}
	return c, le, gt
}

// noNegZero turns −0 into +0, so that a shift of zero never prints as "-0".
func noNegZero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}
