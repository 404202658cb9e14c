package workflow

// This file holds what the workflow needs of code that is, on this branch,
// still in cmd/chaosstat and is being moved into the library on other
// branches of issue 12. Each piece is marked TODO(merge) with what replaces
// it; none of it is exported.

import (
	"math"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// replay feeds a new monitor the looks of ctl and exp merged by time (NaN
// for the group without a value at a time) and returns its decisions up
// to the first stop, included.
//
// TODO(merge): use monitor.Replay (branch monitor; cmd/chaosstat/monitor.go's
// mergePoints here).
func replay(cfg monitor.Config, ctl, exp series.Series) ([]monitor.Decision, error) {
	m, err := monitor.New(cfg)
	if err != nil {
		return nil, err
	}
	var ds []monitor.Decision
	i, j := 0, 0
	for i < len(ctl.T) || j < len(exp.T) {
		t := int64(math.MaxInt64)
		if i < len(ctl.T) {
			t = ctl.T[i]
		}
		if j < len(exp.T) && exp.T[j] < t {
			t = exp.T[j]
		}
		p := monitor.Point{T: t, Control: math.NaN(), Experiment: math.NaN()}
		if i < len(ctl.T) && ctl.T[i] == t {
			p.Control = ctl.V[i]
			i++
		}
		if j < len(exp.T) && exp.T[j] == t {
			p.Experiment = exp.V[j]
			j++
		}
		d, err := m.Add(p)
		if err != nil {
			return nil, err
		}
		if ds = append(ds, d); d.Action == monitor.Stop {
			break
		}
	}
	return ds, nil
}

// TODO(merge): use monitor.Decision's MarshalJSON (branch monitor;
// cmd/chaosstat/monitor.go's monitorJSON here).
type decisionJSON struct {
	Time           string           `json:"time"`
	Action         string           `json:"action"`
	Cause          string           `json:"cause"`
	Reason         string           `json:"reason"`
	Looks          int              `json:"looks"`
	N              int              `json:"n"`
	PValue         format.Float     `json:"p_value"`
	Alpha          format.Float     `json:"alpha"`
	Difference     decisionInterval `json:"difference"`
	Relative       decisionInterval `json:"relative"`
	ControlMean    format.Float     `json:"control_mean"`
	ExperimentMean format.Float     `json:"experiment_mean"`
	VarianceFactor format.Float     `json:"variance_factor"`
	Baseline       format.Float     `json:"baseline"`
	Window         decisionWindow   `json:"window"`
	Warnings       []string         `json:"warnings"`
}

type decisionWindow struct {
	Start      *string      `json:"start"`
	N          int          `json:"n"`
	Estimate   format.Float `json:"estimate"`
	Low        format.Float `json:"low"`
	High       format.Float `json:"high"`
	Confidence format.Float `json:"confidence"`
}

type decisionInterval struct {
	Estimate   format.Float `json:"estimate"`
	Low        format.Float `json:"low"`
	High       format.Float `json:"high"`
	Confidence format.Float `json:"confidence"`
}

func decisionJSONOf(d monitor.Decision) decisionJSON {
	iv := func(i monitor.Interval) decisionInterval {
		return decisionInterval{format.Float(i.Estimate), format.Float(i.Low), format.Float(i.High), format.Float(i.Confidence)}
	}
	out := decisionJSON{
		Time: time.UnixMilli(d.T).UTC().Format(time.RFC3339Nano), Action: d.Action.String(), Cause: d.Cause.String(),
		Reason: d.Reason, Looks: d.Looks, N: d.N, PValue: format.Float(d.P), Alpha: format.Float(d.Alpha),
		Difference: iv(d.Difference), Relative: iv(d.Relative),
		ControlMean: format.Float(d.ControlMean), ExperimentMean: format.Float(d.ExperimentMean),
		VarianceFactor: format.Float(d.VarianceFactor), Baseline: format.Float(d.Baseline), Warnings: format.Errors(d.Warnings),
		Window: decisionWindow{N: d.Window.N, Estimate: format.Float(d.Window.Estimate), Low: format.Float(d.Window.Low),
			High: format.Float(d.Window.High), Confidence: format.Float(d.Window.Confidence)},
	}
	if d.Window.Start != 0 {
		start := time.UnixMilli(d.Window.Start).UTC().Format(time.RFC3339Nano)
		out.Window.Start = &start
	}
	return out
}
