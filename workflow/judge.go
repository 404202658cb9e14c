package workflow

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/steadystate"
)

// JudgeOptions says how the sources of a hypothesis file are read. The zero
// value reads files relative to the hypothesis file and refuses queries.
type JudgeOptions struct {
	// Files reads the sources that name a file. Nil means
	// FileSource{Dir: the hypothesis file's folder}.
	Files Source
	// Queries reads the sources that hold a PromQL query, usually a
	// PromSource. Nil makes a query an error wrapping ErrNoQuerySource.
	Queries Source
	// History, when > 0, reads each metric's control and experiment
	// queries again over the History before the window (Queries must be a
	// HistorySource, such as a PromSource: from its start − History to
	// just before its start) as the metric's history before the
	// experiment (steadystate.Data.HistoryControl and
	// HistoryExperiment), unless the metric names history_control and
	// history_experiment itself. The time-series test takes the variance
	// of slow swings from it: 8h (compare.MinHistoryChecked pairs of a
	// minute) for a window of an hour (docs/timeseries.md). 0 reads none; < 0 is a *series.OptionError.
	History time.Duration
}

// JudgeFile judges the hypothesis file at path (YAML or JSON; see
// steadystate.ParseHypothesis and examples/hypothesis/SCHEMA.md) on the data
// its metrics name, as chaosstat judge does: it reads the file, parses it,
// reads each metric's control and experiment with opts (Load) and judges
// them (steadystate.JudgeContext: ctx stops the reads and the judging).
//
// Errors: the file's read error; a *steadystate.ParseError with the line and
// field; a *SourceError with the source's line and field (wrapping
// ErrNoQuerySource for a query without opts.Queries, ErrPartial for an
// incomplete answer, which is inconclusive rather than bad input); Judge's
// error, prefixed with the file's name, which wraps ctx.Err() when ctx was
// done before the verdict. No data is not an error: the metric
// is nodata in the report, and the verdict never held.
func JudgeFile(ctx context.Context, path string, opts JudgeOptions) (*JudgeReport, error) {
	plan, err := ReadPlan(path)
	if err != nil {
		return nil, err
	}
	return JudgePlan(ctx, plan, opts)
}

// ReadPlan reads and parses the hypothesis file at path
// (steadystate.ParseHypothesis), for JudgePlan. Errors: the file's read
// error, or a *steadystate.ParseError with the line and field.
func ReadPlan(path string) (*steadystate.Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return steadystate.ParseHypothesis(b, path)
}

// HasQueries reports whether plan names a PromQL query, which needs
// JudgeOptions.Queries.
func HasQueries(plan *steadystate.Plan) bool {
	for _, m := range plan.Sources {
		for _, s := range metricSources(m) {
			if s.Query != "" {
				return true
			}
		}
	}
	return false
}

// Judge is JudgeFile on the file's contents, data; filename names it in
// errors and is the folder relative file sources are read from (unless
// opts.Files says otherwise).
func Judge(ctx context.Context, data []byte, filename string, opts JudgeOptions) (*JudgeReport, error) {
	plan, err := steadystate.ParseHypothesis(data, filename)
	if err != nil {
		return nil, err
	}
	return JudgePlan(ctx, plan, opts)
}

// JudgePlan is JudgeFile on a parsed hypothesis file (ReadPlan), for
// callers that look at the plan before its sources are read: whether it
// needs a query source (HasQueries), for one.
func JudgePlan(ctx context.Context, plan *steadystate.Plan, opts JudgeOptions) (*JudgeReport, error) {
	md, err := Load(ctx, plan, opts)
	if err != nil {
		return nil, err
	}
	data := make([]steadystate.Data, len(md))
	for i, m := range md {
		data[i] = m.Data()
	}
	v, err := steadystate.JudgeContext(ctx, plan.Hypothesis, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", plan.File, err)
	}
	return &JudgeReport{File: plan.File, Verdict: v, Data: md}, nil
}

// JudgeReport is the judgement of a hypothesis file: the verdict and what
// each metric was judged on.
type JudgeReport struct {
	// File is the hypothesis file's name, as given.
	File string
	// Verdict is steadystate.Judge's verdict.
	Verdict steadystate.Verdict
	// Data holds, in the order of Verdict.Metrics, what each group's
	// Source read: the series judged, its name (the path or the query) and
	// the read's warnings.
	Data []MetricData
}

