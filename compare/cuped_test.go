package compare

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// TestCUPEDReference checks θ, the pooled mean, ρ, the variance reduction
// and every adjusted value against numpy 1.24 (Debian's /usr/bin/python3):
//
//	yE=np.array([12.0,15,11,18,14]); xE=np.array([10.0,14,9,17,12])
//	yC=np.array([10.0,13,9,16,11,12]); xC=np.array([9.0,13,10,15,11,12])
//	y=np.concatenate([yE,yC]); x=np.concatenate([xE,xC])
//	theta=np.cov(y,x)[0,1]/np.var(x,ddof=1); mx=x.cupedMean()
//	aE=yE-theta*(xE-mx); aC=yC-theta*(xC-mx); rho=np.corrcoef(y,x)[0,1]
//	vr=1-(aE.var(ddof=1)/5+aC.var(ddof=1)/6)/(yE.var(ddof=1)/5+yC.var(ddof=1)/6)
func TestCUPEDReference(t *testing.T) {
	yE := []float64{12, 15, 11, 18, 14}
	xE := []float64{10, 14, 9, 17, 12}
	yC := []float64{10, 13, 9, 16, 11, 12}
	xC := []float64{9, 13, 10, 15, 11, 12}
	adjE, adjC, r, err := CUPED(yE, xE, yC, xC)
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "theta", r.Theta, 0.9848484848484848, 1e-13, 0)
	approx.Close(t, "mean x", r.MeanX, 12.0, 1e-13, 0)
	approx.Close(t, "rho", r.Correlation, 0.9323848796425261, 1e-13, 0)
	approx.Close(t, "variance reduction", r.VarianceReduction, 0.9414272596090778, 1e-12, 0)
	wantE := []float64{13.969696969696969, 13.030303030303031, 13.954545454545453, 13.075757575757576, 14.0}
	wantC := []float64{12.954545454545453, 12.015151515151516, 10.969696969696969, 13.045454545454547, 11.984848484848484, 12.0}
	for i := range wantE {
		approx.Close(t, "adjE", adjE[i], wantE[i], 1e-13, 0)
	}
	for i := range wantC {
		approx.Close(t, "adjC", adjC[i], wantC[i], 1e-13, 0)
	}
	if r.NExperiment != 5 || r.NControl != 6 || len(r.Warnings) != 0 {
		t.Errorf("n %d+%d warnings %v, want 5+6 and none", r.NExperiment, r.NControl, r.Warnings)
	}
	if got := r.String(); got != "theta=0.9848 rho=0.932 variance reduction=94.1% n=5+6" {
		t.Errorf("String() = %q", got)
	}
}

// TestCUPEDMissing: a pair with a missing value or covariate is left out of
// θ with a warning and its adjusted value is NaN; the rest equals the
// adjustment of the complete pairs alone.
func TestCUPEDMissing(t *testing.T) {
	yE := []float64{12, 15, math.NaN(), 11, 18, 14}
	xE := []float64{10, 14, 3, 9, 17, 12}
	yC := []float64{10, 13, 9, 16, 11, 12, 40}
	xC := []float64{9, 13, 10, 15, 11, 12, math.NaN()}
	adjE, adjC, r, err := CUPED(yE, xE, yC, xC)
	if err != nil {
		t.Fatal(err)
	}
	if len(adjE) != 6 || len(adjC) != 7 || !math.IsNaN(adjE[2]) || !math.IsNaN(adjC[6]) {
		t.Fatalf("adjE %v adjC %v: want aligned with the input, NaN at the incomplete pairs", adjE, adjC)
	}
	// Same numbers as TestCUPEDReference, whose data are the complete pairs.
	approx.Close(t, "theta", r.Theta, 0.9848484848484848, 1e-13, 0)
	approx.Close(t, "adjE[5]", adjE[5], 14.0, 1e-13, 0)
	if r.NExperiment != 5 || r.NControl != 6 || len(r.Warnings) != 2 ||
		!strings.Contains(r.Warnings[0].Error(), "experiment: 1 of 6 pairs") || !strings.Contains(r.Warnings[1].Error(), "control: 1 of 7 pairs") {
		t.Errorf("n %d+%d warnings %v, want 5+6 and one warning a group", r.NExperiment, r.NControl, r.Warnings)
	}
}

