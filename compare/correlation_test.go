package compare_test

// Correlation coefficients and p-values against scipy 1.10.1: every case of
// testdata/corr/corr_scipy.json, written by testdata/corr/gen_corr_scipy.py
// (Debian's python3-scipy, run by hand), each record carrying the exact
// scipy call. Statistics and p-values agree to a relative 1e-9 (refTol), or
// both below 1e-300.
//
// Where scipy returns NaN we return something else, on purpose:
//   - constant input: ErrConstantInput, not NaN (scipy: ConstantInputWarning);
//   - two pairs: p = 1 for Spearman and for asymptotic Kendall, as scipy's
//     own pearsonr and exact kendalltau say (scipy's spearmanr divides 0 by 0,
//     its asymptotic kendalltau divides by n − 2).

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

type corrRefFile struct {
	Scipy string `json:"scipy"`
	Cases map[string]struct {
		X []float64 `json:"x"`
		Y []float64 `json:"y"`
	} `json:"cases"`
	Results []struct {
		Case        string `json:"case"`
		Test        string `json:"test"`
		Alternative string `json:"alternative"`
		Method      string `json:"method"`
		Statistic   refNum `json:"statistic"`
		PValue      refNum `json:"pvalue"`
		Error       string `json:"error"`
		Call        string `json:"call"`
	} `json:"results"`
}

func TestCorrelationScipy(t *testing.T) {
	b, err := os.ReadFile("testdata/corr/corr_scipy.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref corrRefFile
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.Scipy != "1.10.1" || len(ref.Results) < 300 {
		t.Fatalf("reference file from scipy %s with %d results; regenerate it with Debian's scipy 1.10", ref.Scipy, len(ref.Results))
	}
	branches := map[string]int{}
	for _, r := range ref.Results {
		c := ref.Cases[r.Case]
		name := fmt.Sprintf("%s/%s/%s/%s", r.Case, r.Test, r.Alternative, r.Method)
		t.Run(name, func(t *testing.T) {
			m, err := compare.ParseCorrelationMethod(r.Test)
			if err != nil {
				t.Fatal(err)
			}
			alt, _ := compare.ParseAlternative(r.Alternative)
			meth, _ := compare.ParseMethod(r.Method)
			got, err := compare.Correlate(m, c.X, c.Y, compare.CorrelationOptions{Alternative: alt, Method: meth})
			switch {
			case r.Error != "":
				if err == nil || !strings.Contains(err.Error(), "ties") {
					t.Fatalf("%s raised %q; got err %v", r.Call, r.Error, err)
				}
				branches["error:ties"]++
				return
			case math.IsNaN(float64(r.Statistic)):
				if !errors.Is(err, compare.ErrConstantInput) {
					t.Fatalf("%s is NaN (constant input); want ErrConstantInput, got %v", r.Call, err)
				}
				branches["error:constant"]++
				return
			case err != nil:
				t.Fatalf("%s: %v", r.Call, err)
			}
			approx.Close(t, r.Call+" statistic", got.Coefficient, float64(r.Statistic), refTol, 0)
			want := float64(r.PValue)
			if math.IsNaN(want) {
				if len(c.X) != 2 {
					t.Fatalf("%s: scipy p is NaN for n = %d; only n = 2 is expected", r.Call, len(c.X))
				}
				want = 1 // see the file comment
			}
			approx.Close(t, r.Call+" p-value", got.P, want, refTol, 1e-300)
			if got.N != len(c.X) {
				t.Errorf("N = %d, want %d", got.N, len(c.X))
			}
			branches[r.Test+":"+got.Method.String()]++
		})
	}
	// Every branch of scipy's code was reached by some case.
	for _, b := range []string{"pearson:asymptotic", "spearman:asymptotic", "kendall:exact", "kendall:asymptotic", "error:ties", "error:constant"} {
		if branches[b] == 0 {
			t.Errorf("no reference case reached %s", b)
		}
	}
}

func TestCorrelationPublished(t *testing.T) {
	// The examples of scipy 1.10's docs and tests of pearsonr, spearmanr
	// and kendalltau.
	cases := []struct {
		reason     string
		m          compare.CorrelationMethod
		x, y       []float64
		coef, p    float64
		wantMethod compare.Method
	}{
		{"pearsonr docs vector", compare.Pearson, []float64{1, 2, 3, 4, 5, 6, 7}, []float64{10, 9, 2.5, 6, 4, 3, 2}, -0.828503883588428, 0.021280260007523286, compare.Asymptotic},
		{"spearmanr with a tie in y", compare.Spearman, []float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}, 0.8207826816681233, 0.08858700531354381, compare.Asymptotic},
		{"kendalltau with ties in both: asymptotic, tie-corrected variance", compare.Kendall, []float64{12, 2, 1, 12, 2}, []float64{1, 4, 7, 1, 0}, -0.47140452079103173, 0.2827454599327748, compare.Asymptotic},
	}
	for _, c := range cases {
		t.Run(c.reason, func(t *testing.T) {
			r, err := compare.Correlate(c.m, c.x, c.y, compare.CorrelationOptions{})
			if err != nil {
				t.Fatal(err)
			}
			approx.Close(t, "coefficient", r.Coefficient, c.coef, 1e-12, 0)
			approx.Close(t, "p", r.P, c.p, 1e-9, 0)
			if r.Method != c.wantMethod {
				t.Errorf("method %v, want %v", r.Method, c.wantMethod)
			}
		})
	}
}

