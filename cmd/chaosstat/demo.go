package main

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// demoFS holds the demo's synthetic data (see demodata/README.md): written
// by demodata/gen.go from a fixed seed, never measured.
//
//go:embed demodata/*.csv.gz demodata/scenario.json demodata/hypothesis.yaml
var demoFS embed.FS

var demoCommand = &command{
	name:    "demo",
	summary: "run the whole method on an embedded synthetic case study, step by step",
	run:     runDemo,
	usage:   demoUsage,
}

func demoUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat demo [--out DIR] [--format text|json] [flags]

Demo runs the whole method on one case study, with synthetic data built into
the binary (cmd/chaosstat/demodata, written by a seeded generator: nothing in
it was measured). A download-delivery service with an SLA of 99.95%
availability splits its traffic by weighted DNS, 96% main, 2% control, 2%
experiment; on the day of the run one instance of the experiment group is
killed every 30 minutes from 12:00 to 18:00 UTC. The report follows the six
steps of the method:

  1. choose the metrics: the three criteria of each candidate (downloads
     per minute, availability, Apdex) against customer satisfaction
  2. check the split before any fault: the A/A replay at the planned 30
     minutes, the recommended window and the minimum detectable drop
  3. the control's week-over-week baseline on the day of the run
  4. the hypothesis judged at a window the A/A replay found valid
  5. the emergency stop replayed on the run
  6. what the run cost, and the share of the month's error budget it spent

Every number is computed by the library on the embedded data as the
command runs. The revenue, engineering and SLA figures are the scenario's
assumptions (demodata/scenario.json); the flags below replace them.

