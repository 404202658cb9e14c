package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/prom/promtest"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

// The data: prom/testdata/gen.go (seeded) wrote latency.om, four weeks of
// checkout_latency_ms{group="control"|"experiment"} a point a minute from
// 2026-01-05T00:00Z to 2026-02-01T23:59Z, with a +10 ms fault injected into
// the experiment group from 2026-02-01T12:00Z to 13:00Z, and the CSV twins
// of that hour (61 points each, the same values).
const (
	latencyOM     = "../../prom/testdata/latency.om"
	controlCSV    = "../../prom/testdata/control_hour.csv"
	experimentCSV = "../../prom/testdata/experiment_hour.csv"
	query         = `checkout_latency_ms{group=$group}`
	faultStart    = "2026-02-01T12:00:00Z"
	faultEnd      = "2026-02-01T13:00:00Z"
)

// srv is Debian's real Prometheus, backfilled with latency.om. Without the
// binaries the tests that need it skip, except under CI=true, where they
// fail (promtest).
var srv = promtest.Shared{OpenMetrics: latencyOM}

func TestMain(m *testing.M) {
	code := m.Run()
	srv.Stop()
	os.Exit(code)
}

// latencyMetric is the metric the fault-hour runs judge, built here from
// the flags' meaning (not by parse), so that a flag read wrong shows.
var latencyMetric = steadystate.Metric{Name: "latency", Unit: "ms", Direction: steadystate.Increase, Tolerance: 0.05}

// faultArgs are the arguments of the README's run on the fault hour.
func faultArgs(addr string, extra ...string) []string {
	return append([]string{"-prometheus", addr, "-query", query, "-start", faultStart, "-end", faultEnd,
		"-name", "latency", "-unit", "ms", "-direction", "increase"}, extra...)
}

func runOut(t *testing.T, args []string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(args, &out)
	return out.String(), err
}

func readCSV(t *testing.T, name string) series.Series {
	t.Helper()
	s, err := series.ReadFile(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// backfilled parses latency.om (independently of prom and of promtool):
// one series per group.
func backfilled(t *testing.T) map[string]series.Series {
	t.Helper()
	out, err := promtest.ReadGroups(latencyOM)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// numbers parses the "numbers" line into its fields.
func numbers(t *testing.T, out string) map[string]string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "numbers     "); ok {
			m := map[string]string{}
			for _, f := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(f, "="); ok {
					m[k] = v
				}
			}
			return m
		}
	}
	t.Fatalf("no numbers line in\n%s", out)
	return nil
}

// exact checks that the printed number reads back to exactly want.
func exact(t *testing.T, nums map[string]string, key string, want float64) {
	t.Helper()
	got, err := strconv.ParseFloat(nums[key], 64)
	if err != nil || got != want {
		t.Errorf("%s = %q, want exactly %s", key, nums[key], strconv.FormatFloat(want, 'g', -1, 64))
	}
}

