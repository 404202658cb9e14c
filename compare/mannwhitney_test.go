package compare

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
	"gonum.org/v1/gonum/stat/distuv"
)

// Published vectors from ../shared/REFERENCES.md; the full scipy/R
// conformance suite is reference_test.go.
var (
	// scipy's test_mannwhitneyu vectors (agree with R).
	mwX = []float64{210.05, 110.19, 307.92}
	mwY = []float64{436.09, 416.37, 179.97, 197.81, 34.04, 138.54, 128.78, 265.93, 275.66, 592.34, 448.73, 300.61, 187.98}
	// R's wilcox.test example data.
	males   = []float64{19, 22, 16, 29, 24}
	females = []float64{20, 11, 17, 12}
)

func TestMannWhitneyUPublished(t *testing.T) {
	cases := []struct {
		name   string
		reason string
		x, y   []float64
		opts   Options
		u, p   float64
		method Method
	}{
		// scipy 1.10: mannwhitneyu(x, y, method='asymptotic', alternative=...)
		{"scipy-asym-two", "published asymptotic two-sided", mwX, mwY, Options{Method: Asymptotic}, 16, 0.6865041817876, Asymptotic},
		{"scipy-asym-less", "published asymptotic less", mwX, mwY, Options{Method: Asymptotic, Alternative: Less}, 16, 0.3432520908938, Asymptotic},
		{"scipy-asym-greater", "published asymptotic greater", mwX, mwY, Options{Method: Asymptotic, Alternative: Greater}, 16, 0.7047591913255, Asymptotic},
		// scipy 1.10: mannwhitneyu(x, y, method='exact', alternative=...)
		{"scipy-exact-two", "published exact two-sided", mwX, mwY, Options{Method: Exact}, 16, 0.7035714285714, Exact},
		{"scipy-exact-less", "published exact less", mwX, mwY, Options{Method: Exact, Alternative: Less}, 16, 0.3517857142857, Exact},
		{"scipy-exact-greater", "published exact greater", mwX, mwY, Options{Method: Exact, Alternative: Greater}, 16, 0.6946428571429, Exact},
		{"auto-small-is-exact", "auto picks exact for min(n) <= 8 without ties, as scipy 1.10", mwX, mwY, Options{}, 16, 0.7035714285714, Exact},
		// scipy 1.10: mannwhitneyu(males, females) -> U=17, p=0.1111111111111111
		{"males-females-exact", "R's wilcox.test example, exact", males, females, Options{}, 17, 0.1111111111111111, Exact},
		// scipy 1.10: mannwhitneyu(males, females, method='asymptotic') -> p=0.11134688653314041
		{"males-females-asym", "R's example, asymptotic", males, females, Options{Method: Asymptotic}, 17, 0.11134688653314041, Asymptotic},
		// scipy 1.10: mannwhitneyu([1,2,3,4], [1,2,3,4,5]) -> U=8, p=0.7086240584439
		{"ties-force-asymptotic", "ties make auto asymptotic even for tiny samples", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 4, 5}, Options{}, 8, 0.7086240584439, Asymptotic},
		{"exact-with-ties", "an exact request with ties falls back to the tie-corrected normal approximation", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 4, 5}, Options{Method: Exact}, 8, 0.7086240584439, Asymptotic},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := MannWhitneyU(c.x, c.y, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			approx.Close(t, "U", r.Statistic, c.u, 1e-12, 0)
			approx.Close(t, "p", r.P, c.p, 1e-12, 0)
			if r.Method != c.method {
				t.Errorf("method = %v, want %v (%s)", r.Method, c.method, c.reason)
			}
		})
	}
}

