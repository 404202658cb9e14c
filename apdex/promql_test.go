package apdex

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFormatLe checks le spellings against the two formatters they copy:
// prometheus/common expfmt's text writer (writeFloat: strconv.AppendFloat
// 'g', -1, "+Inf") and prometheus/prometheus model/labels
// FormatOpenMetricsFloat (the same, plus ".0" when there is neither "."
// nor "e"), which Prometheus 3 applies on ingestion.
func TestFormatLe(t *testing.T) {
	for _, tc := range []struct {
		le        float64
		text, om  string
		matcherEi string
	}{
		{0.5, "0.5", "0.5", `le="0.5"`},
		{2, "2", "2.0", `le=~"2|2\\.0"`},
		{2.5, "2.5", "2.5", `le="2.5"`},
		{1, "1", "1.0", `le=~"1|1\\.0"`},
		{10, "10", "10.0", `le=~"10|10\\.0"`},
		{100, "100", "100.0", `le=~"100|100\\.0"`},
		{0.005, "0.005", "0.005", `le="0.005"`}, // client_golang's DefBuckets start here
		{1e-05, "1e-05", "1e-05", `le="1e-05"`},
		{1e6, "1e+06", "1e+06", `le="1e+06"`},
		{123456, "123456", "123456.0", `le=~"123456|123456\\.0"`},
		{sumFloat(0.1, 0.2), "0.30000000000000004", "0.30000000000000004", `le="0.30000000000000004"`},
		{math.Inf(1), "+Inf", "+Inf", `le="+Inf"`},
	} {
		if got := FormatLe(tc.le, LeText); got != tc.text {
			t.Errorf("FormatLe(%v, text) = %q, want %q", tc.le, got, tc.text)
		}
		if got := FormatLe(tc.le, LeOpenMetrics); got != tc.om {
			t.Errorf("FormatLe(%v, openmetrics) = %q, want %q", tc.le, got, tc.om)
		}
		if got := LeMatcher(tc.le, LeText); got != `le="`+tc.text+`"` {
			t.Errorf("LeMatcher(%v, text) = %s", tc.le, got)
		}
		if got := LeMatcher(tc.le, LeOpenMetrics); got != `le="`+tc.om+`"` {
			t.Errorf("LeMatcher(%v, openmetrics) = %s", tc.le, got)
		}
		if got := LeMatcher(tc.le, LeEither); got != tc.matcherEi {
			t.Errorf("LeMatcher(%v, either) = %s, want %s", tc.le, got, tc.matcherEi)
		}
	}
}

