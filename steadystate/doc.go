// Package steadystate holds what a chaos experiment's steady state is made
// of and how it is judged: metric definitions, the three criteria a
// steady-state metric must meet, hypotheses and their verdicts, and
// week-over-week baselines with an emergency stop.
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
// # Subpackages
//
// The other steps of the method have a package each: criteria (which
// metrics make a steady state), baseline (the same hours of past weeks),
// monitor (the emergency stop while the fault runs) and cost (the price of
// a run and the error budget it uses).
package steadystate
