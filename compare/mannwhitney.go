package compare

import (
	"fmt"
	"math"
	"slices"
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
// Methods. Exact uses the exact permutation distribution of U given the
// tie pattern of the pooled sample (every choice of which values are the
// experiment's equally likely, ties counted as they are), so a p-value never
// falls below what an arrangement can reach: {−1, −1, −1} against {1, 1, 1}
// gives 0.1, not the approximation's 0.047. Greater is P(U ≥ U1), Less
// P(U ≤ U1), and TwoSided twice the smaller of the two, capped at 1 (as
// go-moremath and benchmath; without ties this is scipy's exact p-value).
// Asymptotic is the normal approximation with tie and continuity
// corrections:
//
//	z = (U − n1n2/2 − s/2) / σ,  σ² = n1n2/12 · [(n+1) − Σ(t³−t) / (n(n−1))]
//
// with U the statistic of the tail being tested (U1 for Greater, n1n2 − U1
// for Less, the larger of the two for TwoSided, whose p-value is doubled),
// s = 1 (0 with opts.NoContinuityCorrection, as scipy's
// use_continuity=False and R's correct = FALSE), and t the sizes of the tie
// groups. Auto is Exact when the exact distribution is affordable: its work
// bound is at most 2^16 cells, which without ties holds up to 50+50 and
// with ties up to about 20+20 to 25+25 (tens of microseconds; see
// exactCost and BENCHMARKS.md), and Asymptotic beyond. An Exact request is
// honoured without ties at any size and with ties up to 2^28 cells; beyond
// it falls back with a warning. P is in [0, 1].
//
// Shift is the Hodges-Lehmann estimate of the shift experiment − control with
// its confidence interval (see HodgesLehmann); it is skipped (NaN) when
// opts.NoShift is set.
//
// Missing values (NaN) are left out with a warning; each sample needs at
// least one value (ErrSampleSize), and infinite values are an error
// (ErrNonFinite).
//
// Without ties the exact distribution is computed in O(min(n1, n2) · n1n2)
// time, so exact p-values stay cheap for samples of hundreds; with ties a
// dynamic programme over the tie groups takes about 0.2 to 0.8 ms at 50+50
// (exactties.go). The rank sum costs one radix sort of each sample and a
// merge.
//
// [1] Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two
// random variables is stochastically larger than the other. Ann. Math.
// Statist. 18(1), 50–60.
// [2] scipy.stats.mannwhitneyu, scipy 1.10.
// [3] Klotz, J. H. (1966). The Wilcoxon, ties, and the computer. J. Amer.
// Statist. Assoc. 61, 772–787.
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

	var groups []int // the tie groups matter only when there are ties
	if rs.Ties {
		groups = tieGroups(x, y)
	}
	method, warn := uMethod(opts.Method, groups, n1, n2, rs.Ties)
	res.Method = method
	res.Warnings = append(res.Warnings, warn...)

	mn := float64(n1) * float64(n2)
	u1, u2 := rs.U, mn-rs.U
	switch {
	case method == Exact && rs.Ties:
		res.P = tiedUP(groups, n1, n2, u1, opts.Alternative)
	case method == Exact:
		var u, factor float64
		switch opts.Alternative {
		case Greater:
			u, factor = u1, 1
		case Less:
			u, factor = u2, 1
		default:
			u, factor = math.Max(u1, u2), 2
		}
		res.P = clamp01(uSF(int(u), n1, n2) * factor)
	default:
		res.P = uAsymptoticP(u1, n1, n2, rs.TieTerm, opts)
	}

	if rs.TieTerm == (float64(n1+n2)*float64(n1+n2)*float64(n1+n2) - float64(n1+n2)) {
		res.Warnings = append(res.Warnings, fmt.Errorf("all %d values are equal: the samples carry no evidence of a difference (p = 1)", n1+n2))
	} else if rs.Ties && method == Asymptotic && min(n1, n2) <= 8 {
		res.Warnings = append(res.Warnings, fmt.Errorf("tied values with only %d+%d points: the normal approximation is rough; use the exact method", n1, n2))
	}
	if w := minPWarningTies(groups, n1, n2, rs.Ties, opts); w != nil {
		res.Warnings = append(res.Warnings, w)
	}

	if opts.NoShift {
		res.Shift = nanShift(opts.Confidence)
		return res, nil
	}
	// The interval follows the test: exact when the p-value is.
	hlOpts := opts
	hlOpts.Method = method
	sh, warn := hodgesLehmannSorted(x, y, rs.Ties, hlOpts)
	res.Shift = sh
	res.Warnings = append(res.Warnings, warn...)
	return res, nil
}

// uAsymptoticP is the normal approximation's p-value for the U of the
// experiment, u1, with the tie correction and, unless
// opts.NoContinuityCorrection, the continuity correction, as scipy's
// mannwhitneyu(method='asymptotic', use_continuity) and R's
// wilcox.test(exact = FALSE, correct) compute it.
func uAsymptoticP(u1 float64, n1, n2 int, tieTerm float64, opts Options) float64 {
	mn := float64(n1) * float64(n2)
	var u, factor float64
	switch opts.Alternative {
	case Greater:
		u, factor = u1, 1
	case Less:
		u, factor = mn-u1, 1
	default:
		u, factor = math.Max(u1, mn-u1), 2
	}
	cc := 0.5
	if opts.NoContinuityCorrection {
		cc = 0
	}
	n := float64(n1 + n2)
	sigma := math.Sqrt(mn / 12 * ((n + 1) - tieTerm/(n*(n-1))))
	z := (u - mn/2 - cc) / sigma // −Inf when every value is tied: p = 1
	if sigma == 0 {
		return 1 // every value tied (0/0 without the correction)
	}
	return clamp01(distuv.UnitNormal.CDF(-z) * factor)
}