func TestQueryPromQL(t *testing.T) {
	for _, tc := range []struct {
		name, reason string
		q            Query
		want         string
	}{
		{
			name: "plain", reason: "the Prometheus documentation's form, T 0.5 and 4T 2, default 5m",
			q:    Query{Metric: "http_request_duration_seconds", Thresholds: Thresholds{T: 0.5}},
			want: `(sum(rate(http_request_duration_seconds_bucket{le="0.5"}[5m])) + sum(rate(http_request_duration_seconds_bucket{le="2"}[5m]))) / 2 / sum(rate(http_request_duration_seconds_count[5m]))`,
		},
		{
			name: "prometheus3_by_job", reason: "Prometheus 3 spells le 2 as 2.0; matchers sorted; one score per job",
			q: Query{Metric: "http_request_duration_seconds", Matchers: map[string]string{"job": "api", "handler": "/"},
				By: []string{"job"}, Range: time.Minute, Thresholds: Thresholds{T: 0.5}, Le: LeOpenMetrics},
			want: `(sum by (job) (rate(http_request_duration_seconds_bucket{handler="/",job="api",le="0.5"}[1m])) + sum by (job) (rate(http_request_duration_seconds_bucket{handler="/",job="api",le="2.0"}[1m]))) / 2 / sum by (job) (rate(http_request_duration_seconds_count{handler="/",job="api"}[1m]))`,
		},
		{
			name: "either_errors", reason: "both spellings, and failures the histogram does not see added to the total",
			q: Query{Metric: "rpc_seconds", Range: 90 * time.Second, Thresholds: Thresholds{T: 1, F: 3}, Le: LeEither,
				ErrorRate: `sum(rate(rpc_failures_total[90s]))`},
			want: `(sum(rate(rpc_seconds_bucket{le=~"1|1\\.0"}[1m30s])) + sum(rate(rpc_seconds_bucket{le=~"3|3\\.0"}[1m30s]))) / 2 / (sum(rate(rpc_seconds_count[1m30s])) + (sum(rate(rpc_failures_total[90s]))))`,
		},
		{
			name: "quoting", reason: `label values with quotes, backslashes and newlines are escaped as PromQL (Go) strings`,
			q:    Query{Metric: "x", Matchers: map[string]string{"path": "a\"b\\c\nd"}, Thresholds: Thresholds{T: 0.25}},
			want: `(sum(rate(x_bucket{path="a\"b\\c\nd",le="0.25"}[5m])) + sum(rate(x_bucket{path="a\"b\\c\nd",le="1"}[5m]))) / 2 / sum(rate(x_count{path="a\"b\\c\nd"}[5m]))`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.q.PromQL()
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			if got != tc.want {
				t.Errorf("%s\n got %s\nwant %s", tc.reason, got, tc.want)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	ok := Query{Metric: "m", Thresholds: Thresholds{T: 0.5}}
	for _, tc := range []struct {
		name string
		edit func(q *Query)
		want string
	}{
		{"empty_metric", func(q *Query) { q.Metric = "" }, `metric name "" is not a classic Prometheus name`},
		{"utf8_metric", func(q *Query) { q.Metric = "http.duration" }, `metric name "http.duration"`},
		{"bucket_suffix", func(q *Query) { q.Metric = "m_bucket" }, "ends in _bucket; give the histogram's name without the suffix (m)"},
		{"bad_label", func(q *Query) { q.Matchers = map[string]string{"a-b": "x"} }, `label name "a-b"`},
		{"le_matcher", func(q *Query) { q.Matchers = map[string]string{"le": "1"} }, `a matcher on "le" is not allowed`},
		{"le_by", func(q *Query) { q.By = []string{"le"} }, `"le" cannot be a by label`},
		{"bad_by", func(q *Query) { q.By = []string{"1x"} }, `by label "1x"`},
		{"negative_range", func(q *Query) { q.Range = -time.Minute }, "range -1m0s"},
		{"sub_ms_range", func(q *Query) { q.Range = time.Microsecond }, "range 1µs"},
		{"bad_T", func(q *Query) { q.T = 0 }, "threshold 0: want a positive number of seconds"},
		{"bad_le_format", func(q *Query) { q.Le = 7 }, "unknown le format LeFormat(7)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := ok
			tc.edit(&q)
			_, err := q.PromQL()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{5 * time.Minute, "5m"}, {90 * time.Second, "1m30s"}, {time.Hour, "1h"}, {25 * time.Hour, "25h"},
		{1500 * time.Millisecond, "1s500ms"}, {time.Millisecond, "1ms"},
	} {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestQueryPromtool runs the built queries in Prometheus's own engine,
// through `promtool test rules` (Debian's prometheus package), on a
// histogram of random durations fed in as counters, and checks that
// Prometheus computes the score FromHistogram computes from the same
// buckets. It checks too that le spelt as Prometheus 3 stores it ("2.0")
// is matched by LeOpenMetrics and LeEither, that LeText then finds
// nothing, and that a label value needing escapes is quoted correctly.
// Outside CI a missing promtool skips the test; under CI it fails.
func TestQueryPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool not found; install Debian's prometheus package")
		}
		t.Skip("promtool not found (Debian package prometheus); CI requires it")
	}
	th := Thresholds{T: 0.5}
	// 1000 durations: satisfied, tolerating and frustrated in a known mix.
	ds := make([]float64, 0, 1000)
	for i := range 1000 {
		ds = append(ds, float64(i%37)*0.09) // 0 to 3.24 s
	}
	bounds := []float64{0.1, 0.5, 1, 2, 2.5}
	h := histogramOf(ds, bounds)
	want, err := FromHistogram(h, th, HistogramOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const job = `api "v2" \ east`
	for _, tc := range []struct {
		name   string
		stored LeFormat // how the input series spell le
		query  LeFormat
		match  bool
	}{
		{"text_text", LeText, LeText, true},
		{"om_om", LeOpenMetrics, LeOpenMetrics, true},
		{"om_either", LeOpenMetrics, LeEither, true},
		{"text_either", LeText, LeEither, true},
		{"om_text", LeOpenMetrics, LeText, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Query{Metric: "http_request_duration_seconds", Matchers: map[string]string{"job": job},
				Thresholds: th, Le: tc.query}
			expr, err := q.PromQL()
			if err != nil {
				t.Fatal(err)
			}
			// Each bucket grows by its count every minute, so every
			// rate is count/60 and the score that of the counts.
			var in strings.Builder
			for _, b := range h.Buckets {
				fmt.Fprintf(&in, "      - series: '%s'\n        values: '0+%gx20'\n",
					yamlSingle(fmt.Sprintf("http_request_duration_seconds_bucket{job=%s,le=%q}", QuoteString(job), FormatLe(b.Le, tc.stored))), b.Count)
			}
			fmt.Fprintf(&in, "      - series: '%s'\n        values: '0+%gx20'\n",
				yamlSingle(fmt.Sprintf("http_request_duration_seconds_count{job=%s}", QuoteString(job))), want.Total)
			samples := "        exp_samples: []\n"
			if tc.match {
				samples = fmt.Sprintf("        exp_samples:\n          - labels: '{}'\n            value: %s\n",
					strconv.FormatFloat(want.Value, 'g', -1, 64))
			}
			file := fmt.Sprintf("evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n%s    promql_expr_test:\n      - expr: '%s'\n        eval_time: 10m\n%s",
				in.String(), yamlSingle(expr), samples)
			path := filepath.Join(t.TempDir(), "apdex_test.yml")
			if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(promtool, "test", "rules", path).CombinedOutput()
			if err != nil {
				t.Errorf("promtool: %v\n%s\ntest file:\n%s", err, out, file)
			}
		})
	}
}

// sumFloat adds in float64 arithmetic (a constant 0.1 + 0.2 is exactly 0.3
// in Go), for a bound as a program computing buckets would hold it.
func sumFloat(a, b float64) float64 { return a + b }

// yamlSingle escapes s for a single-quoted YAML scalar.
func yamlSingle(s string) string { return strings.ReplaceAll(s, "'", "''") }
