package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// Test data for apdex (see testdata/apdex_gen.go for apdex_timed.csv):
//
//   - apdex_small.csv: 13 requests written by hand for T = 0.5, F = 2:
//     satisfied 0.1, 0.5 (exactly T), 0.25, 0.49, 0.03; tolerating 0.51, 2
//     (exactly 4T), 1.2, 0.9; frustrated 2.01, 7.5, a failure without a
//     time and a failure in 0.2 s. Apdex = (5 + 4/2)/13 = 0.53846 -> 0.54*,
//     Poor (fewer than 100 requests). With F = 3, 2.01 is tolerating:
//     (5 + 5/2)/13 = 0.57692 -> 0.58*.
//   - apdex_timed.csv: 1350 requests over 2023-11-14 22:10 to 22:20 UTC,
//     none in 22:14, an incident in 22:17 (apdex_gen.go).
//   - apdex_bad_error.csv: "yes" in the error column of line 4.
//   - apdex_header_only.csv: a header and no requests (NS).
//   - apdex_no_error_column.csv: durations without the error column.
const (
	apdexSmall = "testdata/apdex_small.csv"
	apdexTimed = "testdata/apdex_timed.csv"
)

var apdexCases = []cliCase{
	{
		name:   "apdex_small_text",
		reason: "13 hand-made requests: exactly T satisfied, exactly 4T tolerating, failures frustrated: (5 + 4/2)/13 = 0.54*, Poor",
		args:   []string{"apdex", "--threshold", "0.5", apdexSmall},
		code:   exitOK,
	},
	{
		name:   "apdex_small_json",
		reason: "the same for notebooks: every key, small_sample true",
		args:   []string{"apdex", "--threshold", "0.5", "--format=json", apdexSmall},
		code:   exitOK,
	},
	{
		name:   "apdex_small_frustrated",
		reason: "--frustrated 3 moves 2.01 s to tolerating, (5 + 5/2)/13 = 0.58, and the notation shows F",
		args:   []string{"apdex", apdexSmall, "--threshold", "0.5", "--frustrated", "3"},
		code:   exitOK,
	},
	{
		name:   "apdex_stdin_json",
		reason: `"-" reads stdin`,
		args:   []string{"apdex", "--threshold", "0.5", "--format=json", "-"},
		stdin:  apdexSmall,
		code:   exitOK,
	},
	{
		name:   "apdex_timed_text",
		reason: "1350 requests overall: no small-group mark; the timestamp column is ignored without --window",
		args:   []string{"apdex", "--threshold", "0.5", apdexTimed},
		code:   exitOK,
	},
	{
		name:   "apdex_window_text",
		reason: "minute by minute: 22:14 had no requests and is NS, not 1.00; the incident at 22:17 shows",
		args:   []string{"apdex", "--threshold", "0.5", "--window", "1m", apdexTimed},
		code:   exitOK,
	},
	{
		name:   "apdex_window_json",
		reason: "windows for notebooks: a list of {timestamp, ...the same keys}, score null when NS",
		args:   []string{"apdex", "--threshold", "0.5", "--window", "1m", "--format=json", apdexTimed},
		code:   exitOK,
	},
	{
		name:   "apdex_window_csv",
		reason: "the satisfaction series as timestamp,value, empty when NS, for other commands to read",
		args:   []string{"apdex", "--threshold", "0.5", "--window", "1m", "--format", "csv", apdexTimed},
		code:   exitOK,
	},
	{
		name:   "apdex_window_5m",
		reason: "5-minute windows align to the clock: 22:10 and 22:15",
		args:   []string{"apdex", "--threshold", "0.5", "--window", "5m", apdexTimed},
		code:   exitOK,
	},
	{
		name:   "apdex_window_no_timestamp",
		reason: "--window needs a timestamp column",
		args:   []string{"apdex", "--threshold", "0.5", "--window", "1m", apdexSmall},
		code:   exitUsage,
	},
	{
		name:   "apdex_bad_error",
		reason: "a bad error cell names the file, line and column",
		args:   []string{"apdex", "--threshold", "0.5", "testdata/apdex_bad_error.csv"},
		code:   exitUsage,
	},
	{
		name:   "apdex_no_error_column",
		reason: "without the error column failures cannot be counted: an error, not a silent default",
		args:   []string{"apdex", "--threshold", "0.5", "testdata/apdex_no_error_column.csv"},
		code:   exitUsage,
	},
	{
		name:   "apdex_header_only",
		reason: "no requests is NS, exit 3, never a score",
		args:   []string{"apdex", "--threshold", "0.5", "testdata/apdex_header_only.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "apdex_missing_file",
		reason: "a file that does not exist",
		args:   []string{"apdex", "--threshold", "0.5", "testdata/no_such_file.csv"},
		code:   exitUsage,
	},
	{
		name:   "apdex_missing_threshold",
		reason: "T has no default: the specification leaves it to the application owner",
		args:   []string{"apdex", apdexSmall},
		code:   exitUsage,
	},
	{
		name:   "apdex_threshold_duration",
		reason: "a Go duration for T gets a hint to give seconds",
		args:   []string{"apdex", "--threshold", "500ms", apdexSmall},
		code:   exitUsage,
	},
	{
		name:   "apdex_threshold_negative",
		reason: "T must be positive",
		args:   []string{"apdex", "--threshold", "-1", apdexSmall},
		code:   exitUsage,
	},
	{
		name:   "apdex_frustrated_below",
		reason: "F must be above T",
		args:   []string{"apdex", "--threshold", "0.5", "--frustrated", "0.4", apdexSmall},
		code:   exitUsage,
	},
	{
		name:   "apdex_bad_window",
		reason: "a window that is not a duration",
		args:   []string{"apdex", "--threshold", "0.5", "--window", "1 minute", apdexTimed},
		code:   exitUsage,
	},
	{
		name:   "apdex_csv_without_window",
		reason: "--format csv writes the window series only",
		args:   []string{"apdex", "--threshold", "0.5", "--format", "csv", apdexSmall},
		code:   exitUsage,
	},
	{
		name:   "apdex_two_files",
		reason: "one file at a time",
		args:   []string{"apdex", "--threshold", "0.5", apdexSmall, apdexTimed},
		code:   exitUsage,
	},
	{
		name:   "apdex_no_file",
		reason: "the file is required",
		args:   []string{"apdex", "--threshold", "0.5"},
		code:   exitUsage,
	},
	{
		name:   "apdex_help",
		reason: "-h prints the usage to stdout",
		args:   []string{"apdex", "-h"},
		code:   exitOK,
	},
}

func init() { cliCases = append(cliCases, apdexCases...) }

// TestApdexSmallByHand checks the JSON of apdex_small.csv against the counts
// worked out by hand in the comment at the top of this file.
func TestApdexSmallByHand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"apdex", "--threshold", "0.5", "--format=json", apdexSmall}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got apdexJSONCheck
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Satisfied != 5 || got.Tolerating != 4 || got.Frustrated != 4 || got.Errors != 2 || got.Total != 13 {
		t.Errorf("counts %+v, want 5/4/4 (2 errors) of 13", got)
	}
	approx.Close(t, "score", *got.Score, 7.0/13, 1e-15, 0)
	if *got.Rounded != 0.54 || got.Notation != "0.54* [0.5]" || got.Rating != "Poor" || !got.SmallSample ||
		got.Threshold != 0.5 || got.Frustration != 2 {
		t.Errorf("got %+v", got)
	}
}

