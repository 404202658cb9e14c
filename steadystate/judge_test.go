package steadystate

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
)

// judgeSample returns a plain sample (no timestamps) of the values.
func judgeSample(v ...float64) series.Series { return series.Series{V: v} }

// judgeNormal returns n normal values with the given mean and sd.
func judgeNormal(rng *rand.Rand, n int, mu, sd float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = mu + sd*rng.NormFloat64()
	}
	return x
}

// judgeTimed returns the values as a series at one point a minute.
func judgeTimed(v []float64) series.Series {
	t := make([]int64, len(v))
	for i := range t {
		t[i] = 1_700_000_040_000 + int64(i)*60_000
	}
	return series.Series{T: t, V: v}
}

// judgeOne judges a one-metric hypothesis.
func judgeOne(t *testing.T, m Metric, d Data) MetricResult {
	t.Helper()
	v, err := Judge(Hypothesis{Name: "t", Metrics: []Metric{m}}, []Data{d})
	if err != nil {
		t.Fatal(err)
	}
	return v.Metrics[0]
}

// judgePoisson returns n Poisson(lambda) counts (Knuth's method; lambda is
// small here).
func judgePoisson(rng *rand.Rand, n int, lambda float64) []float64 {
	x := make([]float64, n)
	limit := math.Exp(-lambda)
	for i := range x {
		k, p := 0, rng.Float64()
		for p > limit {
			k++
			p *= rng.Float64()
		}
		x[i] = float64(k)
	}
	return x
}

func TestJudgeZeroControl(t *testing.T) {
	// The Kayenta failure: an error metric whose control saw no errors
	// judged Pass while the experiment threw errors. Relative change over a
	// zero control is undefined; any significant increase is beyond every
	// relative tolerance.
	rng := rand.New(rand.NewPCG(3, 1))
	zeros := make([]float64, 60)
	errorsExp := judgePoisson(rng, 60, 0.5) // about 24 of 60 minutes with errors: the median is 0
	allTwo := make([]float64, 60)
	for i := range allTwo {
		allTwo[i] = 2
	}
	cases := []struct {
		name, reason string
		m            Metric
		exp          []float64
		want         Classification
	}{
		{"mannwhitney", "the default test: the Hodges-Lehmann shift is 0 (most differences tie at 0), so the effect falls back to the mean difference",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05}, errorsExp, High},
		{"welch", "Welch with a zero-variance control runs on the experiment's variance alone",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05, Test: WelchTest}, errorsExp, High},
		{"welch_both_constant", "two constant groups leave t undefined: judged by Mann-Whitney, never an error that passes",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05, Test: WelchTest}, allTwo, High},
		{"brunnermunzel", "Brunner-Munzel: the control's placements are constant but the experiment's vary, so the variance estimate is positive",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05, Test: BrunnerMunzelTest}, errorsExp, High},
		{"brunnermunzel_separated", "completely separated groups leave Brunner-Munzel undefined: judged by Mann-Whitney, never an error that passes",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05, Test: BrunnerMunzelTest}, allTwo, High},
		{"ks", "the distribution test sees the zero control too",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05, Test: KSTest}, errorsExp, High},
		{"near_zero_control", "a control with an error now and then (median 0, mean about 0.02): relative to its mean the increase is huge",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05}, nil, High},
		{"absolute_tolerance", "an absolute tolerance of 1 error a minute allows a mean increase of about 0.4",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05, AbsoluteTolerance: 1}, errorsExp, Pass},
		{"wrong_direction", "a metric where only a decrease hurts passes an increase",
			Metric{Name: "errors", Direction: Decrease, Tolerance: 0.05}, errorsExp, Pass},
	}
	nearZero := judgePoisson(rng, 60, 0.02)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctl, exp := zeros, c.exp
			if c.name == "near_zero_control" {
				ctl, exp = nearZero, errorsExp
				if jMean(nearZero) == 0 {
					t.Fatal("the near-zero control came out all zeros: pick another seed")
				}
			}
			r := judgeOne(t, c.m, Data{Control: judgeSample(ctl...), Experiment: judgeSample(exp...)})
			if r.Classification != c.want {
				t.Errorf("classification %s, want %s (%s); reason %s, effect %+v, p %g", r.Classification, c.want, c.reason, r.Reason, r.Effect, r.P)
			}
			if c.name == "near_zero_control" {
				if !(r.Effect.ControlLevel > 0 && r.Effect.Relative > 1) {
					t.Errorf("near-zero control: level %g, relative %g; want a positive level and a relative change above 100%%", r.Effect.ControlLevel, r.Effect.Relative)
				}
				return
			}
			if r.Effect.ControlLevel != 0 {
				t.Errorf("control level %g, want 0", r.Effect.ControlLevel)
			}
			if c.want == High && !math.IsInf(r.Effect.Relative, 1) {
				t.Errorf("relative effect %g over a zero control, want +Inf", r.Effect.Relative)
			}
		})
	}
}