Flags:

	--out DIR                 also write each step's JSON (the same keys as
	                          the step's own command) into DIR, created if missing
	--format FORMAT           text (default) or json: one JSON document of all steps
	--unit-revenue X          revenue of one download (default: the scenario's)
	--engineering-hours H     people's hours the run takes (default: the scenario's)
	--hourly-cost X           cost of one engineering hour (default: the scenario's)
	--slo S                   availability objective, in (0, 1) (default: the scenario's)

Exit codes: 0 the demo ran (whatever its steps found), 2 usage error or a
failure to write --out.
`)
}

// demoScenario is demodata/scenario.json: the case study's setting and the
// assumptions the cost is computed from.
type demoScenario struct {
	Service          string   `json:"service"`
	SLO              float64  `json:"slo"`
	BudgetPeriod     string   `json:"budget_period"`
	RunStart         string   `json:"run_start"`
	RunEnd           string   `json:"run_end"`
	KillEvery        string   `json:"kill_every"`
	PlannedWindow    string   `json:"planned_window"`
	Windows          []string `json:"windows"`
	Currency         string   `json:"currency"`
	UnitRevenue      float64  `json:"unit_revenue"`
	EngineeringHours float64  `json:"engineering_hours"`
	HourlyCost       float64  `json:"hourly_cost"`
}

// The emergency stop's guardrail: more than demoMaxDrop below the control
// for demoSustain consecutive minutes.
const (
	demoMaxDrop = 0.2
	demoSustain = 3
)

// demoMetrics are the candidate metrics, in report order.
var demoMetrics = []string{"downloads", "availability", "apdex"}

// demoCase is the case study loaded: the scenario and every series.
type demoCase struct {
	sc               demoScenario
	runStart, runEnd time.Time
	budgetPeriod     time.Duration
	planned          time.Duration
	windows          []time.Duration
	killEvery        time.Duration
	hypothesis       []byte
	s                map[string]series.Series // by file name without .csv.gz
}

func (c *demoCase) get(name string) series.Series { return c.s[name] }

// loadDemo reads the embedded data. An error here is a broken build, and is
// reported as such.
func loadDemo(fsys embed.FS) (*demoCase, error) {
	c := &demoCase{s: map[string]series.Series{}}
	b, err := fsys.ReadFile("demodata/scenario.json")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c.sc); err != nil {
		return nil, fmt.Errorf("demodata/scenario.json: %v", err)
	}
	parse := func(what, s string) time.Duration {
		d, e := series.ParseDuration(s)
		if e != nil && err == nil {
			err = fmt.Errorf("demodata/scenario.json: %s: %v", what, e)
		}
		return d
	}
	c.budgetPeriod = parse("budget_period", c.sc.BudgetPeriod)
	c.planned = parse("planned_window", c.sc.PlannedWindow)
	c.killEvery = parse("kill_every", c.sc.KillEvery)
	for _, w := range c.sc.Windows {
		c.windows = append(c.windows, parse("windows", w))
	}
	for _, t := range []struct {
		name string
		s    string
		t    *time.Time
	}{{"run_start", c.sc.RunStart, &c.runStart}, {"run_end", c.sc.RunEnd, &c.runEnd}} {
		ms, e := series.ParseTime(t.s)
		if e != nil && err == nil {
			err = fmt.Errorf("demodata/scenario.json: %s: %v", t.name, e)
		}
		*t.t = time.UnixMilli(ms).UTC()
	}
	if err != nil {
		return nil, err
	}
	if c.hypothesis, err = fsys.ReadFile("demodata/hypothesis.yaml"); err != nil {
		return nil, err
	}
	names, err := fsys.ReadDir("demodata")
	if err != nil {
		return nil, err
	}
	for _, d := range names {
		name, ok := strings.CutSuffix(d.Name(), ".csv.gz")
		if !ok {
			continue
		}
		f, err := fsys.Open("demodata/" + d.Name())
		if err != nil {
			return nil, err
		}
		z, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("demodata/%s: %v", d.Name(), err)
		}
		s, err := series.ReadCSV(z, "demodata/"+d.Name())
		f.Close()
		if err != nil {
			return nil, err
		}
		s.Name = name
		c.s[name] = s
	}
	return c, nil
}

// demoSteps holds every step's result: what the text, the JSON and --out
// are written from.
type demoSteps struct {
	c *demoCase

	// Step 1.
	criteria steadystate.CriteriaReport
	cands    []steadystate.Candidate

	// Step 2: one A/A replay per metric, and the window judged at.
	aa          []aaReport
	judgeWindow time.Duration

	// Step 3.
	baseline baselineReport

	// Step 4.
	verdict     steadystate.Verdict
	judgeFrom   time.Time
	judgeTo     time.Time
	judgeFiles  [][2]string
	judgeReason string // why there is no verdict, when there is none

	// Step 5: per metric, every decision up to the first stop, and how
	// many of the history's days (same hours, no fault) the same monitor
	// stopped.
	monitor      [][]steadystate.Decision
	monCfg       steadystate.MonitorConfig
	monAADays    int
	monAAStopped []int

	// The judged window's series, per metric: control, experiment.
	judged [][2]series.Series

	// Step 6: the loss rate is measured over [lossFrom, lossTo).
	loss             compare.Result
	lossFrom, lossTo time.Time
	runLoss          compare.Result // over the run alone, for contrast
	cost, high       steadystate.Cost
	budget           steadystate.BudgetUse
	ctlBudget        steadystate.BudgetUse // the control group's, for comparison
}

// demoAssumptions are the cost inputs that are the business's, not data.
type demoAssumptions struct {
	unitRevenue, engineeringHours, hourlyCost, slo float64
}

// runDemoSteps runs the six steps on the case study.
func runDemoSteps(c *demoCase, as demoAssumptions) (*demoSteps, error) {
	st := &demoSteps{c: c}

	// Step 1: the three criteria, on the whole service's metrics over the
	// last week of history.
	var cands []steadystate.Candidate
	for _, m := range demoMetrics {
		cands = append(cands, steadystate.Candidate{Name: m, Series: c.get("week-main-" + m)})
	}
	var err error
	st.cands = cands
	st.criteria, err = steadystate.EvaluateAllCriteria(c.get("week-satisfaction"), cands, time.Time{}, steadystate.CriteriaOptions{})
	if err != nil {
		return nil, fmt.Errorf("step 1, criteria: %v", err)
	}

	// Step 2: the A/A replay of each metric over the 28 days of history.
	mw := &testKinds[0]
	for _, m := range demoMetrics {
		exp, ctl := c.get("history-experiment-"+m), c.get("history-control-"+m)
		counts := m == "downloads"
		r, err := compare.AA(exp, ctl, compare.AAOptions{Windows: c.windows, Planned: c.planned, Test: mw.run, Counts: counts, Ratio: compare.DefaultRatio})
		if err != nil {
			return nil, fmt.Errorf("step 2, A/A replay of %s: %v", m, err)
		}
		f := aaFlags{test: testFlag{kind: mw}, counts: counts}
		f.window.d = c.planned
		st.aa = append(st.aa, aaReport{f: f, r: r,
			exp: sample{flag: "experiment", name: "history-experiment-" + m, s: exp},
			ctl: sample{flag: "control", name: "history-control-" + m, s: ctl}})
	}
	// The hypothesis is judged over one window for all its metrics: the
	// longest of the recommended ones, so that it is valid for each.
	for _, a := range st.aa {
		if a.r.Recommended == 0 {
			st.judgeWindow = 0
			st.judgeReason = fmt.Sprintf("no window length tried is valid for %s, so no verdict would mean anything", a.exp.name[len("history-experiment-"):])
			break
		}
		st.judgeWindow = max(st.judgeWindow, a.r.Recommended)
	}

	// Step 3: the control's downloads on the day of the run against the
	// same hours of the four weeks before.
	hist, cur := c.get("history-control-downloads"), c.get("run-control-downloads")
	b, err := steadystate.NewBaseline(hist, steadystate.BaselineOptions{})
	if err != nil {
		return nil, fmt.Errorf("step 3, baseline: %v", err)
	}
	rule := steadystate.DeviationRule{}
	rep, err := b.Check(cur, rule)
	if err != nil {
		return nil, fmt.Errorf("step 3, baseline: %v", err)
	}
	rep.AddCalibration(b.Calibrate(rule))
	var warnings []string
	for _, w := range rep.Warnings {
		warnings = append(warnings, w.Error())
	}
	st.baseline = baselineReport{b: b, rep: rep, warnings: warnings,
		hist: sample{flag: "history", name: "history-control-downloads", s: hist},
		cur:  sample{flag: "current", name: "run-control-downloads", s: cur}}

	// Step 4: the hypothesis file, judged over the valid window that holds
	// the run.
	plan, err := steadystate.ParseHypothesis(c.hypothesis, "demodata/hypothesis.yaml")
	if err != nil {
		return nil, fmt.Errorf("step 4: %v", err)
	}
	if st.judgeWindow > 0 {
		w := st.judgeWindow
		st.judgeFrom = c.runStart.Truncate(w)
		st.judgeTo = st.judgeFrom.Add(w)
		if st.judgeTo.Before(c.runEnd) {
			// A window shorter than the run: judge the whole run, a
			// whole number of valid windows.
			st.judgeTo = st.judgeFrom.Add(((c.runEnd.Sub(st.judgeFrom) + w - 1) / w) * w)
		}
		data := make([]steadystate.Data, len(plan.Sources))
		for i, src := range plan.Sources {
			for side, s := range []steadystate.Source{src.Control, src.Experiment} {
				name, ok := strings.CutSuffix(s.File, ".csv.gz")
				ser, found := c.s[name]
				if !ok || !found {
					return nil, fmt.Errorf("demodata/hypothesis.yaml:%d: %s is not an embedded series", s.Line, s.String())
				}
				ser = ser.Window(st.judgeFrom.UnixMilli(), st.judgeTo.UnixMilli())
				if side == 0 {
					data[i].Control = ser
				} else {
					data[i].Experiment = ser
				}
			}
			st.judged = append(st.judged, [2]series.Series{data[i].Control, data[i].Experiment})
			st.judgeFiles = append(st.judgeFiles, [2]string{src.Control.File, src.Experiment.File})
		}
		st.verdict, err = steadystate.Judge(plan.Hypothesis, data)
		if err != nil {
			return nil, fmt.Errorf("step 4, judge: %v", err)
		}
	}

	// Step 5: the emergency stop, fed each metric's run minute by minute.
	st.monCfg = steadystate.MonitorConfig{
		Direction:  steadystate.Decrease,
		Guardrails: steadystate.MaxChangeGuardrails(steadystate.Decrease, demoMaxDrop, demoSustain),
	}
	from, to := c.runStart.UnixMilli(), c.runEnd.UnixMilli()
	for _, m := range demoMetrics {
		mon, err := steadystate.NewMonitor(st.monCfg)
		if err != nil {
			return nil, fmt.Errorf("step 5, monitor: %v", err)
		}
		var ds []steadystate.Decision
		for _, p := range mergePoints(c.get("run-control-"+m).Window(from, to), c.get("run-experiment-"+m).Window(from, to), series.Series{}) {
			d, err := mon.Add(p)
			if err != nil {
				return nil, fmt.Errorf("step 5, monitor of %s: %v", m, err)
			}
			ds = append(ds, d)
			if d.Action == steadystate.Stop {
				break
			}
		}
		if len(ds) == 0 {
			return nil, fmt.Errorf("step 5, monitor of %s: no point in the run", m)
		}
		st.monitor = append(st.monitor, ds)

		// The same monitor on the history's days at the same hours,
		// when nothing was injected: how often it stops for nothing.
		ctlH, expH := c.get("history-control-"+m), c.get("history-experiment-"+m)
		first := time.UnixMilli(ctlH.T[0]).UTC().Truncate(24 * time.Hour)
		stopped, days := 0, 0
		for d := first; !d.Add(24 * time.Hour).After(c.runStart.Truncate(24 * time.Hour)); d = d.Add(24 * time.Hour) {
			off := c.runStart.Sub(c.runStart.Truncate(24 * time.Hour))
			a, b := d.Add(off).UnixMilli(), d.Add(off+c.runEnd.Sub(c.runStart)).UnixMilli()
			mon, _ := steadystate.NewMonitor(st.monCfg)
			days++
			for _, p := range mergePoints(ctlH.Window(a, b), expH.Window(a, b), series.Series{}) {
				d, err := mon.Add(p)
				if err != nil {
					return nil, fmt.Errorf("step 5, monitor of %s on the history: %v", m, err)
				}
				if d.Action == steadystate.Stop {
					stopped++
					break
				}
			}
		}
		st.monAADays = days
		st.monAAStopped = append(st.monAAStopped, stopped)
	}

	// Step 6: the loss rate is the control's downloads per minute minus
	// the experiment's over the run, paired minute by minute with an
	// autocorrelation-robust interval (compare.TimeSeries).
	// It is measured over the judged window, which the A/A replay found
	// valid for every metric: over a shorter one the split's wander is
	// measured as much as the fault. Without a valid window, over the run.
	dlC, dlE := c.get("run-control-downloads").Window(from, to), c.get("run-experiment-downloads").Window(from, to)
	st.runLoss, err = compare.TimeSeries(dlE, dlC, compare.Options{})
	if err != nil {
		return nil, fmt.Errorf("step 6, loss rate: %v", err)
	}
	st.loss, st.lossFrom, st.lossTo = st.runLoss, c.runStart, c.runEnd
	if st.judgeWindow > 0 {
		st.lossFrom, st.lossTo = st.judgeFrom, st.judgeTo
		a, b := st.lossFrom.UnixMilli(), st.lossTo.UnixMilli()
		st.loss, err = compare.TimeSeries(c.get("run-experiment-downloads").Window(a, b), c.get("run-control-downloads").Window(a, b), compare.Options{})
		if err != nil {
			return nil, fmt.Errorf("step 6, loss rate: %v", err)
		}
	}
	in := steadystate.CostInputs{
		LossRate: max(0, -st.loss.Shift.Estimate), UnitRevenue: as.unitRevenue, Duration: st.lossTo.Sub(st.lossFrom),
		EngineeringHours: as.engineeringHours, HourlyCost: as.hourlyCost,
	}
	if st.cost, err = steadystate.ChaosCost(in); err != nil {
		return nil, fmt.Errorf("step 6: %v", err)
	}
	in.LossRate = max(0, -st.loss.Shift.Low)
	if st.high, err = steadystate.ChaosCost(in); err != nil {
		return nil, fmt.Errorf("step 6: %v", err)
	}
	// The month's requests: the whole service's downloads over the last
	// week of history (main, control and experiment), scaled to the
	// budget's period.
	weekFrom := c.runStart.Truncate(24*time.Hour).AddDate(0, 0, -7).UnixMilli()
	weekTo := c.runStart.Truncate(24 * time.Hour).UnixMilli()
	var week float64
	for _, name := range []string{"week-main-downloads", "history-control-downloads", "history-experiment-downloads"} {
		s := c.get(name).Window(weekFrom, weekTo)
		if s.Len() != 7*1440 {
			return nil, fmt.Errorf("step 6: %s holds %d points in the last week of history, want %d", name, s.Len(), 7*1440)
		}
		for _, v := range s.V {
			week += v
		}
	}
	budget := steadystate.ErrorBudget{SLO: as.slo, Period: c.budgetPeriod}
	st.budget, err = steadystate.BudgetConsumption(budget, dlE, c.get("run-experiment-availability").Window(from, to),
		c.get("run-control-availability").Window(from, to), week*float64(c.budgetPeriod)/float64(7*24*time.Hour))
	if err != nil {
		return nil, fmt.Errorf("step 6: %v", err)
	}
	ctlAv := c.get("run-control-availability").Window(from, to)
	st.ctlBudget, err = steadystate.BudgetConsumption(budget, dlC, ctlAv, ctlAv, st.budget.PeriodRequests)
	if err != nil {
		return nil, fmt.Errorf("step 6: %v", err)
	}
	return st, nil
}

// monitorAlpha is the monitor's false-stop rate, defaults applied.
func (st *demoSteps) monitorAlpha() float64 {
	if st.monCfg.Alpha == 0 {
		return steadystate.DefaultMonitorAlpha
	}
	return st.monCfg.Alpha
}

// monitorNoisy says whether the monitor of metric i stopped on the
// history's fault-free days significantly more often than its alpha: the
// one-sided exact binomial test P(X >= stops), X ~ Binomial(days, alpha),
// at level alpha.
func (st *demoSteps) monitorNoisy(i int) bool {
	a := st.monitorAlpha()
	return st.monAAStopped[i] > 0 && compare.Significant(compare.BinomialUpperTail(st.monAAStopped[i], st.monAADays, a), a)
}

type demoFlags struct {
	out    string
	format formatFlag
	as     demoAssumptions
}

// demoNumber is a flag holding a number >= 0 (or in (0, 1) for a share).
type demoNumber struct {
	x     *float64
	share bool
}

func (f demoNumber) String() string {
	if f.x == nil {
		return ""
	}
	return strconv.FormatFloat(*f.x, 'g', -1, 64)
}

func (f demoNumber) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0):
		return fmt.Errorf("not a number")
	case f.share && !(x > 0 && x < 1):
		return fmt.Errorf("want a share in (0, 1), such as 0.9995")
	case x < 0:
		return fmt.Errorf("want a number >= 0")
	}
	*f.x = x
	return nil
}

func runDemo(e *env, args []string) int {
	c, err := loadDemo(demoFS)
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat demo: the embedded data is broken: %v\n", err)
		return exitUsage
	}
	f := demoFlags{format: formatFlag{"text"}, as: demoAssumptions{
		unitRevenue: c.sc.UnitRevenue, engineeringHours: c.sc.EngineeringHours, hourlyCost: c.sc.HourlyCost, slo: c.sc.SLO,
	}}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&f.out, "out", "", "")
	fs.Var(&f.format, "format", "")
	fs.Var(demoNumber{x: &f.as.unitRevenue}, "unit-revenue", "")
	fs.Var(demoNumber{x: &f.as.engineeringHours}, "engineering-hours", "")
	fs.Var(demoNumber{x: &f.as.hourlyCost}, "hourly-cost", "")
	fs.Var(demoNumber{x: &f.as.slo, share: true}, "slo", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			demoUsage(e.stdout)
			return exitOK
		}
		return usageError(e, "demo", "%s", dashes(err))
	}
	if fs.NArg() > 0 {
		return usageError(e, "demo", "unexpected argument %q: the demo takes only flags", fs.Arg(0))
	}
	st, err := runDemoSteps(c, f.as)
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat demo: %v\n", err)
		return exitUsage
	}
	if f.format.f == "json" {
		err = st.writeJSON(e.stdout)
	} else {
		err = st.writeText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat demo: writing the report: %v\n", err)
		return exitUsage
	}
	if f.out != "" {
		files, err := st.writeOut(f.out)
		if err != nil {
			fmt.Fprintf(e.stderr, "chaosstat demo: --out: %v\n", err)
			return exitUsage
		}
		if f.format.f == "text" {
			fmt.Fprintf(e.stdout, "\nwrote %d files to %s: %s\n", len(files), f.out, strings.Join(files, ", "))
		}
	}
	return exitOK
}

// demoJSONParts are the steps' JSON documents, each written by the encoder
// of the step's own command, in step order.
type demoJSONPart struct {
	file string // the --out file name
	key  string // the key in --format json
	b    []byte
}

func (st *demoSteps) jsonParts() ([]demoJSONPart, error) {
	var parts []demoJSONPart
	add := func(file, key string, write func(w io.Writer) error) error {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return fmt.Errorf("%s: %v", file, err)
		}
		parts = append(parts, demoJSONPart{file, key, b.Bytes()})
		return nil
	}
	err := add("1-criteria.json", "criteria", func(w io.Writer) error { return writeJSON(w, st.criteria) })
	for i := range st.aa {
		if err == nil {
			err = add("2-aa-"+demoMetrics[i]+".json", "aa_"+demoMetrics[i], st.aa[i].writeJSON)
		}
	}
	if err == nil {
		err = add("3-baseline.json", "baseline", st.baseline.writeJSON)
	}
	if err == nil && st.judgeWindow > 0 {
		err = add("4-judge.json", "judge", func(w io.Writer) error { return writeJudgeJSON(w, &st.verdict, st.judgeFiles) })
	}
	for i, ds := range st.monitor {
		if err != nil {
			break
		}
		out := struct {
			Metric            string        `json:"metric"`
			Stopped           bool          `json:"stopped"`
			HistoryDays       int           `json:"history_days"`
			HistoryFalseStops int           `json:"history_false_stops"`
			HistoryP          jsonFloat     `json:"history_false_stop_p_value"` // P(X >= stops), X ~ Binomial(days, alpha)
			Decisions         []monitorJSON `json:"decisions"`
		}{Metric: demoMetrics[i], Stopped: ds[len(ds)-1].Action == steadystate.Stop, Decisions: []monitorJSON{},
			HistoryDays: st.monAADays, HistoryFalseStops: st.monAAStopped[i],
			HistoryP: jsonFloat(compare.BinomialUpperTail(st.monAAStopped[i], st.monAADays, st.monitorAlpha()))}
		for _, d := range ds {
			out.Decisions = append(out.Decisions, monitorJSONOf(d))
		}
		err = add("5-monitor-"+demoMetrics[i]+".json", "monitor_"+demoMetrics[i], func(w io.Writer) error { return writeJSON(w, out) })
	}
	if err == nil {
		err = add("6-cost.json", "cost", func(w io.Writer) error { return writeJSON(w, st.costJSON()) })
	}
	return parts, err
}

// demoCostJSON is step 6 in JSON. Its keys are a contract like the other
// commands': add keys, never rename or remove them.
type demoCostJSON struct {
	Currency          string    `json:"currency"`
	LossFrom          string    `json:"loss_from"`
	LossTo            string    `json:"loss_to"`
	LossMinutes       jsonFloat `json:"loss_minutes"`
	LossRate          jsonFloat `json:"loss_rate_per_minute"` // control − experiment, downloads/min
	LossRateLow       jsonFloat `json:"loss_rate_low"`
	LossRateHigh      jsonFloat `json:"loss_rate_high"`
	LossTest          string    `json:"loss_test"`
	UnitRevenue       jsonFloat `json:"unit_revenue"`
	EngineeringHours  jsonFloat `json:"engineering_hours"`
	HourlyCost        jsonFloat `json:"hourly_cost"`
	LostUnits         jsonFloat `json:"lost_units"`
	Opportunity       jsonFloat `json:"opportunity"`
	Engineering       jsonFloat `json:"engineering"`
	Total             jsonFloat `json:"total"`
	TotalHigh         jsonFloat `json:"total_high"` // at the loss rate's upper bound
	SLO               jsonFloat `json:"slo"`
	BudgetPeriodHours jsonFloat `json:"budget_period_hours"`
	BudgetMinutes     jsonFloat `json:"budget_minutes"`
	PeriodRequests    jsonFloat `json:"period_requests"`
	AllowedFailures   jsonFloat `json:"allowed_failures"`
	RunRequests       jsonFloat `json:"run_requests"`
	RunFailed         jsonFloat `json:"run_failed"`
	RunExcessFailed   jsonFloat `json:"run_excess_failed"`
	BudgetShare       jsonFloat `json:"budget_share"`
	ExcessBudgetShare jsonFloat `json:"excess_budget_share"`
	DowntimeSeconds   jsonFloat `json:"equivalent_downtime_seconds"`
	ExcessDowntimeSec jsonFloat `json:"excess_equivalent_downtime_seconds"`
	BadMinutes        int       `json:"bad_minutes"`
	Minutes           int       `json:"minutes"`
	ControlRequests   jsonFloat `json:"control_run_requests"`
	ControlFailed     jsonFloat `json:"control_run_failed"`
	ControlBadMinutes int       `json:"control_bad_minutes"`
}

func (st *demoSteps) costJSON() demoCostJSON {
	u := st.budget
	return demoCostJSON{
		Currency: st.c.sc.Currency, LossFrom: st.lossFrom.Format(time.RFC3339), LossTo: st.lossTo.Format(time.RFC3339),
		LossMinutes: jsonFloat(st.cost.Inputs.Duration.Minutes()),
		LossRate:    jsonFloat(-st.loss.Shift.Estimate), LossRateLow: jsonFloat(-st.loss.Shift.High), LossRateHigh: jsonFloat(-st.loss.Shift.Low),
		LossTest:    st.loss.Test,
		UnitRevenue: jsonFloat(st.cost.Inputs.UnitRevenue), EngineeringHours: jsonFloat(st.cost.Inputs.EngineeringHours),
		HourlyCost: jsonFloat(st.cost.Inputs.HourlyCost), LostUnits: jsonFloat(st.cost.LostUnits),
		Opportunity: jsonFloat(st.cost.Opportunity), Engineering: jsonFloat(st.cost.Engineering),
		Total: jsonFloat(st.cost.Total), TotalHigh: jsonFloat(st.high.Total),
		SLO: jsonFloat(u.Budget.SLO), BudgetPeriodHours: jsonFloat(st.c.budgetPeriod.Hours()),
		BudgetMinutes: jsonFloat(u.Budget.Downtime().Minutes()), PeriodRequests: jsonFloat(u.PeriodRequests),
		AllowedFailures: jsonFloat(u.Allowed), RunRequests: jsonFloat(u.Requests), RunFailed: jsonFloat(u.Failed),
		RunExcessFailed: jsonFloat(u.Excess), BudgetShare: jsonFloat(u.Share), ExcessBudgetShare: jsonFloat(u.ExcessShare),
		DowntimeSeconds: jsonFloat(u.Downtime.Seconds()), ExcessDowntimeSec: jsonFloat(u.ExcessDowntime.Seconds()),
		BadMinutes: u.BadMinutes, Minutes: u.Minutes,
		ControlRequests: jsonFloat(st.ctlBudget.Requests), ControlFailed: jsonFloat(st.ctlBudget.Failed), ControlBadMinutes: st.ctlBudget.BadMinutes,
	}
}

// writeJSON writes one JSON document of all the steps, each under its key.
func (st *demoSteps) writeJSON(w io.Writer) error {
	parts, err := st.jsonParts()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("{\n")
	b.WriteString(`  "synthetic": true,` + "\n")
	fmt.Fprintf(&b, "  \"judge_window\": %s,\n", mustJSON(aaJSONDuration(st.judgeWindow)))
	for i, p := range parts {
		var v json.RawMessage = bytes.TrimSpace(p.b)
		var ind bytes.Buffer
		if err := json.Indent(&ind, v, "  ", "  "); err != nil {
			return fmt.Errorf("%s: %v", p.key, err)
		}
		fmt.Fprintf(&b, "  %q: %s", p.key, ind.Bytes())
		if i < len(parts)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	if !json.Valid(b.Bytes()) {
		return errors.New("the combined document is not valid JSON")
	}
	_, err = w.Write(b.Bytes())
	return err
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only called on types whose encoding cannot fail
	}
	return b
}

// writeOut writes each step's JSON into dir and returns the file names.
func (st *demoSteps) writeOut(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	parts, err := st.jsonParts()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range parts {
		if err := os.WriteFile(filepath.Join(dir, p.file), p.b, 0o644); err != nil {
			return nil, err
		}
		names = append(names, p.file)
	}
	// The figures, one per step but the cost, which has no chart.
	units := map[string]string{"downloads": "downloads/min", "availability": "share of requests", "apdex": "score, 0 to 1"}
	plot := func(file string, draw func(string) error) error {
		if err := draw(filepath.Join(dir, file)); err != nil {
			return fmt.Errorf("%s: %v", file, strings.TrimPrefix(err.Error(), "chart: "))
		}
		names = append(names, file)
		return nil
	}
	// The series are named by their files; the figures name them by
	// what they are.
	sat := st.c.get("week-satisfaction")
	sat.Name = "satisfaction"
	err = plot("1-criteria.svg", func(f string) error {
		return chart.Criteria(f, sat, st.cands, st.criteria, chart.Options{})
	})
	for i, a := range st.aa {
		if err == nil {
			err = plot("2-aa-"+demoMetrics[i]+".svg", func(f string) error { return chart.AA(f, a.r, chart.Options{}) })
		}
	}
	if err == nil {
		err = plot("3-baseline.svg", func(f string) error {
			cur := st.baseline.cur.s
			cur.Name = "the control group's downloads"
			return chart.Baseline(f, st.baseline.b, cur, st.baseline.rep, chart.Options{Unit: units["downloads"]})
		})
	}
	for i, g := range st.judged {
		if err == nil {
			err = plot("4-judge-"+demoMetrics[i]+".svg", func(f string) error {
				ctl, exp := g[0], g[1]
				ctl.Name, exp.Name = demoMetrics[i], demoMetrics[i]
				return chart.Compare(f, ctl, exp, st.verdict.Metrics[i].Result, chart.Options{Unit: units[demoMetrics[i]]})
			})
		}
	}
	for i, ds := range st.monitor {
		if err == nil {
			err = plot("5-monitor-"+demoMetrics[i]+".svg", func(f string) error {
				return chart.Monitor(f, ds, chart.Options{Unit: units[demoMetrics[i]]})
			})
		}
	}
	return names, err
}

// demoPct formats a share as a percentage with 3 significant digits.
func demoPct(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(roundSig(100*x, 3), 'f', -1, 64) + "%"
}

// demoShare formats a share as a percentage with all its digits (99.95%).
func demoShare(x float64) string {
	return strconv.FormatFloat(roundSig(100*x, 10), 'f', -1, 64) + "%"
}

func demoMoney(x float64, currency string) string {
	return strconv.FormatFloat(x, 'f', 2, 64) + " " + currency
}

// writeText writes the narrated report.
func (st *demoSteps) writeText(w io.Writer) error {
	c := st.c
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	step := func(n int, title string) { p("\n== Step %d of 6: %s ==\n\n", n, title) }
	day := func(t time.Time) string { return t.UTC().Format("Monday 2006-01-02") }
	clock := func(t time.Time) string { return t.UTC().Format("15:04") }
	hist := c.get("history-control-downloads")
	histFrom, histTo := time.UnixMilli(hist.T[0]).UTC(), time.UnixMilli(hist.T[len(hist.T)-1]).Add(time.Minute).UTC()

	p("chaosstat demo: the whole method on one case study\n\n")
	p("The data is SYNTHETIC: written by a seeded generator (cmd/chaosstat/demodata/gen.go) modelled on\n")
	p("the case study behind chaosstat, never measured. Every number below is computed by chaosstat on\n")
	p("it as you watch.\n\n")
	p("The service: %s with an SLA of %s availability. Weighted DNS\n", c.sc.Service, demoShare(c.sc.SLO))
	p("splits its traffic 96%% main / 2%% control / 2%% experiment. On %s one instance\n", day(c.runStart))
	p("of the experiment group is killed every %s from %s to %s UTC. Candidate steady-state\n", compare.ShortDuration(c.killEvery), clock(c.runStart), clock(c.runEnd))
	p("metrics: downloads per minute (business), availability and Apdex (system). History: %d days\n", int(histTo.Sub(histFrom).Hours()/24))
	p("before the run, %s to %s, one point a minute per group.\n", histFrom.Format("2006-01-02"), histTo.Format("2006-01-02"))

	// Step 1.
	step(1, "choose the metrics: the three criteria")
	sat := c.get("week-satisfaction")
	p("Each candidate, measured on the whole service over the last week of history\n(%s), against customer satisfaction: the share\n", critSpan(sat))
	p("of client sessions that finished a download without a retry or an abandonment. A steady-state\n")
	p("metric must move with it, be there in near real time, and be complete.\n\n")
	if err := st.criteria.WriteText(&b); err != nil {
		return err
	}
	var pass, fail []string
	for _, r := range st.criteria.Metrics {
		if r.Pass {
			pass = append(pass, r.Name)
		} else {
			fail = append(fail, r.Name)
		}
	}
	p("\n=> meet all three criteria: %s; fail some: %s.\n", demoList(pass), demoList(fail))
	p("   A metric that fails can still guard the run when a contract is written on it (the SLA is on\n")
	p("   availability): the hypothesis below keeps all three, availability as critical.\n")

	// Step 2.
	step(2, "is the split valid? The A/A replay")
	p("Before any fault the two 2%% groups should look alike. The team compared them every %s. The\n", compare.ShortDuration(c.planned))
	p("A/A replay cuts the %d days of history into windows of each length, runs the comparison the\n", int(histTo.Sub(histFrom).Hours()/24))
	p("experiment will use (Mann-Whitney, alpha 0.05) in every window, and counts the differences\n")
	p("found where there are none.\n")
	for i, a := range st.aa {
		p("\n--- %s\n\n", demoMetrics[i])
		if err := a.writeText(&b); err != nil {
			return err
		}
	}
	p("\n=> at the planned %s:\n", compare.ShortDuration(c.planned))
	for i, a := range st.aa {
		l, _ := a.r.Length(c.planned)
		rec := "none valid"
		if a.r.Recommended > 0 {
			r, _ := a.r.Length(a.r.Recommended)
			rec = fmt.Sprintf("recommended %s (smallest detectable drop there %s)", compare.ShortDuration(a.r.Recommended), demoMDE(r.MDE))
		}
		p("   %-12s %-14s %4d of %4d windows false positives (%s); %s\n", demoMetrics[i], strings.ToUpper(l.Status.String()),
			l.FalsePositives, l.Tested, demoPct(l.Rate), rec)
	}
	if st.judgeWindow > 0 {
		p("   The hypothesis is judged over %s, the longest of the recommended windows, valid for every metric.\n", compare.ShortDuration(st.judgeWindow))
	} else {
		p("   %s.\n", st.judgeReason)
	}

	// Step 3.
	step(3, "the control's week-over-week baseline")
	p("Is the day of the run an ordinary day? The control group's downloads on %s against the\n", c.runStart.Format("2006-01-02"))
	p("same minutes of the %d weeks before (median and robust spread per time-of-week slot):\n\n", st.baseline.b.Weeks)
	if err := st.baseline.writeText(&b); err != nil {
		return err
	}

	// Step 4.
	step(4, "the hypothesis, judged at a valid window")
	if st.judgeWindow == 0 {
		p("Not judged: %s.\n", st.judgeReason)
	} else {
		p("demodata/hypothesis.yaml, judged on the groups' data from %s to %s UTC\n",
			st.judgeFrom.Format("2006-01-02 15:04"), st.judgeTo.Format("2006-01-02 15:04"))
		p("(%s, the run %s-%s inside it), with the comparison the A/A replay validated:\n\n",
			compare.ShortDuration(st.judgeTo.Sub(st.judgeFrom)), clock(c.runStart), clock(c.runEnd))
		if err := st.verdict.WriteText(&b); err != nil {
			return err
		}
		var mdes []string
		for i, a := range st.aa {
			if l, ok := a.r.Length(st.judgeWindow); ok {
				mdes = append(mdes, demoMetrics[i]+" "+demoMDE(l.MDE))
			}
		}
		p("\n=> %s. Read it with the A/A replay's smallest detectable drops at %s (80%% power):\n", st.verdict.Outcome, compare.ShortDuration(st.judgeWindow))
		p("   %s. A smaller harm is not expected to show at this window.\n", strings.Join(mdes, ", "))
	}

	// Step 5.
	step(5, "the emergency stop, replayed on the run")
	p("A monitor watches each metric minute by minute from %s to %s and stops the run when the\n", clock(c.runStart), clock(c.runEnd))
	p("experiment group is worse than the control: an always-valid sequential test (false-stop rate\n")
	p("%s over the whole run) and a guardrail, more than %s below the control for %d minutes.\n\n",
		strconv.FormatFloat(st.monitorAlpha(), 'g', -1, 64), demoPct(demoMaxDrop), demoSustain)
	for i, ds := range st.monitor {
		d := ds[len(ds)-1]
		if d.Action == steadystate.Stop {
			p("%-12s STOP at %s after %d looks (%s): %s\n", demoMetrics[i], clock(time.UnixMilli(d.T)), d.Looks, d.Cause, d.Reason)
		} else {
			p("%-12s no stop in %d looks: %s\n", demoMetrics[i], d.Looks, d.Reason)
		}
	}
	p("\nThe same monitor on the %d days of history, %s to %s, when nothing was injected, stopped:\n", st.monAADays, clock(c.runStart), clock(c.runEnd))
	for i, n := range st.monAAStopped {
		p("%-12s %d of %d days\n", demoMetrics[i], n, st.monAADays)
	}
	var stops, noisy []string
	for i, ds := range st.monitor {
		if d := ds[len(ds)-1]; d.Action == steadystate.Stop {
			stops = append(stops, fmt.Sprintf("%s at %s", demoMetrics[i], clock(time.UnixMilli(d.T))))
		}
		if st.monitorNoisy(i) {
			noisy = append(noisy, demoMetrics[i])
		}
	}
	if len(stops) > 0 {
		p("\n=> the emergency stop would have halted the run: %s.\n", strings.Join(stops, ", "))
	} else {
		p("\n=> the emergency stop would have let the whole run go on.\n")
	}
	if len(noisy) > 0 {
		p("   But on fault-free days it stopped %s significantly more often than its %s\n", demoList(noisy), strconv.FormatFloat(st.monitorAlpha(), 'g', -1, 64))
		p("   (one-sided binomial test at that level): on this split the monitor of those metrics stops\n")
		p("   for the split's wander as well as for harm, as step 2 warned, and its stop is not evidence.\n")
	}

	// Step 6.
	step(6, "what the run cost")
	cost, u := st.cost, st.budget
	cur := c.sc.Currency
	p("Chaos cost = opportunity-loss rate x unit revenue x duration + engineering hours x hourly cost.\n")
	p("The loss rate is the control's downloads per minute minus the experiment's, paired minute by\n")
	p("minute (%s test), from %s to %s UTC", st.loss.Test, st.lossFrom.Format("2006-01-02 15:04"), st.lossTo.Format("2006-01-02 15:04"))
	if st.judgeWindow > 0 {
		p(",\nthe %s window the A/A replay found valid", compare.ShortDuration(st.judgeWindow))
	}
	p(": %s downloads/min, %s interval\n[%s, %s].", num(roundSig(-st.loss.Shift.Estimate, 4)), demoPct(st.loss.Confidence),
		num(roundSig(-st.loss.Shift.High, 4)), num(roundSig(-st.loss.Shift.Low, 4)))
	if -st.loss.Shift.Estimate < 0 {
		p(" The estimate is a gain, which does not pay for the run: counted as 0.")
	}
	p("\n")
	if st.judgeWindow > 0 {
		p("(Over the run's %s alone: %s [%s, %s] downloads/min", compare.ShortDuration(c.runEnd.Sub(c.runStart)), num(roundSig(-st.runLoss.Shift.Estimate, 4)),
			num(roundSig(-st.runLoss.Shift.High, 4)), num(roundSig(-st.runLoss.Shift.Low, 4)))
		if l, ok := st.aa[0].r.Length(c.runEnd.Sub(c.runStart)); ok {
			p("; the A/A replay found that length %s for downloads", l.Status)
		}
		p(".)\n")
	}
	p("Assumptions (demodata/scenario.json, or the flags): %s a download, %s engineering hours at %s.\n\n",
		demoMoney(cost.Inputs.UnitRevenue, cur), strconv.FormatFloat(cost.Inputs.EngineeringHours, 'g', -1, 64), demoMoney(cost.Inputs.HourlyCost, cur))
	p("  opportunity  %s downloads lost x %s = %s\n", num(roundSig(cost.LostUnits, 4)), demoMoney(cost.Inputs.UnitRevenue, cur), demoMoney(cost.Opportunity, cur))
	p("  engineering  %s h x %s = %s\n", strconv.FormatFloat(cost.Inputs.EngineeringHours, 'g', -1, 64), demoMoney(cost.Inputs.HourlyCost, cur), demoMoney(cost.Engineering, cur))
	p("  chaos cost   %s (at most %s at the loss rate's upper bound)\n\n", demoMoney(cost.Total, cur), demoMoney(st.high.Total, cur))
	p("Error budget: %s availability over %s allows %s of the period's requests to fail, %s of\n",
		demoShare(u.Budget.SLO), demoDays(c.budgetPeriod), demoShare(1-u.Budget.SLO), u.Budget.Downtime())
	p("complete outage. The month's requests, from the last week of history: %s, so %s failures.\n", num(roundSig(u.PeriodRequests, 4)), num(roundSig(u.Allowed, 4)))
	p("  the experiment group over the run: %s requests, %s failed (%d of %d minutes below the SLO)\n",
		num(u.Requests), num(roundSig(u.Failed, 4)), u.BadMinutes, u.Minutes)
	p("  the control group, the same minutes: %s requests, %s failed (%d of %d minutes below the SLO)\n",
		num(st.ctlBudget.Requests), num(roundSig(st.ctlBudget.Failed, 4)), st.ctlBudget.BadMinutes, st.ctlBudget.Minutes)
	p("  budget spent by the group:          %s of the month's (%s of outage)\n", demoPct(u.Share), u.Downtime.Round(time.Millisecond))
	p("  of which above the control's rate:  %s failures, %s of the budget (%s): what the faults cost\n",
		num(roundSig(u.Excess, 4)), demoPct(u.ExcessShare), u.ExcessDowntime.Round(time.Millisecond))

	p("\n== In short ==\n\n")
	p("%-17s meet all three: %s; fail some: %s\n", "1 criteria", demoList(pass), demoList(fail))
	var aaShort []string
	for i, a := range st.aa {
		l, _ := a.r.Length(c.planned)
		aaShort = append(aaShort, demoMetrics[i]+" "+l.Status.String())
	}
	p("%-17s %s; judged at %s\n", "2 split at "+compare.ShortDuration(c.planned), strings.Join(aaShort, ", "), demoOr(st.judgeWindow))
	p("%-17s the control's day is %s\n", "3 baseline", st.baseline.verdict())
	if st.judgeWindow > 0 {
		p("4 hypothesis      %s (score %s)\n", st.verdict.Outcome, num(st.verdict.Score))
	} else {
		p("4 hypothesis      not judged: no valid window\n")
	}
	if len(stops) > 0 {
		p("5 emergency stop  would have stopped the run: %s", strings.Join(stops, ", "))
	} else {
		p("5 emergency stop  no stop")
	}
	if len(noisy) > 0 {
		p(" (fires on fault-free days too: %s)", strings.Join(noisy, ", "))
	}
	p("\n6 cost            %s; %s of the month's error budget spent\n", demoMoney(cost.Total, cur), demoPct(u.Share))

	_, err := io.WriteString(w, b.String())
	return err
}

// demoMDE formats a minimum detectable drop. compare.AA searches it in
// [0.001, 0.95]: at the bottom of the range the drop found is an upper
// bound, "<= 0.1%".
func demoMDE(x float64) string {
	if x <= 0.001 {
		return "<= " + aaPct(0.001)
	}
	return aaMDE(x)
}

// demoOr formats a window length, "none" for 0.
func demoOr(d time.Duration) string {
	if d == 0 {
		return "none"
	}
	return compare.ShortDuration(d)
}

func demoList(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// demoDays formats a period in days when it is whole days.
func demoDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	return d.String()
}
