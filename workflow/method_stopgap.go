package workflow

// This file holds what the workflow needs of code that is, on this branch,
// still in cmd/chaosstat and is being moved into the library on other
// branches of issue 12. Each piece is marked TODO(merge) with what replaces
// it; none of it is exported.

import (
	"encoding/json"
	"math"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
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

// jsonDuration is a duration written as a Go duration string ("30m0s"), or
// null when zero.
//
// TODO(merge): use format.Duration (branch cmpaa; cmd/chaosstat/aa.go's
// aaJSONDuration here).
type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return []byte("null"), nil
	}
	return json.Marshal(time.Duration(d).String())
}

// aaJSON is `chaosstat aa --format json`.
//
// TODO(merge): AAStep holds a compare.AAReport and its MarshalJSON writes this
// (branch cmpaa; cmd/chaosstat/aa.go's aaJSON here).
type aaJSON struct {
	Valid             bool           `json:"valid"`
	Status            string         `json:"status"`
	PlannedWindow     jsonDuration   `json:"planned_window"`
	RecommendedWindow jsonDuration   `json:"recommended_window"`
	Alpha             format.Float   `json:"alpha"`
	Test              string         `json:"test"`
	MinWindows        int            `json:"min_windows"`
	Windows           []aaJSONWindow `json:"windows"`
	SRM               *aaJSONSRM     `json:"srm"`
	Warnings          []string       `json:"warnings"`
}

type aaJSONWindow struct {
	Window            jsonDuration `json:"window"`
	WindowsInPeriod   int          `json:"windows"`
	WindowsTested     int          `json:"windows_tested"`
	FalsePositives    int          `json:"false_positives"`
	FalsePositiveRate format.Float `json:"false_positive_rate"`
	FPRLow            format.Float `json:"fpr_low"`
	FPRHigh           format.Float `json:"fpr_high"`
	PValue            format.Float `json:"p_value"`
	Valid             bool         `json:"valid"`
	Status            string       `json:"status"`
	SplitSD           format.Float `json:"split_sd"`
	SplitSDBinomial   format.Float `json:"split_sd_binomial"`
	Dispersion        format.Float `json:"dispersion"`
	MDERelative       format.Float `json:"mde_relative"`
	MDETotals         format.Float `json:"mde_totals"`
}

type aaJSONSRM struct {
	ChiSquare        format.Float `json:"chi_square"`
	PValue           format.Float `json:"p_value"`
	Dispersion       format.Float `json:"dispersion"`
	DispersionPValue format.Float `json:"dispersion_p_value"`
	Mismatch         bool         `json:"mismatch"`
	Alpha            format.Float `json:"alpha"`
	Ratio            string       `json:"ratio"`
	ExperimentTotal  format.Float `json:"experiment_total"`
	ControlTotal     format.Float `json:"control_total"`
	ExperimentShare  format.Float `json:"experiment_share"`
	ExpectedShare    format.Float `json:"expected_share"`
	Window           jsonDuration `json:"window"`
	Windows          int          `json:"windows"`
}

func errorStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func aaJSONOf(r compare.AAResult) aaJSON {
	out := aaJSON{
		Valid: r.Status() == compare.Valid, Status: r.Status().String(),
		PlannedWindow: jsonDuration(r.Planned), RecommendedWindow: jsonDuration(r.Recommended),
		Alpha: format.Float(r.Alpha), Test: r.Test, Windows: []aaJSONWindow{}, Warnings: errorStrings(r.Warnings),
	}
	if out.Test == "" {
		out.Test = "mannwhitney" // compare.AA's default, which Run uses
	}
	if s := r.SRM; s != nil {
		out.SRM = &aaJSONSRM{
			ChiSquare: format.Float(s.ChiSquare), PValue: format.Float(s.P),
			Dispersion: format.Float(s.Dispersion), DispersionPValue: format.Float(s.DispersionP),
			Mismatch: s.Mismatch, Alpha: format.Float(s.Alpha), Ratio: s.Ratio.String(),
			ExperimentTotal: format.Float(s.Experiment), ControlTotal: format.Float(s.Control),
			ExperimentShare: format.Float(s.Share), ExpectedShare: format.Float(s.ExpectedShare),
			Window: jsonDuration(s.Window), Windows: s.Windows,
		}
	}
	for _, l := range r.Lengths {
		if l.Length != r.Planned {
			out.Warnings = append(out.Warnings, errorStrings(l.Warnings)...)
		}
		out.MinWindows = l.MinWindows
		out.Windows = append(out.Windows, aaJSONWindow{
			Window: jsonDuration(l.Length), WindowsInPeriod: l.Windows, WindowsTested: l.Tested,
			FalsePositives: l.FalsePositives, FalsePositiveRate: format.Float(l.Rate),
			FPRLow: format.Float(l.Low), FPRHigh: format.Float(l.High), PValue: format.Float(l.P),
			Valid: l.Status == compare.Valid, Status: l.Status.String(),
			SplitSD: format.Float(l.SplitSD), SplitSDBinomial: format.Float(l.SplitSDExpected),
			Dispersion: format.Float(l.Dispersion), MDERelative: format.Float(l.MDE), MDETotals: format.Float(l.MDETotals),
		})
	}
	return out
}

