package workflow_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/prom/promtest"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/workflow"
)

// The example hypothesis's data (examples/hypothesis/data, written by
// steadystate/testdata/judge/gen.go): four hours a point a minute, 240
// points per group.
const (
	exampleDir        = "../examples/hypothesis"
	exampleHypothesis = exampleDir + "/hypothesis.yaml"
	latencyControl    = "data/latency-control.csv"
	examplePoints     = 240
)

// The hour of prom/testdata (gen.go, seeded): checkout_latency_ms of each
// group a point a minute, 61 points from 12:00 to 13:00, and its CSV twins.
const (
	latencyOM    = "../prom/testdata/latency.om"
	controlHour  = "../prom/testdata/control_hour.csv"
	controlQuery = `checkout_latency_ms{group="control"}`
	hourPoints   = 61
)

var hour = prom.Range{Start: time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC), End: time.Date(2026, 2, 1, 13, 0, 0, 0, time.UTC), Step: time.Minute}

// promSrv is Debian's real Prometheus backfilled with latency.om; tests
// that need it skip without it, except under CI=true (promtest).
var promSrv = promtest.Shared{OpenMetrics: latencyOM}

func TestMain(m *testing.M) {
	code := m.Run()
	promSrv.Stop()
	os.Exit(code)
}

// fakeProm answers every range query with the JSON body for that query,
// from answer; its Client allows partial answers when allowPartial.
func fakeProm(t *testing.T, allowPartial bool, answer func(query string) string) *prom.Client {
	t.Helper()
	f := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, answer(r.Form.Get("query")))
	}))
	t.Cleanup(f.Close)
	c, err := prom.New(prom.Config{Address: f.URL, AllowPartial: allowPartial, Retry: prom.Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// matrix is a query_range answer holding one series per label value of
// group, each with points a minute apart over hour at value v, and the
// server's warnings.
func matrix(groups []string, v float64, warnings ...string) string {
	var b strings.Builder
	b.WriteString(`{"status":"success",`)
	if len(warnings) > 0 {
		fmt.Fprintf(&b, `"warnings":["%s"],`, strings.Join(warnings, `","`))
	}
	b.WriteString(`"data":{"resultType":"matrix","result":[`)
	for k, g := range groups {
		if k > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"metric":{"__name__":"m","group":%q},"values":[`, g)
		for i := range hourPoints {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `[%d,"%g"]`, hour.Start.Unix()+60*int64(i), v+float64(i%3))
		}
		b.WriteString("]}")
	}
	b.WriteString("]}}")
	return b.String()
}

// TestSourceConformance runs every Source of the package, and a
// SourceFunc, through the same cases: a source with data gives its series
// and names it, one without data gives an empty series and no error, and
// a source of the other kind is an error, not a silent empty series.
func TestSourceConformance(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "empty.csv"), []byte("timestamp,value\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(filepath.Join(exampleDir, latencyControl))
	if err != nil {
		t.Fatal(err)
	}
	client := fakeProm(t, false, func(q string) string {
		if q == "none" {
			return matrix(nil, 0)
		}
		return matrix([]string{"control"}, 100)
	})
	memory := map[string]series.Series{"latency": {T: []int64{1, 2}, V: []float64{3, 4}}}
	for _, c := range []struct {
		name, reason  string
		src           workflow.Source
		data, noData  steadystate.Source
		wantName      string
		wantN         int
		wrongKind     steadystate.Source
		noDataWarning string
	}{
		{"FileSource relative", "a name in a hypothesis file is relative to its folder",
			workflow.FileSource{Dir: exampleDir}, steadystate.Source{File: latencyControl}, steadystate.Source{File: "../../cmd/chaosstat/testdata/header_only.csv"},
			filepath.Join(exampleDir, latencyControl), examplePoints, steadystate.Source{Query: "up"}, ""},
		{"FileSource absolute", "an absolute name is read as it is, whatever Dir",
			workflow.FileSource{Dir: "/nonexistent"}, steadystate.Source{File: abs}, steadystate.Source{File: filepath.Join(dir, "empty.csv")},
			abs, examplePoints, steadystate.Source{Query: "up"}, ""},
		{"PromSource", "one series is read; no series is no data, with the read's message as a warning",
			workflow.PromSource{Client: client, Range: hour}, steadystate.Source{Query: "m"}, steadystate.Source{Query: "none"},
			"m", hourPoints, steadystate.Source{File: "a.csv"}, `query "none" returned no series from 2026-02-01T12:00:00Z to 2026-02-01T13:00:00Z: check the metric name and labels; the metric has no data`},
		{"SourceFunc", "a caller's own source, here series in memory",
			workflow.SourceFunc(func(_ context.Context, s steadystate.Source) (workflow.GroupData, error) {
				ser, ok := memory[s.File]
				if s.File == "" || (!ok && s.File != "none") {
					return workflow.GroupData{}, fmt.Errorf("%s is not in memory", s)
				}
				return workflow.GroupData{Series: ser, Name: s.File}, nil
			}), steadystate.Source{File: "latency"}, steadystate.Source{File: "none"},
			"latency", 2, steadystate.Source{Query: "up"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := c.src.Read(context.Background(), c.data)
			if err != nil || g.Series.Len() != c.wantN || g.Name != c.wantName || len(g.Warnings) != 0 {
				t.Errorf("%s: got %d points named %q, warnings %v, err %v; want %d named %q (%s)", c.data, g.Series.Len(), g.Name, g.Warnings, err, c.wantN, c.wantName, c.reason)
			}
			g, err = c.src.Read(context.Background(), c.noData)
			if err != nil || g.Series.Len() != 0 {
				t.Errorf("%s: got %d points, err %v; want no data and no error", c.noData, g.Series.Len(), err)
			}
			if c.noDataWarning != "" && (len(g.Warnings) != 1 || g.Warnings[0].Error() != c.noDataWarning) {
				t.Errorf("%s: warnings %v, want %q", c.noData, g.Warnings, c.noDataWarning)
			}
			if _, err := c.src.Read(context.Background(), c.wrongKind); err == nil {
				t.Errorf("%s: no error", c.wrongKind)
			}
		})
	}
}

func TestFileSourceErrors(t *testing.T) {
	src := workflow.FileSource{Dir: "../testdata/series"}
	for _, c := range []struct {
		name, reason, file string
		want               []string
	}{
		{"missing", "the open error names the path as opened", "no-such.csv",
			[]string{"open ../testdata/series/no-such.csv", "no such file"}},
		{"two series", "a saved response of two series: which one is meant? The path, the count and the series",
			"prom_range_two.json", []string{"../testdata/series/prom_range_two.json: holds 2 series (", `job="api"`, "want exactly one"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := src.Read(context.Background(), steadystate.Source{File: c.file})
			if err == nil {
				t.Fatalf("no error (%s)", c.reason)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q (%s)", err, w, c.reason)
				}
			}
			if g.Name != filepath.Join("../testdata/series", c.file) {
				t.Errorf("name %q", g.Name)
			}
		})
	}
}

func TestPromSourceAnswers(t *testing.T) {
	for _, c := range []struct {
		name, reason string
		allow        bool
		allowName    string
		answer       string
		wantIs       error
		want         string // the error's end, or the one warning
	}{
		{"partial refused", "a partial answer is an error matching ErrPartial, saying how to read it anyway",
			false, "", matrix([]string{"control"}, 100, "store down"), workflow.ErrPartial,
			`: 1 warning(s): store down (HTTP 200); prom.Config.AllowPartial reads it anyway`},
		{"partial refused, CLI", "the CLI names its flag",
			false, "--allow-partial", matrix([]string{"control"}, 100, "store down"), workflow.ErrPartial,
			`: 1 warning(s): store down (HTTP 200); --allow-partial reads it anyway`},
		{"partial allowed", "read with the server's warning",
			true, "--allow-partial", matrix([]string{"control"}, 100, "store down"), nil,
			"the server warned (read anyway, --allow-partial): store down"},
		{"two series", "which one is meant? An error listing them",
			false, "", matrix([]string{"a", "b"}, 100), nil,
			`query "m" returned 2 series (m{group="a"}, m{group="b"}); want exactly one: narrow it with a label matcher or an aggregation such as sum(...)`},
		{"bad query", "the server's rejection is the read's error, not no data",
			false, "", `{"status":"error","errorType":"bad_data","error":"parse error"}`, prom.ErrBadQuery, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := workflow.PromSource{Client: fakeProm(t, c.allow, func(string) string { return c.answer }), Range: hour, AllowPartialName: c.allowName}
			g, err := src.Read(context.Background(), steadystate.Source{Query: "m"})
			switch {
			case c.wantIs != nil && !errors.Is(err, c.wantIs):
				t.Errorf("err %v, want one matching %v (%s)", err, c.wantIs, c.reason)
			case c.allow:
				if err != nil || len(g.Warnings) != 1 || g.Warnings[0].Error() != c.want || g.Series.Len() != hourPoints {
					t.Errorf("got %d points, warnings %v, err %v; want %d and %q (%s)", g.Series.Len(), g.Warnings, err, hourPoints, c.want, c.reason)
				}
			case err == nil || !strings.HasSuffix(err.Error(), c.want):
				t.Errorf("err %v, want one ending in %q (%s)", err, c.want, c.reason)
			}
		})
	}
}

// TestPromSourceOneSeries: OneSeries, which the CLI's other commands use,
// tells no series (ErrNoSeries) from the other failures.
func TestPromSourceOneSeries(t *testing.T) {
	p := workflow.PromSource{Range: hour}
	if _, _, err := p.OneSeries("m", &prom.RangeResult{}, nil); !errors.Is(err, workflow.ErrNoSeries) {
		t.Errorf("no series: %v", err)
	}
	two := &prom.RangeResult{Series: []series.Series{{Name: "a"}, {Name: "b"}}}
	if _, _, err := p.OneSeries("m", two, nil); err == nil || errors.Is(err, workflow.ErrNoSeries) {
		t.Errorf("two series: %v", err)
	}
	read := errors.New("unreachable")
	if _, _, err := p.OneSeries("m", nil, read); err != read {
		t.Errorf("a failed read: %v, want its error as it is", err)
	}
	s, ws, err := p.OneSeries("m", &prom.RangeResult{Series: []series.Series{{Name: "a"}}, Warnings: []string{"w"}}, nil)
	if err != nil || s.Name != "a" || len(ws) != 1 || ws[0].Error() != "the server warned (read anyway, prom.Config.AllowPartial): w" {
		t.Errorf("one series: %v %v %v", s, ws, err)
	}
}

func TestPromSourceNoClient(t *testing.T) {
	if _, err := (workflow.PromSource{Range: hour}).Read(context.Background(), steadystate.Source{Query: "up"}); err == nil {
		t.Error("no Client: no error")
	}
}

// TestPromSourcePrometheus reads the control group's hour from a real
// Prometheus: the same values as its CSV twin.
func TestPromSourcePrometheus(t *testing.T) {
	c, err := prom.New(prom.Config{Address: promSrv.URL(t)})
	if err != nil {
		t.Fatal(err)
	}
	g, err := workflow.PromSource{Client: c, Range: hour}.Read(context.Background(), steadystate.Source{Query: controlQuery})
	if err != nil {
		t.Fatal(err)
	}
	want, err := series.ReadFile(controlHour, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != controlQuery || !slices.Equal(g.Series.T, want.T) || !slices.Equal(g.Series.V, want.V) || len(g.Warnings) != 0 {
		t.Errorf("read %q: %d points, warnings %v; want the %d of %s", g.Name, g.Series.Len(), g.Warnings, want.Len(), controlHour)
	}
}
