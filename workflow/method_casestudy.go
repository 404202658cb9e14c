package workflow

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// caseScenario is a case study's scenario.json.
type caseScenario struct {
	Service          string   `json:"service"`
	Synthetic        bool     `json:"synthetic"`
	Metrics          []string `json:"metrics"`
	Requests         string   `json:"requests"`
	Availability     string   `json:"availability"`
	SLO              float64  `json:"slo"`
	BudgetPeriod     string   `json:"budget_period"`
	RunStart         string   `json:"run_start"`
	RunEnd           string   `json:"run_end"`
	KillEvery        string   `json:"kill_every"`
	PlannedWindow    string   `json:"planned_window"`
	Windows          []string `json:"windows"`
	MonitorMaxDrop   float64  `json:"monitor_max_drop"`
	MonitorSustain   int      `json:"monitor_sustain"`
	Currency         string   `json:"currency"`
	UnitRevenue      float64  `json:"unit_revenue"`
	EngineeringHours float64  `json:"engineering_hours"`
	HourlyCost       float64  `json:"hourly_cost"`
}

// ReadCaseStudy reads the case study in directory dir of fsys, laid out as
// cmd/chaosstat/demodata (the data of `chaosstat demo`), into Run's inputs:
//
//	scenario.json                the plan and the assumptions (below)
//	hypothesis.yaml              the hypothesis; its files name series of dir
//	week-satisfaction            customer satisfaction over the criteria's week
//	week-main-M                  metric M on the main group over that week
//	history-{control,experiment}-M  the groups before the run, no fault
//	run-{control,experiment}-M      the groups on the day of the run
//
// Each series is a gzip-compressed CSV file "timestamp,value", named as
// above with ".csv.gz" and read with series.ReadCSV. scenario.json holds
// the service, synthetic, the metrics M in report order, the requests and
// availability metrics, slo, budget_period, run_start and run_end (RFC
// 3339), kill_every (optional), planned_window, windows, the monitor's
// guardrail (monitor_max_drop below the control for monitor_sustain
// points; harm is a decrease), currency, unit_revenue, engineering_hours
// and hourly_cost; cmd/chaosstat/demodata/README.md describes each. Errors
// name the file.
func ReadCaseStudy(fsys fs.FS, dir string) (Inputs, error) {
	var in Inputs
	file := func(name string) string { return path.Join(dir, name) }
	b, err := fs.ReadFile(fsys, file("scenario.json"))
	if err != nil {
		return in, err
	}
	var sc caseScenario
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return in, fmt.Errorf("%s: %w", file("scenario.json"), err)
	}
	if in.Plan, err = sc.plan(); err != nil {
		return in, fmt.Errorf("%s: %w", file("scenario.json"), err)
	}
	in.Synthetic, in.Requests, in.Availability = sc.Synthetic, sc.Requests, sc.Availability
	in.Assumptions = Assumptions{UnitRevenue: sc.UnitRevenue, EngineeringHours: sc.EngineeringHours,
		HourlyCost: sc.HourlyCost, Currency: sc.Currency, SLO: sc.SLO}
	if in.Assumptions.BudgetPeriod, err = series.ParseDuration(sc.BudgetPeriod); err != nil {
		return in, fmt.Errorf("%s: budget_period: %w", file("scenario.json"), err)
	}

	all, err := readSeriesDir(fsys, dir)
	if err != nil {
		return in, err
	}
	get := func(name string) series.Series {
		s, ok := all[name]
		if !ok && err == nil {
			err = fmt.Errorf("%s.csv.gz: missing", file(name))
		}
		return s
	}
	in.Satisfaction = get("week-satisfaction")
	in.MainRequests = get("week-main-" + sc.Requests)
	for _, m := range sc.Metrics {
		in.Metrics = append(in.Metrics, MetricSeries{
			Name: m, Week: get("week-main-" + m), Counts: m == sc.Requests,
			ControlHistory: get("history-control-" + m), ExperimentHistory: get("history-experiment-" + m),
			ControlRun: get("run-control-" + m), ExperimentRun: get("run-experiment-" + m),
		})
	}
	if err != nil {
		return in, err
	}

	hyp := file("hypothesis.yaml")
	if b, err = fs.ReadFile(fsys, hyp); err != nil {
		return in, err
	}
	plan, err := steadystate.ParseHypothesis(b, hyp)
	if err != nil {
		return in, err
	}
	in.Hypothesis = *plan
	for _, src := range plan.Sources {
		var d [2]series.Series
		for i, s := range []steadystate.Source{src.Control, src.Experiment} {
			name, gz := strings.CutSuffix(s.File, ".csv.gz")
			var found bool
			if d[i], found = all[name]; !gz || !found {
				return in, fmt.Errorf("%s:%d: %s is not a series of %s", hyp, s.Line, s, dir)
			}
		}
		in.HypothesisData = append(in.HypothesisData, steadystate.Data{Control: d[0], Experiment: d[1]})
	}
	return in, nil
}

// plan is the scenario's Plan.
func (sc *caseScenario) plan() (Plan, error) {
	p := Plan{Service: sc.Service, Monitor: monitor.Config{
		Direction:  steadystate.Decrease,
		Guardrails: monitor.MaxChangeGuardrails(steadystate.Decrease, sc.MonitorMaxDrop, sc.MonitorSustain),
	}}
	var err error
	dur := func(key, s string) time.Duration {
		d, e := series.ParseDuration(s)
		if e != nil && err == nil {
			err = fmt.Errorf("%s: %w", key, e)
		}
		return d
	}
	p.Planned = dur("planned_window", sc.PlannedWindow)
	if sc.KillEvery != "" { // optional: no fault at an interval
		p.KillEvery = dur("kill_every", sc.KillEvery)
	}
	for _, w := range sc.Windows {
		p.Windows = append(p.Windows, dur("windows", w))
	}
	for _, t := range []struct {
		key, s string
		t      *time.Time
	}{{"run_start", sc.RunStart, &p.Start}, {"run_end", sc.RunEnd, &p.End}} {
		ms, e := series.ParseTime(t.s)
		v := time.UnixMilli(ms).UTC()
		if e != nil && err == nil {
			err = fmt.Errorf("%s: %w", t.key, e)
		}
		*t.t = v
	}
	return p, err
}

// readSeriesDir reads every .csv.gz file of dir, by name without the
// suffix; each series is named so too.
func readSeriesDir(fsys fs.FS, dir string) (map[string]series.Series, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	all := map[string]series.Series{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".csv.gz")
		if !ok {
			continue
		}
		if all[name], err = readGzipCSV(fsys, path.Join(dir, e.Name())); err != nil {
			return nil, err
		}
		s := all[name]
		s.Name = name
		all[name] = s
	}
	return all, nil
}

func readGzipCSV(fsys fs.FS, file string) (series.Series, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return series.Series{}, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return series.Series{}, fmt.Errorf("%s: %w", file, err)
	}
	return series.ReadCSV(z, file)
}
