package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/workflow"
)

// The history cases' data (cmd/chaosstat/testdata/judge/history, gen.go
// there, seeded): an A/A hour of a slowly wandering metric and the 480
// minutes before it, a point a minute.
const historyDir = "../cmd/chaosstat/testdata/judge/history"

// TestJudgeFileHistory: a file-backed plan with history_control and
// history_experiment reads them, relative to the hypothesis file, into
// MetricData and the Data the judge gets; the verdict says it used 480
// minutes of them. The same hour without them has no history. What the
// history does to false alarms is steadystate's TestJudgeHistory.
func TestJudgeFileHistory(t *testing.T) {
	rep, err := workflow.JudgeFile(context.Background(), filepath.Join(historyDir, "history.yaml"), workflow.JudgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	md := rep.Data[0]
	for _, c := range []struct {
		g    workflow.GroupData
		file string
	}{{md.HistoryControl, "before-control.csv"}, {md.HistoryExperiment, "before-experiment.csv"}} {
		if want := filepath.Join(historyDir, c.file); c.g.Name != want || c.g.Series.Len() != 480 {
			t.Errorf("history %s: %d points, want 480 from %s", c.g.Name, c.g.Series.Len(), want)
		}
	}
	d := md.Data()
	if d.HistoryControl.Len() != 480 || d.HistoryExperiment.Len() != 480 || d.Control.Len() != 60 {
		t.Errorf("Data: history %d+%d, window %d points; want 480+480 and 60", d.HistoryControl.Len(), d.HistoryExperiment.Len(), d.Control.Len())
	}
	// The history ends where the window begins.
	if last, first := d.HistoryControl.T[479], d.Control.T[0]; first-last != 60_000 {
		t.Errorf("history ends at %d, the window starts at %d: want one minute apart", last, first)
	}
	if got := rep.Verdict.Metrics[0].HistoryMinutes; got != 480 {
		t.Errorf("HistoryMinutes %v, want 480", got)
	}

	rep, err = workflow.JudgeFile(context.Background(), filepath.Join(historyDir, "window.yaml"), workflow.JudgeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if h := rep.Data[0].HistoryControl; h.Name != "" || h.Series.Len() != 0 || rep.Verdict.Metrics[0].HistoryMinutes != 0 {
		t.Errorf("a metric without history keys: history %q with %d points, HistoryMinutes %v; want none",
			h.Name, h.Series.Len(), rep.Verdict.Metrics[0].HistoryMinutes)
	}
}

// TestJudgeHistoryMissingFile: a history file that cannot be read is a
// *SourceError naming its own line and field.
func TestJudgeHistoryMissingFile(t *testing.T) {
	_, err := workflow.JudgeFile(context.Background(), filepath.Join(historyDir, "missing.yaml"), workflow.JudgeOptions{})
	var se *workflow.SourceError
	if !errors.As(err, &se) || se.Line != 8 || se.Field != "metrics[0].history_experiment" {
		t.Fatalf("error %v; want a *SourceError at line 8, metrics[0].history_experiment", err)
	}
}

// promRecorder is a fake Prometheus whose range queries return one series
// a point a step over the range asked, 100 + the minute's index mod 7 (+3
// when the query names the experiment), and which records each request.
type promRecorder struct {
	mu   sync.Mutex
	asks []string // "query start end", times in RFC 3339
}

func (p *promRecorder) client(t *testing.T) *prom.Client {
	t.Helper()
	f := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		q := r.Form.Get("query")
		start, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
		end, _ := strconv.ParseFloat(r.Form.Get("end"), 64)
		step, _ := strconv.ParseFloat(r.Form.Get("step"), 64)
		p.mu.Lock()
		p.asks = append(p.asks, fmt.Sprintf("%s %s %s", q, time.Unix(int64(start), 0).UTC().Format(time.RFC3339), time.Unix(int64(end), 0).UTC().Format(time.RFC3339)))
		p.mu.Unlock()
		var b strings.Builder
		b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"m"},"values":[`)
		for i, ts := 0, start; ts <= end; i, ts = i+1, ts+step {
			if i > 0 {
				b.WriteString(",")
			}
			v := 100 + float64(int64(ts/60)%7)
			if strings.Contains(q, "experiment") {
				v += 3
			}
			fmt.Fprintf(&b, `[%d,"%g"]`, int64(ts), v)
		}
		b.WriteString("]}]}}")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, b.String())
	}))
	t.Cleanup(f.Close)
	c, err := prom.New(prom.Config{Address: f.URL, Retry: prom.Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// queriesPlan has a metric of two queries, one of two queries with its own
// history (a file and a query), and one whose control is a file.
const queriesPlan = `name: q
metrics:
  - name: read_again
    control: {query: 'm{group="control"}'}
    experiment: {query: 'm{group="experiment"}'}
  - name: own_history
    control: {query: 'own{group="control"}'}
    experiment: {query: 'own{group="experiment"}'}
    history_control: c-before
    history_experiment: {query: 'own_before{group="experiment"}'}
  - name: from_a_file
    control: c-file
    experiment: {query: 'f{group="experiment"}'}
`

// TestJudgePromHistory: with JudgeOptions.History, a metric of two queries
// reads them again over the History before the window, ending a step
// before its start; a metric that names its history reads that instead
// (its query over the window); a metric with a file among its groups gets
// no history and a warning saying why. Queries go to a fake server
// (promRecorder), not a real Prometheus.
func TestJudgePromHistory(t *testing.T) {
	rec := &promRecorder{}
	plan, err := steadystate.ParseHypothesis([]byte(queriesPlan), "q.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mem := &memory{series: map[string]series.Series{"c-before": {}, "c-file": {}}}
	opts := workflow.JudgeOptions{Files: mem, Queries: workflow.PromSource{Client: rec.client(t), Range: hour}, History: 4 * time.Hour}
	md, err := workflow.Load(context.Background(), plan, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`m{group="control"} 2026-02-01T12:00:00Z 2026-02-01T13:00:00Z`,
		`m{group="experiment"} 2026-02-01T12:00:00Z 2026-02-01T13:00:00Z`,
		`m{group="control"} 2026-02-01T08:00:00Z 2026-02-01T11:59:00Z`,
		`m{group="experiment"} 2026-02-01T08:00:00Z 2026-02-01T11:59:00Z`,
		`own{group="control"} 2026-02-01T12:00:00Z 2026-02-01T13:00:00Z`,
		`own{group="experiment"} 2026-02-01T12:00:00Z 2026-02-01T13:00:00Z`,
		`own_before{group="experiment"} 2026-02-01T12:00:00Z 2026-02-01T13:00:00Z`,
		`f{group="experiment"} 2026-02-01T12:00:00Z 2026-02-01T13:00:00Z`,
	}
	if got := strings.Join(rec.asks, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("queries asked:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if h := md[0].HistoryControl; h.Series.Len() != 240 || h.Name != `m{group="control"}` || md[0].HistoryExperiment.Series.Len() != 240 {
		t.Errorf("read again: history %q %d+%d points, want the control's query, 240+240", h.Name, h.Series.Len(), md[0].HistoryExperiment.Series.Len())
	}
	if h := md[1].HistoryControl; h.Name != "mem:c-before" {
		t.Errorf("own history: control's history from %q, want mem:c-before (the metric's own, not read again)", h.Name)
	}
	found := false
	for _, w := range md[2].Control.Warnings {
		found = found || strings.Contains(w.Error(), "no history")
	}
	if !found || md[2].HistoryControl.Series.Len() != 0 {
		t.Errorf("a file among the groups: warnings %v, history %d points; want a warning and no history", md[2].Control.Warnings, md[2].HistoryControl.Series.Len())
	}
}

// TestJudgeHistoryOptionErrors: the rules of JudgeOptions.History, checked
// in Load for every front end, each a *series.OptionError naming "history".
func TestJudgeHistoryOptionErrors(t *testing.T) {
	files, err := workflow.ReadPlan(filepath.Join(historyDir, "window.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	queries, err := steadystate.ParseHypothesis([]byte(queriesPlan), "q.yaml")
	if err != nil {
		t.Fatal(err)
	}
	notHistory := workflow.SourceFunc(func(context.Context, steadystate.Source) (workflow.GroupData, error) {
		return workflow.GroupData{}, nil
	})
	for _, c := range []struct {
		name, reason string
		plan         *steadystate.Plan
		opts         workflow.JudgeOptions
		want         string
	}{
		{"negative", "no time before the window is negative", queries,
			workflow.JudgeOptions{Queries: notHistory, History: -time.Hour},
			"history -1h0m0s: want a duration >= 0, the time before the window to read each query again over as its history, such as 4h"},
		{"files_only", "a plan of files has no query to read again: the user meant history_control and history_experiment", files,
			workflow.JudgeOptions{History: 4 * time.Hour},
			"history 4h0m0s: want 0: " + filepath.Join(historyDir, "window.yaml") + " reads no query to read again; a metric whose data comes from files takes its history from history_control and history_experiment"},
		{"not_history_source", "a caller's query Source that cannot read before its window", queries,
			workflow.JudgeOptions{Queries: notHistory, History: time.Hour},
			"history 1h0m0s: want 0 with a query Source that cannot read before its window (workflow.SourceFunc); use a PromSource or another HistorySource"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := workflow.JudgePlan(context.Background(), c.plan, c.opts)
			var oe *series.OptionError
			if !errors.As(err, &oe) || oe.Option != workflow.OptionHistory {
				t.Fatalf("error %v (%T); want a *series.OptionError for %q (%s)", err, err, workflow.OptionHistory, c.reason)
			}
			if err.Error() != c.want {
				t.Errorf("error\n got %s\nwant %s", err, c.want)
			}
		})
	}
}

// TestHistoryWarningLabels: a history read's warning names the field the
// history came from: the metric's history_control when the file names
// one, its control's query "(history)" when --history read it again, as
// Load's errors do.
func TestHistoryWarningLabels(t *testing.T) {
	w := workflow.GroupData{Warnings: []error{errors.New("the server warned: w")}}
	for _, c := range []struct {
		reread bool
		want   string
	}{
		{false, "metrics[0].history_control: the server warned: w"},
		{true, "metrics[0].control (history): the server warned: w"},
	} {
		r := &workflow.JudgeReport{Data: []workflow.MetricData{{HistoryControl: w, HistoryReread: c.reread}}}
		ws := r.ReadWarnings()
		if len(ws) != 1 || ws[0].Error() != c.want {
			t.Errorf("reread %v: warnings %v, want [%s]", c.reread, ws, c.want)
		}
	}
}
