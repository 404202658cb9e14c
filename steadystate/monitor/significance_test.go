package monitor_test

import (
	"math"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// TestMonitorAtAlpha: the monitor stops at the first look whose
// always-valid p-value is exactly its alpha. The p-value depends on alpha
// itself (the mixing ratios are tuned to it), so the alpha that a look's
// p-value equals is found as a fixed point: run at alpha a, take the
// p-value p(a) of the look where the default run stops, and repeat with
// a = p(a) until p(a) == a in floating point. No value is hard-coded: the
// test needs only that the iteration lands on a float fixed point, which it
// does because it contracts (on this run p moves by about 3% of a change in
// alpha, so each step gains about 1.5 digits: 11 steps from 0.0115 to
// 0.011886797347391785).
func TestMonitorAtAlpha(t *testing.T) {
	// The data of ExampleMonitor: a 15% drop from 12:20.
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	points := make([]monitor.Point, 60)
	for i := range points {
		traffic := 2000 * (1 + 0.05*math.Sin(float64(i)/7))
		c := traffic * (1 + 0.02*math.Sin(float64(i)*1.3))
		e := traffic * (1 + 0.02*math.Cos(float64(i)*0.9))
		if i >= 20 {
			e *= 0.85
		}
		points[i] = monitor.Point{T: start.Add(time.Duration(i) * time.Minute).UnixMilli(), Control: c, Experiment: e}
	}
	// replay returns the decisions at alpha up to the stop, if any.
	replay := func(alpha float64) []monitor.Decision {
		m, err := monitor.New(monitor.Config{Alpha: alpha, Direction: steadystate.Decrease})
		if err != nil {
			t.Fatal(err)
		}
		var ds []monitor.Decision
		for _, p := range points {
			d, err := m.Add(p)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, d)
			if d.Action == monitor.Stop {
				break
			}
		}
		return ds
	}
	first := replay(monitor.DefaultAlpha)
	k := len(first) - 1 // the look of the default run's stop
	if first[k].Action != monitor.Stop || first[k].Cause != monitor.CauseTest {
		t.Fatalf("the default run does not stop by the test: %s", first[k].Reason)
	}
	alpha := first[k].P
	for range 50 {
		ds := replay(alpha)
		if len(ds) <= k {
			break // stopped before look k: p(alpha) there is not defined
		}
		if ds[k].P == alpha {
			// The first look with p = alpha: the monitor stops there.
			j := k
			for j > 0 && ds[j-1].P == alpha {
				j--
			}
			d := ds[j]
			if d.P != d.Alpha || d.Action != monitor.Stop || d.Cause != monitor.CauseTest {
				t.Fatalf("look %d: p = %.17g, alpha %.17g, %v by %v; want a stop by the test at p = alpha: %s", j, d.P, d.Alpha, d.Action, d.Cause, d.Reason)
			}
			if !compare.Significant(d.P, d.Alpha) {
				t.Fatalf("compare.Significant(%v, %v) = false", d.P, d.Alpha)
			}
			for _, e := range ds[:j] {
				if e.Action == monitor.Stop || compare.Significant(e.P, e.Alpha) {
					t.Fatalf("look before the stop: p = %v, alpha %v, %v", e.P, e.Alpha, e.Action)
				}
			}
			return
		}
		alpha = ds[k].P
	}
	t.Fatalf("no alpha found whose run has p = alpha at look %d (last tried %.17g)", k, alpha)
}
