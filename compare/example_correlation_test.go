package compare_test

import (
	"fmt"

	"github.com/chaosstat/chaosstat/compare"
)

// Kendall's tau-b with ties in both variables, as scipy 1.10's kendalltau:
// tau = -0.4714, p = 0.2827 (asymptotic, tie-corrected variance).
func ExampleKendallTauB() {
	x := []float64{12, 2, 1, 12, 2}
	y := []float64{1, 4, 7, 1, 0}
	r, err := compare.KendallTauB(x, y, compare.CorrelationOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	// Output:
	// kendall asymptotic: tau=-0.4714 p=0.283 n=5
}

// Spearman's rho of a minute's error ratio against the same minute's
// Apdex, one-sided: does the error ratio fall as satisfaction rises?
func ExampleSpearmanRho() {
	apdex := []float64{0.95, 0.94, 0.91, 0.80, 0.93, 0.96, 0.70, 0.92}
	errorRatio := []float64{0.010, 0.012, 0.020, 0.060, 0.011, 0.008, 0.090, 0.015}
	r, err := compare.SpearmanRho(apdex, errorRatio, compare.CorrelationOptions{Alternative: compare.Less})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("rho = %.3f, p = %.2g\n", r.Coefficient, r.P)
	// Output:
	// rho = -0.976, p = 1.7e-05
}

// Pearson's r of scipy's documentation vector, with a constant variable
// refused rather than answered with NaN.
func ExamplePearsonR() {
	r, _ := compare.PearsonR([]float64{1, 2, 3, 4, 5, 6, 7}, []float64{10, 9, 2.5, 6, 4, 3, 2}, compare.CorrelationOptions{})
	fmt.Printf("r = %.6f, p = %.6f\n", r.Coefficient, r.P)
	_, err := compare.PearsonR([]float64{1, 2, 3}, []float64{5, 5, 5}, compare.CorrelationOptions{})
	fmt.Println(err)
	// Output:
	// r = -0.828504, p = 0.021280
	// compare: pearson: every y value is 5: constant input: the correlation is undefined
}