func TestCUPEDErrors(t *testing.T) {
	ok := []float64{1, 2, 3}
	cases := []struct {
		name, reason   string
		yE, xE, yC, xC []float64
		is             error
		want           string
	}{
		{"length_e", "one covariate per value", ok, []float64{1, 2}, ok, ok, nil, "experiment has 3 values but 2 covariates"},
		{"length_c", "one covariate per value", ok, ok, []float64{1}, ok, nil, "control has 1 values but 3 covariates"},
		{"constant", "θ divides by var(X)", ok, []float64{4, 4, 4}, ok, []float64{4, 4, 4}, ErrConstantCovariate, "covariate is 4 in every one of the 6 pairs"},
		{"few", "one complete pair in a group is too few", ok, ok, []float64{1, math.NaN()}, []float64{1, 2}, ErrSampleSize, "control has 1 complete"},
		{"inf", "infinite values are bad input", []float64{1, math.Inf(1), 3}, ok, ok, ok, nil, "experiment values[1] is +Inf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, _, err := CUPED(c.yE, c.xE, c.yC, c.xC)
			if err == nil || !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
				t.Errorf("%s: err %v, want %q (is %v)", c.reason, err, c.want, c.is)
			}
		})
	}
	// A useless covariate runs, with a warning.
	rng := rand.New(rand.NewPCG(1, 2))
	y, x := make([]float64, 200), make([]float64, 200)
	for i := range y {
		y[i], x[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	_, _, r, err := CUPED(y[:100], x[:100], y[100:], x[100:])
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Correlation) < 0.1 && (len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Error(), "barely correlated")) {
		t.Errorf("rho %v warnings %v: want a weak-covariate warning", r.Correlation, r.Warnings)
	}
}

