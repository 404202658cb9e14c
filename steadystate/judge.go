package steadystate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
)

// Thresholds are the score thresholds of a verdict: a hypothesis whose score
// reaches Pass (and that nothing else blocks) is held; one whose score falls
// below Marginal is disproved; in between it is inconclusive.
type Thresholds struct {
	Pass, Marginal float64
}

// DefaultThresholds are the thresholds the zero Thresholds stand for: pass at
// 0.95, marginal at 0.75, the defaults of Spinnaker Kayenta's canary scoring
// (scoreThresholds pass 95, marginal 75). With them one failing metric out of
// 20 still passes, one out of 10 is marginal, one out of 3 disproves.
var DefaultThresholds = Thresholds{Pass: 0.95, Marginal: 0.75}

// Hypothesis is a steady-state hypothesis: the metrics that must stay within
// tolerance of the control group while a fault is injected, and how their
// verdicts combine. The zero values of its optional fields are the safe
// defaults.
type Hypothesis struct {
	// Name identifies the hypothesis in reports.
	Name string
	// Metrics are the metrics judged, in the order reports list them.
	Metrics []Metric
	// Confidence is the confidence level of every metric's test and
	// interval, in (0, 1); alpha = 1 − Confidence is the family-wise (Holm)
	// or false-discovery (Benjamini-Hochberg) error rate across the metrics.
	// Zero means compare.DefaultConfidence (0.95).
	Confidence float64
	// Correction adjusts the metrics' p-values for testing several at once.
	// The zero value is Holm.
	Correction compare.Correction
	// Thresholds are the score thresholds; the zero value means
	// DefaultThresholds.
	Thresholds Thresholds
	// GroupWeights weighs the groups' scores in the hypothesis's score, by
	// group name (Metric.Group; "default" for metrics without one); a group
	// not listed weighs 1. Every name listed must be some metric's group.
	GroupWeights map[string]float64
}

// confidence returns Confidence with the default applied.
func (h Hypothesis) confidence() float64 {
	if h.Confidence == 0 {
		return compare.DefaultConfidence
	}
	return h.Confidence
}

// thresholds returns Thresholds with the default applied.
func (h Hypothesis) thresholds() Thresholds {
	if h.Thresholds == (Thresholds{}) {
		return DefaultThresholds
	}
	return h.Thresholds
}

// Alpha returns the significance level 1 − Confidence (defaults applied),
// as compare.AlphaFromConfidence rounds it: 0.05 for 0.95. A metric's
// change is significant when its adjusted p-value is at most Alpha
// (compare.Significant).
func (h Hypothesis) Alpha() float64 {
	return compare.AlphaFromConfidence(h.confidence())
}

// Validate reports the first field of h that is missing or out of range, as
// a *FieldError naming it the way the hypothesis file does.
func (h Hypothesis) Validate() error {
	if len(h.Metrics) == 0 {
		return &FieldError{Field: "metrics", Msg: "missing: a hypothesis needs at least one metric"}
	}
	if c := h.Confidence; c != 0 && !(c > 0 && c < 1) {
		return &FieldError{Field: "confidence", Msg: fmt.Sprintf("%v: want a level in (0, 1), such as 0.95", c)}
	}
	if h.Correction < compare.Holm || h.Correction > compare.BenjaminiYekutieli {
		return &FieldError{Field: "correction", Msg: fmt.Sprintf("%v: unknown correction", h.Correction)}
	}
	if t := h.Thresholds; t != (Thresholds{}) {
		switch {
		case !(t.Pass > 0 && t.Pass <= 1):
			return &FieldError{Field: "thresholds.pass", Msg: fmt.Sprintf("%v: want a score in (0, 1]", t.Pass)}
		case !(t.Marginal >= 0 && t.Marginal <= t.Pass):
			return &FieldError{Field: "thresholds.marginal", Msg: fmt.Sprintf("%v: want a score in [0, pass = %v]", t.Marginal, t.Pass)}
		}
	}
	names := map[string]int{}
	groups := map[string]bool{}
	for i, m := range h.Metrics {
		prefix := fmt.Sprintf("metrics[%d]", i)
		if err := m.validate(prefix); err != nil {
			return err
		}
		if j, dup := names[m.Name]; dup {
			return &FieldError{Field: prefix + ".name", Msg: fmt.Sprintf("%q is also the name of metrics[%d]: names must be unique", m.Name, j)}
		}
		names[m.Name] = i
		groups[jGroupName(m.Group)] = true
	}
	for _, g := range slices.Sorted(maps.Keys(h.GroupWeights)) {
		w := h.GroupWeights[g]
		switch {
		case !groups[g]:
			return &FieldError{Field: "groups." + g, Msg: fmt.Sprintf("no metric is in group %q: a misspelt group would silently weigh nothing", g)}
		case !(w > 0) || math.IsInf(w, 0):
			return &FieldError{Field: "groups." + g, Msg: fmt.Sprintf("%v: want a weight > 0", w)}
		}
	}
	return nil
}

