package criteria

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/dsp/fourier"
)

// The three criteria a steady-state metric must meet, as measurements: it
// correlates with customer satisfaction, it is available in near real time,
// and it is complete and cheap to measure. Evaluate measures one
// candidate against a satisfaction series; EvaluateAll makes the
// table a team would otherwise fill in by hand, one row per candidate.

// Differencing says what the correlation criterion correlates: the series
// less what they share by accident (a trend, a daily cycle), so that it
// neither creates nor hides a correlation. The zero value is
// Deseasonalised.
type Differencing int

const (
	// Deseasonalised removes each series' daily cycle (the median of the
	// same time on the other days) and slow level, finds the lag by the
	// cross-correlation of the prewhitened series (Box & Jenkins), and
	// judges the best of three components at that lag: the deseasonalised
	// levels, their changes and the prewhitened residuals
	// (CorrelationCriterion.Component). A relation that shows only during
	// incidents, in spikes or in smooth co-movement is found whether the
	// daily cycles agree or run opposite.
	Deseasonalised Differencing = iota
	// FirstDifference correlates x_t − x_{t−1}, the minute-to-minute
	// changes (Box & Jenkins; Hyndman & Athanasopoulos, FPP3 §9.1). It
	// removes trends and random-walk drift and shrinks a daily cycle to
	// almost nothing at one-minute steps.
	FirstDifference
	// SeasonalDifference correlates x_t − x_{t−s}, s = Season: the change
	// since the same time yesterday (FPP3 §9.1). It removes a daily cycle
	// exactly but leaves the autocorrelation of a random walk.
	SeasonalDifference
	// Levels correlates the values themselves. It is here to show what
	// the criterion guards against: two trending or seasonal series
	// correlate by accident (Granger & Newbold 1974). Do not judge on it.
	Levels
)

var differencingNames = [...]string{"deseasonalised", "first", "seasonal", "levels"}

// String returns "deseasonalised", "first", "seasonal" or "levels".
func (d Differencing) String() string {
	if d >= 0 && int(d) < len(differencingNames) {
		return differencingNames[d]
	}
	return fmt.Sprintf("Differencing(%d)", int(d))
}

// ParseDifferencing parses "deseasonalised", "first", "seasonal" or
// "levels".
func ParseDifferencing(s string) (Differencing, error) {
	for i, n := range differencingNames {
		if s == n {
			return Differencing(i), nil
		}
	}
	return 0, fmt.Errorf("unknown differencing %q: want deseasonalised, first, seasonal or levels", s)
}

// MarshalText implements encoding.TextMarshaler.
func (d Differencing) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Options are the thresholds and choices of the three criteria.
// Zero fields take their value from DefaultOptions.
type Options struct {
	// Method is the correlation coefficient (default Spearman).
	Method compare.CorrelationMethod
	// Differencing is what is correlated (default Deseasonalised).
	Differencing Differencing
	// Season is the period of SeasonalDifference and the cycle
	// Deseasonalised removes (default 24h).
	Season time.Duration
	// MaxLag is the largest lag searched, in both directions (default
	// 15 minutes).
	MaxLag time.Duration
	// MinCorrelation is the smallest |coefficient| that passes (default
	// 0.5): a significant but weak correlation does not make a
	// steady-state metric.
	MinCorrelation float64
	// Alpha is the significance level of the correlation, applied to the
	// p-value corrected for autocorrelation and for the lag search
	// (default 0.05).
	Alpha float64
	// MaxResolution is the largest sampling interval that is real time
	// (default 1 minute).
	MaxResolution time.Duration
	// MaxDelay is the largest lag behind satisfaction that is real time
	// (default 5 minutes).
	MaxDelay time.Duration
	// MaxLatency is the largest data latency (query time − newest point)
	// that is real time (default 5 minutes).
	MaxLatency time.Duration
	// MinCompleteness is the smallest share of expected points present
	// that passes measurability (default 0.99).
	MinCompleteness float64
	// ExpectedStep is the interval at which the metric's points are
	// expected (0: the metric's own sampling interval, series.Step, so a
	// metric is measured against the resolution its source promises).
	ExpectedStep time.Duration
}

// DefaultOptions are the values zero Options fields stand
// for.
var DefaultOptions = Options{
	Method:          compare.Spearman,
	Differencing:    Deseasonalised,
	Season:          24 * time.Hour,
	MaxLag:          15 * time.Minute,
	MinCorrelation:  0.5,
	Alpha:           0.05,
	MaxResolution:   time.Minute,
	MaxDelay:        5 * time.Minute,
	MaxLatency:      5 * time.Minute,
	MinCompleteness: 0.99,
}

// MinPoints is the fewest non-missing points a satisfaction or
// candidate series must have for the criteria to be measured at all.
const MinPoints = 10

// ErrNoData is returned when the satisfaction series or a
// candidate has fewer than MinPoints values: the criteria are not
// measured, since no data is never a pass. It wraps
// series.ErrTooLittleData.
var ErrNoData = series.TooLittleData("too few points to measure the criteria")

