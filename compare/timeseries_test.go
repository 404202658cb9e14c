package compare_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestControlLevelOfSampleTests checks the level the judge expresses shifts
// against, for the tests on plain samples: the control's median for
// Mann-Whitney and Kolmogorov-Smirnov, its mean for Welch; and that they
// leave the time-series fields NaN (not computed), not a zero that reads
// as "no autocorrelation".
func TestControlLevelOfSampleTests(t *testing.T) {
	exp := []float64{5, 6, 7, 8}
	// Odd and even lengths, a NaN (left out), and a skewed value that pulls
	// the mean away from the median. Median by hand: sorted 1 2 3 10 → 2.5
	// and 1 2 3 4 10 → 3; means 4 and 4.
	for _, tc := range []struct {
		name         string
		control      []float64
		median, mean float64
	}{
		{"even", []float64{10, 1, 3, 2, math.NaN()}, 2.5, 4},
		{"odd", []float64{4, 10, 1, 3, 2}, 3, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, c := range []struct {
				test string
				fn   func([]float64, []float64, compare.Options) (compare.Result, error)
				want float64
			}{
				{"mannwhitney", compare.MannWhitneyU, tc.median},
				{"ks", compare.KolmogorovSmirnov, tc.median},
				{"welch", compare.WelchT, tc.mean},
			} {
				r, err := c.fn(exp, tc.control, compare.Options{})
				if err != nil {
					t.Fatalf("%s: %v", c.test, err)
				}
				approx.Close(t, c.test+" ControlLevel", r.ControlLevel, c.want, 1e-15, 0)
				if !math.IsNaN(r.Autocorrelation) || !math.IsNaN(r.EffectiveN) {
					t.Errorf("%s: Autocorrelation %v, EffectiveN %v; want NaN (not computed)", c.test, r.Autocorrelation, r.EffectiveN)
				}
			}
		})
	}
}

// minute returns a per-minute series with the values v, starting at
// 2026-11-26T12:00:00Z.
func minute(v []float64) series.Series {
	return onGrid(v, 1764158400000, 60_000)
}

func onGrid(v []float64, start, step int64) series.Series {
	t := make([]int64, len(v))
	for i := range v {
		t[i] = start + int64(i)*step
	}
	return series.Series{T: t, V: slices.Clone(v)}
}

// TestTimeSeriesAgainstR checks every number TimeSeries reports against
// testdata/timeseries_r.json, written by testdata/gen_timeseries_r.R: an
// independent R 4.2.2 implementation of the documented formula. The
// kernel sums inside it are checked against sandwich 3.0.2 in
// TestBartlettAgainstSandwich. The control is all zeros so that the
// differences are exactly the reference d. Tolerance: relative 1e-9 (the
// same arithmetic in another order), absolute 1e-12 for values near zero.
func TestTimeSeriesAgainstR(t *testing.T) {
	ref := readTimeSeriesRef(t)
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			f := c.Formula
			exp := minute(c.D)
			ctl := minute(make([]float64, len(c.D)))
			for _, alt := range []compare.Alternative{compare.TwoSided, compare.Greater, compare.Less} {
				r, err := compare.TimeSeries(exp, ctl, compare.Options{Alternative: alt})
				if err != nil {
					t.Fatalf("%v: %v", alt, err)
				}
				what := func(s string) string { return fmt.Sprintf("%s %v %s", c.Name, alt, s) }
				approx.Close(t, what("mean"), r.Shift.Estimate, f.Mean, 1e-9, 1e-12)
				approx.Close(t, what("t"), r.Statistic, f.T, 1e-9, 1e-12)
				approx.Close(t, what("df"), r.DF, f.Nu, 1e-9, 0)
				approx.Close(t, what("autocorrelation"), r.Autocorrelation, f.Rho1, 1e-9, 1e-12)
				approx.Close(t, what("effective n"), r.EffectiveN, f.EffectiveN, 1e-9, 0)
				approx.Close(t, what("control level"), r.ControlLevel, 0, 0, 0)
				if r.NExperiment != len(c.D) || r.NControl != len(c.D) || r.Test != "paired-hac" || r.Method != compare.Asymptotic {
					t.Errorf("%s: n %d+%d test %q method %v; want %d pairs, paired-hac, asymptotic", what(""), r.NExperiment, r.NControl, r.Test, r.Method, len(c.D))
				}
				switch alt {
				case compare.TwoSided:
					approx.Close(t, what("p"), r.P, f.P, 1e-9, 1e-300)
					approx.Close(t, what("low"), r.Shift.Low, f.Low, 1e-9, 1e-12)
					approx.Close(t, what("high"), r.Shift.High, f.High, 1e-9, 1e-12)
				case compare.Greater:
					approx.Close(t, what("p"), r.P, f.PGreater, 1e-9, 1e-300)
					approx.Close(t, what("low"), r.Shift.Low, f.LowGreater, 1e-9, 1e-12)
					approx.Close(t, what("high"), r.Shift.High, math.Inf(1), 0, 0)
				case compare.Less:
					approx.Close(t, what("p"), r.P, f.PLess, 1e-9, 1e-300)
					approx.Close(t, what("low"), r.Shift.Low, math.Inf(-1), 0, 0)
					approx.Close(t, what("high"), r.Shift.High, f.HighLess, 1e-9, 1e-12)
				}
				// The level shift is reported iff R's test found one,
				// naming the first point after it (R's k, 1-based, is the
				// last point before).
				wantShift := fmt.Sprintf("(point %d of %d;", f.ShiftIndex+1, len(c.D))
				if got := hasWarning(r, "shifted level at"); got != f.Shift || (got && !hasWarning(r, wantShift)) {
					t.Errorf("%s: level-shift warning %v, want %v %q: %v", what(""), got, f.Shift, wantShift, r.Warnings)
				}
				// The segment (issue 14) likewise, naming its first and
				// last point (R's 0-based [k1, k2) are the 1-based points
				// k1+1 to k2).
				wantSeg := fmt.Sprintf("(points %d to %d of %d;", f.SegmentStart+1, f.SegmentEnd, len(c.D))
				if got := hasWarning(r, "and came back at"); got != f.Segment || (got && !hasWarning(r, wantSeg)) {
					t.Errorf("%s: segment warning %v, want %v %q: %v", what(""), got, f.Segment, wantSeg, r.Warnings)
				}
				clipped := f.Sum == 0.97
				if got := hasWarning(r, "random walk or a trend"); got != clipped {
					t.Errorf("%s: clipping warning %v, want %v (sum %v): %v", what(""), got, clipped, f.Sum, r.Warnings)
				}
			}
		})
	}
}

