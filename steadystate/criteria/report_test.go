package criteria_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/golden"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// TestReportWritesCommandOutput checks that a Report written by a Go
// program gives the bytes `chaosstat criteria` prints: the expected output
// is the command's golden file, whose command line (in the file's second
// line) the case repeats with the library's arguments. The satisfaction
// series is named as the command names it, by its path.
func TestReportWritesCommandOutput(t *testing.T) {
	week := []string{"good", "random_walk", "good_hourly", "good_gappy"}
	now := time.Date(2025, 11, 8, 23, 59, 30, 0, time.UTC) // --now 2025-11-08T23:59:30Z
	for _, c := range []struct {
		golden  string
		reason  string
		metrics []string
		now     time.Time
		opts    criteria.Options
		json    bool
	}{
		{"criteria_week_text", "the header with the query time, the four-metric table and its warnings", week, now, criteria.Options{}, false},
		{"criteria_week_json", "every JSON key of the same table", week, now, criteria.Options{}, true},
		{"criteria_no_now_json", "no query time: now is null", []string{"good"}, time.Time{}, criteria.Options{}, true},
		{"criteria_kendall_seasonal_text", "no query time line; the method and differencing in the thresholds line",
			[]string{"good", "random_walk"}, time.Time{}, criteria.Options{Method: compare.Kendall, Differencing: criteria.SeasonalDifference}, false},
		{"criteria_thresholds_text", "--resolution 1h --max-lag 2h --min-completeness 0.5",
			[]string{"good_hourly"}, time.Time{}, criteria.Options{MaxResolution: time.Hour, MaxLag: 2 * time.Hour, MinCompleteness: 0.5}, false},
	} {
		t.Run(c.golden, func(t *testing.T) {
			cands := candidates(t, c.metrics...)
			if c.golden == "criteria_thresholds_text" {
				cands[0].Name = "hourly" // --metric hourly=good_hourly.csv
			}
			rep, err := criteria.EvaluateAll(readCriteria(t, "satisfaction"), cands, c.now, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			rep.Satisfaction.Name = "../../steadystate/criteria/testdata/satisfaction.csv"
			write := rep.WriteText
			if c.json {
				write = rep.WriteJSON
			}
			golden.Check(t, "../..", c.golden, write)
		})
	}
}

// TestReportSatisfactionSpan checks the span EvaluateAll records against
// the satisfaction file itself: testdata/gen.go writes 10080 per-minute
// points from 2025-11-02T00:00:00Z (Unix 1762041600), so the last is at
// 23:59 on the 8th; a CSV series has no identity, so no name.
func TestReportSatisfactionSpan(t *testing.T) {
	rep, err := criteria.EvaluateAll(readCriteria(t, "satisfaction"), candidates(t, "good"), time.Time{}, criteria.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := criteria.Span{Points: 10080, First: time.Unix(1762041600, 0).UTC(), Last: time.Unix(1762041600+10079*60, 0).UTC()}
	if got := rep.Satisfaction; got != want {
		t.Errorf("span %+v, want %+v", got, want)
	}
	if got, want := rep.Satisfaction.String(), "10080 points from 2025-11-02T00:00:00Z to 2025-11-08T23:59:00Z"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestReportQueryCost checks the query-cost lines of WriteText: only
// metrics read by a query (SeriesCount > 0) are listed, an unknown sample
// count is said to be unknown, and without any the section is left out
// (the golden cases above have none).
func TestReportQueryCost(t *testing.T) {
	cands := candidates(t, "good", "random_walk", "good_hourly")
	cands[1].SeriesCount, cands[1].QuerySamples = 3, 30240 // three series of 10080 samples
	cands[2].SeriesCount = 1                               // samples not reported by the server
	rep, err := criteria.EvaluateAll(readCriteria(t, "satisfaction"), cands, time.Time{}, criteria.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var text, table bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	head := "satisfaction: " + rep.Satisfaction.String() + "\n\n"
	cost := "\nquery cost (the server's statistics):\n" +
		"  random_walk: 3 series returned, 30240 samples read\n" +
		"  good_hourly: 1 series returned, samples read unknown\n"
	if got, want := text.String(), head+table.String()+cost; got != want {
		t.Errorf("WriteText:\n%s\nwant the header, WriteTable's table, then:\n%s", got, cost)
	}
}