// baselineJSON is `chaosstat baseline --format json`.
//
// TODO(merge): BaselineStep holds the *baseline.Report of baseline.Judge and its
// MarshalJSON writes this (branch blcrit; cmd/chaosstat/baseline.go's
// jsonBaseline here).
type baselineJSON struct {
	Verdict              string          `json:"verdict"`
	Deviations           []deviationJSON `json:"deviations"`
	FractionOutside      format.Float    `json:"fraction_outside"`
	FalseAlarmRatePerDay format.Float    `json:"false_alarm_rate_per_day"`
	FalseAlarmUpper95    format.Float    `json:"false_alarm_rate_upper_95"`
	FalseAlarmDays       format.Float    `json:"false_alarm_days"`
	Judged               int             `json:"judged"`
	Outside              int             `json:"outside"`
	Missing              int             `json:"missing"`
	Unjudged             int             `json:"unjudged"`
	Weeks                int             `json:"weeks"`
	WeeksWithData        int             `json:"weeks_with_data"`
	StepSeconds          float64         `json:"step_seconds"`
	Timezone             string          `json:"timezone"`
	Z                    float64         `json:"z"`
	Persistence          int             `json:"persistence"`
	Warnings             []string        `json:"warnings"`
}

type deviationJSON struct {
	Start      string       `json:"start"`
	End        string       `json:"end"`
	Direction  string       `json:"direction"`
	WorstRatio format.Float `json:"worst_ratio"`
	Points     int          `json:"points"`
}

func baselineJSONOf(s BaselineStep) baselineJSON {
	r, b := s.Report, s.Baseline
	out := baselineJSON{
		Verdict: "steady", Deviations: []deviationJSON{}, FractionOutside: format.Float(r.FractionOutside()),
		FalseAlarmRatePerDay: format.Float(math.NaN()), FalseAlarmUpper95: format.Float(math.NaN()), FalseAlarmDays: format.Float(math.NaN()),
		Judged: r.Judged, Outside: r.Outside, Missing: r.Missing, Unjudged: r.Unjudged,
		Weeks: b.Weeks, WeeksWithData: b.WeeksWithData, StepSeconds: b.Step.Seconds(), Timezone: b.Location.String(),
		Z: r.Rule.Z, Persistence: r.Rule.Persistence, Warnings: errorStrings(r.Warnings),
	}
	if r.Deviated() {
		out.Verdict = "deviated"
	}
	if c := r.Calibration; c != nil {
		out.FalseAlarmRatePerDay, out.FalseAlarmUpper95, out.FalseAlarmDays = format.Float(c.FalseAlarmRatePerDay), format.Float(c.Upper95), format.Float(c.Days)
	}
	for _, d := range r.Deviations {
		out.Deviations = append(out.Deviations, deviationJSON{
			Start: d.Start.Format(time.RFC3339), End: d.End.Format(time.RFC3339),
			Direction: d.Side.String(), WorstRatio: format.Float(d.WorstRatio), Points: d.Points,
		})
	}
	return out
}

// judgeJSON is `chaosstat judge --format json`.
//
// TODO(merge): JudgeStep holds a workflow.JudgeReport and its MarshalJSON
// writes this (branch judge; cmd/chaosstat/judge.go's judgeJSON here).
type judgeJSON struct {
	Hypothesis string            `json:"hypothesis"`
	Verdict    string            `json:"verdict"`
	Reason     string            `json:"reason"`
	Score      format.Float      `json:"score"`
	Confidence format.Float      `json:"confidence"`
	Alpha      format.Float      `json:"alpha"`
	Correction string            `json:"correction"`
	Thresholds judgeJSONThresh   `json:"thresholds"`
	Groups     []judgeJSONGroup  `json:"groups"`
	Metrics    []judgeJSONMetric `json:"metrics"`
}

type judgeJSONThresh struct {
	Pass     format.Float `json:"pass"`
	Marginal format.Float `json:"marginal"`
}

type judgeJSONGroup struct {
	Name    string       `json:"name"`
	Weight  format.Float `json:"weight"`
	Score   format.Float `json:"score"`
	Passing format.Float `json:"passing"`
	Judged  format.Float `json:"judged"`
}