// TestFaultHourMatchesCSV runs the example on the fault hour against the real
// server and checks it against the same hour judged from the CSV twins: the
// verdict table must be the same text and the judged numbers the same
// float64s, so the read lost nothing. The numbers are also checked against
// compare.TimeSeries called directly on the CSV files, and against what is
// known without chaosstat: gen.go added 10 ms to the experiment, so the
// hypothesis (at most 5% slower) is disproved and the interval holds 10.
func TestFaultHourMatchesCSV(t *testing.T) {
	addr := srv.URL(t)
	out, err := runOut(t, faultArgs(addr))
	if !errors.Is(err, errDisproved) || exitCode(err) != exitDisproved {
		t.Fatalf("err = %v, want errDisproved (exit 1); output:\n%s", err, out)
	}
	ctl, exp := readCSV(t, controlCSV), readCSV(t, experimentCSV)

	wantHead := fmt.Sprintf(`server      %s
window      2026-02-01T12:00:00Z to 2026-02-01T13:00:00Z, a point every 1m
control     checkout_latency_ms{group="control"}: 61 of 61 points in 1 request
experiment  checkout_latency_ms{group="experiment"}: 61 of 61 points in 1 request
baseline    the control's window 1 to 4 weeks ago: 3 of 4 weeks with data, 4 requests
`, addr)
	if !strings.HasPrefix(out, wantHead) {
		t.Errorf("output does not start with\n%s\ngot:\n%s", wantHead, out)
	}

	v, err := steadystate.Judge(steadystate.Hypothesis{Name: "latency stays within tolerance of the control", Metrics: []steadystate.Metric{latencyMetric}},
		[]steadystate.Data{{Control: ctl, Experiment: exp}})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := writeVerdict(&want, v); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out, "\n\n"+want.String()) {
		t.Errorf("the verdict differs from the CSV twins'.\ngot:\n%s\nwant (from %s, %s):\n%s", out, controlCSV, experimentCSV, want.String())
	}

	nums := numbers(t, out)
	res, err := compare.TimeSeries(exp, ctl, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	exact(t, nums, "effect", res.Shift.Estimate)
	exact(t, nums, "low", res.Shift.Low)
	exact(t, nums, "high", res.Shift.High)
	exact(t, nums, "p", res.P)
	exact(t, nums, "control", res.ControlLevel)
	exact(t, nums, "effective_n", res.EffectiveN)
	exact(t, nums, "autocorrelation", res.Autocorrelation)
	if nums["n"] != "61+61" {
		t.Errorf("n = %q, want 61+61", nums["n"])
	}
	if !(res.Shift.Low < 10 && 10 < res.Shift.High) || !strings.Contains(out, "numbers     latency: high ") {
		t.Errorf("want latency high with the injected 10 ms inside [%v, %v]; output:\n%s", res.Shift.Low, res.Shift.High, out)
	}

	// The baseline: the control's same hour 1, 2 and 3 weeks before (the
	// fourth is before the data), taken from latency.om.
	ctlAll := backfilled(t)["control"]
	var hist series.Series
	for k := 3; k >= 1; k-- {
		from := mustTime(t, faultStart).Add(-time.Duration(k) * prom.Week)
		w := ctlAll.Between(from, from.Add(time.Hour+time.Minute))
		hist.T, hist.V = append(hist.T, w.T...), append(hist.V, w.V...)
	}
	if len(hist.T) != 3*61 {
		t.Fatalf("history from latency.om has %d points, want 183", len(hist.T))
	}
	rep, err := baseline.Evaluate(hist, ctl, baseline.Options{Weeks: 4}, baseline.DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("            %d points judged, %d outside the centre ± 4 spreads", rep.Judged, rep.Outside)
	if rep.Judged != 61 || !strings.Contains(out, line) || !strings.Contains(out, "warning: week 4 of 4") {
		t.Errorf("want %q (61 judged) and the warning about week 4; output:\n%s", line, out)
	}
	if rep.Deviated() == strings.Contains(out, "the control is as usual") {
		t.Errorf("baseline from latency.om deviated=%v; output says otherwise:\n%s", rep.Deviated(), out)
	}
}

// TestChunkedRead reads the same hour in requests of at most 7 points
// (61 points: 9 requests per series and week): only the request counts may
// change.
func TestChunkedRead(t *testing.T) {
	addr := srv.URL(t)
	whole, err := runOut(t, faultArgs(addr))
	if !errors.Is(err, errDisproved) {
		t.Fatalf("err = %v", err)
	}
	chunked, err := runOut(t, faultArgs(addr, "-max-points", "7"))
	if !errors.Is(err, errDisproved) {
		t.Fatalf("err = %v", err)
	}
	want := strings.ReplaceAll(whole, "points in 1 request\n", "points in 9 requests\n")
	want = strings.Replace(want, "weeks with data, 4 requests", "weeks with data, 36 requests", 1)
	if chunked != want {
		t.Errorf("chunked read:\n%s\nwant:\n%s", chunked, want)
	}
}

// TestHeldWeekBefore judges the same hour a week earlier, when no fault was
// injected: the hypothesis holds (exit 0), with the numbers the same hour
// taken from latency.om gives.
func TestHeldWeekBefore(t *testing.T) {
	addr := srv.URL(t)
	out, err := runOut(t, []string{"-prometheus", addr, "-query", query, "-start", "2026-01-25T12:00:00Z", "-end", "2026-01-25T13:00:00Z",
		"-name", "latency", "-unit", "ms", "-direction", "increase", "-weeks", "0"})
	if err != nil || exitCode(err) != exitHeld {
		t.Fatalf("err = %v, want nil (held, exit 0); output:\n%s", err, out)
	}
	if strings.Contains(out, "baseline") {
		t.Errorf("-weeks 0 printed a baseline:\n%s", out)
	}
	all := backfilled(t)
	from := mustTime(t, "2026-01-25T12:00:00Z")
	ctl := all["control"].Between(from, from.Add(61*time.Minute))
	exp := all["experiment"].Between(from, from.Add(61*time.Minute))
	if ctl.Len() != 61 || exp.Len() != 61 {
		t.Fatalf("latency.om: %d and %d points in the hour, want 61", ctl.Len(), exp.Len())
	}
	v, err := judge(latencyMetric, ctl, exp)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	writeVerdict(&want, v)
	if v.Outcome != steadystate.Held || !strings.HasSuffix(out, "\n\n"+want.String()) {
		t.Errorf("got:\n%s\nwant the verdict from latency.om (%v):\n%s", out, v.Outcome, want.String())
	}
}

// TestTenantAndToken puts a Mimir-like gateway in front of the real server:
// the API under /prometheus, a tenant in X-Scope-OrgID and a bearer token
// required. With -tenant, -bearer-token-file and the path prefix the output
// is the direct one but for the server line; without the tenant the gateway
// refuses (401) and the example reports an authentication error, never a
// verdict, and never the token.
func TestTenantAndToken(t *testing.T) {
	addr := srv.URL(t)
	direct, err := runOut(t, faultArgs(addr))
	if !errors.Is(err, errDisproved) {
		t.Fatalf("err = %v", err)
	}
	const token = "s3cret-token"
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	target, _ := url.Parse(addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Scope-OrgID") != "team-a" || r.Header.Get("Authorization") != "Bearer "+token || r.Header.Get("X-Extra") != "1" {
			http.Error(w, "no tenant, token or extra header", http.StatusUnauthorized)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/prometheus")
		if !ok {
			http.NotFound(w, r)
			return
		}
		r.URL.Path = rest
		proxy.ServeHTTP(w, r)
	}))
	defer gateway.Close()

	out, err := runOut(t, faultArgs(gateway.URL+"/prometheus", "-tenant", "team-a", "-bearer-token-file", tokenFile, "-header", "X-Extra=1"))
	if !errors.Is(err, errDisproved) {
		t.Fatalf("through the gateway: err = %v; output:\n%s", err, out)
	}
	want := strings.Replace(direct, "server      "+addr+"\n", "server      "+gateway.URL+"/prometheus\n", 1)
	if out != want {
		t.Errorf("through the gateway:\n%s\nwant:\n%s", out, want)
	}

	out, err = runOut(t, faultArgs(gateway.URL+"/prometheus", "-bearer-token-file", tokenFile, "-header", "X-Extra=1"))
	if !errors.Is(err, prom.ErrAuth) || exitCode(err) != exitError || strings.Contains(err.Error()+out, token) {
		t.Errorf("without the tenant: err = %v, want prom.ErrAuth without the token; output:\n%s", err, out)
	}
}

