package compare_test

import (
	"fmt"
	"os"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

// Per-minute downloads of the experiment group against the control group,
// compared as `chaosstat compare --test mannwhitney` does, with the report
// it prints: the same bytes, from one call.
func ExampleRun() {
	experiment := compare.Group{Name: "experiment.csv", Series: series.Series{V: []float64{41, 44, 39, 38, 45, 36, 40, 37, 42, 35}}}
	control := compare.Group{Name: "control.csv", Series: series.Series{V: []float64{47, 52, 49, 45, 50, 53, 46, 48, 51, 44}}}

	test, err := compare.ParseTest("mannwhitney")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := compare.Run(experiment, control, test, compare.Options{})
	if err != nil {
		fmt.Println("cannot compare:", err)
		return
	}
	rep.WriteText(os.Stdout)
	fmt.Println("significant:", rep.Significant)
	// scipy 1.10 mannwhitneyu: U=2, p=0.000326; R 4.2.2 wilcox.test(conf.int=TRUE):
	// estimate -9.0, CI [-12.0, -6.0] (the data of ExampleMannWhitneyU).

	// Output:
	// experiment  experiment.csv  n = 10
	// control     control.csv     n = 10
	// test        Mann-Whitney U, two-sided, exact p-value
	// statistic   U = 2
	// p-value     5.4e-05
	// shift       -9 [-12, -6] at 95% confidence (experiment - control in the data's units, Hodges-Lehmann, exact interval)
	// verdict     experiment is lower than control: p = 5.4e-05 < alpha 0.05
	// significant: true
}