type apdexJSONCheck struct {
	Timestamp   string   `json:"timestamp"`
	Score       *float64 `json:"score"`
	Rounded     *float64 `json:"rounded"`
	Notation    string   `json:"notation"`
	Rating      string   `json:"rating"`
	Satisfied   float64  `json:"satisfied"`
	Tolerating  float64  `json:"tolerating"`
	Frustrated  float64  `json:"frustrated"`
	Errors      float64  `json:"errors"`
	Total       float64  `json:"total"`
	Threshold   float64  `json:"threshold"`
	Frustration float64  `json:"frustration"`
	SmallSample bool     `json:"small_sample"`
}

// TestApdexWindowsRecount checks the --window JSON against a recount of
// apdex_timed.csv done here with encoding/csv and integer minutes, not with
// the apdex package.
func TestApdexWindowsRecount(t *testing.T) {
	f, err := os.Open(apdexTimed)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type tally struct{ s, tol, fr, errs int }
	counts := map[int64]*tally{}
	for _, r := range recs[1:] {
		sec, _ := strconv.ParseFloat(r[0], 64)
		d, _ := strconv.ParseFloat(r[1], 64)
		minute := int64(math.Floor(sec/60)) * 60
		c := counts[minute]
		if c == nil {
			c = &tally{}
			counts[minute] = c
		}
		switch {
		case r[2] == "true":
			c.fr++
			c.errs++
		case d <= 0.5:
			c.s++
		case d <= 2:
			c.tol++
		default:
			c.fr++
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"apdex", "--threshold", "0.5", "--window", "1m", "--format=json", apdexTimed}, nil, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var ws []apdexJSONCheck
	if err := json.Unmarshal(out.Bytes(), &ws); err != nil {
		t.Fatal(err)
	}
	if len(ws) != 10 {
		t.Fatalf("%d windows, want 10 (22:10 to 22:19)", len(ws))
	}
	for i, w := range ws {
		minute := int64(1699999800 + 60*i)
		c := counts[minute]
		if c == nil {
			if i != 4 || w.Score != nil || w.Rounded != nil || w.Total != 0 || w.Notation != "NS [0.5]" || w.Rating != "NS" {
				t.Errorf("window %d (%s): %+v; want only 22:14 empty, and NS", i, w.Timestamp, w)
			}
			continue
		}
		n := c.s + c.tol + c.fr
		if w.Satisfied != float64(c.s) || w.Tolerating != float64(c.tol) || w.Frustrated != float64(c.fr) ||
			w.Errors != float64(c.errs) || w.Total != float64(n) || w.SmallSample != (n < 100) {
			t.Errorf("window %d (%s): %+v, recount %+v", i, w.Timestamp, w, *c)
		}
		approx.Close(t, "score "+w.Timestamp, *w.Score, (float64(c.s)+float64(c.tol)/2)/float64(n), 1e-15, 0)
	}
}
