package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// taxi is four weeks and a day of New York taxi passengers per 30 minutes,
// real data (steadystate/baseline/testdata/README.md says where from).
const taxi = "../../steadystate/baseline/testdata/taxi_2014-10-23_2014-11-27.csv"

// The program's output on the real data, so that the example cannot rot:
// what the README shows is what it prints. What is known about the days
// independently of chaosstat: 2014-11-20 was an ordinary Thursday, and
// 2014-11-27 was Thanksgiving, when New York's taxis carry far fewer
// passengers by day (and more in the small hours after the night before).
// The numbers themselves are steadystate's, checked by its own tests; here
// they pin the example's output.
func TestRun(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"ordinary Thursday", []string{"-tz", "America/New_York", "-day", "2014-11-20", taxi}, exitSteady, `week-over-week check of Thursday 2014-11-20 (America/New_York) against the 4 weeks before it
baseline   4 of 4 weeks with data, 2014-10-23 to 2014-11-20, a slot every 30m
rule       outside the centre ± 4 spreads for 5 points in a row
model      counts (auto: every value a whole number, none below 0)
judged     48 points, 0 outside the band (0.0%)
history    the rule raises 0.07 false alarms a day on the history (2 in 28 days, leaving one week out; 95% upper bound 0.22)
verdict    steady: the day stayed within the band
`},
		{"Thanksgiving, the file's last day", []string{"-tz", "America/New_York", taxi}, exitDeviated, `week-over-week check of Thursday 2014-11-27 (America/New_York) against the 4 weeks before it
baseline   4 of 4 weeks with data, 2014-10-30 to 2014-11-27, a slot every 30m
rule       outside the centre ± 4 spreads for 5 points in a row
model      counts (auto: every value a whole number, none below 0)
judged     48 points, 39 outside the band (81.2%)
deviation  above 01:30 to 05:00, 7 points, worst 2.18 × the centre
deviation  below 06:00 to 24:00, 32 points, worst 0.33 × the centre
history    the rule raises 0.11 false alarms a day on the history (3 in 28 days, leaving one week out; 95% upper bound 0.28)
verdict    deviated: 2 deviations
`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, c.code, stderr.String())
			}
			if stdout.String() != c.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), c.stdout)
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr: %s", stderr.String())
			}
		})
	}
}

// -table prints every point of the day against its slot: 48 half hours,
// with the marks where the deviations are.
func TestRunTable(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-tz", "America/New_York", "-table", taxi}, &stdout, &stderr); code != exitDeviated {
		t.Fatalf("exit code %d, want %d; stderr: %s", code, exitDeviated, stderr.String())
	}
	rows := regexp.MustCompile(`(?m)^ +\d\d:\d\d +\d+ +\d+ +-?\d+ +\d+( +(above|below))?$`).FindAllString(stdout.String(), -1)
	if len(rows) != 48 {
		t.Fatalf("%d table rows, want 48:\n%s", len(rows), stdout.String())
	}
	marked := 0
	for _, r := range rows {
		if strings.HasSuffix(r, "above") || strings.HasSuffix(r, "below") {
			marked++
		}
	}
	if marked != 39 {
		t.Errorf("%d points marked outside, want the 39 the summary counts", marked)
	}
	// The rows README.md shows.
	for _, want := range []string{
		"   time  value  centre  band low  band high",
		"  00:00  13522   13947     11584      16791",
		"  00:30  11323   10538      8386      13241",
		"  01:30   8870    6187      4881       7842  above",
		"  08:00   7076   20318     16621      24838  below",
		"  16:00  13560   13574     10618      17354",
		"  18:00  12930   21690     17810      26416  below",
	} {
		if !strings.Contains(stdout.String(), want+"\n") {
			t.Errorf("no row %q in:\n%s", want, stdout.String())
		}
	}
}

func TestRunErrors(t *testing.T) {
	for _, c := range []struct {
		name, reason string
		args         []string
		code         int
		stderr       string
	}{
		{"no file", "the file is required", nil, exitUsage, "usage: weekoverweek [flags] FILE"},
		{"missing file", "the reader's error names the file", []string{"nosuch.csv"}, exitUsage, "nosuch.csv"},
		{"bad time zone", "LoadLocation's error, named by flag", []string{"-tz", "Mars/Olympus", taxi}, exitUsage, "-tz: unknown time zone Mars/Olympus"},
		{"bad day", "the day's format is said", []string{"-day", "27/11/2014", taxi}, exitUsage, "-day: want YYYY-MM-DD"},
		{"day outside the file", "no data is never steady", []string{"-day", "2015-01-01", taxi}, exitUsage, "holds no point on 2015-01-01"},
		{"too little history", "two days before 10-25 are not three weeks: inconclusive, not steady", []string{"-tz", "America/New_York", "-day", "2014-10-25", taxi}, exitNoData, "not enough history"},
		{"bad rule", "a zero persistence would make every point a deviation", []string{"-persistence", "0", taxi}, exitUsage, "-persistence must be at least 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit code %d, want %d (%s); stderr: %s", code, c.code, c.reason, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), c.stderr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout on error: %s", stdout.String())
			}
		})
	}
}
