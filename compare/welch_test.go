package compare

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

func TestWelchTPublished(t *testing.T) {
	// scipy 1.10 ttest_ind([1,2,3], [1.1,2.9,4.2],
	// equal_var=False) -> t=-0.686495127355726, p=0.536194907531267, and the
	// Welch-Satterthwaite df 3.410443164346377; R 4.2.2 t.test(...) 95% CI
	// [-3.912777195645218, 2.446110528978551].
	r, err := WelchT([]float64{1, 2, 3}, []float64{1.1, 2.9, 4.2}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "t", r.Statistic, -0.686495127355726, 1e-12, 0)
	approx.Close(t, "df", r.DF, 3.410443164346377, 1e-12, 0)
	approx.Close(t, "p", r.P, 0.536194907531267, 1e-12, 0)
	approx.Close(t, "low", r.Shift.Low, -3.912777195645218, 1e-10, 0)
	approx.Close(t, "high", r.Shift.High, 2.446110528978551, 1e-10, 0)
	approx.Close(t, "estimate", r.Shift.Estimate, 2.0-(1.1+2.9+4.2)/3, 1e-12, 0)
}

func TestWelchTErrors(t *testing.T) {
	if _, err := WelchT([]float64{1}, []float64{1, 2}, Options{}); !errors.Is(err, ErrSampleSize) {
		t.Errorf("n=1: err = %v, want ErrSampleSize", err)
	}
	if _, err := WelchT([]float64{3, 3}, []float64{3, 3, 3}, Options{}); !errors.Is(err, ErrZeroVariance) {
		t.Errorf("constant: err = %v, want ErrZeroVariance", err)
	}
	r, err := WelchT([]float64{3, 3, 3}, []float64{1, 2, 3}, Options{})
	if err != nil || len(r.Warnings) == 0 {
		t.Errorf("one constant sample: warnings=%v err=%v; want a zero-variance warning", r.Warnings, err)
	}
}

// TestWelchTCoverage: the 95% interval of the mean difference covers the
// true difference 95% of the time with unequal variances and sizes (where
// the pooled t test would not). 4000 replicates: SE 0.0034, tolerance ±0.012.
func TestWelchTCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const reps, diff = 4000, 2.0
	covered, rejected := 0, 0
	for range reps {
		x, y := make([]float64, 8), make([]float64, 40)
		for i := range x {
			x[i] = 3*rng.NormFloat64() + diff
		}
		for i := range y {
			y[i] = rng.NormFloat64()
		}
		r, err := WelchT(x, y, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Shift.Low <= diff && diff <= r.Shift.High {
			covered++
		}
		// The same data shifted to the null: the false-positive rate.
		for i := range x {
			x[i] -= diff
		}
		if r, _ = WelchT(x, y, Options{}); r.Significant() {
			rejected++
		}
	}
	if c := float64(covered) / reps; math.Abs(c-0.95) > 0.012 {
		t.Errorf("coverage %.4f, want 0.95 ± 0.012", c)
	}
	if f := float64(rejected) / reps; math.Abs(f-0.05) > 0.012 {
		t.Errorf("false-positive rate %.4f, want 0.05 ± 0.012", f)
	}
}

// TestWelchNearFloatMax: values near the float64 maximum, whose sums and
// squares overflow, gave p = NaN, read as "no significant difference"
// (issue 13). t, df and p do not depend on the scale, so the same samples
// divided by 1e300 are the reference; the shift and the control's level
// are the scaled ones times 1e300.
func TestWelchNearFloatMax(t *testing.T) {
	var x, y, xs, ys []float64
	for i := range 120 {
		jitter := float64(i%7) / 100 // 0 to 0.06, a fixed pattern
		x = append(x, (1.5+jitter)*1e308)
		y = append(y, (1+jitter)*1e308)
		xs, ys = append(xs, (1.5+jitter)*1e8), append(ys, (1+jitter)*1e8)
	}
	got, err := WelchT(x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := WelchT(xs, ys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"t", got.Statistic, want.Statistic},
		{"df", got.DF, want.DF},
		{"p", got.P, want.P},
		{"shift", got.Shift.Estimate, want.Shift.Estimate * 1e300},
		{"low", got.Shift.Low, want.Shift.Low * 1e300},
		{"control level", got.ControlLevel, want.ControlLevel * 1e300},
	} {
		if math.IsNaN(c.got) || !approx.Equal(c.got, c.want, 1e-9, 0) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !got.Significant() {
		t.Errorf("a 50%% difference over 120 points: p = %v, not significant", got.P)
	}
}
