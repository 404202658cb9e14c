package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/workflow"
)

// TestReadLooks: one look per step of the range, a value where the query
// has one and NaN where it has none; a query without series is a run of
// NaN with a warning; one with several series, or refused, a *LookError
// naming the group.
func TestReadLooks(t *testing.T) {
	r := prom.Range{Start: hour.Start, End: hour.Start.Add(4 * time.Minute), Step: time.Minute}
	t0 := hour.Start.Unix()
	c := fakeProm(t, false, func(q string) string {
		switch q {
		case "ctl": // minutes 0, 1 and 3: minute 2 and 4 missing
			return fmt.Sprintf(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[%d,"1"],[%d,"2"],[%d,"4"]]}]}}`, t0, t0+60, t0+180)
		case "none":
			return `{"status":"success","data":{"resultType":"matrix","result":[]}}`
		case "two":
			return matrix([]string{"a", "b"}, 1)
		}
		return `{"status":"error","errorType":"bad_data","error":"parse error"}`
	})
	pts, warns, err := workflow.ReadLooks(context.Background(), c, "ctl", "none", r)
	if err != nil || len(pts) != 5 || len(warns) != 1 {
		t.Fatalf("ReadLooks: %d looks, warnings %v, %v; want 5 looks and a warning for the query without series", len(pts), warns, err)
	}
	for i, want := range []float64{1, 2, math.NaN(), 4, math.NaN()} {
		p := pts[i]
		if p.T != (t0+60*int64(i))*1000 || !(p.Control == want || math.IsNaN(p.Control) && math.IsNaN(want)) || !math.IsNaN(p.Experiment) {
			t.Errorf("look %d: %+v; want t %d, control %v, experiment NaN", i, p, (t0+60*int64(i))*1000, want)
		}
	}
	for _, q := range []struct{ ctl, exp, group string }{{"two", "ctl", "control"}, {"ctl", "bad", "experiment"}} {
		_, _, err := workflow.ReadLooks(context.Background(), c, q.ctl, q.exp, r)
		var le *workflow.LookError
		if !errors.As(err, &le) || le.Group != q.group {
			t.Errorf("ReadLooks(%s, %s): %v; want a *LookError for the %s", q.ctl, q.exp, err, q.group)
		}
	}
	if !errors.Is(func() error {
		_, _, err := workflow.ReadLooks(context.Background(), c, "ctl", "bad", r)
		return err
	}(), prom.ErrBadQuery) {
		t.Error("a refused query: not prom.ErrBadQuery")
	}
}