// Data holds one metric's two groups as read: each a series over time, or a
// plain sample (no timestamps). NaN values are missing.
type Data struct {
	Control, Experiment series.Series
	// HistoryControl and HistoryExperiment, when given (both), are the two
	// groups' A/A time before the experiment: the hours before the fault,
	// when they were treated alike. The time-series test then takes the
	// long-run variance of the differences to be at least the history's
	// ratio to the variance times their own (compare.Options.History):
	// 60 minutes of a metric with slow swings cannot show that ratio,
	// four hours before them can (false alarms of ARMA(1,1) φ 0.9, θ −0.5
	// noise at 60 minutes 0.208 without, 0.045 with 240 minutes;
	// docs/timeseries.md). The sample tests do not use them (a warning
	// says so).
	HistoryControl, HistoryExperiment series.Series
}

// MinEffectiveN is the fewest independent points' worth (the time-series
// test's effective sample size) a metric needs to be judged Pass: below
// it the metric is NoData (and follows its no-data policy) unless it is
// significantly beyond tolerance. Ten, compare.MinEffectiveN: with fewer,
// the long-run variance behind the interval rests on a handful of
// independent stretches, the t reference has few degrees of freedom, and
// the interval is too wide to rule out a change of any size that matters;
// a passing metric must have been able to see one.
const MinEffectiveN = compare.MinEffectiveN

// Classification is the judgement of one metric. The zero value is NoData:
// a metric that was never judged has not passed.
type Classification int

const (
	// NoData: a group has no values, all missing, or fewer than MinPoints;
	// or a time-series metric whose pairs are worth fewer than
	// MinEffectiveN independent points did not show a significant change
	// beyond tolerance (too little information to pass it).
	NoData Classification = iota
	// Pass: no significant change beyond the tolerance in the harmful
	// direction.
	Pass
	// High: the experiment is significantly higher than the control, by more
	// than the tolerance, and an increase hurts.
	High
	// Low: the experiment is significantly lower than the control, by more
	// than the tolerance, and a decrease hurts.
	Low
	// Errored: the data is there but the test could not run on it
	// (MetricResult.Err says why).
	Errored
)

var classificationNames = []string{"nodata", "pass", "high", "low", "error"}

// String returns "nodata", "pass", "high", "low" or "error".
func (c Classification) String() string {
	if c < 0 || int(c) >= len(classificationNames) {
		return fmt.Sprintf("Classification(%d)", int(c))
	}
	return classificationNames[c]
}

// MarshalText implements encoding.TextMarshaler.
func (c Classification) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Failing reports whether the classification counts against the hypothesis
// by itself: High or Low.
func (c Classification) Failing() bool { return c == High || c == Low }

// Effect is the size of a metric's change, experiment − control, in the
// metric's units and relative to the control's level.
//
// The relative effect and its interval divide the absolute ones by |level|,
// the control's level on the scale of the effect: its median for
// Mann-Whitney (the Hodges-Lehmann shift), its mean for Welch and for the
// time-series test (the difference in means), its q-quantile for Quantile,
// and for Kolmogorov-Smirnov the control's quantile where the largest
// quantile difference lies. This treats the level as known: it ignores the
// level's own sampling error, which is small beside the shift's when each
// group has tens of points or more, so the relative interval is slightly too
// narrow for small samples.
//
// When the level is 0 (an error count whose control saw no errors) a
// relative change is undefined: Relative is then +Inf or −Inf for a nonzero
// estimate, so any significant increase over nothing is beyond every
// relative tolerance (use Metric.AbsoluteTolerance to allow some), and 0 for
// a zero one.
type Effect struct {
	// Estimate is the absolute change with its interval [Low, High] at the
	// hypothesis's confidence; the bounds are NaN when the test gives no
	// interval.
	Estimate, Low, High float64
	// Relative is Estimate / |ControlLevel|, with its interval
	// [RelativeLow, RelativeHigh].
	Relative, RelativeLow, RelativeHigh float64
	// ControlLevel is the control's level the relative effect divides by.
	ControlLevel float64
	// Measure says what Estimate is: "hodges-lehmann shift", "difference in
	// means", "p99 difference", "largest quantile difference (p90)".
	Measure string
}

