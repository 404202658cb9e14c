package compare_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
	"gonum.org/v1/gonum/stat/distuv"
)

// lognormal returns n latencies in seconds with median m and log-scale
// standard deviation s.
func lognormal(r *rand.Rand, n int, m, s float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = m * math.Exp(s*r.NormFloat64())
	}
	return x
}

// TestQuantileCoverage checks by simulation that the bootstrap interval
// covers the true difference of quantiles at its level, at the smallest
// sizes Quantile does not warn about (RecommendedQuantileTail points beyond
// the quantile): the median at 40 points, p95 at 400, p99 at 2000, both
// groups lognormal latencies (control median 200 ms, experiment 220 ms,
// log-sd 0.5). The percentile interval of a quantile is a little
// conservative (a sample quantile's bootstrap distribution is lumpy and
// slightly too wide; 3000 replications per setting measured 0.961 for the
// median at 40, 0.973 for p95 at 100, 0.964 at 400, 0.953 at 2000, 0.965 for
// p99 at 500 and 0.964 at 2000), so the bound is one-sided with a cap:
// coverage at least 0.95 − 3.5 binomial s.e. over 1000 replications
// (0.926) and at most 0.985, an interval not needlessly wide.
func TestQuantileCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	const k = 1000
	r := rand.New(rand.NewPCG(2026, 7))
	for _, tc := range []struct {
		q float64
		n int
	}{{0.5, 40}, {0.95, 400}, {0.99, 2000}} {
		z := distuv.UnitNormal.Quantile(tc.q)
		truth := (0.22 - 0.20) * math.Exp(0.5*z)
		covered, rejected := 0, 0
		var warned bool
		for i := range k {
			e := lognormal(r, tc.n, 0.22, 0.5)
			c := lognormal(r, tc.n, 0.20, 0.5)
			res, err := compare.Quantile(e, c, tc.q, compare.Options{Seed: uint64(i + 1)})
			if err != nil {
				t.Fatal(err)
			}
			warned = warned || len(res.Warnings) > 0
			if res.Shift.Low <= truth && truth <= res.Shift.High {
				covered++
			}
			if res.Significant() {
				rejected++
			}
		}
		cov := float64(covered) / k
		se := math.Sqrt(0.95 * 0.05 / k)
		t.Logf("q=%v n=%d per group, %d replications: coverage of the 95%% bootstrap interval %.3f; power for the 10%% shift %.3f",
			tc.q, tc.n, k, cov, float64(rejected)/k)
		if cov < 0.95-3.5*se || cov > 0.985 {
			t.Errorf("q=%v n=%d: coverage %.3f outside [%.3f, 0.985]", tc.q, tc.n, cov, 0.95-3.5*se)
		}
		if warned {
			t.Errorf("q=%v n=%d: warnings at the recommended size", tc.q, tc.n)
		}
	}
}

