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
// (α for one-sided intervals), which assumes no ties; with ties it falls back
// to Asymptotic with a warning. When the samples are so small that even the
// widest interval misses the requested level, the achieved level is reported
// in Shift.Confidence with a warning. Asymptotic finds the bounds as the
// roots of
//
//	W(d) = (U(x − d, y) − n1n2/2 − c) / σ(d) = ±z
//
// with the continuity correction c and the tie-corrected σ of MannWhitneyU,
// searched in [min x − max y, max x − min y] and clamped to its ends, as R
// does; R stops its root search at a tolerance of 1e-4, this one at the
// exact step of W. The asymptotic estimate is the median of the differences
// (R reports a root of W(d) = 0, which can be any point of the interval
// between the two middle differences). Auto is exact when there are no ties
// and both samples have fewer than 50 values, as R decides.
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
	ties := mergeRanks(s.x, s.y, 0).Ties
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
	switch {
	case method == Auto && !ties && n1 < 50 && n2 < 50:
		method = Exact
	case method == Auto:
		method = Asymptotic
	case method == Exact && ties:
		method = Asymptotic
		warn = append(warn, fmt.Errorf("tied values: the exact Hodges-Lehmann interval does not apply, used the normal approximation"))
	}

	sh := Shift{Method: method, Confidence: opts.Confidence, Low: math.Inf(-1), High: math.Inf(1)}
	// The estimate: the median of the differences.
	if mn%2 == 1 {
		sh.Estimate = kthDiff(x, y, (mn+1)/2)
	} else {
		sh.Estimate = (kthDiff(x, y, mn/2) + kthDiff(x, y, mn/2+1)) / 2
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
	n := float64(n1 + n2)
	fmn := float64(mn)
	w := func(d, zq float64) float64 {
		rs := mergeRanks(x, y, d)
		dz := rs.U - fmn/2
		var corr float64
		switch opts.Alternative {
		case TwoSided:
			corr = 0.5 * sign(dz)
		case Greater:
			corr = 0.5
		case Less:
			corr = -0.5
		}
		sigma := math.Sqrt(fmn / 12 * ((n + 1) - rs.TieTerm/(n*(n-1))))
		return (dz-corr)/sigma - zq
	}
	root := func(zq float64) float64 {
		if w(lo, zq) <= 0 {
			return lo
		}
		if w(hi, zq) >= 0 {
			return hi
		}
		// W is non-increasing in d: bisect over the ordered float64 values
		// until the sign change sits between two neighbouring floats.
		a, b := floatKey(lo), floatKey(hi)
		for b-a > 1 {
			mid := a + (b-a)/2
			if w(keyFloat(mid), zq) > 0 {
				a = mid
			} else {
				b = mid
			}
		}
		return noNegZero(keyFloat(b))
	}
	switch opts.Alternative {
	case TwoSided:
		z := distuv.UnitNormal.Quantile(1 - alpha/2)
		sh.Low, sh.High = root(z), root(-z)
	case Greater:
		sh.Low = root(distuv.UnitNormal.Quantile(1 - alpha))
	case Less:
		sh.High = root(distuv.UnitNormal.Quantile(alpha))
	}
	return sh, warn
}

// kthDiff returns the k-th smallest (1-based) of the n1·n2 differences
// x_i − y_j of sorted x and y, without forming them: the smallest float64 d
// with count(x_i − y_j ≤ d) ≥ k, found by bisection over the ordered float64
// bit patterns (at most 64 counts of O(n1 + n2) each).
func kthDiff(x, y []float64, k int64) float64 {
	n2 := len(y)
	countLE := func(d float64) int64 {
		// For each x_i, the differences x_i − y_j fall as j rises, and the
		// first j with x_i − y_j ≤ d never moves left as x_i grows.
		var c int64
		p := 0
		for _, xi := range x {
			for p < n2 && xi-y[p] > d {
				p++
			}
			c += int64(n2 - p)
		}
		return c
	}
	a, b := floatKey(x[0]-y[n2-1]), floatKey(x[len(x)-1]-y[0])
	for a < b {
		mid := a + (b-a)/2
		if countLE(keyFloat(mid)) >= k {
			b = mid
		} else {
			a = mid + 1
		}
	}
	return keyFloat(a)
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// noNegZero turns −0 into +0, so that a shift of zero never prints as "-0".
func noNegZero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}
