package compare

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// MannWhitneyU performs the Mann-Whitney U test (Wilcoxon rank-sum test) of
// experiment against control.
//
// The null hypothesis is that a value drawn from the experiment is as likely
// to be larger as smaller than one drawn from the control
// (P(X > Y) = P(X < Y)). The alternative is that it differs (TwoSided), is
// larger (Greater: the experiment tends to be greater) or smaller (Less).
// The test makes no assumption about the shape of the distributions and is
// robust to outliers, which suits skewed latency and per-minute count data.
//
// Statistic is U of the experiment sample, in [0, n1·n2]:
//
//	U = R1 − n1(n1+1)/2
//
// where R1 is the sum of the experiment's ranks in the pooled sample (tied
// values get their average rank), i.e. the number of (experiment, control)
// pairs in which the experiment value is larger, ties counting one half. It
// equals scipy's mannwhitneyu(experiment, control).statistic and R's W.
//
// Methods. Exact uses the exact null distribution of U, which assumes no
// ties; with ties an Exact request falls back to Asymptotic with a warning.
// Auto is exact when there are no ties and min(n1, n2) ≤ 8, as scipy 1.10
// decides. Asymptotic is the normal approximation with tie and continuity
// corrections:
//
//	z = (U − n1n2/2 − s/2) / σ,  σ² = n1n2/12 · [(n+1) − Σ(t³−t) / (n(n−1))]
//
// with U the statistic of the tail being tested (U1 for Greater, n1n2 − U1
// for Less, the larger of the two for TwoSided, whose p-value is doubled),
// s = 1, and t the sizes of the tie groups. P is in [0, 1].
//
// Shift is the Hodges-Lehmann estimate of the shift experiment − control with
// its confidence interval (see HodgesLehmann); it is skipped (NaN) when
// opts.NoShift is set.
//
// Missing values (NaN) are left out with a warning; each sample needs at
// least one value (ErrSampleSize), and infinite values are an error
// (ErrNonFinite).
//
// The exact distribution is computed in O(min(n1, n2) · n1n2) time, so exact
// p-values stay cheap for samples of hundreds; the rank sum costs one radix
// sort of each sample and a merge.
//
// [1] Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two
// random variables is stochastically larger than the other. Ann. Math.
// Statist. 18(1), 50–60.
// [2] scipy.stats.mannwhitneyu, scipy 1.10.
func MannWhitneyU(experiment, control []float64, opts Options) (Result, error) {
	opts, s, res, err := begin("mannwhitney", experiment, control, opts, 1)
	if err != nil {
		return Result{}, err
	}
	x, y := s.x, s.y
	sortPair(x, y)
	res.ControlLevel = sortedMedian(y)
	n1, n2 := len(x), len(y)
	rs := mergeRanks(x, y)
	res.Statistic = rs.U

	method := opts.Method
	switch {
	case method == Auto && !rs.Ties && min(n1, n2) <= 8:
		method = Exact
	case method == Auto:
		method = Asymptotic
	case method == Exact && rs.Ties:
		method = Asymptotic
		res.Warnings = append(res.Warnings, fmt.Errorf("the samples share tied values, so the exact distribution does not apply: used the normal approximation with tie correction"))
	}
	res.Method = method

	mn := float64(n1) * float64(n2)
	u1, u2 := rs.U, mn-rs.U
	var u, factor float64
	switch opts.Alternative {
	case Greater:
		u, factor = u1, 1
	case Less:
		u, factor = u2, 1
	default:
		u, factor = math.Max(u1, u2), 2
	}
	if method == Exact {
		res.P = uSF(int(u), n1, n2)
	} else {
		n := float64(n1 + n2)
		sigma := math.Sqrt(mn / 12 * ((n + 1) - rs.TieTerm/(n*(n-1))))
		z := (u - mn/2 - 0.5) / sigma // −Inf when every value is tied: p = 1
		res.P = distuv.UnitNormal.CDF(-z)
	}
	res.P = clamp01(res.P * factor)

	if rs.TieTerm == (float64(n1+n2)*float64(n1+n2)*float64(n1+n2) - float64(n1+n2)) {
		res.Warnings = append(res.Warnings, fmt.Errorf("all %d values are equal: the samples carry no evidence of a difference (p = 1)", n1+n2))
	} else if rs.Ties && method == Asymptotic && min(n1, n2) <= 8 {
		res.Warnings = append(res.Warnings, fmt.Errorf("tied values with only %d+%d points: the normal approximation is rough; collect more points", n1, n2))
	}
	if w := minPWarning(n1, n2, opts); w != nil {
		res.Warnings = append(res.Warnings, w)
	}

	if opts.NoShift {
		res.Shift = nanShift(opts.Confidence)
		return res, nil
	}
	sh, warn := hodgesLehmannSorted(x, y, rs.Ties, opts)
	res.Shift = sh
	res.Warnings = append(res.Warnings, warn...)
	return res, nil
}

// minPWarning warns when no arrangement of the data could give a p-value
// significant at alpha: the smallest exact p-value of a rank test is 1/C(n1+n2, n1)
// one-sided and twice that two-sided.
func minPWarning(n1, n2 int, opts Options) error {
	alpha := AlphaFromConfidence(opts.Confidence)
	minP := func(a, b int) float64 {
		lc := lchoose(a+b, a)
		p := math.Exp(-lc)
		if lc < 20 {
			// C(a+b, a) < 5e8 rounds to the exact integer (exp's error
			// is far below 1/2 there), and 1/C is then the p-value the
			// exact test gives: 1/20 = 0.05 for 3+3, significant at 0.05.
			p = 1 / math.Round(math.Exp(lc))
		}
		if opts.Alternative == TwoSided {
			p *= 2
		}
		return p
	}
	p := minP(n1, n2)
	if Significant(p, alpha) {
		return nil
	}
	need := 1
	for !Significant(minP(need, need), alpha) {
		need++
	}
	return fmt.Errorf("with %d+%d points the smallest possible p-value is %.3g, above alpha %.3g: no difference can be detected; need at least %d points in each group", n1, n2, p, alpha, need)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// parallelSortMin is the pooled size above which the two samples are sorted
// concurrently.
const parallelSortMin = 1 << 16

// sortPair sorts x and y in place, concurrently when they are large.
func sortPair(x, y []float64) {
	if len(x)+len(y) < parallelSortMin {
		var scratch []uint64
		if m := max(len(x), len(y)); m >= radixMin {
			scratch = make([]uint64, m)
		}
		sortFloats(x, scratch)
		sortFloats(y, scratch)
		return
	}
	var wg sync.WaitGroup
	wg.Go(func() { sortFloats(x, nil) })
	sortFloats(y, nil)
	wg.Wait()
}

// sortedMedian returns the median of the sorted, non-empty xs.
func sortedMedian(xs []float64) float64 {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return xs[n/2-1]/2 + xs[n/2]/2 // halving is exact: no overflow near the float64 maximum
}

func nanShift(conf float64) Shift {
	return Shift{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN(), Confidence: conf}
}
