package baseline

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/golden"
	"github.com/chaosstat/chaosstat/series"
)

// readCmdCSV reads a series from cmd/chaosstat/testdata, where the
// command's golden cases keep the current days of the taxi data.
func readCmdCSV(t *testing.T, name string) series.Series {
	t.Helper()
	s, err := series.ReadFile("../../cmd/chaosstat/testdata/"+name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReportWritesCommandOutput checks that Judge's Report gives the
// bytes `chaosstat baseline` prints: the expected output is each case's
// golden file, whose command line the case repeats with the library's
// arguments. The series are named by the paths the command was given.
// The taxi history runs to the end of Thanksgiving 2014, so judging that
// day drops the history's points from its start, with the warning the
// golden file shows.
func TestReportWritesCommandOutput(t *testing.T) {
	const dir = "../../steadystate/baseline/testdata/"
	ny := loadLocation(t, "America/New_York")
	for _, c := range []struct {
		golden, history, current string
		opts                     Options
		json                     bool
	}{
		{"baseline_synthetic_normal_text", "history.csv", "normal_day.csv", Options{Location: ny}, false},
		{"baseline_synthetic_drop_text", "history.csv", "drop_day.csv", Options{Location: ny}, false},
		{"baseline_synthetic_drop_json", "history.csv", "drop_day.csv", Options{Location: ny}, true},
		{"baseline_synthetic_utc_text", "history.csv", "normal_day.csv", Options{}, false},
		{"baseline_synthetic_level_adjust_json", "history.csv", "drop_day.csv", Options{Location: ny, Weeks: 3, MinWeeks: 2, LevelAdjust: true}, true},
		{"baseline_taxi_thanksgiving_text", "taxi_2014-10-23_2014-11-27.csv", "cmd:baseline_taxi_2014-11-27.csv", Options{Location: ny}, false},
		{"baseline_taxi_thanksgiving_json", "taxi_2014-10-23_2014-11-27.csv", "cmd:baseline_taxi_2014-11-27.csv", Options{Location: ny}, true},
		{"baseline_taxi_ordinary_json", "taxi_2014-10-23_2014-11-27.csv", "cmd:baseline_taxi_2014-11-20.csv", Options{Location: ny}, true},
	} {
		t.Run(c.golden, func(t *testing.T) {
			var cur series.Series
			curName := dir + c.current
			if name, ok := strings.CutPrefix(c.current, "cmd:"); ok {
				cur, curName = readCmdCSV(t, name), "testdata/"+name
			} else {
				cur = readBaselineCSV(t, c.current)
			}
			rep, err := Judge(readBaselineCSV(t, c.history), cur, c.opts, DeviationRule{})
			if err != nil {
				t.Fatal(err)
			}
			rep.History, rep.Current = dir+c.history, curName
			write := rep.WriteText
			if c.json {
				write = rep.WriteJSON
			}
			golden.Check(t, "../..", c.golden, write)
		})
	}
}

// TestJudgeInputErrors checks that Judge says which series caused an
// error, keeping the sentinel inside. The cases are the command's golden
// cases baseline_not_enough_history (one day of history: 1 of 4 weeks)
// and baseline_current_all_missing (three NaN points).
func TestJudgeInputErrors(t *testing.T) {
	taxi := readBaselineCSV(t, "taxi_2014-10-23_2014-11-27.csv")
	for _, c := range []struct {
		name             string
		history, current series.Series
		input            string
		sentinel         error
	}{
		{"one day of history", readCmdCSV(t, "baseline_taxi_2014-11-20.csv"), readCmdCSV(t, "baseline_taxi_2014-11-27.csv"), "history", ErrNotEnoughHistory},
		{"no current value", taxi, readCmdCSV(t, "all_missing.csv"), "current", ErrNothingJudged},
	} {
		_, err := Judge(c.history, c.current, Options{}, DeviationRule{})
		var in *InputError
		if !errors.As(err, &in) || in.Input != c.input || !errors.Is(err, c.sentinel) {
			t.Errorf("%s: error %v, want an *InputError on the %s wrapping %v", c.name, err, c.input, c.sentinel)
		}
	}
	if _, err := Judge(taxi, taxi, Options{}, DeviationRule{Z: -1}); err == nil || errors.As(err, new(*InputError)) {
		t.Errorf("a negative z: error %v, want a plain error", err)
	}
	// Issue 13: a current series before the whole history said "history has
	// 0 points"; it names the history's span and the current start now.
	early := taxi.Window(taxi.T[0], taxi.T[0]+24*3600*1000)
	early.T = append([]int64(nil), early.T...)
	for i := range early.T {
		early.T[i] -= 365 * 24 * 3600 * 1000 // a year before the history
	}
	_, err := Judge(taxi, early, Options{}, DeviationRule{})
	var in *InputError
	if !errors.As(err, &in) || in.Input != "history" || !errors.Is(err, ErrNotEnoughHistory) ||
		!strings.Contains(err.Error(), fmt.Sprintf("the history's %d points (2014-10-23T", taxi.Len())) || !strings.Contains(err.Error(), "are all at or after the current series' start (2013-10-23T") {
		t.Errorf("current before the history: %v", err)
	}
	// A persistence longer than the current series could never fire: a
	// plain error (the rule is wrong, not a series), naming both lengths.
	day := readCmdCSV(t, "baseline_taxi_2014-11-27.csv")
	_, err = Judge(taxi, day, Options{}, DeviationRule{Persistence: day.Len() + 1})
	if err == nil || errors.As(err, new(*InputError)) || !strings.Contains(err.Error(), fmt.Sprintf("persistence %d points is longer than the current series (%d points)", day.Len()+1, day.Len())) {
		t.Errorf("persistence beyond the current series: %v", err)
	}
	if _, err := Judge(taxi, day, Options{}, DeviationRule{Persistence: day.Len()}); err != nil {
		t.Errorf("persistence equal to the current series' length: %v", err)
	}
}

// TestHistoryRange checks the range against its definition (weeks weeks
// and a day before the current series' first point, to one step before
// it), and that reading the history over that range alone gives Judge the
// same report as the whole file: Thanksgiving 2014 against the NYC taxi
// history in 30-minute buckets, which runs on to that day's end, so that
// the whole file's report differs only by its first warning, on the
// dropped points.
func TestHistoryRange(t *testing.T) {
	ny := loadLocation(t, "America/New_York")
	cur := readCmdCSV(t, "baseline_taxi_2014-11-27.csv")
	first := time.UnixMilli(cur.T[0])
	start, end, err := HistoryRange(cur, 0, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if want := first.Add(-(4*7 + 1) * 24 * time.Hour); !start.Equal(want) {
		t.Errorf("start %v, want %v (29 days before %v)", start, want, first)
	}
	if want := first.Add(-30 * time.Minute); !end.Equal(want) {
		t.Errorf("end %v, want %v", end, want)
	}

	history := readBaselineCSV(t, "taxi_2014-10-23_2014-11-27.csv")
	whole, err := Judge(history, cur, Options{Location: ny}, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	ranged, err := Judge(history.Window(start.UnixMilli(), end.UnixMilli()+1), cur, Options{Location: ny}, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Warnings) == 0 || !strings.Contains(whole.Warnings[0].Error(), "were ignored") {
		t.Fatalf("whole history: warnings %v, want the dropped points first", whole.Warnings)
	}
	whole.Warnings = whole.Warnings[1:]
	var w, r bytes.Buffer
	if err := whole.WriteJSON(&w); err != nil {
		t.Fatal(err)
	}
	if err := ranged.WriteJSON(&r); err != nil {
		t.Fatal(err)
	}
	if w.String() != r.String() {
		t.Errorf("the history read over HistoryRange gives\n%s\nthe whole history\n%s", r.String(), w.String())
	}

	if _, _, err := HistoryRange(series.Series{V: []float64{1}}, 4, time.Minute); err == nil {
		t.Error("a current series without timestamps gave no error")
	}
}

// TestHistoryStep: the history is read at the current series' own step
// (the taxi day's 30-minute buckets), and at the fallback when the current
// series has no step to read (one point, or none).
func TestHistoryStep(t *testing.T) {
	cur := readCmdCSV(t, "baseline_taxi_2014-11-27.csv")
	for _, c := range []struct {
		name string
		cur  series.Series
		want time.Duration
	}{
		{"the current file's 30-minute step", cur, 30 * time.Minute},
		{"one point has no step", series.Series{T: cur.T[:1], V: cur.V[:1]}, time.Minute},
		{"a plain sample has no step", series.Series{V: []float64{1, 2}}, time.Minute},
	} {
		if got := HistoryStep(c.cur, time.Minute); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestReportVerdict checks the verdict words against the deviations.
func TestReportVerdict(t *testing.T) {
	for _, c := range []struct {
		devs []Deviation
		want string
	}{{nil, "steady"}, {[]Deviation{{}}, "deviated"}} {
		r := &Report{Check: &DeviationReport{Deviations: c.devs}}
		if got := r.Verdict(); got != c.want || r.Deviated() != (c.want == "deviated") {
			t.Errorf("%d deviations: verdict %q, Deviated %v; want %q", len(c.devs), got, r.Deviated(), c.want)
		}
	}
}

// TestWeeksBeyondHistory: weeks asked for before the history's first
// point are weeks without data, as before, but they are neither allocated
// (issue 13: --weeks 10000 on four weeks took 30 s and 1.25 GB) nor
// listed one warning each: three are named, the rest counted in one line.
func TestWeeksBeyondHistory(t *testing.T) {
	ny := loadLocation(t, "America/New_York")
	history := readBaselineCSV(t, "taxi_2014-10-23_2014-11-27.csv")
	cur := readCmdCSV(t, "baseline_taxi_2014-11-27.csv")
	// The history spans five weeks (2014-10-23 to 11-27), all with data.
	for _, c := range []struct{ weeks, withData int }{{4, 4}, {100000, 5}} {
		weeks := c.weeks
		rep, err := Judge(history, cur, Options{Location: ny, Weeks: weeks}, DeviationRule{})
		if err != nil {
			t.Fatalf("weeks %d: %v", weeks, err)
		}
		if rep.Baseline.Weeks != weeks || rep.Baseline.WeeksWithData != c.withData {
			t.Errorf("weeks %d: %d weeks asked, %d with data; want %d and %d", weeks, rep.Baseline.Weeks, rep.Baseline.WeeksWithData, weeks, c.withData)
		}
		var before []string
		for _, w := range rep.Warnings {
			if strings.Contains(w.Error(), "has no data") || strings.Contains(w.Error(), "before the history's first point") {
				before = append(before, w.Error())
			}
		}
		if weeks == 100000 && (len(before) != 4 || !strings.Contains(before[3], "weeks 9 to 100000 of 100000")) {
			t.Errorf("weeks %d: warnings about the weeks without data %q; want weeks 6 to 8 named and one line counting weeks 9 to 100000", weeks, before)
		}
	}
}