// The keys a *series.OptionError names the options of Options by: each
// field's name in snake_case, MaxResolution as "resolution". They are
// chaosstat's server's JSON keys and, with dashes, the flags of chaosstat
// criteria (--min-correlation, --resolution).
const (
	OptionSeason          = "season"
	OptionMaxLag          = "max_lag"
	OptionMinCorrelation  = "min_correlation"
	OptionAlpha           = "alpha"
	OptionMaxResolution   = "resolution"
	OptionMaxDelay        = "max_delay"
	OptionMaxLatency      = "max_latency"
	OptionMinCompleteness = "min_completeness"
	OptionExpectedStep    = "expected_step"
)

// CheckOption returns a *series.OptionError unless v is a value that the
// option named key (OptionMinCorrelation, OptionAlpha or
// OptionMinCompleteness) may be given: a share in (0, 1], for Alpha in
// (0, 1). A value written as a percentage (99 for 0.99; from 2 to 100),
// the common mistake, is told so. Unlike in Options, where 0 stands for the default,
// a given 0 is out of range, as it is for a flag: front ends that take
// the options one at a time check each with it, and Validate checks the
// fields with it. It panics for another key.
func CheckOption(key string, v float64) error {
	var ok bool
	var want string
	switch key {
	case OptionMinCorrelation:
		ok, want = v > 0 && v <= 1, "a correlation in (0, 1], such as 0.5"
	case OptionAlpha:
		ok, want = v > 0 && v < 1, "a level in (0, 1), such as 0.05"
	case OptionMinCompleteness:
		ok, want = v > 0 && v <= 1, "a share in (0, 1], such as 0.99"
	default:
		panic("criteria.CheckOption: unknown option " + key)
	}
	switch {
	case ok:
		return nil
	case v >= 2 && v <= 100: // 1.5 is rather a correlation too high
		want = fmt.Sprintf("a fraction, %g rather than %g", v/100, v)
	}
	return &series.OptionError{Option: key, Value: v, Want: want}
}

// Validate returns an error wrapping a *series.OptionError that names the
// first option of o out of range (see the Option keys), or nil: a negative
// duration, a share out of CheckOption's range, an unknown Method or
// Differencing. A zero field stands for its default and is valid.
// Evaluate, EvaluateAll and CorrelationLags call it.
func (o Options) Validate() error {
	_, err := o.withDefaults()
	return err
}

func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions
	if o.Season == 0 {
		o.Season = d.Season
	}
	if o.MaxLag == 0 {
		o.MaxLag = d.MaxLag
	}
	if o.MinCorrelation == 0 {
		o.MinCorrelation = d.MinCorrelation
	}
	if o.Alpha == 0 {
		o.Alpha = d.Alpha
	}
	if o.MaxResolution == 0 {
		o.MaxResolution = d.MaxResolution
	}
	if o.MaxDelay == 0 {
		o.MaxDelay = d.MaxDelay
	}
	if o.MaxLatency == 0 {
		o.MaxLatency = d.MaxLatency
	}
	if o.MinCompleteness == 0 {
		o.MinCompleteness = d.MinCompleteness
	}
	switch {
	case o.Method < compare.Spearman || o.Method > compare.Kendall:
		return o, fmt.Errorf("criteria: invalid %v", o.Method)
	case o.Differencing < Deseasonalised || o.Differencing > Levels:
		return o, fmt.Errorf("criteria: invalid %v", o.Differencing)
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{OptionSeason, o.Season}, {OptionMaxLag, o.MaxLag}, {OptionMaxResolution, o.MaxResolution}, {OptionMaxDelay, o.MaxDelay},
		{OptionMaxLatency, o.MaxLatency}, {OptionExpectedStep, o.ExpectedStep}} {
		if d.v < 0 {
			return o, fmt.Errorf("criteria: %w", &series.OptionError{Option: d.key, Value: d.v, Want: "a duration >= 0"})
		}
	}
	for _, f := range []struct {
		key string
		v   float64
	}{{OptionMinCorrelation, o.MinCorrelation}, {OptionAlpha, o.Alpha}, {OptionMinCompleteness, o.MinCompleteness}} {
		if err := CheckOption(f.key, f.v); err != nil {
			return o, fmt.Errorf("criteria: %w", err)
		}
	}
	return o, nil
}

// Candidate is a metric proposed for the steady state.
type Candidate struct {
	// Name is the metric's name in the report.
	Name string
	// Series holds the metric over the same period as the satisfaction
	// series.
	Series series.Series
	// SeriesCount is the number of series the metric's query touches,
	// and QuerySamples the samples it reads, when the metric comes from
	// a query (workflow.Candidate fills them in from the read); 0 means
	// unknown.
	SeriesCount  int
	QuerySamples int64
}

