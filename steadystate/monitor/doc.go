// Package monitor is the emergency stop of a running chaos experiment: an
// always-valid sequential test of the experiment against the control,
// with guardrails, that says at every look continue or stop and why.
//
//  1. New(Config{Direction: steadystate.Decrease, Guardrails: ...}): the
//     harmful direction, the false-stop rate Alpha over the whole run
//     however many looks, hard Guardrails like alert rules
//     (MaxChangeGuardrails, LimitGuardrails), and MaxGap.
//  2. Prime it with the groups' values from before the experiment (Prime,
//     PrimeSeries): they set the test's variance from the first look and
//     are not evidence.
//  3. Feed it the looks: Add a Point per look (Check when one is overdue);
//     or Replay two series merged by timestamp; or Follow a live feed of
//     CSV lines (FeedReader) with a wall-clock watchdog.
//  4. Act on the Decision: Stop with its Cause and Reason, the
//     always-valid p-value and the confidence sequence of the difference.
//     A Run says how a replay or a feed ended (Outcome, Err) and writes
//     the decisions as chaosstat monitor does (WriteText, WriteJSON).
//
// The test is a mixture sequential probability ratio test (Johari et al.
// 2017) on the paired log ratio, with the autocorrelation of the
// differences in its variance; see Monitor for the method and
// BENCHMARKS.md for its error rates. The package reads no files:
// series.ReadFile reads the series Replay takes.
//
//	m, _ := monitor.New(monitor.Config{Direction: steadystate.Decrease})
//	_ = m.PrimeSeries(lastHourControl, lastHourExperiment)
//	run, _ := m.Replay(control, experiment, monitor.ReplayOptions{})
//	_ = run.WriteJSON(os.Stdout) // chaosstat monitor --format json
package monitor
