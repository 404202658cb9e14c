// Package chart draws chaosstat's results as figures a person can read at a
// glance: SVG for documents and notebooks, PNG for chat and tickets, chosen by
// the file's extension. It is built on gonum.org/v1/plot.
//
// There is one function per figure, each taking the result it explains and
// the data behind it:
//
//   - Compare: both groups over time and their distributions (empirical
//     CDFs), with the test's p-value and shift in the title.
//   - AA: the false-positive rate of an A/A check per window length, with
//     Clopper-Pearson intervals, α as a dashed line and each length's verdict.
//   - Baseline: the week-over-week band, the current series and its
//     deviations shaded between the series and the band's edge.
//   - Criteria: each candidate metric's correlation with satisfaction
//     against the lag, the best lag marked and the threshold drawn.
//   - Monitor: the emergency stop's always-valid p-value over time on a log
//     scale with α and the stop, the restarted test that gave it, and the
//     difference with its confidence sequence.
//   - Method: the figures of every step of workflow.Run's report, one file
//     each, as `chaosstat demo --out` writes them.
//
// The workflow:
//
//  1. Run the analysis (compare.MannWhitneyU, compare.AA,
//     baseline.Baseline.Check, criteria.EvaluateAll, a
//     monitor.Monitor).
//  2. Call the figure's function with a file name ending in .svg or .png, the
//     result and the series; Options set the time zone of the time axis and
//     the metric's unit.
//
// For example:
//
//	rep, err := b.Check(current, baseline.DefaultDeviationRule)
//	...
//	err = chart.Baseline("baseline.svg", b, current, rep, chart.Options{Unit: "downloads/min"})
//
// Times are shown as wall-clock times in Options.Location (UTC by default),
// with the zone named on the axis. Missing values (NaN) and gaps in time
// break lines rather than being bridged. Nothing to draw is an error
// (ErrNoData), never an empty figure; an extension other than .svg or .png is
// ErrFormat, naming the file. Colours are Okabe and Ito's colour-blind-safe
// palette.
package chart
