// Package steadystate holds what a chaos experiment's steady state is made
// of and how it is judged: metric definitions, the three criteria a
// steady-state metric must meet, hypotheses and their verdicts, and
// week-over-week baselines with an emergency stop.
//
// # Week-over-week baselines
//
// The steady state of a business metric is the same hours of past weeks.
// The workflow:
//
//  1. NewBaseline builds, from the last BaselineOptions.Weeks weeks of a
//     history (default DefaultBaselineWeeks, 4), one BaselineSlot per
//     time-of-week slot at the history's step: the median across weeks and a
//     robust spread (MADScale × the median absolute leave-one-week-out
//     residual, pooled over ±SpreadWindow). Slots follow the local wall
//     clock of BaselineOptions.Location, so a DST change does not shift the
//     waveform; slots with too few weeks are Sparse and never judged.
//  2. Baseline.Check lays a current series over the band and returns the
//     Deviations: intervals where at least DeviationRule.Persistence
//     consecutive points lie more than DeviationRule.Z spreads from the
//     centre on one side.
//  3. Baseline.Calibrate runs the same rule on the history, leaving one week
//     out at a time, and states the false-alarm rate per day.
//
// EvaluateBaseline does all three:
//
//	rep, err := steadystate.EvaluateBaseline(history, today,
//		steadystate.BaselineOptions{Location: newYork}, steadystate.DeviationRule{})
//	// rep.Deviations, rep.FractionOutside(), rep.Calibration.FalseAlarmRatePerDay
package steadystate
