// Package baseline judges a business metric against the same hours of past
// weeks: the week-over-week steady state (Netflix uses last week's waveform
// of stream starts).
//
// The steady state of a business metric is the same hours of past weeks.
// The workflow:
//
//  1. New builds, from the last Options.Weeks weeks of a
//     history (default DefaultWeeks, 4), one Slot per
//     time-of-week slot at the history's step: the median across weeks and a
//     robust spread (MADScale × the median absolute leave-one-week-out
//     residual, pooled over ±SpreadWindow). Slots follow the local wall
//     clock of Options.Location, so a DST change does not shift the
//     waveform; slots with too few weeks are Sparse and never judged.
//  2. Baseline.Check lays a current series over the band and returns the
//     Deviations: intervals where at least DeviationRule.Persistence
//     consecutive points lie more than DeviationRule.Z spreads from the
//     centre on one side.
//  3. Baseline.Calibrate runs the same rule on the history, leaving one week
//     out at a time, and states the false-alarm rate per day.
//
// Evaluate does all three:
//
//	rep, err := baseline.Evaluate(history, today,
//		baseline.Options{Location: newYork}, baseline.DeviationRule{})
//	// rep.Deviations, rep.FractionOutside(), rep.Calibration.FalseAlarmRatePerDay
package baseline
