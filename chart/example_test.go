package chart_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

// Thanksgiving afternoon's taxi trips against four ordinary Thursday
// afternoons (testdata at the repository's top): the comparison, then its
// figure as SVG.
func ExampleCompare() {
	control, err := series.ReadFile("../testdata/taxi_control.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	experiment, err := series.ReadFile("../testdata/taxi_experiment.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := compare.MannWhitneyU(experiment.Values(), control.Values(), compare.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "chart")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	ny, _ := time.LoadLocation("America/New_York")
	err = chart.Compare(filepath.Join(dir, "thanksgiving.svg"), control, experiment, r,
		chart.Options{Location: ny, Unit: "trips per 30 min"})
	fmt.Println("svg:", err)
	// The format follows the extension; anything else is an error.
	err = chart.Compare(filepath.Join(dir, "thanksgiving.pdf"), control, experiment, r, chart.Options{})
	fmt.Println("pdf is ErrFormat:", errors.Is(err, chart.ErrFormat))
	// Output:
	// svg: <nil>
	// pdf is ErrFormat: true
}

// Thanksgiving 2014's NYC taxi trips against the same hours of the four
// Thursdays before it (steadystate's testdata): the band, the day and its
// deviations, drawn as PNG with New York's clock on the time axis.
func ExampleBaseline() {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		fmt.Println(err)
		return
	}
	current, err := series.ReadFile("../cmd/chaosstat/testdata/baseline_taxi_2014-11-27.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	history, err := series.ReadFile("../steadystate/baseline/testdata/taxi_2014-10-23_2014-11-27.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	history = history.Window(history.T[0], current.T[0]) // the weeks before the day
	b, err := baseline.New(history, baseline.Options{Location: ny})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := b.Check(current, baseline.DefaultDeviationRule)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "chart")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	current.Name = "taxi trips"
	err = chart.Baseline(filepath.Join(dir, "thanksgiving.png"), b, current, rep, chart.Options{Unit: "per 30 min"})
	fmt.Println("deviations:", len(rep.Deviations), "error:", err)
	// Output:
	// deviations: 2 error: <nil>
}

// The figure refuses to draw nothing: a monitor run without decisions is
// ErrNoData, not an empty plot.
func ExampleMonitor() {
	err := chart.Monitor("stop.svg", nil, chart.Options{})
	fmt.Println(errors.Is(err, chart.ErrNoData))
	// Output:
	// true
}
