package compare

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ErrZeroVariance is returned by WelchT when both samples are constant, so
// that the t statistic is undefined. It wraps series.ErrTooLittleData:
// the standard error is estimated from the samples' spread, and constant
// samples hold none to estimate it from (more data, or Mann-Whitney,
// answers).
var ErrZeroVariance = series.TooLittleData("both samples are constant")

// WelchT performs Welch's unequal-variances t test of experiment against
// control.
//
// The null hypothesis is that the two population means are equal; the
// alternative is that they differ (TwoSided), that the experiment's mean is
// greater (Greater) or less (Less). The test assumes the sample means are
// approximately normal (true for large samples by the central limit
// theorem) but not that the variances are equal:
//
//	t  = (x̄ − ȳ) / √(s_x²/n_x + s_y²/n_y)
//	df = (s_x²/n_x + s_y²/n_y)² / [(s_x²/n_x)²/(n_x−1) + (s_y²/n_y)²/(n_y−1)]
//
// (Welch–Satterthwaite). Statistic is t, DF is df (which may be
// fractional), P is from Student's t distribution with df degrees of
// freedom. Shift is the difference of means x̄ − ȳ with its confidence
// interval
//
//	x̄ − ȳ ± t_{1−α/2, df} · √(s_x²/n_x + s_y²/n_y)
//
// (one-sided intervals use t_{1−α} and an infinite bound), which is R's
// t.test(experiment, control). The method is always Asymptotic in the
// sense that it relies on the t approximation; opts.Method is ignored.
//
// Each sample needs at least two values (ErrSampleSize). When both samples
// are constant t is undefined and the error is ErrZeroVariance.
//
// [1] Welch, B. L. (1947). The generalization of "Student's" problem when
// several different population variances are involved. Biometrika 34,
// 28–35.
// [2] scipy.stats.ttest_ind(equal_var=False), scipy 1.10; R t.test.
func WelchT(experiment, control []float64, opts Options) (Result, error) {
	opts, s, res, err := beginView("welch", experiment, control, opts, 2)
	if err != nil {
		return Result{}, err
	}
	nx, ny := float64(len(s.x)), float64(len(s.y))
	mx, vx, my, vy, scale := welchMoments(s.x, s.y)
	ax, ay := vx/nx, vy/ny
	se := math.Sqrt(ax + ay)
	if se == 0 {
		return Result{}, fmt.Errorf("compare: welch: every experiment value is %v and every control value is %v: %w; Welch's t is undefined, use Mann-Whitney", s.x[0], s.y[0], ErrZeroVariance)
	}
	diff := mx - my
	t := diff / se
	df := (ax + ay) * (ax + ay) / (ax*ax/(nx-1) + ay*ay/(ny-1))
	// t and df do not depend on the scale; the shift, its interval and the
	// control's level are in the data's units.
	diff, se, my = diff*scale, se*scale, my*scale
	if math.IsInf(diff, 0) || math.IsInf(se, 0) {
		return Result{}, fmt.Errorf("compare: welch: the difference of the means or its standard error is beyond the range of float64 (values up to %v): rescale the data", max(floats.Max(s.x), -floats.Min(s.x), floats.Max(s.y), -floats.Min(s.y)))
	}
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}

	res.Method = Asymptotic
	res.ControlLevel = my
	res.Statistic = t
	res.DF = df
	alpha := 1 - opts.Confidence
	sh := Shift{Estimate: diff, Low: math.Inf(-1), High: math.Inf(1), Confidence: opts.Confidence, Method: Asymptotic}
	switch opts.Alternative {
	case Greater:
		res.P = dist.CDF(-t)
		sh.Low = diff - dist.Quantile(1-alpha)*se
	case Less:
		res.P = dist.CDF(t)
		sh.High = diff + dist.Quantile(1-alpha)*se
	default:
		res.P = 2 * dist.CDF(-math.Abs(t))
		q := dist.Quantile(1 - alpha/2)
		sh.Low, sh.High = diff-q*se, diff+q*se
	}
	res.P = clamp01(res.P)
	res.Shift = sh
	if scale < 0x1p-1022 {
		res.Warnings = append(res.Warnings, fmt.Errorf("the values are subnormal (below %v): t and the p-value are computed on the data scaled up, but the shift and its interval in the data's units keep only a few digits; rescale the data to read them", 0x1p-1022))
	}
	if vx == 0 || vy == 0 {
		side := "experiment"
		if vy == 0 {
			side = "control"
		}
		res.Warnings = append(res.Warnings, fmt.Errorf("the %s sample is constant (zero variance): the test rests on the other sample's spread alone; check the metric is not stuck", side))
	}
	return res, nil
}

// welchMoments returns the means and variances of x and y divided by
// scale: 1 when they are finite as computed, else (or when every value is
// below 2^-400 in magnitude) the largest magnitude in x and y, so that
// values near the float64 maximum (whose sums overflow) still give a t
// statistic instead of NaN, and denormal values are not taken as constant.
func welchMoments(x, y []float64) (mx, vx, my, vy, scale float64) {
	mx, vx = stat.MeanVariance(x, nil)
	my, vy = stat.MeanVariance(y, nil)
	scale = max(floats.Max(x), -floats.Min(x), floats.Max(y), -floats.Min(y))
	// Squares of values below 2^-400 underflow towards 0 (denormal values
	// would look constant), sums near the maximum overflow: both scaled.
	if finite(mx, vx, my, vy, vx/float64(len(x))+vy/float64(len(y))) && (scale == 0 || scale > 0x1p-400) {
		return mx, vx, my, vy, 1
	}
	div := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i, a := range v {
			out[i] = a / scale
		}
		return out
	}
	mx, vx = stat.MeanVariance(div(x), nil)
	my, vy = stat.MeanVariance(div(y), nil)
	return mx, vx, my, vy, scale
}

// finite reports whether every x is neither NaN nor infinite.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
