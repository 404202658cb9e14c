// Command casestudy is chaosstat demo as library calls: the whole method,
// six steps, on the demo's synthetic case study (cmd/chaosstat/demodata,
// written by a seeded generator; nothing in it was measured). It prints one
// short block per step. Run it from the repository's root:
//
//	go run ./examples/casestudy
//
// or point -data at a copy of the folder. Each step is a handful of calls of
// the public API; cmd/chaosstat/demo.go makes the same calls and narrates
// them.
package main

import (
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/cost"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// scenario is demodata/scenario.json: the setting and the business's
// assumptions.
type scenario struct {
	SLO              float64  `json:"slo"`
	BudgetPeriod     string   `json:"budget_period"`
	RunStart         string   `json:"run_start"`
	RunEnd           string   `json:"run_end"`
	PlannedWindow    string   `json:"planned_window"`
	Windows          []string `json:"windows"`
	Currency         string   `json:"currency"`
	UnitRevenue      float64  `json:"unit_revenue"`
	EngineeringHours float64  `json:"engineering_hours"`
	HourlyCost       float64  `json:"hourly_cost"`
}

var metrics = []string{"downloads", "availability", "apdex"}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("casestudy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("data", "cmd/chaosstat/demodata", "the demo's data folder")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := study(*dir, stdout); err != nil {
		fmt.Fprintf(stderr, "casestudy: %v\n", err)
		return 1
	}
	return 0
}

// read reads one gzip-compressed CSV series of the folder.
func read(dir, name string) (series.Series, error) {
	f, err := os.Open(filepath.Join(dir, name+".csv.gz"))
	if err != nil {
		return series.Series{}, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return series.Series{}, fmt.Errorf("%s: %v", f.Name(), err)
	}
	return series.ReadCSV(z, f.Name())
}

