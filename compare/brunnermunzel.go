package compare

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// BrunnerMunzel performs the Brunner-Munzel test of stochastic equality of
// experiment against control, as scipy 1.10's brunnermunzel.
//
// The null hypothesis is that a value drawn from the experiment is as likely
// to be larger as smaller than one drawn from the control: the relative
// effect
//
//	p = P(experiment > control) + P(experiment = control)/2
//
// is 1/2. Unlike MannWhitneyU, whose null is that the two distributions are
// the same, it allows different shapes and spreads under the null, so a
// fault that widens latency without moving its median does not by itself
// make it reject; it tests the direction of the difference, not whether
// one exists (KolmogorovSmirnov does that). The alternative is that p ≠ 1/2
// (TwoSided), p > 1/2 (Greater: the experiment tends to be greater) or
// p < 1/2 (Less).
//
// With the placements of each sample among the other (R_k the pooled
// midrank of value k, R_k^(i) its midrank within its own sample, R̄_i the
// mean of sample i's pooled ranks),
//
//	p̂ = U/(n1·n2),  S_i² = Σ_k (R_k − R_k^(i) − R̄_i + (n_i+1)/2)² / (n_i − 1)
//	se = √(S_1²/(n1·n2²) + S_2²/(n2·n1²)),  W = (p̂ − 1/2)/se
//	df = (n1·S_1² + n2·S_2²)² / ((n1·S_1²)²/(n1−1) + (n2·S_2²)²/(n2−1))
//
// Statistic is W, positive when the experiment tends to be greater: it is
// minus scipy's statistic, which is oriented the other way. Methods: Auto
// refers W to Student's t with df degrees of freedom (scipy's
// distribution='t', the default; DF reports df), Asymptotic to the standard
// normal (distribution='normal'; DF is NaN); there is no exact method
// (Exact is an error). P is in [0, 1], two-sided twice the smaller tail.
//
// Shift is the relative effect: Estimate is p̂ in [0, 1] (1/2: no
// tendency), with the interval p̂ ∓ q·se for q the t (or normal) quantile,
// clipped to [0, 1]; ControlLevel is 1/2, the relative effect of no
// difference.
//
// Each sample needs at least two values (ErrSampleSize). When the variance
// estimate is zero the statistic is undefined (scipy answers NaN, or a
// p-value of 0 with distribution='normal'): with every value equal P is 1
// with a warning; with the samples completely separated (every value of one
// above every value of the other) it is an error wrapping ErrZeroVariance
// that says to use Mann-Whitney's exact test.
//
// [1] Brunner, E. & Munzel, U. (2000). The nonparametric Behrens-Fisher
// problem: asymptotic theory and a small-sample approximation. Biometrical
// Journal 42(1), 17–25.
// [2] scipy.stats.brunnermunzel, scipy 1.10.
func BrunnerMunzel(experiment, control []float64, opts Options) (Result, error) {
	opts, s, res, err := begin("brunnermunzel", experiment, control, opts, 2)
	if err != nil {
		return Result{}, err
	}
	if opts.Method == Exact {
		return Result{}, fmt.Errorf("compare: brunnermunzel has no exact method: use auto (Student's t) or asymptotic (normal)")
	}
	x, y := s.x, s.y
	sortPair(x, y)
	n1, n2 := len(x), len(y)
	f1, f2 := float64(n1), float64(n2)
	res.ControlLevel = 0.5
	rs := mergeRanks(x, y)
	res.Statistic = math.NaN()
	pHat := rs.U / (f1 * f2)

	// The placement of each value among the other sample: R_k − R_k^(i) is
	// the number of the other sample's values below it, ties counting one
	// half. Both samples are sorted, so one merge gives them all.
	s1 := placementSS(x, y) / (f1 - 1)
	s2 := placementSS(y, x) / (f2 - 1)
	se := math.Sqrt(s1/(f1*f2*f2) + s2/(f2*f1*f1))
	v1, v2 := f1*s1, f2*s2
	df := (v1 + v2) * (v1 + v2) / (v1*v1/(f1-1) + v2*v2/(f2-1))

	method := Auto
	if opts.Method == Asymptotic {
		method = Asymptotic
	}
	res.Method = Asymptotic
	res.Shift = Shift{Estimate: pHat, Low: math.NaN(), High: math.NaN(), Confidence: opts.Confidence, Method: Asymptotic}
	if se == 0 {
		if rs.TieTerm == float64(n1+n2)*float64(n1+n2)*float64(n1+n2)-float64(n1+n2) {
			res.P = 1
			res.Statistic = 0
			res.Shift.Low, res.Shift.High = 0.5, 0.5
			res.Warnings = append(res.Warnings, fmt.Errorf("all %d values are equal: the samples carry no evidence of a difference (p = 1)", n1+n2))
			return res, nil
		}
		return Result{}, fmt.Errorf("compare: brunnermunzel: the samples are completely separated (relative effect %v), so the variance estimate is zero and the test is undefined: use mannwhitney, whose exact p-value applies: %w", pHat, ErrZeroVariance)
	}
	w := (pHat - 0.5) / se
	res.Statistic = w
	cdf, quantile := distuv.UnitNormal.CDF, distuv.UnitNormal.Quantile
	if method == Auto {
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
		cdf, quantile = t.CDF, t.Quantile
		res.DF = df
	}
	// scipy: p = cdf(−W) for its 'greater', the other tail for 'less'.
	switch opts.Alternative {
	case Greater:
		res.P = cdf(-w)
	case Less:
		res.P = cdf(w)
	default:
		res.P = 2 * math.Min(cdf(-w), cdf(w))
	}
	res.P = clamp01(res.P)

	alpha := 1 - opts.Confidence
	res.Shift.Low, res.Shift.High = math.Inf(-1), math.Inf(1)
	q := quantile(1 - alpha)
	if opts.Alternative == TwoSided {
		q = quantile(1 - alpha/2)
	}
	if opts.Alternative != Less {
		res.Shift.Low = math.Max(0, pHat-q*se)
	}
	if opts.Alternative != Greater {
		res.Shift.High = math.Min(1, pHat+q*se)
	}
	if min(n1, n2) < 10 && method == Auto {
		res.Warnings = append(res.Warnings, fmt.Errorf("with %d+%d points the t approximation of Brunner-Munzel is rough; collect at least 10 points per group", n1, n2))
	}
	return res, nil
}

// placementSS returns Σ_k (P_k − P̄)² over the values of sorted a, where
// P_k is the number of values of sorted b below a_k, ties counting one half.
func placementSS(a, b []float64) float64 {
	pl := make([]float64, len(a))
	lo, hi := 0, 0 // b[:lo] < v, b[:hi] <= v
	var mean float64
	for k, v := range a {
		for lo < len(b) && b[lo] < v {
			lo++
		}
		hi = max(hi, lo)
		for hi < len(b) && b[hi] <= v {
			hi++
		}
		pl[k] = float64(lo) + float64(hi-lo)/2
		mean += pl[k]
	}
	mean /= float64(len(a))
	var ss float64
	for _, p := range pl {
		ss += (p - mean) * (p - mean)
	}
	return ss
}
