package prom_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/prom/promtest"
	"github.com/chaosstat/chaosstat/series"
)

// srv is the real Prometheus the integration tests share, backfilled with
// testdata/latency.om (written by testdata/gen.go).
var srv = promtest.Shared{OpenMetrics: "testdata/latency.om"}

func TestMain(m *testing.M) {
	code := m.Run()
	srv.Stop()
	os.Exit(code)
}

// The backfilled data: one point a minute from dataStart to dataEnd.
var (
	dataStart = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	dataEnd   = time.Date(2026, 2, 1, 23, 59, 0, 0, time.UTC)
)

const dataPoints = 4 * 7 * 24 * 60

// backfilled reads testdata/latency.om into one series per group, the
// values the server must give back.
func backfilled(t testing.TB) map[string]series.Series {
	t.Helper()
	out, err := promtest.ReadGroups("testdata/latency.om")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func newClient(t testing.TB, cfg prom.Config) *prom.Client {
	t.Helper()
	c, err := prom.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// equalSeries reports the first difference between got and want, point for
// point, or "" when they are identical.
func equalSeries(got, want series.Series) string {
	if got.Name != want.Name || fmt.Sprint(got.Labels) != fmt.Sprint(want.Labels) {
		return fmt.Sprintf("identity %s%v, want %s%v", got.Name, got.Labels, want.Name, want.Labels)
	}
	if len(got.T) != len(want.T) || len(got.V) != len(want.V) {
		return fmt.Sprintf("%d points, want %d", len(got.T), len(want.T))
	}
	for i := range want.T {
		if got.T[i] != want.T[i] || got.V[i] != want.V[i] {
			return fmt.Sprintf("point %d: (%d, %v), want (%d, %v)", i, got.T[i], got.V[i], want.T[i], want.V[i])
		}
	}
	return ""
}

// TestRangeMatchesBackfill reads the whole four weeks (40,320 points per
// series) through the chunked path and checks every point against the file
// the server was backfilled from. Chunk sizes: the default 11,000 (four
// requests, the last one partial), 997 (a prime, so no chunk edge falls on
// an hour), and one chunk holding everything (the server's own limit is
// 11,000 steps, so that one must fail with the server's message).
func TestRangeMatchesBackfill(t *testing.T) {
	url := srv.URL(t)
	want := backfilled(t)
	r := prom.Range{Start: dataStart, End: dataEnd, Step: time.Minute}
	if got := r.Points(); got != dataPoints {
		t.Fatalf("Range.Points() = %d, want %d", got, dataPoints)
	}
	for _, tc := range []struct {
		name        string
		maxPoints   int
		concurrency int
		requests    int
	}{
		{"default", 0, 0, 4},         // ceil(40320/11000)
		{"prime_serial", 997, 1, 41}, // ceil(40320/997)
		{"prime_concurrent", 997, 8, 41},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, prom.Config{Address: url, MaxPoints: tc.maxPoints, Concurrency: tc.concurrency})
			res, err := c.Range(context.Background(), `checkout_latency_ms`, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Series) != 2 {
				t.Fatalf("%d series, want 2", len(res.Series))
			}
			for i, g := range []string{"control", "experiment"} { // sorted by labels
				if d := equalSeries(res.Series[i], want[g]); d != "" {
					t.Errorf("%s: %s", g, d)
				}
			}
			st := res.Stats
			if st.Series != 2 || st.Points != 2*dataPoints || st.Requests != tc.requests || st.Retries != 0 || st.Timing != prom.WallTime || st.QueryTime <= 0 {
				t.Errorf("Stats = %+v; want 2 series, %d points, %d requests, wall time", st, 2*dataPoints, tc.requests)
			}
		})
	}

	t.Run("server_limit", func(t *testing.T) {
		c := newClient(t, prom.Config{Address: url, MaxPoints: dataPoints})
		_, err := c.Range(context.Background(), `checkout_latency_ms`, r)
		var pe *prom.Error
		if !errors.Is(err, prom.ErrBadQuery) || !errors.As(err, &pe) || !strings.Contains(pe.Msg, "11,000 points") || pe.Status != 400 {
			t.Fatalf("err = %v; want ErrBadQuery with the server's 11,000-point message and HTTP 400", err)
		}
	})
}

