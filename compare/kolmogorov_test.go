package compare

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// ksReference is testdata/ks_scipy.json, written by testdata/gen_ks_scipy.py
// with Debian's scipy 1.10.1 (each record carries the scipy call).
type ksReference struct {
	Scipy string
	Kstwo []struct {
		N    int
		X    float64
		SF   float64
		Call string
	}
	Cases map[string]struct {
		Experiment, Control []float64
	}
	Ks2samp []struct {
		Case        string
		Alternative string
		Method      string
		Statistic   float64
		Pvalue      float64
		Call        string
	} `json:"ks_2samp"`
}

func loadKSReference(t *testing.T) ksReference {
	t.Helper()
	b, err := os.ReadFile("testdata/ks_scipy.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref ksReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Kstwo) == 0 || len(ref.Ks2samp) == 0 {
		t.Fatal("ks_scipy.json holds no records")
	}
	return ref
}

// TestKolmogorovSFMatchesScipy checks the one-sample distribution on a grid
// that reaches every branch of scipy's kolmogn, to a relative 1e-9.
func TestKolmogorovSFMatchesScipy(t *testing.T) {
	ref := loadKSReference(t)
	for _, r := range ref.Kstwo {
		if !approx.Close(t, r.Call, kolmogorovSF(r.N, r.X), r.SF, 1e-9, 1e-300) {
			t.Logf("scipy %s", ref.Scipy)
		}
	}
}

func TestKolmogorovSmirnovMatchesScipy(t *testing.T) {
	ref := loadKSReference(t)
	for _, r := range ref.Ks2samp {
		c := ref.Cases[r.Case]
		alt, err := ParseAlternative(r.Alternative)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]Method{"exact": Exact, "asymp": Asymptotic, "auto": Auto}[r.Method]
		res, err := KolmogorovSmirnov(c.Experiment, c.Control, Options{Alternative: alt, Method: m})
		if err != nil {
			t.Fatalf("%s %s: %v", r.Case, r.Call, err)
		}
		what := r.Case + ": " + r.Call
		approx.Close(t, what+" statistic", res.Statistic, r.Statistic, 1e-12, 0)
		if hasTies(c.Experiment, c.Control) && res.Method == Exact {
			// scipy's exact branch ignores ties and is conservative:
			// chaosstat's exact p-value with ties (R's psmirnov, checked
			// in exact_ties_test.go) is at most scipy's.
			if res.P > r.Pvalue*(1+1e-12) {
				t.Errorf("%s: exact p with ties %v above scipy's tie-ignoring %v", what, res.P, r.Pvalue)
			}
			continue
		}
		approx.Close(t, what+" p", res.P, r.Pvalue, 1e-9, 1e-300)
	}
}

func TestKolmogorovSmirnovMethods(t *testing.T) {
	ref := loadKSReference(t)
	big := ref.Cases["exact-overflows"]
	// scipy 1.10 warns "Exact calculation unsuccessful. Switching to
	// method=asymp." for one-sided exact 700 vs 900.
	r, err := KolmogorovSmirnov(big.Experiment, big.Control, Options{Method: Exact, Alternative: Greater, NoShift: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != Asymptotic || len(r.Warnings) == 0 {
		t.Errorf("overflowing exact: method %v warnings %v; want asymptotic with a warning", r.Method, r.Warnings)
	}
	large := ref.Cases["above-auto-limit"]
	if r, _ := KolmogorovSmirnov(large.Experiment, large.Control, Options{NoShift: true}); r.Method != Asymptotic {
		t.Errorf("auto above 10000 points: method %v, want asymptotic (scipy's MAX_AUTO_N)", r.Method)
	}
	ties := ref.Cases["tied-counts"]
	if r, _ := KolmogorovSmirnov(ties.Experiment, ties.Control, Options{Method: Asymptotic}); len(r.Warnings) == 0 {
		t.Error("tied counts, asymptotic: want a warning that the p-value is conservative")
	}
	if r, _ := KolmogorovSmirnov(ties.Experiment, ties.Control, Options{}); r.Method != Exact {
		t.Errorf("tied counts, auto: method %v, want exact (with ties)", r.Method)
	}
}

// TestKolmogorovSmirnovSeesSpread: a variance increase at an unchanged
// median, which a location test misses by design.
func TestKolmogorovSmirnovSeesSpread(t *testing.T) {
	var control, experiment []float64
	for i := range 200 {
		u := (float64(i) + 0.5) / 200 // evenly spaced quantiles
		control = append(control, u)
		experiment = append(experiment, 0.5+3*(u-0.5))
	}
	ks, _ := KolmogorovSmirnov(experiment, control, Options{NoShift: true})
	mw, _ := MannWhitneyU(experiment, control, Options{NoShift: true})
	if !ks.Significant() || mw.Significant() {
		t.Errorf("spread x3 at the same median: KS p = %.3g, Mann-Whitney p = %.3g; want KS significant and Mann-Whitney not", ks.P, mw.P)
	}
}

func BenchmarkKolmogorovSmirnov10k(b *testing.B) {
	x, y := benchSample("continuous100k")
	x, y = x[:10000], y[:10000]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KolmogorovSmirnov(x, y, Options{NoShift: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestKolmogorovSmirnovTooFewForAsymptotic: with 1+1 points n1n2/(n1+n2)
// rounds to 0 and scipy 1.10 returns p = NaN (kstwo.sf(d, 0)); chaosstat
// says why instead.
func TestKolmogorovSmirnovTooFewForAsymptotic(t *testing.T) {
	_, err := KolmogorovSmirnov([]float64{1}, []float64{2}, Options{Method: Asymptotic})
	if !errors.Is(err, ErrSampleSize) {
		t.Errorf("1+1 asymptotic: err = %v, want ErrSampleSize", err)
	}
	r, err := KolmogorovSmirnov([]float64{1}, []float64{2}, Options{})
	if err != nil || r.P != 1 || len(r.Warnings) == 0 {
		t.Errorf("1+1 exact: p = %v, warnings %v, err %v; want p = 1 with a warning that alpha is out of reach", r.P, r.Warnings, err)
	}
}

// hasTies reports whether the pooled samples hold a value twice.
func hasTies(x, y []float64) bool {
	seen := map[float64]bool{}
	for _, v := range append(slices.Clone(x), y...) {
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}
