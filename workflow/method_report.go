package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/cost"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// Report is Run's result: every step's, in the method's order. Its JSON
// (MarshalJSON, WriteJSON) is `chaosstat demo --format json`: "synthetic",
// "judge_window", then each step's document under its key (Parts), each
// with the keys of the step's own command. Those keys are a contract with
// notebooks and other tools: add keys, never rename or remove them.
type Report struct {
	// Synthetic is Inputs.Synthetic: the data was made up.
	Synthetic bool
	// Criteria is step 1: the three criteria of each candidate metric.
	Criteria criteria.Report
	// AA is step 2: one A/A replay per metric, in Inputs.Metrics' order.
	AA []AAStep
	// Window is the length the hypothesis is judged at: the longest of the
	// metrics' recommended windows, 0 when a metric has none; NoWindow
	// then says why.
	Window   time.Duration
	NoWindow string
	// Baseline is step 3.
	Baseline BaselineStep
	// Judge is step 4; nil when there is no Window.
	Judge *JudgeStep
	// Monitor is step 5.
	Monitor MonitorStep
	// Cost is step 6.
	Cost CostStep
}

// AAStep is one metric's A/A replay on the history.
type AAStep struct {
	Metric string
	compare.AAReport
}

// BaselineStep is the control group's Requests on the run's day against
// the same hours of past weeks, with the rule's false alarms on the history.
type BaselineStep struct {
	Metric string
	*baseline.Report
}

// JudgeStep is the hypothesis judged over [From, To), the judged window
// that holds the run: the JudgeReport of the hypothesis on each metric's
// data inside the window, its groups named as the hypothesis's Sources
// name them.
type JudgeStep struct {
	From, To time.Time
	JudgeReport
}

// MonitorStep is the emergency stop replayed on the run, and on the
// history's days at the same hours.
type MonitorStep struct {
	// Config is the monitor's configuration, and Alpha its false-stop rate
	// with the default applied.
	Config  monitor.Config
	Alpha   float64
	Metrics []MonitorMetric
}

// MonitorMetric is one metric's monitor.
type MonitorMetric struct {
	Metric string
	// Decisions are the run's looks up to the first stop, included.
	Decisions []monitor.Decision
	// HistoryStops is how many of the HistoryDays days of history (the
	// same hours, nothing injected) the same monitor stopped; HistoryP is
	// P(X >= HistoryStops) for X ~ Binomial(HistoryDays, Alpha), and Noisy
	// says HistoryP <= Alpha (compare.Significant): the monitor stops for the split's wander as
	// well as for harm, and its stop is not evidence.
	HistoryDays, HistoryStops int
	HistoryP                  float64
	Noisy                     bool
}

// Last is the last decision: the stop, or the run's end.
func (m MonitorMetric) Last() monitor.Decision { return m.Decisions[len(m.Decisions)-1] }

// Stopped says the monitor stopped the run.
func (m MonitorMetric) Stopped() bool { return m.Last().Action == monitor.Stop }

// CostStep is what the run cost.
type CostStep struct {
	// Loss is the loss rate of Requests over the judged window (over the
	// run without one); RunLoss over the run alone.
	Loss, RunLoss Loss
	// Cost is at the loss rate (counted as 0 when it is a gain), High at
	// its interval's upper bound.
	Cost, High cost.Cost
	Currency   string
	// Budget is the experiment group's use of the error budget over the
	// run; ControlBudget the control group's, for comparison.
	Budget, ControlBudget cost.BudgetUse
}

// Loss is a loss rate over [From, To): the control's requests per minute
// minus the experiment's, Rate with its interval [Low, High], from Result
// (compare.TimeSeries of experiment against control; its shift negated).
type Loss struct {
	From, To        time.Time
	Rate, Low, High float64
	Result          compare.Result
}

// WriteJSON writes r as one JSON document: `chaosstat demo --format json`.
func (r *Report) WriteJSON(w io.Writer) error { return format.WriteJSON(w, r) }

