package workflow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/workflow"
)

// TestBaselineHistoryRange checks the range of a history read against
// its definition: it starts weeks weeks and a day (the daylight-saving
// margin of baseline.HistoryRange) before current's first point and ends
// one step before it, at the step given, or current's own step (the
// median spacing, series.Series.Step) when the step is zero, or
// prom.DefaultStep when current has fewer than two points.
func TestBaselineHistoryRange(t *testing.T) {
	first := time.Date(2026, 2, 5, 12, 0, 0, 0, time.UTC)
	every5m := series.Series{T: []int64{first.UnixMilli(), first.Add(5 * time.Minute).UnixMilli(), first.Add(10 * time.Minute).UnixMilli()}, V: []float64{1, 2, 3}}
	onePoint := series.Series{T: []int64{first.UnixMilli()}, V: []float64{1}}
	day, week := 24*time.Hour, 7*24*time.Hour
	for _, tc := range []struct {
		name    string
		current series.Series
		weeks   int
		step    time.Duration
		want    prom.Range
	}{
		{"step given", every5m, 2, 30 * time.Second,
			prom.Range{Start: first.Add(-2*week - day), End: first.Add(-30 * time.Second), Step: 30 * time.Second}},
		{"the current series' own step", every5m, 2, 0,
			prom.Range{Start: first.Add(-2*week - day), End: first.Add(-5 * time.Minute), Step: 5 * time.Minute}},
		{"one point has no step: the default", onePoint, 2, 0,
			prom.Range{Start: first.Add(-2*week - day), End: first.Add(-prom.DefaultStep), Step: prom.DefaultStep}},
		{"zero weeks: baseline.DefaultWeeks", every5m, 0, time.Minute,
			prom.Range{Start: first.Add(-time.Duration(baseline.DefaultWeeks)*week - day), End: first.Add(-time.Minute), Step: time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := workflow.BaselineHistoryRange(tc.current, tc.weeks, tc.step)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Start.Equal(tc.want.Start) || !got.End.Equal(tc.want.End) || got.Step != tc.want.Step {
				t.Errorf("got %v to %v at %v, want %v to %v at %v", got.Start, got.End, got.Step, tc.want.Start, tc.want.End, tc.want.Step)
			}
		})
	}
	if _, err := workflow.BaselineHistoryRange(series.Series{V: []float64{1, 2}}, 4, 0); err == nil || !strings.Contains(err.Error(), "no timestamps") {
		t.Errorf("a plain sample: error %v, want one saying it has no timestamps", err)
	}
}
