package compare

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
	"gonum.org/v1/gonum/stat/distuv"
)

// Published vectors, from scipy 1.10's tests of mannwhitneyu and R's
// wilcox.test examples; the full scipy/R conformance suite is
// reference_test.go.
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
		{"ties-asymptotic", "the tie-corrected normal approximation, asked for", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 4, 5}, Options{Method: Asymptotic}, 8, 0.7086240584439, Asymptotic},
		// Enumeration of all 126 arrangements (testdata/gen_exact_scipy.py): 2·P(U ≤ 8) = 50/63.
		{"ties-auto-exact", "ties no longer force the approximation: auto is exact for small samples", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 4, 5}, Options{}, 8, 50.0 / 63, Exact},
		{"exact-with-ties", "an exact request with ties uses the permutation distribution given the ties", []float64{1, 2, 3, 4}, []float64{1, 2, 3, 4, 5}, Options{Method: Exact}, 8, 50.0 / 63, Exact},
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

// rootOfW finds the asymptotic interval bound the way R's wilcox.test does:
// a root of W(d) − zq, with W evaluated on the pooled sample (x − d, y) with
// its ties at every d, by bisection down to neighbouring float64s (R's
// uniroot stops at 1e-4). It is the oracle for the closed form that
// hodgesLehmannSorted uses.
func rootOfW(x, y []float64, alt Alternative, zq float64) float64 {
	n1, n2 := len(x), len(y)
	mn, n := float64(n1*n2), float64(n1+n2)
	xd := make([]float64, n1)
	w := func(d float64) float64 {
		for i, v := range x {
			xd[i] = v - d // as R forms x - d
		}
		rs := mergeRanks(xd, y)
		dz := rs.U - mn/2
		corr := map[Alternative]float64{TwoSided: 0.5 * sign(dz), Greater: 0.5, Less: -0.5}[alt]
		sigma := math.Sqrt(mn / 12 * ((n + 1) - rs.TieTerm/(n*(n-1))))
		return (dz-corr)/sigma - zq
	}
	lo, hi := x[0]-y[n2-1], x[n1-1]-y[0]
	if w(lo) <= 0 {
		return lo
	}
	if w(hi) >= 0 {
		return hi
	}
	a, b := floatKey(lo), floatKey(hi)
	for b-a > 1 {
		mid := a + (b-a)/2
		if w(keyFloat(mid)) > 0 {
			a = mid
		} else {
			b = mid
		}
	}
	return keyFloat(b)
}

// TestHodgesLehmannRootsMatchW checks the asymptotic bounds against a root
// search on W itself, on continuous data and on heavily tied counts.
func TestHodgesLehmannRootsMatchW(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 60 {
		n1, n2 := 2+rng.IntN(80), 2+rng.IntN(80)
		gen := func(shift float64) float64 {
			if trial%2 == 0 {
				return float64(rng.IntN(8)) + math.Round(shift) // ties
			}
			return math.Round((rng.NormFloat64()+shift)*1000) / 100
		}
		x, y := make([]float64, n1), make([]float64, n2)
		for i := range x {
			x[i] = gen(0.5)
		}
		for i := range y {
			y[i] = gen(0)
		}
		slices.Sort(x)
		slices.Sort(y)
		for _, alt := range []Alternative{TwoSided, Greater, Less} {
			opts := Options{Method: Asymptotic, Alternative: alt, Confidence: 0.9}
			sh, _, err := HodgesLehmann(x, y, opts)
			if err != nil {
				t.Fatal(err)
			}
			a := 0.1
			if alt == TwoSided {
				a = 0.05
			}
			z := distuv.UnitNormal.Quantile(1 - a)
			// The bisection stops on either side of the step, where x − d
			// rounds to the same values: within 1e-9 at this data scale
			// (|values| < 100), far inside R's own 1e-4.
			if alt != Less {
				approx.Close(t, "low", sh.Low, rootOfW(x, y, alt, z), 1e-12, 1e-9)
			}
			if alt != Greater {
				approx.Close(t, "high", sh.High, rootOfW(x, y, alt, -z), 1e-12, 1e-9)
			}
			d := bruteDiffs(x, y)
			if len(d)%2 == 1 {
				approx.Close(t, "estimate", sh.Estimate, d[len(d)/2], 0, 0)
			} else {
				approx.Close(t, "estimate", sh.Estimate, (d[len(d)/2-1]+d[len(d)/2])/2, 1e-15, 0)
			}
			if t.Failed() {
				t.Fatalf("trial %d %v: n=%d+%d", trial, alt, n1, n2)
			}
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

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