func TestJudgeNoData(t *testing.T) {
	nan := math.NaN()
	full := judgeSample(judgeNormal(rand.New(rand.NewPCG(1, 2)), 30, 100, 10)...)
	cases := []struct {
		name, reason string
		d            Data
		why          string
	}{
		{"empty_control", "a query that returned nothing", Data{Control: series.Series{}, Experiment: full}, "control has 0 values; need 8"},
		{"all_nan_experiment", "a scrape that failed every minute", Data{Control: full, Experiment: judgeSample(nan, nan, nan)}, "experiment has 0 values (3 missing); need 8"},
		{"too_few", "fewer than min_points", Data{Control: full, Experiment: judgeSample(1, 2, 3, nan)}, "experiment has 3 values (1 missing); need 8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := Judge(Hypothesis{Name: "h", Metrics: []Metric{{Name: "m"}}}, []Data{c.d})
			if err != nil {
				t.Fatal(err)
			}
			r := v.Metrics[0]
			if r.Classification != NoData || r.Reason != c.why {
				t.Errorf("%s: %q, want nodata: %q (%s)", r.Classification, r.Reason, c.why, c.reason)
			}
			if v.Outcome != Inconclusive {
				t.Errorf("verdict %s, want inconclusive: no data is never held", v.Outcome)
			}
			if !math.IsNaN(r.P) || !math.IsNaN(r.AdjustedP) || !math.IsNaN(v.Score) {
				t.Errorf("p %g, adjusted %g, score %g: want NaN without data", r.P, r.AdjustedP, v.Score)
			}
		})
	}
}

func TestJudgeVerdictRules(t *testing.T) {
	// Metrics whose classification is known in advance: "pass" gets two
	// groups drawn from one distribution with a generous tolerance, "high"
	// a doubling, "nodata" no values.
	rng := rand.New(rand.NewPCG(7, 7))
	ctl := judgeNormal(rng, 60, 100, 5)
	same := judgeNormal(rng, 60, 100, 5)
	double := judgeNormal(rng, 60, 200, 5)
	data := map[string]Data{
		"pass":   {Control: judgeSample(ctl...), Experiment: judgeSample(same...)},
		"high":   {Control: judgeSample(ctl...), Experiment: judgeSample(double...)},
		"nodata": {Control: judgeSample(ctl...), Experiment: series.Series{}},
	}
	type mm struct {
		kind string
		m    Metric
	}
	mk := func(kind string, mod func(*Metric)) mm {
		m := Metric{Name: kind, Tolerance: 0.5}
		if mod != nil {
			mod(&m)
		}
		return mm{kind, m}
	}
	critical := func(m *Metric) { m.Critical = true }
	fail := func(m *Metric) { m.NoData = NoDataFail }
	ignore := func(m *Metric) { m.NoData = NoDataIgnore }
	named := func(name string, mod func(*Metric)) func(*Metric) {
		return func(m *Metric) {
			m.Name = name
			if mod != nil {
				mod(m)
			}
		}
	}
	cases := []struct {
		name, reason string
		metrics      []mm
		groups       map[string]float64
		thresholds   Thresholds
		want         Outcome
		score        float64
		reasonPrefix string
	}{
		{"all_pass", "every metric passes", []mm{mk("pass", nil)}, nil, Thresholds{}, Held, 1, "score 1 reaches the pass threshold 0.95"},
		{"critical_high", "a failing critical metric disproves whatever the score",
			[]mm{mk("high", critical), mk("pass", named("p1", nil)), mk("pass", named("p2", nil)), mk("pass", named("p3", nil))},
			nil, Thresholds{Pass: 0.7, Marginal: 0.5}, Disproved, 0.75, "critical metric high is high: significantly higher"},
		{"score_below_marginal", "one failing metric of two: 0.5 < 0.75",
			[]mm{mk("high", nil), mk("pass", nil)}, nil, Thresholds{}, Disproved, 0.5, "score 0.5 is below the marginal threshold 0.75: failing: high high"},
		{"marginal", "one failing metric of five: 0.8 is marginal",
			[]mm{mk("high", nil), mk("pass", named("p1", nil)), mk("pass", named("p2", nil)), mk("pass", named("p3", nil)), mk("pass", named("p4", nil))},
			nil, Thresholds{}, Inconclusive, 0.8, "score 0.8 is marginal"},
		{"nodata_inconclusive_policy", "the default policy: a metric without data blocks held",
			[]mm{mk("nodata", nil), mk("pass", named("p1", nil)), mk("pass", named("p2", nil))}, nil, Thresholds{}, Inconclusive, 1,
			"metric nodata has no data (experiment has 0 values; need 8) and its nodata policy is inconclusive"},
		{"nodata_ignore", "policy ignore: left out of the score, held on the rest",
			[]mm{mk("nodata", ignore), mk("pass", named("p1", nil)), mk("pass", named("p2", nil))}, nil, Thresholds{}, Held, 1, "score 1 reaches"},
		{"half_nodata_ignore", "half the metrics without data is never held, whatever the policy",
			[]mm{mk("nodata", ignore), mk("nodata", named("n2", ignore)), mk("pass", named("p1", nil)), mk("pass", named("p2", nil))},
			nil, Thresholds{}, Inconclusive, 1, "2 of 4 metrics have no data: no data is never a pass"},
		{"nodata_fail", "policy fail counts the metric as failing",
			[]mm{mk("nodata", fail), mk("pass", nil)}, nil, Thresholds{}, Disproved, 0.5, "score 0.5 is below the marginal threshold"},
		{"nodata_fail_critical", "a critical metric without data under fail disproves",
			[]mm{mk("nodata", func(m *Metric) { m.NoData = NoDataFail; m.Critical = true }), mk("pass", nil)}, nil, Thresholds{}, Disproved, 0.5,
			"critical metric nodata has no data"},
		{"nodata_ignore_critical", "a critical metric is never ignored",
			[]mm{mk("nodata", func(m *Metric) { m.NoData = NoDataIgnore; m.Critical = true }), mk("pass", named("p1", nil)), mk("pass", named("p2", nil))},
			nil, Thresholds{}, Inconclusive, 1, "critical metric nodata has no data"},
		{"all_nodata", "nothing judged", []mm{mk("nodata", nil)}, nil, Thresholds{}, Inconclusive, math.NaN(), "no metric could be judged: 1 metric of 1 without data"},
		{"group_weights", "groups combine by weight: latency (weight 3) passes, business (weight 1) fails: 3/4",
			[]mm{mk("pass", func(m *Metric) { m.Group = "latency" }), mk("high", func(m *Metric) { m.Group = "business" })},
			map[string]float64{"latency": 3}, Thresholds{Pass: 0.7, Marginal: 0.5}, Held, 0.75, "score 0.75 reaches the pass threshold 0.7; failing: high high"},
		{"metric_weights", "metric weights within a group: 1 passing of weight 1 against 1 failing of weight 3",
			[]mm{mk("pass", nil), mk("high", func(m *Metric) { m.Weight = 3 })}, nil, Thresholds{}, Disproved, 0.25, "score 0.25 is below"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := Hypothesis{Name: c.name, GroupWeights: c.groups, Thresholds: c.thresholds}
			var ds []Data
			for _, m := range c.metrics {
				h.Metrics = append(h.Metrics, m.m)
				ds = append(ds, data[m.kind])
			}
			v, err := Judge(h, ds)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range v.Metrics {
				if want := c.metrics[i].kind; r.Classification.String() != want {
					t.Fatalf("metric %s is %s, want %s: the test data is wrong (%s)", r.Metric.Name, r.Classification, want, r.Reason)
				}
			}
			if v.Outcome != c.want {
				t.Errorf("verdict %s (%s), want %s (%s)", v.Outcome, v.Reason, c.want, c.reason)
			}
			approx.Close(t, "score", v.Score, c.score, 1e-12, 0)
			if !strings.HasPrefix(v.Reason, c.reasonPrefix) {
				t.Errorf("reason %q, want it to start %q", v.Reason, c.reasonPrefix)
			}
		})
	}
}

