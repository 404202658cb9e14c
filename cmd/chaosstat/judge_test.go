package main

import (
	"encoding/json"
	"slices"
	"testing"
)

const judgeExample = "../../examples/hypothesis/hypothesis.yaml"

func init() { cliCases = append(cliCases, judgeCases...) }

var judgeCases = []cliCase{
	{
		name:   "judge_example_text",
		reason: "the README's example: errors against a control with almost none make a critical metric high, so disproved (exit 1)",
		args:   []string{"judge", "--hypothesis", judgeExample},
		code:   exitSignificant,
	},
	{
		name:   "judge_example_json",
		reason: "the same verdict for notebooks: every key, the +Inf-free relative effect, warnings lists",
		args:   []string{"judge", "--hypothesis", judgeExample, "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "judge_held_text",
		reason: "the metrics that stayed within tolerance: held, exit 0",
		args:   []string{"judge", "--hypothesis", "testdata/judge/held.yaml"},
		code:   exitOK,
	},
	{
		name:   "judge_held_json",
		reason: "held in JSON",
		args:   []string{"judge", "--format", "json", "--hypothesis", "testdata/judge/held.yaml"},
		code:   exitOK,
	},
	{
		name:   "judge_nodata_text",
		reason: "an empty file and an all-missing file: nodata, and the verdict inconclusive (exit 3), never held",
		args:   []string{"judge", "--hypothesis", "testdata/judge/nodata.yaml"},
		code:   exitInconclusive,
	},
	{
		name:   "judge_nodata_json",
		reason: "nodata in JSON: null p-values and effects",
		args:   []string{"judge", "--hypothesis", "testdata/judge/nodata.yaml", "--format", "json"},
		code:   exitInconclusive,
	},
	{
		name:   "judge_plain_welch_text",
		reason: "plain samples (a value column) with test welch and confidence 0.9",
		args:   []string{"judge", "--hypothesis", "testdata/judge/plain.yaml"},
		code:   exitSignificant,
	},
	{
		name:   "judge_typo",
		reason: "a misspelt key is an error naming the file, line and field (exit 2), not a silently disabled check",
		args:   []string{"judge", "--hypothesis", "testdata/judge/typo.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_missing_data_file",
		reason: "a data file that does not exist: the hypothesis line, the field and the path",
		args:   []string{"judge", "--hypothesis", "testdata/judge/missing_file.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_bad_value",
		reason: "a bad cell in a data file: both the hypothesis's line and the data file's",
		args:   []string{"judge", "--hypothesis", "testdata/judge/bad_value.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_query",
		reason: "a PromQL source without --prometheus: an error naming the file, line and field, exit 2",
		args:   []string{"judge", "--hypothesis", "testdata/judge/query.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_missing_hypothesis_file",
		reason: "the hypothesis file does not exist",
		args:   []string{"judge", "--hypothesis", "testdata/judge/no_such.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_no_flag",
		reason: "--hypothesis is required",
		args:   []string{"judge"},
		code:   exitUsage,
	},
	{
		name:   "judge_positional",
		reason: "a file given without the flag is refused rather than guessed",
		args:   []string{"judge", judgeExample},
		code:   exitUsage,
	},
	{
		name:   "judge_unknown_format",
		reason: "--format lists the formats",
		args:   []string{"judge", "--hypothesis", judgeExample, "--format", "yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_history_window_text",
		reason: "an A/A hour of a slowly wandering metric judged on the hour alone: a false alarm (disproved, exit 1), what the history is for",
		args:   []string{"judge", "--hypothesis", "testdata/judge/history/window.yaml"},
		code:   exitSignificant,
	},
	{
		name:   "judge_history_text",
		reason: "the same hour with history_control and history_experiment: the 480 minutes before it show the slow swings, so the hour is worth too few points to judge (nodata, exit 3) and the report says the history was used",
		args:   []string{"judge", "--hypothesis", "testdata/judge/history/history.yaml"},
		code:   exitInconclusive,
	},
	{
		name:   "judge_history_json",
		reason: "the history in JSON: history_minutes and the files read for it",
		args:   []string{"judge", "--hypothesis", "testdata/judge/history/history.yaml", "--format", "json"},
		code:   exitInconclusive,
	},
	{
		name:   "judge_history_one_sided",
		reason: "history_control without history_experiment: an error naming the line, not a history silently unused",
		args:   []string{"judge", "--hypothesis", "testdata/judge/history/one_sided.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_history_missing_file",
		reason: "a history file that does not exist: the history's own line and field",
		args:   []string{"judge", "--hypothesis", "testdata/judge/history/missing.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_history_flag_files",
		reason: "--history re-reads queries; a plan of files has none, and the message points to the file's keys",
		args:   []string{"judge", "--hypothesis", "testdata/judge/history/history.yaml", "--history", "8h"},
		code:   exitUsage,
	},
	{
		name:   "judge_history_flag_negative",
		reason: "a negative --history is refused by workflow's rule, before the missing --prometheus",
		args:   []string{"judge", "--hypothesis", "testdata/judge/query.yaml", "--history", "-1h"},
		code:   exitUsage,
	},
	{
		name:   "judge_history_flag_not_duration",
		reason: "--history takes a duration with its unit",
		args:   []string{"judge", "--hypothesis", "testdata/judge/query.yaml", "--history", "240"},
		code:   exitUsage,
	},
	{
		name:   "judge_help",
		reason: "judge -h prints the usage on stdout",
		args:   []string{"judge", "-h"},
		code:   exitOK,
	},
}

// judgeJSONKeys are the keys of judge --format json, as the README documents
// them.
var (
	judgeJSONKeys   = []string{"alpha", "confidence", "correction", "groups", "hypothesis", "metrics", "reason", "score", "thresholds", "verdict"}
	judgeMetricKeys = []string{"absolute_tolerance", "adjusted_p_value", "autocorrelation", "classification", "control", "critical", "direction", "effect",
		"effective_n", "experiment", "group", "kind", "level_shift", "missing_control", "missing_experiment", "n_control", "n_experiment", "name", "p_value", "reason",
		"segment", "test", "tolerance", "unit", "warnings"}
	judgeHistoryKeys = []string{"history_control", "history_experiment", "history_minutes"}
	judgeEffectKeys  = []string{"control_level", "estimate", "high", "low", "measure", "relative", "relative_high", "relative_infinite", "relative_low"}
)

// TestJudgeJSONContract checks judge's JSON on every JSON case: exactly the
// documented keys, the verdict agreeing with the exit code, p-values and
// effects null exactly for metrics that were not tested, and warnings a list.
func TestJudgeJSONContract(t *testing.T) {
	n := 0
	for _, c := range judgeCases {
		if !slices.Contains(c.args, "json") || c.code == exitUsage {
			continue
		}
		n++
		t.Run(c.name, func(t *testing.T) {
			_, code, stdout := runCase(t, c)
			var m map[string]any
			if err := json.Unmarshal([]byte(stdout), &m); err != nil {
				t.Fatalf("not a JSON object: %v\n%s", err, stdout)
			}
			if got := sortedKeys(m); !slices.Equal(got, judgeJSONKeys) {
				t.Errorf("keys %v, want %v", got, judgeJSONKeys)
			}
			want := map[int]string{exitOK: "held", exitSignificant: "disproved", exitInconclusive: "inconclusive"}[code]
			if m["verdict"] != want {
				t.Errorf("verdict %v with exit code %d, want %s", m["verdict"], code, want)
			}
			metrics, _ := m["metrics"].([]any)
			if len(metrics) == 0 {
				t.Fatal("no metrics")
			}
			for _, x := range metrics {
				mm := x.(map[string]any)
				// The history's keys come together, only when a history
				// was used.
				n := 0
				for _, k := range judgeHistoryKeys {
					if _, ok := mm[k]; ok {
						n++
						delete(mm, k)
					}
				}
				if n != 0 && n != len(judgeHistoryKeys) {
					t.Errorf("metric %v: %d of the history keys %v; want all or none", mm["name"], n, judgeHistoryKeys)
				}
				if got := sortedKeys(mm); !slices.Equal(got, judgeMetricKeys) {
					t.Errorf("metric keys %v, want %v", got, judgeMetricKeys)
				}
				eff := mm["effect"].(map[string]any)
				if got := sortedKeys(eff); !slices.Equal(got, judgeEffectKeys) {
					t.Errorf("effect keys %v, want %v", got, judgeEffectKeys)
				}
				// A test that ran on too few effective points (nodata, "measure
				// for longer") keeps its p-value: null means no test ran.
				tested := mm["test"] != "" && mm["classification"] != "error"
				for _, v := range []any{mm["p_value"], mm["adjusted_p_value"], eff["estimate"]} {
					if _, isNum := v.(float64); isNum != tested {
						t.Errorf("metric %v (%v): p-value/estimate %v: want a number exactly when tested", mm["name"], mm["classification"], v)
					}
				}
				if _, ok := mm["warnings"].([]any); !ok {
					t.Errorf("warnings is %T, want a list", mm["warnings"])
				}
			}
		})
	}
	if n < 3 {
		t.Errorf("only %d JSON cases", n)
	}
}

// judgeOutput decodes judge --format json for the tests: the fields they
// read, and the whole document, which marshal writes again with the names
// in Metrics, so that two outputs compare on every key.
type judgeOutput struct {
	Verdict string `json:"verdict"`
	Metrics []struct {
		Control, Experiment, Classification string
		Warnings                            []string
	} `json:"metrics"`
	all map[string]any
}

func (o *judgeOutput) UnmarshalJSON(b []byte) error {
	type fields judgeOutput // without this method
	if err := json.Unmarshal(b, (*fields)(o)); err != nil {
		return err
	}
	return json.Unmarshal(b, &o.all)
}

func (o *judgeOutput) marshal(t *testing.T) string {
	t.Helper()
	ms, _ := o.all["metrics"].([]any)
	for i, m := range ms {
		mm, _ := m.(map[string]any)
		if mm == nil || i >= len(o.Metrics) {
			t.Fatalf("metric %d: %v", i, m)
		}
		mm["control"], mm["experiment"] = o.Metrics[i].Control, o.Metrics[i].Experiment
	}
	b, err := json.Marshal(o.all)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