// tiedUP is the exact p-value of the U of the experiment, u1, given the tie
// groups: P(U ≥ u1) for Greater, P(U ≤ u1) for Less, and for TwoSided twice
// the smaller of the two, capped at 1 (as go-moremath and benchmath double
// the smaller tail). The tail on the side of the mean n1n2/2 where u1 lies
// is computed first: when it is below 1/2 it is the smaller one, since the
// two tails sum to 1 + P(U = u1).
func tiedUP(groups []int, n1, n2 int, u1 float64, alt Alternative) float64 {
	switch alt {
	case Greater:
		return tiedUUpper(groups, n1, n2, u1)
	case Less:
		return tiedULower(groups, n1, n2, u1)
	}
	near, far := tiedULower, tiedUUpper
	if 2*u1 > float64(n1)*float64(n2) {
		near, far = far, near
	}
	p := near(groups, n1, n2, u1)
	if p >= 0.5 {
		p = min(p, far(groups, n1, n2, u1))
	}
	return clamp01(2 * p)
}

// exactBudget is the work, in cells of the exact distribution's dynamic
// programme, up to which Auto uses the exact distribution (see uMethod);
// tens of microseconds (BENCHMARKS.md).
const exactBudget = 1 << 16

// exactTiesLimit is the work beyond which even an Exact request with ties
// falls back to the normal approximation, with a warning: the states of the
// dynamic programme would take more memory than a comparison should.
const exactTiesLimit = 1 << 28

// uMethod resolves the method of the Mann-Whitney test (and of its
// Hodges-Lehmann interval) for samples of sizes n1 and n2 with the given tie
// groups. Auto is Exact when the exact distribution is affordable: its work
// (exactCost) is at most exactBudget. An Exact request is honoured without
// ties at any size, and with ties up to exactTiesLimit.
func uMethod(m Method, groups []int, n1, n2 int, ties bool) (Method, []error) {
	switch m {
	case Auto:
		if exactCost(groups, n1, n2, ties, exactBudget) <= exactBudget {
			return Exact, nil
		}
		return Asymptotic, nil
	case Exact:
		if ties && exactCost(groups, n1, n2, ties, exactTiesLimit) > exactTiesLimit {
			return Asymptotic, []error{fmt.Errorf("with %d+%d tied points the exact distribution is too large to compute: used the normal approximation with tie correction", n1, n2)}
		}
	}
	return m, nil
}

// exactCost returns the work of the exact distribution of U, or a number
// above limit as soon as the work exceeds it. Without ties it is the
// O(min(n1, n2)·n1n2/2) of uCDF; with ties the number of states of
// tiedTail's dynamic programme with no pruning by the tail, each weighted by
// the size of the group that leads to it (plus one):
//
//	Σ over group boundaries b, Σ over k: (t+1)·(min(2k(b−k), 2(n1−k)(n2−b+k)) + 1)
//
// which bounds the work of any tail.
func exactCost(groups []int, n1, n2 int, ties bool, limit int) int {
	if !ties {
		c := float64(min(n1, n2)) * float64(n1) * float64(n2) / 2
		if c > float64(limit) {
			return limit + 1
		}
		return int(c)
	}
	cost, b := 0, 0
	for _, t := range groups {
		b += t
		for k := max(0, b-n2); k <= min(b, n1); k++ {
			y, r := b-k, n1-k
			cost += (t + 1) * (min(2*k*y, 2*r*(n2-y)) + 1)
			if cost > limit {
				return limit + 1
			}
		}
	}
	return cost
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

// minPWarningTies is minPWarning with the tie pattern taken into account:
// tied values leave fewer distinct arrangements, so the smallest exact
// p-value is P(U = its least value) (or greatest), not 1/C(n1+n2, n1). For
// {−1, −1, −1} against {1, 1, 1} it is 1/20, twice that two-sided: 0.1.
func minPWarningTies(groups []int, n1, n2 int, ties bool, opts Options) error {
	w := minPWarning(n1, n2, opts)
	if !ties || w != nil {
		return w
	}
	rev := slices.Clone(groups)
	slices.Reverse(rev)
	lo, hi := extremeUP(groups, n1), extremeUP(rev, n1)
	var p float64
	switch opts.Alternative {
	case Greater:
		p = hi
	case Less:
		p = lo
	default:
		p = min(1, 2*min(lo, hi))
	}
	alpha := AlphaFromConfidence(opts.Confidence)
	if Significant(p, alpha) {
		return nil
	}
	return fmt.Errorf("with %d+%d points and these ties the smallest possible p-value is %.3g, above alpha %.3g: no difference can be detected; collect more points or measure with a finer resolution", n1, n2, p, alpha)
}

// extremeUP returns P(U = its least value) under the permutation null given
// the tie groups: the least U puts the experiment's n1 values lowest, which
// fills whole groups and at most one group in part, with t values of which
// k are the experiment's. Any arrangement moving a value higher raises U, so
// the probability is C(t, k)/C(n1+n2, n1).
func extremeUP(groups []int, n1 int) float64 {
	n, left := 0, n1
	t, k := 1, 0
	for _, g := range groups {
		n += g
		if left > 0 && left < g {
			t, k = g, left
		}
		left -= min(left, g)
	}
	if lchoose(n, n1) < 20 {
		// Both binomials are below 5e8 and round to exact integers.
		return math.Round(math.Exp(lchoose(t, k))) / math.Round(math.Exp(lchoose(n, n1)))
	}
	return math.Exp(lchoose(t, k) - lchoose(n, n1))
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
