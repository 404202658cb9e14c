package workflow

import (
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

// BaselineHistoryRange returns the range to read a metric's history over
// with a range query (prom.Client.Range), for baseline.Judge to check
// current against weeks weeks of it (0: baseline.DefaultWeeks): from
// baseline.HistoryRange's start to one step before current's first point,
// at step.
//
// step is the history's spacing. A caller that read current with a range
// query passes that query's step, so that both are on one grid; zero
// means current's own step (baseline.HistoryStep), so that the history
// has the resolution of a current series read from a file, or
// prom.DefaultStep when current has none (fewer than two points).
// `chaosstat baseline --history-query` and the
// server's history_query read the history over this range.
//
// It returns an error when current has no timestamps: the history's range
// is then unknown.
func BaselineHistoryRange(current series.Series, weeks int, step time.Duration) (prom.Range, error) {
	if step == 0 {
		step = baseline.HistoryStep(current, prom.DefaultStep)
	}
	r := prom.Range{Step: step}
	var err error
	r.Start, r.End, err = baseline.HistoryRange(current, weeks, step)
	return r, err
}