type timeSeriesRef struct {
	R        string `json:"r"`
	Sandwich string `json:"sandwich"`
	Cases    []struct {
		Name    string    `json:"name"`
		Reason  string    `json:"reason"`
		D       []float64 `json:"d"`
		Formula struct {
			Mean       float64 `json:"mean"`
			Rho1       float64 `json:"rho1"`
			SumRaw     float64 `json:"sum_raw"`
			Sum        float64 `json:"sum"`
			BwU        float64 `json:"bw_u"`
			LRV        float64 `json:"lrv"`
			Nu         float64 `json:"nu"`
			T          float64 `json:"t"`
			P          float64 `json:"p"`
			PGreater   float64 `json:"p_greater"`
			PLess      float64 `json:"p_less"`
			Low        float64 `json:"low"`
			High       float64 `json:"high"`
			LowGreater float64 `json:"low_greater"`
			HighLess   float64 `json:"high_less"`
			EffectiveN float64 `json:"effective_n"`
			Shift      bool    `json:"shift"`
			ShiftIndex int     `json:"shift_index"`
			// The segment test's (issue 14) decision and its segment, a
			// 0-based [start, end); absent (0) when no valid one.
			Segment      bool `json:"segment"`
			SegmentStart int  `json:"segment_start"`
			SegmentEnd   int  `json:"segment_end"`
		} `json:"formula"`
	} `json:"cases"`
}

func readTimeSeriesRef(t *testing.T) timeSeriesRef {
	t.Helper()
	b, err := os.ReadFile("testdata/timeseries_r.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref timeSeriesRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ref.R, "4.2.2") || ref.Sandwich != "3.0.2" {
		t.Errorf("reference from %q, sandwich %q; want R 4.2.2, sandwich 3.0.2", ref.R, ref.Sandwich)
	}
	if len(ref.Cases) != 13 {
		t.Fatalf("%d reference cases, want the 13 gen_timeseries_r.R writes", len(ref.Cases))
	}
	return ref
}

func hasWarning(r compare.Result, substr string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w.Error(), substr) {
			return true
		}
	}
	return false
}

// groupAR1 returns n per-minute values of one group: level plus AR(1)
// noise with lag-1 autocorrelation rho and marginal standard deviation sd,
// started from its stationary distribution.
func groupAR1(r *rand.Rand, n int, level, sd, rho float64) []float64 {
	v := make([]float64, n)
	e := sd * r.NormFloat64() // stationary start: marginal sd
	innov := sd * math.Sqrt(1-rho*rho)
	for i := range v {
		if i > 0 {
			e = rho*e + innov*r.NormFloat64()
		}
		v[i] = level + e
	}
	return v
}

