package main

// Golden cases of chaosstat criteria, on the synthetic week of
// steadystate/criteria/testdata (written by its gen.go; its README says how
// each series is built and what verdict it should get).

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
)

const critDir = "../../steadystate/criteria/testdata/"

// critNow is 30 seconds after the synthetic week's last per-minute point
// (2025-11-08T23:59:00Z).
const critNow = "2025-11-08T23:59:30Z"

var criteriaCases = []cliCase{
	{
		name:   "criteria_week_text",
		reason: "the issue's table: good passes all three (lag +2m), the random walk fails correlation, hourly fails real time, 40% missing fails measurability; exit 1",
		args: []string{"criteria", "--satisfaction", critDir + "satisfaction.csv",
			"--metric", "good=" + critDir + "good.csv", "--metric", "random_walk=" + critDir + "random_walk.csv",
			"--metric", "good_hourly=" + critDir + "good_hourly.csv", "--metric", "good_gappy=" + critDir + "good_gappy.csv",
			"--now", critNow},
		code: exitSignificant,
	},
	{
		name:   "criteria_week_json",
		reason: "the same table for notebooks: every key of the README's contract",
		args: []string{"criteria", "--satisfaction", critDir + "satisfaction.csv",
			"--metric", "good=" + critDir + "good.csv", "--metric", "random_walk=" + critDir + "random_walk.csv",
			"--metric", "good_hourly=" + critDir + "good_hourly.csv", "--metric", "good_gappy=" + critDir + "good_gappy.csv",
			"--now", critNow, "--format", "json"},
		code: exitSignificant,
	},
	{
		name:   "criteria_good_only",
		reason: "one metric that passes everything: exit 0",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "p99_latency=" + critDir + "good.csv", "--now", "1762646370"},
		code:   exitOK,
	},
	{
		name:   "criteria_no_now_json",
		reason: "without --now latency is null and not judged, with a warning",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--format", "json"},
		code:   exitOK,
	},
	{
		name:   "criteria_levels_text",
		reason: "--differencing levels shows the random walk's spurious level correlation; the effective n still keeps it from passing",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "random_walk=" + critDir + "random_walk.csv", "--differencing", "levels"},
		code:   exitSignificant,
	},
	{
		name:   "criteria_kendall_seasonal_text",
		reason: "Kendall's tau-b on changes since the same minute a day earlier",
		args: []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv",
			"--metric", "random_walk=" + critDir + "random_walk.csv", "--method", "kendall", "--differencing", "seasonal"},
		code: exitSignificant,
	},
	{
		name:   "criteria_thresholds_text",
		reason: "looser real-time thresholds let the hourly metric's resolution pass; its correlation still fails",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "hourly=" + critDir + "good_hourly.csv", "--resolution", "1h", "--max-lag", "2h", "--min-completeness", "0.5"},
		code:   exitSignificant,
	},
	{
		name:   "criteria_short_satisfaction",
		reason: "nine points of satisfaction: too little to judge, exit 3, never a pass",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction_short.csv", "--metric", "good=" + critDir + "good.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "criteria_header_only",
		reason: "a metric file without rows is no data: exit 3",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "empty=testdata/header_only.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "criteria_bad_value",
		reason: "a bad cell is an input error naming the metric, file and line",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "bad=testdata/bad_value.csv"},
		code:   exitUsage,
	},
	{
		name:   "criteria_value_column",
		reason: "a plain sample has no times to correlate over",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "males=testdata/males.csv"},
		code:   exitUsage,
	},
	{
		name:   "criteria_no_metric",
		reason: "at least one --metric is required",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv"},
		code:   exitUsage,
	},
	{
		name:   "criteria_no_satisfaction",
		reason: "--satisfaction is required",
		args:   []string{"criteria", "--metric", "good=" + critDir + "good.csv"},
		code:   exitUsage,
	},
	{
		name:   "criteria_metric_no_equals",
		reason: "--metric wants NAME=FILE",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", critDir + "good.csv"},
		code:   exitUsage,
	},
	{
		name:   "criteria_duplicate_metric",
		reason: "two metrics with one name would make an ambiguous table",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "a=" + critDir + "good.csv", "--metric", "a=" + critDir + "good.csv"},
		code:   exitUsage,
	},
	{
		name:   "criteria_bad_lag",
		reason: "--max-lag wants a duration with a unit",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--max-lag", "15"},
		code:   exitUsage,
	},
	{
		name:   "criteria_max_lag_beyond_data",
		reason: "a lag as long as the week of data pairs nothing; refused at once (issue 13: --max-lag 10000h searched for a minute)",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--max-lag", "10000h"},
		code:   exitUsage,
	},
	{
		name:   "criteria_completeness_percent",
		reason: "--min-completeness 99 is a percentage: the message says 0.99",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--min-completeness", "99"},
		code:   exitUsage,
	},
	{
		name:   "criteria_unknown_method",
		reason: "a misspelt method is named with the choices",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--method", "kendal"},
		code:   exitUsage,
	},
	{
		name:   "criteria_now_before_data",
		reason: "a query time before the newest point is an input error, not a negative latency",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--now", "2025-11-08T00:00:00Z"},
		code:   exitUsage,
	},
	{
		name:   "criteria_bad_now",
		reason: "--now wants RFC 3339 or Unix seconds",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--now", "yesterday"},
		code:   exitUsage,
	},
	{
		name:   "criteria_input_error_before_no_data",
		reason: "an input error outranks no data: satisfaction (read first) has no rows, a metric a bad cell: exit 2 naming the metric's file",
		args:   []string{"criteria", "--satisfaction", "testdata/header_only.csv", "--metric", "good=testdata/bad_value.csv"},
		code:   exitUsage,
	},
	{
		name:   "criteria_no_data",
		reason: "without an input error, the satisfaction file without rows is inconclusive",
		args:   []string{"criteria", "--satisfaction", "testdata/header_only.csv", "--metric", "good=" + critDir + "good.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "criteria_two_stdin",
		reason: "stdin can feed one file only",
		args:   []string{"criteria", "--satisfaction", "-", "--metric", "good=-"},
		code:   exitUsage,
	},
	{
		name:   "criteria_stdin_satisfaction",
		reason: `"-" reads satisfaction from stdin`,
		args:   []string{"criteria", "--satisfaction", "-", "--metric", "good=" + critDir + "good.csv"},
		stdin:  critDir + "satisfaction.csv",
		code:   exitOK,
	},
	{
		name:   "criteria_help",
		reason: "criteria -h prints the flags and the defaults on stdout",
		args:   []string{"criteria", "-h"},
		code:   exitOK,
	},
}

