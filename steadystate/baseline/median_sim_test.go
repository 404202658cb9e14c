package baseline

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMedianOfWeeksVariance reproduces the figures behind New's spread,
// quoted in BENCHMARKS.md: the variance of the median of 3 and of 4
// standard normal values (0.449 and 0.298), and so the factor by which a
// week's residual against the median of the other three overstates the
// prediction error of the four-week median, √(1.449/1.298) = 1.057.
// Seeded simulation of n = 400,000 medians each; the tolerance is 4
// standard errors of a sample variance, v·√(2/n) (the medians are close
// to normal).
func TestMedianOfWeeksVariance(t *testing.T) {
	const n = 400_000
	rng := rand.New(rand.NewPCG(1, 2))
	v := map[int]float64{}
	for _, k := range []int{3, 4} {
		x := make([]float64, k)
		var s, ss float64
		for range n {
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			m := blMedian(x)
			s += m
			ss += m * m
		}
		mean := s / n
		v[k] = ss/n - mean*mean
	}
	for k, want := range map[int]float64{3: 0.449, 4: 0.298} {
		if tol := 4 * want * math.Sqrt(2.0/n); math.Abs(v[k]-want) > tol {
			t.Errorf("variance of the median of %d normals %.4f, want %.3f ± %.4f", k, v[k], want, tol)
		}
	}
	ratio := math.Sqrt((1 + v[3]) / (1 + v[4]))
	t.Logf("variance of the median of 3: %.4f, of 4: %.4f; leave-one-week-out overstatement %.3f", v[3], v[4], ratio)
	if ratio < 1.04 || ratio > 1.07 {
		t.Errorf("overstatement %.3f, want about 1.06", ratio)
	}
}
