package steadystate_test

import (
	"math"
	"testing"

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

// TestJudgeNearFloatMax: a metric 50% higher in the experiment, its values
// near the float64 maximum (issue 13): the control's median overflowed to
// +Inf, the relative effect read +0.0% and the metric passed. The
// Hodges-Lehmann shift is 0.5e308 (every experiment value is 0.5e308 above
// its control partner in the fixed pattern) and the level the control's
// median, 1.03e308, so the relative effect is 0.5/1.03.
func TestJudgeNearFloatMax(t *testing.T) {
	var ctl, exp []float64
	for i := range 120 {
		jitter := float64(i%7) / 100
		ctl = append(ctl, (1+jitter)*1e308)
		exp = append(exp, (1.5+jitter)*1e308)
	}
	h := steadystate.Hypothesis{Name: "overflow", Metrics: []steadystate.Metric{{
		Name: "m", Direction: steadystate.Increase, Tolerance: 0.05, Test: steadystate.MannWhitneyTest,
	}}}
	v, err := steadystate.Judge(h, []steadystate.Data{{Control: series.Series{V: ctl}, Experiment: series.Series{V: exp}}})
	if err != nil {
		t.Fatal(err)
	}
	m := v.Metrics[0]
	if m.Classification != steadystate.High || math.Abs(m.Effect.Relative-0.5/1.03) > 1e-9 || v.Outcome != steadystate.Disproved {
		t.Errorf("%v; effect %+v; want high with relative %.6f, disproved", m, m.Effect, 0.5/1.03)
	}
}
