// Package monitor is the emergency stop of a running chaos experiment: an
// always-valid sequential test of the experiment against the control,
// with guardrails, that says at every look continue or stop and why.
//
// A Monitor watches a running experiment and says, at every look, continue
// or stop with the reason. The workflow:
//
//  1. New(Config{Direction: steadystate.Decrease, Guardrails: ...}): the
//     harmful direction, the false-stop rate Alpha (default 0.05, over the
//     whole run however many looks), hard Guardrails like existing alert
//     rules (MaxChangeGuardrails for "more than 20% below the control for 3
//     points"), and MaxGap, how long a group may go silent.
//  2. Prime it with the groups' values from before the experiment (the
//     previous hours, A/A): they set the test's variance from the first
//     look and are not evidence. Unprimed it works, but is weaker early.
//  3. Add one Point per look as the points arrive (control,
//     experiment, optionally last weeks' baseline; NaN for missing); call
//     Check when a look is due and no point came.
//  4. Act on the Decision: Stop with its Cause (test, guardrail, no_data)
//     and Reason, the always-valid p-value and the confidence sequence of
//     the difference, absolute and relative. Once stopped it stays stopped.
//
// The test is a mixture sequential probability ratio test (Johari et al.
// 2017) on the minute-paired log ratio, with the autocorrelation of the
// differences in its variance and restarted tests so that harm starting
// mid-run is not diluted; see Monitor for the method and BENCHMARKS.md for
// error rates.
//
//	m, _ := monitor.New(monitor.Config{Direction: steadystate.Decrease})
//	_ = m.Prime(lastHourControl, lastHourExperiment)
//	d, _ := m.Add(monitor.Point{T: t, Control: c, Experiment: e})
//	if d.Action == monitor.Stop { /* halt the experiment: d.Reason */ }
package monitor
