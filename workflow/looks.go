package workflow

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// RangeReader is the read ReadLooks needs: *prom.Client implements it.
type RangeReader interface {
	Range(ctx context.Context, query string, r prom.Range) (*prom.RangeResult, error)
}

// LookError is ReadLooks's error for one group's query: Group is "control"
// or "experiment", Err the read's error (errors.Is with prom's kinds:
// prom.ErrBadQuery, prom.ErrUnreachable, ...).
type LookError struct {
	Group, Query string
	Err          error
}

func (e *LookError) Error() string { return e.Group + " query: " + e.Err.Error() }
func (e *LookError) Unwrap() error { return e.Err }

// ReadLooks reads the two groups' PromQL queries over r and returns one
// monitor.Point per step of r's grid (Start, Start+Step, ... up to End), in
// time order: the looks a live monitor takes, one every Step. A step where
// a query has no value is a look with that value missing (NaN), so that a
// feed that goes silent is seen, and a query that returned no series at
// all (ErrNoSeries: the metric is gone, or not scraped yet) is a run of
// missing values with a warning, not an error. Each query must return at
// most one series (PromSource.OneSeries); the error is a *LookError naming
// the group. server/monitors polls Prometheus with it, one range per poll,
// the whole missed range when it catches up.
func ReadLooks(ctx context.Context, rr RangeReader, controlQuery, experimentQuery string, r prom.Range) ([]monitor.Point, []error, error) {
	n := r.Points()
	if n <= 0 {
		return nil, nil, nil
	}
	step := r.Step.Milliseconds()
	start := r.Start.UnixMilli()
	pts := make([]monitor.Point, n)
	for i := range pts {
		pts[i] = monitor.Point{T: start + int64(i)*step, Control: math.NaN(), Experiment: math.NaN(), Baseline: math.NaN()}
	}
	var warnings []error
	for _, g := range []struct {
		name, query string
		set         func(p *monitor.Point, v float64)
	}{
		{"control", controlQuery, func(p *monitor.Point, v float64) { p.Control = v }},
		{"experiment", experimentQuery, func(p *monitor.Point, v float64) { p.Experiment = v }},
	} {
		res, err := rr.Range(ctx, g.query, r)
		s, ws, err := PromSource{Range: r}.OneSeries(g.query, res, err)
		for _, w := range ws {
			warnings = append(warnings, fmt.Errorf("%s query: %w", g.name, w))
		}
		if errors.Is(err, ErrNoSeries) {
			warnings = append(warnings, fmt.Errorf("%s query: %w", g.name, err))
			continue
		}
		if err != nil {
			return nil, warnings, &LookError{Group: g.name, Query: g.query, Err: err}
		}
		fill(pts, s, start, step, g.set)
	}
	return pts, warnings, nil
}

// fill sets the value of each point of pts (on the grid start + i·step)
// that s has a sample at.
func fill(pts []monitor.Point, s series.Series, start, step int64, set func(*monitor.Point, float64)) {
	for i, t := range s.T {
		if (t-start)%step != 0 {
			continue
		}
		k := (t - start) / step
		if k >= 0 && k < int64(len(pts)) {
			set(&pts[k], s.V[i])
		}
	}
}