// TestRangeServerStats asks for the server's statistics: the query time is
// then the server's execution time and the samples it read are counted.
func TestRangeServerStats(t *testing.T) {
	c := newClient(t, prom.Config{Address: srv.URL(t), ServerStats: true})
	r := prom.Range{Start: dataStart, End: dataStart.Add(24*time.Hour - time.Minute), Step: time.Minute}
	res, err := c.Range(context.Background(), `checkout_latency_ms{group="control"}`, r)
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stats
	// One series of 1440 points, read from 1440 samples.
	if st.Timing != prom.ServerTime || st.QueryTime <= 0 || st.Series != 1 || st.Points != 1440 || st.Samples != 1440 {
		t.Errorf("Stats = %+v; want server time > 0, 1 series, 1440 points and samples", st)
	}
}

// TestCSVAndQueryAgree runs the same comparison on the CSV files gen.go
// wrote and on the same hour read from the server: the results must be
// identical, not merely close.
func TestCSVAndQueryAgree(t *testing.T) {
	c := newClient(t, prom.Config{Address: srv.URL(t)})
	r := prom.Range{Start: time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC), End: time.Date(2026, 2, 1, 13, 0, 0, 0, time.UTC), Step: time.Minute}
	read := func(q string) series.Series {
		res, err := c.Range(context.Background(), q, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Series) != 1 {
			t.Fatalf("%s: %d series, want 1", q, len(res.Series))
		}
		return res.Series[0]
	}
	qExp := read(`checkout_latency_ms{group=` + prom.Quote("experiment") + `}`)
	qCtl := read(`checkout_latency_ms{group=` + prom.Quote("control") + `}`)
	fExp, err := series.ReadFile("testdata/experiment_hour.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	fCtl, err := series.ReadFile("testdata/control_hour.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(qExp.V) != 61 || fmt.Sprint(qExp.T) != fmt.Sprint(fExp.T) || fmt.Sprint(qCtl.T) != fmt.Sprint(fCtl.T) {
		t.Fatalf("timestamps differ between the files and the queries")
	}
	fromQuery, err := compare.MannWhitneyU(qExp.V, qCtl.V, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromCSV, err := compare.MannWhitneyU(fExp.V, fCtl.V, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", fromQuery) != fmt.Sprintf("%+v", fromCSV) {
		t.Errorf("from queries: %+v\nfrom CSV:     %+v", fromQuery, fromCSV)
	}
	// The injected fault (+10 ms for this hour, gen.go) must be found.
	if !(fromQuery.P < 0.001 && fromQuery.Shift.Estimate > 5) {
		t.Errorf("p = %g, shift = %g; want the +10 ms fault found (p < 0.001, shift > 5)", fromQuery.P, fromQuery.Shift.Estimate)
	}
}

// TestRangeWeeksAgo reads the last day of the data one, two and three
// weeks back: each must come back on the last day's timestamps, holding the
// backfilled values of its own week.
func TestRangeWeeksAgo(t *testing.T) {
	c := newClient(t, prom.Config{Address: srv.URL(t)})
	want := backfilled(t)["control"]
	day := prom.Range{Start: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), End: dataEnd, Step: time.Minute}
	cur, err := c.Range(context.Background(), `checkout_latency_ms{group="control"}`, day)
	if err != nil {
		t.Fatal(err)
	}
	for weeks := 1; weeks <= 3; weeks++ {
		res, err := c.RangeWeeksAgo(context.Background(), `checkout_latency_ms{group="control"}`, day, weeks)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Series) != 1 {
			t.Fatalf("%d weeks: %d series", weeks, len(res.Series))
		}
		got := res.Series[0]
		if fmt.Sprint(got.T) != fmt.Sprint(cur.Series[0].T) {
			t.Errorf("%d weeks back: timestamps do not line up with the current day's", weeks)
		}
		// The current day is the last 1440 points; w weeks back starts
		// w·7·1440 points earlier.
		first := dataPoints - 1440 - weeks*7*1440
		for i, v := range got.V {
			if v != want.V[first+i] {
				t.Fatalf("%d weeks back, point %d: %v, want %v (backfilled at %d)", weeks, i, v, want.V[first+i], want.T[first+i])
			}
		}
	}
	// Four weeks back is before the data: no series, and no error.
	res, err := c.RangeWeeksAgo(context.Background(), `checkout_latency_ms{group="control"}`, day, 4)
	if err != nil || len(res.Series) != 0 {
		t.Errorf("4 weeks back: %d series, err %v; want none, no error", len(res.Series), err)
	}
}