// MetricResult is the judgement of one metric, with everything needed to
// explain it.
type MetricResult struct {
	Metric         Metric
	Classification Classification
	// Reason says in one line why the metric got its classification.
	Reason string
	// Test names the test actually run: "mannwhitney", "welch", "ks",
	// "quantile" or "timeseries"; empty when none ran.
	Test string
	// P is the test's two-sided p-value; AdjustedP is P adjusted across the
	// hypothesis's tested metrics by its Correction, compared with alpha.
	// Both are NaN when no test ran.
	P, AdjustedP float64
	// Effect is the size of the change (NaN fields when no test ran).
	Effect Effect
	// NControl and NExperiment count the values used (missing ones
	// excluded; for the time-series test, the time-matched pairs);
	// MissingControl and MissingExperiment count the missing values.
	NControl, NExperiment             int
	MissingControl, MissingExperiment int
	// Autocorrelation is the estimated lag-1 autocorrelation and EffectiveN
	// the effective number of independent points, from the time-series
	// test; NaN for the others.
	Autocorrelation, EffectiveN float64
	// LevelShift is the level shift the time-series test found within the
	// window (it is also among Warnings), nil when none.
	LevelShift *compare.LevelShift
	// Segment is the stretch of the window in which the time-series test
	// found the difference moved and came back (a fault, then a recovery;
	// also among Warnings), nil when none.
	Segment *compare.Segment
	// HistoryMinutes is the length of the history before the experiment
	// (Data.HistoryControl and HistoryExperiment) the time-series test
	// took its variance from, in minutes from the first time to one step
	// past the last; 0 when it took none.
	HistoryMinutes float64
	// Warnings say where the judgement ran but is weak.
	Warnings []error
	// Err is why the test could not run (Classification Errored).
	Err error
	// Result is the underlying test's result (zero when no test ran).
	Result compare.Result
}

// GroupScore is the score of one group of metrics.
type GroupScore struct {
	Name string
	// Weight is the group's weight in the hypothesis's score.
	Weight float64
	// Passing and Judged are the summed weights of the group's passing and
	// judged metrics (Pass, High, Low, and NoData under NoDataFail).
	Passing, Judged float64
	// Score is Passing / Judged, NaN when nothing in the group was judged.
	Score float64
}

// Outcome is a hypothesis's verdict. The zero value is Inconclusive: a
// verdict never reached is not a pass.
type Outcome int

const (
	// Inconclusive: the data cannot say (no data, a marginal score).
	Inconclusive Outcome = iota
	// Held: the steady state held under the fault.
	Held
	// Disproved: the fault moved the steady state beyond tolerance.
	Disproved
)

var outcomeNames = []string{"inconclusive", "held", "disproved"}

// String returns "held", "disproved" or "inconclusive".
func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
	return outcomeNames[o]
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Verdict is the judgement of a hypothesis: the outcome, the score, the rule
// that decided it, and the per-metric table that explains it.
type Verdict struct {
	Hypothesis Hypothesis
	Outcome    Outcome
	// Reason names the rule that decided the outcome, in words.
	Reason string
	// Score combines the groups' scores by weight, in [0, 1]; NaN when no
	// metric was judged.
	Score  float64
	Groups []GroupScore
	// Alpha is the significance level the adjusted p-values were compared
	// with.
	Alpha float64
	// Metrics holds one result per metric, in the hypothesis's order.
	Metrics []MetricResult
}

// Judge judges hypothesis h on data, which holds each metric's groups in the
// order of h.Metrics.
//
// Each metric's test runs (its Test; for AutoTest the paired time-series
// test when both groups have timestamps, Mann-Whitney when not), two-sided
// at the hypothesis's confidence, and the p-values are adjusted across the
// tested metrics by h.Correction. A metric is High or Low only when its
// adjusted p-value is significant (compare.Significant) AND its effect lies
// beyond the tolerance in a harmful direction (relative and absolute; for
// the time-series test also a shifted level, or a segment that came back);
// NoData when a group has fewer than MinPoints values or the pairs are
// worth fewer than MinEffectiveN independent points; Error when the test
// could not run; Pass otherwise. Statistically significant is not the
// same as large: the tolerance gate keeps a tiny, real change from failing
// a metric, the significance gate keeps noise from failing it.
//
// The score is the weighted share of passing metrics among the judged ones
// per group, the groups averaged by GroupWeights. The outcome is the first
// rule that applies: a critical metric fails (High, Low, or NoData under
// NoDataFail): Disproved; no metric judged: Inconclusive; score <
// Thresholds.Marginal: Disproved; half the metrics or more without data, a
// metric without data under NoDataInconclusive, a critical metric without
// data, or a test that could not run: Inconclusive; score <
// Thresholds.Pass: Inconclusive (marginal); otherwise Held. No data is
// never a pass.
// docs/judge.md states each rule in full, with the guards on the effect.
//
// Judge returns an error only when h is invalid (see Validate) or data does
// not hold one entry per metric; everything about the data itself is in the
// verdict.
func Judge(h Hypothesis, data []Data) (Verdict, error) {
	return JudgeContext(context.Background(), h, data)
}