// TestQuantileFalseAlarms checks the p-value, which inverts the interval,
// on A/A data: p95 of 400 lognormal latencies per group, 1000
// replications: the rate is at most alpha + 3.5 binomial s.e. (0.074) and,
// the interval being a little conservative (see TestQuantileCoverage), at
// least 0.01.
func TestQuantileFalseAlarms(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	const k = 1000
	r := rand.New(rand.NewPCG(2026, 8))
	rej := 0
	for i := range k {
		res, err := compare.Quantile(lognormal(r, 400, 0.2, 0.5), lognormal(r, 400, 0.2, 0.5), 0.95, compare.Options{Seed: uint64(i + 1), NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.P < 0.05 {
			rej++
		}
	}
	rate := float64(rej) / k
	t.Logf("A/A p95, 400 per group, %d replications: false-alarm rate %.3f", k, rate)
	if lim := 0.05 + 3.5*math.Sqrt(0.05*0.95/k); rate > lim {
		t.Errorf("false-alarm rate %.3f > %.3f", rate, lim)
	}
	if rate < 0.01 {
		t.Errorf("false-alarm rate %.3f < 0.01: far more conservative than the coverage implies", rate)
	}
}

// TestQuantileSeesShapeChange is the pain point Mann-Whitney misses: the
// experiment's latencies have the same median but twice the variance on the
// log scale (log-sd 0.5·√2 against 0.5), a slower tail. Over 200
// replications of 2000 latencies per group, the p99 comparison detects it
// (p < 0.05) at least 90% of the time, while Mann-Whitney's rejection rate
// stays at alpha (within 3.5 binomial s.e. of 0.05 over 200: ≤ 0.104) —
// it is a test of location and the location did not move.
func TestQuantileSeesShapeChange(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	const k = 200
	r := rand.New(rand.NewPCG(2026, 9))
	qRej, mwRej := 0, 0
	for i := range k {
		e := lognormal(r, 2000, 0.2, 0.5*math.Sqrt2)
		c := lognormal(r, 2000, 0.2, 0.5)
		qr, err := compare.Quantile(e, c, 0.99, compare.Options{Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		mw, err := compare.MannWhitneyU(e, c, compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		if qr.P < 0.05 {
			qRej++
		}
		if mw.P < 0.05 {
			mwRej++
		}
	}
	qp, mwp := float64(qRej)/k, float64(mwRej)/k
	t.Logf("same median, doubled log-variance, 2000 per group, %d replications: p99 bootstrap detects %.3f, Mann-Whitney %.3f", k, qp, mwp)
	if qp < 0.9 {
		t.Errorf("p99 comparison detected the slower tail in %.3f of replications, want >= 0.9", qp)
	}
	if lim := 0.05 + 3.5*math.Sqrt(0.05*0.95/k); mwp > lim {
		t.Errorf("Mann-Whitney rejected %.3f > %.3f: the shape change moved the location after all?", mwp, lim)
	}
}

// TestQuantileInput checks the errors and warnings, each case saying why.
func TestQuantileInput(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	x := func(n int) []float64 { return lognormal(r, n, 0.2, 0.5) }
	x600 := x(600)
	withNaN := x(600)
	withNaN[7] = math.NaN()
	for _, tc := range []struct {
		name, reason string
		e, c         []float64
		q            float64
		opts         compare.Options
		wantErr      error
		errText      string
		warn         string
	}{
		{name: "q=0", reason: "no such quantile", e: x600, c: x600, q: 0, errText: "out of range"},
		{name: "q=1", reason: "the maximum is not a quantile a bootstrap can bound", e: x600, c: x600, q: 1, errText: "out of range"},
		{name: "q=99", reason: "a percent instead of a level", e: x600, c: x600, q: 99, errText: "such as 0.99"},
		{name: "q=NaN", reason: "NaN is not a level", e: x600, c: x600, q: math.NaN(), errText: "out of range"},
		{name: "p99 of 499", reason: "p99 needs 500 values (5 beyond the quantile)", e: x(499), c: x600, q: 0.99, wantErr: compare.ErrSampleSize, errText: "needs at least 500"},
		{name: "p01 of 499", reason: "the lower tail counts the same way", e: x600, c: x(499), q: 0.01, wantErr: compare.ErrSampleSize, errText: "control has 499 values"},
		{name: "median of 9", reason: "the median needs 10", e: x(9), c: x(50), q: 0.5, wantErr: compare.ErrSampleSize, errText: "needs at least 10"},
		{name: "empty", reason: "no data is never a pass", e: nil, c: x600, q: 0.5, wantErr: compare.ErrSampleSize},
		{name: "infinite", reason: "infinities are rejected", e: append(x(20), math.Inf(1)), c: x600, q: 0.5, wantErr: compare.ErrNonFinite},
		{name: "negative resamples", reason: "a negative count is an error, not a default", e: x600, c: x600, q: 0.5, opts: compare.Options{Resamples: -5}, errText: "resamples"},
		{name: "p99 of 600", reason: "runs, but below the 2000 values the coverage was checked for", e: x600, c: x600, q: 0.99, warn: "checked for 2000 values or more"},
		{name: "missing", reason: "NaN is left out with a warning", e: withNaN, c: x600, q: 0.5, warn: "1 of 600 experiment values are missing"},
		{name: "few resamples", reason: "19 resamples cannot give p < 0.05 two-sided", e: x600, c: x600, q: 0.5, opts: compare.Options{Resamples: 19}, warn: "raise Resamples"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := compare.Quantile(tc.e, tc.c, tc.q, tc.opts)
			if tc.wantErr != nil || tc.errText != "" {
				if err == nil {
					t.Fatalf("no error (%s)", tc.reason)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Errorf("error %v is not %v (%s)", err, tc.wantErr, tc.reason)
				}
				if !strings.Contains(err.Error(), tc.errText) {
					t.Errorf("error %q does not contain %q (%s)", err, tc.errText, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v (%s)", err, tc.reason)
			}
			if !hasWarning(res, tc.warn) {
				t.Errorf("no warning containing %q (%s): %v", tc.warn, tc.reason, res.Warnings)
			}
		})
	}
}

// TestQuantileResult checks the fields: reproducible for a seed (the zero
// seed is DefaultSeed), ControlLevel and Statistic are the type-7
// quantiles, the one-sided intervals have an infinite end, the p-value is
// consistent with the interval, and Autocorrelation/EffectiveN are NaN.
func TestQuantileResult(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	e := lognormal(r, 1000, 0.26, 0.5)
	c := lognormal(r, 1000, 0.20, 0.5)
	a, err := compare.Quantile(e, c, 0.95, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := compare.Quantile(e, c, 0.95, compare.Options{Seed: compare.DefaultSeed, Resamples: compare.DefaultResamples})
	other, _ := compare.Quantile(e, c, 0.95, compare.Options{Seed: 99})
	if a.P != b.P || a.Shift != b.Shift {
		t.Errorf("zero options %v differ from DefaultSeed and DefaultResamples %v", a, b)
	}
	if other.Shift.Low == a.Shift.Low && other.Shift.High == a.Shift.High {
		t.Errorf("seed 99 gave the same interval as the default seed: is the seed used?")
	}
	if a.Test != "quantile" || a.Method != compare.Asymptotic || a.NExperiment != 1000 || a.NControl != 1000 {
		t.Errorf("test %q method %v n %d+%d", a.Test, a.Method, a.NExperiment, a.NControl)
	}
	if !math.IsNaN(a.Autocorrelation) || !math.IsNaN(a.EffectiveN) {
		t.Errorf("Autocorrelation %v EffectiveN %v, want NaN", a.Autocorrelation, a.EffectiveN)
	}
	approx.Close(t, "statistic = shift estimate", a.Statistic, a.Shift.Estimate, 0, 0)
	// A 30% higher median at the same log-sd: the p95 moves by 0.06·e^{0.5·1.645}.
	if !(a.Shift.Low > 0 && a.Significant()) {
		t.Errorf("a 30%% slower p95 not detected: %v", a)
	}
	if !(a.Shift.Low <= a.Shift.Estimate && a.Shift.Estimate <= a.Shift.High) {
		t.Errorf("estimate outside its interval: %v", a.Shift)
	}
	g, _ := compare.Quantile(e, c, 0.95, compare.Options{Alternative: compare.Greater})
	l, _ := compare.Quantile(e, c, 0.95, compare.Options{Alternative: compare.Less})
	if !math.IsInf(g.Shift.High, 1) || !math.IsInf(l.Shift.Low, -1) || g.Shift.Low < a.Shift.Low {
		t.Errorf("one-sided intervals: greater %v, less %v, two-sided %v", g.Shift, l.Shift, a.Shift)
	}
	if !(g.P < 0.01 && l.P > 0.99) {
		t.Errorf("one-sided p: greater %v less %v", g.P, l.P)
	}
	// The minimum p-value: every resample above 0 gives 2/(B+1) two-sided.
	approx.Close(t, "two-sided p when all resamples agree", a.P, 2.0/2001, 1e-12, 0)
	approx.Close(t, "one-sided p when all resamples agree", g.P, 1.0/2001, 1e-12, 0)
}

// BenchmarkQuantile compares p99 of 10,080 latencies per group with the
// default 2000 resamples.
func BenchmarkQuantile(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	e := lognormal(r, 10080, 0.21, 0.5)
	c := lognormal(r, 10080, 0.20, 0.5)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compare.Quantile(e, c, 0.99, compare.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuantileConfidence compares p99 of 10,080 latencies per group
// with as many resamples as steadystate's judge asks for one metric at each
// confidence, max(DefaultResamples, ⌈8/(1 − confidence)⌉): 2000 at 0.95,
// 800,000 at 0.99999, 80 million at 0.9999999 (run that one with
// -benchtime 1x). B/op shows the memory the resamples take.
func BenchmarkQuantileConfidence(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	e := lognormal(r, 10080, 0.21, 0.5)
	c := lognormal(r, 10080, 0.20, 0.5)
	for _, conf := range []float64{0.95, 0.99999, 0.9999999} {
		opts := compare.Options{Confidence: conf, Resamples: max(compare.DefaultResamples, int(math.Ceil(8/(1-conf))))}
		b.Run(fmt.Sprintf("confidence=%v", conf), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := compare.Quantile(e, c, 0.99, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestQuantileHighConfidenceMemory: at the resamples steadystate's judge
// draws for confidence 0.9999999 (80 million), QuantileContext used to
// allocate all the resampled differences, 640 MB, before its context
// could stop it. It now keeps the interval's tails only: the run, stopped
// after 50 ms, allocates about the sorted copies of the samples (TotalAlloc
// is process-wide, so the bound leaves room for the test runtime).
func TestQuantileHighConfidenceMemory(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	e := lognormal(r, 10080, 0.21, 0.5)
	c := lognormal(r, 10080, 0.20, 0.5)
	const conf = 0.9999999
	opts := compare.Options{Confidence: conf, Resamples: int(math.Ceil(8 / (1 - conf)))}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := compare.QuantileContext(ctx, e, c, 0.99, opts)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the deadline (the run takes tens of seconds)", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("allocated %d bytes for %d resamples, want well under 16 MiB", got, opts.Resamples)
	}
}