// TestInstantAndScalar reads single points.
func TestInstantAndScalar(t *testing.T) {
	c := newClient(t, prom.Config{Address: srv.URL(t)})
	want := backfilled(t)
	ctx := context.Background()
	at := dataStart.Add(90 * time.Minute)
	i := 90

	res, err := c.Instant(ctx, `checkout_latency_ms`, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Samples) != 2 || res.Samples[0].Labels["group"] != "control" || res.Samples[0].V != want["control"].V[i] ||
		res.Samples[1].V != want["experiment"].V[i] || res.Samples[0].T != at.UnixMilli() || res.Stats.Series != 2 {
		t.Errorf("Instant = %+v; want the two backfilled values at %v", res.Samples, at)
	}

	sc, err := c.Scalar(ctx, `sum(checkout_latency_ms)`, at)
	if err != nil {
		t.Fatal(err)
	}
	if w := want["control"].V[i] + want["experiment"].V[i]; sc.Value != w {
		t.Errorf("Scalar(sum) = %v, want %v", sc.Value, w)
	}
	sc, err = c.Scalar(ctx, `scalar(checkout_latency_ms{group="control"}) * 2`, at)
	if err != nil || sc.Value != 2*want["control"].V[i] {
		t.Errorf("Scalar(scalar()*2) = %v, %v; want %v", sc, err, 2*want["control"].V[i])
	}

	_, err = c.Scalar(ctx, `checkout_latency_ms`, at)
	if !errors.Is(err, prom.ErrBadQuery) || !strings.Contains(err.Error(), "2 series") {
		t.Errorf("Scalar over two series: %v; want ErrBadQuery naming 2 series", err)
	}
	_, err = c.Scalar(ctx, `checkout_latency_ms{group="canary"}`, at)
	if !errors.Is(err, prom.ErrNoData) {
		t.Errorf("Scalar of a missing series: %v; want ErrNoData", err)
	}
	_, err = c.Instant(ctx, `checkout_latency_ms[5m]`, at)
	if !errors.Is(err, prom.ErrBadQuery) {
		t.Errorf("Instant of a range vector: %v; want ErrBadQuery", err)
	}
	_, err = c.Range(ctx, `checkout_latency_ms / 0`, prom.Range{Start: at, End: at.Add(time.Minute), Step: time.Minute})
	if !errors.Is(err, prom.ErrBadQuery) || !strings.Contains(err.Error(), "Inf") {
		t.Errorf("a division by zero: %v; want ErrBadQuery about +Inf", err)
	}
}

// TestQuoteAgainstServer sends hostile label values through the real PromQL
// parser: label_replace sets a label to the quoted string, and the server
// must give back exactly the original, which shows the quoting is one
// string literal with nothing leaking into the query. A matcher built from
// an injection attempt must match nothing rather than return vector(1).
func TestQuoteAgainstServer(t *testing.T) {
	c := newClient(t, prom.Config{Address: srv.URL(t)})
	ctx := context.Background()
	at := dataStart.Add(time.Hour)
	for _, v := range hostile {
		q := `label_replace(vector(1), "x", ` + prom.Quote(v) + `, "", "")`
		res, err := c.Instant(ctx, q, at)
		if err != nil {
			t.Errorf("%q: %v", v, err)
			continue
		}
		if len(res.Samples) != 1 || res.Samples[0].Labels["x"] != v || res.Samples[0].V != 1 {
			t.Errorf("%q: got %+v; want one sample with x = the value", v, res.Samples)
		}

		q = `checkout_latency_ms{group=` + prom.Quote(v) + `}`
		res, err = c.Instant(ctx, q, at)
		if err != nil || len(res.Samples) != 0 {
			t.Errorf("%s: %d samples, err %v; want none", q, len(res.Samples), err)
		}
		q = `checkout_latency_ms{group=~` + prom.QuoteRegexp(v) + `}`
		res, err = c.Instant(ctx, q, at)
		if err != nil || len(res.Samples) != 0 {
			t.Errorf("%s: %d samples, err %v; want none", q, len(res.Samples), err)
		}
	}
	// A regexp of literal values matches those and nothing else, even with
	// a metacharacter that would otherwise match everything.
	res, err := c.Instant(ctx, `checkout_latency_ms{group=~`+prom.QuoteRegexpAny("control", ".*")+`}`, at)
	if err != nil || len(res.Samples) != 1 || res.Samples[0].Labels["group"] != "control" {
		t.Errorf("QuoteRegexpAny(control, .*): %+v, %v; want control only", res, err)
	}
}

// hostile are label values that would change a query if pasted unquoted.
var hostile = []string{
	`"} or vector(1) #`,
	`control"} or vector(1) or checkout_latency_ms{group="`,
	`\"} or vector(1) #`,
	"line\nbreak\"}",
	`back\slash`,
	"tab\tand\x00nul",
	"`raw` and 'single'",
	"ünïcødé ✓",
	`.*`,
	`}`,
}
