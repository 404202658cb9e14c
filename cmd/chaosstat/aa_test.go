package main

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"testing"
)

// Golden cases of the aa command. The data are compare/testdata/aa (seeded
// generator gen.go there, README.md says what each file is): two weeks of
// per-minute downloads of a 2%:2% split, clean, DNS-like wandering per 30
// minutes but exact per day, and 1.9% instead of 2%; four weeks of the
// wandering split; six hours of an experiment period, healthy and with the
// experiment's traffic gone for 30 minutes.
const aaData = "../../compare/testdata/aa/"

func aaFiles(variant string) []string {
	return []string{"--control", aaData + variant + "_control.csv", "--experiment", aaData + variant + "_experiment.csv"}
}

func aaArgs(variant string, more ...string) []string {
	return append(append([]string{"aa"}, aaFiles(variant)...), more...)
}

func init() {
	cliCases = append(cliCases, aaCases...)
}

var aaCases = []cliCase{
	{
		name:   "aa_clean_text",
		reason: "a clean random 2%:2% split is valid at the planned 30m: exit 0; 24h has too few windows in two weeks",
		args:   aaArgs("clean", "--counts", "--ratio", "2:2"),
		code:   exitOK,
	},
	{
		name:   "aa_clean_json",
		reason: "the same for notebooks: every key, srm present with --counts",
		args:   aaArgs("clean", "--counts", "--ratio", "2:2", "--format", "json"),
		code:   exitOK,
	},
	{
		name:   "aa_wandering_text",
		reason: "the DNS-like split wanders per 30 minutes: invalid at 30m (exit 1), too few daily windows to recommend 24h",
		args:   aaArgs("wandering", "--counts", "--ratio", "2:2"),
		code:   exitSignificant,
	},
	{
		name:   "aa_wandering_json",
		reason: "the wandering split for notebooks: recommended_window null",
		args:   aaArgs("wandering", "--counts", "--ratio", "2:2", "--format", "json"),
		code:   exitSignificant,
	},
	{
		name:   "aa_wandering_24h_text",
		reason: "planning 24h windows on two weeks of counts: 14 windows are too few for the false-positive count, but each day's totals are binomial, so valid by the split's dispersion, exit 0",
		args:   aaArgs("wandering", "--counts", "--window", "24h"),
		code:   exitOK,
	},
	{
		name:   "aa_wandering_24h_nocounts_text",
		reason: "the same without --counts: only the false-positive count is evidence, 14 windows are too few, exit 3 with the history still needed",
		args:   aaArgs("wandering", "--window", "24h"),
		code:   exitInconclusive,
	},
	{
		name:   "aa_wandering4w_24h_json",
		reason: "four weeks of the wandering split: valid at 24h and 24h recommended, exit 0",
		args:   aaArgs("wandering4w", "--counts", "--window", "24h", "--format", "json"),
		code:   exitOK,
	},
	{
		name:   "aa_mismatch_text",
		reason: "1.9% instead of 2%: the SRM is flagged and every length is invalid, exit 1",
		args:   aaArgs("mismatch", "--counts", "--ratio", "2:2"),
		code:   exitSignificant,
	},
	{
		name:   "aa_mismatch_json",
		reason: "the mismatch for notebooks: srm.mismatch true, every window valid false",
		args:   aaArgs("mismatch", "--counts", "--ratio", "2:2", "--format", "json"),
		code:   exitSignificant,
	},
	{
		name:   "aa_windows_no_counts_json",
		reason: "--windows picks the lengths (--window is added); without --counts srm is null and dispersion is null",
		args:   aaArgs("wandering", "--windows", "1h,12h", "--window", "2h", "--format", "json"),
		code:   exitSignificant,
	},
	{
		name:   "aa_welch_alpha_text",
		reason: "--test welch and --alpha 0.01 replay the comparison an experiment judged by means at 1% would use",
		args:   aaArgs("clean", "--test", "welch", "--alpha", "0.01", "--windows", "30m,6h"),
		code:   exitOK,
	},
	{
		name:   "aa_health_text",
		reason: "--health on six healthy hours of an experiment: no mismatch, exit 0",
		args:   aaArgs("health", "--health", "--ratio", "2:2"),
		code:   exitOK,
	},
	{
		name:   "aa_health_outage_json",
		reason: "--health when the experiment lost its traffic for 30 minutes: mismatch, the windows flagged, exit 1",
		args: []string{"aa", "--health", "--format", "json", "--control", aaData + "health_control.csv",
			"--experiment", aaData + "health_outage_experiment.csv"},
		code: exitSignificant,
	},

	// Input errors: exit 2.
	{name: "aa_missing_experiment", reason: "both files are required", args: []string{"aa", "--control", aaData + "clean_control.csv"}, code: exitUsage},
	{name: "aa_bad_window", reason: "a window that is not a duration names the flag", args: aaArgs("clean", "--window", "30"), code: exitUsage},
	{name: "aa_bad_windows", reason: "a negative length in --windows", args: aaArgs("clean", "--windows", "30m,-1h"), code: exitUsage},
	{name: "aa_duplicate_windows", reason: "a length given twice in --windows, written two ways: the library's rule, worded for the flag", args: aaArgs("clean", "--windows", "30m,1h,60m"), code: exitUsage},
	{name: "aa_submillisecond_windows", reason: "windows are cut on millisecond timestamps: a finer length is refused as it parses", args: aaArgs("clean", "--windows", "1h,1500us"), code: exitUsage},
	{name: "aa_bad_ratio", reason: "a ratio needs both shares", args: aaArgs("clean", "--ratio", "2"), code: exitUsage},
	{name: "aa_bad_alpha", reason: "alpha is a level below 0.5", args: aaArgs("clean", "--alpha", "5"), code: exitUsage},
	{name: "aa_plain_sample", reason: "a file without timestamps cannot be cut into windows",
		args: []string{"aa", "--control", "testdata/females.csv", "--experiment", "testdata/males.csv"}, code: exitUsage},
	{name: "aa_bad_value", reason: "a bad cell names the file and line", args: []string{"aa", "--control", aaData + "clean_control.csv", "--experiment", "testdata/bad_value.csv"}, code: exitUsage},

	// No data: exit 3.
	{name: "aa_header_only", reason: "a file with a header and no rows is no data: inconclusive",
		args: []string{"aa", "--control", aaData + "clean_control.csv", "--experiment", "testdata/header_only.csv"}, code: exitInconclusive},
	{name: "aa_help", reason: "-h prints the usage to stdout", args: []string{"aa", "-h"}, code: exitOK},
}

