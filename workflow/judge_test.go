package workflow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/workflow"
)

// goldenStdout returns the stdout section of one of chaosstat's golden
// files (cmd/chaosstat/testdata/golden), relative to the current folder.
func goldenStdout(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/golden/" + name + ".golden")
	if err != nil {
		t.Fatal(err)
	}
	_, out, ok := strings.Cut(string(b), "-- stdout --\n")
	out, _, ok2 := strings.Cut(out, "-- stderr --\n")
	if !ok || !ok2 {
		t.Fatalf("%s: no stdout section", name)
	}
	return out
}

// TestJudgeFileGolden: a JudgeReport writes exactly what chaosstat judge
// printed when its golden files were written (the command's own code did
// then), in JSON and in text. It runs in cmd/chaosstat, so that the paths
// in the JSON are the golden files' own.
func TestJudgeFileGolden(t *testing.T) {
	t.Chdir("../cmd/chaosstat")
	for _, c := range []struct{ golden, hypothesis string }{
		{"judge_example", "../../examples/hypothesis/hypothesis.yaml"},
		{"judge_held", "testdata/judge/held.yaml"},
		{"judge_nodata", "testdata/judge/nodata.yaml"},
		{"judge_plain_welch", "testdata/judge/plain.yaml"},
	} {
		t.Run(c.golden, func(t *testing.T) {
			rep, err := workflow.JudgeFile(context.Background(), c.hypothesis, workflow.JudgeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var text, js bytes.Buffer
			if err := rep.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if want := goldenStdout(t, c.golden+"_text"); text.String() != want {
				t.Errorf("text:\n%s\nwant:\n%s", text.String(), want)
			}
			if err := rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat("testdata/golden/" + c.golden + "_json.golden"); err == nil {
				if want := goldenStdout(t, c.golden+"_json"); js.String() != want {
					t.Errorf("json:\n%s\nwant:\n%s", js.String(), want)
				}
			}
		})
	}
}

// memory is a Source of series in memory, named by their file name, that
// warns about each read and counts the reads.
type memory struct {
	series map[string]series.Series
	reads  int
}

func (m *memory) Read(_ context.Context, s steadystate.Source) (workflow.GroupData, error) {
	m.reads++
	ser, ok := m.series[s.File]
	if !ok {
		return workflow.GroupData{}, errors.New(s.File + " is not in memory")
	}
	return workflow.GroupData{Series: ser, Name: "mem:" + s.File, Warnings: []error{errors.New("read from memory " + s.File)}}, nil
}

var errCustom = errors.New("custom")

// twoMetrics is a hypothesis of two metrics whose sources are c1, e1, c2 and
// e2; metric b's are at lines 8 and 9.
const twoMetrics = `name: two
metrics:
  - name: a
    control: c1
    experiment: e1
    min_points: 2
  - name: b
    control: c2
    experiment: e2
    min_points: 2
`

// TestJudgeSourcesAndWarnings judges in-memory series (as the demo does)
// through Judge: each group's name is its Source's, and the reads'
// warnings come out prefixed with their field, control first, in
// ReadWarnings and at the head of each metric's JSON warnings.
func TestJudgeSourcesAndWarnings(t *testing.T) {
	ser := series.Series{V: []float64{1, 2, 3, 4, 5, 6}}
	m := &memory{series: map[string]series.Series{"c1": ser, "e1": ser, "c2": ser, "e2": ser}}
	rep, err := workflow.Judge(context.Background(), []byte(twoMetrics), "mem.yaml", workflow.JudgeOptions{Files: m})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"metrics[0].control: read from memory c1", "metrics[0].experiment: read from memory e1",
		"metrics[1].control: read from memory c2", "metrics[1].experiment: read from memory e2"}
	ws := rep.ReadWarnings()
	if len(ws) != len(want) {
		t.Fatalf("read warnings %v, want %q", ws, want)
	}
	for i, w := range ws {
		if w.Error() != want[i] || errors.Unwrap(w) == nil {
			t.Errorf("warning %d: %v, want %q wrapping the Source's", i, w, want[i])
		}
	}
	var out struct {
		Metrics []struct {
			Control, Experiment string
			Warnings            []string
		}
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for i, jm := range out.Metrics {
		c, e := []string{"c1", "c2"}[i], []string{"e1", "e2"}[i]
		if jm.Control != "mem:"+c || jm.Experiment != "mem:"+e || len(jm.Warnings) < 2 || jm.Warnings[0] != want[2*i] || jm.Warnings[1] != want[2*i+1] {
			t.Errorf("metric %d: %+v", i, jm)
		}
	}
	if rep.File != "mem.yaml" || len(rep.Data) != 2 || rep.Data[1].Experiment.Series.Len() != 6 || len(rep.Verdict.Metrics) != 2 {
		t.Errorf("report %q with %d metrics' data, %d results", rep.File, len(rep.Data), len(rep.Verdict.Metrics))
	}
}

func TestJudgeErrors(t *testing.T) {
	withQuery := strings.Replace(twoMetrics, "experiment: e2", "experiment: {query: up}", 1)
	partial := workflow.SourceFunc(func(context.Context, steadystate.Source) (workflow.GroupData, error) {
		return workflow.GroupData{}, errors.Join(workflow.ErrPartial, errCustom)
	})
	for _, c := range []struct {
		name, reason string
		hypothesis   string
		opts         func(m *memory) workflow.JudgeOptions
		wantMsg      string
		wantIs       []error
		wantSource   *workflow.SourceError // File, Line and Field
		wantReads    int
	}{
		{"parse", "a misspelt key is the parser's error with its line",
			strings.Replace(twoMetrics, "min_points: 2\n  - name: b", "min_point: 2\n  - name: b", 1), nil,
			`h.yaml:6: metrics[0]: unknown field "min_point" (did you mean "min_points"?)`, nil, nil, 0},
		{"query without a query source", "named at its line, before any file is read",
			withQuery, nil,
			"h.yaml:9: metrics[1].experiment: a PromQL query (up) needs a server to send it to: set JudgeOptions.Queries, such as a PromSource",
			[]error{workflow.ErrNoQuerySource}, &workflow.SourceError{File: "h.yaml", Line: 9, Field: "metrics[1].experiment"}, 0},
		{"source error", "the Source's error, after the hypothesis file's line and field",
			twoMetrics, func(m *memory) workflow.JudgeOptions { delete(m.series, "c2"); return workflow.JudgeOptions{Files: m} },
			"h.yaml:8: metrics[1].control: c2 is not in memory", nil, &workflow.SourceError{File: "h.yaml", Line: 8, Field: "metrics[1].control"}, 3},
		{"partial", "an incomplete answer stays distinguishable through the SourceError",
			withQuery, func(m *memory) workflow.JudgeOptions { return workflow.JudgeOptions{Files: m, Queries: partial} },
			"", []error{workflow.ErrPartial, errCustom}, &workflow.SourceError{File: "h.yaml", Line: 9, Field: "metrics[1].experiment"}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			ser := series.Series{V: []float64{1, 2, 3}}
			m := &memory{series: map[string]series.Series{"c1": ser, "e1": ser, "c2": ser, "e2": ser}}
			opts := workflow.JudgeOptions{Files: m}
			if c.opts != nil {
				opts = c.opts(m)
			}
			_, err := workflow.Judge(context.Background(), []byte(c.hypothesis), "h.yaml", opts)
			if err == nil {
				t.Fatalf("no error (%s)", c.reason)
			}
			if c.wantMsg != "" && err.Error() != c.wantMsg {
				t.Errorf("%q, want %q (%s)", err, c.wantMsg, c.reason)
			}
			for _, is := range c.wantIs {
				if !errors.Is(err, is) {
					t.Errorf("%v does not match %v (%s)", err, is, c.reason)
				}
			}
			var pe *steadystate.ParseError
			if errors.As(err, &pe) != (c.name == "parse") {
				t.Errorf("%v: a ParseError: %v", err, !(c.name == "parse"))
			}
			var se *workflow.SourceError
			if got := errors.As(err, &se); got != (c.wantSource != nil) {
				t.Errorf("%v: a SourceError: %v, want %v", err, got, c.wantSource != nil)
			} else if got && (se.File != c.wantSource.File || se.Line != c.wantSource.Line || se.Field != c.wantSource.Field) {
				t.Errorf("SourceError at %s:%d %s, want %s:%d %s", se.File, se.Line, se.Field, c.wantSource.File, c.wantSource.Line, c.wantSource.Field)
			}
			if m.reads != c.wantReads {
				t.Errorf("%d reads, want %d (%s)", m.reads, c.wantReads, c.reason)
			}
		})
	}
}

