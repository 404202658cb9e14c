package compare

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/stat/distuv"
)

// readAA reads one variant of the A/A data in testdata/aa (see its README):
// experiment and control.
func readAA(t testing.TB, variant string) (series.Series, series.Series) {
	t.Helper()
	e, err := series.ReadFile("testdata/aa/"+variant+"_experiment.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := series.ReadFile("testdata/aa/"+variant+"_control.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	return e, c
}

func TestSampleRatioTestReference(t *testing.T) {
	tests := []struct {
		name     string
		reason   string
		exp, ctl float64
		ratio    Ratio
		chi2, p  float64
		rtolP    float64
	}{
		// scipy 1.10: chisquare([600, 400]) -> (40.0, 2.5396285894708634e-10)
		{"600_400", "a gross mismatch, far in the tail (erfc keeps it accurate)", 600, 400, Ratio{}, 40, 2.5396285894708634e-10, 1e-9},
		// scipy 1.10: chisquare([502, 498]) -> (0.016, 0.8993431885613663)
		{"502_498", "a clean split", 502, 498, Ratio{1, 1}, 0.016, 0.8993431885613663, 1e-12},
		// scipy 1.10: chisquare([700, 300], [2000/3, 1000/3]) -> (5.0, 0.025347318677468325)
		{"ratio_1_2", "an uneven planned split, experiment twice the control", 700, 300, Ratio{Control: 1, Experiment: 2}, 5, 0.025347318677468325, 1e-12},
		// scipy 1.10: chisquare([1900000, 2000000]) -> (2564.102564102564, 0.0)
		{"1.9_vs_2", "1.9% against 2% over millions of counts: p underflows to 0", 1_900_000, 2_000_000, Ratio{2, 2}, 2564.102564102564, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chi2, p, err := SampleRatioTest(tc.exp, tc.ctl, tc.ratio)
			if err != nil {
				t.Fatal(err)
			}
			approx.Close(t, "chi2", chi2, tc.chi2, 1e-12, 0)
			approx.Close(t, "p", p, tc.p, tc.rtolP, 1e-300)
		})
	}
}