// aaJSONKeys are the keys of aa --format json, as the README documents them.
var (
	aaJSONKeys   = []string{"alpha", "min_windows", "planned_window", "recommended_window", "srm", "status", "test", "valid", "warnings", "windows"}
	aaWindowKeys = []string{"dispersion", "false_positive_rate", "false_positives", "fpr_high", "fpr_low", "mde_relative", "mde_totals", "p_value", "split_sd", "split_sd_binomial", "status", "valid", "window", "windows", "windows_tested"}
	aaSRMKeys    = []string{"alpha", "chi_square", "control_total", "dispersion", "dispersion_p_value", "expected_share", "experiment_share", "experiment_total", "mismatch", "p_value", "ratio", "window", "windows"}
)

// TestAAJSONContract checks the documented keys of every aa JSON case and
// that valid agrees with the exit code.
func TestAAJSONContract(t *testing.T) {
	t.Parallel()
	for _, c := range aaCases {
		if !slices.Contains(c.args, "json") || slices.Contains(c.args, "--health") || c.code == exitUsage {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			_, code, stdout := runCase(t, c)
			var m map[string]any
			if err := json.Unmarshal([]byte(stdout), &m); err != nil {
				t.Fatalf("not a JSON object: %v\n%s", err, stdout)
			}
			if got := sortedKeys(m); !slices.Equal(got, aaJSONKeys) {
				t.Errorf("keys %v, want %v", got, aaJSONKeys)
			}
			if valid := m["valid"].(bool); valid != (code == exitOK) {
				t.Errorf("valid %v with exit %d", valid, code)
			}
			for _, w := range m["windows"].([]any) {
				if got := sortedKeys(w.(map[string]any)); !slices.Equal(got, aaWindowKeys) {
					t.Errorf("window keys %v, want %v", got, aaWindowKeys)
				}
			}
			counts := slices.Contains(c.args, "--counts")
			if srm, ok := m["srm"].(map[string]any); ok != counts {
				t.Errorf("srm %v with --counts %v", m["srm"], counts)
			} else if ok {
				if got := sortedKeys(srm); !slices.Equal(got, aaSRMKeys) {
					t.Errorf("srm keys %v, want %v", got, aaSRMKeys)
				}
			}
		})
	}
}

// BenchmarkAACLI is the whole aa command on two weeks of per-minute data
// (20,160 points a group), all default window lengths and the sample-ratio
// check: reading and parsing both files, the replay, the JSON output.
func BenchmarkAACLI(b *testing.B) {
	args := aaArgs("wandering", "--counts", "--ratio", "2:2", "--format", "json")
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		if code := run(args, bytes.NewReader(nil), &out, io.Discard); code != exitSignificant {
			b.Fatalf("exit %d", code)
		}
	}
}
