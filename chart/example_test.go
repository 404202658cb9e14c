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
