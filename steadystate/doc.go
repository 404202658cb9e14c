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
//
// # Hypotheses and verdicts
//
// A steady-state hypothesis says that, while a fault is injected into the
// experiment group, its metrics stay within tolerance of the control group's.
// The workflow:
//
//  1. Write the hypothesis: in Go as a Hypothesis of Metrics, or as a YAML
//     (or JSON) file parsed with ParseHypothesis, which returns a Plan: the
//     Hypothesis and, per metric, the Source of each group (a file relative
//     to the hypothesis file, or a PromQL query). This package reads no
//     files: the caller reads the sources (chaosstat judge does).
//
//  2. Judge it: Judge(h, data) classifies each metric pass, high, low,
//     nodata or error. A metric is high or low only when its change is
//     statistically significant after the correction across metrics (Holm
//     by default) and its estimate lies beyond the tolerance in a harmful
//     direction. The test is the metric's choice; by default two time series
//     are paired minute by minute and tested with an autocorrelation-robust
//     variance (compare.TimeSeries), because per-minute values are not
//     independent, and plain samples by Mann-Whitney. A time-series metric
//     worth fewer than MinEffectiveN independent points cannot pass (it is
//     NoData unless significantly beyond tolerance), and one whose level
//     shifted within the window is judged on the level after (or before)
//     the shift when the window's mean hides it.
//
//  3. Read the Verdict: Held, Disproved or Inconclusive, the score (passing
//     over judged metrics per group, groups combined by weight), the rule
//     that decided it, and the per-metric table that explains it
//     (Verdict.WriteText). No data is never a pass: a metric without data is
//     NoData, and a hypothesis with half its metrics without data is never
//     held.
//
// In Go:
//
//	plan, err := steadystate.ParseHypothesis(yamlBytes, "hypothesis.yaml")
//	// read plan.Sources[i].Control and .Experiment into data[i]
//	v, err := steadystate.Judge(plan.Hypothesis, data)
//	// v.Outcome, v.Score, v.Reason, v.Metrics[i].Classification
//
// # Choosing the metrics: the three criteria
//
// A steady-state metric is only useful if it moves with customer
// satisfaction, is available in near real time and is complete and cheap
// to measure. EvaluateCriteria turns each into a measurement with a pass or
// fail and the figure behind it, for a Candidate against a satisfaction
// series (per-minute Apdex, conversion, support contacts);
// EvaluateAllCriteria makes the table for several candidates
// (CriteriaReport.WriteText, or JSON). The workflow:
//
//  1. Correlation: both series on a common grid, differenced (changes, not
//     levels: a shared trend or daily cycle makes levels correlate by
//     accident, Granger & Newbold 1974), the coefficient (Spearman by
//     default) searched over lags up to ±MaxLag; its p-value corrected for
//     autocorrelation (an effective n, Pyper & Peterman 1998) and for the
//     number of lags searched (Bonferroni).
//  2. Real time: the sampling interval, the delay behind satisfaction (the
//     best lag) and, given the query time, the data latency.
//  3. Measurability: completeness and the longest gap on the metric's
//     expected grid; the number of series and the query's cost when a
//     query supplies it.
//
// The thresholds are CriteriaOptions, DefaultCriteriaOptions by default.
// Too little data is ErrCriteriaNoData, never a pass:
//
//	rep, err := steadystate.EvaluateAllCriteria(apdex, []steadystate.Candidate{
//		{Name: "p99_latency", Series: latency}, {Name: "downloads", Series: downloads},
//	}, time.Now(), steadystate.CriteriaOptions{})
//	rep.WriteText(os.Stdout) // one row per metric, PASS/FAIL per criterion
//
// # The emergency stop
//
// A Monitor watches a running experiment and says, at every look, continue
// or stop with the reason. The workflow:
//
//  1. NewMonitor(MonitorConfig{Direction: Decrease, Guardrails: ...}): the
//     harmful direction, the false-stop rate Alpha (default 0.05, over the
//     whole run however many looks), hard Guardrails like existing alert
//     rules (MaxChangeGuardrails for "more than 20% below the control for 3
//     points"), and MaxGap, how long a group may go silent.
//  2. Prime it with the groups' values from before the experiment (the
//     previous hours, A/A): they set the test's variance from the first
//     look and are not evidence. Unprimed it works, but is weaker early.
//  3. Add one MonitorPoint per look as the points arrive (control,
//     experiment, optionally last weeks' baseline; NaN for missing); call
//     Check when a look is due and no point came.
//  4. Act on the Decision: Stop with its Cause (test, guardrail, no_data)
//     and Reason, the always-valid p-value and the confidence sequence of
//     the difference, absolute and relative. Once stopped it stays stopped.
//
// The test is a mixture sequential probability ratio test (Johari et al.
// 2017) on the minute-paired log ratio, with the autocorrelation of the
// differences in its variance and restarted tests so that harm starting
// mid-run is not diluted; see Monitor for the method and its measured
// error rates.
//
//	m, _ := steadystate.NewMonitor(steadystate.MonitorConfig{Direction: steadystate.Decrease})
//	_ = m.Prime(lastHourControl, lastHourExperiment)
//	d, _ := m.Add(steadystate.MonitorPoint{T: t, Control: c, Experiment: e})
//	if d.Action == steadystate.Stop { /* halt the experiment: d.Reason */ }
package steadystate
