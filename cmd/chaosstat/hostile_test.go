package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestJudgeHypothesisStdin: "--hypothesis -" reads the hypothesis from
// stdin, as every other file flag reads "-"; its data files are then
// relative to the working directory, and errors name "stdin" and the line.
// held.yaml with its paths made relative to this directory gives the same
// verdict, table and exit code as the file itself.
func TestJudgeHypothesisStdin(t *testing.T) {
	const file = "testdata/judge/held.yaml"
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var want, wantErr bytes.Buffer
	wantCode := run([]string{"judge", "--hypothesis", file}, nil, &want, &wantErr)
	var out, errOut bytes.Buffer
	in := strings.ReplaceAll(string(b), "../../../../", "../../")
	code := run([]string{"judge", "--hypothesis", "-"}, strings.NewReader(in), &out, &errOut)
	if code != exitOK || code != wantCode || out.String() != want.String() {
		t.Errorf("stdin: exit %d (file: %d), stderr %q\n%s\nwant\n%s", code, wantCode, errOut.String(), out.String(), want.String())
	}

	out.Reset()
	errOut.Reset()
	code = run([]string{"judge", "--hypothesis", "-"}, strings.NewReader(string(b)), &out, &errOut)
	if code != exitUsage || out.Len() != 0 || !strings.HasPrefix(errOut.String(), "chaosstat judge: stdin:7: metrics[0].control: open ../../../../examples/") {
		t.Errorf("paths relative to the file's folder, read from stdin: exit %d, stderr %q", code, errOut.String())
	}
}

// writeCSV writes a "timestamp,value" file of v at one point a minute from
// start (Unix seconds) into dir and returns its path.
func writeCSV(t *testing.T, dir, name string, start int64, v []float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for i, x := range v {
		fmt.Fprintf(&b, "%d,%s\n", start+int64(i)*60, strconv.FormatFloat(x, 'g', -1, 64))
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestIssue13Messages: the inputs issue 13 found answered silently, wrongly
// or unclearly, each with its exit code and the words that say why.
// Before (commit 7ac6c53): judge's time series on values near the float64
// maximum was nodata with an empty reason, exit 3; aa --alpha 1e-300 named
// no flag; aa on an all-NaN control asked for more history; criteria on a
// metric outside satisfaction's period was FAIL, exit 1; baseline on a day
// before the history said "history has 0 points"; --persistence longer
// than the day answered steady, exit 0.
func TestIssue13Messages(t *testing.T) {
	dir := t.TempDir()
	const day = 1440
	const start = 1795651200 // 2026-11-26T00:00:00Z
	noisy := func(level float64, n int, seed uint64) []float64 {
		rng := rand.New(rand.NewPCG(seed, 13))
		v := make([]float64, n)
		for i := range v {
			v[i] = level * (1 + 0.01*rng.NormFloat64())
		}
		return v
	}
	writeCSV(t, dir, "huge_ctl.csv", start, noisy(1e308, 120, 1))
	writeCSV(t, dir, "huge_exp.csv", start, noisy(1.5e308, 120, 2))
	hyp := filepath.Join(dir, "huge.yaml")
	os.WriteFile(hyp, []byte("name: overflow\nmetrics:\n  - name: huge\n    control: huge_ctl.csv\n    experiment: huge_exp.csv\n    direction: increase\n    tolerance: 0.1\n"), 0o644)
	nan := make([]float64, 2*day)
	for i := range nan {
		nan[i] = math.NaN()
	}
	nanCtl := writeCSV(t, dir, "nan_ctl.csv", start, nan)
	aaExp := writeCSV(t, dir, "aa_exp.csv", start, noisy(1000, 2*day, 3))
	earlyDay := writeCSV(t, dir, "early_day.csv", 1388534400, noisy(1000, day, 4)) // 2014-01-01, before the taxi history

	for _, c := range []struct {
		name string
		args []string
		code int
		want string // in stdout for exit 0 and 1, else in stderr
	}{
		{"time series near the float64 maximum", []string{"judge", "--hypothesis", hyp}, exitSignificant, "huge: high: significantly higher"},
		{"aa alpha too small", []string{"aa", "--control", aaExp, "--experiment", aaExp, "--alpha", "1e-300"}, exitUsage,
			`invalid value "1e-300" for flag --alpha: alpha 1e-300 is too small for an A/A replay`},
		{"aa all-NaN control", []string{"aa", "--control", nanCtl, "--experiment", aaExp}, exitInconclusive,
			"the control has no values: all 2880 of its points are missing (NaN)"},
		{"criteria metric outside satisfaction's period", []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "m=" + aaExp}, exitInconclusive,
			"do not overlap in time"},
		{"baseline current before the history", []string{"baseline", "--history", taxiHistory, "--current", earlyDay}, exitInconclusive,
			"the history's 1728 points (2014-10-23T04:00:00Z to 2014-11-28T04:30:00Z) are all at or after the current series' start (2014-01-01T00:00:00Z)"},
		{"baseline persistence beyond the day", []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--persistence", "100000"}, exitUsage,
			"persistence 100000 points is longer than the current series"},
	} {
		var out, errOut bytes.Buffer
		code := run(c.args, nil, &out, &errOut)
		got := errOut.String()
		if code <= exitSignificant {
			got = out.String()
		}
		if code != c.code || !strings.Contains(got, c.want) {
			t.Errorf("%s: exit %d, want %d saying %q\nstdout %s\nstderr %s", c.name, code, c.code, c.want, out.String(), errOut.String())
		}
		if c.code == exitUsage && out.Len() > 0 {
			t.Errorf("%s: exit 2 with %d bytes on stdout", c.name, out.Len())
		}
	}
}
