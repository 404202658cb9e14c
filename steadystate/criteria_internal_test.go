package steadystate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

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