// CorrelationCriterion is the evidence that a metric moves with customer
// satisfaction.
type CorrelationCriterion struct {
	// Method and Differencing say what was correlated.
	Method       compare.CorrelationMethod
	Differencing Differencing
	// Step is the grid both series were put on: the larger of their
	// sampling intervals.
	Step time.Duration
	// Coefficient is the correlation at the best lag, in [−1, 1]; its sign
	// says whether the metric rises (+) or falls (−) with satisfaction.
	Coefficient float64
	// Lag is the best lag: positive when the metric follows satisfaction
	// (its changes come Lag later), negative when it leads.
	Lag time.Duration
	// P is the p-value at the best lag, corrected for autocorrelation
	// (EffectiveN) and for the search over LagsSearched lags
	// (Bonferroni): min(1, LagsSearched·p).
	P float64
	// N is the number of pairs at the best lag, EffectiveN what they are
	// worth once the autocorrelation of both series is accounted for.
	N          int
	EffectiveN float64
	// LagsSearched is the number of lags tried, 2·⌊MaxLag/Step⌋+1.
	LagsSearched int
	// LevelCoefficient and LevelP are the correlation of the levels at lag
	// zero with the naive p-value (independent points): what a
	// correlation on the raw series would have claimed. Reported so the
	// difference can be seen; never judged on.
	LevelCoefficient, LevelP float64
	// Methods holds all three coefficients (Spearman, Pearson, Kendall
	// tau-b) at the best lag, each with its p-value corrected the same way
	// (its own effective n, times LagsSearched). Only Method's is judged;
	// the others show whether the relation is linear (Pearson close to
	// Spearman) or driven by a few extreme changes (Pearson far above).
	Methods []MethodCorrelation
	// Component, for Deseasonalised, is the component that carried the
	// correlation (Coefficient, P, N and EffectiveN are its figures), and
	// Components all three at the best lag, each P corrected for the lags
	// and the components tried. Empty for the other Differencing values.
	Component  Component
	Components []ComponentCorrelation
	// PrewhitenedCoefficient and PrewhitenedP are, for Deseasonalised,
	// Pearson's cross-correlation of the prewhitened series at the best
	// lag (the peak that chose it), p corrected for the lag search; AROrder
	// is the order of the prewhitening filter fitted to satisfaction
	// (0: no filter, the series were white already). NaN and 0 otherwise.
	// PrewhitenedP is not judged, and is liberal when both series have
	// step-like incidents (BENCHMARKS.md: 0.07 to 0.10 at alpha 0.05).
	PrewhitenedCoefficient, PrewhitenedP float64
	AROrder                              int
	// SeasonRemoved is true when a seasonal profile was removed
	// (Deseasonalised, with at least two seasons of data).
	SeasonRemoved bool
	// Pass is |Coefficient| >= MinCorrelation and P <= Alpha
	// (compare.Significant).
	Pass bool
}

// MethodCorrelation is one coefficient at the best lag with its corrected
// p-value.
type MethodCorrelation struct {
	Method      compare.CorrelationMethod
	Coefficient float64
	P           float64
}

// RealTimeCriterion is the evidence that a metric is available soon enough
// to stop an experiment that hurts customers.
type RealTimeCriterion struct {
	// Resolution is the metric's sampling interval (series.Step).
	Resolution time.Duration
	// Delay is how far the metric's changes come after satisfaction's:
	// the correlation's lag when positive, zero when the metric leads.
	// DelayKnown is false when the correlation failed, so that its lag
	// is noise.
	Delay      time.Duration
	DelayKnown bool
	// Latency is the query time minus the newest point; LatencyKnown is
	// false when no query time was given.
	Latency      time.Duration
	LatencyKnown bool
	// Pass: Resolution <= MaxResolution, and Delay and Latency, where
	// known, at most MaxDelay and MaxLatency.
	Pass bool
}

// MeasurabilityCriterion is the evidence that a metric is complete and
// cheap to measure.
type MeasurabilityCriterion struct {
	// Coverage is the metric against its expected grid over the
	// satisfaction series' period.
	Coverage series.Coverage
	// Completeness is Coverage.Completeness(), LongestGap
	// Coverage.LongestGap().
	Completeness float64
	LongestGap   time.Duration
	// SeriesCount and QuerySamples are the candidate's (0: unknown).
	SeriesCount  int
	QuerySamples int64
	// Pass is Completeness >= MinCompleteness.
	Pass bool
}

// Result is one row of the criteria report: one candidate metric
// measured on the three criteria.
type Result struct {
	Name          string
	Correlation   CorrelationCriterion
	RealTime      RealTimeCriterion
	Measurability MeasurabilityCriterion
	// Pass is true when all three criteria pass.
	Pass bool
	// Warnings say where a figure is weak or missing, as what to do.
	Warnings []error
}

// Evaluate measures candidate c against the satisfaction series on
// the three criteria. now is the query time for the data latency; the zero
// time means it is not known, and latency is not judged.
//
// Correlation (opts.Differencing, default Deseasonalised): both series are
// averaged onto a common grid (the larger of their steps), since the levels
// of two series that share a trend or a daily cycle correlate whatever
// their relation [1, 2]. Deseasonalised removes each one's daily profile
// and slow level, takes the lag with the largest |r| of the prewhitened
// series (Box & Jenkins; crAdjusted) and judges the best of three
// components there; the other values difference the series and search
// the coefficient (opts.Method) over −MaxLag..+MaxLag. Each p-value is the
// test's with an effective n for the autocorrelation of both series
// [3, 4], times the lags (and components) tried (Bonferroni):
//
//	1/n_eff = 1/n + (2/n) Σ_{j=1}^{n/5} ((n−j)/n) ρ_x(j) ρ_y(j),  n_eff <= n
//
// with ρ the autocorrelations of the differenced series (of their ranks
// for Spearman and Kendall). Real time: the resolution, the delay behind
// satisfaction (the best lag, when the correlation passed) and, given now,
// the latency. Measurability: completeness and longest gap on the expected
// grid (opts.ExpectedStep, else the metric's step) over the satisfaction
// series' period. Both series need timestamps; fewer than MinPoints values
// in either gives ErrNoData, as does a metric that does not overlap
// satisfaction in time. BENCHMARKS.md has the false-positive rate.
//
// [1] Granger & Newbold (1974), Spurious regressions in econometrics, J.
// Econometrics 2, 111–120. [2] Hyndman & Athanasopoulos (2021), FPP3 §9.1.
// [3] Pyper & Peterman (1998), Can. J. Fish. Aquat. Sci. 55, 2127–2140.
// [4] Bartlett (1946), JRSS B 8, 27–41.
func Evaluate(satisfaction series.Series, c Candidate, now time.Time, opts Options) (Result, error) {
	return EvaluateContext(context.Background(), satisfaction, c, now, opts)
}