func TestMannWhitneyUWarningsAndErrors(t *testing.T) {
	nan := math.NaN()
	r, err := MannWhitneyU([]float64{1, nan, 3, 4, 5, 6, 7, 8, 9}, []float64{2, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5}, Options{})
	if err != nil || r.NExperiment != 8 || len(r.Warnings) == 0 {
		t.Errorf("NaN: got n=%d warnings=%v err=%v; want the NaN left out with a warning", r.NExperiment, r.Warnings, err)
	}
	_, err = MannWhitneyU([]float64{nan, nan}, []float64{1}, Options{})
	if !errors.Is(err, ErrSampleSize) {
		t.Errorf("all-NaN experiment: err = %v, want ErrSampleSize", err)
	}
	_, err = MannWhitneyU(nil, []float64{1}, Options{})
	if !errors.Is(err, ErrSampleSize) {
		t.Errorf("empty experiment: err = %v, want ErrSampleSize", err)
	}
	_, err = MannWhitneyU([]float64{1, math.Inf(1)}, []float64{1}, Options{})
	if !errors.Is(err, ErrNonFinite) {
		t.Errorf("Inf: err = %v, want ErrNonFinite", err)
	}
	_, err = MannWhitneyU([]float64{1}, []float64{1}, Options{Confidence: 1.5})
	if err == nil {
		t.Error("confidence 1.5: no error")
	}
	// All values equal: p = 1 (scipy 1.10 clips its 2·sf(−inf) to 1) and a warning.
	r, err = MannWhitneyU([]float64{5, 5, 5}, []float64{5, 5, 5, 5}, Options{})
	if err != nil || r.P != 1 || len(r.Warnings) == 0 {
		t.Errorf("all equal: p=%v warnings=%v err=%v; want p=1 with a warning", r.P, r.Warnings, err)
	}
	// 2 vs 2: the smallest two-sided exact p is 2/C(4,2) = 1/3 > 0.05.
	r, _ = MannWhitneyU([]float64{1, 2}, []float64{3, 4}, Options{})
	if len(r.Warnings) == 0 {
		t.Error("2 vs 2: want a warning that no p-value can reach alpha")
	}
}

// bruteDiffs returns all pairwise differences, sorted.
func bruteDiffs(x, y []float64) []float64 {
	d := make([]float64, 0, len(x)*len(y))
	for _, a := range x {
		for _, b := range y {
			d = append(d, a-b)
		}
	}
	slices.Sort(d)
	return d
}

func TestKthDiffMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n1, n2 := 1+rng.IntN(40), 1+rng.IntN(40)
		x, y := make([]float64, n1), make([]float64, n2)
		for i := range x {
			if trial%2 == 0 {
				x[i] = float64(rng.IntN(6)) // heavy ties
			} else {
				x[i] = rng.NormFloat64()
			}
		}
		for i := range y {
			if trial%2 == 0 {
				y[i] = float64(rng.IntN(6))
			} else {
				y[i] = rng.NormFloat64() + 0.3
			}
		}
		slices.Sort(x)
		slices.Sort(y)
		d := bruteDiffs(x, y)
		for _, k := range []int{1, len(d) / 3, len(d) / 2, len(d)/2 + 1, len(d)} {
			if k < 1 {
				continue
			}
			if got := kthDiff(x, y, int64(k)); got != d[k-1] {
				t.Fatalf("trial %d: kthDiff(k=%d) = %v, want %v", trial, k, got, d[k-1])
			}
		}
	}
}

func TestHodgesLehmannPublished(t *testing.T) {
	// R 4.2.2: wilcox.test(males, females, conf.int=TRUE)
	//   -> estimate 7, 95 percent CI [-1, 17] (exact)
	sh, _, err := HodgesLehmann(males, females, Options{})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "estimate", sh.Estimate, 7, 1e-12, 0)
	approx.Close(t, "low", sh.Low, -1, 1e-12, 0)
	approx.Close(t, "high", sh.High, 17, 1e-12, 0)
	// R 4.2.2: wilcox.test(males, females, conf.int=TRUE, exact=FALSE, conf.level=.98)
	//   -> estimate 7, 98 percent CI [-4, 18] (R's uniroot, tol 1e-4)
	sh, _, err = HodgesLehmann(males, females, Options{Method: Asymptotic, Confidence: 0.98})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "estimate", sh.Estimate, 7, 1e-12, 0)
	approx.Close(t, "low", sh.Low, -4, 0, 1e-4)
	approx.Close(t, "high", sh.High, 18, 0, 1e-4)
}

