package workflow

import (
	"errors"
	"fmt"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// Inputs are what Run needs: a team's series by the role each plays in the
// method, the experiment's plan and the business's assumptions. Series are
// in memory: read them with package series, prom, or ReadCaseStudy.
//
// The control and experiment groups are two small, equal shares of the
// service's traffic (say 2% each); the rest of the traffic is the main
// group. History is a stretch of days before the run when nothing was
// injected; the run series cover the run and, around it, at least the
// window the hypothesis is judged over (a whole day is enough for windows
// up to 24h).
type Inputs struct {
	// Satisfaction is customer satisfaction over the criteria's period,
	// such as the share of sessions that ended well (step 1).
	Satisfaction series.Series
	// Metrics are the candidate steady-state metrics, in report order.
	Metrics []MetricSeries
	// Requests names the metric of Metrics that counts requests, each a
	// unit of revenue (downloads per minute): the baseline (step 3), the
	// loss rate (step 6) and the error budget's request counts use it.
	Requests string
	// Availability names the metric of Metrics that is the share of
	// requests served without error, for the error budget (step 6).
	Availability string
	// MainRequests is Requests' metric on the main group over at least the
	// week before the run's day: with the groups' history it gives the
	// requests of the budget's period (step 6).
	MainRequests series.Series
	// Hypothesis is the steady-state hypothesis judged in step 4, parsed
	// (steadystate.ParseHypothesis) or built in Go; its Sources, if any,
	// only name each metric's data in the report.
	Hypothesis steadystate.Plan
	// HypothesisData is each metric of Hypothesis's data, in its order:
	// Run judges the part inside the judged window.
	HypothesisData []steadystate.Data
	Plan           Plan
	Assumptions    Assumptions
	// Synthetic says the data is made up, not measured; the report says so.
	Synthetic bool
}

// MetricSeries are one candidate metric's series.
type MetricSeries struct {
	// Name is the metric's name in the report, such as "downloads".
	Name string
	// Week is the metric on the main group over the criteria's period, the
	// same as Inputs.Satisfaction's (step 1).
	Week series.Series
	// ControlHistory and ExperimentHistory are the groups before the run,
	// nothing injected: the A/A replay (step 2), the baseline (step 3) and
	// the monitor's false stops (step 5) are measured on them.
	ControlHistory, ExperimentHistory series.Series
	// ControlRun and ExperimentRun are the groups on the day of the run.
	ControlRun, ExperimentRun series.Series
	// Counts says the values are counts per interval (requests): the A/A
	// replay then checks the sample ratio as well.
	Counts bool
}

// Plan is the experiment's plan.
type Plan struct {
	// Start and End bound the run: faults are injected in [Start, End).
	Start, End time.Time
	// Planned is the window length the team planned to compare the groups
	// over; Windows are the lengths the A/A replay tries (Planned is added
	// when missing; empty means compare.DefaultAAWindows).
	Planned time.Duration
	Windows []time.Duration
	// Monitor is the emergency stop's configuration (step 5), used as
	// given: its zero value is monitor's defaults, a two-sided test and no
	// guardrail.
	Monitor monitor.Config
	// Service and KillEvery (the fault's interval, 0 for none) describe
	// the run for a report's reader; Run does not use them.
	Service   string
	KillEvery time.Duration
}

// Assumptions are the business's figures the cost is computed from: they
// are not in the data.
type Assumptions struct {
	// UnitRevenue is the revenue of one request of Inputs.Requests, in
	// Currency; EngineeringHours the people's hours the run takes, and
	// HourlyCost the cost of one of them.
	UnitRevenue, EngineeringHours, HourlyCost float64
	Currency                                  string
	// SLO is the availability objective, in (0, 1), over BudgetPeriod.
	SLO          float64
	BudgetPeriod time.Duration
}

// ErrInputs is wrapped by the errors of Run about its inputs: a role that
// names no metric, a hypothesis without data, a run that does not end
// after it starts.
var ErrInputs = errors.New("workflow: bad inputs")

// Metric returns the metric of in.Metrics named name, nil when none is.
func (in *Inputs) Metric(name string) *MetricSeries {
	for i := range in.Metrics {
		if in.Metrics[i].Name == name {
			return &in.Metrics[i]
		}
	}
	return nil
}

// Candidates are the metrics as step 1 evaluates them: each its Week.
func (in *Inputs) Candidates() []criteria.Candidate {
	cands := make([]criteria.Candidate, len(in.Metrics))
	for i, m := range in.Metrics {
		cands[i] = criteria.Candidate{Name: m.Name, Series: m.Week}
	}
	return cands
}

func (in *Inputs) check() error {
	switch {
	case len(in.Metrics) == 0:
		return fmt.Errorf("%w: no metric", ErrInputs)
	case !in.Plan.End.After(in.Plan.Start):
		return fmt.Errorf("%w: the run ends at %v, not after its start %v", ErrInputs, in.Plan.End, in.Plan.Start)
	case len(in.HypothesisData) != len(in.Hypothesis.Hypothesis.Metrics):
		return fmt.Errorf("%w: %d metrics in the hypothesis, data for %d", ErrInputs,
			len(in.Hypothesis.Hypothesis.Metrics), len(in.HypothesisData))
	case len(in.Hypothesis.Sources) != 0 && len(in.Hypothesis.Sources) != len(in.HypothesisData):
		return fmt.Errorf("%w: %d sources in the hypothesis, data for %d", ErrInputs,
			len(in.Hypothesis.Sources), len(in.HypothesisData))
	}
	for _, role := range []struct{ field, name string }{{"Requests", in.Requests}, {"Availability", in.Availability}} {
		if in.Metric(role.name) == nil {
			return fmt.Errorf("%w: %s names %q, which is not one of the metrics", ErrInputs, role.field, role.name)
		}
	}
	return nil
}
