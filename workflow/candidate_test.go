package workflow_test

import (
	"testing"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/workflow"
)

// TestCandidate checks the cost a candidate carries, by prom.Stats'
// definition: the series the query returned and the samples the server
// read, where -1 is a server that did not say (no ServerStats), which
// criteria.Candidate spells 0; a file's zero Stats is no cost.
func TestCandidate(t *testing.T) {
	s := series.Series{T: []int64{0, 60000}, V: []float64{1, 2}}
	for _, tc := range []struct {
		name    string
		stats   prom.Stats
		series  int
		samples int64
	}{
		{"server statistics", prom.Stats{Series: 1, Samples: 1200}, 1, 1200},
		{"a server that did not say", prom.Stats{Series: 1, Samples: -1}, 1, 0},
		{"a file", prom.Stats{}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := workflow.Candidate("latency", s, tc.stats)
			if c.Name != "latency" || len(c.Series.V) != 2 || c.SeriesCount != tc.series || c.QuerySamples != tc.samples {
				t.Errorf("got %q, %d points, %d series, %d samples; want latency, 2 points, %d series, %d samples",
					c.Name, len(c.Series.V), c.SeriesCount, c.QuerySamples, tc.series, tc.samples)
			}
		})
	}
}
