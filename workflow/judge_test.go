package workflow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

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
