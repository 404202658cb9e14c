// Package monitor is the emergency stop of a running chaos experiment: an
// always-valid sequential test of the experiment against the control,
// with guardrails, that says at every look continue or stop and why.
//
// The workflow:
//
//  1. New(Config{Direction: steadystate.Decrease, Guardrails: ...}): the
//     harmful direction, the false-stop rate Alpha (default 0.05, over the
//     whole run however many looks), hard Guardrails like existing alert
//     rules (MaxChangeGuardrails for "more than 20% below the control for 3
//     points"), and MaxGap, how long a group may go silent.
//  2. Prime it with the groups' values from before the experiment (Prime,
//     or PrimeSeries for two series): they set the test's variance from
//     the first look and are not evidence. Unprimed it works, but is
//     weaker early.
//  3. Feed it the looks: Add one Point per look as the points arrive (and
//     Check when a look is due and no point came); or Replay two series
//     merged by timestamp; or Follow a live feed of CSV lines
//     (FeedReader) with a wall-clock watchdog.
//  4. Act on the Decision: Stop with its Cause (test, guardrail, no_data)
//     and Reason, the always-valid p-value and the confidence sequence of
//     the difference, absolute and relative. Once stopped it stays
//     stopped. A Run says how a replay or a feed ended (Outcome, Err) and
//     writes the decisions as chaosstat monitor does (WriteText,
//     WriteJSON).
//
// The test is a mixture sequential probability ratio test (Johari et al.
// 2017) on the minute-paired log ratio, with the autocorrelation of the
// differences in its variance and restarted tests so that harm starting
// mid-run is not diluted; see Monitor for the method and BENCHMARKS.md for
// error rates. The package reads no files: series.ReadFile reads the
// series a Replay takes, and a FeedReader reads any io.Reader.
//
//	m, _ := monitor.New(monitor.Config{Direction: steadystate.Decrease})
//	_ = m.PrimeSeries(lastHourControl, lastHourExperiment)
//	run, _ := m.Replay(control, experiment, monitor.ReplayOptions{})
//	_ = run.WriteJSON(os.Stdout) // chaosstat monitor --format json
package monitor
