package steadystate_test

import (
	"math"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// These tests check that the judge and the monitor decide significance at
// alpha by compare.Significant (p <= alpha), as the library's tests and
// chaosstat compare do: a p-value exactly at alpha is significant.

// TestJudgeAtAlpha: a metric whose adjusted p-value is exactly alpha is
// judged significantly changed. 1,2,3 against 4,5,6: of the C(6,3) = 20
// equally likely arrangements of the ranks, one puts every experiment value
// below every control value and one above, so the exact two-sided
// Mann-Whitney p-value is 2/20 = 0.1 (by enumeration), which is alpha at
// 90% confidence (compare.AlphaFromConfidence(0.9) = 0.1; 1 - 0.9 is
// 0.09999999999999998 in float64). One metric: Holm leaves p as it is.
func TestJudgeAtAlpha(t *testing.T) {
	exp, ctl := []float64{1, 2, 3}, []float64{4, 5, 6}
	h := steadystate.Hypothesis{
		Name:       "p at alpha",
		Confidence: 0.9,
		Metrics: []steadystate.Metric{{
			Name: "downloads", Direction: steadystate.Decrease, Test: steadystate.MannWhitneyTest, MinPoints: 3,
		}},
	}
	v, err := steadystate.Judge(h, []steadystate.Data{{Control: series.Series{V: ctl}, Experiment: series.Series{V: exp}}})
	if err != nil {
		t.Fatal(err)
	}
	const want = 2.0 / 20
	m := v.Metrics[0]
	if m.P != want || m.AdjustedP != want || v.Alpha != want || h.Alpha() != want {
		t.Fatalf("p = %.17g, adjusted %.17g, alpha %.17g (Hypothesis.Alpha %.17g); want all exactly %v", m.P, m.AdjustedP, v.Alpha, h.Alpha(), want)
	}
	lib, err := compare.MannWhitneyU(exp, ctl, compare.Options{Confidence: h.Confidence})
	if err != nil {
		t.Fatal(err)
	}
	if !lib.Significant() || lib.P != m.P || lib.Alpha() != v.Alpha {
		t.Fatalf("library: p = %v at alpha %v, significant %v; the judge: p = %v at alpha %v", lib.P, lib.Alpha(), lib.Significant(), m.P, v.Alpha)
	}
	// Significant and beyond the zero tolerance, in the harmful direction.
	if m.Classification != steadystate.Low || v.Outcome != steadystate.Disproved {
		t.Errorf("classification %v, outcome %v; want low and disproved (p = alpha is significant): %s", m.Classification, v.Outcome, m.Reason)
	}
}

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
	points := make([]steadystate.MonitorPoint, 60)
	for i := range points {
		traffic := 2000 * (1 + 0.05*math.Sin(float64(i)/7))
		c := traffic * (1 + 0.02*math.Sin(float64(i)*1.3))
		e := traffic * (1 + 0.02*math.Cos(float64(i)*0.9))
		if i >= 20 {
			e *= 0.85
		}
		points[i] = steadystate.MonitorPoint{T: start.Add(time.Duration(i) * time.Minute).UnixMilli(), Control: c, Experiment: e}
	}
	// replay returns the decisions at alpha up to the stop, if any.
	replay := func(alpha float64) []steadystate.Decision {
		m, err := steadystate.NewMonitor(steadystate.MonitorConfig{Alpha: alpha, Direction: steadystate.Decrease})
		if err != nil {
			t.Fatal(err)
		}
		var ds []steadystate.Decision
		for _, p := range points {
			d, err := m.Add(p)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, d)
			if d.Action == steadystate.Stop {
				break
			}
		}
		return ds
	}
	first := replay(steadystate.DefaultMonitorAlpha)
	k := len(first) - 1 // the look of the default run's stop
	if first[k].Action != steadystate.Stop || first[k].Cause != steadystate.CauseTest {
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
			if d.P != d.Alpha || d.Action != steadystate.Stop || d.Cause != steadystate.CauseTest {
				t.Fatalf("look %d: p = %.17g, alpha %.17g, %v by %v; want a stop by the test at p = alpha: %s", j, d.P, d.Alpha, d.Action, d.Cause, d.Reason)
			}
			if !compare.Significant(d.P, d.Alpha) {
				t.Fatalf("compare.Significant(%v, %v) = false", d.P, d.Alpha)
			}
			for _, e := range ds[:j] {
				if e.Action == steadystate.Stop || compare.Significant(e.P, e.Alpha) {
					t.Fatalf("look before the stop: p = %v, alpha %v, %v", e.P, e.Alpha, e.Action)
				}
			}
			return
		}
		alpha = ds[k].P
	}
	t.Fatalf("no alpha found whose run has p = alpha at look %d (last tried %.17g)", k, alpha)
}
