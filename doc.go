// Package chaosstat is the starting point of a set of Go packages and a
// command for the statistics of chaos engineering: define what "steady
// state" means for a service, check that the experiment is designed so the
// definition can be tested, and tell, with a number you can defend, whether
// a fault moved it. This package holds no code; it is the map.
//
// The quickest tour is the command on its embedded case study:
//
//	go run github.com/chaosstat/chaosstat/cmd/chaosstat demo
//
// # The method, and which package serves each step
//
//  1. Define the steady state: a few metrics, business ones (downloads,
//     stream starts) and system ones (availability, Apdex), each measured
//     on three criteria: it moves with customer satisfaction, it is
//     available in near real time, and it is complete and cheap to measure.
//     criteria.EvaluateAll measures them for several candidates
//     at once (correlation of changes over lags, with p-values corrected
//     for autocorrelation; resolution and delay; completeness and gaps);
//     package apdex computes Apdex by its 1.1 specification, the usual
//     satisfaction signal. The metrics themselves are series.Series, read
//     from CSV, from saved Prometheus responses, or from a live
//     Prometheus-compatible server by package prom.
//  2. Check the experiment design before any fault: the control and
//     experiment groups must look alike when nothing is injected, at the
//     window length the experiment will use. compare.AA replays the
//     comparison on pre-experiment data for each window length and says
//     which are valid, compare.CheckSRM tests the traffic split against the
//     plan (sample-ratio mismatch), and the replay reports the smallest
//     effect each length can detect. A split that is fair per day can be
//     noisy per 30 minutes; this is where that is found, before the run.
//  3. Hypothesise that the steady state holds under a fault:
//     steadystate.Hypothesis lists the metrics, the direction that hurts,
//     the tolerance, which are critical; steadystate.ParseHypothesis reads
//     the same from a YAML file. The baseline is the control group, and
//     last weeks' waveform (baseline.New), optionally used as a
//     covariate to reduce variance (compare.CUPED).
//  4. Try to disprove it: steadystate.Judge tests every metric with a test
//     whose error rate holds on per-minute, autocorrelated data
//     (compare.TimeSeries; or Mann-Whitney, Welch, Kolmogorov-Smirnov, a
//     quantile), corrects across metrics (Holm), gates on the tolerance, and
//     returns a verdict (held, disproved, inconclusive) with the table that
//     explains it. During the run, monitor.Monitor is the emergency
//     stop: an always-valid sequential test that may be looked at every
//     minute without raising its false-stop rate, plus hard guardrails.
//     cost.Compute and cost.BudgetConsumption say what the
//     run cost.
//
// Package chaosstattest turns hypotheses, split checks and criteria into
// assertions for go test; package chart draws the figure of each step; the
// command cmd/chaosstat does each step from the shell, with JSON for
// notebooks and exit codes for chaos tools.
//
// Packages depend downwards only: series on the standard library alone;
// compare and apdex on series (and gonum); steadystate on those three; prom
// on series and client_golang; chart and chaosstattest on the statistics
// packages; the command on all. The statistics packages never read files or
// the network.
//
// # Conventions
//
// Every test is called as Test(experiment, control, opts): a positive
// shift means the experiment is higher, and the alternative Greater means
// "the experiment tends to be greater than the control". The zero options
// are the safe defaults (two-sided, 95% confidence, Holm across metrics),
// spelled out in exported Default values.
//
// NaN is a missing value. Readers keep it, tests leave it out and say so in
// a warning; infinities are rejected as bad data.
//
// Three channels are kept apart. An error means the computation could not
// run: bad input, or no data, which is never a pass (compare.ErrSampleSize
// and series.ErrEmpty let callers tell "inconclusive" from "broken"). A
// warning means it ran but the answer is weak (too few points, ties,
// autocorrelation, a constant sample), phrased as what to do about it. The
// result itself carries everything needed to explain the verdict: the
// statistic, the p-value, the size of each sample, the method actually
// used, and the effect with its confidence interval. Statistically
// significant is not the same as large: read the effect, and the
// tolerance.
//
// The numbers are checked against scipy 1.10 and R 4.2.2; the reference
// values and the scripts that produce them are in testdata directories
// beside the code that uses them.
package chaosstat