// TestQuotedValuesStayLiteral: a label value that would change an unquoted
// query (closing the selector and adding "or vector(1)", which always has
// a value: unquoted, the control would be the constant 1, a valid query)
// stays one string literal, so the server finds no such group and the
// example says so, instead of judging vector(1).
func TestQuotedValuesStayLiteral(t *testing.T) {
	addr := srv.URL(t)
	evil := `nosuch"} or vector(1) or {group="nosuch`
	out, err := runOut(t, []string{"-prometheus", addr, "-query", query, "-control", evil, "-start", faultStart, "-end", faultEnd})
	wantQuery := `checkout_latency_ms{group="nosuch\"} or vector(1) or {group=\"nosuch"}`
	if !errors.Is(err, prom.ErrNoData) || !strings.Contains(err.Error(), wantQuery) || exitCode(err) != exitInconclusive {
		t.Errorf("err = %v; want prom.ErrNoData naming %s; output:\n%s", err, wantQuery, out)
	}
	if strings.Contains(out, "verdict") {
		t.Errorf("judged without data:\n%s", out)
	}
}

// TestOneSeriesPerGroup: a query giving several series per group is an
// error that says to aggregate, not a verdict on one of them.
func TestOneSeriesPerGroup(t *testing.T) {
	addr := srv.URL(t)
	_, err := runOut(t, []string{"-prometheus", addr, "-query", `checkout_latency_ms{group!=$group}`, "-control", "x", "-experiment", "y",
		"-start", faultStart, "-end", faultEnd})
	if err == nil || !strings.Contains(err.Error(), "2 series, want one per group: aggregate") {
		t.Errorf("err = %v", err)
	}
}

