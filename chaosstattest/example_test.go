package chaosstattest_test

import (
	"fmt"
	"time"

	"github.com/chaosstat/chaosstat/chaosstattest"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// printT stands in for the *testing.T of a test function: it prints what a
// failing assertion reports, as go test would show it under the test's name.
type printT struct{}

func (printT) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

// A hypothesis about downloads per minute in ten minutes of an experiment
// whose fault cost the experiment group a fifth of its downloads. In a test
// function the first argument is t; here the failure is printed. It is the
// verdict with its table, not just "false".
func ExampleHypothesisHolds() {
	h := steadystate.Hypothesis{
		Name: "instance-loss",
		Metrics: []steadystate.Metric{{
			Name: "downloads", Kind: steadystate.Business, Unit: "downloads/min",
			Direction: steadystate.Decrease, Tolerance: 0.05,
		}},
	}
	control := series.Series{V: []float64{1012, 987, 1003, 995, 1021, 978, 1009, 990, 1000, 1015}}
	experiment := series.Series{V: []float64{804, 790, 811, 779, 822, 801, 795, 808, 787, 799}}

	held := chaosstattest.HypothesisHolds(printT{}, h, steadystate.Data{Control: control, Experiment: experiment})
	fmt.Println("held:", held)
	// Output:
	// chaosstattest: hypothesis "instance-loss" does not hold: the verdict is disproved
	//
	// hypothesis  instance-loss
	// verdict     disproved: score 0 is below the marginal threshold 0.75: failing: downloads low
	// score       0 (held at >= 0.95, disproved below 0.75)
	// tests       two-sided at alpha 0.05, p-values adjusted by holm across 1 tested metric
	//
	// metric     kind      test         n ctl+exp  effect (experiment - control)    relative                 p        adj. p   result
	// downloads  business  mannwhitney  10+10      -201 [-214, -188] downloads/min  -20.1% [-21.4%, -18.8%]  1.1e-05  1.1e-05  low
	//
	// downloads: low: significantly lower (adjusted p = 1.1e-05), -20.1% [-21.4%, -18.8%] (-201 [-214, -188]) beyond the tolerance of 5%
	//   effect: hodges-lehmann shift, relative to the control's level 1001.5
	//
	// held: false
}

// A day of per-minute downloads before the experiment, from a 2%:2% split
// whose share wanders by about 5% from one half hour to the next, as a split
// by weighted DNS does (makeSplit in data_test.go, seeded): at the planned
// 30-minute window the A/A replay finds a difference in most windows, so a
// test of the experiment at 30 minutes would fail whatever the fault did. In
// a test function the first argument is t; here the failure, the replay's
// table, is printed.
func ExampleSplitValid() {
	experiment, control := makeSplit(1, 24, 0.05)
	valid := chaosstattest.SplitValid(printT{}, experiment, control, 30*time.Minute, compare.AAOptions{
		Counts: true,
		Ratio:  compare.Ratio{Control: 2, Experiment: 2},
	})
	fmt.Println("valid:", valid)
	// Output:
	// chaosstattest: the split is not valid at 30m: invalid
	//
	// A/A replay (mannwhitney at alpha 0.05 per window):
	// 5m     106/288   false positives (0.368 [0.312, 0.427]) invalid
	// 10m     86/144   false positives (0.597 [0.512, 0.678]) invalid
	// 30m     38/48    false positives (0.792 [0.650, 0.895]) invalid
	// 1h      15/24    false positives (0.625 [0.406, 0.812]) invalid
	// 2h       5/12    false positives (0.417 [0.152, 0.723]) invalid
	// 6h       2/4     false positives (0.500 [0.068, 0.932]) invalid
	// 12h      0/2     false positives (0.000 [0.000, 0.842]) too-few-windows
	// 24h      0/0     false positives (NaN [NaN, NaN]) too-few-windows
	// recommended window: none
	// sample ratio: SRM ok: experiment share 0.4996 (planned 0.5) χ²=2.296 p=0.13, dispersion 36.5 over 48 windows of 30m0s
	// warning: the split departs from the plan window by window more than a random split would: dispersion 36.5 at 30m, about 1 for a random split (p = 0); a comparison at this window length sees the departure as a difference
	// warning: 30m: 38 of 48 windows show a difference where there is none (79.2%, expected 5%; p = 1.4e-40): the split is too noisy at this window length
	//
	// valid: false
}

// A candidate steady-state metric measured at an hourly resolution: it is
// not real time, and its hourly changes no longer follow satisfaction
// (steadystate/criteria/testdata).
func ExampleMeetsCriteria() {
	read := func(name string) series.Series {
		s, err := series.ReadFile("../steadystate/criteria/testdata/"+name+".csv", nil)
		if err != nil {
			panic(err)
		}
		return s
	}
	now := time.Date(2025, 11, 8, 23, 59, 30, 0, time.UTC)
	ok := chaosstattest.MeetsCriteria(printT{}, criteria.Candidate{Name: "p99_hourly", Series: read("good_hourly")},
		read("satisfaction"), now, criteria.Options{})
	fmt.Println("meets the criteria:", ok)
	// Output:
	// chaosstattest: metric p99_hourly does not meet the criteria: it fails correlation, real-time
	//
	// metric      correlation                                           real-time                           measurability                 verdict
	// p99_hourly  FAIL -0.19 at lag 0, p = 0.124, spearman prewhitened  FAIL every 1h, delay ?, 59m30s old  PASS 100.0% complete, no gap  FAIL
	//
	// correlation: |spearman, or pearson on levels,| >= 0.5 and p <= 0.05 on the best of the deseasonalised levels (daily cycle and trend removed), their changes and prewhitened surprises, at the prewhitened peak within ±15m (p corrected for autocorrelation, lags and components)
	// real-time: resolution <= 1m, delay behind satisfaction <= 5m, latency <= 5m
	// measurability: completeness >= 99%
	//
	// p99_hourly:
	//   - the 1h step is longer than the 15m lag search: only lag 0 was tried
	//   - neither its deseasonalised levels, their changes nor its surprises correlate with satisfaction's (best: prewhitened spearman -0.19, p = 0.124 at lag 0, the prewhitened peak): it does not track customer experience
	//   - its levels correlate (-0.87) but its deseasonalised levels, changes and surprises do not: the two share a trend or cycle, not a relation
	//   - sampled every 1h, above the 1m a real-time metric needs: scrape or aggregate it more often
	//   - delay behind satisfaction not measured: the correlation failed, so its best lag is noise
	//   - newest point is 59m30s old at the query time, more than the 5m allowed
	//
	// meets the criteria: false
}
