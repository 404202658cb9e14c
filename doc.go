// Package chaosstat is the starting point of a set of Go packages and a
// command for the statistics of chaos experiments: define what "steady
// state" means for a service, check that the definition is sound, and tell,
// with a number you can defend, whether a fault moved it. This package holds
// no code; it is the map.
//
// # The method, and which package serves each step
//
//  1. Define the steady state: a few metrics, business ones (downloads,
//     stream starts) and system ones (availability, Apdex), each judged on
//     three criteria: it correlates with customer satisfaction, it is
//     available in near real time, and it is cheap and complete to measure.
//     Package series holds the metric itself, a time series read from CSV
//     or from a saved Prometheus query_range response. Planned: package
//     apdex (Apdex 1.1 scores from samples or histogram buckets), package
//     steadystate (metric definitions, the three criteria, week-over-week
//     baselines) and package prom (reading series from any
//     Prometheus-compatible HTTP API).
//  2. Check the experiment design before any fault: the control and
//     experiment groups must look alike when nothing is injected (an A/A
//     check), at the window length the experiment will use. Package compare
//     holds the two-sample tests such a check is built from; the A/A,
//     split-validity and sample-ratio-mismatch checks are planned there.
//  3. Hypothesise that the steady state holds under a fault, and compare
//     the experiment group against the control with tests whose error rates
//     are known: package compare (MannWhitneyU, WelchT, KolmogorovSmirnov,
//     each with the size of the shift and its confidence interval), or the
//     command cmd/chaosstat on files. Planned: comparison against last weeks'
//     waveform in steadystate.
//  4. Disprove or keep the hypothesis, saying how big the effect is and how
//     sure we are: compare's Result carries the p-value, the shift with its
//     interval and the warnings; chaosstat compare turns them into a verdict
//     and an exit code. Planned: hypotheses and their verdicts in
//     steadystate, sequential monitoring that stops early when customers are
//     hurt, and package chaosstattest, assertions for Go tests of
//     hypotheses.
//
// Packages depend downwards only: series on the standard library alone,
// compare on gonum (and on series once its planned time-aware comparisons
// land), the command on both. The statistics packages never read files or the
// network.
//
// # Conventions
//
// Every test is called as Test(experiment, control, opts): a positive
// shift means the experiment is higher, and the alternative Greater means
// "the experiment tends to be greater than the control". The zero options
// are the safe defaults (two-sided, 95% confidence), spelled out in exported
// Default values.
//
// NaN is a missing value. Readers keep it, tests leave it out and say so in
// a warning; infinities are rejected as bad data.
//
// Three channels are kept apart. An error means the computation could not
// run: bad input, or no data, which is never a pass (compare.ErrSampleSize
// and series.ErrEmpty let callers tell "inconclusive" from "broken"). A
// warning, in Result.Warnings, means it ran but the answer is weak (too few
// points, ties, a constant sample), phrased as what to do about it. The
// result itself carries everything needed to explain the verdict: the
// statistic, the p-value, the size of each sample, the method actually
// used, and the effect with its confidence interval. Statistically
// significant is not the same as large: read the shift.
//
// The numbers are checked against scipy 1.10 and R 4.2.2; the reference
// values and the scripts that produce them are in testdata/reference.
package chaosstat