// TestKendallTauBBruteForce checks the O(n log n) pair counts against the
// O(n²) definition of tau-b on random data with many ties.
func TestKendallTauBBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 2 + rng.IntN(60)
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(1 + trial%7))
			y[i] = float64(rng.IntN(5)) + x[i]*float64(trial%3)
		}
		var c, d, tx, ty float64
		for i := range n {
			for j := i + 1; j < n; j++ {
				s := (x[i] - x[j]) * (y[i] - y[j])
				switch {
				case s > 0:
					c++
				case s < 0:
					d++
				case x[i] == x[j] && y[i] != y[j]:
					tx++
				case y[i] == y[j] && x[i] != x[j]:
					ty++
				}
			}
		}
		r, err := compare.KendallTauB(x, y, compare.CorrelationOptions{})
		if c+d+tx == 0 || c+d+ty == 0 {
			if !errors.Is(err, compare.ErrConstantInput) {
				t.Fatalf("trial %d: constant input, got err %v", trial, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		want := (c - d) / math.Sqrt((c+d+tx)*(c+d+ty))
		approx.Close(t, fmt.Sprintf("trial %d tau-b", trial), r.Coefficient, want, 1e-12, 1e-15)
	}
}

// TestKendallTauBIsNotTauA shows why we do not use gonum's stat.Kendall:
// with ties it is tau-a, which differs from scipy's tau-b.
func TestKendallTauBIsNotTauA(t *testing.T) {
	x := []float64{12, 2, 1, 12, 2}
	y := []float64{1, 4, 7, 1, 0}
	r, err := compare.KendallTauB(x, y, compare.CorrelationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tauA := stat.Kendall(x, y, nil)
	if math.Abs(tauA-r.Coefficient) < 0.05 {
		t.Errorf("tau-a %v and tau-b %v agree; the case should separate them", tauA, r.Coefficient)
	}
}

func TestCorrelationErrors(t *testing.T) {
	cases := []struct {
		reason string
		x, y   []float64
		opts   compare.CorrelationOptions
		want   error
		text   string
	}{
		{"mismatched lengths", []float64{1, 2, 3}, []float64{1, 2}, compare.CorrelationOptions{}, nil, "equal length"},
		{"one pair", []float64{1}, []float64{2}, compare.CorrelationOptions{}, compare.ErrSampleSize, "1 complete pairs"},
		{"NaN leaves one pair", []float64{1, math.NaN(), 3}, []float64{1, 2, math.NaN()}, compare.CorrelationOptions{}, compare.ErrSampleSize, ""},
		{"infinity", []float64{1, 2, math.Inf(1)}, []float64{1, 2, 3}, compare.CorrelationOptions{}, compare.ErrNonFinite, "x[2]"},
		{"constant y", []float64{1, 2, 3}, []float64{4, 4, 4}, compare.CorrelationOptions{}, compare.ErrConstantInput, "every y value is 4"},
		{"negative effective n", []float64{1, 2, 3}, []float64{1, 3, 2}, compare.CorrelationOptions{EffectiveN: -1}, nil, "effective n"},
	}
	for _, c := range cases {
		for _, m := range []compare.CorrelationMethod{compare.Spearman, compare.Pearson, compare.Kendall} {
			t.Run(c.reason+"/"+m.String(), func(t *testing.T) {
				_, err := compare.Correlate(m, c.x, c.y, c.opts)
				if err == nil {
					t.Fatal("no error")
				}
				if c.want != nil && !errors.Is(err, c.want) {
					t.Errorf("err %v, want %v", err, c.want)
				}
				if !strings.Contains(err.Error(), c.text) {
					t.Errorf("err %q does not say %q", err, c.text)
				}
			})
		}
	}
}

func TestCorrelationMissingPairsWarn(t *testing.T) {
	x := []float64{1, 2, math.NaN(), 4, 5, 6}
	y := []float64{2, 1, 3, math.NaN(), 6, 5}
	r, err := compare.SpearmanRho(x, y, compare.CorrelationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	full, _ := compare.SpearmanRho([]float64{1, 2, 5, 6}, []float64{2, 1, 6, 5}, compare.CorrelationOptions{})
	if r.N != 4 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Error(), "2 of 6 pairs") {
		t.Errorf("N %d warnings %v", r.N, r.Warnings)
	}
	approx.Close(t, "rho without the NaN pairs", r.Coefficient, full.Coefficient, 1e-15, 0)
}

// TestCorrelationEffectiveN: an effective n makes the p-value the one of a
// sample of that size with the same coefficient.
func TestCorrelationEffectiveN(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, y := make([]float64, 200), make([]float64, 200)
	for i := range x {
		x[i] = rng.NormFloat64()
		y[i] = 0.3*x[i] + rng.NormFloat64()
	}
	for _, m := range []compare.CorrelationMethod{compare.Pearson, compare.Spearman} {
		full, _ := compare.Correlate(m, x, y, compare.CorrelationOptions{})
		red, err := compare.Correlate(m, x, y, compare.CorrelationOptions{EffectiveN: 50})
		if err != nil {
			t.Fatal(err)
		}
		if red.Coefficient != full.Coefficient || red.EffectiveN != 50 || red.N != 200 {
			t.Errorf("%v: reduced %+v", m, red)
		}
		// p of r with n = 50: t = r√(48/(1−r²)) on 48 df.
		r := full.Coefficient
		tt := r * math.Sqrt(48/(1-r*r))
		want := 2 * corrTestT(48, -math.Abs(tt))
		approx.Close(t, m.String()+" p with n_eff 50", red.P, want, 1e-9, 0)
		if !(red.P > full.P) {
			t.Errorf("%v: p with n_eff %v not above p with n %v", m, red.P, full.P)
		}
	}
	full, _ := compare.KendallTauB(x, y, compare.CorrelationOptions{})
	red, _ := compare.KendallTauB(x, y, compare.CorrelationOptions{EffectiveN: 50})
	// z scales by √(50/200) = 1/2.
	zFull := -distuv.UnitNormal.Quantile(full.P / 2)
	approx.Close(t, "kendall p with n_eff 50", red.P, 2*distuv.UnitNormal.CDF(-zFull/2), 1e-9, 0)
}

func TestCorrelationResultString(t *testing.T) {
	r, _ := compare.SpearmanRho([]float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}, compare.CorrelationOptions{})
	if got, want := r.String(), "spearman asymptotic: rho=0.8208 p=0.0886 n=5"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestAverageRanks(t *testing.T) {
	// scipy 1.10: rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5]) = [4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5]
	got := compare.AverageRanks([]float64{3, 1, 4, 1, 5, 9, 2, 6, 5})
	want := []float64{4, 1.5, 5, 1.5, 6.5, 9, 3, 8, 6.5}
	for i := range want {
		approx.Close(t, fmt.Sprintf("rank[%d]", i), got[i], want[i], 0, 0)
	}
}

// corrTestT is Student's t CDF from gonum, an implementation independent of
// the one under test.
func corrTestT(df, t float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(t)
}

// FuzzCorrelation feeds arbitrary pairs to the three coefficients: never a
// panic; either an error or a coefficient in [−1, 1] and a p-value in
// [0, 1].
func FuzzCorrelation(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(0))
	f.Add([]byte{1, 1, 1, 1, 2, 2, 2, 2, 3, 3}, uint8(1))
	f.Add([]byte{0, 255, 0, 255, 7, 7}, uint8(2))
	f.Add([]byte{9, 9, 9, 9}, uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, alt uint8) {
		n := len(data) / 2
		x, y := make([]float64, n), make([]float64, n)
		for i := range n {
			x[i] = float64(data[2*i] % 16)
			y[i] = float64(data[2*i+1]%16) - 7.5
			if data[2*i] == 200 {
				x[i] = math.NaN()
			}
		}
		opts := compare.CorrelationOptions{Alternative: compare.Alternative(alt % 3)}
		for _, m := range []compare.CorrelationMethod{compare.Spearman, compare.Pearson, compare.Kendall} {
			r, err := compare.Correlate(m, x, y, opts)
			if err != nil {
				continue
			}
			if !(r.Coefficient >= -1 && r.Coefficient <= 1) || !(r.P >= 0 && r.P <= 1) {
				t.Fatalf("%v on %v, %v: coefficient %v p %v", m, x, y, r.Coefficient, r.P)
			}
		}
	})
}

func corrBenchData(n int) (x, y []float64) {
	rng := rand.New(rand.NewPCG(7, 8))
	x, y = make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
		y[i] = 0.5*x[i] + rng.NormFloat64()
	}
	return x, y
}

// BenchmarkCorrelation10080: each coefficient with its p-value on a week
// of per-minute pairs.
func BenchmarkCorrelation10080(b *testing.B) {
	x, y := corrBenchData(10080)
	for _, m := range []compare.CorrelationMethod{compare.Pearson, compare.Spearman, compare.Kendall} {
		b.Run(m.String(), func(b *testing.B) {
			for b.Loop() {
				if _, err := compare.Correlate(m, x, y, compare.CorrelationOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
