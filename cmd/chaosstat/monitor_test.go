package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// Golden cases of the monitor command. The data are
// steadystate/monitor/testdata (seeded generator gen.go there, README.md
// says what each file is): two hours of an A/A split, the same with the
// experiment's rows ending at minute 30, and an hour with a 15% drop of the
// experiment from minute 20, as two files and as a live feed.
const monData = "../../steadystate/monitor/testdata/"

func monArgs(variant string, more ...string) []string {
	exp := variant
	ctl := variant
	if variant == "gap" {
		ctl = "aa"
	}
	return append([]string{"monitor", "--control", monData + ctl + "_control.csv", "--experiment", monData + exp + "_experiment.csv"}, more...)
}

func init() {
	cliCases = append(cliCases, monitorCases...)
}

var monitorCases = []cliCase{
	{
		name:   "monitor_drop_text",
		reason: "a 15% drop from 12:20, one-sided: the restarted test stops it at 12:23, exit 1, and the rest of the file is not read",
		args:   monArgs("drop", "--direction", "decrease"),
		code:   exitSignificant,
	},
	{
		name:   "monitor_drop_json",
		reason: "the same as JSON lines: every key of the contract, infinite bounds during the burn-in as null",
		args:   monArgs("drop", "--direction", "decrease", "--format", "json"),
		code:   exitSignificant,
	},
	{
		name:   "monitor_drop_guardrail_text",
		reason: "--max-drop 0.1 --sustain 3: the guardrail fires at 12:22, before the test, with the rule in the reason",
		args:   monArgs("drop", "--max-drop", "0.1"),
		code:   exitSignificant,
	},
	{
		name:   "monitor_drop_primed_text",
		reason: "the drop hour primed with the two hours before it (A/A): the history sets the variance, so the whole run's interval is finite from the burn-in on, and the test stops the drop",
		args:   monArgs("drop", "--direction", "decrease", "--history-control", monData+"history_control.csv", "--history-experiment", monData+"history_experiment.csv"),
		code:   exitSignificant,
	},
	{
		name:   "monitor_feed_primed_text",
		reason: "a live feed primed with history files: the same priming for --feed",
		args:   []string{"monitor", "--feed", monData + "feed.csv", "--direction", "decrease", "--history-control", monData + "history_control.csv", "--history-experiment", monData + "history_experiment.csv"},
		code:   exitSignificant,
	},
	{
		name:   "monitor_history_overlap",
		reason: "a history that does not end before the run is refused (it would be the experiment's own data), exit 2",
		args:   monArgs("drop", "--history-control", monData+"aa_control.csv", "--history-experiment", monData+"aa_experiment.csv"),
		code:   exitUsage,
	},
	{
		name:   "monitor_history_one",
		reason: "only one of the history flags: usage error",
		args:   monArgs("drop", "--history-control", monData+"history_control.csv"),
		code:   exitUsage,
	},
	{
		name:   "monitor_history_short",
		reason: "history files that share no timestamp (control 10:00-11:59, experiment from 12:00) make no complete pair: refused, naming the flags, with the minimum of 30 pairs, exit 2",
		args:   monArgs("drop", "--history-control", monData+"history_control.csv", "--history-experiment", monData+"gap_experiment.csv"),
		code:   exitUsage,
	},
	{
		name:   "monitor_aa_text",
		reason: "two hours of A/A: 120 looks, no stop, exit 0",
		args:   monArgs("aa"),
		code:   exitOK,
	},
	{
		name:   "monitor_floor_text",
		reason: "--experiment-below: an absolute limit like an alert rule (three points in a row below 1700)",
		args:   monArgs("aa", "--experiment-below", "1700"),
		code:   exitSignificant,
	},
	{
		name:   "monitor_gap_text",
		reason: "the experiment's rows end at 12:29: the control's points keep coming, and at 12:35 the experiment has been silent for 6m > --max-gap 5m: stop",
		args:   monArgs("gap"),
		code:   exitSignificant,
	},
	{
		name:   "monitor_feed_json",
		reason: "a live feed on stdin with a header, a baseline column and a missing value at 12:05: one JSON line per look",
		args:   []string{"monitor", "--feed", "-", "--direction", "decrease", "--format", "json"},
		stdin:  monData + "feed.csv",
		code:   exitSignificant,
	},
	{
		name:   "monitor_feed_text",
		reason: "the same feed for people, read from a file",
		args:   []string{"monitor", "--feed", monData + "feed.csv", "--direction", "decrease"},
		code:   exitSignificant,
	},
	{
		name:   "monitor_feed_short",
		reason: "a feed of three lines (no header) ends before the burn-in: no data to judge, exit 3",
		args:   []string{"monitor", "--feed", "-"},
		stdin:  "testdata/monitor_short_feed.csv",
		code:   exitInconclusive,
	},
	{
		name:   "monitor_feed_bad_value",
		reason: "a bad cell in the feed: exit 2 naming the line and the field, after the decision of the good line before it",
		args:   []string{"monitor", "--feed", "-"},
		stdin:  "testdata/monitor_bad_feed.csv",
		code:   exitUsage,
	},
	{
		name:   "monitor_feed_unsorted",
		reason: "a feed line earlier than the one before: exit 2 with the line",
		args:   []string{"monitor", "--feed", "-"},
		stdin:  "testdata/monitor_unsorted_feed.csv",
		code:   exitUsage,
	},
	{
		name:   "monitor_bad_file",
		reason: "a bad value in a series file: exit 2 with file:line from the reader",
		args:   []string{"monitor", "--control", "testdata/bad_value.csv", "--experiment", monData + "aa_experiment.csv"},
		code:   exitUsage,
	},
	{
		name:   "monitor_header_only",
		reason: "a file without data: no data, exit 3",
		args:   []string{"monitor", "--control", "testdata/header_only.csv", "--experiment", monData + "aa_experiment.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "monitor_plain_sample",
		reason: "a single value column has no times to replay: exit 2",
		args:   []string{"monitor", "--control", "testdata/males.csv", "--experiment", monData + "aa_experiment.csv"},
		code:   exitUsage,
	},
	{
		name:   "monitor_no_input",
		reason: "neither files nor a feed: say how to give one",
		args:   []string{"monitor"},
		code:   exitUsage,
	},
	{
		name:   "monitor_both_inputs",
		reason: "files and a feed at once are ambiguous",
		args:   []string{"monitor", "--feed", "-", "--control", "a.csv", "--experiment", "b.csv"},
		code:   exitUsage,
	},
	{
		name:   "monitor_limits_cross",
		reason: "--experiment-below above --experiment-above: every value breaches one (monitor.CheckRuleGuardrails)",
		args:   append(monArgs("aa"), "--experiment-below", "5", "--experiment-above", "3"),
		code:   exitUsage,
	},
	{
		name:   "monitor_bad_sustain",
		reason: "--sustain 0: a given 0 is refused, with the library's want",
		args:   append(monArgs("aa"), "--sustain", "0"),
		code:   exitUsage,
	},
	{
		name:   "monitor_bad_alpha",
		reason: "--alpha out of (0, 1)",
		args:   append(monArgs("aa"), "--alpha", "5"),
		code:   exitUsage,
	},
	{
		name:   "monitor_bad_direction",
		reason: "an unknown direction names the three",
		args:   append(monArgs("aa"), "--direction", "down"),
		code:   exitUsage,
	},
	{
		name:   "monitor_help",
		reason: "the usage: inputs, flags, the feed format, exit codes",
		args:   []string{"monitor", "-h"},
		code:   exitOK,
	},
}

// monitorKeys are the keys of a --format json line, as the README documents.
var (
	monitorKeys         = []string{"action", "alpha", "baseline", "cause", "control_mean", "difference", "experiment_mean", "looks", "n", "p_value", "reason", "relative", "time", "variance_factor", "warnings", "window"}
	monitorIntervalKeys = []string{"confidence", "estimate", "high", "low"}
	monitorWindowKeys   = []string{"confidence", "estimate", "high", "low", "n", "start"}
)

// TestMonitorJSONContract: every line of every monitor JSON case has exactly
// the documented keys; only the last says stop, and the exit code agrees.
func TestMonitorJSONContract(t *testing.T) {
	for _, c := range monitorCases {
		if !strings.Contains(strings.Join(c.args, " "), "--format json") {
			continue
		}
		_, code, stdout := runCase(t, c)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		for i, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("%s line %d: %v", c.name, i+1, err)
			}
			if got := sortedKeys(m); strings.Join(got, ",") != strings.Join(monitorKeys, ",") {
				t.Errorf("%s line %d: keys %v, want %v", c.name, i+1, got, monitorKeys)
			}
			for _, k := range []string{"difference", "relative"} {
				if got := sortedKeys(m[k].(map[string]any)); strings.Join(got, ",") != strings.Join(monitorIntervalKeys, ",") {
					t.Errorf("%s line %d: %s keys %v", c.name, i+1, k, got)
				}
			}
			if got := sortedKeys(m["window"].(map[string]any)); strings.Join(got, ",") != strings.Join(monitorWindowKeys, ",") {
				t.Errorf("%s line %d: window keys %v", c.name, i+1, got)
			}
			stop := m["action"] == "stop"
			if stop != (i == len(lines)-1 && code == exitSignificant) {
				t.Errorf("%s line %d: action %v, exit %d", c.name, i+1, m["action"], code)
			}
		}
	}
}