// TestUsage checks the flags that are refused before any request, and the
// defaults: the last hour to now, rounded down to the step, with the
// tenant sent as X-Scope-OrgID.
func TestUsage(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no query", nil, "-query is required"},
		{"no placeholder", []string{"-query", "up"}, "has no $group"},
		{"same groups", []string{"-query", query, "-experiment", "control"}, "both \"control\""},
		{"argument", []string{"-query", query, "extra"}, `unexpected argument "extra"`},
		{"bad start", []string{"-query", query, "-start", "yesterday"}, "-start \"yesterday\" is neither Unix seconds, RFC 3339"},
		{"start after end", []string{"-query", query, "-start", faultEnd, "-end", faultStart}, "is not before -end"},
		{"direction", []string{"-query", query, "-direction", "up"}, "-direction"},
		{"tolerance", []string{"-query", query, "-tolerance", "-0.1"}, "-tolerance"},
		{"max points", []string{"-query", query, "-max-points", "1"}, "-max-points 1"},
		{"weeks", []string{"-query", query, "-weeks", "-1"}, "-weeks -1"},
		{"step", []string{"-query", query, "-step", "0s"}, `flag -step: "0s" is not positive`},
		{"header", []string{"-query", query, "-header", "novalue"}, "want NAME=VALUE"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, stderr bytes.Buffer
			err := runContext(t.Context(), c.args, &out, &stderr)
			if err == nil || !strings.Contains(err.Error()+stderr.String(), c.want) || exitCode(err) != exitError {
				t.Errorf("err = %v, stderr %q; want %q", err, stderr.String(), c.want)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q", out.String())
			}
		})
	}

	now := time.Date(2026, 2, 1, 12, 34, 56, 0, time.UTC)
	o, err := parse([]string{"-query", query, "-tenant", "team-a"}, &bytes.Buffer{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if o.client.Address != "http://localhost:9090" || o.window.Start != mustTime(t, "2026-02-01T11:34:00Z") || o.window.End != mustTime(t, "2026-02-01T12:34:00Z") ||
		o.window.Step != time.Minute || o.weeks != 4 || o.client.Headers["X-Scope-OrgID"] != "team-a" || o.client.MaxPoints != prom.DefaultMaxPoints ||
		o.metric.Tolerance != 0.05 || o.metric.Direction != steadystate.Either ||
		o.controlQuery != `checkout_latency_ms{group="control"}` || o.experimentQuery != `checkout_latency_ms{group="experiment"}` {
		t.Errorf("defaults: %+v", o)
	}
}

// TestReadme checks that README.md shows what the program prints on the
// fault hour (with the default address in place of the test server's), and
// the four-week read it describes: 40,320 points a group in 4 requests.
func TestReadme(t *testing.T) {
	addr := srv.URL(t)
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "It prints, and exits 1")
	if !ok {
		t.Fatal(`README.md: no "It prints, and exits 1"`)
	}
	_, block, ok := strings.Cut(after, "```\n")
	if !ok {
		t.Fatal("README.md: no output block after \"It prints\"")
	}
	block, _, ok = strings.Cut(block, "```\n")
	if !ok {
		t.Fatal("README.md: output block not closed")
	}
	out, err := runOut(t, faultArgs(addr))
	if !errors.Is(err, errDisproved) {
		t.Fatalf("err = %v, want errDisproved (exit 1)", err)
	}
	out = strings.Replace(out, "server      "+addr+"\n", "server      http://localhost:9090\n", 1)
	if block != out {
		t.Errorf("README.md shows:\n%s\nthe program prints:\n%s", block, out)
	}

	out, err = runOut(t, []string{"-prometheus", addr, "-query", query, "-start", "2026-01-05T00:00:00Z", "-end", "2026-02-01T23:59:00Z", "-weeks", "0"})
	if err != nil && !errors.Is(err, errDisproved) && !errors.Is(err, errInconclusive) {
		t.Fatal(err)
	}
	for _, g := range []string{"control", "experiment"} {
		line := fmt.Sprintf("%-12scheckout_latency_ms{group=%q}: 40320 of 40320 points in 4 requests\n", g, g)
		if !strings.Contains(out, line) {
			t.Errorf("four weeks: want %q in\n%s", line, out)
		}
	}
}