// ReadWarnings returns the warnings of the reads, metric by metric, control
// first, each prefixed with its field ("metrics[0].control: the server
// warned ..."). WriteText leaves them out (a command prints them apart, on
// stderr); the JSON lists them first among each metric's warnings.
func (r *JudgeReport) ReadWarnings() []error {
	var ws []error
	for i := range r.Data {
		ws = append(ws, r.metricWarnings(i)...)
	}
	return ws
}

func (r *JudgeReport) metricWarnings(i int) []error {
	var ws []error
	d := r.Data[i]
	for side, g := range []GroupData{d.Control, d.Experiment, d.HistoryControl, d.HistoryExperiment} {
		label := field(i, side)
		if side >= 2 && d.HistoryReread {
			label = field(i, side-2) + " (history)"
		}
		for _, w := range g.Warnings {
			ws = append(ws, fmt.Errorf("%s: %w", label, w))
		}
	}
	return ws
}

// WriteText writes the verdict for people, as Verdict.WriteText does (the
// output of chaosstat judge): the outcome and its rule, the score, the
// table with one row per metric, then each metric's reason and warnings.
func (r *JudgeReport) WriteText(w io.Writer) error { return r.Verdict.WriteText(w) }

// WriteJSON writes the report as chaosstat judge --format json does.
func (r *JudgeReport) WriteJSON(w io.Writer) error { return format.WriteJSON(w, r) }

// MarshalJSON gives chaosstat judge's JSON: the verdict, its score and
// thresholds, the groups, and per metric its settings, classification,
// p-values, effect, counts, control and experiment names and warnings (the
// reads' first). The keys are documented in docs/commands/judge.md and are a contract
// with notebooks and other tools: keys are added, never renamed or removed.
// Numbers that are not finite are null; lists are never null.
func (r *JudgeReport) MarshalJSON() ([]byte, error) {
	v := &r.Verdict
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
		Hypothesis: h.Name,
		Verdict:    v.Outcome.String(),
		Reason:     v.Reason,
		Score:      format.Float(v.Score),
		Confidence: format.Float(format.RoundSig(conf, 12)),
		Alpha:      format.Float(v.Alpha),
		Correction: h.Correction.String(),
		Thresholds: judgeJSONThresh{Pass: format.Float(t.Pass), Marginal: format.Float(t.Marginal)},
		Groups:     []judgeJSONGroup{},
		Metrics:    []judgeJSONMetric{},
	}
	for _, g := range v.Groups {
		out.Groups = append(out.Groups, judgeJSONGroup{Name: g.Name, Weight: format.Float(g.Weight), Score: format.Float(g.Score),
			Passing: format.Float(g.Passing), Judged: format.Float(g.Judged)})
	}
	for i, res := range v.Metrics {
		m := res.Metric
		group := m.Group
		if group == "" {
			group = "default"
		}
		inf := 0
		if math.IsInf(res.Effect.Relative, 1) {
			inf = 1
		} else if math.IsInf(res.Effect.Relative, -1) {
			inf = -1
		}
		jm := judgeJSONMetric{
			Name: m.Name, Kind: string(m.Kind), Unit: m.Unit, Group: group, Critical: m.Critical,
			Direction: m.Direction.String(), Tolerance: format.Float(m.Tolerance), AbsoluteTolerance: format.Float(m.AbsoluteTolerance),
			Test: res.Test, Classification: res.Classification.String(), Reason: res.Reason,
			PValue: format.Float(res.P), AdjustedPValue: format.Float(res.AdjustedP),
			Effect: judgeJSONEffect{
				Estimate: format.Float(res.Effect.Estimate), Low: format.Float(res.Effect.Low), High: format.Float(res.Effect.High),
				Relative: format.Float(res.Effect.Relative), RelativeLow: format.Float(res.Effect.RelativeLow), RelativeHigh: format.Float(res.Effect.RelativeHigh),
				RelativeInfinite: inf, ControlLevel: format.Float(res.Effect.ControlLevel), Measure: res.Effect.Measure,
			},
			NControl: res.NControl, NExperiment: res.NExperiment, MissingControl: res.MissingControl, MissingExperiment: res.MissingExperiment,
			Autocorrelation: format.Float(res.Autocorrelation), EffectiveN: format.Float(res.EffectiveN),
			HistoryMinutes: format.Float(res.HistoryMinutes),
			Warnings:       []string{},
		}
		if ls := res.LevelShift; ls != nil {
			jm.LevelShift = &judgeJSONShift{Time: utcMilli(ls.Time), Index: ls.Index, N: ls.N,
				Before: format.Float(ls.Before), After: format.Float(ls.After),
				ControlBefore: format.Float(ls.ControlBefore), ControlAfter: format.Float(ls.ControlAfter), PValue: format.Float(ls.P)}
		}
		if sg := res.Segment; sg != nil {
			jm.Segment = &judgeJSONSeg{Start: utcMilli(sg.Start), End: utcMilli(sg.End), StartIndex: sg.StartIndex, EndIndex: sg.EndIndex, N: sg.N,
				Inside: format.Float(sg.Inside), Outside: format.Float(sg.Outside),
				ControlInside: format.Float(sg.ControlInside), ControlOutside: format.Float(sg.ControlOutside), PValue: format.Float(sg.P)}
		}
		if i < len(r.Data) {
			jm.Control, jm.Experiment = r.Data[i].Control.Name, r.Data[i].Experiment.Name
			if res.HistoryMinutes > 0 {
				jm.HistoryControl, jm.HistoryExperiment = r.Data[i].HistoryControl.Name, r.Data[i].HistoryExperiment.Name
			}
			for _, w := range r.metricWarnings(i) {
				jm.Warnings = append(jm.Warnings, w.Error())
			}
		}
		for _, w := range res.Warnings {
			jm.Warnings = append(jm.Warnings, w.Error())
		}
		out.Metrics = append(out.Metrics, jm)
	}
	return format.Marshal(out)
}

