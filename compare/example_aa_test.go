package compare_test

import (
	"fmt"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

// Two weeks of per-minute downloads of a DNS-weighted 2%:2% split whose share
// wanders per 30 minutes but is exact over each day (testdata/aa): the
// planned 30-minute comparison sees a difference in most windows where there
// is none, and two weeks hold too few daily windows to vouch for 24h.
func ExampleAA() {
	e, _ := series.ReadFile("testdata/aa/wandering_experiment.csv", nil)
	c, _ := series.ReadFile("testdata/aa/wandering_control.csv", nil)
	r, err := compare.AA(e, c, compare.AAOptions{
		Planned: 30 * time.Minute,
		Counts:  true,
		Ratio:   compare.Ratio{Control: 2, Experiment: 2},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r)
	fmt.Println("planned 30m:", r.Status())
	w, _ := r.Length(30 * time.Minute)
	fmt.Printf("at 30m no drop under %.0f%% is detectable\n", 100*w.MDE)
	fmt.Println("sample ratio mismatch:", r.SRM.Mismatch)
	// Output:
	// 5m     1787/4032  false positives (0.443 [0.428, 0.459]) invalid
	// 10m    1278/2016  false positives (0.634 [0.612, 0.655]) invalid
	// 30m    534/672   false positives (0.795 [0.762, 0.825]) invalid
	// 1h     268/336   false positives (0.798 [0.751, 0.839]) invalid
	// 2h     120/168   false positives (0.714 [0.640, 0.781]) invalid
	// 6h      37/56    false positives (0.661 [0.522, 0.782]) invalid
	// 12h     11/28    false positives (0.393 [0.215, 0.594]) invalid
	// 24h      0/14    false positives (0.000 [0.000, 0.232]) valid
	// recommended window: 24h
	// planned 30m: invalid
	// at 30m no drop under 31% is detectable
	// sample ratio mismatch: false
}

// The sample-ratio test of two weeks of downloads where the experiment got
// 1.9% of the traffic and the control 2%: a 5% shortfall over millions of
// downloads is far beyond chance.
func ExampleSampleRatioTest() {
	chi2, p, _ := compare.SampleRatioTest(1_900_000, 2_000_000, compare.Ratio{Control: 2, Experiment: 2})
	fmt.Printf("chi-square %.1f, p = %.2g, mismatch: %v\n", chi2, p, p < compare.DefaultSRMAlpha)
	chi2, p, _ = compare.SampleRatioTest(1_000_600, 999_400, compare.DefaultRatio)
	fmt.Printf("chi-square %.2f, p = %.2f, mismatch: %v\n", chi2, p, p < compare.DefaultSRMAlpha)
	// Output:
	// chi-square 2564.1, p = 0, mismatch: true
	// chi-square 0.72, p = 0.40, mismatch: false
}

// The smallest relative drop a comparison detects with 80% power when its
// window-to-window noise has a standard deviation of 1.2%.
func ExampleMinDetectableEffect() {
	m, _ := compare.MinDetectableEffect(0.012, 0.05, compare.DefaultPower, compare.TwoSided)
	fmt.Printf("%.1f%%\n", 100*m)
	// Output: 3.4%
}

// How many A/A windows the check needs to catch a split that makes one window
// in five a false alarm, at alpha 0.05 with 80% power.
func ExampleMinAAWindows() {
	n, _ := compare.MinAAWindows(0.05, 0.2, 0.8)
	fmt.Println(n, "windows: two weeks of 12h windows (28), or four weeks of 24h")
	// Output: 27 windows: two weeks of 12h windows (28), or four weeks of 24h
}
