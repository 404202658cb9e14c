// Package baseline judges a business metric against the same hours of past
// weeks: the week-over-week steady state (Netflix uses last week's waveform
// of stream starts). The workflow:
//
//  1. New builds, from the last Options.Weeks weeks of a history (default
//     DefaultWeeks, 4), one Slot per time-of-week slot at the history's
//     step: the median across weeks and a robust spread, on the scale of
//     the model chosen (Options.Model). Slots follow the
//     wall clock of Options.Location, so a daylight-saving change does not
//     shift the waveform; slots with too few weeks are Sparse, never judged.
//  2. Baseline.Check lays a current series over the band and returns the
//     Deviations: intervals where at least DeviationRule.Persistence
//     consecutive points lie more than DeviationRule.Z spreads from the
//     centre on one side.
//  3. Baseline.Calibrate runs the same rule on the history, leaving one week
//     out at a time, and states the false-alarm rate per day.
//
// Evaluate does all three. Judge does them as `chaosstat baseline` does,
// dropping the history's points that overlap the current series, and
// returns a Report that writes the command's text and JSON; HistoryRange
// says what range of history to read for it:
//
//	rep, err := baseline.Judge(history, today,
//		baseline.Options{Location: newYork}, baseline.DeviationRule{})
//	rep.WriteText(os.Stdout) // deviations, false-alarm rate, verdict
//
// Options.Model chooses the band's model; by default (ModelAuto) from the
// data: ModelCounts, the log scale with the spread pooled over the days
// and a floor of one step, when no value is below 0 (counts and rates),
// else ModelLinear (docs/accuracy.md compares them with a plain
// median/MAD band on real data). Baseline.Model and ModelReason, and the
// report's rule line and JSON, say which was chosen and why. Too little
// history is ErrNotEnoughHistory and nothing judged ErrNothingJudged:
// inconclusive, never steady. Speed and simulations: BENCHMARKS.md.
package baseline
