package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom/promtest"
	"github.com/chaosstat/chaosstat/series"
)

// The commands other than compare read their queries from one real
// Prometheus per test binary, backfilled with prom/testdata/latency.om
// (prom/testdata/gen.go): checkout_latency_ms{group="control"|"experiment"},
// one point a minute 2026-01-05..2026-02-01, with a +10 ms fault in the
// experiment 2026-02-01 12:00-13:00, whose hour is also in
// prom/testdata/control_hour.csv and experiment_hour.csv.
var promShared = promtest.Shared{OpenMetrics: "../../prom/testdata/latency.om"}

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main() // the test binary as the command: TestInterruptProcess
	}
	code := m.Run()
	promShared.Stop()
	os.Exit(code)
}

const (
	promCtlQ      = `checkout_latency_ms{group="control"}`
	promExpQ      = `checkout_latency_ms{group="experiment"}`
	promCtlCSV    = "../../prom/testdata/control_hour.csv"
	promExpCSV    = "../../prom/testdata/experiment_hour.csv"
	promHourStart = "2026-02-01T12:00:00Z"
	promHourEnd   = "2026-02-01T13:00:00Z"
)

// Usage errors of the query inputs of the commands other than compare.
var promCLICases = []cliCase{
	{
		name:   "judge_query_and_file",
		reason: "a group with both file and query is ambiguous: the file, line and field",
		args:   []string{"judge", "--hypothesis", "testdata/judge/query_and_file.yaml"},
		code:   exitUsage,
	},
	{
		name:   "judge_prometheus_without_query",
		reason: "--prometheus for a hypothesis with files only would be silently ignored",
		args:   []string{"judge", "--hypothesis", "testdata/judge/held.yaml", "--prometheus", "http://127.0.0.1:1", "--start", "0"},
		code:   exitUsage,
	},
	{
		name:   "judge_prometheus_missing_start",
		reason: "the window judged needs its start",
		args:   []string{"judge", "--hypothesis", "testdata/judge/prom_query.yaml", "--prometheus", "http://127.0.0.1:1"},
		code:   exitUsage,
	},
	{
		name:   "criteria_query_without_server",
		reason: "a query needs a server to send it to",
		args:   []string{"criteria", "--satisfaction-query", "apdex", "--metric", "ctl=" + promCtlCSV, "--start", "now-1h"},
		code:   exitUsage,
	},
	{
		name:   "criteria_satisfaction_file_and_query",
		reason: "satisfaction given twice is ambiguous",
		args:   []string{"criteria", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--satisfaction", promExpCSV, "--satisfaction-query", "apdex", "--metric", "ctl=" + promCtlCSV},
		code:   exitUsage,
	},
	{
		name:   "criteria_metric_file_and_query",
		reason: "one metric from a file and a query is ambiguous",
		args:   []string{"criteria", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--satisfaction", promExpCSV, "--metric", "ctl=" + promCtlCSV, "--metric-query", "ctl=up"},
		code:   exitUsage,
	},
	{
		name:   "criteria_metric_query_no_name",
		reason: "--metric-query wants NAME=QUERY",
		args:   []string{"criteria", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--satisfaction", promExpCSV, "--metric-query", "up"},
		code:   exitUsage,
	},
	{
		name:   "baseline_query_without_server",
		reason: "a query needs a server to send it to",
		args:   []string{"baseline", "--history-query", promExpQ, "--current", promExpCSV},
		code:   exitUsage,
	},
	{
		name:   "baseline_history_file_and_query",
		reason: "the history given twice is ambiguous",
		args:   []string{"baseline", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--history", promCtlCSV, "--history-query", promExpQ, "--current-query", promExpQ},
		code:   exitUsage,
	},
	{
		name:   "baseline_current_file_and_query",
		reason: "the current series given twice is ambiguous",
		args:   []string{"baseline", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--history-query", promExpQ, "--current", promExpCSV, "--current-query", promExpQ},
		code:   exitUsage,
	},
	{
		name:   "baseline_current_file_with_start",
		reason: "with --current FILE the history's range follows the file: a --start would be ignored",
		args:   []string{"baseline", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--history-query", promExpQ, "--current", promExpCSV},
		code:   exitUsage,
	},
	{
		name:   "aa_query_without_server",
		reason: "a query needs a server to send it to",
		args:   []string{"aa", "--control-query", promCtlQ, "--experiment", promExpCSV},
		code:   exitUsage,
	},
	{
		name:   "aa_control_file_and_query",
		reason: "the control group given twice is ambiguous",
		args:   []string{"aa", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--control", promCtlCSV, "--control-query", promCtlQ, "--experiment-query", promExpQ},
		code:   exitUsage,
	},
	{
		name:   "aa_experiment_file_and_query",
		reason: "the experiment group given twice is ambiguous",
		args:   []string{"aa", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--control-query", promCtlQ, "--experiment", promExpCSV, "--experiment-query", promExpQ},
		code:   exitUsage,
	},
	{
		name:   "monitor_query_without_server",
		reason: "a query needs a server to send it to",
		args:   []string{"monitor", "--control", promCtlCSV, "--experiment-query", promExpQ},
		code:   exitUsage,
	},
	{
		name:   "monitor_control_file_and_query",
		reason: "the control group given twice is ambiguous",
		args:   []string{"monitor", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--control", promCtlCSV, "--control-query", promCtlQ, "--experiment-query", promExpQ},
		code:   exitUsage,
	},
	{
		name:   "monitor_experiment_file_and_query",
		reason: "the experiment group given twice is ambiguous",
		args:   []string{"monitor", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--control-query", promCtlQ, "--experiment", promExpCSV, "--experiment-query", promExpQ},
		code:   exitUsage,
	},
	{
		name:   "monitor_feed_and_query",
		reason: "a feed and a query are two inputs: read one",
		args:   []string{"monitor", "--prometheus", "http://127.0.0.1:1", "--start", "0", "--feed", "-", "--control-query", promCtlQ, "--experiment-query", promExpQ},
		code:   exitUsage,
	},
}

func init() { cliCases = append(cliCases, promCLICases...) }

// omCSV writes the points of series (its labels as in the file, such as
// group="experiment") with timestamps in [from, to) Unix seconds from
// prom/testdata/latency.om to a CSV file "timestamp,value" in dir, parsing
// the OpenMetrics text independently of the server that backfilled it.
func omCSV(t *testing.T, dir, labels string, from, to int64) string {
	t.Helper()
	return omCSVEvery(t, dir, labels, from, to, 60)
}

// omCSVEvery is omCSV keeping only the timestamps that are multiples of
// every seconds.
func omCSVEvery(t *testing.T, dir, labels string, from, to, every int64) string {
	t.Helper()
	in, err := os.Open("../../prom/testdata/latency.om")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	prefix := "checkout_latency_ms{" + labels + "} "
	sc := bufio.NewScanner(in)
	n := 0
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), prefix)
		if !ok {
			continue
		}
		v, ts, _ := strings.Cut(rest, " ")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			t.Fatalf("latency.om: %q: %v", sc.Text(), err)
		}
		if sec >= from && sec < to && sec%every == 0 {
			b.WriteString(ts + "," + v + "\n")
			n++
		}
	}
	if err := sc.Err(); err != nil || n == 0 {
		t.Fatalf("latency.om: %d points of %s in [%d, %d), %v", n, labels, from, to, err)
	}
	path := filepath.Join(dir, fmt.Sprintf("%s_%d_%d_%d.csv", strings.NewReplacer("=", "_", `"`, "").Replace(labels), from, to, every))
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBaselinePrometheus checks the fault hour against the weeks before it,
// by query (the history read over the --weeks weeks and a day before the
// current series) and from files (the history written from latency.om):
// the reports are identical, in JSON (which names no input) and in text but
// for the two lines naming the inputs.
func TestBaselinePrometheus(t *testing.T) {
	t.Parallel()
	url := promShared.URL(t)
	hour, _ := series.ParseTimeAt(promHourStart, time.Now())
	// Everything of the experiment before the hour: the file form's history
	// (baseline keeps the last --weeks weeks of it).
	hist := omCSV(t, t.TempDir(), `group="experiment"`, 0, hour.Unix())
	for _, extra := range [][]string{
		{"--format", "json"},
		{"--format", "json", "--z", "2", "--persistence", "3"},
		{"--format", "json", "--weeks", "3", "--level-adjust"},
	} {
		q := append([]string{"baseline", "--prometheus", url, "--start", promHourStart, "--end", promHourEnd,
			"--history-query", promExpQ, "--current-query", promExpQ}, extra...)
		files := append([]string{"baseline", "--history", hist, "--current", promExpCSV}, extra...)
		qc, qout, qerr := runArgs(q...)
		fc, fout, ferr := runArgs(files...)
		if qc != fc || qout != fout || qerr != "" || ferr != "" || !strings.Contains(qout, `"judged": 61`) {
			t.Errorf("%v: from queries exit %d\n%s%s\nfrom files exit %d\n%s%s", extra, qc, qout, qerr, fc, fout, ferr)
		}
	}
	// The deviation found with --z 2 (exit 1), in text: the same but for the
	// names of the inputs. The history's range also follows a current file.
	q := []string{"baseline", "--prometheus", url, "--history-query", promExpQ, "--current", promExpCSV, "--z", "2", "--persistence", "3"}
	files := []string{"baseline", "--history", hist, "--current", promExpCSV, "--z", "2", "--persistence", "3"}
	qc, qout, _ := runArgs(q...)
	fc, fout, _ := runArgs(files...)
	ql, fl := strings.Split(qout, "\n"), strings.Split(fout, "\n")
	if qc != exitSignificant || fc != qc || len(ql) != len(fl) || len(ql) < 3 || strings.Join(ql[1:], "\n") != strings.Join(fl[1:], "\n") ||
		!strings.HasPrefix(ql[0], "history     "+promExpQ+"  4 of 4 weeks") {
		t.Errorf("text from a history query:\n%s\nfrom files:\n%s", qout, fout)
	}

	// A current file at 5-minute resolution: the history query follows its
	// step (no --step given), as the history file written at 5 minutes.
	d5 := t.TempDir()
	cur5 := omCSVEvery(t, d5, `group="experiment"`, hour.Unix(), hour.Unix()+3601, 300)
	hist5 := omCSVEvery(t, d5, `group="experiment"`, 0, hour.Unix(), 300)
	qc, qout, qerr := runArgs("baseline", "--prometheus", url, "--history-query", promExpQ, "--current", cur5, "--format", "json")
	fc, fout, ferr := runArgs("baseline", "--history", hist5, "--current", cur5, "--format", "json")
	if qc != fc || qout != fout || qerr != "" || ferr != "" || !strings.Contains(qout, `"step_seconds": 300`) || !strings.Contains(qout, `"judged": 13`) {
		t.Errorf("5m: from a history query exit %d\n%s%s\nfrom files exit %d\n%s%s", qc, qout, qerr, fc, fout, ferr)
	}

	// No history before the data: inconclusive, naming the query.
	code, out, errOut := runArgs("baseline", "--prometheus", url, "--start", "2026-01-05T00:00:00Z", "--end", "2026-01-05T01:00:00Z",
		"--history-query", promExpQ, "--current-query", promExpQ)
	if code != exitInconclusive || out != "" || !strings.Contains(errOut, "inconclusive: --history-query: query") {
		t.Errorf("no history: exit %d\n%s%s", code, out, errOut)
	}
}

// TestJudgePrometheus judges prom_query.yaml (query sources, and a group
// from a file beside a query) against the real server and its twin
// prom_files.yaml (the same values from CSV): the verdicts are the same,
// in JSON but for the control and experiment names, and in text.
func TestJudgePrometheus(t *testing.T) {
	t.Parallel()
	url := promShared.URL(t)
	q := func(extra ...string) []string {
		return append([]string{"judge", "--hypothesis", "testdata/judge/prom_query.yaml", "--prometheus", url,
			"--start", promHourStart, "--end", promHourEnd, "--step", "1m"}, extra...)
	}
	files := []string{"judge", "--hypothesis", "testdata/judge/prom_files.yaml"}

	qc, qout, qerr := runArgs(q()...)
	fc, fout, ferr := runArgs(files...)
	if qc != exitSignificant || fc != exitSignificant || qout != fout || qerr != "" || ferr != "" {
		t.Errorf("text: from queries exit %d\n%s%s\nfrom files exit %d\n%s%s", qc, qout, qerr, fc, fout, ferr)
	}

	// JSON: the same but for the names, which are the queries.
	qc, qout, qerr = runArgs(q("--format", "json", "--max-points", "7")...)
	fc, fout, _ = runArgs(append(files, "--format", "json")...)
	var qv, fv judgeOutput
	if err := json.Unmarshal([]byte(qout), &qv); err != nil {
		t.Fatalf("from queries: %v\n%s%s", err, qout, qerr)
	}
	if err := json.Unmarshal([]byte(fout), &fv); err != nil {
		t.Fatalf("from files: %v\n%s", err, fout)
	}
	wantNames := [][2]string{{promCtlQ, promExpQ}, {"../../prom/testdata/control_hour.csv", promExpQ}}
	for i := range qv.Metrics {
		got := [2]string{qv.Metrics[i].Control, qv.Metrics[i].Experiment}
		if got != wantNames[i] {
			t.Errorf("metric %d named %q, want %q", i, got, wantNames[i])
		}
		qv.Metrics[i].Control, qv.Metrics[i].Experiment = fv.Metrics[i].Control, fv.Metrics[i].Experiment
	}
	qj, fj := qv.marshal(t), fv.marshal(t)
	if qc != fc || qj != fj || qv.Verdict != "disproved" {
		t.Errorf("json: from queries exit %d\n%s\nfrom files exit %d\n%s", qc, qj, fc, fj)
	}

	// A window before the data: no series is nodata (never held), with the
	// read's message among the metric's warnings.
	code, out, errOut := runArgs("judge", "--hypothesis", "testdata/judge/prom_query.yaml", "--prometheus", url,
		"--start", "2025-01-01T00:00:00Z", "--end", "2025-01-01T01:00:00Z", "--format", "json")
	var nv judgeOutput
	if err := json.Unmarshal([]byte(out), &nv); err != nil || code != exitInconclusive || nv.Verdict != "inconclusive" ||
		nv.Metrics[0].Classification != "nodata" || len(nv.Metrics[0].Warnings) == 0 ||
		!strings.Contains(nv.Metrics[0].Warnings[0], "metrics[0].control: query \"checkout_latency_ms{group=\\\"control\\\"}\" returned no series") {
		t.Errorf("before the data: exit %d\n%s%s", code, out, errOut)
	}

	// A query of two series is an error naming the line.
	dir := t.TempDir()
	bad := dir + "/two.yaml"
	os.WriteFile(bad, []byte("name: two\nmetrics:\n  - name: m\n    control: {query: checkout_latency_ms}\n    experiment: {query: 'checkout_latency_ms{group=\"experiment\"}'}\n"), 0o644)
	code, out, errOut = runArgs("judge", "--hypothesis", bad, "--prometheus", url, "--start", promHourStart, "--end", promHourEnd)
	if code != exitUsage || out != "" || !strings.Contains(errOut, bad+":4: metrics[0].control: query \"checkout_latency_ms\" returned 2 series") {
		t.Errorf("two series: exit %d\n%s%s", code, out, errOut)
	}
}

// TestCriteriaPrometheus measures two candidates against satisfaction (the
// experiment's latency over the fault hour) by query and from the CSV twins:
// the reports agree but for measurability's series and query_samples, which
// only a query has: 1 series, and the samples the server says it read (61,
// one per step for a plain selector: Prometheus's
// stats.samples.totalQueryableSamples counts the samples each step's
// evaluation selected).
func TestCriteriaPrometheus(t *testing.T) {
	t.Parallel()
	url := promShared.URL(t)
	q := []string{"criteria", "--prometheus", url, "--start", promHourStart, "--end", promHourEnd,
		"--satisfaction-query", promExpQ, "--metric", "ctl=" + promCtlCSV, "--metric-query", "exp=" + promExpQ, "--format", "json"}
	files := []string{"criteria", "--satisfaction", promExpCSV, "--metric", "ctl=" + promCtlCSV, "--metric", "exp=" + promExpCSV, "--format", "json"}
	qc, qout, qerr := runArgs(q...)
	fc, fout, ferr := runArgs(files...)
	var qv, fv map[string]any
	if err := json.Unmarshal([]byte(qout), &qv); err != nil {
		t.Fatalf("from queries: exit %d, %v\n%s%s", qc, err, qout, qerr)
	}
	if err := json.Unmarshal([]byte(fout), &fv); err != nil {
		t.Fatalf("from files: exit %d, %v\n%s%s", fc, err, fout, ferr)
	}
	meas := func(v map[string]any, i int) map[string]any {
		return v["metrics"].([]any)[i].(map[string]any)["measurability"].(map[string]any)
	}
	// ctl comes from its file both times: unknown cost.
	if m := meas(qv, 0); m["series"] != nil || m["query_samples"] != nil {
		t.Errorf("ctl from a file: series %v, query_samples %v; want null", m["series"], m["query_samples"])
	}
	if m := meas(qv, 1); m["series"] != 1.0 || m["query_samples"] != 61.0 {
		t.Errorf("exp by query: series %v, query_samples %v; want 1 and 61", m["series"], m["query_samples"])
	}
	if m := meas(fv, 1); m["series"] != nil || m["query_samples"] != nil {
		t.Errorf("exp from a file: series %v, query_samples %v; want null", m["series"], m["query_samples"])
	}
	m := meas(qv, 1)
	m["series"], m["query_samples"] = nil, nil
	qj, _ := json.Marshal(qv)
	fj, _ := json.Marshal(fv)
	if qc != exitSignificant || qc != fc || string(qj) != string(fj) || qerr != "" {
		t.Errorf("from queries exit %d\n%s\n%s\nfrom files exit %d\n%s", qc, qj, qerr, fc, fj)
	}

	// Text: the same but for the satisfaction line, which names the query.
	qc, qout, _ = runArgs(q[:len(q)-2]...)
	fc, fout, _ = runArgs(files[:len(files)-2]...)
	ql, fl := strings.SplitN(qout, "\n", 2), strings.SplitN(fout, "\n", 2)
	if qc != fc || len(ql) != 2 || len(fl) != 2 || !strings.HasPrefix(ql[0], "satisfaction: "+promExpQ+", 61 points") {
		t.Fatalf("text from queries exit %d:\n%s\nfrom files exit %d:\n%s", qc, qout, fc, fout)
	}
	if want := fl[1] + "\nquery cost (the server's statistics):\n  exp: 1 series returned, 61 samples read\n"; ql[1] != want {
		t.Errorf("text from queries:\n%s\nwant:\n%s", ql[1], want)
	}

	// No series for a metric is inconclusive, naming the metric.
	code, out, errOut := runArgs("criteria", "--prometheus", url, "--start", promHourStart, "--end", promHourEnd,
		"--satisfaction-query", promExpQ, "--metric-query", `canary=checkout_latency_ms{group="canary"}`)
	if code != exitInconclusive || out != "" || !strings.Contains(errOut, "inconclusive: --metric-query canary: query") {
		t.Errorf("no series: exit %d\n%s%s", code, out, errOut)
	}
}

// TestAAPrometheus replays an A/A test over the fault-free week
// 2026-01-25..31 by query and from files written from latency.om: the JSON
// is identical (it names no input), the text too but for the line naming
// the inputs; --health the same.
func TestAAPrometheus(t *testing.T) {
	t.Parallel()
	url := promShared.URL(t)
	const from, to = 1769299200, 1769904000 // 2026-01-25T00:00Z, 2026-02-01T00:00Z
	dir := t.TempDir()
	ctl, exp := omCSV(t, dir, `group="control"`, from, to), omCSV(t, dir, `group="experiment"`, from, to)
	q := []string{"aa", "--prometheus", url, "--start", "2026-01-25T00:00:00Z", "--end", "2026-01-31T23:59:00Z",
		"--control-query", promCtlQ, "--experiment-query", promExpQ}
	files := []string{"aa", "--control", ctl, "--experiment", exp}
	for _, extra := range [][]string{
		{"--format", "json"},
		{"--format", "json", "--test", "welch", "--windows", "10m,1h", "--window", "1h"},
		{"--format", "json", "--health", "--counts", "--window", "1h"},
	} {
		qc, qout, qerr := runArgs(append(q, extra...)...)
		fc, fout, ferr := runArgs(append(files, extra...)...)
		if qc != fc || qout != fout || qerr != "" || ferr != "" || !strings.HasPrefix(qout, "{") {
			t.Errorf("%v: from queries exit %d\n%s%s\nfrom files exit %d\n%s%s", extra, qc, qout, qerr, fc, fout, ferr)
		}
	}
	// Text, with one group from a file: the same but for the first line.
	qc, qout, _ := runArgs("aa", "--prometheus", url, "--start", "1769299200", "--end", "2026-01-31T23:59:00Z",
		"--control", ctl, "--experiment-query", promExpQ)
	fc, fout, _ := runArgs(files...)
	ql, fl := strings.SplitN(qout, "\n", 2), strings.SplitN(fout, "\n", 2)
	if qc != exitOK || qc != fc || len(ql) != 2 || len(fl) != 2 || ql[1] != fl[1] ||
		!strings.HasPrefix(ql[0], "A/A replay: "+promExpQ+" (experiment, 10080 points) against "+ctl) {
		t.Errorf("text from a query:\n%s\nfrom files:\n%s", qout, fout)
	}
}

// TestMonitorPrometheus replays the fault hour by query and from the CSV
// twins, with and without the two hours before as primed history (files
// written from latency.om): every look's decision is the same, in text and
// JSON lines, and the guardrail run stops at the same minute.
func TestMonitorPrometheus(t *testing.T) {
	url := promShared.URL(t)
	dir := t.TempDir()
	const histFrom, histTo = 1769940000, 1769947200 // 2026-02-01T10:00Z, 12:00Z
	hc, hx := omCSV(t, dir, `group="control"`, histFrom, histTo), omCSV(t, dir, `group="experiment"`, histFrom, histTo)
	q := []string{"monitor", "--prometheus", url, "--start", promHourStart, "--end", promHourEnd, "--control-query", promCtlQ, "--experiment-query", promExpQ}
	files := []string{"monitor", "--control", promCtlCSV, "--experiment", promExpCSV}
	stops := 0
	for _, extra := range [][]string{
		{},
		{"--format", "json"},
		{"--format", "json", "--direction", "increase", "--max-drop", "0.05"},
		{"--direction", "increase", "--history-control", hc, "--history-experiment", hx},
		{"--format", "json", "--direction", "increase", "--max-drop", "0", "--history-control", hc, "--history-experiment", hx},
	} {
		qc, qout, qerr := runArgs(append(q, extra...)...)
		fc, fout, ferr := runArgs(append(files, extra...)...)
		if qc != fc || qout != fout || qerr != "" || ferr != "" || strings.Count(qout, "\n") < 5 {
			t.Errorf("%v: from queries exit %d\n%s%s\nfrom files exit %d\n%s%s", extra, qc, qout, qerr, fc, fout, ferr)
		}
		if qc == exitSignificant {
			stops++
		}
	}
	// Every run stops on the +10 ms fault (measured from the files: the
	// test at 12:18, p = 0.0413; the 5% guardrail at 12:06; primed by the
	// history at 12:09, p = 0.00086): the runs compared are runs that
	// decide, not two that never do.
	if stops != 5 {
		t.Errorf("%d of 5 runs stopped", stops)
	}
}

// TestJudgePrometheusPartial uses a fake server that answers with a Thanos
// partial-response warning: judge refuses to judge on it (exit 3, naming
// the hypothesis line), and under --allow-partial judges and lists the
// warning among the metric's warnings.
func TestJudgePrometheusPartial(t *testing.T) {
	f := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		v := 100.0
		if strings.Contains(r.Form.Get("query"), "experiment") {
			v = 130
		}
		var b strings.Builder
		b.WriteString(`{"status":"success","warnings":["partial response: store 10.0.0.7:10901 unavailable"],"data":{"resultType":"matrix","result":[{"metric":{"__name__":"m"},"values":[`)
		for i := range 61 {
			if i > 0 {
				b.WriteString(",")
			}
			// A deterministic wobble so the groups are not constant.
			fmt.Fprintf(&b, `[%d,"%g"]`, 1769947200+60*i, v+float64((i*7)%5))
		}
		b.WriteString(`]}]}}`)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(b.String()))
	}))
	defer f.Close()
	args := []string{"judge", "--hypothesis", "testdata/judge/prom_query.yaml", "--prometheus", f.URL, "--start", promHourStart, "--end", promHourEnd}
	code, out, errOut := runArgs(args...)
	if code != exitInconclusive || out != "" || !strings.Contains(errOut, "inconclusive: testdata/judge/prom_query.yaml:9: metrics[0].control: ") ||
		!strings.Contains(errOut, "store 10.0.0.7:10901 unavailable") || !strings.Contains(errOut, "--allow-partial") {
		t.Errorf("partial: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runArgs(append(args, "--allow-partial", "--format", "json")...)
	var v judgeOutput
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != exitSignificant || len(v.Metrics) != 2 || len(v.Metrics[0].Warnings) < 2 ||
		v.Metrics[0].Warnings[0] != "metrics[0].control: the server warned (read anyway, --allow-partial): partial response: store 10.0.0.7:10901 unavailable" {
		t.Errorf("--allow-partial: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	// In text the warnings go to stderr, one per read.
	code, _, errOut = runArgs(append(args, "--allow-partial")...)
	if code != exitSignificant || strings.Count(errOut, "chaosstat judge: warning: metrics[") != 3 {
		t.Errorf("--allow-partial, text: exit %d\n%s", code, errOut)
	}
}
