package compare_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

// Downloads per minute of the control and the experiment group over the
// same four hours; the experiment lost instances at 12:00. Both follow the
// same afternoon wave, and each group's minute is much like its previous
// one (AR(1) noise, lag-1 autocorrelation 0.8), so the minutes are not
// independent: TimeSeries pairs them in time and uses a long-run variance.
func ExampleTimeSeries() {
	rng := rand.New(rand.NewPCG(1, 2))
	start := int64(1764158400000) // 2026-11-26T12:00:00Z
	var ctl, exp series.Series
	var nc, ne float64
	for i := range 240 {
		t := start + int64(i)*60_000
		wave := 1000 + 100*math.Sin(float64(i)/60) // shared by both groups
		nc = 0.8*nc + 42*rng.NormFloat64()         // marginal sd 70
		ne = 0.8*ne + 42*rng.NormFloat64()
		ctl.T = append(ctl.T, t)
		ctl.V = append(ctl.V, wave+nc)
		exp.T = append(exp.T, t)
		exp.V = append(exp.V, 0.95*wave+ne) // 5% fewer downloads
	}
	r, err := compare.TimeSeries(exp, ctl, compare.Options{})
	if err != nil {
		fmt.Println("cannot compare:", err)
		return
	}
	fmt.Printf("%s: t = %.2f, df = %.1f, p = %.2g\n", r.Test, r.Statistic, r.DF, r.P)
	fmt.Printf("shift %.1f [%.1f, %.1f] downloads/min, %.1f%% of the control's %.0f\n",
		r.Shift.Estimate, r.Shift.Low, r.Shift.High, 100*r.Shift.Estimate/r.ControlLevel, r.ControlLevel)
	fmt.Printf("lag-1 autocorrelation %.2f: %d pairs are worth about %.0f independent points\n",
		r.Autocorrelation, r.NControl, r.EffectiveN)
	// The output is TimeSeries' own on this generated data; the formula
	// behind it is checked against R in TestTimeSeriesAgainstR.

	// Output:
	// paired-hac: t = -3.11, df = 9.9, p = 0.011
	// shift -61.2 [-105.2, -17.3] downloads/min, -5.8% of the control's 1049
	// lag-1 autocorrelation 0.79: 240 pairs are worth about 25 independent points
}