func TestSampleRatioTestErrors(t *testing.T) {
	tests := []struct {
		name, reason string
		exp, ctl     float64
		ratio        Ratio
		want         error
	}{
		{"no_traffic", "no data is never a pass", 0, 0, Ratio{}, ErrNoCounts},
		{"negative", "counts cannot be negative", -1, 5, Ratio{}, nil},
		{"nan", "a missing total is not a count", math.NaN(), 5, Ratio{}, nil},
		{"zero_share", "a group planned to get nothing cannot be tested", 5, 5, Ratio{Control: 0, Experiment: 1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := SampleRatioTest(tc.exp, tc.ctl, tc.ratio)
			if err == nil {
				t.Fatalf("want an error (%s)", tc.reason)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseRatio(t *testing.T) {
	r, err := ParseRatio("2:2")
	if err != nil || r != (Ratio{2, 2}) || r.ExperimentShare() != 0.5 {
		t.Errorf("ParseRatio(2:2) = %v, %v", r, err)
	}
	r, err = ParseRatio("96:2")
	if err != nil || r.String() != "96:2" {
		t.Errorf("ParseRatio(96:2) = %v, %v", r, err)
	}
	for _, bad := range []string{"", "1", "1:", "a:b", "0:1", "1:-1", "1:Inf", "1e308:1e-308", "1e308:1e308"} {
		if _, err := ParseRatio(bad); err == nil {
			t.Errorf("ParseRatio(%q): no error", bad)
		}
	}
}

func TestClopperPearsonReference(t *testing.T) {
	tests := []struct {
		r, n   int
		lo, hi float64
	}{
		// scipy 1.10: beta.ppf(0.025, r, n-r+1), beta.ppf(0.975, r+1, n-r)
		{7, 672, 0.004198009735655649, 0.021343936706643606},
		{0, 14, 0, 0.23163576165011648},
		{14, 14, 0.7683642383498834, 1},
		{534, 672, 0.7620921905444631, 0.8245802246005197},
	}
	for _, tc := range tests {
		lo, hi := ClopperPearson(tc.r, tc.n, 0.95)
		approx.Close(t, "low", lo, tc.lo, 1e-9, 0)
		approx.Close(t, "high", hi, tc.hi, 1e-9, 0)
	}
	if lo, hi := ClopperPearson(0, 0, 0.95); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no trials: [%v, %v], want NaN", lo, hi)
	}
}

func TestBinomialUpperTailReference(t *testing.T) {
	// scipy 1.10: binom.sf(2, 14, 0.05), binom.sf(33, 672, 0.05), binom.sf(0, 14, 0.05)
	approx.Close(t, "P(X>=3 | 14, .05)", BinomialUpperTail(3, 14, 0.05), 0.030053642645566633, 1e-10, 0)
	approx.Close(t, "P(X>=34 | 672, .05)", BinomialUpperTail(34, 672, 0.05), 0.4964280004881782, 1e-10, 0)
	approx.Close(t, "P(X>=1 | 14, .05)", BinomialUpperTail(1, 14, 0.05), 0.5123250208844702, 1e-12, 0)
	if BinomialUpperTail(0, 14, 0.05) != 1 || BinomialUpperTail(15, 14, 0.05) != 0 {
		t.Error("the tail beyond the support is not 0 or 1")
	}
}

func TestMinDetectableEffectReference(t *testing.T) {
	// scipy 1.10: norm.ppf(.975) + norm.ppf(.8); norm.ppf(.95) + norm.ppf(.8)
	m, err := MinDetectableEffect(1, 0.05, 0.8, TwoSided)
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "two-sided", m, 2.8015852181129683, 1e-12, 0)
	m, _ = MinDetectableEffect(0.5, 0.05, 0.8, Less)
	approx.Close(t, "one-sided", m, 0.5*2.4864748605243863, 1e-12, 0)
	if _, err := MinDetectableEffect(1, 0, 0.8, TwoSided); err == nil {
		t.Error("alpha 0: no error")
	}
}

func TestMinAAWindowsReference(t *testing.T) {
	// scipy 1.10: the smallest n at which binom.sf(r-1, n, rho) >= 0.8 for
	// the critical r = min{r : binom.sf(r-1, n, 0.05) < 0.05}; the search is
	// testdata/aa/ref_scipy.py, which also prints every other scipy value
	// quoted in this file.
	for _, tc := range []struct {
		detect float64
		want   int
	}{{0.1, 169}, {0.15, 52}, {0.2, 27}, {0.25, 16}, {0.3, 14}, {0.4, 7}} {
		got, err := MinAAWindows(0.05, tc.detect, 0.8)
		if err != nil || got != tc.want {
			t.Errorf("MinAAWindows(0.05, %v, 0.8) = %d, %v; want %d", tc.detect, got, err, tc.want)
		}
	}
	if _, err := MinAAWindows(0.05, 0.05, 0.8); err == nil {
		t.Error("detect rate equal to alpha: no error")
	}
}

// TestAAVariants is the "must show": the generated two weeks of
// per-minute downloads split three ways (testdata/aa/README.md), and a four
// week run of the wandering split.
func TestAAVariants(t *testing.T) {
	const planned = 30 * time.Minute
	tests := []struct {
		variant     string
		reason      string
		status      map[time.Duration]AAStatus // expected status per length; others unchecked
		recommended time.Duration
		mismatch    bool
		warn        string // a substring of the warnings
	}{
		{
			variant:     "clean",
			reason:      "a random 2%:2% split is valid at 30 minutes and shorter",
			status:      map[time.Duration]AAStatus{5 * time.Minute: Valid, 30 * time.Minute: Valid, 12 * time.Hour: Valid, 24 * time.Hour: Valid},
			recommended: 5 * time.Minute,
		},
		{
			variant: "wandering",
			reason: "the DNS-like split is invalid up to 12h; at 24h two weeks give 14 windows, " +
				"fewer than the 27 the false-positive count needs, but every day's totals are exact, " +
				"so the split's dispersion shows it valid and 24h is recommended",
			status: map[time.Duration]AAStatus{
				5 * time.Minute: Invalid, 30 * time.Minute: Invalid, time.Hour: Invalid,
				6 * time.Hour: Invalid, 12 * time.Hour: Invalid, 24 * time.Hour: Valid,
			},
			recommended: 24 * time.Hour,
			warn:        "24h: judged valid on the split's dispersion",
		},
		{
			variant:     "wandering4w",
			reason:      "with four weeks (28 daily windows) the wandering split is valid at 24h, and 24h is recommended",
			status:      map[time.Duration]AAStatus{30 * time.Minute: Invalid, 12 * time.Hour: Invalid, 24 * time.Hour: Valid},
			recommended: 24 * time.Hour,
		},
		{
			variant: "mismatch",
			reason:  "1.9% instead of 2% is a sample-ratio mismatch that invalidates every length",
			status: map[time.Duration]AAStatus{
				5 * time.Minute: Invalid, 10 * time.Minute: Invalid, 30 * time.Minute: Invalid, time.Hour: Invalid,
				2 * time.Hour: Invalid, 6 * time.Hour: Invalid, 12 * time.Hour: Invalid, 24 * time.Hour: Invalid,
			},
			mismatch: true,
			warn:     "sample ratio mismatch",
		},
	}
	for _, tc := range tests {
		t.Run(tc.variant, func(t *testing.T) {
			e, c := readAA(t, tc.variant)
			r, err := AA(e, c, AAOptions{Counts: true, Planned: planned, Ratio: Ratio{2, 2}})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Lengths) != len(DefaultAAWindows) {
				t.Fatalf("%d lengths, want the %d defaults", len(r.Lengths), len(DefaultAAWindows))
			}
			for l, want := range tc.status {
				w, ok := r.Length(l)
				if !ok {
					t.Fatalf("no result at %v", l)
				}
				if w.Status != want {
					t.Errorf("%v: %v (%d of %d false positives, p = %.3g), want %v (%s)", l, w.Status, w.FalsePositives, w.Tested, w.P, want, tc.reason)
				}
			}
			if r.Recommended != tc.recommended {
				t.Errorf("recommended %v, want %v (%s)", r.Recommended, tc.recommended, tc.reason)
			}
			if r.SRM == nil || r.SRM.Mismatch != tc.mismatch {
				t.Errorf("SRM %v, want mismatch %v", r.SRM, tc.mismatch)
			}
			if tc.warn != "" && !strings.Contains(allWarnings(r), tc.warn) {
				t.Errorf("warnings %q do not say %q", allWarnings(r), tc.warn)
			}
			if tc.mismatch {
				for _, w := range r.Lengths {
					if !math.IsNaN(w.MDE) || !math.IsNaN(w.MDETotals) {
						t.Errorf("%v: MDE %v, totals %v under a mismatch; want NaN", w.Length, w.MDE, w.MDETotals)
					}
				}
			}
			if r.Test != "mannwhitney" {
				t.Errorf("test %q, want mannwhitney (the default)", r.Test)
			}
		})
	}
}

// TestAADispersionRoute checks that the dispersion route to Valid, for
// lengths with too few windows for the false-positive count, needs counts
// whose per-window split really is binomial: the clean split with each
// day's experiment traffic moved by a few percent either way (a split even
// per minute but wandering from day to day) is not valid at 24h, and
// without Counts the same clean data has too few windows at 24h.
func TestAADispersionRoute(t *testing.T) {
	e, c := readAA(t, "clean")
	opts := AAOptions{Counts: true, Planned: 24 * time.Hour, Ratio: Ratio{2, 2}, Windows: []time.Duration{24 * time.Hour}}
	r, err := AA(e, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Lengths[0]; w.Status != Valid || !w.ByDispersion || w.Tested >= w.MinWindows {
		t.Fatalf("clean at 24h: %v, by dispersion %v, %d of %d windows; want valid by dispersion", w.Status, w.ByDispersion, w.Tested, w.MinWindows)
	}

	noCounts := opts
	noCounts.Counts = false
	r, err = AA(e, c, noCounts)
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Lengths[0]; w.Status != TooFewWindows || w.ByDispersion {
		t.Errorf("clean at 24h without counts: %v (by dispersion %v); want too-few-windows: the route needs counts", w.Status, w.ByDispersion)
	}

	// Each day's experiment traffic scaled by 1 ± 3%, alternating: the
	// per-day chi-squares are in the hundreds, far beyond binomial.
	drift := series.Series{T: e.T, V: slices.Clone(e.V)}
	for i, ts := range drift.T {
		if (ts/86_400_000)%2 == 0 {
			drift.V[i] = math.Round(drift.V[i] * 1.03)
		} else {
			drift.V[i] = math.Round(drift.V[i] * 0.97)
		}
	}
	r, err = AA(drift, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Lengths[0]; w.Status == Valid || w.ByDispersion {
		t.Errorf("day-to-day drift at 24h: %v (dispersion %.3g, p %.3g); want not valid", w.Status, w.Dispersion, w.DispersionP)
	}
}

func allWarnings(r AAResult) string {
	var b strings.Builder
	for _, w := range r.Lengths {
		for _, e := range w.Warnings {
			b.WriteString(e.Error() + "\n")
		}
	}
	for _, e := range r.Warnings {
		b.WriteString(e.Error() + "\n")
	}
	return b.String()
}

// TestAADispersionAndPower checks the split measures on the generated data:
// the clean split's per-window spread is what binomial sampling gives, the
// wandering split's is ten times that at 30 minutes and binomial again at
// 24h (exact over each day), and the minimum detectable drop follows.
func TestAADispersionAndPower(t *testing.T) {
	e, c := readAA(t, "clean")
	r, err := AA(e, c, AAOptions{Counts: true, Windows: []time.Duration{30 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	w := r.Lengths[0]
	// 672 windows: Σχ²_w/672 has sd √(2/672) = 0.055 under a clean split;
	// 3.5 of them is 0.19.
	approx.Close(t, "clean dispersion", w.Dispersion, 1, 0, 0.19)
	// sd of the log ratio vs its binomial expectation: the sd of an sd from
	// 671 df is about 1/√(2·671) = 2.7% relative; 3.5 of them is 9.6%.
	approx.Close(t, "clean split sd", w.SplitSD, w.SplitSDExpected, 0.096, 0)
	// MDETotals = 1 − exp(−2.8016·SplitSD), from its definition
	// (2.8016 = scipy 1.10 norm.ppf(.975) + norm.ppf(.8)).
	approx.Close(t, "clean MDE of totals", w.MDETotals, 1-math.Exp(-2.8015852181129683*w.SplitSD), 1e-12, 0)
	if !(w.MDE >= w.MDETotals && w.MDE < 0.08) {
		t.Errorf("clean 30m MDE %.4f (totals %.4f): a test of minute values detects less than one of totals, and a 2%% share of ~30k downloads per 30 minutes should detect a drop under 8%%", w.MDE, w.MDETotals)
	}
	// End to end: the experiment's values lowered by MDE are found lower in
	// at least 80% of the 30-minute windows by the ordinary replay.
	lowered := series.Series{T: e.T, V: make([]float64, len(e.V))}
	for i, v := range e.V {
		lowered.V[i] = v * (1 - w.MDE)
	}
	r2, err := AA(lowered, c, AAOptions{Windows: []time.Duration{30 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	if got := r2.Lengths[0].Rate; got < 0.8 {
		t.Errorf("a drop of MDE %.4f is detected in %.3f of the windows, want at least 0.8", w.MDE, got)
	}

	e, c = readAA(t, "wandering")
	r, err = AA(e, c, AAOptions{Counts: true, Windows: []time.Duration{30 * time.Minute, 24 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	w30, _ := r.Length(30 * time.Minute)
	w24, _ := r.Length(24 * time.Hour)
	if w30.Dispersion < 50 || w30.SplitSD < 5*w30.SplitSDExpected {
		t.Errorf("wandering 30m: dispersion %.3g, split sd %.4f vs binomial %.4f: the ±15%% wander should dominate", w30.Dispersion, w30.SplitSD, w30.SplitSDExpected)
	}
	if w30.MDE < 0.2 || w30.MDE < w30.MDETotals*0.9 {
		t.Errorf("wandering 30m MDE %.3f (totals %.3f): under the wander no drop below 20%% should be detectable", w30.MDE, w30.MDETotals)
	}
	// 14 daily windows: Σχ²_w is χ²_14 under an exact daily split; the
	// 99.9% quantile is 36.12 (scipy 1.10: chi2.ppf(.999, 14)), φ < 2.58.
	if w24.Dispersion > 36.12/14 {
		t.Errorf("wandering 24h dispersion %.3g: the split is exact over each day", w24.Dispersion)
	}
	if w24.MDE > 0.08 || w24.MDETotals > 0.01 {
		t.Errorf("wandering 24h MDE %.4f (totals %.4f): at 24h the split is exact, so the minute-level test should detect a drop under 8%% and a comparison of totals one under 1%%", w24.MDE, w24.MDETotals)
	}
}

// stationary returns n per-minute Poisson(lambda) counts from t0 (ms).
func stationary(rng *rand.Rand, t0 int64, n int, lambda float64) series.Series {
	p := distuv.Poisson{Lambda: lambda, Src: rng}
	s := series.Series{T: make([]int64, n), V: make([]float64, n)}
	for i := range n {
		s.T[i] = t0 + int64(i)*60000
		s.V[i] = p.Rand()
	}
	return s
}

// TestAAFalsePositiveRateSimulation: on a clean split of a stationary
// stream, where each window's Mann-Whitney test is calibrated, the replay
// reports a per-window false-positive rate equal to alpha within binomial
// error, and calls the split invalid no more often than alpha allows.
func TestAAFalsePositiveRateSimulation(t *testing.T) {
	const (
		reps  = 40
		alpha = 0.05
	)
	rng := rand.New(rand.NewPCG(1, 2))
	var fp, tested, invalid int
	for range reps {
		// Two weeks per minute, each group Poisson(1000): a random 2% of a
		// stationary Poisson stream of 50k per minute.
		e := stationary(rng, 1704067200000, 14*1440, 1000)
		c := stationary(rng, 1704067200000, 14*1440, 1000)
		r, err := AA(e, c, AAOptions{Windows: []time.Duration{30 * time.Minute}})
		if err != nil {
			t.Fatal(err)
		}
		w := r.Lengths[0]
		fp += w.FalsePositives
		tested += w.Tested
		if w.Status == Invalid {
			invalid++
		}
	}
	// 26,880 windows: SE = √(.05·.95/26880) = 0.00133; tolerance 3.5 SE.
	rate := float64(fp) / float64(tested)
	se := math.Sqrt(alpha * (1 - alpha) / float64(tested))
	t.Logf("per-window false-positive rate %.4f over %d windows (SE %.4f); %d of %d replays invalid", rate, tested, se, invalid, reps)
	if math.Abs(rate-alpha) > 3.5*se {
		t.Errorf("per-window false-positive rate %.4f, want %.2f ± %.4f (3.5 SE)", rate, alpha, 3.5*se)
	}
	// The verdict's own error: at most alpha of clean replays invalid.
	// 40 replays: mean 2, SE √(40·.05·.95) = 1.38; 2 + 3.5·1.38 = 6.8.
	if invalid > 6 {
		t.Errorf("%d of %d clean replays called invalid, want at most 6 (alpha + 3.5 SE)", invalid, reps)
	}
}

// TestSRMFalsePositiveRateSimulation: on a clean binomial split of millions
// of counts the sample-ratio check flags a mismatch at its nominal rate, and
// it always flags 1.9% against 2%.
func TestSRMFalsePositiveRateSimulation(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// Two weeks of a 2%:2% split of ~30k downloads per minute: ~24 million
	// counts for the two groups. Conditional on the total, the experiment's
	// count is Binomial(n, 1/2).
	const n = 24_000_000
	b := distuv.Binomial{N: n, P: 0.5, Src: rng}
	for _, tc := range []struct {
		alpha float64
		reps  int
	}{{0.05, 4000}, {DefaultSRMAlpha, 40000}} {
		flagged := 0
		for range tc.reps {
			e := b.Rand()
			_, p, err := SampleRatioTest(e, n-e, Ratio{2, 2})
			if err != nil {
				t.Fatal(err)
			}
			if p < tc.alpha {
				flagged++
			}
		}
		mean := tc.alpha * float64(tc.reps)
		se := math.Sqrt(mean * (1 - tc.alpha))
		t.Logf("alpha %v: %d of %d clean splits flagged (expected %.0f, SE %.1f)", tc.alpha, flagged, tc.reps, mean, se)
		if math.Abs(float64(flagged)-mean) > 3.5*se {
			t.Errorf("alpha %v: %d of %d clean splits flagged, want %.0f ± %.1f (3.5 SE)", tc.alpha, flagged, tc.reps, mean, 3.5*se)
		}
	}
	// 1.9% vs 2%: the experiment's share is 0.019/0.039 = 0.4872.
	bad := distuv.Binomial{N: n, P: 0.019 / 0.039, Src: rng}
	for range 100 {
		e := bad.Rand()
		if _, p, _ := SampleRatioTest(e, n-e, Ratio{2, 2}); p >= DefaultSRMAlpha {
			t.Fatalf("1.9%% vs 2%% not flagged: p = %v", p)
		}
	}
}

func TestExperimentHealth(t *testing.T) {
	e, c := readAA(t, "clean")
	// The first day of the clean split as the experiment period, then the
	// same day with the experiment's traffic gone from 12:00 to 14:00.
	day := int64(1704067200000 + 24*3600*1000)
	e, c = e.Window(1704067200000, day), c.Window(1704067200000, day)
	h, err := ExperimentHealth(e, c, 30*time.Minute, Ratio{2, 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if h.Mismatch || len(h.Flagged) != 0 {
		t.Errorf("clean day: %v, %d flagged windows; want healthy", h, len(h.Flagged))
	}
	broken := series.Series{T: e.T, V: append([]float64(nil), e.V...)}
	for i := 12 * 60; i < 14*60; i++ {
		broken.V[i] = 0
	}
	h, err = ExperimentHealth(broken, c, 30*time.Minute, Ratio{2, 2}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Mismatch {
		t.Errorf("two hours without experiment traffic: %v; want a mismatch", h)
	}
	if len(h.Flagged) != 4 || h.Flagged[0].Start != 1704067200000+12*3600*1000 {
		t.Errorf("flagged %+v; want the four windows from 12:00 to 14:00", h.Flagged)
	}
}

func TestAAErrorsAndThinData(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := stationary(rng, 0, 3*1440, 100)
	c := stationary(rng, 0, 3*1440, 100)
	if _, err := AA(series.Series{V: []float64{1, 2}}, c, AAOptions{}); err == nil {
		t.Error("a plain sample: no error")
	}
	if _, err := AA(e, series.Series{}, AAOptions{}); !errors.Is(err, ErrTooShort) {
		t.Errorf("an empty control: %v, want ErrTooShort", err)
	}
	if _, err := AA(e, c, AAOptions{Windows: []time.Duration{-time.Minute}}); err == nil {
		t.Error("a negative window: no error")
	}
	if _, err := AA(e, c, AAOptions{Alpha: 1.5}); err == nil {
		t.Error("alpha 1.5: no error")
	}
	neg := series.Series{T: e.T, V: append([]float64(nil), e.V...)}
	neg.V[10] = -3
	if _, err := AA(neg, c, AAOptions{Counts: true}); err == nil || !strings.Contains(err.Error(), "non-negative") {
		t.Errorf("a negative count: %v", err)
	}

	// A 1-minute window holds one point per group: nothing can be tested,
	// which is too few, never valid.
	r, err := AA(e, c, AAOptions{Windows: []time.Duration{time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Lengths[0]; w.Status != TooFewWindows || w.Tested != 0 || !strings.Contains(w.Warnings[0].Error(), "holds 1 points") {
		t.Errorf("1m windows: %v tested %d, %v", w.Status, w.Tested, w.Warnings)
	}

	// A day with the experiment missing: its windows are skipped and
	// counted, not passed.
	gap := series.Series{T: e.T, V: append([]float64(nil), e.V...)}
	for i := 1440; i < 2*1440; i++ {
		gap.V[i] = math.NaN()
	}
	r, err = AA(gap, c, AAOptions{Windows: []time.Duration{time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Lengths[0]; w.Windows != 72 || w.Tested != 48 || !strings.Contains(allWarnings(r), "24 of 72 windows were not tested") {
		t.Errorf("a missing day: %d windows, %d tested, warnings %q", w.Windows, w.Tested, allWarnings(r))
	}
}

// TestAACustomTest runs the replay with Welch's t instead of the default, as
// an experiment judged by means would.
func TestAACustomTest(t *testing.T) {
	e, c := readAA(t, "wandering")
	r, err := AA(e, c, AAOptions{Test: WelchT, Windows: []time.Duration{30 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Test != "welch" || r.Lengths[0].Status != Invalid {
		t.Errorf("welch replay: test %q, status %v; want welch, invalid", r.Test, r.Lengths[0].Status)
	}
}

// BenchmarkAA is the replay alone on two weeks of per-minute data (20,160
// points a group), all default window lengths, with the sample-ratio check;
// the files are read once, outside the loop.
func BenchmarkAA(b *testing.B) {
	e, c := readAA(b, "wandering")
	opts := AAOptions{Counts: true, Planned: 30 * time.Minute, Ratio: Ratio{2, 2}}
	for b.Loop() {
		if _, err := AA(e, c, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAAWarnsOnDifferentGrids(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := stationary(rng, 0, 2*1440, 100)
	c := stationary(rng, 30000, 2*1440, 100) // scraped 30 s later: no shared point
	c.T[0] = 0                               // but two in common, so there is a step
	c.T[1] = 60000
	r, err := AA(e, c, AAOptions{Windows: []time.Duration{time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(allWarnings(r), "share only 2 of 2880 time points") {
		t.Errorf("no warning about the grids: %q", allWarnings(r))
	}
	if r.Lengths[0].Status == Valid {
		t.Error("two shared points judged valid")
	}
}

// FuzzParseRatio: any input either fails or gives two positive finite
// shares whose String parses back to the same ratio.
func FuzzParseRatio(f *testing.F) {
	for _, s := range []string{"1:1", "2:2", "96:2", " 1 : 3 ", "0:1", "1e308:1e-308", "NaN:1", "1:", ":", "1:2:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRatio(s)
		if err != nil {
			return
		}
		if !(r.Control > 0 && r.Experiment > 0) || math.IsInf(r.Control, 0) || math.IsInf(r.Experiment, 0) {
			t.Fatalf("ParseRatio(%q) = %v: shares must be positive and finite", s, r)
		}
		if q := r.ExperimentShare(); !(q > 0 && q < 1) {
			t.Fatalf("ParseRatio(%q): experiment share %v", s, q)
		}
		back, err := ParseRatio(r.String())
		if err != nil || back != r {
			t.Fatalf("ParseRatio(%q).String() = %q parses to %v, %v", s, r.String(), back, err)
		}
	})
}

// TestShortDuration checks the formatter against what it promises: Go's
// form without zero units, and one that series.ParseDuration, the parser of
// every duration flag, reads back to the same duration.
func TestShortDuration(t *testing.T) {
	for _, c := range []struct {
		d      time.Duration
		want   string
		reason string
	}{
		{30 * time.Minute, "30m", "time.Duration.String gives 30m0s"},
		{90 * time.Minute, "1h30m", "1h30m0s without the zero seconds"},
		{24 * time.Hour, "24h", "days are written in hours"},
		{90 * time.Second, "1m30s", "no zero unit to drop"},
		{1500 * time.Millisecond, "1.5s", "under a minute, Go writes a fraction of a second"},
		{time.Hour + 30*time.Second, "1h0m30s", "a zero unit in the middle stays, as Go writes it"},
	} {
		got := ShortDuration(c.d)
		if got != c.want {
			t.Errorf("ShortDuration(%v) = %q, want %q (%s)", c.d, got, c.want, c.reason)
		}
		if back, err := series.ParseDuration(got); err != nil || back != c.d {
			t.Errorf("series.ParseDuration(%q) = %v, %v; want %v", got, back, err, c.d)
		}
	}
}

// TestAAWindowsOptionError checks that a window length AA cannot replay is
// a *series.OptionError naming the option, which the command line shows as
// --windows or --window and the server as the JSON key.
func TestAAWindowsOptionError(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := stationary(rng, 0, 3*1440, 100)
	c := stationary(rng, 0, 3*1440, 100)
	for _, tc := range []struct {
		name, reason string
		opts         AAOptions
		option, msg  string
	}{
		{"zero", "a zero length cuts no windows", AAOptions{Windows: []time.Duration{time.Hour, 0}},
			OptionWindows, `windows "1h,0s": want positive whole numbers of milliseconds (0s is not)`},
		{"negative", "a negative length cuts no windows", AAOptions{Windows: []time.Duration{-time.Minute}},
			OptionWindows, `windows "-1m": want positive whole numbers of milliseconds (-1m is not)`},
		{"sub-millisecond", "the windows are cut on millisecond timestamps", AAOptions{Windows: []time.Duration{1500 * time.Microsecond}},
			OptionWindows, `windows "1.5ms": want positive whole numbers of milliseconds (1.5ms is not)`},
		{"duplicate", "a length given twice is a typo, written two ways here", AAOptions{Windows: []time.Duration{time.Hour, 30 * time.Minute, 60 * time.Minute}},
			OptionWindows, `windows "1h,30m,1h": want each window length once (1h is given twice)`},
		{"planned negative", "the planned window is an option of its own", AAOptions{Planned: -time.Hour},
			OptionWindow, `window "-1h": want a positive whole number of milliseconds`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := AA(e, c, tc.opts)
			var oe *series.OptionError
			if !errors.As(err, &oe) {
				t.Fatalf("%s: error %v, want a *series.OptionError", tc.reason, err)
			}
			if oe.Option != tc.option || oe.Error() != tc.msg {
				t.Errorf("%s: %q (option %q), want %q (option %q)", tc.reason, oe.Error(), oe.Option, tc.msg, tc.option)
			}
		})
	}
	if err := CheckAAWindows(DefaultAAWindows); err != nil {
		t.Errorf("DefaultAAWindows: %v", err)
	}
	if err := CheckAAWindows(nil); err != nil {
		t.Errorf("no windows (the default): %v", err)
	}
}
