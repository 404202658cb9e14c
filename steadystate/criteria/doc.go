// Package criteria measures the three criteria a steady-state metric must
// meet: it moves with customer satisfaction, it is available in near real
// time, and it is complete and cheap to measure. Evaluate turns each into
// a measurement with a pass or fail and the figure behind it, for a
// Candidate against a satisfaction series (per-minute Apdex, conversion,
// support contacts). The workflow:
//
//  1. Correlation: both series on a common grid, less their daily cycle
//     and trend (a shared trend or cycle makes levels correlate by
//     accident); the lag from the cross-correlation of the prewhitened
//     series within ±MaxLag; there the best of the deseasonalised levels,
//     their changes and the prewhitened surprises (Component), its p-value
//     corrected for autocorrelation (an effective n) and for the lags and
//     components tried (Bonferroni). Differencing chooses first or
//     seasonal differences instead.
//  2. Real time: the sampling interval, the delay behind satisfaction (the
//     best lag) and, given the query time, the data latency.
//  3. Measurability: completeness and the longest gap on the metric's
//     expected grid; the number of series and the query's cost when a
//     query supplies it.
//
// EvaluateAll makes the table for several candidates, a Report that writes
// what `chaosstat criteria` prints (WriteText, WriteJSON). The thresholds
// are Options, DefaultOptions by default. Too little data is ErrNoData,
// never a pass. Speed and the false-positive rate are in BENCHMARKS.md.
//
//	rep, err := criteria.EvaluateAll(apdex, []criteria.Candidate{
//		{Name: "p99_latency", Series: latency}, {Name: "downloads", Series: downloads},
//	}, time.Now(), criteria.Options{})
//	rep.WriteText(os.Stdout) // one row per metric, PASS/FAIL per criterion
package criteria