// TestJudgePlanInvalid: a plan made in Go that steadystate.Judge refuses
// is its error after the file's name, once the sources are read.
func TestJudgePlanInvalid(t *testing.T) {
	m := &memory{series: map[string]series.Series{"c": {}, "e": {}}}
	plan := &steadystate.Plan{File: "go.yaml",
		Hypothesis: steadystate.Hypothesis{Name: "h", Confidence: 2, Metrics: []steadystate.Metric{{Name: "m"}}},
		Sources:    []steadystate.MetricSources{{Control: steadystate.Source{File: "c"}, Experiment: steadystate.Source{File: "e"}}}}
	_, err := workflow.JudgePlan(context.Background(), plan, workflow.JudgeOptions{Files: m})
	var fe *steadystate.FieldError
	if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "go.yaml: ") || m.reads != 2 {
		t.Errorf("%v after %d reads, want Judge's FieldError after go.yaml: and 2 reads", err, m.reads)
	}
}

func TestJudgeFileMissing(t *testing.T) {
	_, err := workflow.JudgeFile(context.Background(), "testdata/no-such.yaml", workflow.JudgeOptions{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "testdata/no-such.yaml") {
		t.Errorf("%v, want the open error naming the file", err)
	}
}

func TestReadPlanHasQueries(t *testing.T) {
	plan, err := workflow.ReadPlan(exampleHypothesis)
	if err != nil {
		t.Fatal(err)
	}
	// examples/hypothesis/hypothesis.yaml: five metrics, all from files.
	if plan.File != exampleHypothesis || len(plan.Sources) != 5 || workflow.HasQueries(plan) {
		t.Errorf("%s: %d sources, queries %v", plan.File, len(plan.Sources), workflow.HasQueries(plan))
	}
	plan.Sources[4].Experiment = steadystate.Source{Query: "up"}
	if !workflow.HasQueries(plan) {
		t.Error("the last source is a query: HasQueries is false")
	}
}

// TestJudgeReportJSONOwnVerdict: a report made by hand around a verdict
// (the demo's) writes each metric without names or read warnings, lists
// never null, and ">=" as it is.
func TestJudgeReportJSONOwnVerdict(t *testing.T) {
	h := steadystate.Hypothesis{Name: "h", Metrics: []steadystate.Metric{{Name: "m"}}}
	v, err := steadystate.Judge(h, []steadystate.Data{{}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := (&workflow.JudgeReport{Verdict: v}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{`"control": "",`, `"experiment": "",`, `"groups": [`, `"score": null`, `"classification": "nodata"`} {
		if !strings.Contains(s, want) {
			t.Errorf("lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, `\u003e`) || !strings.HasSuffix(s, "}\n") {
		t.Errorf("HTML escaped or no final newline:\n%s", s)
	}
}

// TestJudgeJSONSegmentAndShift: the level shift and the segment the
// time-series test found reach the JSON with the Verdict's own figures
// (null when there is none). The data, as steadystate's
// TestJudgeFaultRecovery draws it (seeded): each group per-minute AR(1)
// noise with rho 0.5 and SD 50 around 1000, the experiment 15% lower at
// minutes 80 to 159 of 240 (a fault and a recovery), or from minute 120 on
// (a step).
func TestJudgeJSONSegmentAndShift(t *testing.T) {
	const n = 240
	start := int64(1_767_225_600_000) // 2026-01-01T00:00:00Z
	rng := rand.New(rand.NewPCG(14, 240))
	mk := func(drop func(i int) bool) []steadystate.Data {
		c := series.Series{Name: "c", T: make([]int64, n), V: make([]float64, n)}
		e := series.Series{Name: "e", T: make([]int64, n), V: make([]float64, n)}
		var xc, xe float64
		sd := 50 * math.Sqrt(1-0.25) // innovations for a stationary SD of 50
		for i := range n {
			xc, xe = 0.5*xc+sd*rng.NormFloat64(), 0.5*xe+sd*rng.NormFloat64()
			c.T[i], e.T[i] = start+int64(i)*60_000, start+int64(i)*60_000
			c.V[i], e.V[i] = 1000+xc, 1000+xe
			if drop(i) {
				e.V[i] *= 0.85
			}
		}
		return []steadystate.Data{{Control: c, Experiment: e}}
	}
	h := steadystate.Hypothesis{Name: "h", Metrics: []steadystate.Metric{{Name: "m", Direction: steadystate.Decrease, Tolerance: 0.05}}}
	for _, c := range []struct {
		name    string
		drop    func(int) bool
		segment bool // the Verdict holds a segment (else a level shift)
	}{
		{"fault and recovery", func(i int) bool { return i >= 80 && i < 160 }, true},
		{"step", func(i int) bool { return i >= 120 }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := steadystate.Judge(h, mk(c.drop))
			if err != nil {
				t.Fatal(err)
			}
			r := v.Metrics[0]
			t.Logf("test %s, class %v, reason %s, warnings %v", r.Test, r.Classification, r.Reason, r.Warnings)
			if (r.Segment != nil) != c.segment || (r.LevelShift != nil) == c.segment {
				t.Fatalf("segment %+v, level shift %+v: want only the %s", r.Segment, r.LevelShift, map[bool]string{true: "segment", false: "level shift"}[c.segment])
			}
			var b bytes.Buffer
			if err := (&workflow.JudgeReport{Verdict: v}).WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
			var out struct {
				Metrics []struct {
					LevelShift *struct {
						Time, Index, N any
						Before         float64
						After          float64
						ControlBefore  float64 `json:"control_before"`
						ControlAfter   float64 `json:"control_after"`
						PValue         float64 `json:"p_value"`
					} `json:"level_shift"`
					Segment *struct {
						Start, End      string
						StartIndex      int `json:"start_index"`
						EndIndex        int `json:"end_index"`
						N               int
						Inside, Outside float64
						ControlInside   float64 `json:"control_inside"`
						ControlOutside  float64 `json:"control_outside"`
						PValue          float64 `json:"p_value"`
					} `json:"segment"`
				} `json:"metrics"`
			}
			if err := json.Unmarshal(b.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			m := out.Metrics[0]
			utc := func(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }
			if sg := r.Segment; sg != nil {
				got := m.Segment
				if got == nil || m.LevelShift != nil {
					t.Fatalf("JSON segment %+v, level_shift %+v\n%s", got, m.LevelShift, b.String())
				}
				if got.Start != utc(sg.Start) || got.End != utc(sg.End) || got.StartIndex != sg.StartIndex || got.EndIndex != sg.EndIndex || got.N != sg.N ||
					got.Inside != sg.Inside || got.Outside != sg.Outside || got.ControlInside != sg.ControlInside || got.ControlOutside != sg.ControlOutside || got.PValue != sg.P {
					t.Errorf("JSON segment %+v, Verdict's %+v", *got, *sg)
				}
				// The drop is at pairs 80 to 159: the segment should find it.
				if sg.StartIndex < 75 || sg.StartIndex > 85 || sg.EndIndex < 155 || sg.EndIndex > 165 {
					t.Errorf("segment pairs %d to %d, want about 80 to 160", sg.StartIndex, sg.EndIndex)
				}
			} else {
				ls, got := r.LevelShift, m.LevelShift
				if got == nil || m.Segment != nil {
					t.Fatalf("JSON level_shift %+v, segment %+v\n%s", got, m.Segment, b.String())
				}
				if got.Time != utc(ls.Time) || got.Index != float64(ls.Index) || got.N != float64(ls.N) || got.Before != ls.Before || got.After != ls.After ||
					got.ControlBefore != ls.ControlBefore || got.ControlAfter != ls.ControlAfter || got.PValue != ls.P {
					t.Errorf("JSON level_shift %+v, Verdict's %+v", *got, *ls)
				}
				if ls.Index < 115 || ls.Index > 125 {
					t.Errorf("shift at pair %d, want about 120", ls.Index)
				}
			}
		})
	}
}
