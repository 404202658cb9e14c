package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

var judgeCommand = &command{
	name:    "judge",
	summary: "judge a steady-state hypothesis: held, disproved or inconclusive",
	run:     runJudge,
	usage:   judgeUsage,
}

func judgeUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat judge --hypothesis FILE [--format text|json]
       chaosstat judge --hypothesis FILE --prometheus URL --start TIME [--end TIME]
                       [--step 1m] [flags]

Judge reads a steady-state hypothesis (YAML or JSON; see
examples/hypothesis/SCHEMA.md) and the control and experiment data of each of
its metrics, named in it relative to the hypothesis file, and says whether
the hypothesis held.

Each metric is classified pass, high, low, nodata or error. It is high or low
only when the change is statistically significant after the correction across
metrics AND larger than its tolerance in the direction that hurts. Two time
series are paired minute by minute and tested with an autocorrelation-robust
variance; plain samples with Mann-Whitney (or the metric's test: welch, ks,
quantile, timeseries). The metrics' scores combine by group and weight into the
verdict: held, disproved (also when a critical metric fails) or inconclusive
(no data is never held). The output is the table that explains it.

Data files are CSV with a header row, "timestamp,value" or a single "value"
column, or ".json" files holding a Prometheus query_range response with one
series. A file with no data makes its metric nodata.

A group may instead give {query: PROMQL}, a range query that returns exactly
one series: it is read from --prometheus over --start to --end at --step, the
window judged. A query that returns no series makes its metric nodata; one
that returns several is an error.

Flags:

	--hypothesis FILE    the hypothesis file (required)
	--format FORMAT      text (default) or json