// EvaluateContext is Evaluate stopped early when ctx is done: it checks ctx
// every few dozen points of the daily profile's removal, whose work grows
// as the square of the points, and at every lag searched, and then returns
// an error wrapping ctx.Err() (errors.Is(err, context.DeadlineExceeded) or
// context.Canceled) and no result. Otherwise its result is Evaluate's.
func EvaluateContext(ctx context.Context, satisfaction series.Series, c Candidate, now time.Time, opts Options) (Result, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return Result{}, err
	}
	if err := crCheck("satisfaction", satisfaction); err != nil {
		return Result{}, err
	}
	if err := crCheck(fmt.Sprintf("metric %q", c.Name), c.Series); err != nil {
		return Result{}, err
	}
	res := Result{Name: c.Name}
	warn := func(format string, args ...any) { res.Warnings = append(res.Warnings, fmt.Errorf(format, args...)) }

	satStep, _ := satisfaction.Step()
	mStep, _ := c.Series.Step()

	// Correlation.
	cc, ws, err := crCorrelation(ctx, satisfaction, c.Series, satStep, mStep, opts)
	if err != nil {
		return Result{}, fmt.Errorf("criteria: metric %q: %w", c.Name, err)
	}
	res.Correlation = cc
	res.Warnings = append(res.Warnings, ws...)

	// Real time.
	rt := RealTimeCriterion{Resolution: mStep}
	rt.Pass = mStep <= opts.MaxResolution
	if !rt.Pass {
		warn("sampled every %s, above the %s a real-time metric needs: scrape or aggregate it more often", compare.ShortDuration(mStep), compare.ShortDuration(opts.MaxResolution))
	}
	if cc.Pass {
		rt.Delay, rt.DelayKnown = max(0, cc.Lag), true
		if rt.Delay > opts.MaxDelay {
			rt.Pass = false
			warn("its changes come %s after satisfaction's, more than the %s allowed: it would stop an experiment late", compare.ShortDuration(rt.Delay), compare.ShortDuration(opts.MaxDelay))
		}
	} else {
		warn("delay behind satisfaction not measured: the correlation failed, so its best lag is noise")
	}
	if !now.IsZero() {
		last := crLastPresent(c.Series)
		rt.Latency, rt.LatencyKnown = now.Sub(time.UnixMilli(last)), true
		switch {
		case rt.Latency < 0:
			return Result{}, fmt.Errorf("criteria: metric %q: query time %s is before its newest point %s", c.Name, now.UTC().Format(time.RFC3339), time.UnixMilli(last).UTC().Format(time.RFC3339))
		case rt.Latency > opts.MaxLatency:
			rt.Pass = false
			warn("newest point is %s old at the query time, more than the %s allowed", compare.ShortDuration(rt.Latency), compare.ShortDuration(opts.MaxLatency))
		}
	} else {
		warn("latency not measured: give the query time to judge how fresh the data is")
	}
	res.RealTime = rt

	// Measurability.
	step := opts.ExpectedStep
	if step == 0 {
		step = mStep
	}
	start, end := satisfaction.T[0], satisfaction.T[len(satisfaction.T)-1]+satStep.Milliseconds()
	cov, err := c.Series.Coverage(step, start, end)
	if err != nil {
		return Result{}, fmt.Errorf("criteria: metric %q: %w", c.Name, err)
	}
	ms := MeasurabilityCriterion{
		Coverage:     cov,
		Completeness: cov.Completeness(),
		LongestGap:   cov.LongestGap(),
		SeriesCount:  c.SeriesCount,
		QuerySamples: c.QuerySamples,
	}
	ms.Pass = ms.Completeness >= opts.MinCompleteness
	if !ms.Pass {
		warn("%d of %d expected points (every %s) are missing, longest gap %s: fix the collection before relying on it", cov.Missing(), cov.Expected, compare.ShortDuration(step), compare.ShortDuration(ms.LongestGap))
	}
	if c.SeriesCount > 1 {
		warn("the query touches %d series: aggregate them (sum by, recording rules) so one series answers", c.SeriesCount)
	}
	res.Measurability = ms
	res.Pass = cc.Pass && rt.Pass && ms.Pass
	return res, nil
}

// crCheck rejects what the criteria cannot use: invalid series, plain
// samples, fewer than MinPoints values.
func crCheck(what string, s series.Series) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("criteria: %s: %w", what, err)
	}
	if len(s.T) == 0 && len(s.V) > 0 {
		return fmt.Errorf("criteria: %s is a plain sample: the criteria need timestamps", what)
	}
	if n := len(s.Present()); n < MinPoints {
		return fmt.Errorf("criteria: %s has %d values (%d points), need at least %d: %w", what, n, len(s.V), MinPoints, ErrNoData)
	}
	return nil
}