// JudgeContext is Judge stopped early when ctx is done: it checks ctx
// before and after each metric's test, and the quantile test's bootstrap
// checks it as it resamples (compare.QuantileContext: its resamples grow
// as 1/(1 − Confidence), seconds at 0.999999, though its memory does not).
// It then returns an error wrapping ctx.Err() (errors.Is(err,
// context.DeadlineExceeded) or context.Canceled) and no verdict. Otherwise
// its verdict is Judge's.
func JudgeContext(ctx context.Context, h Hypothesis, data []Data) (Verdict, error) {
	if err := h.Validate(); err != nil {
		return Verdict{}, err
	}
	if len(data) != len(h.Metrics) {
		return Verdict{}, fmt.Errorf("steadystate: %d data sets for %d metrics: want one per metric, in order", len(data), len(h.Metrics))
	}
	v := Verdict{Hypothesis: h, Alpha: h.Alpha(), Metrics: make([]MetricResult, len(h.Metrics))}
	conf := h.confidence()
	var tested []int
	for i, m := range h.Metrics {
		if err := ctx.Err(); err != nil {
			return Verdict{}, fmt.Errorf("steadystate: judging stopped: %w", err)
		}
		v.Metrics[i] = judgeMetric(ctx, m, data[i], conf, len(h.Metrics))
		if !math.IsNaN(v.Metrics[i].P) {
			tested = append(tested, i)
		}
	}
	if err := ctx.Err(); err != nil {
		// The last metric's test may have been stopped: Errored, not judged.
		return Verdict{}, fmt.Errorf("steadystate: judging stopped: %w", err)
	}
	if len(tested) > 0 {
		ps := make([]float64, len(tested))
		for k, i := range tested {
			ps[k] = v.Metrics[i].P
		}
		adj := compare.Adjust(ps, h.Correction)
		for k, i := range tested {
			jClassify(&v.Metrics[i], adj[k], v.Alpha)
		}
	}
	v.score()
	v.decide()
	return v, nil
}