// The simulated service: 1000 requests per minute per group, AR(1) noise
// with a marginal standard deviation of 70 (a coefficient of variation of
// 7%), 240 minutes (four hours) per group, groups independent of each
// other. alpha = 0.05.
const (
	simLevel = 1000.0
	simSD    = 70.0
	simN     = 240
	simAlpha = 0.05
)

type rejections struct{ ts, mw, welch, k int }

// simulate runs k replications of experiment (level shifted by shift)
// against control and counts the rejections at simAlpha of TimeSeries and of
// the naive sample tests on the same data.
func simulate(t *testing.T, r *rand.Rand, k int, rho, shift float64) rejections {
	t.Helper()
	var rej rejections
	rej.k = k
	for range k {
		e := groupAR1(r, simN, simLevel+shift, simSD, rho)
		c := groupAR1(r, simN, simLevel, simSD, rho)
		ts, err := compare.TimeSeries(minute(e), minute(c), compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		mw, err := compare.MannWhitneyU(e, c, compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		w, err := compare.WelchT(e, c, compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		if ts.P < simAlpha {
			rej.ts++
		}
		if mw.P < simAlpha {
			rej.mw++
		}
		if w.P < simAlpha {
			rej.welch++
		}
	}
	return rej
}

func rate(r, k int) float64 { return float64(r) / float64(k) }

// binSE is the binomial standard error of a rate p over k replications.
func binSE(p float64, k int) float64 { return math.Sqrt(p * (1 - p) / float64(k)) }

// TestTimeSeriesFalseAlarms is the "must show": on A/A pairs of
// AR(1) series with rho = 0.8 and 240 points per group, TimeSeries raises a
// false alarm at most 8% of the time at alpha 0.05 over 2,000 replications,
// while the naive Mann-Whitney on the same data raises one about half the
// time; on independent data TimeSeries is at alpha within 3.5 binomial
// standard errors.
func TestTimeSeriesFalseAlarms(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	const k = 2000
	t.Run("rho=0.8", func(t *testing.T) {
		rej := simulate(t, rand.New(rand.NewPCG(2026, 3)), k, 0.8, 0)
		ts, mw, w := rate(rej.ts, k), rate(rej.mw, k), rate(rej.welch, k)
		t.Logf("AR(1) rho=0.8 A/A, n=%d per group, %d replications, alpha %.2f: false alarms TimeSeries %.4f (±%.4f s.e.), naive MannWhitneyU %.4f, naive WelchT %.4f",
			simN, k, simAlpha, ts, binSE(ts, k), mw, w)
		// The bound, on the observed rate itself.
		if ts > 0.08 {
			t.Errorf("TimeSeries false-alarm rate %.4f > 0.08", ts)
		}
		// Not bought with a test that never rejects: at least alpha − 3.5
		// s.e. (0.033).
		if lo := simAlpha - 3.5*binSE(simAlpha, k); ts < lo {
			t.Errorf("TimeSeries false-alarm rate %.4f < %.4f: far more conservative than designed", ts, lo)
		}
		// The problem is real on this data: the naive rate is about
		// 2[1 − Φ(1.96·√((1−ρ)/(1+ρ)))] = 0.51 (AR(1) data inflate the
		// variance of a mean by (1+ρ)/(1−ρ); Zwiers & von Storch 1995). Stated
		// tolerance 0.06, for the finite-n terms that formula leaves out
		// plus 3.5 s.e. (0.039).
		naive := 2 * distuv.UnitNormal.CDF(-1.96*math.Sqrt(0.2/1.8))
		approx.Close(t, "naive Mann-Whitney false-alarm rate", mw, naive, 0, 0.06)
		approx.Close(t, "naive Welch false-alarm rate", w, naive, 0, 0.06)
	})
	t.Run("independent", func(t *testing.T) {
		rej := simulate(t, rand.New(rand.NewPCG(2026, 4)), k, 0, 0)
		ts, mw := rate(rej.ts, k), rate(rej.mw, k)
		se := binSE(simAlpha, k)
		t.Logf("independent A/A, n=%d per group, %d replications: false alarms TimeSeries %.4f, MannWhitneyU %.4f (alpha %.2f ± %.4f at 3.5 s.e.)", simN, k, ts, mw, simAlpha, 3.5*se)
		approx.Close(t, "TimeSeries false-alarm rate on independent data", ts, simAlpha, 0, 3.5*se)
		approx.Close(t, "MannWhitneyU false-alarm rate on independent data", mw, simAlpha, 0, 3.5*se)
	})
}

// TestTimeSeriesPower reports the power to detect a 10% level shift (1000
// → 1100 per minute) in the rho = 0.8 setting, and at smaller shifts for
// scale, and checks that the 10% shift is found at least 95% of the time: the
// mean difference of 100 against a standard error of about
// 99/√27 ≈ 19 (differences with sd 70·√2, 240 pairs worth about 27
// independent ones) is a t of about 5.
func TestTimeSeriesPower(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	const k = 1000
	r := rand.New(rand.NewPCG(2026, 5))
	for _, rel := range []float64{0.02, 0.05, 0.10} {
		rej := simulate(t, r, k, 0.8, rel*simLevel)
		p := rate(rej.ts, k)
		t.Logf("AR(1) rho=0.8, n=%d, %d replications: power of TimeSeries for a %.0f%% level shift = %.3f (±%.3f s.e.)", simN, k, 100*rel, p, binSE(p, k))
		if rel == 0.10 && p < 0.95 {
			t.Errorf("power for a 10%% shift %.3f < 0.95", p)
		}
	}
}

// TestTimeSeriesInput checks the errors and warnings a caller branches on
// or reads: each case says why it exists.
func TestTimeSeriesInput(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	noise := func(n int) []float64 { return groupAR1(r, n, 100, 5, 0.3) }
	base := noise(60)
	withNaN := slices.Clone(base)
	withNaN[3], withNaN[40] = math.NaN(), math.NaN()
	unsorted := minute(base)
	unsorted.T[5], unsorted.T[6] = unsorted.T[6], unsorted.T[5]
	plus := func(v []float64, c float64) []float64 {
		out := slices.Clone(v)
		for i := range out {
			out[i] += c
		}
		return out
	}
	cases := []struct {
		name, reason string
		e, c         series.Series
		wantErr      error  // errors.Is target, or nil
		errText      string // substring of the error
		warn         []string
	}{
		{name: "plain sample", reason: "no timestamps: nothing to pair",
			e: series.Series{V: base}, c: minute(base), errText: "plain sample without timestamps"},
		{name: "empty", reason: "no data is never a pass",
			e: minute(base), c: series.Series{}, wantErr: compare.ErrSampleSize, errText: "control series is empty"},
		{name: "invalid", reason: "unsorted timestamps are rejected, naming the side",
			e: unsorted, c: minute(base), errText: "experiment: series"},
		{name: "different steps", reason: "30-second control against per-minute experiment: resample first",
			e: minute(base), c: onGrid(base, 1764158400000, 30_000), wantErr: compare.ErrNotAligned, errText: "series.Resample"},
		{name: "offset grid", reason: "same step, scraped 15 s apart: no timestamp in common",
			e: minute(base), c: onGrid(base, 1764158400000+15_000, 60_000), wantErr: compare.ErrNotAligned, errText: "share no timestamp"},
		{name: "no overlap", reason: "different periods: no data to compare",
			e: minute(base), c: onGrid(base, 1764158400000+24*3600_000, 60_000), wantErr: compare.ErrSampleSize, errText: "do not overlap"},
		{name: "too few pairs", reason: "9 pairs is below MinPairs",
			e: minute(base[:9]), c: minute(noise(9)), wantErr: compare.ErrSampleSize, errText: "need at least 10"},
		{name: "constant difference", reason: "experiment = control + 5 at every minute: no variance",
			e: minute(plus(base, 5)), c: minute(base), wantErr: compare.ErrConstantDifference},
		{name: "identical", reason: "experiment equals control: p = 1 with a warning, not an error",
			e: minute(base), c: minute(base), warn: []string{"equals the control at all 60 times"}},
		{name: "missing values", reason: "NaN pairs are dropped with a warning that counts them",
			e: minute(withNaN), c: minute(noise(60)), warn: []string{"2 of 60 time-matched pairs have a missing value"}},
		{name: "partial overlap", reason: "control starts 20 minutes late: unmatched points are counted",
			e: minute(base), c: onGrid(noise(60), 1764158400000+20*60_000, 60_000), warn: []string{"20 of 60 experiment points have no point", "20 of 60 control points have no point"}},
		{name: "short", reason: "20 pairs: below the length the false-alarm rate was checked for",
			e: minute(noise(20)), c: minute(noise(20)), warn: []string{"only 20 pairs", "collect at least 60"}},
		{name: "strong autocorrelation", reason: "60 pairs at lag-1 0.95 are worth a few independent points; the warning says how many pairs are needed",
			e: minute(groupAR1(r, 60, 0, 1, 0.95)), c: minute(make([]float64, 60)), warn: []string{"pairs at this autocorrelation for 10"}},
		{name: "random walk", reason: "a drift between the groups: the AR(1) coefficient is clipped and the warning says so",
			e: minute(randomWalk(r, 200)), c: minute(make([]float64, 200)), warn: []string{"random walk or a trend"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := compare.TimeSeries(tc.e, tc.c, compare.Options{})
			if tc.wantErr != nil || tc.errText != "" {
				if err == nil {
					t.Fatalf("no error (%s); result %v", tc.reason, res)
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
			for _, w := range tc.warn {
				if !hasWarning(res, w) {
					t.Errorf("no warning containing %q (%s); warnings: %v", w, tc.reason, res.Warnings)
				}
			}
			if !(res.P >= 0 && res.P <= 1) {
				t.Errorf("p = %v", res.P)
			}
		})
	}
}

func randomWalk(r *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := 1; i < n; i++ {
		v[i] = v[i-1] + r.NormFloat64()
	}
	return v
}

// BenchmarkTimeSeries compares a week of per-minute data per group (10,080
// points each, AR(1) noise with rho 0.8 around 1000 per minute).
func BenchmarkTimeSeries(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const week = 7 * 24 * 60
	e := minute(groupAR1(r, week, simLevel, simSD, 0.8))
	c := minute(groupAR1(r, week, simLevel, simSD, 0.8))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compare.TimeSeries(e, c, compare.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// arma returns n points of the ARMA(1,1) process x_t = φx_{t−1} + e_t +
// θe_{t−1} with innovations from innov, after a burn-in of 300.
func arma(n int, phi, theta float64, innov func() float64) []float64 {
	x := make([]float64, n+300)
	prev := 0.0
	for i := 1; i < len(x); i++ {
		e := innov()
		x[i] = phi*x[i-1] + e + theta*prev
		prev = e
	}
	return x[300:]
}

// TestTimeSeriesOtherProcesses checks the false-alarm rate beyond AR(1),
// at 240 pairs over 1000 A/A replications each (binomial s.e. about 0.007
// at 0.05): independent data, AR(2), MA(1) and AR(1) with heavy-tailed
// (Student t, 3 df) innovations stay at or below 0.08. ARMA(1,1) with
// φ = 0.9, θ = −0.5 — a persistent level plus minute-to-minute noise — is
// the known weak spot of autoregressive prewhitening on short series
// (TestTimeSeriesDesign prints 0.086 at 240 pairs, 0.16 at 60, 0.053 at
// 1440); it is reported and held at or below 0.12 so that a regression
// shows.
func TestTimeSeriesOtherProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	r := rand.New(rand.NewPCG(2026, 6))
	normal := r.NormFloat64
	t3 := func() float64 {
		var chi float64
		for range 3 {
			g := r.NormFloat64()
			chi += g * g
		}
		return r.NormFloat64() / math.Sqrt(chi/3)
	}
	ar2 := func(n int) []float64 {
		x := make([]float64, n+300)
		for i := 2; i < len(x); i++ {
			x[i] = 1.2*x[i-1] - 0.4*x[i-2] + r.NormFloat64()
		}
		return x[300:]
	}
	const k, n = 1000, 240
	for _, tc := range []struct {
		name  string
		gen   func() []float64
		limit float64
	}{
		{"independent", func() []float64 { return arma(n, 0, 0, normal) }, 0.08},
		{"AR(2) 1.2, -0.4", func() []float64 { return ar2(n) }, 0.08},
		{"MA(1) 0.8", func() []float64 { return arma(n, 0, 0.8, normal) }, 0.08},
		{"AR(1) 0.8, t3 innovations", func() []float64 { return arma(n, 0.8, 0, t3) }, 0.08},
		{"ARMA(1,1) 0.9, -0.5", func() []float64 { return arma(n, 0.9, -0.5, normal) }, 0.12},
	} {
		rej := 0
		for range k {
			res, err := compare.TimeSeries(minute(tc.gen()), minute(tc.gen()), compare.Options{NoShift: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.P < simAlpha {
				rej++
			}
		}
		got := rate(rej, k)
		t.Logf("%s A/A, %d pairs, %d replications: false-alarm rate %.4f (±%.4f s.e.)", tc.name, n, k, got, binSE(got, k))
		if got > tc.limit {
			t.Errorf("%s: false-alarm rate %.4f > %.2f", tc.name, got, tc.limit)
		}
	}
}

var tailFull = flag.Bool("timeseries.tail", false, "run the full far-tail calibration grid of TimeSeries (60, 240 and 1000 pairs, 20,000/20,000/6,000 replications; about a minute)")

// TestTimeSeriesTail checks the far tail of TimeSeries' p-value on A/A data
// (issue 3's fix): P(p < 0.01) and P(p < 0.05) within 3.5 binomial
// standard errors of 0.01 and 0.05, on independent and on AR(1) 0.5
// differences. Holm's correction compares the smallest p-value with
// alpha/m, so a liberal far tail inflates the family rate (five metrics on
// 240 minutes gave 0.062 for 0.049 before the fix). The default run checks
// 60 pairs, where the tail was worst (P(p < 0.01) = 0.019 before the fix,
// outside the tolerance [0.0045, 0.0155] for 4,000 replications);
// -timeseries.tail runs 60, 240 and 1000 pairs.
func TestTimeSeriesTail(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	type cell struct{ n, reps int }
	cells := []cell{{60, 4000}}
	if *tailFull {
		cells = []cell{{60, 20000}, {240, 20000}, {1000, 6000}}
	}
	for _, rho := range []float64{0, 0.5} {
		for _, c := range cells {
			r := rand.New(rand.NewPCG(uint64(c.n), uint64(10*rho)+31))
			zero := minute(make([]float64, c.n))
			var r01, r05 int
			for range c.reps {
				res, err := compare.TimeSeries(minute(groupAR1(r, c.n, 0, 1, rho)), zero, compare.Options{NoShift: true})
				if err != nil {
					t.Fatal(err)
				}
				if res.P < 0.01 {
					r01++
				}
				if res.P < 0.05 {
					r05++
				}
			}
			p01, p05 := rate(r01, c.reps), rate(r05, c.reps)
			tol01, tol05 := 3.5*binSE(0.01, c.reps), 3.5*binSE(0.05, c.reps)
			t.Logf("AR(1) %.1f A/A, %d pairs, %d replications: P(p < 0.01) = %.4f (0.01 ± %.4f), P(p < 0.05) = %.4f (0.05 ± %.4f)", rho, c.n, c.reps, p01, tol01, p05, tol05)
			approx.Close(t, fmt.Sprintf("rho %.1f, n %d: P(p < 0.01)", rho, c.n), p01, 0.01, 0, tol01)
			approx.Close(t, fmt.Sprintf("rho %.1f, n %d: P(p < 0.05)", rho, c.n), p05, 0.05, 0, tol05)
		}
	}
}

// stepPair returns n minutes of experiment and control, each 1000 per
// minute with AR(1) 0.5 noise of marginal sd 50 (a coefficient of
// variation of 5%), the experiment's level cut by step from point n/2 on.
func stepPair(r *rand.Rand, n int, step float64) (exp, ctl []float64) {
	exp = groupAR1(r, n, 1000, 50, 0.5)
	ctl = groupAR1(r, n, 1000, 50, 0.5)
	for i := n / 2; i < n; i++ {
		exp[i] *= 1 - step
	}
	return exp, ctl
}

// shiftPoint returns the point a level-shift warning names (1-based), or 0.
func shiftPoint(r compare.Result) int {
	for _, w := range r.Warnings {
		s := w.Error()
		if i := strings.Index(s, "(point "); i >= 0 && strings.Contains(s, "shifted level at") {
			var k, n int
			if _, err := fmt.Sscanf(s[i:], "(point %d of %d;", &k, &n); err == nil {
				return k
			}
		}
	}
	return 0
}

// TestTimeSeriesLevelShift is issue 3's fix for a fault that moves the
// level partway through the window: a 15% cut of the experiment from the
// midpoint on (1000 → 850 per minute, noise CV 5%, AR(1) 0.5, 240 pairs,
// 1,000 seeded replications). Around a single mean the step looks like a
// unit root and the long-run variance explodes (before the fix the test
// passed such a cut; the example in examples/gotest gave an interval of
// ±5e10 %). Now the shift must be found and reported at the right time,
// within 10 minutes of the cut, and the mean difference (−7.5%) be
// significant, each at least 95% of the time. On A/A data the
// shift test is at its level LevelShiftAlpha: checked at most its level
// plus 3.5 binomial standard errors (2,000 replications of 240 pairs at
// AR(1) 0.5).
func TestTimeSeriesLevelShift(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	r := rand.New(rand.NewPCG(2026, 15))
	const k, n = 1000, 240
	var rej, found, near, near5 int
	for range k {
		e, c := stepPair(r, n, 0.15)
		res, err := compare.TimeSeries(minute(e), minute(c), compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.P < simAlpha {
			rej++
		}
		if pt := shiftPoint(res); pt > 0 {
			found++
			if d := pt - (n/2 + 1); d >= -2 && d <= 2 { // the first point after the cut is n/2+1
				near++
			}
			if d := pt - (n/2 + 1); d >= -10 && d <= 10 {
				near5++
			}
		}
	}
	t.Logf("15%% cut at the midpoint, CV 5%%, AR(1) 0.5, %d pairs, %d replications: significant %.3f, shift reported %.3f, within 2 points of the cut %.3f, within 10 points %.3f",
		n, k, rate(rej, k), rate(found, k), rate(near, k), rate(near5, k))
	for _, c := range []struct {
		what string
		got  int
	}{{"significant", rej}, {"shift reported", found}, {"shift within 10 points", near5}} {
		if p := rate(c.got, k); p < 0.95 {
			t.Errorf("%s: %.3f of %d replications, want >= 0.95", c.what, p, k)
		}
	}

	const aa = 2000
	var fa int
	for range aa {
		e, c := stepPair(r, n, 0)
		res, err := compare.TimeSeries(minute(e), minute(c), compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		if shiftPoint(res) > 0 {
			fa++
		}
	}
	lim := compare.LevelShiftAlpha + 3.5*binSE(compare.LevelShiftAlpha, aa)
	t.Logf("A/A, same noise: level shift reported in %d of %d (test level %v, checked <= %.4f)", fa, aa, compare.LevelShiftAlpha, lim)
	if p := rate(fa, aa); p > lim {
		t.Errorf("level shift reported on %.4f of A/A replications, want <= %.4f", p, lim)
	}
}

// TestTimeSeriesLevelShiftReport checks what a person reads: the time of
// the shift and the mean difference before and after, absolute and
// relative to the control.
func TestTimeSeriesLevelShiftReport(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 13))
	e, c := stepPair(r, 120, 0.15)
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixMilli()
	res, err := compare.TimeSeries(onGrid(e, start, 60_000), onGrid(c, start, 60_000), compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var msg string
	var ls compare.LevelShift
	for _, w := range res.Warnings {
		if errors.As(w, &ls) {
			msg = w.Error()
		}
	}
	if ls.N != 120 || ls.Index < 56 || ls.Index > 64 || ls.Time != start+int64(ls.Index)*60_000 || ls.ControlAfter < 950 || ls.ControlAfter > 1050 {
		t.Errorf("LevelShift %+v: want N 120, the shift within 4 of index 60, its time, a control level near 1000", ls)
	}
	t.Log(msg)
	// Expected: the cut is at 13:00 (point 61 of 120), found within 4
	// minutes; the control is 1000, so before ≈ 0 (±1%) and after ≈ −150,
	// −15% (±2% with CV 5% noise).
	re := regexp.MustCompile(`shifted level at 2026-11-26T(12:5[6-9]|13:0[0-4]):00Z \(point (5[7-9]|6[0-5]) of 120; break test p = [0-9.e-]+\): mean difference (-?[0-9.]+) before \(([-+][0-9.]+)% of the control\), (-[0-9.]+) from then on \((-[0-9.]+)%\)`)
	m := re.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("no level-shift report matching %v in %v", re, res.Warnings)
	}
	var v [4]float64
	for i := range v {
		if _, err := fmt.Sscan(m[i+3], &v[i]); err != nil {
			t.Fatal(err)
		}
	}
	approx.Close(t, "relative difference before", v[1], 0, 0, 1)
	approx.Close(t, "relative difference after", v[3], -15, 0, 2)
	approx.Close(t, "difference after", v[2], -150, 0, 20)
	if res.EffectiveN < 30 {
		t.Errorf("effective n %.1f: the variance around the two levels should leave most of the 120 pairs' information (AR(1) 0.5: about 40)", res.EffectiveN)
	}
}

// segmentOf returns the segment TimeSeries reported, if any.
func segmentOf(r compare.Result) (compare.Segment, bool) {
	for _, w := range r.Warnings {
		var sg compare.Segment
		if errors.As(w, &sg) {
			return sg, true
		}
	}
	return compare.Segment{}, false
}

// TestTimeSeriesSegment is issue 14's fault followed by a recovery: the
// experiment drops 15% for the middle third of 240 minutes (points 80 to
// 159) and comes back, noise CV 5%, AR(1) 0.5 (as stepPair), 500 seeded
// replications. The segment must be reported in at least 90% of runs, its
// ends within 10 points of the truth in at least 80%, and the mean
// difference (−5%) be significant in at least 90% (observed 0.942, 0.850
// and 0.952 when written; binomial s.e. at 0.9 is 0.013, at 0.8 0.018:
// the bounds sit 2.5 s.e. or more below). On A/A data the segment test holds its level
// SegmentAlpha: checked at most its level plus 3.5 binomial standard
// errors over 2,000 replications of 240 pairs at AR(1) 0.5 and of 60
// independent pairs. A single shift stays a LevelShift
// (TestTimeSeriesLevelShift).
func TestTimeSeriesSegment(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation; run without -short")
	}
	r := rand.New(rand.NewPCG(2026, 14))
	const k, n = 500, 240
	var found, near, sig int
	for range k {
		e := groupAR1(r, n, 1000, 50, 0.5)
		c := groupAR1(r, n, 1000, 50, 0.5)
		for i := 80; i < 160; i++ {
			e[i] *= 0.85
		}
		res, err := compare.TimeSeries(minute(e), minute(c), compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.P < simAlpha {
			sig++
		}
		if sg, ok := segmentOf(res); ok {
			found++
			if math.Abs(float64(sg.StartIndex-80)) <= 10 && math.Abs(float64(sg.EndIndex-160)) <= 10 {
				near++
			}
		}
	}
	t.Logf("15%% drop for points 80 to 159 of %d, CV 5%%, AR(1) 0.5, %d replications: segment reported %.3f, ends within 10 points %.3f, significant %.3f",
		n, k, rate(found, k), rate(near, k), rate(sig, k))
	for _, c := range []struct {
		what string
		got  int
		want float64
	}{{"segment reported", found, 0.9}, {"segment ends within 10 points", near, 0.8}, {"significant", sig, 0.9}} {
		if p := rate(c.got, k); p < c.want {
			t.Errorf("%s: %.3f of %d replications, want >= %v", c.what, p, k, c.want)
		}
	}

	const aa = 2000
	for _, c := range []struct {
		n   int
		rho float64
	}{{240, 0.5}, {60, 0}} {
		var fa int
		for range aa {
			e := groupAR1(r, c.n, 1000, 50, c.rho)
			ctl := groupAR1(r, c.n, 1000, 50, c.rho)
			res, err := compare.TimeSeries(minute(e), minute(ctl), compare.Options{NoShift: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := segmentOf(res); ok {
				fa++
			}
		}
		lim := compare.SegmentAlpha + 3.5*binSE(compare.SegmentAlpha, aa)
		t.Logf("A/A, %d pairs, AR(1) %.1f: segment reported in %d of %d (test level %v, checked <= %.4f)", c.n, c.rho, fa, aa, compare.SegmentAlpha, lim)
		if p := rate(fa, aa); p > lim {
			t.Errorf("%d pairs, AR(1) %.1f: segment reported on %.4f of A/A replications, want <= %.4f", c.n, c.rho, p, lim)
		}
	}
}

// TestTimeSeriesSegmentReport checks what a person reads about a segment:
// when it began and when the level came back, and the mean difference
// within and outside it, absolute and relative to the control.
func TestTimeSeriesSegmentReport(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 14))
	e := groupAR1(r, 240, 1000, 50, 0.5)
	c := groupAR1(r, 240, 1000, 50, 0.5)
	for i := 80; i < 160; i++ {
		e[i] *= 0.85
	}
	start := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC).UnixMilli()
	res, err := compare.TimeSeries(onGrid(e, start, 60_000), onGrid(c, start, 60_000), compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sg, ok := segmentOf(res)
	if !ok {
		t.Fatalf("no segment reported: %v", res.Warnings)
	}
	t.Log(sg.Error())
	// The truth: points 80 to 159, 13:20 to 14:40; the mean difference
	// within about −150 (−15% of 1000), outside about 0.
	if d := sg.StartIndex - 80; d < -5 || d > 5 {
		t.Errorf("segment starts at point %d, want 80 ± 5", sg.StartIndex)
	}
	if d := sg.EndIndex - 160; d < -5 || d > 5 {
		t.Errorf("segment ends before point %d, want 160 ± 5", sg.EndIndex)
	}
	if sg.Start != start+int64(sg.StartIndex)*60_000 || sg.End != start+int64(sg.EndIndex)*60_000 || sg.N != 240 {
		t.Errorf("segment times %d, %d (n %d) do not match its points %d, %d", sg.Start, sg.End, sg.N, sg.StartIndex, sg.EndIndex)
	}
	// Tolerances: the noise's standard error of a mean over 80 pairs,
	// √(2·50²·3/80) ≈ 14, times 3.5.
	approx.Close(t, "mean difference within the segment", sg.Inside, -150, 0, 50)
	approx.Close(t, "mean difference outside the segment", sg.Outside, 0, 0, 40)
	approx.Close(t, "control within the segment", sg.ControlInside, 1000, 0, 35)
	msg := sg.Error()
	for _, want := range []string{"moved at 2026-12-05T13:", "came back at 2026-12-05T14:", "of 240;", "within it (-1", "outside it ("} {
		if !strings.Contains(msg, want) {
			t.Errorf("segment message %q lacks %q", msg, want)
		}
	}
	if hasWarning(res, "shifted level at") {
		t.Errorf("a segment was also reported as a single level shift: %v", res.Warnings)
	}
}
