package steadystate_test

import (
	"fmt"
	"os"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// ExampleJudge judges a two-metric hypothesis on plain samples: latency,
// where only an increase hurts, and errors, whose control saw none. The
// latency change is significant but within its 5% tolerance, so it passes;
// any significant increase over a control with no errors is beyond every
// relative tolerance, so errors is high, and one failing metric of two
// scores 0.5, below the marginal threshold.
func ExampleJudge() {
	var latC, latE, errC, errE []float64
	for i := range 30 {
		jitter := float64(i*7%11) - 5 // a fixed pattern in [-5, 5]
		latC = append(latC, 200+jitter)
		latE = append(latE, 204+jitter) // 2% slower: within the 5% tolerance
		errC = append(errC, 0)
		errE = append(errE, float64(i%3%2)) // an error every third minute
	}
	h := steadystate.Hypothesis{
		Name: "instance-loss",
		Metrics: []steadystate.Metric{
			{Name: "latency_ms", Direction: steadystate.Increase, Tolerance: 0.05, Critical: true},
			{Name: "errors", Direction: steadystate.Increase, Tolerance: 0.05},
		},
	}
	v, err := steadystate.Judge(h, []steadystate.Data{
		{Control: series.Series{V: latC}, Experiment: series.Series{V: latE}},
		{Control: series.Series{V: errC}, Experiment: series.Series{V: errE}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Outcome, v.Score)
	for _, r := range v.Metrics {
		fmt.Printf("%s: %s, %+.1f%% (adjusted p = %.2g)\n", r.Metric.Name, r.Classification, 100*r.Effect.Relative, r.AdjustedP)
	}
	// Output:
	// disproved 0.5
	// latency_ms: pass, +2.0% (adjusted p = 0.00016)
	// errors: high, +Inf% (adjusted p = 0.0008)
}

// ExampleParseHypothesis parses a hypothesis file's bytes; the caller reads
// the data files it names, relative to the file.
func ExampleParseHypothesis() {
	file := []byte(`name: instance-loss
metrics:
  - name: latency_seconds
    control: latency-control.csv
    experiment: latency-experiment.csv
    direction: increase
    tolerance: 0.05
    critical: true
`)
	plan, err := steadystate.ParseHypothesis(file, "hypothesis.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := plan.Hypothesis.Metrics[0]
	fmt.Println(m.Name, m.Direction, m.Tolerance, m.Critical)
	fmt.Println(plan.Sources[0].Control, plan.Sources[0].Experiment)

	// A typo is an error naming the line, never a silently disabled check.
	_, err = steadystate.ParseHypothesis([]byte("name: h\nmetrics:\n  - name: m\n    tolerence: 0.05\n"), "hypothesis.yaml")
	fmt.Println(err)
	// Output:
	// latency_seconds increase 0.05 true
	// latency-control.csv latency-experiment.csv
	// hypothesis.yaml:4: metrics[0]: unknown field "tolerence" (did you mean "tolerance"?)
}

// ExampleVerdict_WriteText prints the table that explains a verdict.
func ExampleVerdict_WriteText() {
	var c, e []float64
	for i := range 20 {
		c = append(c, 1000+float64(i*13%17))
		e = append(e, 900+float64(i*13%17)) // 10% fewer downloads
	}
	h := steadystate.Hypothesis{Name: "downloads", Metrics: []steadystate.Metric{
		{Name: "downloads", Kind: steadystate.Business, Direction: steadystate.Decrease, Tolerance: 0.05, Test: steadystate.WelchTest},
	}}
	v, _ := steadystate.Judge(h, []steadystate.Data{{Control: series.Series{V: c}, Experiment: series.Series{V: e}}})
	v.WriteText(os.Stdout)
	// Output:
	// hypothesis  downloads
	// verdict     disproved: score 0 is below the marginal threshold 0.75: failing: downloads low
	// score       0 (held at >= 0.95, disproved below 0.75)
	// tests       two-sided at alpha 0.05, p-values adjusted by holm across 1 tested metric
	//
	// metric     kind      test   n ctl+exp  effect (experiment - control)  relative               p        adj. p   result
	// downloads  business  welch  20+20      -100 [-103, -96.7]             -9.9% [-10.2%, -9.6%]  9.8e-40  9.8e-40  low
	//
	// downloads: low: significantly lower (adjusted p = 9.8e-40), -9.9% [-10.2%, -9.6%] (-100 [-103.28, -96.723]) beyond the tolerance of 5%
	//   effect: difference in means, relative to the control's level 1007.9
}

// ExampleJudge_history judges an A/A hour of a metric that wanders slowly
// (the judge history cases' data of cmd/chaosstat/testdata/judge/history:
// ARMA(1,1) noise, no fault) twice: on the hour alone, where its slow
// swings look like a difference (a false alarm, as in about one such hour
// in five), and with the groups' eight hours before it as
// HistoryControl and HistoryExperiment, which show the swings: the hour
// is then worth too few independent points to judge, and the judge says
// so (NoData: measure for longer) instead of failing it.
func ExampleJudge_history() {
	const dir = "../cmd/chaosstat/testdata/judge/history/"
	read := func(name string) series.Series {
		s, err := series.ReadFile(dir+name, nil)
		if err != nil {
			panic(err)
		}
		return s
	}
	h := steadystate.Hypothesis{Name: "wandering", Metrics: []steadystate.Metric{{Name: "latency_ms"}}}
	window := steadystate.Data{Control: read("window-control.csv"), Experiment: read("window-experiment.csv")}
	withHistory := window
	withHistory.HistoryControl, withHistory.HistoryExperiment = read("before-control.csv"), read("before-experiment.csv")
	for _, d := range []steadystate.Data{window, withHistory} {
		v, err := steadystate.Judge(h, []steadystate.Data{d})
		if err != nil {
			fmt.Println(err)
			return
		}
		r := v.Metrics[0]
		fmt.Printf("history %3.0f min: %s, %s, worth %.1f independent points\n", r.HistoryMinutes, v.Outcome, r.Classification, r.EffectiveN)
	}
	// Output:
	// history   0 min: disproved, low, worth 24.5 independent points
	// history 480 min: inconclusive, nodata, worth 4.2 independent points
}
