package compare_test

import (
	"fmt"

	"github.com/chaosstat/chaosstat/compare"
)

// Each group's per-minute stream starts this week (y) and at the same
// minutes last week (x): CUPED removes the part of this week's variation
// that last week predicts, and the test then runs on the adjusted values.
func ExampleCUPED() {
	yE := []float64{412, 380, 455, 398, 430, 405, 441, 389}
	xE := []float64{420, 391, 470, 405, 446, 410, 452, 401}
	yC := []float64{425, 391, 468, 409, 441, 419, 455, 400}
	xC := []float64{418, 388, 466, 404, 439, 417, 450, 398}

	adjE, adjC, info, err := compare.CUPED(yE, xE, yC, xC)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info)
	raw, _ := compare.WelchT(yE, yC, compare.Options{})
	adj, _ := compare.WelchT(adjE, adjC, compare.Options{})
	fmt.Printf("raw:      shift %.1f [%.1f, %.1f] p=%.3f\n", raw.Shift.Estimate, raw.Shift.Low, raw.Shift.High, raw.P)
	fmt.Printf("adjusted: shift %.1f [%.1f, %.1f] p=%.2g\n", adj.Shift.Estimate, adj.Shift.Low, adj.Shift.High, adj.P)
	// Output:
	// theta=0.9457 rho=0.956 variance reduction=98.9% n=8+8
	// raw:      shift -12.2 [-40.7, 16.2] p=0.371
	// adjusted: shift -14.0 [-17.0, -11.0] p=1.8e-07
}