// judgeMetric runs one metric's test; jClassify finishes the judgement once
// the p-values are adjusted. A metric without a p-value is final here. A
// quantile test stopped by ctx is Errored: the caller checks ctx.
func judgeMetric(ctx context.Context, m Metric, d Data, conf float64, nMetrics int) MetricResult {
	nan := math.NaN()
	r := MetricResult{
		Metric: m, P: nan, AdjustedP: nan, Autocorrelation: nan, EffectiveN: nan,
		Effect: Effect{Estimate: nan, Low: nan, High: nan, Relative: nan, RelativeLow: nan, RelativeHigh: nan, ControlLevel: nan},
	}
	ctl, exp := d.Control.Present(), d.Experiment.Present()
	r.NControl, r.NExperiment = len(ctl), len(exp)
	r.MissingControl, r.MissingExperiment = d.Control.Len()-len(ctl), d.Experiment.Len()-len(exp)
	need := m.minPoints()
	for _, g := range []struct {
		name       string
		n, missing int
	}{{"control", len(ctl), r.MissingControl}, {"experiment", len(exp), r.MissingExperiment}} {
		if g.n < need {
			r.Classification = NoData
			r.Reason = fmt.Sprintf("%s has %s%s; need %d", g.name, jPlural(g.n, "value"), jMissingNote(g.missing), need)
			return r
		}
	}

	test := m.Test
	if test == AutoTest {
		test = MannWhitneyTest
		if len(d.Control.T) > 0 && len(d.Experiment.T) > 0 {
			test = TimeSeriesTest
		}
	}
	r.Test = test.String()
	if test != TimeSeriesTest && (d.HistoryControl.Len() > 0 || d.HistoryExperiment.Len() > 0) {
		r.Warnings = append(r.Warnings, fmt.Errorf("the history before the experiment is used by the time-series test only; test %s does not use it", test))
	}
	opts := compare.Options{Confidence: conf}
	var (
		res compare.Result
		err error
	)
	switch test {
	case MannWhitneyTest:
		res, err = compare.MannWhitneyU(exp, ctl, opts)
	case WelchTest:
		res, err = compare.WelchT(exp, ctl, opts)
		if errors.Is(err, compare.ErrZeroVariance) {
			// Two constant groups: t is undefined, but two different
			// constants are a change no judge may pass. Mann-Whitney sees it.
			r.Warnings = append(r.Warnings, fmt.Errorf("welch: both groups are constant, so Welch's t is undefined; judged by Mann-Whitney instead"))
			test, r.Test = MannWhitneyTest, MannWhitneyTest.String()
			res, err = compare.MannWhitneyU(exp, ctl, opts)
		}
	case KSTest:
		res, err = compare.KolmogorovSmirnov(exp, ctl, compare.Options{Confidence: conf, NoShift: true})
	case BrunnerMunzelTest:
		res, err = compare.BrunnerMunzel(exp, ctl, opts)
		if errors.Is(err, compare.ErrZeroVariance) {
			// Completely separated groups: Brunner-Munzel's variance
			// estimate is zero, but a separation is a change no judge may
			// pass. Mann-Whitney's exact test sees it.
			r.Warnings = append(r.Warnings, fmt.Errorf("brunnermunzel: the groups are completely separated, so the test is undefined; judged by Mann-Whitney instead"))
			test, r.Test = MannWhitneyTest, MannWhitneyTest.String()
			res, err = compare.MannWhitneyU(exp, ctl, opts)
		}
	case TimeSeriesTest:
		if len(d.Control.T) == 0 || len(d.Experiment.T) == 0 {
			err = fmt.Errorf("test timeseries pairs the groups in time, and the %s has no timestamps: give both groups as timestamp,value files, or choose a sample test (mannwhitney)", map[bool]string{true: "control", false: "experiment"}[len(d.Control.T) == 0])
			break
		}
		tsOpts := opts
		if d.HistoryControl.Len() > 0 || d.HistoryExperiment.Len() > 0 {
			tsOpts.History = &compare.History{Experiment: d.HistoryExperiment, Control: d.HistoryControl}
		}
		res, err = compare.TimeSeries(d.Experiment, d.Control, tsOpts)
		if err == nil && tsOpts.History != nil {
			r.HistoryMinutes = historyMinutes(d.HistoryControl, d.HistoryExperiment)
		}
		if errors.Is(err, compare.ErrConstantDifference) {
			// The experiment differs from the control by the same amount at
			// every time (a constant error count against none): the change is
			// certain but has no variance to test. Mann-Whitney sees it.
			r.Warnings = append(r.Warnings, fmt.Errorf("timeseries: the experiment differs from the control by the same amount at every time, which leaves no variance to test; judged by Mann-Whitney instead"))
			test, r.Test = MannWhitneyTest, MannWhitneyTest.String()
			res, err = compare.MannWhitneyU(exp, ctl, opts)
		}
	case QuantileTest:
		// The bootstrap's smallest two-sided p-value is 2/(B+1): with m
		// metrics, Holm's first step compares it with alpha/m, so B grows
		// with m to keep the quantile test able to reject (8m/alpha puts
		// the floor at a quarter of alpha/m).
		qopts := opts
		qopts.Resamples = max(compare.DefaultResamples, int(math.Ceil(8*float64(nMetrics)/(1-conf))))
		res, err = compare.QuantileContext(ctx, exp, ctl, m.Quantile, qopts)
	}
	if err != nil {
		if errors.Is(err, compare.ErrSampleSize) {
			r.Classification = NoData
			r.Reason = fmt.Sprintf("too few values for %s: %v", r.Test, err)
			return r
		}
		r.Classification = Errored
		r.Err = err
		r.Reason = fmt.Sprintf("%s could not run: %v", r.Test, err)
		return r
	}
	r.Result = res
	r.P = res.P
	if math.IsNaN(res.P) {
		// A test that ran but gave no p-value has judged nothing: an
		// error with its reason, never a silent no-data.
		r.Classification = Errored
		r.Err = fmt.Errorf("%s gave no p-value (statistic %v)", r.Test, res.Statistic)
		r.Reason = fmt.Sprintf("%s could not run: %v", r.Test, r.Err)
		return r
	}
	r.NControl, r.NExperiment = res.NControl, res.NExperiment
	r.Warnings = append(r.Warnings, res.Warnings...)

	switch test {
	case MannWhitneyTest, WelchTest:
		r.Effect = jEffect(res.Shift, res.ControlLevel, map[Test]string{MannWhitneyTest: "hodges-lehmann shift", WelchTest: "difference in means"}[test])
		if test == MannWhitneyTest && res.Shift.Estimate == 0 && jMean(exp) != jMean(ctl) {
			// The Hodges-Lehmann shift is 0 when most pairwise differences
			// are ties (error counts that are mostly zero), even when the
			// test sees that one group is larger. The difference in means
			// then measures the change the test found.
			w, werr := compare.WelchT(exp, ctl, opts)
			if werr == nil {
				r.Effect = jEffect(w.Shift, w.ControlLevel, "difference in means")
				r.Warnings = append(r.Warnings, fmt.Errorf("the Hodges-Lehmann shift is 0 because most pairwise differences are ties; the effect shown is the difference in means"))
			}
		}
	case KSTest, BrunnerMunzelTest:
		r.Effect = jQuantileProfile(m.Direction, exp, ctl)
	case QuantileTest:
		r.Effect = jEffect(res.Shift, res.ControlLevel, fmt.Sprintf("p%s difference (bootstrap interval)", jfmtG(100*m.Quantile)))
	case TimeSeriesTest:
		r.Effect = jEffect(res.Shift, res.ControlLevel, "mean paired difference")
		r.Autocorrelation, r.EffectiveN = res.Autocorrelation, res.EffectiveN
		for _, w := range res.Warnings {
			var ls compare.LevelShift
			if errors.As(w, &ls) {
				r.LevelShift = &ls
			}
			var sg compare.Segment
			if errors.As(w, &sg) {
				r.Segment = &sg
			}
		}
	}
	return r
}

