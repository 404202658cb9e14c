package compare_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/chaosstat/chaosstat/compare"
)

// The long-run variance of per-minute differences that drift slowly: the
// variance of their mean is Variance/n, about three times Gamma0/n, what
// independent points would give. The stream gives the same estimate point
// by point.
func ExampleLongRunVariance() {
	d := []float64{1.0, 1.2, 1.1, 1.4, 1.3, 1.6, 1.5, 1.3, 1.4, 1.1, 0.9, 1.0, 0.8, 0.9, 0.7, 1.0}
	lr := compare.LongRunVariance(d, compare.LongRunOptions{})
	fmt.Printf("variance %.3f, long-run variance %.3f (factor %.2f, AR(1) %.2f, bandwidth %.2f)\n",
		lr.Gamma0, lr.Variance, lr.Factor(), lr.AR1, lr.Bandwidth)

	s := compare.NewLongRunStream(10)
	for _, x := range d {
		s.Add(x)
	}
	fmt.Printf("streamed: long-run variance %.3f over %d points\n", s.LongRun(0, compare.LongRunOptions{}).Variance, s.Len())
	// Output:
	// variance 0.064, long-run variance 0.195 (factor 3.07, AR(1) 0.69, bandwidth 5.50)
	// streamed: long-run variance 0.195 over 16 points
}

// A slow drift under white noise, as the paired differences of two groups
// with their own slow drifts under counting noise: the lag-1
// autocorrelation is small (0.4 in the model, 0.29 in this sample), so the Bartlett kernel with Andrews'
// AR(1) bandwidth sums a few lags, while the autocorrelation decays by 0.8
// a lag. The autoregressive factor fits AR(p) by Yule-Walker (order by
// AIC) and sees the long tail. The data: AR(1) 0.8 with unit innovations,
// times 0.6, plus unit white noise, 300 points (PCG seeded 1, 2); its true
// long-run variance is 1 + 0.36/0.04 = 10, its variance 1 + 0.36/0.36 = 2,
// so the true factor is 5. Newey-West finds 2.3, the autoregressive
// factor 6.5.
func ExampleLongRunStream_ARFactor() {
	rng := rand.New(rand.NewPCG(1, 2))
	s := compare.NewLongRunStream(40)
	a := 0.0
	for range 300 {
		a = 0.8*a + rng.NormFloat64()
		s.Add(0.6*a + rng.NormFloat64())
	}
	lr := s.LongRun(0, compare.LongRunOptions{MaxLag: 40})
	f, p := s.ARFactor(0)
	fmt.Printf("lag-1 %.2f; Newey-West factor %.2f (bandwidth %.1f); autoregressive factor %.2f (order %d)\n",
		lr.Gamma1/lr.Gamma0, lr.Factor(), lr.Bandwidth, f, p)
	// Output:
	// lag-1 0.29; Newey-West factor 2.32 (bandwidth 5.7); autoregressive factor 6.47 (order 6)
}
