package compare

import (
	"errors"
	"fmt"
	"math"
)

// ErrConstantCovariate is returned by CUPED when the covariate has no
// variance over the pairs used: θ = cov(Y, X)/var(X) is undefined.
var ErrConstantCovariate = errors.New("covariate is constant")

// CUPEDResult describes a CUPED adjustment.
type CUPEDResult struct {
	// Theta is the regression coefficient θ = cov(Y, X)/var(X), pooled
	// over both groups.
	Theta float64
	// MeanX is the pooled mean of the covariate, the point the
	// adjustment is centred on.
	MeanX float64
	// Correlation is Pearson's ρ between Y and X over the pooled pairs.
	Correlation float64
	// VarianceReduction is the share of the variance of the difference
	// in means that the adjustment removed, in [0, 1] in practice (it can
	// be slightly negative when the covariate is useless):
	//
	//	1 − (s²_adjE/nE + s²_adjC/nC) / (s²_E/nE + s²_C/nC)
	//
	// with s² the sample variances of the adjusted and unadjusted values.
	// In expectation it is about ρ² (the within-group correlation).
	VarianceReduction float64
	// NExperiment and NControl are the pairs used in each group.
	NExperiment, NControl int
	// Warnings say where the adjustment is weak: pairs left out because a
	// value or the covariate is missing, a weak covariate.
	Warnings []error
}

func (r CUPEDResult) String() string {
	return fmt.Sprintf("theta=%.4g rho=%.3f variance reduction=%.1f%% n=%d+%d", r.Theta, r.Correlation, 100*r.VarianceReduction, r.NExperiment, r.NControl)
}

