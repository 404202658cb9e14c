package workflow_test

import (
	"fmt"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/workflow"
)

// A candidate metric read by a range query, with what the read cost: a
// client made with prom.Config{ServerStats: true} returns the samples the
// server read in the result's Stats (here as a literal).
func ExampleCandidate() {
	res := prom.RangeResult{
		Series: []series.Series{{Name: "downloads", T: []int64{0, 60000}, V: []float64{410, 395}}},
		Stats:  prom.Stats{Series: 1, Samples: 2880},
	}
	c := workflow.Candidate("downloads", res.Series[0], res.Stats)
	fmt.Println(c.Name, c.SeriesCount, c.QuerySamples)
	// Output:
	// downloads 1 2880
}
