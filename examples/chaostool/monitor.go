package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// runMonitor replays two series files through the emergency stop and prints
// one JSON line per look, as chaosstat monitor --format json does with the
// same flags (the guardrail defaults are the CLI's: 20% worse than the
// control for 3 points). It returns the CLI's exit codes: 0 the run held, 1
// stopped, 2 usage or input error, 3 too few pairs to judge.
func runMonitor(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("monitor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	control := fs.String("control", "", "the control group's series file (CSV or Prometheus JSON)")
	experiment := fs.String("experiment", "", "the experiment group's series file")
	direction := fs.String("direction", "either", "the change that hurts: either, decrease or increase")
	maxDrop := fs.Float64("max-drop", 0.2, "guardrail: this much worse than the control (0 turns it off)")
	sustain := fs.Int("sustain", 3, "points in a row for the guardrail")
	fail := func(err error) int { fmt.Fprintln(stderr, "chaostool monitor:", err); return 2 }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir, err := steadystate.ParseDirection(*direction)
	if err != nil {
		return fail(err)
	}
	ctl, err := series.ReadFile(*control, nil)
	if err != nil {
		return fail(err)
	}
	exp, err := series.ReadFile(*experiment, nil)
	if err != nil {
		return fail(err)
	}
	cfg := monitor.Config{Direction: dir}
	if *maxDrop > 0 {
		cfg.Guardrails = monitor.MaxChangeGuardrails(dir, *maxDrop, *sustain)
	}
	m, err := monitor.New(cfg)
	if err != nil {
		return fail(err)
	}
	run, err := m.Replay(ctl, exp, monitor.ReplayOptions{OnDecision: func(d monitor.Decision) error { return d.WriteJSON(stdout) }})
	if err != nil {
		return fail(err)
	}
	if run.Outcome == monitor.Inconclusive {
		fmt.Fprintln(stderr, "chaostool monitor: no data:", run.Err())
		return 3
	}
	return map[monitor.Outcome]int{monitor.Held: 0, monitor.Stopped: 1}[run.Outcome]
}