// MarshalJSON writes r as the object WriteJSON indents.
func (r *Report) MarshalJSON() ([]byte, error) {
	parts, err := r.Parts()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"synthetic":%t,"judge_window":`, r.Synthetic)
	w, _ := format.Duration(r.Window).MarshalJSON()
	b.Write(w)
	for _, p := range parts {
		fmt.Fprintf(&b, ",%q:", p.Key)
		if err := json.Compact(&b, p.JSON); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Key, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Part is one step's JSON document.
type Part struct {
	// Key is its key in the report's JSON: "criteria", "aa_downloads", ...
	Key string
	// File is the file `chaosstat demo --out` writes it to:
	// "1-criteria.json", "2-aa-downloads.json", ...
	File string
	// JSON is the document as format.WriteJSON writes it.
	JSON []byte
}

// WriteParts writes each of Parts into the directory dir, which must
// exist, as its File, and returns the files' names.
func (r *Report) WriteParts(dir string) ([]string, error) {
	parts, err := r.Parts()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range parts {
		if err := os.WriteFile(filepath.Join(dir, p.File), p.JSON, 0o644); err != nil {
			return names, err
		}
		names = append(names, p.File)
	}
	return names, nil
}

// Parts returns each step's JSON document in step order: the criteria, the
// A/A replay of each metric, the baseline, the judge (when there is a
// Window), the monitor of each metric and the cost.
func (r *Report) Parts() ([]Part, error) {
	var parts []Part
	add := func(key, file string, v any) error {
		var b bytes.Buffer
		if err := format.WriteJSON(&b, v); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		parts = append(parts, Part{key, file, b.Bytes()})
		return nil
	}
	err := add("criteria", "1-criteria.json", r.Criteria)
	for _, a := range r.AA {
		if err == nil {
			err = add("aa_"+a.Metric, "2-aa-"+a.Metric+".json", a.AAReport)
		}
	}
	if err == nil {
		err = add("baseline", "3-baseline.json", r.Baseline.Report)
	}
	if err == nil && r.Judge != nil {
		err = add("judge", "4-judge.json", &r.Judge.JudgeReport)
	}
	for _, m := range r.Monitor.Metrics {
		if err == nil {
			err = add("monitor_"+m.Metric, "5-monitor-"+m.Metric+".json", monitorStepJSONOf(m))
		}
	}
	if err == nil {
		err = add("cost", "6-cost.json", r.Cost.json())
	}
	return parts, err
}

// monitorStepJSON is one metric's monitor in JSON.
type monitorStepJSON struct {
	Metric            string             `json:"metric"`
	Stopped           bool               `json:"stopped"`
	HistoryDays       int                `json:"history_days"`
	HistoryFalseStops int                `json:"history_false_stops"`
	HistoryP          format.Float       `json:"history_false_stop_p_value"`
	Decisions         []monitor.Decision `json:"decisions"`
}

func monitorStepJSONOf(m MonitorMetric) monitorStepJSON {
	out := monitorStepJSON{Metric: m.Metric, Stopped: m.Stopped(), HistoryDays: m.HistoryDays,
		HistoryFalseStops: m.HistoryStops, HistoryP: format.Float(m.HistoryP), Decisions: []monitor.Decision{}}
	for _, d := range m.Decisions {
		out.Decisions = append(out.Decisions, d)
	}
	return out
}

// costJSON is step 6 in JSON.
type costJSON struct {
	Currency          string       `json:"currency"`
	LossFrom          string       `json:"loss_from"`
	LossTo            string       `json:"loss_to"`
	LossMinutes       format.Float `json:"loss_minutes"`
	LossRate          format.Float `json:"loss_rate_per_minute"` // control − experiment, requests/min
	LossRateLow       format.Float `json:"loss_rate_low"`
	LossRateHigh      format.Float `json:"loss_rate_high"`
	LossTest          string       `json:"loss_test"`
	UnitRevenue       format.Float `json:"unit_revenue"`
	EngineeringHours  format.Float `json:"engineering_hours"`
	HourlyCost        format.Float `json:"hourly_cost"`
	LostUnits         format.Float `json:"lost_units"`
	Opportunity       format.Float `json:"opportunity"`
	Engineering       format.Float `json:"engineering"`
	Total             format.Float `json:"total"`
	TotalHigh         format.Float `json:"total_high"` // at the loss rate's upper bound
	SLO               format.Float `json:"slo"`
	BudgetPeriodHours format.Float `json:"budget_period_hours"`
	BudgetMinutes     format.Float `json:"budget_minutes"`
	PeriodRequests    format.Float `json:"period_requests"`
	AllowedFailures   format.Float `json:"allowed_failures"`
	RunRequests       format.Float `json:"run_requests"`
	RunFailed         format.Float `json:"run_failed"`
	RunExcessFailed   format.Float `json:"run_excess_failed"`
	BudgetShare       format.Float `json:"budget_share"`
	ExcessBudgetShare format.Float `json:"excess_budget_share"`
	DowntimeSeconds   format.Float `json:"equivalent_downtime_seconds"`
	ExcessDowntimeSec format.Float `json:"excess_equivalent_downtime_seconds"`
	BadMinutes        int          `json:"bad_minutes"`
	Minutes           int          `json:"minutes"`
	ControlRequests   format.Float `json:"control_run_requests"`
	ControlFailed     format.Float `json:"control_run_failed"`
	ControlBadMinutes int          `json:"control_bad_minutes"`
}

func (c *CostStep) json() costJSON {
	u, in := c.Budget, c.Cost.Inputs
	return costJSON{
		Currency: c.Currency, LossFrom: c.Loss.From.Format(time.RFC3339), LossTo: c.Loss.To.Format(time.RFC3339),
		LossMinutes: format.Float(in.Duration.Minutes()), LossRate: format.Float(c.Loss.Rate),
		LossRateLow: format.Float(c.Loss.Low), LossRateHigh: format.Float(c.Loss.High), LossTest: c.Loss.Result.Test,
		UnitRevenue: format.Float(in.UnitRevenue), EngineeringHours: format.Float(in.EngineeringHours),
		HourlyCost: format.Float(in.HourlyCost), LostUnits: format.Float(c.Cost.LostUnits),
		Opportunity: format.Float(c.Cost.Opportunity), Engineering: format.Float(c.Cost.Engineering),
		Total: format.Float(c.Cost.Total), TotalHigh: format.Float(c.High.Total),
		SLO: format.Float(u.Budget.SLO), BudgetPeriodHours: format.Float(u.Budget.Period.Hours()),
		BudgetMinutes: format.Float(u.Budget.Downtime().Minutes()), PeriodRequests: format.Float(u.PeriodRequests),
		AllowedFailures: format.Float(u.Allowed), RunRequests: format.Float(u.Requests), RunFailed: format.Float(u.Failed),
		RunExcessFailed: format.Float(u.Excess), BudgetShare: format.Float(u.Share), ExcessBudgetShare: format.Float(u.ExcessShare),
		DowntimeSeconds: format.Float(u.Downtime.Seconds()), ExcessDowntimeSec: format.Float(u.ExcessDowntime.Seconds()),
		BadMinutes: u.BadMinutes, Minutes: u.Minutes, ControlRequests: format.Float(c.ControlBudget.Requests),
		ControlFailed: format.Float(c.ControlBudget.Failed), ControlBadMinutes: c.ControlBudget.BadMinutes,
	}
}