type judgeJSONMetric struct {
	Name              string          `json:"name"`
	Kind              string          `json:"kind"`
	Unit              string          `json:"unit"`
	Group             string          `json:"group"`
	Critical          bool            `json:"critical"`
	Direction         string          `json:"direction"`
	Tolerance         format.Float    `json:"tolerance"`
	AbsoluteTolerance format.Float    `json:"absolute_tolerance"`
	Test              string          `json:"test"`
	Classification    string          `json:"classification"`
	Reason            string          `json:"reason"`
	PValue            format.Float    `json:"p_value"`
	AdjustedPValue    format.Float    `json:"adjusted_p_value"`
	Effect            judgeJSONEffect `json:"effect"`
	NControl          int             `json:"n_control"`
	NExperiment       int             `json:"n_experiment"`
	MissingControl    int             `json:"missing_control"`
	MissingExperiment int             `json:"missing_experiment"`
	Autocorrelation   format.Float    `json:"autocorrelation"`
	EffectiveN        format.Float    `json:"effective_n"`
	Control           string          `json:"control"`
	Experiment        string          `json:"experiment"`
	Warnings          []string        `json:"warnings"`
}

type judgeJSONEffect struct {
	Estimate         format.Float `json:"estimate"`
	Low              format.Float `json:"low"`
	High             format.Float `json:"high"`
	Relative         format.Float `json:"relative"`
	RelativeLow      format.Float `json:"relative_low"`
	RelativeHigh     format.Float `json:"relative_high"`
	RelativeInfinite int          `json:"relative_infinite"`
	ControlLevel     format.Float `json:"control_level"`
	Measure          string       `json:"measure"`
}

func judgeJSONOf(v *steadystate.Verdict, names [][2]string) judgeJSON {
	h := v.Hypothesis
	t := h.Thresholds
	if t == (steadystate.Thresholds{}) {
		t = steadystate.DefaultThresholds
	}
	conf := h.Confidence
	if conf == 0 {
		conf = 1 - v.Alpha
	}
	out := judgeJSON{
		Hypothesis: h.Name, Verdict: v.Outcome.String(), Reason: v.Reason, Score: format.Float(v.Score),
		Confidence: format.Float(format.RoundSig(conf, 12)), Alpha: format.Float(v.Alpha), Correction: h.Correction.String(),
		Thresholds: judgeJSONThresh{Pass: format.Float(t.Pass), Marginal: format.Float(t.Marginal)},
		Groups:     []judgeJSONGroup{}, Metrics: []judgeJSONMetric{},
	}
	for _, g := range v.Groups {
		out.Groups = append(out.Groups, judgeJSONGroup{Name: g.Name, Weight: format.Float(g.Weight), Score: format.Float(g.Score),
			Passing: format.Float(g.Passing), Judged: format.Float(g.Judged)})
	}
	for i, r := range v.Metrics {
		m, e := r.Metric, r.Effect
		group := m.Group
		if group == "" {
			group = "default"
		}
		inf := 0
		if math.IsInf(e.Relative, 1) {
			inf = 1
		} else if math.IsInf(e.Relative, -1) {
			inf = -1
		}
		out.Metrics = append(out.Metrics, judgeJSONMetric{
			Name: m.Name, Kind: string(m.Kind), Unit: m.Unit, Group: group, Critical: m.Critical,
			Direction: m.Direction.String(), Tolerance: format.Float(m.Tolerance), AbsoluteTolerance: format.Float(m.AbsoluteTolerance),
			Test: r.Test, Classification: r.Classification.String(), Reason: r.Reason,
			PValue: format.Float(r.P), AdjustedPValue: format.Float(r.AdjustedP),
			Effect: judgeJSONEffect{
				Estimate: format.Float(e.Estimate), Low: format.Float(e.Low), High: format.Float(e.High),
				Relative: format.Float(e.Relative), RelativeLow: format.Float(e.RelativeLow), RelativeHigh: format.Float(e.RelativeHigh),
				RelativeInfinite: inf, ControlLevel: format.Float(e.ControlLevel), Measure: e.Measure,
			},
			NControl: r.NControl, NExperiment: r.NExperiment, MissingControl: r.MissingControl, MissingExperiment: r.MissingExperiment,
			Autocorrelation: format.Float(r.Autocorrelation), EffectiveN: format.Float(r.EffectiveN),
			Control: names[i][0], Experiment: names[i][1], Warnings: errorStrings(r.Warnings),
		})
	}
	return out
}

// decisionJSON is one line of `chaosstat monitor --format json`.
//
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
		VarianceFactor: format.Float(d.VarianceFactor), Baseline: format.Float(d.Baseline), Warnings: errorStrings(d.Warnings),
		Window: decisionWindow{N: d.Window.N, Estimate: format.Float(d.Window.Estimate), Low: format.Float(d.Window.Low),
			High: format.Float(d.Window.High), Confidence: format.Float(d.Window.Confidence)},
	}
	if d.Window.Start != 0 {
		start := time.UnixMilli(d.Window.Start).UTC().Format(time.RFC3339Nano)
		out.Window.Start = &start
	}
	return out
}
