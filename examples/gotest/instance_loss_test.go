package gotest

import (
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/chaosstattest"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// The run is judged as one two-hour window (12:00 to 14:00), so before
// anything else the split must be shown sound at two hours: an A/A replay
// on the three days before the run, when nothing was injected. Downloads are
// counts, so the sample ratio is checked against the planned 2%:2% too.
func TestSplitValidAtTwoHours(t *testing.T) {
	experiment := read(t, "testdata/aa/downloads-experiment.csv")
	control := read(t, "testdata/aa/downloads-control.csv")
	chaosstattest.RequireSplitValid(t, experiment, control, 2*time.Hour, compare.AAOptions{
		Counts: true,
		Ratio:  compare.Ratio{Control: 2, Experiment: 2},
	})
}

// The hypothesis, as the chaos team keeps it for chaosstat judge: while an
// instance of the experiment group is killed every 30 minutes, its
// downloads, availability and Apdex stay within tolerance of the control
// group's. If a change to the service made the kills hurt, the recording of
// the next run would fail this test with the verdict table.
func TestInstanceLossHypothesisHolds(t *testing.T) {
	chaosstattest.HypothesisFileHolds(t, "testdata/hypothesis.yaml")
}

// The same hypothesis written in Go, for a test that builds its data itself
// (from package prom, or a load generator) rather than from files.
func TestInstanceLossHypothesisInGo(t *testing.T) {
	h := steadystate.Hypothesis{
		Name: "instance-loss",
		Metrics: []steadystate.Metric{
			{Name: "downloads_per_minute", Kind: steadystate.Business, Unit: "downloads/min", Direction: steadystate.Decrease, Tolerance: 0.05},
			{Name: "availability", Kind: steadystate.System, Direction: steadystate.Decrease, Tolerance: 0.001, Critical: true},
			{Name: "apdex", Kind: steadystate.System, Direction: steadystate.Decrease, Tolerance: 0.02},
		},
	}
	data := func(metric string) steadystate.Data {
		return steadystate.Data{
			Control:    read(t, "testdata/run/"+metric+"-control.csv"),
			Experiment: read(t, "testdata/run/"+metric+"-experiment.csv"),
		}
	}
	chaosstattest.HypothesisHolds(t, h, data("downloads"), data("availability"), data("apdex"))
}

func read(t *testing.T, path string) series.Series {
	t.Helper()
	s, err := series.ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
