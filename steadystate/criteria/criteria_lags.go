package criteria

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

// LagCorrelation is the correlation criterion's coefficient at one lag: the
// correlation of satisfaction's changes with the metric's changes Lag
// later.
type LagCorrelation struct {
	// Lag is positive when the metric follows satisfaction.
	Lag time.Duration
	// Coefficient is in [−1, 1]; NaN where it could not be computed (fewer
	// than MinPoints complete pairs, or a constant input).
	Coefficient float64
	// P is the p-value at this lag corrected as CorrelationCriterion.P is:
	// for autocorrelation (effective n) and for the search over all lags
	// (Bonferroni, min(1, lags·p)). NaN with Coefficient.
	P float64
	// N is the number of complete pairs of changes at this lag.
	N int
}

// CorrelationLags returns the correlation criterion's coefficient at every
// lag it searches, from −MaxLag to +MaxLag in steps of the grid both series
// are put on, computed as Evaluate computes them (same grid,
// differencing, method and effective n): the curve whose peak in absolute
// value is CorrelationCriterion.Lag and Coefficient. A relation shows as a
// peak well clear of the others; a metric unrelated to satisfaction as a
// flat, noisy curve near zero.
//
// For Deseasonalised the curve is Pearson's cross-correlation of the
// prewhitened series, the one whose peak chose the lag
// (CorrelationCriterion.PrewhitenedCoefficient and PrewhitenedP), not the
// component judged at it.
//
// Both series must be valid and have timestamps; fewer than
// MinPoints values in either gives ErrNoData, and series
// that do not overlap in time an error.
func CorrelationLags(satisfaction, metric series.Series, opts Options) ([]LagCorrelation, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := crCheck("satisfaction", satisfaction); err != nil {
		return nil, err
	}
	if err := crCheck("metric", metric); err != nil {
		return nil, err
	}
	satStep, _ := satisfaction.Step()
	mStep, _ := metric.Step()
	pr, err := crAlign(context.Background(), satisfaction, metric, max(satStep, mStep), opts)
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	if opts.Differencing == Deseasonalised {
		lags, _, err := crPrewhitenedCCF(context.Background(), pr)
		if err != nil {
			return nil, fmt.Errorf("criteria: %w", err)
		}
		return lags, nil
	}
	grid, K, n, ad, bd := pr.grid, pr.K, pr.n, pr.ad, pr.bd
	core := func(x []float64) []float64 { return x[K : n-K] }
	ratio, err := crEffectiveShare(core(ad), core(bd), opts.Method != compare.Pearson)
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	out := make([]LagCorrelation, 0, 2*K+1)
	x := make([]float64, 0, n)
	y := make([]float64, 0, n)
	for k := -K; k <= K; k++ {
		x, y = x[:0], y[:0]
		for i := K; i < n-K; i++ {
			if !math.IsNaN(ad[i]) && !math.IsNaN(bd[i+k]) {
				x = append(x, ad[i])
				y = append(y, bd[i+k])
			}
		}
		lc := LagCorrelation{Lag: time.Duration(k) * grid, Coefficient: math.NaN(), P: math.NaN(), N: len(x)}
		if len(x) >= MinPoints {
			r, err := compare.Correlate(opts.Method, x, y, compare.CorrelationOptions{EffectiveN: ratio * float64(len(x))})
			if err == nil {
				lc.Coefficient = r.Coefficient
				lc.P = min(1, float64(2*K+1)*r.P)
			}
		}
		out = append(out, lc)
	}
	return out, nil
}
