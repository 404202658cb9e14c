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

// An hour of an error-rate gauge after a fault was injected, with the eight
// hours before it, when both groups were treated alike, as the history.
// The gauge swings slowly (ARMA(1,1) noise, φ 0.9, θ −0.5: its minutes
// look nearly independent, lag-1 autocorrelation about 0.6, but it wanders
// for tens of minutes), which an hour cannot show and eight hours can: with
// the history the long-run variance is larger and the hour is worth fewer
// independent points. The fault did nothing here; the hour alone is
// nevertheless significant, as about one such hour in five is (the seed
// was chosen to show one).
func ExampleTimeSeries_history() {
	rng := rand.New(rand.NewPCG(7, 15))
	start := int64(1764129600000) // 2026-11-26T04:00:00Z
	group := func() series.Series {
		var s series.Series
		var x, prev float64
		for i := range 540 + 200 {
			e := rng.NormFloat64()
			x = 0.9*x + e - 0.5*prev
			prev = e
			if i >= 200 { // burn-in
				s.T = append(s.T, start+int64(i-200)*60_000)
				s.V = append(s.V, 2+0.1*x)
			}
		}
		return s
	}
	ctl, exp := group(), group()
	fault := start + 480*60_000 // 12:00
	end := start + 540*60_000
	history := &compare.History{Experiment: exp.Window(start, fault), Control: ctl.Window(start, fault)}
	for _, opts := range []compare.Options{{}, {History: history}} {
		r, err := compare.TimeSeries(exp.Window(fault, end), ctl.Window(fault, end), opts)
		if err != nil {
			fmt.Println("cannot compare:", err)
			return
		}
		fmt.Printf("history %-5v p = %.2g, shift %.3f [%.3f, %.3f], worth %.0f independent points\n",
			opts.History != nil, r.P, r.Shift.Estimate, r.Shift.Low, r.Shift.High, r.EffectiveN)
	}
	// Without the history 60 such minutes give false alarms in about one
	// run in five at 0.05; with eight hours of it in about one in thirty
	// (TestTimeSeriesHistoryFalseAlarms).

	// Output:
	// history false p = 0.001, shift -0.116 [-0.169, -0.064], worth 30 independent points
	// history true  p = 0.063, shift -0.116 [-0.240, 0.007], worth 5 independent points
}
