package criteria

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
)

// TestCriteriaACFMatchesDirectSums: the FFT autocorrelation equals the
// direct O(n²) sums, missing values included.
func TestCriteriaACFMatchesDirectSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{11, 97, 500} {
		x := make([]float64, n)
		var a float64
		for i := range x {
			a = 0.6*a + rng.NormFloat64()
			x[i] = a
			if rng.IntN(7) == 0 {
				x[i] = math.NaN()
			}
		}
		for _, ranks := range []bool{false, true} {
			got := crACF(x, ranks)
			v := make([]float64, n)
			copy(v, x)
			if ranks {
				var present []float64
				for _, u := range x {
					if !math.IsNaN(u) {
						present = append(present, u)
					}
				}
				// ranks by counting: 1 + number smaller + (ties−1)/2 (no ties here)
				for i, u := range x {
					if math.IsNaN(u) {
						continue
					}
					r := 1.0
					for _, w := range present {
						if w < u {
							r++
						}
					}
					v[i] = r
				}
			}
			var mean float64
			var cnt int
			for _, u := range v {
				if !math.IsNaN(u) {
					mean += u
					cnt++
				}
			}
			mean /= float64(cnt)
			var ss float64
			for i, u := range v {
				if math.IsNaN(u) {
					v[i] = 0
					continue
				}
				v[i] = u - mean
				ss += v[i] * v[i]
			}
			if len(got) != n/5+1 {
				t.Fatalf("n %d: %d lags, want %d", n, len(got), n/5+1)
			}
			for j := range got {
				var s float64
				for i := 0; i+j < n; i++ {
					s += v[i] * v[i+j]
				}
				approx.Close(t, fmt.Sprintf("n %d ranks %v acf[%d]", n, ranks, j), got[j], s/ss, 0, 1e-12)
			}
		}
	}
}

// TestCrLagCorrMatchesSpearmanRho: the per-lag ranks read off the global
// order give SpearmanRho's coefficient and p-value on the same pairs, with
// ties and missing values in both series.
func TestCrLagCorrMatchesSpearmanRho(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n, K = 400, 6
	a, b := make([]float64, n), make([]float64, n)
	for i := range a {
		a[i] = float64(rng.IntN(25)) // many ties
		b[i] = 0.3*a[i] + float64(rng.IntN(9))
		if rng.IntN(10) == 0 {
			a[i] = math.NaN()
		}
		if rng.IntN(8) == 0 {
			b[i] = math.NaN()
		}
	}
	lc := newCrLagCorr(a, b, K, compare.Spearman)
	for k := -K; k <= K; k++ {
		for _, ratio := range []float64{1, 0.37} {
			got, err := lc.at(k, ratio)
			if err != nil {
				t.Fatal(err)
			}
			var x, y []float64
			for i := K; i < n-K; i++ {
				if !math.IsNaN(a[i]) && !math.IsNaN(b[i+k]) {
					x = append(x, a[i])
					y = append(y, b[i+k])
				}
			}
			want, err := compare.SpearmanRho(x, y, compare.CorrelationOptions{EffectiveN: ratio * float64(len(x))})
			if err != nil {
				t.Fatal(err)
			}
			what := fmt.Sprintf("lag %d ratio %v", k, ratio)
			approx.Close(t, what+" rho", got.Coefficient, want.Coefficient, 1e-12, 1e-15)
			approx.Close(t, what+" p", got.P, want.P, 1e-9, 1e-300)
			if got.N != want.N || got.Test != compare.Spearman || got.EffectiveN != want.EffectiveN {
				t.Errorf("%s: got %v, want %v", what, got, want)
			}
		}
	}
}