func TestJudgeEffect(t *testing.T) {
	// The effect relative to the control: a 10% drop of a Welch mean, and
	// its interval, is the absolute interval over the control's mean.
	x := []float64{90, 91, 89, 92, 88, 90, 91, 89, 90, 90}
	y := []float64{100, 101, 99, 102, 98, 100, 101, 99, 100, 100}
	r := judgeOne(t, Metric{Name: "downloads", Direction: Decrease, Tolerance: 0.05, Test: WelchTest},
		Data{Control: judgeSample(y...), Experiment: judgeSample(x...)})
	w, err := compare.WelchT(x, y, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Classification != Low {
		t.Errorf("classification %s (%s), want low", r.Classification, r.Reason)
	}
	// The means are 90 and 100 by construction.
	approx.Close(t, "estimate", r.Effect.Estimate, -10, 1e-12, 0)
	approx.Close(t, "relative", r.Effect.Relative, -0.1, 1e-12, 0)
	approx.Close(t, "relative low", r.Effect.RelativeLow, w.Shift.Low/100, 1e-12, 0)
	approx.Close(t, "relative high", r.Effect.RelativeHigh, w.Shift.High/100, 1e-12, 0)
	approx.Close(t, "p", r.P, w.P, 0, 0)
	approx.Close(t, "adjusted p (one metric)", r.AdjustedP, w.P, 0, 0)

	// Within tolerance: a significant 10% drop with 15% allowed passes.
	r = judgeOne(t, Metric{Name: "downloads", Direction: Decrease, Tolerance: 0.15, Test: WelchTest},
		Data{Control: judgeSample(y...), Experiment: judgeSample(x...)})
	if r.Classification != Pass || !strings.Contains(r.Reason, "within the tolerance of 15%") {
		t.Errorf("%s: %s; want pass within the tolerance", r.Classification, r.Reason)
	}
	// The harmless direction: a drop where only an increase hurts.
	r = judgeOne(t, Metric{Name: "latency", Direction: Increase, Test: WelchTest},
		Data{Control: judgeSample(y...), Experiment: judgeSample(x...)})
	if r.Classification != Pass || !strings.Contains(r.Reason, "harmless direction") {
		t.Errorf("%s: %s; want pass in the harmless direction", r.Classification, r.Reason)
	}
}

func TestJudgeCorrection(t *testing.T) {
	// Three metrics' p-values are adjusted together: the judge's adjusted p
	// is compare.Adjust's on the raw ones, and None leaves them alone.
	rng := rand.New(rand.NewPCG(5, 5))
	var ds []Data
	var ms []Metric
	for i, shift := range []float64{0, 2, 4} {
		ds = append(ds, Data{Control: judgeSample(judgeNormal(rng, 30, 100, 5)...), Experiment: judgeSample(judgeNormal(rng, 30, 100+shift, 5)...)})
		ms = append(ms, Metric{Name: string(rune('a' + i))})
	}
	for _, c := range []compare.Correction{compare.Holm, compare.BenjaminiHochberg, compare.NoCorrection} {
		v, err := Judge(Hypothesis{Name: "h", Metrics: ms, Correction: c}, ds)
		if err != nil {
			t.Fatal(err)
		}
		var ps []float64
		for _, r := range v.Metrics {
			ps = append(ps, r.P)
		}
		want := compare.Adjust(ps, c)
		for i, r := range v.Metrics {
			approx.Close(t, c.String()+" adjusted p", r.AdjustedP, want[i], 0, 0)
		}
	}
}

func TestJudgeShapeOnly(t *testing.T) {
	// A regression of shape only: the median stays at 100 ms but the spread
	// triples (N(100, 10) to N(100, 30)), so the p95 goes from about 116 to
	// about 149 ms. Over 200 seeded replications of 500 points a group, with
	// direction increase and a 10% tolerance: Mann-Whitney, which looks at
	// location, must fail the metric in at most 10% of them (in theory
	// P(X > Y) = 1/2 exactly, so it is significant about alpha of the time,
	// and then within tolerance); Kolmogorov-Smirnov and the p95 bootstrap
	// must catch it in at least 90%.
	const reps, n = 200, 500
	rng := rand.New(rand.NewPCG(11, 12))
	base := Metric{Name: "latency_ms", Direction: Increase, Tolerance: 0.1}
	tests := []struct {
		test     Test
		quantile float64
		atLeast  float64 // the smallest acceptable rate of high
		atMost   float64 // the largest
	}{
		{MannWhitneyTest, 0, 0, 0.1},
		{KSTest, 0, 0.9, 1},
		{QuantileTest, 0.95, 0.9, 1},
		// Brunner-Munzel's null allows the wider spread: P(X > Y) = 1/2.
		{BrunnerMunzelTest, 0, 0, 0.1},
	}
	high := make([]int, len(tests))
	for range reps {
		d := Data{Control: judgeSample(judgeNormal(rng, n, 100, 10)...), Experiment: judgeSample(judgeNormal(rng, n, 100, 30)...)}
		for i, c := range tests {
			m := base
			m.Test, m.Quantile = c.test, c.quantile
			r := judgeOne(t, m, d)
			if r.Classification == High {
				high[i]++
			}
			if c.test == KSTest && r.Classification == High && !strings.HasPrefix(r.Effect.Measure, "largest quantile difference (p") {
				t.Errorf("ks effect measured as %q", r.Effect.Measure)
			}
		}
	}
	for i, c := range tests {
		rate := float64(high[i]) / reps
		t.Logf("%s: high in %d of %d replications (%.3f)", c.test, high[i], reps, rate)
		if rate < c.atLeast || rate > c.atMost {
			t.Errorf("%s: high in %.3f of replications, want within [%g, %g]", c.test, rate, c.atLeast, c.atMost)
		}
	}
}

func TestJudgeErrors(t *testing.T) {
	if _, err := Judge(Hypothesis{Name: "h", Metrics: []Metric{{Name: "m"}}}, nil); err == nil {
		t.Error("no error for data missing a metric")
	}
	if _, err := Judge(Hypothesis{Name: "h"}, nil); err == nil {
		t.Error("no error for a hypothesis without metrics")
	}
	_, err := Judge(Hypothesis{Name: "h", Metrics: []Metric{{Name: "m", Tolerance: -1}}}, []Data{{}})
	if err == nil || err.Error() != "metrics[0].tolerance: -1 is negative: want a relative change >= 0 (the direction says which way)" {
		t.Errorf("error %v", err)
	}
	// Infinite values cannot be tested: the metric is an error, and the
	// verdict cannot be held.
	inf := judgeSample(1, 2, 3, 4, 5, 6, 7, 8, math.Inf(1))
	v, err := Judge(Hypothesis{Name: "h", Metrics: []Metric{{Name: "m"}, {Name: "n"}, {Name: "o"}}},
		[]Data{{Control: inf, Experiment: inf}, {Control: judgeSample(1, 2, 3, 4, 5, 6, 7, 8), Experiment: judgeSample(1, 2, 3, 4, 5, 6, 7, 8)}, {Control: judgeSample(1, 2, 3, 4, 5, 6, 7, 8), Experiment: judgeSample(1, 2, 3, 4, 5, 6, 7, 8)}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Metrics[0].Classification != Errored || v.Outcome != Inconclusive {
		t.Errorf("metric %s, verdict %s (%s): want error and inconclusive", v.Metrics[0].Classification, v.Outcome, v.Reason)
	}
}

func TestVerdictWriteText(t *testing.T) {
	// The table carries what explains the verdict: each metric's row and its
	// reason.
	rng := rand.New(rand.NewPCG(1, 1))
	h := Hypothesis{Name: "instance-loss", Metrics: []Metric{
		{Name: "latency", Kind: System, Unit: "ms", Direction: Increase, Tolerance: 0.05, Critical: true},
		{Name: "downloads", Kind: Business, Direction: Decrease, Tolerance: 0.05},
		{Name: "errors", Direction: Increase},
	}}
	v, err := Judge(h, []Data{
		{Control: judgeSample(judgeNormal(rng, 40, 100, 5)...), Experiment: judgeSample(judgeNormal(rng, 40, 120, 5)...)},
		{Control: judgeSample(judgeNormal(rng, 40, 100, 5)...), Experiment: judgeSample(judgeNormal(rng, 40, 100, 5)...)},
		{Control: judgeSample(), Experiment: judgeSample()},
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := v.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"hypothesis  instance-loss\n",
		"verdict     disproved: critical metric latency is high",
		"metric     kind      test         n ctl+exp  effect (experiment - control)",
		"latency    system    mannwhitney  40+40",
		"high (critical)",
		"errors     -         -            0+0",
		"errors: nodata: control has 0 values; need 8",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestJudgeTimeSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	zeros := make([]float64, 120)
	twos := make([]float64, 120)
	for i := range twos {
		twos[i] = 2
	}
	errs := judgePoisson(rng, 120, 0.5)
	offset := judgeTimed(judgeNormal(rng, 120, 100, 5))
	for i := range offset.T {
		offset.T[i] += 30_000 // scraped half a minute later: no shared timestamp
	}
	cases := []struct {
		name, reason string
		m            Metric
		d            Data
		want         Classification
		test, why    string
	}{
		{"zero_control", "errors against a control with none, minute by minute: the mean paired difference over a zero level is +Inf relative",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05}, Data{Control: judgeTimed(zeros), Experiment: judgeTimed(errs)}, High, "timeseries", ""},
		{"constant_difference", "two errors a minute more at every minute: no variance to test, but never a pass",
			Metric{Name: "errors", Direction: Increase, Tolerance: 0.05}, Data{Control: judgeTimed(zeros), Experiment: judgeTimed(twos)}, High, "mannwhitney", ""},
		{"not_aligned", "groups scraped at different offsets cannot be paired: an error saying to resample",
			Metric{Name: "m"}, Data{Control: judgeTimed(judgeNormal(rng, 120, 100, 5)), Experiment: offset}, Errored, "timeseries", "timeseries could not run: compare: "},
		{"plain_sample", "test timeseries on a plain sample",
			Metric{Name: "m", Test: TimeSeriesTest}, Data{Control: judgeSample(zeros...), Experiment: judgeTimed(twos)}, Errored, "timeseries",
			"timeseries could not run: test timeseries pairs the groups in time, and the control has no timestamps"},
		{"auto_plain", "test auto on plain samples is Mann-Whitney",
			Metric{Name: "m"}, Data{Control: judgeSample(zeros...), Experiment: judgeSample(errs...)}, High, "mannwhitney", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := judgeOne(t, c.m, c.d)
			if r.Classification != c.want || r.Test != c.test || !strings.HasPrefix(r.Reason, c.why) {
				t.Errorf("%s by %s (%s), want %s by %s, reason starting %q (%s)", r.Classification, r.Test, r.Reason, c.want, c.test, c.why, c.reason)
			}
		})
	}
}

func TestJudgeQuantile(t *testing.T) {
	// The shape-only regression again, judged on p99 by bootstrap: the
	// median is unchanged, the p99 of N(100, 30) is about 170 against 123
	// for N(100, 10), far beyond the 10% tolerance.
	rng := rand.New(rand.NewPCG(11, 13))
	ctl := judgeNormal(rng, 2000, 100, 10)
	exp := judgeNormal(rng, 2000, 100, 30)
	m := Metric{Name: "latency_ms", Direction: Increase, Tolerance: 0.1, Test: QuantileTest, Quantile: 0.99}
	r := judgeOne(t, m, Data{Control: judgeSample(ctl...), Experiment: judgeSample(exp...)})
	if r.Classification != High || r.Test != "quantile" {
		t.Errorf("%s by %s (%s), want high by quantile", r.Classification, r.Test, r.Reason)
	}
	res, err := compare.Quantile(exp, ctl, 0.99, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The judge reports compare.Quantile's estimate and control level.
	approx.Close(t, "estimate", r.Effect.Estimate, res.Shift.Estimate, 1e-12, 0)
	approx.Close(t, "control level", r.Effect.ControlLevel, res.ControlLevel, 1e-12, 0)
	approx.Close(t, "relative", r.Effect.Relative, res.Shift.Estimate/res.ControlLevel, 1e-12, 0)
	if r.Effect.Measure != "p99 difference (bootstrap interval)" {
		t.Errorf("measure %q", r.Effect.Measure)
	}

	// Too few values for a p99 (compare needs 500): nodata, never a pass.
	r = judgeOne(t, m, Data{Control: judgeSample(ctl[:100]...), Experiment: judgeSample(exp[:100]...)})
	if r.Classification != NoData {
		t.Errorf("p99 of 100 values: %s (%s), want nodata", r.Classification, r.Reason)
	}
}

func TestJudgeStrings(t *testing.T) {
	// Welch on fixed values whose means are 90 and 100.
	x := []float64{90, 91, 89, 92, 88, 90, 91, 89, 90, 90}
	y := []float64{100, 101, 99, 102, 98, 100, 101, 99, 100, 100}
	v, err := Judge(Hypothesis{Name: "h", Metrics: []Metric{
		{Name: "downloads", Direction: Decrease, Tolerance: 0.05, Test: WelchTest},
		{Name: "errors"},
	}}, []Data{{Control: judgeSample(y...), Experiment: judgeSample(x...)}, {}})
	if err != nil {
		t.Fatal(err)
	}
	// scipy 1.10: ttest_ind(x, y, equal_var=False) → t = -19.364916731037088, p = 1.6801129454436513e-13.
	approx.Close(t, "p", v.Metrics[0].P, 1.6801129454436513e-13, 1e-9, 0)
	if got, want := v.String(), "disproved (score 0): score 0 is below the marginal threshold 0.75: failing: downloads low"; got != want {
		t.Errorf("verdict\n got %s\nwant %s", got, want)
	}
	if got := v.Metrics[0].String(); !strings.HasPrefix(got, "downloads: low -10.0% [") || !strings.HasSuffix(got, "n=10+10 welch") {
		t.Errorf("metric string %q", got)
	}
	if got, want := v.Metrics[1].String(), "errors: nodata: control has 0 values; need 8"; got != want {
		t.Errorf("metric string %q, want %q", got, want)
	}
}

func TestJudgeDefaultGroup(t *testing.T) {
	// Metrics without a group are in "default", which the group weights can
	// name: default (weight 3) passes, "errors" (weight 1) fails, so the
	// score is 3/4.
	rng := rand.New(rand.NewPCG(9, 9))
	ctl := judgeSample(judgeNormal(rng, 40, 100, 5)...)
	same := judgeSample(judgeNormal(rng, 40, 100, 5)...)
	double := judgeSample(judgeNormal(rng, 40, 200, 5)...)
	h := Hypothesis{Name: "h", GroupWeights: map[string]float64{"default": 3}, Metrics: []Metric{
		{Name: "a", Tolerance: 0.5},
		{Name: "b", Tolerance: 0.5, Group: "default"},
		{Name: "c", Tolerance: 0.5, Group: "errors"},
	}}
	v, err := Judge(h, []Data{{Control: ctl, Experiment: same}, {Control: ctl, Experiment: same}, {Control: ctl, Experiment: double}})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Groups) != 2 || v.Groups[0].Name != "default" || v.Groups[0].Judged != 2 || v.Groups[0].Weight != 3 {
		t.Errorf("groups %+v, want default (a and b, weight 3) and errors", v.Groups)
	}
	approx.Close(t, "score", v.Score, 0.75, 1e-12, 0)
}

// FuzzJudge judges arbitrary data (any float64 bit patterns, NaN and
// infinities included, with and without timestamps) with arbitrary tests and
// directions: the judge must not panic, must return no error for a valid
// hypothesis, and must keep its invariants: a tested metric has a p-value in
// [0, 1] and an adjusted one in [p, 1]; an untested one has neither and is
// nodata or error; no data is never held.
func FuzzJudge(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, uint8(0), uint8(0), true)
	f.Add(bytes.Repeat([]byte{0x3f, 0xf0, 0, 0, 0, 0, 0, 0}, 40), uint8(2), uint8(1), false)
	f.Add(bytes.Repeat([]byte{0x7f, 0xf8, 0, 0, 0, 0, 0, 1}, 20), uint8(3), uint8(2), true)
	f.Fuzz(func(t *testing.T, raw []byte, test, dir uint8, timed bool) {
		var vals []float64
		for i := 0; i+8 <= len(raw) && len(vals) < 400; i += 8 {
			vals = append(vals, math.Float64frombits(uint64(raw[i])<<56|uint64(raw[i+1])<<48|uint64(raw[i+2])<<40|uint64(raw[i+3])<<32|
				uint64(raw[i+4])<<24|uint64(raw[i+5])<<16|uint64(raw[i+6])<<8|uint64(raw[i+7])))
		}
		// Short inputs: small integers from the bytes, so that ties and
		// tiny samples get explored too.
		if len(vals) < 4 {
			vals = vals[:0]
			for _, b := range raw {
				vals = append(vals, float64(b%7))
			}
		}
		half := len(vals) / 2
		mk := func(v []float64) series.Series {
			if timed {
				return judgeTimed(v)
			}
			return judgeSample(v...)
		}
		d := Data{Control: mk(vals[:half]), Experiment: mk(vals[half:])}
		m := Metric{Name: "m", Test: Test(int(test) % (int(TimeSeriesTest) + 1)), Direction: Direction(int(dir) % 3), MinPoints: 2}
		if m.Test == QuantileTest {
			m.Quantile = 0.5
		}
		h := Hypothesis{Name: "fuzz", Metrics: []Metric{m, {Name: "n", MinPoints: 2}}}
		v, err := Judge(h, []Data{d, {Control: d.Experiment, Experiment: d.Control}})
		if err != nil {
			t.Fatalf("valid hypothesis, error %v", err)
		}
		nodata := 0
		for _, r := range v.Metrics {
			if math.IsNaN(r.P) {
				if r.Classification != NoData && r.Classification != Errored {
					t.Fatalf("untested metric classified %s", r.Classification)
				}
				if r.Classification == NoData {
					nodata++
				}
				continue
			}
			if !(r.P >= 0 && r.P <= 1) || !(r.AdjustedP >= r.P && r.AdjustedP <= 1) {
				t.Fatalf("p %v, adjusted %v", r.P, r.AdjustedP)
			}
			if r.Classification == NoData && r.EffectiveN < MinEffectiveN {
				// Tested, but too few effective points to pass.
				nodata++
				continue
			}
			if r.Classification == NoData || r.Classification == Errored {
				t.Fatalf("tested metric classified %s (effective n %v)", r.Classification, r.EffectiveN)
			}
		}
		if nodata > 0 && v.Outcome == Held {
			t.Fatalf("held with %d metrics without data", nodata)
		}
		var b bytes.Buffer
		if err := v.WriteText(&b); err != nil {
			t.Fatal(err)
		}
	})
}

// judgeRandomWalk returns mu plus a Gaussian random walk with steps of sd.
func judgeRandomWalk(rng *rand.Rand, n int, mu, sd float64) []float64 {
	x := make([]float64, n)
	var w float64
	for i := range x {
		w += sd * rng.NormFloat64()
		x[i] = mu + w
	}
	return x
}

// TestJudgeLowEffectiveN: a time-series metric whose pairs are worth fewer
// than MinEffectiveN independent points has too little information to pass
// (issue 3's fix): when it shows no significant change beyond tolerance it
// is NoData, and the verdict at best inconclusive. The differences here
// wander as a random walk (seeded), so 120 pairs are worth a few points;
// before the fix this metric was a pass and the hypothesis held.
func TestJudgeLowEffectiveN(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	ctl := judgeNormal(rng, 120, 1000, 5)
	exp := judgeRandomWalk(rng, 120, 0, 5)
	for i := range exp {
		exp[i] += ctl[i]
	}
	h := Hypothesis{Name: "wander", Metrics: []Metric{{Name: "downloads", Direction: Decrease, Tolerance: 0.05}}}
	v, err := Judge(h, []Data{{Control: judgeTimed(ctl), Experiment: judgeTimed(exp)}})
	if err != nil {
		t.Fatal(err)
	}
	r := v.Metrics[0]
	if !(r.EffectiveN < MinEffectiveN) {
		t.Fatalf("effective n %.1f: the data must be worth fewer than %d independent points for this test", r.EffectiveN, MinEffectiveN)
	}
	if !(r.AdjustedP >= v.Alpha) {
		t.Fatalf("adjusted p %v: the data must show no significant change for this test", r.AdjustedP)
	}
	if r.Classification != NoData || !strings.Contains(r.Reason, "effective n") || !strings.Contains(r.Reason, "not judged") {
		t.Errorf("classification %s (%s), want nodata naming the effective n", r.Classification, r.Reason)
	}
	if v.Outcome != Inconclusive {
		t.Errorf("verdict %s (%s), want inconclusive: no information is never a pass", v.Outcome, v.Reason)
	}
	t.Logf("%s: %s", r.Classification, r.Reason)

	// A significant change beyond tolerance is still a failure at low
	// effective n: the metric is Low, not excused as NoData.
	big := make([]float64, len(exp))
	for i := range big {
		big[i] = exp[i] - 400
	}
	v, err = Judge(h, []Data{{Control: judgeTimed(ctl), Experiment: judgeTimed(big)}})
	if err != nil {
		t.Fatal(err)
	}
	if r := v.Metrics[0]; r.Classification != Low || !(r.EffectiveN < MinEffectiveN) {
		t.Errorf("a 40%% cut at effective n %.1f: %s (%s), want low", r.EffectiveN, r.Classification, r.Reason)
	}
}

// TestJudgeLevelShift is the SRE's most common fault (issue 3's fix): the
// experiment loses 15% from the midpoint of a two-hour window on
// (1000 → 850 per minute, noise CV 5%, AR(1) 0.5, tolerance 5%), a lasting
// harm after a kill. Before the fix the step made the time-series test's
// variance explode and the metric passed (examples/gotest: "held", an
// interval of ±5e10 %). Over 1,000 seeded replications the metric must
// be low (the mean over the window, −7.5%, or the level after the shift,
// −15%, beyond 5%) at least 90% of the time, at least 90% of the lows
// naming the shift, and pass at most 1% of the time (before the fix:
// mostly pass).
func TestJudgeLevelShift(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	const reps, n = 1000, 120
	rng := rand.New(rand.NewPCG(2026, 1300))
	h := Hypothesis{Name: "step", Metrics: []Metric{{Name: "downloads", Direction: Decrease, Tolerance: 0.05}}}
	counts := map[Classification]int{}
	var named int
	for range reps {
		ctl := judgeAR1(rng, n, 0.5, 1000, 50)
		exp := judgeAR1(rng, n, 0.5, 1000, 50)
		for i := n / 2; i < n; i++ {
			exp[i] *= 0.85
		}
		v, err := Judge(h, []Data{{Control: judgeTimed(ctl), Experiment: judgeTimed(exp)}})
		if err != nil {
			t.Fatal(err)
		}
		r := v.Metrics[0]
		counts[r.Classification]++
		if r.Classification == Low {
			for _, w := range r.Warnings {
				if strings.Contains(w.Error(), "shifted level") {
					named++
					break
				}
			}
		}
	}
	t.Logf("15%% cut from the midpoint of %d minutes, %d replications: low %d, nodata %d, pass %d, high %d, error %d; low naming the shift %d",
		n, reps, counts[Low], counts[NoData], counts[Pass], counts[High], counts[Errored], named)
	// Stated tolerance: at most 1% pass (a shift not found in the noise and
	// a mean difference not significant at too few effective points).
	if p := float64(counts[Pass]) / reps; p > 0.01 {
		t.Errorf("%d of %d replications passed a 15%% cut, want at most 1%%", counts[Pass], reps)
	}
	if p := float64(counts[Low]) / reps; p < 0.9 {
		t.Errorf("low in %.3f of replications, want >= 0.9", p)
	}
	if named < counts[Low]*9/10 {
		t.Errorf("only %d of %d lows name the level shift", named, counts[Low])
	}
}

// TestJudgeLateShift: a cut of 12% over the last third of the window
// averages to −4% over it, within a 5% tolerance; the level after the
// shift is what a person sees, so the metric is low, its reason naming when
// (issue 3's fix). Noise CV 2%, AR(1) 0.5, seeded: the shift is certain.
func TestJudgeLateShift(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 160))
	const n = 240
	ctl := judgeAR1(rng, n, 0.5, 1000, 20)
	exp := judgeAR1(rng, n, 0.5, 1000, 20)
	for i := 160; i < n; i++ {
		exp[i] *= 0.88
	}
	h := Hypothesis{Name: "late", Metrics: []Metric{{Name: "downloads", Direction: Decrease, Tolerance: 0.05}}}
	v, err := Judge(h, []Data{{Control: judgeTimed(ctl), Experiment: judgeTimed(exp)}})
	if err != nil {
		t.Fatal(err)
	}
	r := v.Metrics[0]
	t.Log(r.Classification, ": ", r.Reason)
	if r.LevelShift == nil {
		t.Fatalf("no level shift found: %v", r.Warnings)
	}
	// The first point after the cut is index 160, at 1_700_000_040_000 +
	// 160 minutes (judgeTimed); the break date within 3 minutes of it.
	if d := r.LevelShift.Index - 160; d < -3 || d > 3 {
		t.Errorf("shift at index %d, want 160 ± 3", r.LevelShift.Index)
	}
	approx.Close(t, "relative effect over the window", r.Effect.Relative, -0.04, 0, 0.01)
	// judgeTimed starts at 2023-11-14T22:14:00Z: index 160 is 00:54 the next day.
	when := "the level shifted within the window: from " + time.UnixMilli(r.LevelShift.Time).UTC().Format(time.RFC3339) + " on the experiment is -12"
	if r.Classification != Low || !strings.Contains(r.Reason, when) || !strings.Contains(r.Reason, "beyond the tolerance of 5%") {
		t.Errorf("%s (%s), want low naming the level after the shift", r.Classification, r.Reason)
	}
	if v.Outcome != Disproved {
		t.Errorf("verdict %s, want disproved", v.Outcome)
	}

	// The same data with a 15% tolerance: the level after the shift (−12%)
	// is within it, so the metric passes.
	h.Metrics[0].Tolerance = 0.15
	v, err = Judge(h, []Data{{Control: judgeTimed(ctl), Experiment: judgeTimed(exp)}})
	if err != nil {
		t.Fatal(err)
	}
	if r := v.Metrics[0]; r.Classification != Pass {
		t.Errorf("tolerance 15%%: %s (%s), want pass", r.Classification, r.Reason)
	}
}