// jClassify finishes a tested metric's judgement with its adjusted p-value.
func jClassify(r *MetricResult, adjusted, alpha float64) {
	jClassifyChange(r, adjusted, alpha)
	if r.Classification == Pass && r.EffectiveN < MinEffectiveN {
		// Too little information to pass: the interval is as wide as the
		// series is short in independent points, and the variance estimate
		// behind it is itself unreliable. No information is never a pass.
		r.Classification = NoData
		r.Reason = fmt.Sprintf("not judged: the %d pairs are worth about %.1f independent points (effective n), fewer than the %d needed to pass a metric (%s); measure for longer", r.NControl, r.EffectiveN, MinEffectiveN, r.Reason)
	}
}

// jClassifyChange classifies a tested metric by its adjusted p-value and
// its effect against the tolerance.
func jClassifyChange(r *MetricResult, adjusted, alpha float64) {
	m := r.Metric
	r.AdjustedP = adjusted
	e := r.Effect
	if !compare.Significant(adjusted, alpha) {
		r.Classification = Pass
		r.Reason = fmt.Sprintf("no significant change (adjusted p = %s > alpha %s)", format.PValue(adjusted), jfmtG(alpha))
		return
	}
	up, down := jHarmful(m, e)
	switch {
	case up && m.Direction != Decrease:
		r.Classification = High
		r.Reason = fmt.Sprintf("significantly higher (adjusted p = %s), %s beyond the tolerance of %s", format.PValue(adjusted), jfmtEffectShort(e), jTolerance(m))
	case down && m.Direction != Increase:
		r.Classification = Low
		r.Reason = fmt.Sprintf("significantly lower (adjusted p = %s), %s beyond the tolerance of %s", format.PValue(adjusted), jfmtEffectShort(e), jTolerance(m))
	case jShiftHarm(r, adjusted):
		// A level shift whose later (or earlier) part, or a segment that
		// came back, is beyond tolerance, though the mean over the window
		// is not: classified there.
	default:
		r.Classification = Pass
		switch {
		case (e.Estimate > 0 && m.Direction == Decrease) || (e.Estimate < 0 && m.Direction == Increase):
			r.Reason = fmt.Sprintf("significant change (adjusted p = %s) in the harmless direction, %s", format.PValue(adjusted), jfmtEffectShort(e))
		default:
			r.Reason = fmt.Sprintf("significant change (adjusted p = %s) within the tolerance of %s, %s", format.PValue(adjusted), jTolerance(m), jfmtEffectShort(e))
		}
	}
	if math.IsNaN(e.Relative) && e.Estimate != 0 {
		r.Warnings = append(r.Warnings, fmt.Errorf("the control's level is not known, so the relative tolerance was not checked: set absolute_tolerance"))
	}
}

// jShiftHarm classifies a significant time-series metric whose mean over
// the window is within tolerance but whose differences shifted level
// within it (compare.LevelShift) and are beyond tolerance in a harmful
// direction on one side of the shift: a fault that cut downloads by 12%
// for the last third of the window averages to 4% over it, and a person
// would not call that a pass. The level after the shift is checked first,
// then the level before it. A segment in which the differences moved and
// came back (compare.Segment: a fault, then a recovery) is judged the
// same way on the segment first, then on the rest of the window: a 15%
// drop for the middle third averages to 5%. It reports whether it
// classified r.
func jShiftHarm(r *MetricResult, adjusted float64) bool {
	type part struct {
		when        string
		diff, level float64
	}
	var parts []part
	what := "the level shifted"
	switch ls, sg := r.LevelShift, r.Segment; {
	case ls != nil:
		parts = []part{
			{"from " + jfmtTime(ls.Time) + " on", ls.After, ls.ControlAfter},
			{"before " + jfmtTime(ls.Time), ls.Before, ls.ControlBefore},
		}
	case sg != nil:
		what = "the level moved and came back"
		span := jfmtTime(sg.Start) + " to " + jfmtTime(sg.End)
		parts = []part{
			{"from " + span, sg.Inside, sg.ControlInside},
			{"outside " + span, sg.Outside, sg.ControlOutside},
		}
	default:
		return false
	}
	m := r.Metric
	for _, part := range parts {
		pe := Effect{Estimate: part.diff, Low: math.NaN(), High: math.NaN(), Relative: jRelative(part.diff, part.level), RelativeLow: math.NaN(), RelativeHigh: math.NaN(), ControlLevel: part.level}
		up, down := jHarmful(m, pe)
		switch {
		case up && m.Direction != Decrease:
			r.Classification = High
		case down && m.Direction != Increase:
			r.Classification = Low
		default:
			continue
		}
		r.Reason = fmt.Sprintf("significantly %s (adjusted p = %s), and %s within the window: %s the experiment is %s, beyond the tolerance of %s (over the whole window %s)",
			map[bool]string{true: "higher", false: "lower"}[r.Classification == High], format.PValue(adjusted), what, part.when, jfmtEffectShort(pe), jTolerance(m), jfmtEffectShort(r.Effect))
		return true
	}
	return false
}

