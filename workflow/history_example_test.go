package workflow_test

import (
	"fmt"
	"log"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/workflow"
)

// The range to read four weeks of a metric's history over, before a
// current series read from a file at one point per 5 minutes: the history
// is read at the same step, and ends one step before the current series
// starts.
func ExampleBaselineHistoryRange() {
	start := time.Date(2026, 2, 5, 12, 0, 0, 0, time.UTC)
	current := series.Series{V: []float64{410, 395, 402}}
	for i := range current.V {
		current.T = append(current.T, start.Add(time.Duration(i)*5*time.Minute).UnixMilli())
	}
	r, err := workflow.BaselineHistoryRange(current, 4, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Start.UTC().Format(time.RFC3339), r.End.UTC().Format(time.RFC3339), r.Step)
	// A client then reads it: res, err := client.Range(ctx, query, r)

	// Output:
	// 2026-01-07T12:00:00Z 2026-02-05T11:55:00Z 5m0s
}
