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
// The differences are never all formed: the estimate and both bounds are
// order statistics of the differences, searched together (kthDiffs): a grid
// of every r-th value of each sample places probes close to each rank, an
// O(n1 + n2) merge counts the differences below each probe, and the few
// differences left between the two probes around a rank are collected and
// selected. 1M vs 1M takes about as long as the test's own p-value (see
// BENCHMARKS.md).
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
		var groups []int // the tie groups matter only when there are ties
		if ties {
			groups = tieGroups(x, y)
		}
		method, _ = uMethod(Auto, groups, n1, n2, ties)
	}

	sh := Shift{Method: method, Confidence: opts.Confidence, Low: math.Inf(-1), High: math.Inf(1)}
	// The estimate and the bounds are order statistics of the same n1·n2
	// differences: they are found together (kthDiffs), so the counting
	// passes serve all of them. ranks holds the estimate's middle one or two
	// ranks, then the low and the high bound's (0 where that bound is not an
	// order statistic).
	ranks := []int64{(mn + 1) / 2, mn/2 + 1, 0, 0}
	var lowFixed, highFixed bool // the bound is an end of the range, not a rank
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
		ranks[2], ranks[3] = int64(q), mn-int64(q)+1
		// R's rule: report the achieved level when it falls short by more
		// than half of alpha.
		if achieved-alpha > alpha/2 {
			sh.Confidence = 1 - achieved
			warn = append(warn, fmt.Errorf("with %d+%d points the exact interval reaches only %s confidence, not the %s asked for; collect more points", n1, n2, pct(sh.Confidence), pct(opts.Confidence)))
		}
	} else {
		// Between the pairwise differences W(d) is a constant: U(d) = n1n2 −
		// #{x_i − y_j ≤ d} and σ(d) holds only the ties within each sample.
		// So the root of W(d) = z is the k-th smallest difference for the k
		// where the count crosses n1n2/2 ∓ (zσ + 1/2), the continuity
		// correction included (see TestHodgesLehmannRootsMatchW for the
		// check against a root search on W itself, as R does it). Beyond
		// the range of the differences the bound is clamped to its end.
		n := float64(n1 + n2)
		fmn := float64(mn)
		sigma := math.Sqrt(fmn / 12 * ((n + 1) - (tieTerm(x)+tieTerm(y))/(n*(n-1))))
		z := distuv.UnitNormal.Quantile(1 - alpha)
		if opts.Alternative == TwoSided {
			z = distuv.UnitNormal.Quantile(1 - alpha/2)
		}
		cc := 0.5
		if opts.NoContinuityCorrection {
			cc = 0
		}
		rank := func(t float64) (int64, bool) {
			k := math.Ceil(t)
			switch {
			case k < 1, k > fmn:
				return 0, true
			}
			return int64(k), false
		}
		ranks[2], lowFixed = rank(fmn/2 - z*sigma - cc)
		ranks[3], highFixed = rank(fmn/2 + z*sigma + cc)
	}
	if opts.Alternative == Less {
		ranks[2], lowFixed = 0, false
	}
	if opts.Alternative == Greater {
		ranks[3], highFixed = 0, false
	}
	d := kthDiffs(x, y, ranks)
	sh.Estimate = d[0]
	if ranks[1] != ranks[0] {
		sh.Estimate = (d[0] + d[1]) / 2
	}
	sh.Estimate = noNegZero(sh.Estimate)
	lo, hi := x[0]-y[n2-1], x[n1-1]-y[0]
	if method == Asymptotic && lo == hi {
		// Every difference is the same: the interval is that point.
		sh.Low, sh.High = lo, hi
		return sh, warn
	}
	switch {
	case lowFixed:
		sh.Low = noNegZero(lo)
	case ranks[2] > 0:
		sh.Low = noNegZero(d[2])
	}
	switch {
	case highFixed:
		sh.High = noNegZero(hi)
	case ranks[3] > 0:
		sh.High = noNegZero(d[3])
	}
	if lowInf, highInf := opts.Alternative != Less && math.IsInf(sh.Low, 0), opts.Alternative != Greater && math.IsInf(sh.High, 0); math.IsInf(sh.Estimate, 0) || lowInf || highInf {
		// Differences of finite values beyond the float64 maximum (1.5e308
		// against -1.5e308): the test stands, the size does not fit.
		warn = append(warn, fmt.Errorf("the shift is beyond the range of float64 (differences of values up to %v): the test's p-value stands; rescale the data to see the shift's size", max(math.Abs(x[0]), math.Abs(x[n1-1]), math.Abs(y[0]), math.Abs(y[n2-1]))))
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

// noNegZero turns −0 into +0, so that a shift of zero never prints as "-0".
func noNegZero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}