// TestMonitorLive feeds a live feed through a pipe line by line and reads
// each decision before sending the next line: decisions are written as they
// are made, not at the end. Then the feed goes silent and the wall-clock
// watchdog (--max-gap 200ms here) stops the run.
func TestMonitorLive(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run([]string{"monitor", "--feed", "-", "--max-gap", "200ms"}, inR, outW, &errOut)
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	for i := range 3 {
		io.WriteString(inW, strings.Join([]string{
			time.Date(2026, 11, 26, 12, i, 0, 0, time.UTC).Format(time.RFC3339), "100", "101"}, ",")+"\n")
		if !lines.Scan() {
			t.Fatalf("no decision after line %d", i+1)
		}
		if !strings.Contains(lines.Text(), "continue") {
			t.Errorf("line %d: %s", i+1, lines.Text())
		}
	}
	// Silence: the watchdog must stop the run.
	if !lines.Scan() {
		t.Fatal("no decision after the feed went silent")
	}
	last := lines.Text()
	if !strings.Contains(last, "stop") || !strings.Contains(last, "stdin sent nothing for 200ms") {
		t.Errorf("after silence: %s", last)
	}
	select {
	case code := <-done:
		if code != exitSignificant {
			t.Errorf("exit %d, want %d; stderr %s", code, exitSignificant, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("monitor did not exit after the silent feed")
	}
	inW.Close()
}

// TestMonitorSilentFromStart: a feed that never sends anything is no data.
func TestMonitorSilentFromStart(t *testing.T) {
	inR, inW := io.Pipe()
	defer inW.Close()
	var out, errOut bytes.Buffer
	code := run([]string{"monitor", "--feed", "-", "--max-gap", "100ms"}, inR, &out, &errOut)
	if code != exitInconclusive || !strings.Contains(errOut.String(), "no data: stdin sent no point in 100ms") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestMonitorFeedTimeForms: the feed reads timestamps with series.ParseTime,
// as files do, so the same three minutes given as plain Unix seconds, in
// exponent form (1.7e9, which the feed once rejected while a CSV file took
// it) and as RFC 3339 give the same decisions.
func TestMonitorFeedTimeForms(t *testing.T) {
	forms := []struct{ name, feed string }{
		{"seconds", "1700000000,100,99\n1700000060,101,98\n1700000120,102,100\n"},
		{"exponent", "1.7e9,100,99\n1.70000006e9,101,98\n1.70000012e9,102,100\n"},
		{"rfc3339", "2023-11-14T22:13:20Z,100,99\n2023-11-14T22:14:20Z,101,98\n2023-11-14T22:15:20Z,102,100\n"},
	}
	var want string
	for i, f := range forms {
		var out, errOut bytes.Buffer
		code := run([]string{"monitor", "--feed", "-"}, strings.NewReader(f.feed), &out, &errOut)
		// Three pairs end before the burn-in: exit 3, never 2 (a bad line).
		if code != exitInconclusive {
			t.Fatalf("%s: exit %d, want %d; stderr %s", f.name, code, exitInconclusive, errOut.String())
		}
		if !strings.HasPrefix(out.String(), "2023-11-14T22:13:20Z") {
			t.Errorf("%s: first decision not at 2023-11-14T22:13:20Z (1.7e9 s):\n%s", f.name, out.String())
		}
		if i == 0 {
			want = out.String()
		} else if out.String() != want {
			t.Errorf("%s: decisions differ from plain seconds:\n%s\nwant\n%s", f.name, out.String(), want)
		}
	}
}
