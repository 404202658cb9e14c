package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// Golden cases of the baseline command. The synthetic stream starts come
// from steadystate/baseline/testdata (seeded generator gen.go there): four
// weeks of per-minute history in New York time crossing the end of daylight
// saving, a normal day, and a day with a 25% drop from 14:00 to 14:20. The
// NYC taxi rows are in the same folder; the two current days
// (testdata/baseline_taxi_2014-11-2{0,7}.csv) are its rows of those dates.
const (
	synthHistory = "../../steadystate/baseline/testdata/history.csv"
	synthNormal  = "../../steadystate/baseline/testdata/normal_day.csv"
	synthDrop    = "../../steadystate/baseline/testdata/drop_day.csv"
	taxiHistory  = "../../steadystate/baseline/testdata/taxi_2014-10-23_2014-11-27.csv"
	taxiThanks   = "testdata/baseline_taxi_2014-11-27.csv"
	taxiOrdinary = "testdata/baseline_taxi_2014-11-20.csv"
	newYork      = "America/New_York"
)

func init() {
	cliCases = append(cliCases, baselineCases...)
}

var baselineCases = []cliCase{
	{
		name:   "baseline_synthetic_normal_text",
		reason: "a normal day against four weeks of per-minute history: steady, exit 0, no false alarm on the history either",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthNormal, "--timezone", newYork},
		code:   exitOK,
	},
	{
		name:   "baseline_synthetic_drop_text",
		reason: "a 25% drop from 14:00 to 14:20: exactly one deviation, those 20 minutes, exit 1",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthDrop, "--timezone", newYork},
		code:   exitSignificant,
	},
	{
		name:   "baseline_synthetic_drop_json",
		reason: "the drop for notebooks: every JSON key, times RFC 3339 in the zone",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthDrop, "--timezone", newYork, "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_synthetic_utc_text",
		reason: "the wrong zone (UTC for a New York cycle across DST): the leave-one-week-out false-alarm rate shows it",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthNormal, "--timezone", "UTC"},
		code:   exitOK,
	},
	{
		name:   "baseline_synthetic_level_adjust_json",
		reason: "--weeks 3 --level-adjust --min-weeks 2: fewer weeks, each scaled to the latest week's level",
		args:   []string{"baseline", "--history", synthHistory, "--current", synthDrop, "--timezone", newYork, "--weeks", "3", "--min-weeks", "2", "--level-adjust", "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_thanksgiving_text",
		reason: "real data: Thanksgiving 2014 against its four prior weeks deviates; the history's points from that day on are ignored, with a warning",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", newYork},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_thanksgiving_json",
		reason: "Thanksgiving in JSON",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", newYork, "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_ordinary_json",
		reason: "an ordinary Thursday (2014-11-20) is steady; the calibration weeks hold real incidents (Halloween, the marathon), so the rate is not 0",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiOrdinary, "--timezone", newYork, "--format", "json"},
		code:   exitOK,
	},
	{
		name:   "baseline_taxi_counts_text",
		reason: "the counts model built by hand (--log-scale --pool-days --resolution 1, model custom) on Thanksgiving: the band is a factor around the centre, and the rule line says how the band was built",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", newYork, "--log-scale", "--pool-days", "--resolution", "1"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_counts_ordinary_json",
		reason: "the counts model built by hand on an ordinary Thursday: steady, with model custom, log_scale, pool_days and resolution in the JSON",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiOrdinary, "--timezone", newYork, "--log-scale", "--pool-days", "--resolution", "1", "--format", "json"},
		code:   exitOK,
	},
	{
		name:   "baseline_stdin_current",
		reason: `"-" reads the current series from stdin`,
		args:   []string{"baseline", "--history", taxiHistory, "--current", "-", "--timezone", newYork, "--z", "5", "--persistence", "3"},
		stdin:  taxiThanks,
		code:   exitSignificant,
	},

	// Inconclusive: exit 3.
	{
		name:   "baseline_not_enough_history",
		reason: "one day of history is one week with data, fewer than 3: inconclusive, never steady",
		args:   []string{"baseline", "--history", taxiOrdinary, "--current", taxiThanks},
		code:   exitInconclusive,
	},
	{
		name:   "baseline_current_header_only",
		reason: "a current file without rows has no data",
		args:   []string{"baseline", "--history", taxiHistory, "--current", "testdata/header_only.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "baseline_current_all_missing",
		reason: "a current series whose every value is missing: nothing judged, inconclusive",
		args:   []string{"baseline", "--history", taxiHistory, "--current", "testdata/all_missing.csv", "--timezone", newYork},
		code:   exitInconclusive,
	},

	// Input and usage errors: exit 2.
	{
		name:   "baseline_missing_file",
		reason: "a history file that does not exist",
		args:   []string{"baseline", "--history", "testdata/no_such_file.csv", "--current", taxiThanks},
		code:   exitUsage,
	},
	{
		name:   "baseline_bad_value",
		reason: "a bad cell names the file, line and column",
		args:   []string{"baseline", "--history", taxiHistory, "--current", "testdata/bad_value.csv"},
		code:   exitUsage,
	},
	{
		name:   "baseline_plain_sample",
		reason: "a value-only file has no times to lay over a week",
		args:   []string{"baseline", "--history", "testdata/males.csv", "--current", taxiThanks},
		code:   exitUsage,
	},
	{
		name:   "baseline_taxi_linear_text",
		reason: "--model linear is the band of the values as they are (the default before --model auto): Thanksgiving deviates, and the rule line names the model as given",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", newYork, "--model", "linear"},
		code:   exitSignificant,
	},
	{
		name:   "baseline_taxi_model_counts_json",
		reason: "--model counts on whole numbers: model counts, given, with log_scale, pool_days and resolution 1 in the JSON",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiOrdinary, "--timezone", newYork, "--model", "counts", "--format", "json"},
		code:   exitOK,
	},
	{
		name:   "baseline_model_unknown",
		reason: "a model that does not exist is refused with the flag and the three names",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--model", "poisson"},
		code:   exitUsage,
	},
	{
		name:   "baseline_model_and_log_scale",
		reason: "--model linear sets the scale: --log-scale with it would contradict it, so both flags are named",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--model", "linear", "--log-scale"},
		code:   exitUsage,
	},
	{
		name:   "baseline_model_and_pool_days",
		reason: "--model counts pools the spread over the days itself: --pool-days with it is refused, both flags named",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--model", "counts", "--pool-days"},
		code:   exitUsage,
	},
	{
		name:   "baseline_resolution_zero",
		reason: "a resolution is the metric's smallest step: 0 or negative is refused with the flag named",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--resolution", "0"},
		code:   exitUsage,
	},
	{
		name:   "baseline_unknown_timezone",
		reason: "a misspelt zone is named",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", "America/NewYork"},
		code:   exitUsage,
	},
	{
		name:   "baseline_local_timezone",
		reason: "Local would make the answer depend on the machine",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", "Local"},
		code:   exitUsage,
	},
	{
		name:   "baseline_weeks_zero",
		reason: "--weeks must be at least 1",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--weeks", "0"},
		code:   exitUsage,
	},
	{
		name:   "baseline_min_weeks_above_weeks",
		reason: "--min-weeks cannot exceed --weeks",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--weeks", "2", "--min-weeks", "3"},
		code:   exitUsage,
	},
	{
		name:   "baseline_z_negative",
		reason: "--z must be positive",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--z", "-1"},
		code:   exitUsage,
	},
	{
		name:   "baseline_missing_history",
		reason: "--history is required",
		args:   []string{"baseline", "--current", taxiThanks},
		code:   exitUsage,
	},
	{
		name:   "baseline_missing_current",
		reason: "--current is required",
		args:   []string{"baseline", "--history", taxiHistory},
		code:   exitUsage,
	},
	{
		name:   "baseline_both_stdin",
		reason: "stdin can feed only one file",
		args:   []string{"baseline", "--history", "-", "--current", "-"},
		code:   exitUsage,
	},
	{
		name:   "baseline_help",
		reason: "baseline -h prints the flags on stdout and succeeds",
		args:   []string{"baseline", "-h"},
		code:   exitOK,
	},
}