func study(dir string, w io.Writer) error {
	b, err := os.ReadFile(filepath.Join(dir, "scenario.json"))
	if err != nil {
		return err
	}
	var sc scenario
	if err := json.Unmarshal(b, &sc); err != nil {
		return fmt.Errorf("scenario.json: %v", err)
	}
	startMs, err1 := series.ParseTime(sc.RunStart)
	endMs, err2 := series.ParseTime(sc.RunEnd)
	runStart, runEnd := time.UnixMilli(startMs).UTC(), time.UnixMilli(endMs).UTC()
	planned, err3 := series.ParseDuration(sc.PlannedWindow)
	period, err4 := series.ParseDuration(sc.BudgetPeriod)
	var windows []time.Duration
	for _, s := range sc.Windows {
		d, err := series.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("scenario.json: windows: %v", err)
		}
		windows = append(windows, d)
	}
	for _, err := range []error{err1, err2, err3, err4} {
		if err != nil {
			return fmt.Errorf("scenario.json: %v", err)
		}
	}
	s := map[string]series.Series{}
	for _, g := range []string{"history-control-", "history-experiment-", "run-control-", "run-experiment-", "week-main-"} {
		for _, m := range metrics {
			if s[g+m], err = read(dir, g+m); err != nil {
				return err
			}
		}
	}
	if s["week-satisfaction"], err = read(dir, "week-satisfaction"); err != nil {
		return err
	}
	from, to := runStart.UnixMilli(), runEnd.UnixMilli()
	fmt.Fprintf(w, "case study (SYNTHETIC data, %s): SLA %g%%, run %s to %s UTC\n",
		dir, 100*sc.SLO, runStart.Format("2006-01-02 15:04"), runEnd.Format("15:04"))

	// 1. The three criteria, on the whole service over the last week.
	var cands []criteria.Candidate
	for _, m := range metrics {
		cands = append(cands, criteria.Candidate{Name: m, Series: s["week-main-"+m]})
	}
	crit, err := criteria.EvaluateAll(s["week-satisfaction"], cands, time.Time{}, criteria.Options{})
	if err != nil {
		return err
	}
	var parts []string
	for _, r := range crit.Metrics {
		verdict := "FAIL"
		if r.Pass {
			verdict = "PASS"
		}
		parts = append(parts, fmt.Sprintf("%s %s (correlation %+.2f)", r.Name, verdict, r.Correlation.Coefficient))
	}
	fmt.Fprintf(w, "1 criteria: %s\n", strings.Join(parts, "; "))

	// 2. The A/A replay over the history, per metric; the hypothesis is
	// judged over the longest recommended window.
	var judgeWindow time.Duration
	for i, m := range metrics {
		r, err := compare.AA(s["history-experiment-"+m], s["history-control-"+m],
			compare.AAOptions{Windows: windows, Planned: planned, Counts: m == "downloads"})
		if err != nil {
			return err
		}
		l, _ := r.Length(planned)
		label := "2 A/A replay:"
		if i > 0 {
			label = "             "
		}
		fmt.Fprintf(w, "%s %s at %s %s (%d of %d windows false positives)", label, m, compare.ShortDuration(planned), l.Status, l.FalsePositives, l.Tested)
		if r.Recommended == 0 {
			fmt.Fprintf(w, ", no valid window\n")
			return fmt.Errorf("%s: no window length is valid, so there is nothing to judge at", m)
		}
		rec, _ := r.Length(r.Recommended)
		fmt.Fprintf(w, ", recommended %s (MDE %.3g%%)\n", compare.ShortDuration(r.Recommended), 100*rec.MDE)
		judgeWindow = max(judgeWindow, r.Recommended)
	}

	// 3. The control's day against the same hours of the 4 weeks before.
	dev, err := baseline.Evaluate(s["history-control-downloads"], s["run-control-downloads"], baseline.Options{}, baseline.DeviationRule{})
	if err != nil {
		return err
	}
	state := "steady"
	if dev.Deviated() {
		state = fmt.Sprintf("deviated (%d deviations)", len(dev.Deviations))
	}
	fmt.Fprintf(w, "3 baseline: control downloads on %s %s, %d of %d points outside the band\n",
		runStart.Format("2006-01-02"), state, dev.Outside, dev.Judged)

	// 4. The hypothesis file, judged over the valid window holding the run.
	yaml, err := os.ReadFile(filepath.Join(dir, "hypothesis.yaml"))
	if err != nil {
		return err
	}
	plan, err := steadystate.ParseHypothesis(yaml, "hypothesis.yaml")
	if err != nil {
		return err
	}
	jFrom := runStart.Truncate(judgeWindow)
	jTo := jFrom.Add(judgeWindow)
	if jTo.Before(runEnd) {
		return fmt.Errorf("the valid window %v is shorter than the run", judgeWindow)
	}
	data := make([]steadystate.Data, len(plan.Sources))
	for i, src := range plan.Sources {
		c := s[strings.TrimSuffix(src.Control.File, ".csv.gz")]
		e := s[strings.TrimSuffix(src.Experiment.File, ".csv.gz")]
		data[i] = steadystate.Data{Control: c.Window(jFrom.UnixMilli(), jTo.UnixMilli()), Experiment: e.Window(jFrom.UnixMilli(), jTo.UnixMilli())}
	}
	v, err := steadystate.Judge(plan.Hypothesis, data)
	if err != nil {
		return err
	}
	parts = parts[:0]
	for _, r := range v.Metrics {
		parts = append(parts, fmt.Sprintf("%s %s %+.2g%% [%+.2g%%, %+.2g%%]", r.Metric.Name, r.Classification,
			100*r.Effect.Relative, 100*r.Effect.RelativeLow, 100*r.Effect.RelativeHigh))
	}
	fmt.Fprintf(w, "4 hypothesis %s at %s: %s: %s\n", plan.Hypothesis.Name, compare.ShortDuration(judgeWindow), v.Outcome, strings.Join(parts, "; "))

	// 5. The emergency stop, replayed minute by minute over the run.
	cfg := monitor.Config{Direction: steadystate.Decrease, Guardrails: monitor.MaxChangeGuardrails(steadystate.Decrease, 0.2, 3)}
	parts = parts[:0]
	for _, m := range metrics {
		mon, err := monitor.New(cfg)
		if err != nil {
			return err
		}
		c, e := s["run-control-"+m].Window(from, to), s["run-experiment-"+m].Window(from, to)
		var last monitor.Decision
		for i := range c.T {
			if last, err = mon.Add(monitor.Point{T: c.T[i], Control: c.V[i], Experiment: e.V[i]}); err != nil {
				return err
			}
			if last.Action == monitor.Stop {
				break
			}
		}
		if last.Action == monitor.Stop {
			parts = append(parts, fmt.Sprintf("%s stop at %s (%s)", m, time.UnixMilli(last.T).UTC().Format("15:04"), last.Cause))
		} else {
			parts = append(parts, fmt.Sprintf("%s no stop in %d looks", m, last.Looks))
		}
	}
	fmt.Fprintf(w, "5 emergency stop: %s\n", strings.Join(parts, "; "))

	// 6. The cost: the loss rate over the valid window, and the share of
	// the month's error budget the experiment group spent during the run.
	loss, err := compare.TimeSeries(s["run-experiment-downloads"].Window(jFrom.UnixMilli(), jTo.UnixMilli()),
		s["run-control-downloads"].Window(jFrom.UnixMilli(), jTo.UnixMilli()), compare.Options{})
	if err != nil {
		return err
	}
	c, err := cost.Compute(cost.Inputs{
		LossRate: max(0, -loss.Shift.Estimate), UnitRevenue: sc.UnitRevenue, Duration: jTo.Sub(jFrom),
		EngineeringHours: sc.EngineeringHours, HourlyCost: sc.HourlyCost,
	})
	if err != nil {
		return err
	}
	// The month's requests: the whole service's downloads over the last
	// week of history, scaled to the budget's period.
	var week float64
	wFrom, wTo := runStart.Truncate(24*time.Hour).AddDate(0, 0, -7).UnixMilli(), runStart.Truncate(24*time.Hour).UnixMilli()
	for _, name := range []string{"week-main-downloads", "history-control-downloads", "history-experiment-downloads"} {
		for _, x := range s[name].Window(wFrom, wTo).V {
			week += x
		}
	}
	use, err := cost.BudgetConsumption(cost.ErrorBudget{SLO: sc.SLO, Period: period},
		s["run-experiment-downloads"].Window(from, to), s["run-experiment-availability"].Window(from, to),
		s["run-control-availability"].Window(from, to), week*float64(period)/float64(7*24*time.Hour))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "6 cost: %.2f %s (%.0f downloads lost, %.2f/min); error budget %v, spent %.3g%% (%.3g%% above the control's rate)\n",
		c.Total, sc.Currency, c.LostUnits, c.Inputs.LossRate, use.Budget.Downtime(), 100*use.Share, 100*use.ExcessShare)
	return nil
}