func crLastPresent(s series.Series) int64 {
	for i := len(s.V) - 1; i >= 0; i-- {
		if !math.IsNaN(s.V[i]) {
			return s.T[i]
		}
	}
	return s.T[len(s.T)-1]
}

// crCorrelation is the correlation criterion (see Evaluate).
// It returns crStopped's error when ctx is done.
func crCorrelation(ctx context.Context, sat, m series.Series, satStep, mStep time.Duration, opts Options) (CorrelationCriterion, []error, error) {
	var warnings []error
	cc := CorrelationCriterion{Method: opts.Method, Differencing: opts.Differencing, P: 1, LevelP: 1,
		Coefficient: math.NaN(), LevelCoefficient: math.NaN(), EffectiveN: math.NaN(),
		PrewhitenedCoefficient: math.NaN(), PrewhitenedP: math.NaN()}
	pr, err := crAlign(ctx, sat, m, max(satStep, mStep), opts)
	grid, K, n, ad, bd := pr.grid, pr.K, pr.n, pr.ad, pr.bd
	cc.Step = grid
	if errors.Is(err, errNoOverlap) {
		// Nothing of the metric falls in the period judged: no data, not
		// a metric that failed (issue 13: it exited 1, FAIL).
		stamp := func(t int64) string { return time.UnixMilli(t).UTC().Format(time.RFC3339) }
		return cc, nil, fmt.Errorf("it runs from %s to %s and satisfaction from %s to %s: %w: query both over the same period: %w",
			stamp(m.T[0]), stamp(m.T[len(m.T)-1]), stamp(sat.T[0]), stamp(sat.T[len(sat.T)-1]), err, ErrNoData)
	}
	if err != nil {
		return cc, nil, err
	}
	cc.LagsSearched = 2*K + 1
	if K == 0 && opts.MaxLag > 0 {
		warnings = append(warnings, fmt.Errorf("the %s step is longer than the %s lag search: only lag 0 was tried", compare.ShortDuration(grid), compare.ShortDuration(opts.MaxLag)))
	}
	// Levels at lag 0, for contrast.
	if lr, err := compare.Correlate(opts.Method, pr.av, pr.bv, compare.CorrelationOptions{}); err == nil {
		cc.LevelCoefficient, cc.LevelP = lr.Coefficient, lr.P
	}
	if opts.Differencing == Levels {
		warnings = append(warnings, errors.New("levels were correlated: a shared trend or daily cycle can make this correlation; use first or seasonal differences to judge"))
	}
	if opts.Differencing == Deseasonalised {
		cc, ws, err := crAdjusted(ctx, pr, opts, cc)
		if err != nil {
			return cc, nil, err
		}
		warnings = append(warnings, ws...)
		if !math.IsNaN(cc.LevelCoefficient) && math.Abs(cc.LevelCoefficient) >= opts.MinCorrelation && !cc.Pass && !math.IsNaN(cc.Coefficient) {
			warnings = append(warnings, fmt.Errorf("its levels correlate (%.2f) but its deseasonalised levels, changes and surprises do not: the two share a trend or cycle, not a relation", cc.LevelCoefficient))
		}
		return cc, warnings, nil
	}

	// The share of independent pairs, from the autocorrelations over the
	// overlap at lag 0.
	core := func(x []float64) []float64 { return x[K : n-K] }
	ratio, err := crEffectiveShare(core(ad), core(bd), opts.Method != compare.Pearson)
	if err != nil {
		warnings = append(warnings, err)
		return cc, warnings, nil
	}

	best := -1
	var bestRes compare.CorrelationResult
	var lastErr error
	lc := newCrLagCorr(ad, bd, K, opts.Method)
	for k := -K; k <= K; k++ {
		if err := crStopped(ctx); err != nil {
			return cc, nil, err
		}
		r, err := lc.at(k, ratio)
		if err != nil {
			lastErr = err
			continue
		}
		if best < 0 || math.Abs(r.Coefficient) > math.Abs(bestRes.Coefficient) ||
			(math.Abs(r.Coefficient) == math.Abs(bestRes.Coefficient) && crAbs(k) < crAbs(best-K)) {
			best, bestRes = k+K, r
		}
	}
	if best < 0 {
		if errors.Is(lastErr, compare.ErrConstantInput) {
			warnings = append(warnings, fmt.Errorf("no correlation: %v", lastErr))
		} else {
			warnings = append(warnings, fmt.Errorf("no correlation could be computed (%v): need at least %d pairs of changes", lastErr, MinPoints))
		}
		return cc, warnings, nil
	}
	cc.Coefficient = bestRes.Coefficient
	cc.Lag = time.Duration(best-K) * grid
	cc.N = bestRes.N
	cc.EffectiveN = bestRes.EffectiveN
	cc.P = min(1, float64(cc.LagsSearched)*bestRes.P)
	cc.Pass = math.Abs(cc.Coefficient) >= opts.MinCorrelation && compare.Significant(cc.P, opts.Alpha)

	// All three coefficients at the best lag.
	x, y := lc.pairs(best - K)
	shares := map[bool]float64{opts.Method != compare.Pearson: ratio}
	for _, m := range []compare.CorrelationMethod{compare.Spearman, compare.Pearson, compare.Kendall} {
		if m == opts.Method {
			cc.Methods = append(cc.Methods, MethodCorrelation{Method: m, Coefficient: cc.Coefficient, P: cc.P})
			continue
		}
		ranks := m != compare.Pearson
		sh, ok := shares[ranks]
		if !ok {
			if sh, err = crEffectiveShare(core(ad), core(bd), ranks); err != nil {
				continue
			}
			shares[ranks] = sh
		}
		r, err := compare.Correlate(m, x, y, compare.CorrelationOptions{EffectiveN: sh * float64(len(x))})
		if err != nil {
			continue
		}
		cc.Methods = append(cc.Methods, MethodCorrelation{Method: m, Coefficient: r.Coefficient, P: min(1, float64(cc.LagsSearched)*r.P)})
	}
	switch {
	case cc.Pass:
	case math.Abs(cc.Coefficient) < opts.MinCorrelation && compare.Significant(cc.P, opts.Alpha):
		warnings = append(warnings, fmt.Errorf("the correlation, %.2f, is significant but weaker than %.2f: it moves with satisfaction too loosely to stand for it", cc.Coefficient, opts.MinCorrelation))
	default:
		what := "changes do not correlate with satisfaction's"
		if opts.Differencing == Levels {
			what = "levels do not correlate significantly with satisfaction's"
		}
		warnings = append(warnings, fmt.Errorf("%s (%s %.2f, p = %.3g at the best of %d lags): it does not track customer experience", what, opts.Method, cc.Coefficient, cc.P, cc.LagsSearched))
	}
	if !math.IsNaN(cc.LevelCoefficient) && math.Abs(cc.LevelCoefficient) >= opts.MinCorrelation && !cc.Pass && opts.Differencing != Levels {
		warnings = append(warnings, fmt.Errorf("its levels correlate (%.2f) but its changes do not: the two share a trend or cycle, not a relation", cc.LevelCoefficient))
	}
	if cc.EffectiveN < 30 {
		warnings = append(warnings, fmt.Errorf("the pairs are worth %.0f independent ones: the p-value is rough; use a longer period", cc.EffectiveN))
	}
	return cc, warnings, nil
}