// baselineJSONKeys are the keys of baseline --format json, as the README
// documents them.
var (
	baselineJSONKeys = []string{"deviations", "false_alarm_days", "false_alarm_rate_per_day", "false_alarm_rate_upper_95",
		"fraction_outside", "judged", "level_adjust", "log_scale", "missing", "model", "model_reason", "outside", "persistence", "pool_days", "resolution",
		"step_seconds", "timezone", "unjudged",
		"verdict", "warnings", "weeks", "weeks_with_data", "z"}
	deviationJSONKeys = []string{"direction", "end", "points", "start", "worst_ratio"}
)

// TestBaselineJSONContract checks every baseline JSON case: exactly the
// documented keys, the verdict agreeing with the exit code and with the
// deviations, times in RFC 3339 with start before end, directions below or
// above, warnings a list.
func TestBaselineJSONContract(t *testing.T) {
	t.Parallel()
	n := 0
	for _, c := range baselineCases {
		if !slices.Contains(c.args, "json") || c.code > exitSignificant {
			continue
		}
		n++
		t.Run(c.name, func(t *testing.T) {
			_, code, stdout := runCase(t, c)
			var m map[string]any
			if err := json.Unmarshal([]byte(stdout), &m); err != nil {
				t.Fatalf("output is not a JSON object: %v\n%s", err, stdout)
			}
			if got := sortedKeys(m); !slices.Equal(got, baselineJSONKeys) {
				t.Errorf("keys %v, want %v", got, baselineJSONKeys)
			}
			devs, ok := m["deviations"].([]any)
			if !ok {
				t.Fatalf("deviations is %T, want a list", m["deviations"])
			}
			wantVerdict := map[int]string{exitOK: "steady", exitSignificant: "deviated"}[code]
			if m["verdict"] != wantVerdict || (len(devs) > 0) != (code == exitSignificant) {
				t.Errorf("verdict %v with %d deviations and exit %d", m["verdict"], len(devs), code)
			}
			for _, d := range devs {
				dm, ok := d.(map[string]any)
				if !ok {
					t.Fatalf("deviation is %T, want an object", d)
				}
				if got := sortedKeys(dm); !slices.Equal(got, deviationJSONKeys) {
					t.Errorf("deviation keys %v, want %v", got, deviationJSONKeys)
				}
				start, err1 := time.Parse(time.RFC3339, fmt.Sprint(dm["start"]))
				end, err2 := time.Parse(time.RFC3339, fmt.Sprint(dm["end"]))
				if err1 != nil || err2 != nil || !start.Before(end) {
					t.Errorf("deviation %v: want RFC 3339 start before end", dm)
				}
				if dm["direction"] != "below" && dm["direction"] != "above" {
					t.Errorf("direction %v, want below or above", dm["direction"])
				}
			}
			for _, k := range []string{"fraction_outside", "false_alarm_rate_per_day", "judged", "weeks", "z", "persistence", "step_seconds"} {
				if _, ok := m[k].(float64); !ok {
					t.Errorf("%s is %T, want a number", k, m[k])
				}
			}
			if _, ok := m["warnings"].([]any); !ok {
				t.Errorf("warnings is %T, want a list", m["warnings"])
			}
		})
	}
	if n < 3 {
		t.Errorf("only %d baseline JSON cases checked", n)
	}
}
