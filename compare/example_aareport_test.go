package compare_test

import (
	"fmt"
	"os"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

// Two weeks of per-minute downloads of a clean random 2%:2% split
// (testdata/aa), replayed at the planned 30 minutes and at 6 hours with
// Welch's t at alpha 0.01: the report `chaosstat aa --test welch --alpha
// 0.01 --windows 30m,6h` prints (cmd/chaosstat/testdata/golden/
// aa_welch_alpha_text.golden, where the groups are named by their paths).
func ExampleAAReport_WriteText() {
	e, _ := series.ReadFile("testdata/aa/clean_experiment.csv", nil)
	c, _ := series.ReadFile("testdata/aa/clean_control.csv", nil)
	rep, err := compare.RunAA(compare.Group{Name: "experiment.csv", Series: e}, compare.Group{Name: "control.csv", Series: c},
		compare.Test{Name: "welch"}, compare.AAOptions{
			Windows: []time.Duration{30 * time.Minute, 6 * time.Hour},
			Planned: 30 * time.Minute,
			Alpha:   0.01,
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep.WriteText(os.Stdout)
	// Output:
	// A/A replay: experiment.csv (experiment, 20160 points) against control.csv (control, 20160 points)
	// comparison: Welch's t, two-sided, alpha 0.01 in each window; a length needs 226 windows to be judged
	//
	// window   tested  false+     rate          interval  p (binomial)  split sd (ln)  random split  min. drop  verdict
	// 30m*        672       0       0%      [0%, 0.785%]             1         0.0124             -      5.86%  valid
	// 6h           56       0       0%       [0%, 9.03%]             1         0.0037             -      6.18%  too-few-windows
	// (* the planned window; tested: windows compared; false+: those with p <= alpha, a difference
	//  where there is none; rate: their share, interval: its Clopper-Pearson interval at 1 - alpha;
	//  p (binomial): one-sided exact binomial p-value of false+ against alpha; split sd (ln): standard
	//  deviation across windows of ln(experiment total / control total), about the relative wander of the
	//  split (0.13: about 13%); random split: the same for a random split of these counts (--counts);
	//  min. drop: the minimum detectable effect, the smallest relative drop the comparison finds in 80%
	//  of the windows when injected into the A/A data)
	//
	// planned window 30m: valid
	// recommended window: 30m, the shortest valid length; at 30m a drop of 5.86% is detectable (80% power)
	// warnings: 6h: too few windows to judge (with 56 windows tested): need at least 226 windows of 6h, so that a split making 4% of them false alarms is caught with 80% power; collect 43 days more history
}

// Six hours of an experiment in which the experiment group lost its
// traffic for 30 minutes (testdata/aa): the run is flagged, not judged.
// The numbers are those of cmd/chaosstat/testdata/golden/
// aa_health_outage_json.golden (chi_square 780.985..., p_value 7.35e-172,
// experiment_share 0.47878).
func ExampleRunHealth() {
	e, _ := series.ReadFile("testdata/aa/health_outage_experiment.csv", nil)
	c, _ := series.ReadFile("testdata/aa/health_control.csv", nil)
	rep, err := compare.RunHealth(compare.Group{Name: "experiment.csv", Series: e}, compare.Group{Name: "control.csv", Series: c},
		30*time.Minute, compare.DefaultRatio, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep.WriteText(os.Stdout)
	// Output:
	// experiment health: experiment.csv (experiment) against control.csv (control)
	// experiment share 47.9%, planned 50% (1:1): chi-square 780.99, p = 7.4e-172 (alpha 0.001)
	// dispersion at 30m: 1.41e+03 over 12 windows (about 1 for a random split)
	// flagged window 2024-01-02T14:00:00Z: experiment 0, control 16882, p = 0
	// verdict: UNHEALTHY: sample-ratio mismatch; do not judge this run
	// warnings: sample ratio mismatch: the experiment got 47.88% of the two groups' traffic, planned 50% (p = 7.4e-172 < 0.001): find why before comparing the groups (routing, a group losing traffic, counting)
	//           the split departs from the plan window by window more than a random split would: dispersion 1.41e+03 at 30m, about 1 for a random split (p = 0); a comparison at this window length sees the departure as a difference
}