// jfmtTime formats a timestamp in Unix milliseconds as UTC RFC 3339.
func jfmtTime(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

// jHarmful reports whether the effect's estimate lies beyond the metric's
// tolerances upwards and downwards. A relative change that cannot be
// computed (NaN) does not excuse a change: only the absolute tolerance is
// checked then.
func jHarmful(m Metric, e Effect) (up, down bool) {
	relBeyond := func(rel float64) bool { return math.IsNaN(rel) || rel > m.Tolerance }
	up = e.Estimate > 0 && e.Estimate > m.AbsoluteTolerance && relBeyond(e.Relative)
	down = e.Estimate < 0 && -e.Estimate > m.AbsoluteTolerance && relBeyond(-e.Relative)
	return up, down
}

// jTolerance describes a metric's tolerances for people.
func jTolerance(m Metric) string {
	s := jfmtG(100*m.Tolerance) + "%"
	if m.AbsoluteTolerance > 0 {
		s += " and " + jfmtG(m.AbsoluteTolerance)
		if m.Unit != "" {
			s += " " + m.Unit
		}
	}
	return s
}

// jEffect builds an Effect from a shift and the control's level.
func jEffect(s compare.Shift, level float64, measure string) Effect {
	return Effect{
		Estimate: s.Estimate, Low: s.Low, High: s.High,
		Relative: jRelative(s.Estimate, level), RelativeLow: jRelative(s.Low, level), RelativeHigh: jRelative(s.High, level),
		ControlLevel: level, Measure: measure,
	}
}

// jRelative returns x / |level|: ±Inf for a nonzero x over a zero level, 0
// for a zero x.
func jRelative(x, level float64) float64 {
	if x == 0 {
		return 0
	}
	return x / math.Abs(level)
}

// jProfileProbs are the probabilities at which jQuantileProfile compares the
// groups' quantiles: the 5th to the 95th percentile in steps of 5.
var jProfileProbs = func() []float64 {
	p := make([]float64, 19)
	for i := range p {
		p[i] = float64(i+1) / 20
	}
	return p
}()

// jQuantileProfile measures the effect of a change of distribution, which the
// Kolmogorov-Smirnov test sees but a shift of location may not (a wider
// spread at an unchanged median): the difference between matching quantiles
// of the groups, from the 5th to the 95th percentile, at the one where the
// relative change is largest in a harmful direction. It has no interval.
func jQuantileProfile(dir Direction, exp, ctl []float64) Effect {
	se, sc := slices.Sorted(slices.Values(exp)), slices.Sorted(slices.Values(ctl))
	best := Effect{Estimate: 0, Low: math.NaN(), High: math.NaN(), Relative: 0, RelativeLow: math.NaN(), RelativeHigh: math.NaN(), ControlLevel: jQuantile7(sc, 0.5), Measure: "largest quantile difference (p50)"}
	score := func(e Effect) float64 {
		switch dir {
		case Increase:
			return e.Relative
		case Decrease:
			return -e.Relative
		}
		return math.Abs(e.Relative)
	}
	bestScore, bestAbs := 0.0, 0.0
	for _, p := range jProfileProbs {
		qe, qc := jQuantile7(se, p), jQuantile7(sc, p)
		d := qe - qc
		e := Effect{Estimate: d, Low: math.NaN(), High: math.NaN(), Relative: jRelative(d, qc), RelativeLow: math.NaN(), RelativeHigh: math.NaN(), ControlLevel: qc,
			Measure: fmt.Sprintf("largest quantile difference (p%s)", jfmtG(100*p))}
		s := score(e)
		if s > bestScore || (s == bestScore && math.Abs(d) > bestAbs) {
			best, bestScore, bestAbs = e, s, math.Abs(d)
		}
	}
	return best
}

// jQuantile7 returns the p-quantile of sorted x by linear interpolation
// between order statistics (R's type 7, numpy's default).
func jQuantile7(sorted []float64, p float64) float64 {
	n := len(sorted)
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// jMean returns the mean of x.
func jMean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// score computes the groups' scores and the hypothesis's.
func (v *Verdict) score() {
	h := v.Hypothesis
	index := map[string]int{}
	for _, r := range v.Metrics {
		g := jGroupName(r.Metric.Group) // a metric without a group is in "default"
		i, ok := index[g]
		if !ok {
			w, listed := h.GroupWeights[g]
			if !listed {
				w = 1
			}
			i = len(v.Groups)
			index[g] = i
			v.Groups = append(v.Groups, GroupScore{Name: g, Weight: w})
		}
		gs := &v.Groups[i]
		w := r.Metric.weight()
		switch {
		case r.Classification == Pass:
			gs.Passing += w
			gs.Judged += w
		case r.Classification.Failing(), r.Classification == NoData && r.Metric.NoData == NoDataFail:
			gs.Judged += w
		}
	}
	var sum, weights float64
	for i := range v.Groups {
		gs := &v.Groups[i]
		gs.Score = math.NaN()
		if gs.Judged > 0 {
			gs.Score = gs.Passing / gs.Judged
			sum += gs.Weight * gs.Score
			weights += gs.Weight
		}
	}
	v.Score = math.NaN()
	if weights > 0 {
		v.Score = sum / weights
	}
}

// decide applies the verdict rules of Judge, in order.
func (v *Verdict) decide() {
	t := v.Hypothesis.thresholds()
	for _, r := range v.Metrics {
		m := r.Metric
		if !m.Critical {
			continue
		}
		switch {
		case r.Classification.Failing():
			v.Outcome, v.Reason = Disproved, fmt.Sprintf("critical metric %s is %s: %s", m.Name, r.Classification, r.Reason)
			return
		case r.Classification == NoData && m.NoData == NoDataFail:
			v.Outcome, v.Reason = Disproved, fmt.Sprintf("critical metric %s has no data (%s) and its nodata policy is fail", m.Name, r.Reason)
			return
		}
	}
	if math.IsNaN(v.Score) {
		v.Outcome, v.Reason = Inconclusive, "no metric could be judged"
		if n := v.count(NoData); n > 0 {
			v.Reason += fmt.Sprintf(": %s of %d without data", jPlural(n, "metric"), len(v.Metrics))
		}
		return
	}
	if v.Score < t.Marginal {
		v.Outcome, v.Reason = Disproved, fmt.Sprintf("score %s is below the marginal threshold %s: %s", jfmtScore(v.Score), jfmtG(t.Marginal), v.failingList())
		return
	}
	if n := v.count(NoData); 2*n >= len(v.Metrics) {
		v.Outcome, v.Reason = Inconclusive, fmt.Sprintf("%d of %d metrics have no data: no data is never a pass", n, len(v.Metrics))
		return
	}
	for _, r := range v.Metrics {
		m := r.Metric
		switch {
		case r.Classification == NoData && m.NoData == NoDataInconclusive:
			v.Outcome, v.Reason = Inconclusive, fmt.Sprintf("metric %s has no data (%s) and its nodata policy is inconclusive", m.Name, r.Reason)
			return
		case r.Classification == NoData && m.Critical && m.NoData == NoDataIgnore:
			v.Outcome, v.Reason = Inconclusive, fmt.Sprintf("critical metric %s has no data (%s): a critical metric is never ignored", m.Name, r.Reason)
			return
		case r.Classification == Errored:
			v.Outcome, v.Reason = Inconclusive, fmt.Sprintf("metric %s could not be judged: %s", m.Name, r.Reason)
			return
		}
	}
	if v.Score < t.Pass {
		v.Outcome, v.Reason = Inconclusive, fmt.Sprintf("score %s is marginal: at least %s but below the pass threshold %s: %s", jfmtScore(v.Score), jfmtG(t.Marginal), jfmtG(t.Pass), v.failingList())
		return
	}
	v.Outcome = Held
	v.Reason = fmt.Sprintf("score %s reaches the pass threshold %s", jfmtScore(v.Score), jfmtG(t.Pass))
	if f := v.failingList(); f != "no metric failed" {
		v.Reason += "; " + f
	}
}

// count returns the number of metrics classified c.
func (v *Verdict) count(c Classification) int {
	n := 0
	for _, r := range v.Metrics {
		if r.Classification == c {
			n++
		}
	}
	return n
}

// failingList names the failing metrics.
func (v *Verdict) failingList() string {
	var names []string
	for _, r := range v.Metrics {
		if r.Classification.Failing() || (r.Classification == NoData && r.Metric.NoData == NoDataFail) {
			names = append(names, r.Metric.Name+" "+r.Classification.String())
		}
	}
	switch len(names) {
	case 0:
		return "no metric failed"
	case 1:
		return "failing: " + names[0]
	}
	return "failing: " + fmt.Sprint(len(names)) + " metrics (" + strings.Join(names, ", ") + ")"
}

// jPlural returns "1 value", "3 values".
func jPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// jMissingNote returns " (3 missing)", or "" for none.
func jMissingNote(missing int) string {
	if missing == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d missing)", missing)
}

// historyMinutes returns the minutes the two history series span, from the
// first time of either to one step (the shortest) past the last.
func historyMinutes(a, b series.Series) float64 {
	var lo, hi, step int64
	seen := false
	for _, s := range []series.Series{a, b} {
		if len(s.T) == 0 {
			continue
		}
		if !seen || s.T[0] < lo {
			lo = s.T[0]
		}
		if !seen || s.T[len(s.T)-1] > hi {
			hi = s.T[len(s.T)-1]
		}
		if len(s.T) > 1 && (step == 0 || s.T[1]-s.T[0] < step) {
			step = s.T[1] - s.T[0]
		}
		seen = true
	}
	if !seen {
		return 0
	}
	return float64(hi-lo+step) / 60000
}