// TestJudgeGotestStep is the reproduction that found issue 3's defect, on
// examples/gotest's recorded two-hour run: cut the experiment's downloads
// by 15% from 13:00 on (minute 60 of 120, as the awk line in
// /work/notes/issue8-chaosstattest.md does). Before the fix the metric
// passed at −8.3% with an interval of ±5e10 % ("120 pairs are worth about
// 0.353 independent points") and the hypothesis held. Now: low, with the
// shift named at 13:00 and the level after it about −16% of the control.
func TestJudgeGotestStep(t *testing.T) {
	read := func(name string) series.Series {
		s, err := series.ReadFile("../examples/gotest/testdata/run/"+name, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ctl, exp := read("downloads-control.csv"), read("downloads-experiment.csv")
	for i := 60; i < len(exp.V); i++ {
		exp.V[i] = math.Floor(exp.V[i]*0.85 + 0.5)
	}
	h := Hypothesis{Name: "instance-loss", Metrics: []Metric{{Name: "downloads_per_minute", Direction: Decrease, Tolerance: 0.05}}}
	v, err := Judge(h, []Data{{Control: ctl, Experiment: exp}})
	if err != nil {
		t.Fatal(err)
	}
	r := v.Metrics[0]
	t.Logf("%s: %s; effective n %.1f; %v", r.Classification, r.Reason, r.EffectiveN, r.Warnings)
	if r.Classification != Low || v.Outcome != Disproved {
		t.Errorf("%s, verdict %s; want low and disproved", r.Classification, v.Outcome)
	}
	// The interval is finite and narrow: the differences' noise, not the step.
	if w := r.Effect.RelativeHigh - r.Effect.RelativeLow; !(w < 0.05) {
		t.Errorf("relative interval [%v, %v], want narrower than 5 points", r.Effect.RelativeLow, r.Effect.RelativeHigh)
	}
	ls := r.LevelShift
	if ls == nil {
		t.Fatalf("no level shift reported: %v", r.Warnings)
	}
	if got := time.UnixMilli(ls.Time).UTC().Format("15:04"); got != "13:00" {
		t.Errorf("shift at %s, want 13:00", got)
	}
	// Recorded data: the experiment is 15% lower from then on, plus the
	// kills' own losses (each costs 10% for 2 minutes every 30): about −16%.
	approx.Close(t, "level after the shift, relative", ls.After/ls.ControlAfter, -0.16, 0, 0.02)
}