func init() { cliCases = append(cliCases, criteriaCases...) }

// The JSON keys of criteria --format json, as the README documents them:
// keys may be added, never renamed or removed.
var critJSONKeys = map[string][]string{
	"":              {"criteria", "metrics", "now", "pass"},
	"criteria":      {"alpha", "differencing", "max_delay_seconds", "max_lag_seconds", "max_latency_seconds", "max_resolution_seconds", "method", "min_completeness", "min_correlation", "season_seconds"},
	"metric":        {"correlation", "measurability", "name", "pass", "realtime", "warnings"},
	"correlation":   {"ar_order", "coefficient", "component", "component_description", "components", "differencing", "direction", "effective_n", "lag_seconds", "lags_searched", "level_coefficient", "method", "methods", "n", "p_value", "pass", "prewhitened_coefficient", "prewhitened_p_value", "season_removed", "step_seconds"},
	"realtime":      {"lag_seconds", "latency_seconds", "pass", "resolution_seconds"},
	"measurability": {"completeness", "expected_points", "expected_step_seconds", "longest_gap_seconds", "missing_points", "pass", "query_samples", "series"},
}

// TestCriteriaJSONContract checks every criteria JSON case against the
// documented keys, and that every metric's pass is the AND of its three
// criteria.
func TestCriteriaJSONContract(t *testing.T) {
	t.Parallel()
	n := 0
	for _, c := range criteriaCases {
		if !slices.Contains(c.args, "json") || c.code > exitSignificant {
			continue
		}
		n++
		t.Run(c.name, func(t *testing.T) {
			_, _, stdout := runCase(t, c)
			var top map[string]any
			if err := json.Unmarshal([]byte(stdout), &top); err != nil {
				t.Fatalf("not a JSON object: %v", err)
			}
			keys := func(what string, m map[string]any) {
				t.Helper()
				if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, critJSONKeys[what]) {
					t.Errorf("%s keys %v, want %v", what, got, critJSONKeys[what])
				}
			}
			keys("", top)
			keys("criteria", top["criteria"].(map[string]any))
			metrics, ok := top["metrics"].([]any)
			if !ok || len(metrics) == 0 {
				t.Fatalf("metrics is %T %v", top["metrics"], top["metrics"])
			}
			all := true
			for _, mv := range metrics {
				m := mv.(map[string]any)
				keys("metric", m)
				pass := true
				for _, part := range []string{"correlation", "realtime", "measurability"} {
					sub := m[part].(map[string]any)
					keys(part, sub)
					pass = pass && sub["pass"].(bool)
				}
				if m["pass"].(bool) != pass {
					t.Errorf("%v: pass %v, criteria say %v", m["name"], m["pass"], pass)
				}
				if _, ok := m["warnings"].([]any); !ok {
					t.Errorf("%v: warnings is %T, want a list", m["name"], m["warnings"])
				}
				all = all && pass
			}
			if top["pass"].(bool) != all {
				t.Errorf("pass %v, metrics say %v", top["pass"], all)
			}
		})
	}
	if n < 2 {
		t.Errorf("%d criteria JSON cases; the contract needs some to check", n)
	}
}
