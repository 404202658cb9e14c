package monitor

import (
	"fmt"
	"math"
	"time"
)

// Action is what a Decision tells the operator to do. The zero value is
// Continue.
type Action int

const (
	// Continue: no rule fired; let the experiment run.
	Continue Action = iota
	// Stop: end the experiment now (Decision.Reason says why).
	Stop
)

// String returns "continue" or "stop".
func (a Action) String() string {
	switch a {
	case Continue:
		return "continue"
	case Stop:
		return "stop"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// MarshalText implements encoding.TextMarshaler.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Cause says which rule decided a Decision, for callers that branch on it.
// The zero value is NoCause: no rule fired.
type Cause int

const (
	// NoCause: no rule fired (the decision is Continue).
	NoCause Cause = iota
	// CauseTest: the always-valid test found the experiment worse than the
	// control in the harmful direction (P <= Alpha).
	CauseTest
	// CauseGuardrail: a hard guardrail (Guardrail) was crossed.
	CauseGuardrail
	// CauseNoData: one group's feed has had no value for longer than
	// Config.MaxGap; the monitor is blind, and a blind emergency
	// stop fails closed.
	CauseNoData
)

var causeNames = []string{"none", "test", "guardrail", "no_data"}

// String returns "none", "test", "guardrail" or "no_data".
func (c Cause) String() string {
	if c < 0 || int(c) >= len(causeNames) {
		return fmt.Sprintf("Cause(%d)", int(c))
	}
	return causeNames[c]
}

// MarshalText implements encoding.TextMarshaler.
func (c Cause) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Point is one look's data: the two groups' values at time T.
type Point struct {
	// T is the time of the values, Unix milliseconds; it must increase from
	// one point to the next.
	T int64
	// Control and Experiment are the groups' values; NaN is missing.
	Control, Experiment float64
	// Baseline is the expected value at T from past weeks (for the
	// RelativeToBaseline guardrail and the report); 0 or NaN means none.
	Baseline float64
}

// Interval is an estimate with the bounds of an always-valid confidence
// sequence: with probability at least Confidence, the true value lies
// within [Low, High] at every look of the run at once. The bounds are
// infinite while the test is in its burn-in.
type Interval struct {
	Estimate, Low, High float64
	Confidence          float64
}

// Decision is the monitor's answer at one look.
type Decision struct {
	// Action is Continue or Stop. Once a monitor has said Stop it keeps
	// saying it, with the first stop's Cause and Reason.
	Action Action
	// Cause is the rule that decided (NoCause for Continue).
	Cause Cause
	// Reason says in words why: which rule fired and with what numbers, or
	// for Continue the state of the test.
	Reason string
	// T is the time of the look, Unix milliseconds.
	T int64
	// Looks is the number of points fed so far, missing ones included; N
	// the number of complete pairs (both values present) the test has
	// used.
	Looks, N int
	// Alpha is the false-stop rate the test was run at.
	Alpha float64
	// P is the always-valid p-value of "the experiment is not worse than
	// the control" (one-sided for steadystate.Decrease and steadystate.Increase, two-sided for
	// steadystate.Either): the running minimum over the looks since the burn-in of
	// 1/Lambda. It is 1 during the burn-in. P <= Alpha stops the
	// experiment.
	P float64
	// Difference is the mean difference per point, experiment - control,
	// in the metric's units, with its two-sided always-valid confidence
	// sequence at 1 - Alpha.
	Difference Interval
	// Relative is Difference divided by the control's mean over the same
	// points (-0.15 is a 15% drop), NaN when the control's mean is not
	// positive. The bounds ignore the control mean's own uncertainty, which
	// is small against the difference's when the groups are large.
	Relative Interval
	// ControlMean and ExperimentMean are the groups' means over the N
	// complete pairs.
	ControlMean, ExperimentMean float64
	// VarianceFactor is the long-run variance of the per-point differences
	// over their variance: 1 for independent points, about (1+rho)/(1-rho)
	// for AR(1) noise. The test's variance is inflated by it. NaN during
	// the burn-in.
	VarianceFactor float64
	// Baseline is the latest baseline value fed (NaN when none).
	Baseline float64
	// Window is the restarted test that weighed most in P, when the
	// restarted tests gave it (see Monitor; their p-value is that of their
	// weighted sum): the relative change since Window.Start, with that
	// test's own always-valid interval. Its Start is 0 (and its numbers NaN)
	// when P comes from the whole-run test, as during the burn-in.
	Window Window
	// Warnings say where the answer is weak.
	Warnings []error
}

// Window is the relative change (experiment / control - 1, like
// Decision.Relative) over the complete pairs since Start, as the restarted
// test that gave the running minimum of P saw it: N pairs, the estimate
// and the test's interval at its own level. For a restarted test's
// mixture (the one with the largest term of the sum) that is its
// always-valid interval, Confidence = 1 - alpha w_j / 2; for one of its
// early looks at its 8th to 10th pair (a one-look test) the interval at
// that look, Confidence = 1 - alpha w_j / 12. Start is Unix milliseconds,
// 0 for none.
type Window struct {
	Start int64
	N     int
	Interval
}

// String is a one-line summary for people.
func (d Decision) String() string {
	return fmt.Sprintf("%s %s n=%d p=%.3g diff=%.4g [%.4g, %.4g]: %s",
		time.UnixMilli(d.T).UTC().Format(time.RFC3339), d.Action, d.N, d.P,
		d.Difference.Estimate, d.Difference.Low, d.Difference.High, d.Reason)
}

// noWindow is the Window of a P that no restarted test gave.
func noWindow() Window {
	nan := math.NaN()
	return Window{Interval: Interval{Estimate: nan, Low: nan, High: nan, Confidence: nan}}
}
