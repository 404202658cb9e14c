package workflow

import (
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// Candidate returns the criteria candidate name with its series s and,
// when s was read by a range query, the query's cost from the read's
// stats (prom.RangeResult.Stats): the series the query returned
// (Candidate.SeriesCount) and the samples the server read
// (Candidate.QuerySamples), 0 when the server did not say (prom.Stats'
// -1, without prom.Config.ServerStats). A series read from a file has no
// cost: pass the zero Stats. `chaosstat criteria` and the server build
// their candidates with it; criteria.Report.WriteText prints the cost.
func Candidate(name string, s series.Series, stats prom.Stats) criteria.Candidate {
	return criteria.Candidate{Name: name, Series: s, SeriesCount: stats.Series, QuerySamples: max(stats.Samples, 0)}
}
