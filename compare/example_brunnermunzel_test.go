package compare_test

import (
	"fmt"

	"github.com/chaosstat/chaosstat/compare"
)

// A fault that slows some requests a lot and leaves the median alone: the
// experiment's latencies spread wider. Brunner-Munzel asks whether the
// experiment tends to be slower, P(experiment > control) ≠ 1/2, without
// assuming the two groups have the same shape.
func ExampleBrunnerMunzel() {
	control := []float64{101, 98, 103, 99, 100, 102, 97, 100, 101, 99, 98, 102}
	experiment := []float64{96, 140, 99, 180, 94, 101, 160, 92, 100, 150, 95, 170}
	r, err := compare.BrunnerMunzel(experiment, control, compare.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("W = %.3f, df = %.1f, p = %.3f\n", r.Statistic, r.DF, r.P)
	fmt.Printf("P(experiment > control) = %.3f [%.3f, %.3f]\n", r.Shift.Estimate, r.Shift.Low, r.Shift.High)
	fmt.Println("significant:", r.Significant())
	// scipy 1.10: brunnermunzel(experiment, control) → statistic −0.3086
	// (oriented the other way), p = 0.7628. The spread alone is not a
	// tendency to be slower; KolmogorovSmirnov asks whether the
	// distributions differ at all.

	// Output:
	// W = 0.309, df = 12.2, p = 0.763
	// P(experiment > control) = 0.542 [0.248, 0.835]
	// significant: false
}
