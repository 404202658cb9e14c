package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// The case study of `chaosstat demo`: synthetic data written by
// cmd/chaosstat/demodata/gen.go from a fixed seed (see its README.md).
var demoFS, demoDir = os.DirFS("../cmd/chaosstat"), "demodata"

var demo struct {
	once sync.Once
	in   Inputs
	r    *Report
	err  error
}

// demoRun runs the method on the case study once for all the tests; they
// must not change what it returns.
func demoRun(t *testing.T) (Inputs, *Report) {
	t.Helper()
	demo.once.Do(func() {
		if demo.in, demo.err = ReadCaseStudy(demoFS, demoDir); demo.err == nil {
			demo.r, demo.err = Run(demo.in)
		}
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	return demo.in, demo.r
}

// TestRunDemo checks the steps' results on the case study where its design
// fixes them: gen.go makes each group's share of the traffic drift in
// 30-minute blocks but stay exact per day, so the A/A replay finds the
// split invalid at 30 minutes for the metrics the share moves (downloads,
// and Apdex through the slow ISP's resolvers), valid for availability,
// which it does not move; and four weeks of history give every metric a
// valid window, so the hypothesis is judged.
func TestRunDemo(t *testing.T) {
	in, r := demoRun(t)
	want := map[string]compare.AAStatus{"downloads": compare.Invalid, "availability": compare.Valid, "apdex": compare.Invalid}
	if len(r.AA) != len(in.Metrics) {
		t.Fatalf("%d A/A replays for %d metrics", len(r.AA), len(in.Metrics))
	}
	for i, a := range r.AA {
		if a.Metric != in.Metrics[i].Name {
			t.Errorf("A/A replay %d is of %s, want %s", i, a.Metric, in.Metrics[i].Name)
		}
		l, ok := a.Result.Length(30 * time.Minute)
		if !ok {
			t.Fatalf("%s: no 30m length in the A/A replay", a.Metric)
		}
		if l.Status != want[a.Metric] {
			t.Errorf("%s at 30m: %v, want %v", a.Metric, l.Status, want[a.Metric])
		}
		if a.Result.Recommended == 0 {
			t.Errorf("%s: no recommended window: four weeks of history should give one", a.Metric)
		}
		if a.Result.Recommended > r.Window {
			t.Errorf("%s: recommended %v is longer than the judged window %v", a.Metric, a.Result.Recommended, r.Window)
		}
	}
	if r.Judge == nil {
		t.Fatalf("not judged: %s", r.NoWindow)
	}
	if r.Judge.Verdict.Outcome == steadystate.Inconclusive {
		t.Errorf("verdict inconclusive at a valid window: %s", r.Judge.Verdict.Reason)
	}
	// The judged window is clock-aligned, a whole number of windows, and
	// holds the run.
	j := r.Judge
	if j.From.After(in.Plan.Start) || j.To.Before(in.Plan.End) || j.To.Sub(j.From)%r.Window != 0 || !j.From.Equal(j.From.Truncate(r.Window)) {
		t.Errorf("judged [%v, %v) at %v for the run [%v, %v)", j.From, j.To, r.Window, in.Plan.Start, in.Plan.End)
	}
	// The cost's loss rate is measured over the judged window.
	if !r.Cost.Loss.From.Equal(j.From) || !r.Cost.Loss.To.Equal(j.To) {
		t.Errorf("loss over [%v, %v), want the judged window [%v, %v)", r.Cost.Loss.From, r.Cost.Loss.To, j.From, j.To)
	}
}

// TestRunMonitorFalseStops checks step 5's binomial test against its
// definition: HistoryP = P(X >= stops), X ~ Binomial(days, alpha), and
// Noisy when it is below alpha; the history holds 28 whole days before the
// run (README.md), each replayed.
func TestRunMonitorFalseStops(t *testing.T) {
	_, r := demoRun(t)
	if r.Monitor.Alpha != monitor.DefaultAlpha {
		t.Errorf("alpha %v, want the default %v", r.Monitor.Alpha, monitor.DefaultAlpha)
	}
	for _, m := range r.Monitor.Metrics {
		if m.HistoryDays != 28 {
			t.Errorf("%s: %d days of history replayed, want 28", m.Metric, m.HistoryDays)
		}
		p := compare.BinomialUpperTail(m.HistoryStops, m.HistoryDays, r.Monitor.Alpha)
		approx.Close(t, m.Metric+" history p", m.HistoryP, p, 1e-12, 0)
		if m.Noisy != (m.HistoryStops > 0 && p < r.Monitor.Alpha) {
			t.Errorf("%s: noisy %v with %d of %d days stopped, p = %v", m.Metric, m.Noisy, m.HistoryStops, m.HistoryDays, p)
		}
		for i, d := range m.Decisions {
			if d.Action == monitor.Stop && i != len(m.Decisions)-1 {
				t.Errorf("%s: decisions go on after the stop at look %d", m.Metric, i+1)
			}
		}
	}
	stops, noisy := r.Monitor.Stops()
	for _, m := range r.Monitor.Metrics {
		stopped := false
		for _, s := range stops {
			stopped = stopped || strings.HasPrefix(s, m.Metric+" at ")
		}
		if stopped != m.Stopped() {
			t.Errorf("%s: Stops %q, Stopped %v", m.Metric, stops, m.Stopped())
		}
	}
	if len(noisy) == 0 {
		t.Error("no monitor noisy on the history, where the split wanders at 30m (gen.go)")
	}
}

// TestRunNumbersFromData checks that the report is computed from the data,
// not typed in: the error budget's figures match a direct sum over the
// series, the cost its formula, and the same steps on data where the
// experiment group lost half its downloads during the run disprove the
// hypothesis, cost more, and stop the run sooner.
func TestRunNumbersFromData(t *testing.T) {
	in, base := demoRun(t)
	req, av := in.Metric(in.Requests), in.Metric(in.Availability)

	// Σ n (1 − a) and Σ n (a_c − a) over the run, summed here directly.
	from, to := in.Plan.Start.UnixMilli(), in.Plan.End.UnixMilli()
	n := req.ExperimentRun.Window(from, to)
	a := av.ExperimentRun.Window(from, to)
	ac := av.ControlRun.Window(from, to)
	var failed, excess float64
	for i := range n.V {
		if n.T[i] != a.T[i] || n.T[i] != ac.T[i] {
			t.Fatal("the run's series are not on one grid")
		}
		failed += n.V[i] * (1 - a.V[i])
		excess += n.V[i] * (ac.V[i] - a.V[i])
	}
	approx.Close(t, "failed requests", base.Cost.Budget.Failed, failed, 1e-9, 0)
	approx.Close(t, "excess failures", base.Cost.Budget.Excess, excess, 1e-9, 0)
	// 99.95% over 30 days: 0.0005 × 43,200 min = 21.6 min.
	if got := base.Cost.Budget.Budget.Downtime(); got != 21*time.Minute+36*time.Second {
		t.Errorf("budget %v, want 21m36s", got)
	}
	// cost = loss rate × minutes × revenue + hours × hourly cost.
	as, loss := in.Assumptions, base.Cost.Loss
	wantCost := max(0, loss.Rate)*loss.To.Sub(loss.From).Minutes()*as.UnitRevenue + as.EngineeringHours*as.HourlyCost
	approx.Close(t, "chaos cost", base.Cost.Cost.Total, wantCost, 1e-12, 0)
	// The loss rate is the paired comparison's shift, negated.
	approx.Close(t, "loss rate", loss.Rate, -loss.Result.Shift.Estimate, 0, 0)

	// Halve the experiment's downloads during the run, in a copy of the
	// inputs (the series are shared with the other tests).
	hurt := in
	hurt.Metrics = append([]MetricSeries(nil), in.Metrics...)
	cut := req.ExperimentRun
	cut.V = append([]float64(nil), cut.V...)
	for i, tm := range cut.T {
		if tm >= from && tm < to {
			cut.V[i] /= 2
		}
	}
	hurt.Metric(in.Requests).ExperimentRun = cut
	hurt.HypothesisData = append([]steadystate.Data(nil), in.HypothesisData...)
	for i, src := range hurt.Hypothesis.Sources {
		if src.Experiment.File == req.ExperimentRun.Name+".csv.gz" {
			hurt.HypothesisData[i].Experiment = cut
		}
	}
	r, err := Run(hurt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Judge.Verdict.Outcome != steadystate.Disproved {
		t.Errorf("half the downloads lost for six hours: verdict %v (%s), want disproved", r.Judge.Verdict.Outcome, r.Judge.Verdict.Reason)
	}
	if !(r.Cost.Cost.Opportunity > base.Cost.Cost.Opportunity) {
		t.Errorf("opportunity cost %v with half the downloads lost, not above %v without", r.Cost.Cost.Opportunity, base.Cost.Cost.Opportunity)
	}
	// A 50% drop from 12:00 is more than the guardrail's 20% for 3
	// minutes from the first minute (scenario.json): the stop comes by
	// 12:03 at the latest, earlier than on the real run.
	ds, baseDs := r.Monitor.Metrics[0].Decisions, base.Monitor.Metrics[0].Decisions
	if d := ds[len(ds)-1]; d.Action != monitor.Stop || d.T > in.Plan.Start.Add(3*time.Minute).UnixMilli() {
		t.Errorf("half the downloads lost from 12:00: last decision %v at %v, want a stop by 12:03", d.Action, time.UnixMilli(d.T).UTC())
	}
	if len(ds) >= len(baseDs) {
		t.Errorf("the monitor took %d looks to stop a 50%% drop, %d without it", len(ds), len(baseDs))
	}
}

// TestReportJSON checks the report's JSON: one document whose keys are
// "synthetic", "judge_window" and the steps' in order, each holding the
// step's own document from Parts; and WriteParts writes those documents.
func TestReportJSON(t *testing.T) {
	_, r := demoRun(t)
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b.Bytes()) || !bytes.HasSuffix(b.Bytes(), []byte("}\n")) {
		t.Fatal("WriteJSON wrote no valid JSON document ended by a newline")
	}
	parts, err := r.Parts()
	if err != nil {
		t.Fatal(err)
	}
	wantKeys := []string{"synthetic", "judge_window"}
	for _, p := range parts {
		wantKeys = append(wantKeys, p.Key)
	}
	if got := jsonKeys(t, b.Bytes()); strings.Join(got, " ") != strings.Join(wantKeys, " ") {
		t.Errorf("keys %q, want %q", got, wantKeys)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if string(doc["synthetic"]) != "true" || string(doc["judge_window"]) != `"`+r.Window.String()+`"` {
		t.Errorf("synthetic %s, judge_window %s; want true and %q", doc["synthetic"], doc["judge_window"], r.Window.String())
	}
	for _, p := range parts {
		var got, want bytes.Buffer
		if err := json.Compact(&got, doc[p.Key]); err != nil {
			t.Fatal(err)
		}
		if err := json.Compact(&want, p.JSON); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s in the report differs from its part %s", p.Key, p.File)
		}
	}
	// The 10 documents of `chaosstat demo --out`: criteria, 3 A/A,
	// baseline, judge, 3 monitors, cost.
	dir := t.TempDir()
	files, err := r.WriteParts(dir)
	if err != nil || len(files) != 10 {
		t.Fatalf("WriteParts: %d files, %v; want 10", len(files), err)
	}
	for i, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !bytes.Equal(got, parts[i].JSON) {
			t.Errorf("%s: differs from its part (%v)", f, err)
		}
	}
}

// jsonKeys returns the keys of the JSON object b, in order.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	var keys []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestRunInputErrors checks that inconsistent inputs are ErrInputs, before
// any step runs.
func TestRunInputErrors(t *testing.T) {
	in, _ := demoRun(t)
	for _, tc := range []struct {
		name, reason string
		change       func(*Inputs)
	}{
		{"requests", "Requests must name a metric", func(in *Inputs) { in.Requests = "orders" }},
		{"availability", "Availability must name a metric", func(in *Inputs) { in.Availability = "" }},
		{"no metric", "the method needs candidates", func(in *Inputs) { in.Metrics = nil }},
		{"run", "a run must end after it starts", func(in *Inputs) { in.Plan.End = in.Plan.Start }},
		{"data", "each metric of the hypothesis needs its data", func(in *Inputs) { in.HypothesisData = in.HypothesisData[1:] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := in
			tc.change(&bad)
			if _, err := Run(bad); !errors.Is(err, ErrInputs) {
				t.Errorf("%s: error %v, want ErrInputs", tc.reason, err)
			}
		})
	}
}

// TestReadCaseStudyErrors checks that a broken case study is an error
// naming the file.
func TestReadCaseStudyErrors(t *testing.T) {
	scenario, err := os.ReadFile("../cmd/chaosstat/demodata/scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, reason string
		fs           fstest.MapFS
		want         string
	}{
		{"no scenario", "scenario.json is required", fstest.MapFS{}, "scenario.json"},
		{"unknown key", "a misspelt key is an error, not ignored",
			fstest.MapFS{"d/scenario.json": {Data: []byte(`{"slo": 0.9995, "sol": 1}`)}}, `d/scenario.json: json: unknown field "sol"`},
		{"bad time", "run_start is RFC 3339",
			fstest.MapFS{"d/scenario.json": {Data: []byte(`{"planned_window": "30m", "run_start": "noon"}`)}}, "d/scenario.json: run_start"},
		{"missing series", "every role's series must be there",
			fstest.MapFS{"d/scenario.json": {Data: scenario}}, "d/week-satisfaction.csv.gz: missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCaseStudy(tc.fs, "d")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want one holding %q", tc.reason, err, tc.want)
			}
		})
	}
}

// TestReadCaseStudy checks the reader against the layout of README.md:
// the series are named by their files, the groups' history spans 28 days
// a point a minute, and the hypothesis's data are the series its files name.
func TestReadCaseStudy(t *testing.T) {
	in, _ := demoRun(t)
	for _, m := range in.Metrics {
		if m.ControlHistory.Name != "history-control-"+m.Name || m.ExperimentRun.Name != "run-experiment-"+m.Name {
			t.Errorf("%s: series named %q and %q", m.Name, m.ControlHistory.Name, m.ExperimentRun.Name)
		}
		if n := m.ControlHistory.Len(); n != 28*1440 {
			t.Errorf("%s: %d points of history, want 28 days of 1440", m.Name, n)
		}
		if m.Counts != (m.Name == in.Requests) {
			t.Errorf("%s: counts %v", m.Name, m.Counts)
		}
	}
	for i, src := range in.Hypothesis.Sources {
		if got := in.HypothesisData[i].Control.Name + ".csv.gz"; got != src.Control.File {
			t.Errorf("metric %d: control data %s, want the file %s", i, got, src.Control.File)
		}
	}
}
