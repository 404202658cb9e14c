package compare_test

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/compare"
)

// Five metrics of one hypothesis, judged together: Holm keeps the chance of
// any false alarm at 5%; Benjamini-Hochberg keeps the expected share of
// false alarms among the flagged metrics at 5%. The metric without data
// (NaN) stays NaN and does not count.
func ExampleAdjust() {
	p := []float64{0.01, 0.04, 0.03, 0.5, math.NaN()}
	fmt.Printf("holm: %.2f\n", compare.Adjust(p, compare.Holm))
	fmt.Printf("bh:   %.2f\n", compare.Adjust(p, compare.BenjaminiHochberg))
	// R 4.2.2: p.adjust(c(.01, .04, .03, .5, NA), "holm") gives
	// 0.04 0.09 0.09 0.50 NA; "BH" gives 0.04 0.0533 0.0533 0.50 NA.

	// Output:
	// holm: [0.04 0.09 0.09 0.50 NaN]
	// bh:   [0.04 0.05 0.05 0.50 NaN]
}