// CUPED adjusts both groups' values with a covariate measured before the
// experiment, typically each group's own values at the same time last
// week, and returns the adjusted values for the comparison tests
// (Deng, Xu, Kohavi & Walker 2013 [1]):
//
//	θ     = cov(Y, X) / var(X)        over the pairs of both groups pooled
//	Y'_i  = Y_i − θ·(X_i − X̄)          X̄ the pooled mean of X
//
// Because the covariate is not affected by the experiment, E[X̄_E − X̄_C] =
// 0 and the difference in means is unchanged in expectation, E[Ȳ'_E −
// Ȳ'_C] = E[Ȳ_E − Ȳ_C]; its variance shrinks by the factor 1 − ρ², ρ the
// correlation of Y and X. So the tests (MannWhitneyU, WelchT, ...) run on
// adjE and adjC answer the same question with less noise. A covariate that
// the fault can move (this week's values of another metric under the same
// fault) would bias the shift: use values from before the experiment.
//
// yE, xE are the experiment group's values and covariates, yC, xC the
// control's; each pair must have equal lengths. A pair whose value or
// covariate is missing (NaN) is left out of θ and X̄ with a warning, and its
// adjusted value is NaN, so adjE and adjC stay aligned with yE and yC (the
// tests leave NaN out, with their own warning). CUPED returns an error for
// lengths that differ, infinite values, fewer than 2 complete pairs in a
// group (ErrSampleSize), and a covariate that is constant over the pairs
// (ErrConstantCovariate).
//
// [1] A. Deng, Y. Xu, R. Kohavi, T. Walker, "Improving the sensitivity of
// online controlled experiments by utilizing pre-experiment data", WSDM
// 2013, pp. 123–132, sections 3.2 and 3.3.
func CUPED(yE, xE, yC, xC []float64) (adjE, adjC []float64, r CUPEDResult, err error) {
	if len(yE) != len(xE) {
		return nil, nil, r, fmt.Errorf("compare: cuped: experiment has %d values but %d covariates; want one covariate per value", len(yE), len(xE))
	}
	if len(yC) != len(xC) {
		return nil, nil, r, fmt.Errorf("compare: cuped: control has %d values but %d covariates; want one covariate per value", len(yC), len(xC))
	}
	for _, g := range []struct {
		name string
		xs   []float64
	}{{"experiment values", yE}, {"experiment covariates", xE}, {"control values", yC}, {"control covariates", xC}} {
		for i, v := range g.xs {
			if math.IsInf(v, 0) {
				return nil, nil, r, fmt.Errorf("compare: cuped: %s[%d] is %v; infinite values are not allowed", g.name, i, v)
			}
		}
	}
	dropped := [2]int{}
	var n [2]int
	var sx, sy float64
	groups := [2][2][]float64{{yE, xE}, {yC, xC}}
	for g, p := range groups {
		for i := range p[0] {
			if math.IsNaN(p[0][i]) || math.IsNaN(p[1][i]) {
				dropped[g]++
				continue
			}
			n[g]++
			sy += p[0][i]
			sx += p[1][i]
		}
	}
	r.NExperiment, r.NControl = n[0], n[1]
	for g, name := range []string{"experiment", "control"} {
		if n[g] < 2 {
			return nil, nil, r, fmt.Errorf("compare: cuped: %s has %d complete (value, covariate) pairs, need at least 2: %w", name, n[g], ErrSampleSize)
		}
	}
	N := float64(n[0] + n[1])
	mx, my := sx/N, sy/N
	// Two-pass sums about the pooled means, for accuracy.
	var sxx, syy, sxy float64
	for _, p := range groups {
		for i := range p[0] {
			y, x := p[0][i], p[1][i]
			if math.IsNaN(y) || math.IsNaN(x) {
				continue
			}
			dx, dy := x-mx, y-my
			sxx += dx * dx
			syy += dy * dy
			sxy += dx * dy
		}
	}
	if sxx == 0 || sxx <= 1e-28*N*mx*mx {
		return nil, nil, r, fmt.Errorf("compare: cuped: the covariate is %v in every one of the %d pairs: %w", mx, n[0]+n[1], ErrConstantCovariate)
	}
	r.Theta = sxy / sxx
	r.MeanX = mx
	r.Correlation = math.NaN()
	if syy > 0 {
		r.Correlation = sxy / math.Sqrt(sxx*syy)
	}

	adjust := func(y, x []float64) []float64 {
		out := make([]float64, len(y))
		for i := range y {
			if math.IsNaN(y[i]) || math.IsNaN(x[i]) {
				out[i] = math.NaN()
				continue
			}
			out[i] = y[i] - r.Theta*(x[i]-mx)
		}
		return out
	}
	adjE, adjC = adjust(yE, xE), adjust(yC, xC)

	before := varPresent(yE, xE)/float64(n[0]) + varPresent(yC, xC)/float64(n[1])
	after := varPresent(adjE, xE)/float64(n[0]) + varPresent(adjC, xC)/float64(n[1])
	r.VarianceReduction = math.NaN()
	if before > 0 {
		r.VarianceReduction = 1 - after/before
	}

	for g, name := range []string{"experiment", "control"} {
		if dropped[g] > 0 {
			r.Warnings = append(r.Warnings, fmt.Errorf("%s: %d of %d pairs have a missing value or covariate (NaN) and were left out; their adjusted values are NaN", name, dropped[g], dropped[g]+n[g]))
		}
	}
	if !(math.Abs(r.Correlation) >= 0.1) {
		r.Warnings = append(r.Warnings, fmt.Errorf("the covariate is barely correlated with the metric (rho = %.3f): CUPED removes almost no variance; check that the covariate is the same metric at the same times last week", r.Correlation))
	}
	return adjE, adjC, r, nil
}

// varPresent is the sample variance (n − 1) of y over the indexes where
// neither y nor x is NaN.
func varPresent(y, x []float64) float64 {
	var s float64
	n := 0
	for i := range y {
		if !math.IsNaN(y[i]) && !math.IsNaN(x[i]) {
			s += y[i]
			n++
		}
	}
	m := s / float64(n)
	var ss float64
	for i := range y {
		if !math.IsNaN(y[i]) && !math.IsNaN(x[i]) {
			d := y[i] - m
			ss += d * d
		}
	}
	return ss / float64(n-1)
}
