package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// runMonitor replays two series files through the emergency stop and prints
// one JSON line per look, as chaosstat monitor --format json does (with the
// CLI's default guardrail: 20% worse than the control for 3 points). It
// returns the CLI's exit codes: 0 the run held, 1 stopped, 2 usage or input
// error, 3 too little data to judge.
func runMonitor(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("monitor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	control := fs.String("control", "", "the control group's series file (CSV or Prometheus JSON)")
	experiment := fs.String("experiment", "", "the experiment group's series file")
	direction := fs.String("direction", "either", "the change that hurts: either, decrease or increase")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir, err := steadystate.ParseDirection(*direction)
	var ctl, exp series.Series
	if err == nil {
		ctl, err = series.ReadFile(*control, nil)
	}
	if err == nil {
		exp, err = series.ReadFile(*experiment, nil)
	}
	var m *monitor.Monitor
	if err == nil {
		m, err = monitor.New(monitor.Config{Direction: dir, Guardrails: monitor.MaxChangeGuardrails(dir, 0.2, 3)})
	}
	var run monitor.Run
	if err == nil {
		run, err = m.Replay(ctl, exp, monitor.ReplayOptions{OnDecision: func(d monitor.Decision) error { return d.WriteJSON(stdout) }})
		err = cmp.Or(err, run.Err()) // too few pairs to judge: inconclusive
	}
	if err != nil {
		fmt.Fprintln(stderr, "chaostool monitor:", err)
		return exitCode(err)
	}
	return map[monitor.Outcome]int{monitor.Held: 0, monitor.Stopped: 1}[run.Outcome]
}
