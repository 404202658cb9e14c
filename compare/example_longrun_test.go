package compare_test

import (
	"fmt"

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
