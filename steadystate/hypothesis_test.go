package steadystate

import (
	"errors"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
)

// issueExample is the hypothesis file of issue 3, whose keys other tools
// write and whose meaning is fixed.
const issueExample = `name: instance-loss
confidence: 0.95
metrics:
  - name: latency_seconds
    control: latency-control.csv        # relative to this file
    experiment: latency-experiment.csv
    direction: increase                 # increase | decrease | either: the change that hurts
    tolerance: 0.05                     # relative change allowed in that direction (5%)
    critical: true
`

func TestParseHypothesisIssueExample(t *testing.T) {
	plan, err := ParseHypothesis([]byte(issueExample), "hypothesis.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := plan.Hypothesis
	if h.Name != "instance-loss" || h.Confidence != 0.95 || len(h.Metrics) != 1 {
		t.Fatalf("got %+v", h)
	}
	want := Metric{Name: "latency_seconds", Direction: Increase, Tolerance: 0.05, Critical: true}
	if h.Metrics[0] != want {
		t.Errorf("metric %+v, want %+v", h.Metrics[0], want)
	}
	if h.Correction != compare.Holm || h.Thresholds != (Thresholds{}) || h.GroupWeights != nil {
		t.Errorf("defaults not left zero: %+v", h)
	}
	src := plan.Sources[0]
	if src.Control != (Source{File: "latency-control.csv", Line: 5}) || src.Experiment != (Source{File: "latency-experiment.csv", Line: 6}) {
		t.Errorf("sources %+v", src)
	}
}

func TestParseHypothesisAllKeys(t *testing.T) {
	const file = `name: full
description: every key
confidence: 0.99
correction: bh
thresholds: {pass: 0.9, marginal: 0.5}
groups: {latency: 2, business: 1}
metrics:
  - name: p99
    description: tail latency
    kind: system
    unit: s
    control: {file: data/p99-control.csv}
    experiment: {query: 'histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket{group="exp"}[1m])))'}
    direction: increase
    tolerance: 0.1
    absolute_tolerance: 0.002
    critical: false
    group: latency
    weight: 2.5
    test: quantile
    quantile: 0.99
    nodata: fail
    min_points: 30
  - name: downloads
    kind: business
    control: d-c.json
    experiment: d-e.json
    direction: decrease
    group: business
    test: timeseries
    nodata: ignore
`
	plan, err := ParseHypothesis([]byte(file), "full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := plan.Hypothesis
	if h.Confidence != 0.99 || h.Correction != compare.BenjaminiHochberg || h.Thresholds != (Thresholds{0.9, 0.5}) ||
		h.GroupWeights["latency"] != 2 || h.GroupWeights["business"] != 1 || len(h.GroupWeights) != 2 {
		t.Errorf("hypothesis %+v", h)
	}
	want := Metric{Name: "p99", Kind: System, Unit: "s", Direction: Increase, Tolerance: 0.1, AbsoluteTolerance: 0.002,
		Group: "latency", Weight: 2.5, Test: QuantileTest, Quantile: 0.99, NoData: NoDataFail, MinPoints: 30}
	if h.Metrics[0] != want {
		t.Errorf("metric 0 %+v\nwant %+v", h.Metrics[0], want)
	}
	want1 := Metric{Name: "downloads", Kind: Business, Direction: Decrease, Group: "business", Test: TimeSeriesTest, NoData: NoDataIgnore}
	if h.Metrics[1] != want1 {
		t.Errorf("metric 1 %+v\nwant %+v", h.Metrics[1], want1)
	}
	if s := plan.Sources[0]; s.Control.File != "data/p99-control.csv" || !strings.HasPrefix(s.Experiment.Query, "histogram_quantile(") || s.Experiment.File != "" {
		t.Errorf("sources %+v", s)
	}
}

func TestParseHypothesisHistory(t *testing.T) {
	// The history sources take the forms of control and experiment; a
	// metric without them has zero ones.
	const file = `name: h
metrics:
  - name: m
    control: c.csv
    experiment: e.csv
    history_control: {file: before/c.csv}
    history_experiment: {query: 'sum(rate(errors_total{group="exp"}[1m]))'}
  - name: plain
    control: c.csv
    experiment: e.csv
`
	plan, err := ParseHypothesis([]byte(file), "h.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := plan.Sources[0]
	if want := (Source{File: "before/c.csv", Line: 6}); s.HistoryControl != want {
		t.Errorf("history_control %+v, want %+v", s.HistoryControl, want)
	}
	if want := (Source{Query: `sum(rate(errors_total{group="exp"}[1m]))`, Line: 7}); s.HistoryExperiment != want {
		t.Errorf("history_experiment %+v, want %+v", s.HistoryExperiment, want)
	}
	if !s.HasHistory() || plan.Sources[1].HasHistory() {
		t.Errorf("HasHistory %v, %v; want true, false", s.HasHistory(), plan.Sources[1].HasHistory())
	}
}

func TestParseHypothesisJSON(t *testing.T) {
	// JSON is YAML too: other tools may write the file as JSON.
	const file = `{"name": "j", "metrics": [{"name": "m", "control": "c.csv", "experiment": "e.csv", "tolerance": 0.05, "direction": "decrease"}]}`
	plan, err := ParseHypothesis([]byte(file), "h.json")
	if err != nil {
		t.Fatal(err)
	}
	if m := plan.Hypothesis.Metrics[0]; m.Tolerance != 0.05 || m.Direction != Decrease {
		t.Errorf("metric %+v", m)
	}
}

func TestParseHypothesisErrors(t *testing.T) {
	// Each case is a file with one mistake; the error must name the file, the
	// line and the field, so that the person who wrote it finds it.
	base := func(metricLines string) string {
		return "name: h\nmetrics:\n  - name: m\n    control: c.csv\n    experiment: e.csv\n" + metricLines
	}
	cases := []struct {
		name, reason, file, want string
	}{
		{"typo", "a misspelt key must not silently disable a check",
			base("    direction: increase\n    tolerence: 0.05\n"),
			`h.yaml:7: metrics[0]: unknown field "tolerence" (did you mean "tolerance"?)`},
		{"typo_top", "a misspelt top-level key",
			"name: h\nconfidance: 0.9\nmetrics: []\n",
			`h.yaml:2: unknown field "confidance" (did you mean "confidence"?)`},
		{"unknown_far", "an unknown key that is no typo lists the keys",
			"name: h\nowner: me\n",
			`h.yaml:2: unknown field "owner" (want one of name, description, confidence, correction, thresholds, groups, metrics)`},
		{"typo_source", "a misspelt key inside a source mapping",
			"name: h\nmetrics:\n  - name: m\n    control: {fiel: c.csv}\n    experiment: e.csv\n",
			`h.yaml:4: metrics[0].control: unknown field "fiel" (did you mean "file"?)`},
		{"duplicate", "a key given twice would let the second silently win",
			base("    tolerance: 0.05\n    tolerance: 0.5\n"),
			`h.yaml:7: metrics[0]: field "tolerance" given twice (first on line 6)`},
		{"confidence_percent", "95 instead of 0.95",
			"name: h\nconfidence: 95\nmetrics: []\n",
			`h.yaml:2: confidence: 95 is out of range: want a level in (0, 1), such as 0.95: the level is a fraction, 0.95 rather than 95`},
		{"confidence_one", "confidence 1 would make alpha 0",
			"name: h\nconfidence: 1\n", `h.yaml:2: confidence: 1 is out of range: want a level in (0, 1), such as 0.95`},
		{"tolerance_percent_string", "5% is a string, not a number",
			base("    tolerance: 5%\n"),
			`h.yaml:6: metrics[0].tolerance: "5%" is not a number: want a relative change >= 0, such as 0.05 for 5%: write a percentage as a fraction, 0.05 for 5%`},
		{"tolerance_negative", "the direction says which way, the tolerance how far",
			base("    tolerance: -0.05\n"),
			`h.yaml:6: metrics[0].tolerance: -0.05 is negative: want a relative change >= 0 (the direction says which way)`},
		{"tolerance_empty", "an empty value is not a silent zero",
			base("    tolerance:\n"),
			`h.yaml:6: metrics[0].tolerance: an empty value: want a relative change >= 0, such as 0.05 for 5%`},
		{"tolerance_nan", ".nan is not a tolerance",
			base("    tolerance: .nan\n"),
			`h.yaml:6: metrics[0].tolerance: ".nan" is not a finite number: want a relative change >= 0, such as 0.05 for 5%`},
		{"direction", "an unknown direction",
			base("    direction: up\n"),
			`h.yaml:6: metrics[0].direction: unknown direction "up": want increase, decrease or either (the change that hurts)`},
		{"weight_zero", "weight 0 would silently drop the metric from the score",
			base("    weight: 0\n"),
			`h.yaml:6: metrics[0].weight: 0: want a weight > 0 (to leave a metric out of the score, remove it)`},
		{"critical_yes", "YAML 1.2 reads yes as a string",
			base("    critical: yes\n"),
			`h.yaml:6: metrics[0].critical: "yes": want true or false`},
		{"test", "an unknown test lists the tests",
			base("    test: ttest\n"),
			`h.yaml:6: metrics[0].test: unknown test "ttest": want auto, mannwhitney, welch, ks, quantile, timeseries or brunnermunzel`},
		{"quantile_missing", "test quantile without the quantile",
			base("    test: quantile\n"),
			`h.yaml:3: metrics[0].quantile: missing: test quantile needs a quantile in (0, 1), such as 0.99 for p99`},
		{"quantile_percent", "99 instead of 0.99",
			base("    test: quantile\n    quantile: 99\n"),
			`h.yaml:7: metrics[0].quantile: 99 is out of range: want a quantile in (0, 1): 0.99 rather than 99`},
		{"quantile_without_test", "a quantile the test would ignore",
			base("    quantile: 0.99\n"),
			`h.yaml:6: metrics[0].quantile: 0.99 is set but test is auto: quantile is used only with test: quantile`},
		{"min_points_fraction", "min_points counts points",
			base("    min_points: 2.5\n"),
			`h.yaml:6: metrics[0].min_points: "2.5" is not a whole number: want a number of points >= 1`},
		{"nodata", "an unknown policy",
			base("    nodata: pass\n"),
			`h.yaml:6: metrics[0].nodata: unknown nodata policy "pass": want inconclusive, fail or ignore`},
		{"kind", "an unknown kind",
			base("    kind: sytem\n"),
			`h.yaml:6: metrics[0].kind: unknown kind "sytem": want business or system`},
		{"correction", "an unknown correction",
			"name: h\ncorrection: bonferroni\n",
			`h.yaml:2: correction: unknown correction "bonferroni": want holm, bh (benjamini-hochberg, fdr), by (benjamini-yekutieli) or none`},
		{"missing_control", "a metric without its control",
			"name: h\nmetrics:\n  - name: m\n    experiment: e.csv\n",
			`h.yaml:3: metrics[0]: missing field "control"`},
		{"missing_name", "a hypothesis without a name",
			"metrics:\n  - name: m\n    control: c.csv\n    experiment: e.csv\n",
			`h.yaml:1: missing field "name": every hypothesis needs a name`},
		{"no_metrics", "a hypothesis without metrics",
			"name: h\n", `h.yaml:1: missing field "metrics": a hypothesis needs at least one metric`},
		{"empty_metrics", "an empty metrics list",
			"name: h\nmetrics: []\n", `h.yaml:2: metrics: empty list: a hypothesis needs at least one metric`},
		{"duplicate_name", "two metrics with one name",
			"name: h\nmetrics:\n  - {name: m, control: c, experiment: e}\n  - {name: m, control: c, experiment: e}\n",
			`h.yaml:4: metrics[1].name: "m" is also the name of metrics[0]: names must be unique`},
		{"group_typo", "a weight for a group no metric is in",
			"name: h\ngroups: {latncy: 2}\nmetrics:\n  - {name: m, group: latency, control: c, experiment: e}\n",
			`h.yaml:2: groups.latncy: no metric is in group "latncy": a misspelt group would silently weigh nothing`},
		{"thresholds", "marginal above pass",
			"name: h\nthresholds: {pass: 0.8, marginal: 0.9}\nmetrics:\n  - {name: m, control: c, experiment: e}\n",
			`h.yaml:2: thresholds.marginal: 0.9: want a score in [0, pass = 0.8]`},
		{"source_both", "a source with a file and a query",
			"name: h\nmetrics:\n  - name: m\n    control: {file: c.csv, query: up}\n    experiment: e\n",
			`h.yaml:4: metrics[0].control: both file and query: give one`},
		{"source_list", "a list where a source is wanted",
			"name: h\nmetrics:\n  - name: m\n    control: [a.csv, b.csv]\n    experiment: e\n",
			`h.yaml:4: metrics[0].control: a list: want a mapping of keys to values`},
		{"history_control_only", "a history of the control alone has no experiment to pair with: the line of the one given",
			base("    history_control: hc.csv\n    tolerance: 0.1\n"),
			`h.yaml:6: metrics[0].history_control: history_control without history_experiment: give both groups' history before the experiment, or neither`},
		{"history_experiment_only", "the other side alone, in the {query: ...} form",
			base("    history_experiment: {query: up}\n"),
			`h.yaml:6: metrics[0].history_experiment: history_experiment without history_control: give both groups' history before the experiment, or neither`},
		{"history_bad_source", "a history source takes the forms of control and experiment, no others",
			base("    history_control: {flie: hc.csv}\n    history_experiment: he.csv\n"),
			`h.yaml:6: metrics[0].history_control: unknown field "flie" (did you mean "file"?)`},
		{"history_empty", "an empty history source is not a way of saying none",
			base("    history_control:\n    history_experiment: he.csv\n"),
			`h.yaml:6: metrics[0].history_control: an empty value: want a file name relative to the hypothesis file, {file: NAME} or {query: PROMQL}`},
		{"metrics_mapping", "metrics given as a mapping",
			"name: h\nmetrics:\n  name: m\n",
			`h.yaml:3: metrics: a mapping: want a list of metrics (each item starting with "- name:")`},
		{"alias", "anchors would hide where a value comes from",
			"name: h\nmetrics:\n  - &m {name: m, control: c, experiment: e}\n  - *m\n",
			`h.yaml:3: metrics[0]: YAML anchors and aliases are not supported: write the value out`},
		{"syntax", "a YAML syntax error keeps the parser's line (go-yaml blames the list the bad line breaks)",
			"name: h\nmetrics:\n  - name: m\n   control: c\n",
			`h.yaml:2: invalid YAML: did not find expected '-' indicator`},
		{"syntax_colon", "a second colon on a line",
			"name: h\nconfidence: 0.9: 5\n",
			`h.yaml:2: invalid YAML: mapping values are not allowed in this context`},
		{"tab", "a tab in indentation",
			"name: h\nmetrics:\n\t- name: m\n",
			`h.yaml:3: invalid YAML: found character that cannot start any token`},
		{"empty", "an empty file", "", `h.yaml: empty file: want a hypothesis with a name and metrics`},
		{"comment_only", "a file of comments only", "# nothing\n", `h.yaml: empty file: want a hypothesis with a name and metrics`},
		{"null_doc", "a document that is null", "~\n", `h.yaml:1: empty file: want a hypothesis with a name and metrics`},
		{"scalar_doc", "a document that is a scalar", "hello\n", `h.yaml:1: "hello": want a mapping of keys to values`},
		{"two_documents", "one hypothesis per file",
			"name: h\nmetrics:\n  - {name: m, control: c, experiment: e}\n---\nname: g\n",
			`h.yaml:4: a second YAML document (after ---): want one hypothesis per file`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseHypothesis([]byte(c.file), "h.yaml")
			if err == nil {
				t.Fatalf("no error (%s)", c.reason)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T, want *ParseError", err)
			}
			if err.Error() != c.want {
				t.Errorf("error\n got %s\nwant %s\n(%s)", err, c.want, c.reason)
			}
		})
	}
}

func FuzzParseHypothesis(f *testing.F) {
	f.Add([]byte(issueExample))
	f.Add([]byte("name: h\nmetrics:\n  - {name: m, control: {query: up}, experiment: e, test: quantile, quantile: 0.5}\n"))
	f.Add([]byte(`{"name": "j", "groups": {"a": 1}, "metrics": [{"name": "m", "group": "a", "control": "c", "experiment": "e"}]}`))
	f.Add([]byte("name: h\nmetrics:\n  - &a {name: m}\n  - *a\n"))
	f.Add([]byte("name: h\nthresholds: {pass: 1, marginal: 0}\nmetrics:\n - {name: m, control: c, experiment: e, min_points: 1}\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		plan, err := ParseHypothesis(data, "fuzz.yaml")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T (%v), want *ParseError", err, err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		// What parses is valid and has one source pair per metric, each
		// either a file or a query.
		if err := plan.Hypothesis.Validate(); err != nil {
			t.Fatalf("parsed but invalid: %v", err)
		}
		if len(plan.Sources) != len(plan.Hypothesis.Metrics) {
			t.Fatalf("%d sources for %d metrics", len(plan.Sources), len(plan.Hypothesis.Metrics))
		}
		for _, s := range plan.Sources {
			for _, src := range []Source{s.Control, s.Experiment} {
				if (src.File == "") == (src.Query == "") {
					t.Fatalf("source %+v: want exactly one of file and query", src)
				}
			}
		}
	})
}

// TestMetricRulesOneWording: a metric field out of range gets the same
// message from a hypothesis file (with its line) as from a Go caller's
// Metric (Judge's Hypothesis.Validate): both take it from
// metricNumberRule, so the two cannot drift.
func TestMetricRulesOneWording(t *testing.T) {
	for _, c := range []struct {
		field, yaml string
		metric      Metric
	}{
		{"tolerance", "tolerance: -0.5", Metric{Name: "m", Tolerance: -0.5}},
		{"absolute_tolerance", "absolute_tolerance: -2", Metric{Name: "m", AbsoluteTolerance: -2}},
		{"weight", "weight: -1", Metric{Name: "m", Weight: -1}},
		{"min_points", "min_points: -3", Metric{Name: "m", MinPoints: -3}},
		{"quantile", "test: quantile\n    quantile: 99", Metric{Name: "m", Test: QuantileTest, Quantile: 99}},
	} {
		file := "name: h\nmetrics:\n  - name: m\n    control: c.csv\n    experiment: e.csv\n    " + c.yaml + "\n"
		_, ferr := ParseHypothesis([]byte(file), "h.yaml")
		verr := Hypothesis{Name: "h", Metrics: []Metric{c.metric}}.Validate()
		if ferr == nil || verr == nil {
			t.Errorf("%s: file error %v, struct error %v; want both", c.field, ferr, verr)
			continue
		}
		_, fmsg, _ := strings.Cut(ferr.Error(), ": ") // drop "h.yaml:N"
		if fmsg != verr.Error() {
			t.Errorf("%s: the file says\n  %s\nthe struct\n  %s", c.field, fmsg, verr)
		}
	}
}
