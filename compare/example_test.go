package compare_test

import (
	"fmt"

	"github.com/chaosstat/chaosstat/compare"
)

// Per-minute downloads of the experiment group (instances killed) against
// the control group over the same ten minutes.
func ExampleMannWhitneyU() {
	experiment := []float64{41, 44, 39, 38, 45, 36, 40, 37, 42, 35}
	control := []float64{47, 52, 49, 45, 50, 53, 46, 48, 51, 44}

	r, err := compare.MannWhitneyU(experiment, control, compare.Options{})
	if err != nil {
		fmt.Println("cannot compare:", err)
		return
	}
	fmt.Printf("U = %v, p = %.4f (%v)\n", r.Statistic, r.P, r.Method)
	fmt.Printf("shift: %v downloads/min\n", r.Shift)
	if r.Significant() {
		fmt.Println("the experiment differs from the control")
	}
	// scipy 1.10 mannwhitneyu: U=2, p=0.000326; R 4.2.2 wilcox.test(conf.int=TRUE):
	// estimate -9.0, CI [-12.0, -6.0].

	// Output:
	// U = 2, p = 0.0001 (exact)
	// shift: -9 [-12, -6] (95%) downloads/min
	// the experiment differs from the control
}

// One-sided question: did the fault make latency worse (greater)?
func ExampleWelchT() {
	experiment := []float64{212, 230, 198, 260, 241, 225, 219, 250}
	control := []float64{201, 195, 210, 188, 205, 199, 207, 193}

	r, err := compare.WelchT(experiment, control, compare.Options{Alternative: compare.Greater})
	if err != nil {
		fmt.Println("cannot compare:", err)
		return
	}
	fmt.Printf("t = %.3f, df = %.2f, p = %.5f\n", r.Statistic, r.DF, r.P)
	fmt.Printf("mean increase at least %.1f ms (95%% one-sided)\n", r.Shift.Low)
	// R 4.2.2 t.test(alternative="greater"): t = 3.856, df = 8.858,
	// p = 0.001994, CI [15.51591, Inf).

	// Output:
	// t = 3.856, df = 8.86, p = 0.00199
	// mean increase at least 15.5 ms (95% one-sided)
}

// A p-value exactly at alpha is significant. Three values against three,
// every experiment value below every control value: the exact one-sided
// p-value is 1/C(6,3) = 1/20, the smallest these sizes allow.
func ExampleSignificant() {
	r, err := compare.MannWhitneyU([]float64{1, 2, 3}, []float64{4, 5, 6}, compare.Options{Method: compare.Exact, Alternative: compare.Less})
	if err != nil {
		fmt.Println("cannot compare:", err)
		return
	}
	fmt.Printf("p = %v, alpha = %v (1 - %v): significant %v\n", r.P, r.Alpha(), r.Confidence, compare.Significant(r.P, r.Alpha()))
	// Output:
	// p = 0.05, alpha = 0.05 (1 - 0.95): significant true
}