// TestCUPEDSimulation is the "must show": when last week's value
// explains most of the variance (within-group correlation ρ = 0.9), CUPED
// removes 1 − (1 − ρ²) = ρ² = 81% of the variance of the difference in
// means, and keeps the difference unbiased.
//
// Model, per replicate: n = 100 per group, X ~ N(10, 2²) last week,
// Y = 10 + δ·[experiment] + ρ(X − 10) + √(1−ρ²)·2·ε, ε ~ N(0, 1), so
// Var(Y | group) = 4 and corr(X, Y) = ρ. R = 2000 replicates each for
// δ = 0.5 and δ = 0 (A/A). Tolerances, stated:
//   - the variance of Δ' = Ȳ'_E − Ȳ'_C across replicates is within
//     3.5·√(2/(R−1)) (the relative standard error of a sample variance of
//     normal draws) plus 2/N for estimating θ (N = 200 pairs) of its
//     theoretical value 4(1 − ρ²)(1/100 + 1/100);
//   - the achieved reduction 1 − Var(Δ')/Var(Δ) is within
//     3.5·√(4/(R−1))·(1 − ρ²) plus 2/N of ρ² (the relative standard error
//     of a ratio of two independent sample variances; these two are
//     positively correlated, so it is smaller);
//   - the mean reported VarianceReduction is within 3.5 standard errors
//     (its sd across replicates / √R) plus 2/N of ρ²;
//   - the mean of Δ' − δ is within 3.5·sd(Δ')/√R of 0 (unbiased);
//   - Welch's t on the adjusted values rejects A/A at 5% within 3.5
//     binomial standard errors, and finds δ = 0.5 (z ≈ 4 after adjustment,
//     1.8 before) in at least 95% of replicates.
func TestCUPEDSimulation(t *testing.T) {
	const (
		R   = 2000
		n   = 100
		rho = 0.9
		sd  = 2.0
	)
	rng := rand.New(rand.NewPCG(1, 2))
	sim := func(delta float64) (dAdj, dRaw, vr []float64, rejAdj, rejRaw int) {
		yE, xE, yC, xC := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		draw := func(y, x []float64, mu float64) {
			for i := range y {
				zx := rng.NormFloat64()
				x[i] = 10 + sd*zx
				y[i] = mu + rho*sd*zx + math.Sqrt(1-rho*rho)*sd*rng.NormFloat64()
			}
		}
		for range R {
			draw(yE, xE, 10+delta)
			draw(yC, xC, 10)
			aE, aC, r, err := CUPED(yE, xE, yC, xC)
			if err != nil {
				t.Fatal(err)
			}
			dAdj = append(dAdj, cupedMean(aE)-cupedMean(aC))
			dRaw = append(dRaw, cupedMean(yE)-cupedMean(yC))
			vr = append(vr, r.VarianceReduction)
			ra, err := WelchT(aE, aC, Options{NoShift: true})
			if err != nil {
				t.Fatal(err)
			}
			rr, err := WelchT(yE, yC, Options{NoShift: true})
			if err != nil {
				t.Fatal(err)
			}
			if ra.P < 0.05 {
				rejAdj++
			}
			if rr.P < 0.05 {
				rejRaw++
			}
		}
		return
	}

	dAdj, dRaw, vr, rejAdj, rejRaw := sim(0.5)
	N := 2.0 * n
	wantVar := sd * sd * (1 - rho*rho) * (2.0 / n)
	tolVar := 3.5*math.Sqrt(2.0/(R-1)) + 2/N
	approx.Close(t, "variance of the adjusted difference", cupedVar(dAdj), wantVar, tolVar, 0)
	approx.Close(t, "variance of the raw difference", cupedVar(dRaw), sd*sd*2.0/n, 3.5*math.Sqrt(2.0/(R-1)), 0)
	approx.Close(t, "achieved variance reduction", 1-cupedVar(dAdj)/cupedVar(dRaw), rho*rho, 0, 3.5*math.Sqrt(4.0/(R-1))*(1-rho*rho)+2/N)
	approx.Close(t, "mean reported variance reduction", cupedMean(vr), rho*rho, 0, 3.5*math.Sqrt(cupedVar(vr)/R)+2/N)
	approx.Close(t, "mean adjusted difference - delta", cupedMean(dAdj)-0.5, 0, 0, 3.5*math.Sqrt(cupedVar(dAdj)/R))
	if float64(rejAdj)/R < 0.95 || rejAdj <= rejRaw {
		t.Errorf("power at delta 0.5: adjusted %d/%d, raw %d/%d; want adjusted >= 95%% and above raw", rejAdj, R, rejRaw, R)
	}
	t.Logf("delta 0.5: var ratio %.4f (want %.4f), mean reported reduction %.4f, power adjusted %.3f raw %.3f",
		cupedVar(dAdj)/cupedVar(dRaw), 1-rho*rho, cupedMean(vr), float64(rejAdj)/R, float64(rejRaw)/R)

	dAdj, _, _, rejAdj, _ = sim(0)
	approx.Close(t, "A/A mean adjusted difference", cupedMean(dAdj), 0, 0, 3.5*math.Sqrt(cupedVar(dAdj)/R))
	approx.Close(t, "A/A false-positive rate on adjusted values", float64(rejAdj)/R, 0.05, 0, 3.5*math.Sqrt(0.05*0.95/R))
	t.Logf("A/A: false-positive rate on adjusted values %.4f", float64(rejAdj)/R)
}

func cupedMean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func cupedVar(xs []float64) float64 {
	m := cupedMean(xs)
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return s / float64(len(xs)-1)
}