// crStopped returns nil while ctx is live, and once it is done an error
// wrapping ctx.Err().
func crStopped(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("stopped: %w", err)
	}
	return nil
}

func crAbs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}

// crLagCorr computes the correlation of the changes a[i] (satisfaction)
// and b[i+k] (the metric) over the overlap, i in [K, len(a)−K), for each
// lag k. For Spearman it ranks each series once and, per lag, reads the
// ranks of the pairs present at that lag off the global order in O(n)
// (Spearman's rho is Pearson's r of the average ranks of the pairs, so the
// result is SpearmanRho's, to rounding: TestCrLagCorrMatchesSpearmanRho),
// instead of sorting both subsets again at every lag.
type crLagCorr struct {
	a, b         []float64
	K            int
	method       compare.CorrelationMethod
	orderA       []int // indices of a's present values, by value (Spearman)
	orderB       []int
	inA, inB     []bool // the pairs present at the current lag
	rankA, rankB []float64
	x, y         []float64
}

func newCrLagCorr(a, b []float64, K int, m compare.CorrelationMethod) *crLagCorr {
	lc := &crLagCorr{a: a, b: b, K: K, method: m}
	if m == compare.Spearman {
		lc.orderA, lc.orderB = crOrder(a), crOrder(b)
		lc.inA, lc.inB = make([]bool, len(a)), make([]bool, len(b))
		lc.rankA, lc.rankB = make([]float64, len(a)), make([]float64, len(b))
	}
	return lc
}

// crOrder returns the indices of x's present values sorted by value.
func crOrder(x []float64) []int {
	idx := make([]int, 0, len(x))
	for i, v := range x {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(i, j int) int { return cmp.Compare(x[i], x[j]) })
	return idx
}

// crRankSubset writes into rank[i], for the i with in[i], the average rank
// of x[i] among those values, walking the global order.
func crRankSubset(x []float64, order []int, in []bool, rank []float64) {
	pos := 0 // ranks given so far
	for s := 0; s < len(order); {
		e := s + 1
		for e < len(order) && x[order[e]] == x[order[s]] {
			e++
		}
		cnt := 0
		for _, i := range order[s:e] {
			if in[i] {
				cnt++
			}
		}
		if cnt > 0 {
			avg := float64(2*pos+cnt+1) / 2 // ranks pos+1 .. pos+cnt
			for _, i := range order[s:e] {
				if in[i] {
					rank[i] = avg
				}
			}
			pos += cnt
		}
		s = e
	}
}

// pairs returns the values of the pairs present at lag k, in time order.
func (lc *crLagCorr) pairs(k int) (x, y []float64) {
	lc.x, lc.y = lc.x[:0], lc.y[:0]
	for i := lc.K; i < len(lc.a)-lc.K; i++ {
		if !math.IsNaN(lc.a[i]) && !math.IsNaN(lc.b[i+k]) {
			lc.x = append(lc.x, lc.a[i])
			lc.y = append(lc.y, lc.b[i+k])
		}
	}
	return lc.x, lc.y
}

