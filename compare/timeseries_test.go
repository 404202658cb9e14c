package compare_test

import (
	"math"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
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