// judgeJSON is the JSON of a JudgeReport.
type judgeJSON struct {
	Hypothesis string            `json:"hypothesis"`
	Verdict    string            `json:"verdict"`
	Reason     string            `json:"reason"`
	Score      format.Float      `json:"score"` // null when no metric was judged
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
	Test              string          `json:"test"` // "" when no test ran
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
	LevelShift        *judgeJSONShift `json:"level_shift"` // null when none
	Segment           *judgeJSONSeg   `json:"segment"`     // null when none
	Control           string          `json:"control"`
	Experiment        string          `json:"experiment"`
	// The history the time-series test took its variance from; absent
	// when it took none.
	HistoryMinutes    format.Float `json:"history_minutes,omitempty"`
	HistoryControl    string       `json:"history_control,omitempty"`
	HistoryExperiment string       `json:"history_experiment,omitempty"`
	Warnings          []string     `json:"warnings"`
}

// judgeJSONShift is a metric's level shift (compare.LevelShift): the
// difference experiment − control changed level at time (point index,
// 0-based, of n pairs), with its mean before and from then on.
type judgeJSONShift struct {
	Time          string       `json:"time"` // RFC 3339, UTC
	Index         int          `json:"index"`
	N             int          `json:"n"`
	Before        format.Float `json:"before"`
	After         format.Float `json:"after"`
	ControlBefore format.Float `json:"control_before"`
	ControlAfter  format.Float `json:"control_after"`
	PValue        format.Float `json:"p_value"`
}

// judgeJSONSeg is a metric's segment (compare.Segment): the difference
// moved at start and came back at end (pairs start_index to end_index − 1,
// 0-based, of n), with its mean within the segment and outside it.
type judgeJSONSeg struct {
	Start          string       `json:"start"` // RFC 3339, UTC
	End            string       `json:"end"`
	StartIndex     int          `json:"start_index"`
	EndIndex       int          `json:"end_index"`
	N              int          `json:"n"`
	Inside         format.Float `json:"inside"`
	Outside        format.Float `json:"outside"`
	ControlInside  format.Float `json:"control_inside"`
	ControlOutside format.Float `json:"control_outside"`
	PValue         format.Float `json:"p_value"`
}

func utcMilli(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

type judgeJSONEffect struct {
	Estimate     format.Float `json:"estimate"`
	Low          format.Float `json:"low"`
	High         format.Float `json:"high"`
	Relative     format.Float `json:"relative"`
	RelativeLow  format.Float `json:"relative_low"`
	RelativeHigh format.Float `json:"relative_high"`
	// RelativeInfinite is +1 or -1 when the relative effect is infinite (a
	// change over a control level of 0, written null in relative), else 0.
	RelativeInfinite int          `json:"relative_infinite"`
	ControlLevel     format.Float `json:"control_level"`
	Measure          string       `json:"measure"`
}