// at returns the correlation at lag k, its p-value for ratio·n effective
// pairs.
func (lc *crLagCorr) at(k int, ratio float64) (compare.CorrelationResult, error) {
	x, y := lc.pairs(k)
	n := len(x)
	if n < MinPoints {
		return compare.CorrelationResult{}, fmt.Errorf("%d complete pairs of changes at lag %+d steps", n, k)
	}
	opts := compare.CorrelationOptions{EffectiveN: ratio * float64(n)}
	if lc.method != compare.Spearman {
		return compare.Correlate(lc.method, x, y, opts)
	}
	clear(lc.inA)
	clear(lc.inB)
	for i := lc.K; i < len(lc.a)-lc.K; i++ {
		if !math.IsNaN(lc.a[i]) && !math.IsNaN(lc.b[i+k]) {
			lc.inA[i], lc.inB[i+k] = true, true
		}
	}
	crRankSubset(lc.a, lc.orderA, lc.inA, lc.rankA)
	crRankSubset(lc.b, lc.orderB, lc.inB, lc.rankB)
	lc.x, lc.y = lc.x[:0], lc.y[:0]
	for i := lc.K; i < len(lc.a)-lc.K; i++ {
		if lc.inA[i] && lc.inB[i+k] {
			lc.x = append(lc.x, lc.rankA[i])
			lc.y = append(lc.y, lc.rankB[i+k])
		}
	}
	// Pearson's r of the ranks is rho, and its exact beta test the same
	// t test on n−2 df that SpearmanRho makes.
	r, err := compare.PearsonR(lc.x, lc.y, opts)
	if err != nil {
		return r, crAsSpearman(err)
	}
	r.Test = compare.Spearman
	return r, nil
}

// crAsSpearman renames PearsonR's errors on ranks as Spearman's.
func crAsSpearman(err error) error {
	if errors.Is(err, compare.ErrConstantInput) {
		return fmt.Errorf("spearman: a series is constant over the pairs: %w", compare.ErrConstantInput)
	}
	return err
}

// crOnGrid returns s's values at the n grid times start + i·g (NaN where s
// has no point).
func crOnGrid(s series.Series, start, g int64, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	for i, t := range s.T {
		if k := (t - start) / g; t >= start && k < int64(n) {
			v[k] = s.V[i]
		}
	}
	return v
}

// crDiff returns x_i − x_{i−s} (NaN for the first s and where either is
// missing).
func crDiff(x []float64, s int) []float64 {
	d := make([]float64, len(x))
	for i := range d {
		if i < s {
			d[i] = math.NaN()
			continue
		}
		d[i] = x[i] - x[i-s]
	}
	return d
}

// crEffectiveShare returns n_eff/n for the correlation of x and y (equal
// length, NaN missing) by Pyper & Peterman's (1998) formula, at most 1.
// ranks replaces the values by their ranks first (Spearman, Kendall).
//
// It is not a long-run variance (compare.LongRunVariance), and does not use
// one: the long-run variance is the variance of the mean of one series,
// Σ_j γ_j, and its ratio to γ₀ inflates a test of a mean; this is the
// variance of a correlation coefficient between two series (Bartlett
// 1946), 1 + 2 Σ_j ρ_x(j) ρ_y(j), the products of both series'
// autocorrelations at the same lag: it is 1 when either series is white,
// however autocorrelated the other, which no function of one series'
// long-run variance can say. So it keeps its own estimator: the biased
// autocorrelations up to n/5, unweighted, as the formula's authors
// simulated it.
func crEffectiveShare(x, y []float64, ranks bool) (float64, error) {
	return crEffectiveShareSeasonal(x, y, ranks, 0, 0)
}

// crEffectiveShareSeasonal is crEffectiveShare with, for series whose
// seasonal profile was estimated from the other seasons (Deseasonalised),
// the lags within ±hw of each multiple of the season s beyond n/5 added
// to the sum: removing the median of the other days makes each day's
// residuals depend on the others', at exactly those lags, in both series
// alike. There the autocorrelations are the unbiased ones (sums over the
// n−j products divided by n−j), since the biased estimator shrinks a lag
// of two days in three by two thirds. s = 0 is crEffectiveShare.
func crEffectiveShareSeasonal(x, y []float64, ranks bool, s, hw int) (float64, error) {
	n := len(x)
	maxLag := n / 5
	if s > 0 {
		maxLag = n - 1
	}
	rx, ry := crACFTo(x, ranks, maxLag), crACFTo(y, ranks, maxLag)
	if rx == nil || ry == nil {
		return 0, fmt.Errorf("no correlation: one series does not change over the period")
	}
	var sum float64
	for j := 1; j < len(rx) && j < len(ry); j++ {
		w := float64(n-j) / float64(n)
		if j <= n/5 {
			sum += w * rx[j] * ry[j]
			continue
		}
		if k := (j + s/2) / s; k >= 1 && j >= k*s-hw && j <= k*s+hw {
			sum += w * rx[j] * ry[j] / (w * w)
		}
	}
	inv := 1 + 2*sum // n/n_eff
	if inv < 1 {
		return 1, nil
	}
	return 1 / inv, nil
}

// crACF returns the autocorrelations at lags 0..n/5 of x (NaN skipped
// pairwise; the denominator is the sum of squares of all present values,
// the usual biased estimator), or nil when x has no variance.
func crACF(x []float64, ranks bool) []float64 { return crACFTo(x, ranks, len(x)/5) }

