package workflow

import (
	"fmt"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/cost"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

const day = 24 * time.Hour

// Run runs the method on in and returns every step's result. The steps, in
// order, and what each decides:
//
//  1. Criteria: which candidate metrics move with customer satisfaction,
//     arrive in near real time and are complete (criteria.EvaluateAll).
//  2. A/A replay: at which window lengths the comparison of the two groups
//     finds no more differences than alpha allows on the history, per
//     metric (compare.AA); the hypothesis is judged over the longest of the
//     recommended windows, so that it is valid for every metric, or not at
//     all when a metric has none.
//  3. Baseline: whether the control group's Requests on the run's day stay
//     in the band of the same hours of past weeks (baseline.Check), with
//     the rule's false-alarm rate on the history.
//  4. Judge: the hypothesis over the judged window, clock-aligned and
//     widened to whole windows until it holds the run (steadystate.Judge).
//  5. Monitor: when the emergency stop would have stopped the run, and how
//     many of the history's days at the same hours it stopped with nothing
//     injected; a one-sided exact binomial test says whether those false
//     stops exceed its alpha.
//  6. Cost: the loss rate of Requests (control minus experiment, paired,
//     compare.TimeSeries) over the judged window, or over the run without
//     one; the chaos cost at it and at its upper bound (cost.Compute); and
//     the share of the period's error budget the run spent, the period's
//     requests scaled from the last week of history (cost.BudgetConsumption).
//
// A step that cannot run is an error naming the step; ErrInputs is wrapped
// when the inputs are inconsistent. Weak answers are warnings in the steps'
// results.
func Run(in Inputs) (*Report, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	r := &Report{Synthetic: in.Synthetic}
	var err error
	for _, step := range []func(*Inputs) error{
		r.runCriteria, r.runAA, r.runBaseline, r.runJudge, r.runMonitor, r.runCost,
	} {
		if err = step(&in); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// runCriteria is step 1.
func (r *Report) runCriteria(in *Inputs) error {
	var err error
	r.Criteria, err = criteria.EvaluateAll(in.Satisfaction, in.Candidates(), time.Time{}, criteria.Options{})
	if err != nil {
		return fmt.Errorf("step 1, criteria: %w", err)
	}
	return nil
}

// runAA is step 2.
func (r *Report) runAA(in *Inputs) error {
	for _, m := range in.Metrics {
		rep, err := compare.RunAA(compare.Group{Name: m.ExperimentHistory.Name, Series: m.ExperimentHistory},
			compare.Group{Name: m.ControlHistory.Name, Series: m.ControlHistory}, compare.DefaultTest, compare.AAOptions{
				Windows: in.Plan.Windows, Planned: in.Plan.Planned, Counts: m.Counts, Ratio: compare.DefaultRatio,
			})
		if err != nil {
			return fmt.Errorf("step 2, A/A replay of %s: %w", m.Name, err)
		}
		r.AA = append(r.AA, AAStep{Metric: m.Name, AAReport: rep})
	}
	// One window for all the hypothesis's metrics: the longest of the
	// recommended ones, so that it is valid for each.
	for _, a := range r.AA {
		if a.Result.Recommended == 0 {
			r.Window = 0
			r.NoWindow = fmt.Sprintf("no window length tried is valid for %s, so no verdict would mean anything", a.Metric)
			break
		}
		r.Window = max(r.Window, a.Result.Recommended)
	}
	return nil
}

// runBaseline is step 3.
func (r *Report) runBaseline(in *Inputs) error {
	m := in.Metric(in.Requests)
	rep, err := baseline.Judge(m.ControlHistory, m.ControlRun, baseline.Options{}, baseline.DeviationRule{})
	if err != nil {
		return fmt.Errorf("step 3, baseline: %w", err)
	}
	rep.History, rep.Current = m.ControlHistory.Name, m.ControlRun.Name
	r.Baseline = BaselineStep{Metric: m.Name, Report: rep}
	return nil
}

// runJudge is step 4.
func (r *Report) runJudge(in *Inputs) error {
	w := r.Window
	if w == 0 {
		return nil
	}
	j := &JudgeStep{JudgeReport: JudgeReport{File: in.Hypothesis.File}}
	j.From = in.Plan.Start.Truncate(w)
	j.To = j.From.Add(w)
	if j.To.Before(in.Plan.End) {
		// A window shorter than the run: judge the whole run, a whole
		// number of valid windows.
		j.To = j.From.Add(((in.Plan.End.Sub(j.From) + w - 1) / w) * w)
	}
	from, to := j.From.UnixMilli(), j.To.UnixMilli()
	data := make([]steadystate.Data, len(in.HypothesisData))
	for i, d := range in.HypothesisData {
		var md MetricData
		md.Control.Series, md.Experiment.Series = d.Control.Window(from, to), d.Experiment.Window(from, to)
		if i < len(in.Hypothesis.Sources) {
			md.Control.Name, md.Experiment.Name = in.Hypothesis.Sources[i].Control.String(), in.Hypothesis.Sources[i].Experiment.String()
		}
		j.Data, data[i] = append(j.Data, md), md.Data()
	}
	var err error
	if j.Verdict, err = steadystate.Judge(in.Hypothesis.Hypothesis, data); err != nil {
		return fmt.Errorf("step 4, judge: %w", err)
	}
	r.Judge = j
	return nil
}

// runMonitor is step 5.
func (r *Report) runMonitor(in *Inputs) error {
	r.Monitor = MonitorStep{Config: in.Plan.Monitor, Alpha: in.Plan.Monitor.Alpha}
	if r.Monitor.Alpha == 0 {
		r.Monitor.Alpha = monitor.DefaultAlpha
	}
	alpha := r.Monitor.Alpha
	start, end := in.Plan.Start, in.Plan.End
	for _, m := range in.Metrics {
		ds, err := replay(in.Plan.Monitor, m.ControlRun.Window(start.UnixMilli(), end.UnixMilli()),
			m.ExperimentRun.Window(start.UnixMilli(), end.UnixMilli()))
		if err != nil {
			return fmt.Errorf("step 5, monitor of %s: %w", m.Name, err)
		}
		if len(ds) == 0 {
			return fmt.Errorf("step 5, monitor of %s: no point in the run", m.Name)
		}
		mm := MonitorMetric{Metric: m.Name, Decisions: ds}

		// The same monitor on the history's days at the same hours, when
		// nothing was injected: how often it stops for nothing.
		if len(m.ControlHistory.T) == 0 {
			return fmt.Errorf("step 5, monitor of %s: no history", m.Name)
		}
		runDay := start.Truncate(day)
		off := start.Sub(runDay)
		for d := time.UnixMilli(m.ControlHistory.T[0]).UTC().Truncate(day); !d.Add(day).After(runDay); d = d.Add(day) {
			a, b := d.Add(off).UnixMilli(), d.Add(off+end.Sub(start)).UnixMilli()
			ds, err := replay(in.Plan.Monitor, m.ControlHistory.Window(a, b), m.ExperimentHistory.Window(a, b))
			if err != nil {
				return fmt.Errorf("step 5, monitor of %s on the history: %w", m.Name, err)
			}
			mm.HistoryDays++
			if len(ds) > 0 && ds[len(ds)-1].Action == monitor.Stop {
				mm.HistoryStops++
			}
		}
		// One-sided exact binomial test of the false stops at alpha.
		mm.HistoryP = compare.BinomialUpperTail(mm.HistoryStops, mm.HistoryDays, alpha)
		mm.Noisy = mm.HistoryStops > 0 && compare.Significant(mm.HistoryP, alpha)
		r.Monitor.Metrics = append(r.Monitor.Metrics, mm)
	}
	return nil
}

// runCost is step 6.
func (r *Report) runCost(in *Inputs) error {
	req := in.Metric(in.Requests)
	av := in.Metric(in.Availability)
	c := &r.Cost
	c.Currency = in.Assumptions.Currency
	// The loss rate is the control's requests per minute minus the
	// experiment's, paired minute by minute with an autocorrelation-robust
	// interval. It is measured over the judged window, which the A/A
	// replay found valid for every metric: over a shorter one the split's
	// wander is measured as much as the fault. Without a valid window,
	// over the run.
	var err error
	if c.RunLoss, err = lossOver(req, in.Plan.Start, in.Plan.End); err != nil {
		return err
	}
	c.Loss = c.RunLoss
	if r.Judge != nil {
		if c.Loss, err = lossOver(req, r.Judge.From, r.Judge.To); err != nil {
			return err
		}
	}
	as := in.Assumptions
	ci := cost.Inputs{
		LossRate: max(0, c.Loss.Rate), UnitRevenue: as.UnitRevenue, Duration: c.Loss.To.Sub(c.Loss.From),
		EngineeringHours: as.EngineeringHours, HourlyCost: as.HourlyCost,
	}
	if c.Cost, err = cost.Compute(ci); err != nil {
		return fmt.Errorf("step 6: %w", err)
	}
	ci.LossRate = max(0, c.Loss.High)
	if c.High, err = cost.Compute(ci); err != nil {
		return fmt.Errorf("step 6: %w", err)
	}

	// The period's requests: the whole service's over the last week of
	// history (main, control and experiment), scaled to the period.
	weekTo := in.Plan.Start.Truncate(day)
	weekFrom := weekTo.Add(-7 * day)
	var week float64
	for _, s := range []series.Series{in.MainRequests, req.ControlHistory, req.ExperimentHistory} {
		n, err := sumWeek(s, weekFrom, weekTo)
		if err != nil {
			return err
		}
		week += n
	}
	from, to := in.Plan.Start.UnixMilli(), in.Plan.End.UnixMilli()
	budget := cost.ErrorBudget{SLO: as.SLO, Period: as.BudgetPeriod}
	ctlAv := av.ControlRun.Window(from, to)
	c.Budget, err = cost.BudgetConsumption(budget, req.ExperimentRun.Window(from, to), av.ExperimentRun.Window(from, to),
		ctlAv, week*float64(as.BudgetPeriod)/float64(7*day))
	if err != nil {
		return fmt.Errorf("step 6: %w", err)
	}
	c.ControlBudget, err = cost.BudgetConsumption(budget, req.ControlRun.Window(from, to), ctlAv, ctlAv, c.Budget.PeriodRequests)
	if err != nil {
		return fmt.Errorf("step 6: %w", err)
	}
	return nil
}

// lossOver is the loss rate of m over [from, to): the control minus the
// experiment, compare.TimeSeries's shift negated.
func lossOver(m *MetricSeries, from, to time.Time) (Loss, error) {
	a, b := from.UnixMilli(), to.UnixMilli()
	res, err := compare.TimeSeries(m.ExperimentRun.Window(a, b), m.ControlRun.Window(a, b), compare.Options{})
	if err != nil {
		return Loss{}, fmt.Errorf("step 6, loss rate: %w", err)
	}
	return Loss{From: from, To: to, Rate: -res.Shift.Estimate, Low: -res.Shift.High, High: -res.Shift.Low, Result: res}, nil
}

// sumWeek is the sum of s over [from, to), which it must cover point by
// point at its own step.
func sumWeek(s series.Series, from, to time.Time) (float64, error) {
	w := s.Window(from.UnixMilli(), to.UnixMilli())
	want := 0
	if len(w.T) > 1 {
		want = int(to.Sub(from) / (time.Duration(w.T[1]-w.T[0]) * time.Millisecond))
	}
	if w.Len() < 2 || w.Len() != want {
		return 0, fmt.Errorf("step 6: %s holds %d points in the last week of history, want one a step over the whole week", s.Name, w.Len())
	}
	var n float64
	for _, v := range w.V {
		n += v
	}
	return n, nil
}

// replay runs a new monitor of cfg over ctl and exp (Monitor.Replay) and
// returns its decisions up to the first stop, included.
func replay(cfg monitor.Config, ctl, exp series.Series) ([]monitor.Decision, error) {
	m, err := monitor.New(cfg)
	if err != nil {
		return nil, err
	}
	run, err := m.Replay(ctl, exp, monitor.ReplayOptions{})
	return run.Decisions, err
}