// TestHodgesLehmannAsymptoticIsAStep checks the asymptotic bounds by
// definition, independently of R: just below the lower bound the test of
// (x − d, y) rejects upward, just above it does not, and the bound is one of
// the differences x_i − y_j (where W steps).
func TestHodgesLehmannAsymptoticIsAStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 30 {
		n1, n2 := 20+rng.IntN(60), 20+rng.IntN(60)
		x, y := make([]float64, n1), make([]float64, n2)
		for i := range x {
			x[i] = math.Round(rng.NormFloat64()*1000) / 100
		}
		for i := range y {
			y[i] = math.Round((rng.NormFloat64()-0.5)*1000) / 100
		}
		sh, _, err := HodgesLehmann(x, y, Options{Method: Asymptotic})
		if err != nil {
			t.Fatal(err)
		}
		d := bruteDiffs(x, y)
		for _, b := range []float64{sh.Low, sh.High} {
			i := sort.SearchFloat64s(d, b)
			near := i < len(d) && math.Abs(d[i]-b) <= 1e-12*math.Max(1, math.Abs(b)) ||
				i > 0 && math.Abs(d[i-1]-b) <= 1e-12*math.Max(1, math.Abs(b))
			if !near {
				t.Fatalf("trial %d: bound %v is not a pairwise difference", trial, b)
			}
		}
		if len(d)%2 == 1 {
			approx.Close(t, "estimate", sh.Estimate, d[len(d)/2], 0, 0)
		} else {
			approx.Close(t, "estimate", sh.Estimate, (d[len(d)/2-1]+d[len(d)/2])/2, 1e-15, 0)
		}
		// The bounds bracket the estimate.
		if !(sh.Low <= sh.Estimate && sh.Estimate <= sh.High) {
			t.Fatalf("trial %d: %v does not bracket the estimate", trial, sh)
		}
	}
}

// TestMannWhitneyUFalsePositiveRate: under the null (both groups from the
// same distribution, independent draws) a 5% test rejects 5% of the time.
// 4000 seeded replicates: the binomial standard error at 0.05 is
// √(0.05·0.95/4000) = 0.0034, so the tolerance ±0.012 is 3.5 standard errors.
// The asymptotic test on tied counts is checked too; it may be slightly
// conservative, hence the one-sided upper check plus a lower floor.
func TestMannWhitneyUFalsePositiveRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pois := distuv.Poisson{Lambda: 50, Src: rng}
	for _, kind := range []string{"continuous", "counts"} {
		const reps = 4000
		rejected := 0
		for range reps {
			x, y := make([]float64, 30), make([]float64, 30)
			for i := range x {
				if kind == "counts" {
					x[i], y[i] = pois.Rand(), pois.Rand()
				} else {
					x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
				}
			}
			r, err := MannWhitneyU(x, y, Options{NoShift: true})
			if err != nil {
				t.Fatal(err)
			}
			if r.Significant() {
				rejected++
			}
		}
		rate := float64(rejected) / reps
		if rate > 0.05+0.012 || rate < 0.05-0.02 {
			t.Errorf("%s: false-positive rate %.4f, want 0.05 ± 0.012 (0.03 floor: the test may be conservative)", kind, rate)
		}
	}
}

// TestHodgesLehmannCoverage: the 95% interval covers the true shift 95% of
// the time. 2000 replicates of n = 25 vs 30, shift 1.5: SE 0.0049, tolerance
// ±0.017 (3.5 SE); exact intervals are conservative by construction.
func TestHodgesLehmannCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, m := range []Method{Exact, Asymptotic} {
		const reps, shift = 2000, 1.5
		covered := 0
		for range reps {
			x, y := make([]float64, 25), make([]float64, 30)
			for i := range x {
				x[i] = rng.ExpFloat64() + shift
			}
			for i := range y {
				y[i] = rng.ExpFloat64()
			}
			sh, _, err := HodgesLehmann(x, y, Options{Method: m})
			if err != nil {
				t.Fatal(err)
			}
			if sh.Low <= shift && shift <= sh.High {
				covered++
			}
		}
		cov := float64(covered) / reps
		if math.Abs(cov-0.95) > 0.017 {
			t.Errorf("%v: coverage %.4f, want 0.95 ± 0.017", m, cov)
		}
	}
}