// crACFTo is crACF up to lag maxLag (< len(x)).
func crACFTo(x []float64, ranks bool, maxLag int) []float64 {
	v := make([]float64, len(x))
	copy(v, x)
	present := make([]float64, 0, len(v))
	for _, u := range v {
		if !math.IsNaN(u) {
			present = append(present, u)
		}
	}
	if len(present) < 2 {
		return nil
	}
	if ranks {
		r := compare.AverageRanks(present)
		k := 0
		for i, u := range v {
			if !math.IsNaN(u) {
				v[i] = r[k]
				k++
			}
		}
		present = r
	}
	var mean float64
	for _, u := range present {
		mean += u
	}
	mean /= float64(len(present))
	var ss float64
	for i, u := range v {
		if math.IsNaN(u) {
			v[i] = 0 // a missing value adds nothing to any product
			continue
		}
		v[i] = u - mean
		ss += v[i] * v[i]
	}
	if ss == 0 {
		return nil
	}
	// The sums Σ_i v_i v_{i+j} for all j at once: the inverse transform of
	// the power spectrum of v zero-padded to twice its length (so the
	// circular sums are the linear ones), O(n log n) instead of O(n²/5).
	m := crFFTLen(2 * len(v))
	pad := make([]float64, m)
	copy(pad, v)
	fft := fourier.NewFFT(m)
	coef := fft.Coefficients(nil, pad)
	for i, c := range coef {
		coef[i] = complex(real(c)*real(c)+imag(c)*imag(c), 0)
	}
	sums := fft.Sequence(nil, coef) // scaled by m (gonum's unnormalised inverse)
	acf := make([]float64, maxLag+1)
	for j := range acf {
		acf[j] = sums[j] / float64(m) / ss
	}
	return acf
}

// crFFTLen returns the smallest n' >= n whose prime factors are 2, 3 and 5,
// the lengths the FFT handles fastest.
func crFFTLen(n int) int {
	for m := n; ; m++ {
		k := m
		for _, p := range []int{2, 3, 5} {
			for k%p == 0 {
				k /= p
			}
		}
		if k == 1 {
			return m
		}
	}
}

// crPair is satisfaction (a) and a metric (b) on one grid, K steps of lag
// either side of their overlap: index i is time lo+(i−K)·grid, n points.
type crPair struct {
	grid   time.Duration
	K, n   int
	av, bv []float64 // levels
	ad, bd []float64 // differenced as Options.Differencing says (Deseasonalised: levels less cycle and trend)
	// Deseasonalised only: the changes of ad and bd, both prewhitened by
	// phi (the AR model of satisfaction's ad), and whether a seasonal
	// profile was removed.
	ac, bc, aw, bw []float64
	phi            []float64
	seasonRemoved  bool
	season, hw     int // steps in a season (0: none removed), half-width of its profile
}

// errNoOverlap: satisfaction and the metric share no time.
var errNoOverlap = errors.New("the metric and satisfaction do not overlap in time")

// crAlign resamples sat and m to grid (their means), lays them on one grid
// over their overlap widened by opts.MaxLag either way, and differences
// them: the series every correlation of the criteria is computed on.
//
// It returns crStopped's error when ctx is done.
func crAlign(ctx context.Context, sat, m series.Series, grid time.Duration, opts Options) (crPair, error) {
	pr := crPair{grid: grid}
	a, err := sat.Resample(grid, series.Mean)
	if err != nil {
		return pr, err
	}
	b, err := m.Resample(grid, series.Mean)
	if err != nil {
		return pr, err
	}
	g := grid.Milliseconds()
	lo, hi := max(a.T[0], b.T[0]), min(a.T[len(a.T)-1], b.T[len(b.T)-1])
	if lo > hi {
		return pr, errNoOverlap
	}
	if span := time.Duration(hi-lo+g) * time.Millisecond; opts.MaxLag >= span {
		// A lag as long as the overlap pairs nothing, and searching it
		// costs lags × points (--max-lag 10000h on a week took a minute).
		return pr, fmt.Errorf("max lag %s is not shorter than the %s over which the metric and satisfaction overlap: search lags shorter than that", compare.ShortDuration(opts.MaxLag), compare.ShortDuration(span))
	}
	pr.K = int(opts.MaxLag / grid)
	pr.n = int((hi-lo)/g) + 1 + 2*pr.K
	pr.av, pr.bv = crOnGrid(a, lo-int64(pr.K)*g, g, pr.n), crOnGrid(b, lo-int64(pr.K)*g, g, pr.n)
	switch opts.Differencing {
	case Deseasonalised:
		if err := crAdjust(ctx, &pr, opts); err != nil {
			return pr, err
		}
	case FirstDifference:
		pr.ad, pr.bd = crDiff(pr.av, 1), crDiff(pr.bv, 1)
	case SeasonalDifference:
		if opts.Season%grid != 0 {
			return pr, fmt.Errorf("season %s is not a whole number of %s steps", compare.ShortDuration(opts.Season), compare.ShortDuration(grid))
		}
		s := int(opts.Season / grid)
		pr.ad, pr.bd = crDiff(pr.av, s), crDiff(pr.bv, s)
	case Levels:
		pr.ad, pr.bd = pr.av, pr.bv
	}
	return pr, nil
}