Prometheus flags (for the hypothesis's query: sources):

`+promUsage+`
Exit codes: 0 held, 1 disproved, 2 usage or input error (the message names the
file and line; also a bad query or an unreachable server), 3 inconclusive (no
data, a marginal score, a partial answer from the server).
`)
}

func runJudge(e *env, args []string) int {
	var hypothesis string
	var pi promInput
	format := formatFlag{f: "text"}
	fs := flag.NewFlagSet("judge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&hypothesis, "hypothesis", "", "")
	fs.Var(&format, "format", "")
	pi.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			judgeUsage(e.stdout)
			return exitOK
		}
		return usageError(e, "judge", "%s", dashes(err))
	}
	switch {
	case fs.NArg() > 0:
		return usageError(e, "judge", "unexpected argument %q: the file is given with --hypothesis", fs.Arg(0))
	case hypothesis == "":
		return usageError(e, "judge", "missing --hypothesis FILE, the hypothesis to judge")
	}

	data, err := os.ReadFile(hypothesis)
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat judge: %v\n", err)
		return exitUsage
	}
	plan, err := steadystate.ParseHypothesis(data, hypothesis)
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat judge: %v\n", err)
		return exitUsage
	}
	// A query needs the server: without --prometheus, name the first
	// query's line rather than reading the files and failing later.
	haveQuery := false
	for i, src := range plan.Sources {
		for side, s := range []steadystate.Source{src.Control, src.Experiment} {
			if s.Query == "" {
				continue
			}
			haveQuery = true
			if !pi.enabled() {
				fmt.Fprintf(e.stderr, "chaosstat judge: %s:%d: metrics[%d].%s: a PromQL query (%s) needs --prometheus URL, the server to send it to, and --start TIME, the start of the window judged\n",
					plan.File, s.Line, i, [2]string{"control", "experiment"}[side], s.Query)
				return exitUsage
			}
		}
	}
	if msg := pi.check(fs, haveQuery); msg != "" {
		if !haveQuery && pi.enabled() {
			msg = fmt.Sprintf("--prometheus is given but %s has no query source: all its data comes from files", plan.File)
		}
		return usageError(e, "judge", "%s", msg)
	}
	var client *prom.Client
	if pi.enabled() {
		if client, err = pi.client(); err != nil {
			fmt.Fprintf(e.stderr, "chaosstat judge: --prometheus: %v\n", err)
			return exitUsage
		}
	}
	sets := make([]steadystate.Data, len(plan.Sources))
	files := make([][2]string, len(plan.Sources))
	readWarnings := make([][]string, len(plan.Sources))
	// An input error is reported rather than a read without data
	// (inputFailure): after a read without data, the others are read.
	var failure inputFailure
sources:
	for i, src := range plan.Sources {
		for side, s := range []steadystate.Source{src.Control, src.Experiment} {
			field := fmt.Sprintf("metrics[%d].%s", i, [2]string{"control", "experiment"}[side])
			var (
				ser  series.Series
				name string
				err  error
				code int
			)
			if s.Query != "" {
				name = s.Query
				var warns []string
				ser, warns, code, err = pi.readQuery(context.Background(), client, s.Query)
				if err != nil && code == exitInconclusive && !errors.Is(err, prom.ErrPartial) {
					// No series, like a file with no data: the metric
					// is nodata and its nodata policy decides.
					warns = append(warns, err.Error()+"; the metric has no data")
					ser, err = series.Series{}, nil
				}
				for _, w := range warns {
					readWarnings[i] = append(readWarnings[i], field+": "+w)
				}
			} else if ser, name, err = readSource(plan.File, s); err != nil {
				code = failureCode(err)
			}
			if err != nil {
				if failure.add(code, fmt.Sprintf("%s:%d: %s: %v", plan.File, s.Line, field, err)) {
					break sources
				}
				continue
			}
			files[i][side] = name
			if side == 0 {
				sets[i].Control = ser
			} else {
				sets[i].Experiment = ser
			}
		}
	}
	if code, failed := failure.report(e, "judge", "inconclusive: "); failed {
		return code
	}
	v, err := steadystate.Judge(plan.Hypothesis, sets)
	if err != nil {
		return writeFailure(e, "judge", "inconclusive: ", failureCode(err), fmt.Sprintf("%s: %v", plan.File, err))
	}
	if format.f == "json" {
		err = writeJudgeJSONWarnings(e.stdout, &v, files, readWarnings)
	} else {
		for _, ws := range readWarnings {
			for _, w := range ws {
				fmt.Fprintf(e.stderr, "chaosstat judge: warning: %s\n", w)
			}
		}
		err = v.WriteText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat judge: writing the verdict: %v\n", err)
		return exitUsage
	}
	switch v.Outcome {
	case steadystate.Held:
		return exitOK
	case steadystate.Disproved:
		return exitSignificant
	}
	return exitInconclusive
}

// readSource reads one group's data from its file (a query is read by the
// caller). A file is named relative to the hypothesis file; a file without
// data gives an empty series (the metric is then nodata, which the verdict
// weighs), any other failure an error.
func readSource(hypothesisFile string, s steadystate.Source) (series.Series, string, error) {
	path := s.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(hypothesisFile), path)
	}
	all, err := series.ReadFileAll(path, nil)
	if err != nil {
		if errors.Is(err, series.ErrEmpty) {
			return series.Series{}, path, nil
		}
		return series.Series{}, path, err
	}
	if len(all) != 1 {
		ids := make([]string, 0, 4)
		for _, s := range all[:min(len(all), 3)] {
			ids = append(ids, identity(s))
		}
		if len(all) > 3 {
			ids = append(ids, "...")
		}
		return series.Series{}, path, fmt.Errorf("%s: holds %d series (%s); want exactly one: narrow the query to one series, with a label matcher or an aggregation such as sum(...)",
			path, len(all), strings.Join(ids, ", "))
	}
	return all[0], path, nil
}

// judgeJSON is the --format json output of judge. Its keys are a contract
// with notebooks and other tools, documented in the README: add keys, never
// rename or remove them.
type judgeJSON struct {
	Hypothesis string            `json:"hypothesis"`
	Verdict    string            `json:"verdict"`
	Reason     string            `json:"reason"`
	Score      jsonFloat         `json:"score"` // null when no metric was judged
	Confidence jsonFloat         `json:"confidence"`
	Alpha      jsonFloat         `json:"alpha"`
	Correction string            `json:"correction"`
	Thresholds judgeJSONThresh   `json:"thresholds"`
	Groups     []judgeJSONGroup  `json:"groups"`
	Metrics    []judgeJSONMetric `json:"metrics"`
}

type judgeJSONThresh struct {
	Pass     jsonFloat `json:"pass"`
	Marginal jsonFloat `json:"marginal"`
}

type judgeJSONGroup struct {
	Name    string    `json:"name"`
	Weight  jsonFloat `json:"weight"`
	Score   jsonFloat `json:"score"`
	Passing jsonFloat `json:"passing"`
	Judged  jsonFloat `json:"judged"`
}

type judgeJSONMetric struct {
	Name              string          `json:"name"`
	Kind              string          `json:"kind"`
	Unit              string          `json:"unit"`
	Group             string          `json:"group"`
	Critical          bool            `json:"critical"`
	Direction         string          `json:"direction"`
	Tolerance         jsonFloat       `json:"tolerance"`
	AbsoluteTolerance jsonFloat       `json:"absolute_tolerance"`
	Test              string          `json:"test"` // "" when no test ran
	Classification    string          `json:"classification"`
	Reason            string          `json:"reason"`
	PValue            jsonFloat       `json:"p_value"`
	AdjustedPValue    jsonFloat       `json:"adjusted_p_value"`
	Effect            judgeJSONEffect `json:"effect"`
	NControl          int             `json:"n_control"`
	NExperiment       int             `json:"n_experiment"`
	MissingControl    int             `json:"missing_control"`
	MissingExperiment int             `json:"missing_experiment"`
	Autocorrelation   jsonFloat       `json:"autocorrelation"`
	EffectiveN        jsonFloat       `json:"effective_n"`
	Control           string          `json:"control"`
	Experiment        string          `json:"experiment"`
	Warnings          []string        `json:"warnings"`
}

type judgeJSONEffect struct {
	Estimate     jsonFloat `json:"estimate"`
	Low          jsonFloat `json:"low"`
	High         jsonFloat `json:"high"`
	Relative     jsonFloat `json:"relative"`
	RelativeLow  jsonFloat `json:"relative_low"`
	RelativeHigh jsonFloat `json:"relative_high"`
	// RelativeInfinite is +1 or -1 when the relative effect is infinite (a
	// change over a control level of 0, written null in relative), else 0.
	RelativeInfinite int       `json:"relative_infinite"`
	ControlLevel     jsonFloat `json:"control_level"`
	Measure          string    `json:"measure"`
}

// writeJudgeJSON writes v; files names each metric's control and experiment
// (a path or a query).
func writeJudgeJSON(w io.Writer, v *steadystate.Verdict, files [][2]string) error {
	return writeJudgeJSONWarnings(w, v, files, nil)
}

// writeJudgeJSONWarnings is writeJudgeJSON with each metric's warnings from
// the reads (a server's warnings under --allow-partial, a query without
// series) listed first in its warnings; readWarnings may be nil.
func writeJudgeJSONWarnings(w io.Writer, v *steadystate.Verdict, files [][2]string, readWarnings [][]string) error {
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
		Score:      jsonFloat(v.Score),
		Confidence: jsonFloat(roundSig(conf, 12)),
		Alpha:      jsonFloat(v.Alpha),
		Correction: h.Correction.String(),
		Thresholds: judgeJSONThresh{Pass: jsonFloat(t.Pass), Marginal: jsonFloat(t.Marginal)},
		Groups:     []judgeJSONGroup{},
		Metrics:    []judgeJSONMetric{},
	}
	for _, g := range v.Groups {
		out.Groups = append(out.Groups, judgeJSONGroup{Name: g.Name, Weight: jsonFloat(g.Weight), Score: jsonFloat(g.Score),
			Passing: jsonFloat(g.Passing), Judged: jsonFloat(g.Judged)})
	}
	for i, r := range v.Metrics {
		m := r.Metric
		group := m.Group
		if group == "" {
			group = "default"
		}
		inf := 0
		if math.IsInf(r.Effect.Relative, 1) {
			inf = 1
		} else if math.IsInf(r.Effect.Relative, -1) {
			inf = -1
		}
		jm := judgeJSONMetric{
			Name: m.Name, Kind: string(m.Kind), Unit: m.Unit, Group: group, Critical: m.Critical,
			Direction: m.Direction.String(), Tolerance: jsonFloat(m.Tolerance), AbsoluteTolerance: jsonFloat(m.AbsoluteTolerance),
			Test: r.Test, Classification: r.Classification.String(), Reason: r.Reason,
			PValue: jsonFloat(r.P), AdjustedPValue: jsonFloat(r.AdjustedP),
			Effect: judgeJSONEffect{
				Estimate: jsonFloat(r.Effect.Estimate), Low: jsonFloat(r.Effect.Low), High: jsonFloat(r.Effect.High),
				Relative: jsonFloat(r.Effect.Relative), RelativeLow: jsonFloat(r.Effect.RelativeLow), RelativeHigh: jsonFloat(r.Effect.RelativeHigh),
				RelativeInfinite: inf, ControlLevel: jsonFloat(r.Effect.ControlLevel), Measure: r.Effect.Measure,
			},
			NControl: r.NControl, NExperiment: r.NExperiment, MissingControl: r.MissingControl, MissingExperiment: r.MissingExperiment,
			Autocorrelation: jsonFloat(r.Autocorrelation), EffectiveN: jsonFloat(r.EffectiveN),
			Control: files[i][0], Experiment: files[i][1],
			Warnings: []string{},
		}
		if i < len(readWarnings) {
			jm.Warnings = append(jm.Warnings, readWarnings[i]...)
		}
		for _, w := range r.Warnings {
			jm.Warnings = append(jm.Warnings, w.Error())
		}
		out.Metrics = append(out.Metrics, jm)
	}
	// No HTML escaping: reasons hold ">=", which notebooks should read as is.
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
