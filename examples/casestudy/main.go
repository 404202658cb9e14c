// Command casestudy is chaosstat demo as a chaos tool would run it on its
// own metrics: one call of workflow.Run on a folder of series laid out like
// the demo's (cmd/chaosstat/demodata, synthetic, written by a seeded
// generator; nothing in it was measured), then one short block per step,
// read from the report. Run it from the repository's root:
//
//	go run ./examples/casestudy
//
// or point -data at another folder laid out the same way.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
	"github.com/chaosstat/chaosstat/workflow"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("casestudy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "cmd/chaosstat/demodata", "the demo's data folder")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	in, err := workflow.ReadCaseStudy(os.DirFS(*dir), ".")
	if err != nil {
		fmt.Fprintf(stderr, "casestudy: %s: %v\n", *dir, err)
		return 1
	}
	r, err := workflow.Run(in)
	if err != nil {
		fmt.Fprintf(stderr, "casestudy: %v\n", err)
		return 1
	}
	writeSteps(stdout, *dir, &in, r)
	return 0
}

// writeSteps writes one block per step of r, the method run on in.
func writeSteps(w io.Writer, dir string, in *workflow.Inputs, r *workflow.Report) {
	p := in.Plan
	fmt.Fprintf(w, "case study (SYNTHETIC data, %s): SLA %g%%, run %s to %s UTC\n",
		dir, 100*in.Assumptions.SLO, p.Start.UTC().Format("2006-01-02 15:04"), p.End.UTC().Format("15:04"))

	var parts []string
	for _, m := range r.Criteria.Metrics {
		verdict := "FAIL"
		if m.Pass {
			verdict = "PASS"
		}
		parts = append(parts, fmt.Sprintf("%s %s (correlation %+.2f)", m.Name, verdict, m.Correlation.Coefficient))
	}
	fmt.Fprintf(w, "1 criteria: %s\n", strings.Join(parts, "; "))

	for i, a := range r.AA {
		label := "2 A/A replay:"
		if i > 0 {
			label = "             "
		}
		l, _ := a.Result.Length(p.Planned)
		fmt.Fprintf(w, "%s %s at %s %s (%d of %d windows false positives)", label, a.Metric, compare.ShortDuration(p.Planned), l.Status, l.FalsePositives, l.Tested)
		if a.Result.Recommended == 0 {
			fmt.Fprintf(w, ", no valid window\n")
			continue
		}
		rec, _ := a.Result.Length(a.Result.Recommended)
		fmt.Fprintf(w, ", recommended %s (MDE %.3g%%)\n", compare.ShortDuration(a.Result.Recommended), 100*rec.MDE)
	}

	dev := r.Baseline.Check
	state := "steady"
	if dev.Deviated() {
		state = fmt.Sprintf("deviated (%d deviations)", len(dev.Deviations))
	}
	fmt.Fprintf(w, "3 baseline: control %s on %s %s, %d of %d points outside the band\n",
		r.Baseline.Metric, p.Start.UTC().Format("2006-01-02"), state, dev.Outside, dev.Judged)

	if r.Judge == nil {
		fmt.Fprintf(w, "4 hypothesis not judged: %s\n", r.NoWindow)
	} else {
		v := r.Judge.Verdict
		parts = parts[:0]
		for _, m := range v.Metrics {
			parts = append(parts, fmt.Sprintf("%s %s %+.2g%% [%+.2g%%, %+.2g%%]", m.Metric.Name, m.Classification,
				100*m.Effect.Relative, 100*m.Effect.RelativeLow, 100*m.Effect.RelativeHigh))
		}
		fmt.Fprintf(w, "4 hypothesis %s at %s: %s: %s\n", v.Hypothesis.Name, compare.ShortDuration(r.Window), v.Outcome, strings.Join(parts, "; "))
	}

	parts = parts[:0]
	for _, m := range r.Monitor.Metrics {
		if d := m.Last(); d.Action == monitor.Stop {
			parts = append(parts, fmt.Sprintf("%s stop at %s (%s)", m.Metric, time.UnixMilli(d.T).UTC().Format("15:04"), d.Cause))
		} else {
			parts = append(parts, fmt.Sprintf("%s no stop in %d looks", m.Metric, d.Looks))
		}
	}
	fmt.Fprintf(w, "5 emergency stop: %s\n", strings.Join(parts, "; "))

	c, use := r.Cost.Cost, r.Cost.Budget
	fmt.Fprintf(w, "6 cost: %.2f %s (%.0f %s lost, %.2f/min); error budget %v, spent %.3g%% (%.3g%% above the control's rate)\n",
		c.Total, r.Cost.Currency, c.LostUnits, in.Requests, c.Inputs.LossRate, use.Budget.Downtime(), 100*use.Share, 100*use.ExcessShare)
}
