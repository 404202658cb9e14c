package baseline_test

import (
	"fmt"
	"math"
	"os"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

// hourly returns hourly points in [from, to) valued f(t).
func hourly(from, to time.Time, f func(time.Time) float64) series.Series {
	var s series.Series
	for t := from; t.Before(to); t = t.Add(time.Hour) {
		s.T = append(s.T, t.UnixMilli())
		s.V = append(s.V, f(t))
	}
	return s
}

// Four weeks of an hourly metric with a daily cycle in Tokyo time, then a
// day with a six-hour outage in the afternoon: Evaluate reports one
// deviation, with the leave-one-week-out false-alarm rate of the rule.
func ExampleEvaluate() {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		fmt.Println(err)
		return
	}
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, tokyo)
	cycle := func(t time.Time) float64 {
		h := float64(t.In(tokyo).Hour())
		// A small deterministic wobble from week to week stands in for noise.
		week := float64(today.Sub(t) / (7 * 24 * time.Hour))
		return 1000 + 400*math.Sin(2*math.Pi*(h-6)/24) + 10*math.Sin(week*1.7+h)
	}
	history := hourly(today.AddDate(0, 0, -28), today, cycle)
	current := hourly(today, today.AddDate(0, 0, 1), func(t time.Time) float64 {
		if h := t.In(tokyo).Hour(); h >= 13 && h < 19 {
			return 0.6 * cycle(t) // a 40% drop from 13:00 to 19:00
		}
		return cycle(t)
	})

	rep, err := baseline.Evaluate(history, current,
		baseline.Options{Location: tokyo}, baseline.DeviationRule{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range rep.Deviations {
		fmt.Println(d)
	}
	fmt.Printf("outside: %d of %d points\n", rep.Outside, rep.Judged)
	c := rep.Calibration
	fmt.Printf("false alarms on the history: %d in %.0f days (95%% upper bound %.2f a day)\n", c.Alarms, c.Days, c.Upper95)
	// Output:
	// below 2026-06-01T13:00:00+09:00 to 2026-06-01T19:00:00+09:00 (6 points, worst ratio 0.595)
	// outside: 6 of 24 points
	// false alarms on the history: 0 in 28 days (95% upper bound 0.11 a day)
}

// What `chaosstat baseline` prints, from a Go program: one export of an
// hourly metric serves as both history and current day (Judge drops the
// history's points from the day's start, with a warning), and the report
// writes itself as the command does. The metric counts requests, so the
// default model (ModelAuto) judges it as counts, as the rule line says.
func ExampleJudge() {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		fmt.Println(err)
		return
	}
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, tokyo)
	metric := hourly(today.AddDate(0, 0, -28), today.AddDate(0, 0, 1), func(t time.Time) float64 {
		h := float64(t.In(tokyo).Hour())
		week := float64(today.Sub(t) / (7 * 24 * time.Hour))
		v := 1000 + 400*math.Sin(2*math.Pi*(h-6)/24) + 10*math.Sin(week*1.7+h)
		if !t.Before(today) && h >= 13 && h < 19 {
			v *= 0.6 // a 40% drop from 13:00 to 19:00 today
		}
		return math.Round(v) // requests an hour: counts
	})
	current := metric.Window(today.UnixMilli(), today.AddDate(0, 0, 1).UnixMilli())

	rep, err := baseline.Judge(metric, current, baseline.Options{Location: tokyo}, baseline.DeviationRule{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep.History, rep.Current = "export.csv", "today"
	rep.WriteText(os.Stdout)
	// Output:
	// history     export.csv  4 of 4 weeks with data, 2026-05-04T00:00:00+09:00 to 2026-06-01T00:00:00+09:00, step 1h0m0s
	// current     today  24 points judged
	// rule        outside centre ± 4 spreads for 5 consecutive points; slots in Asia/Tokyo; model counts (auto: every value a whole number, none below 0), judged on log(1 + value), spread pooled over the days of the week, spread at least 1
	// outside     6 of 24 points (25.00%)
	// deviations  below 2026-06-01T13:00:00+09:00 to 2026-06-01T19:00:00+09:00  6 points outside, worst ratio 0.595
	// false alarm 0 a day on the history (0 in 28 days, leave one week out; 95% upper bound 0.107 a day)
	// verdict     deviated: 1 deviation
	// warnings    24 points of the history at or after the current series' start (2026-06-01T00:00:00+09:00) were ignored
}
