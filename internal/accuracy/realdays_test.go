package accuracy

import (
	"flag"
	"math"
	"testing"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

var realDays = flag.Bool("accuracy.days", false, "report the monitor's A/A stops on the real days by the day's change and the step of the stop (about a second)")

// TestRealMonitorDays prints, with -accuracy.days, the monitor's A/A runs
// of RealMonitorCell day by day, per series: the share of days stopped,
// the share among days whose total is within 2% of the week before's (the
// most nearly A/A of them), and how many stops came at the day's 9th to
// 12th step, where the first restarts' early looks test a mean of 8 to
// 10 pairs with a variance of the same few pairs (steadystate/monitor
// BENCHMARKS.md, "The early looks' degrees of freedom"):
//
//	go test ./internal/accuracy -run TestRealMonitorDays -accuracy.days -v
//
// A report, not a check.
func TestRealMonitorDays(t *testing.T) {
	if !*realDays {
		t.Skip("a report, run with -accuracy.days")
	}
	reals, err := LoadReal("../../steadystate/baseline/testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reals {
		cfg := RealMonitorConfig(r)
		var stops, flat, flatStops, early int
		days := r.days(1, 0)
		for _, d := range days {
			ctl, exp := r.weekPair(d)
			m, err := monitor.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			run, err := m.Replay(ctl, exp, monitor.ReplayOptions{LastOnly: true})
			stopped := err == nil && run.Outcome == monitor.Stopped
			isFlat := nearWeekBefore(ctl, exp)
			if isFlat {
				flat++
			}
			if !stopped {
				continue
			}
			stops++
			if isFlat {
				flatStops++
			}
			last := run.Decisions[len(run.Decisions)-1]
			if step := int((last.T - d.start.UnixMilli()) / r.Step.Milliseconds()); step >= 9 && step <= 12 {
				early++
			}
		}
		flatRate := math.NaN()
		if flat > 0 {
			flatRate = float64(flatStops) / float64(flat)
		}
		t.Logf("%s: %d of %d A/A days stopped (%.3f); within 2%% of the week before %.3f of %d; %d stops at the day's 9th to 12th step",
			r.Name, stops, len(days), float64(stops)/float64(len(days)), flatRate, flat, early)
	}
}

// TestRealJudgeDays prints, with -accuracy.days, the judge's A/A days of
// RealJudgeHistoryCell per series, with the history and without it on the
// same days: the share of days failed, and the same among days whose total
// is within 2% of the week before's (the most nearly A/A of them). It
// measures how much of the real rows' excess is days that differ from the
// week before:
//
//	go test ./internal/accuracy -run TestRealJudgeDays -accuracy.days -v
//
// A report, not a check.
func TestRealJudgeDays(t *testing.T) {
	if !*realDays {
		t.Skip("a report, run with -accuracy.days")
	}
	reals, err := LoadReal("../../steadystate/baseline/testdata")
	if err != nil {
		t.Fatal(err)
	}
	var all, flat [2][2]int // [with history, without][failed, days]
	for _, r := range reals {
		var rs, rf [2][2]int
		for _, d := range r.historyDays(JudgeHistoryMinutes) {
			data := r.historyData(d, JudgeHistoryMinutes)
			isFlat := nearWeekBefore(data.Control, data.Experiment)
			for k, dd := range []steadystate.Data{data, {Control: data.Control, Experiment: data.Experiment}} {
				failed := b2i(judgeData(dd, false).Alarm)
				rs[k][0] += failed
				rs[k][1]++
				if isFlat {
					rf[k][0] += failed
					rf[k][1]++
				}
			}
		}
		for k := range 2 {
			for j := range 2 {
				all[k][j] += rs[k][j]
				flat[k][j] += rf[k][j]
			}
		}
		t.Logf("%s: failed with the history %d of %d days, within 2%% of the week before %d of %d; without it %d of %d and %d of %d",
			r.Name, rs[0][0], rs[0][1], rf[0][0], rf[0][1], rs[1][0], rs[1][1], rf[1][0], rf[1][1])
	}
	t.Logf("all series: failed with the history %d of %d days, within 2%% %d of %d; without it %d of %d and %d of %d",
		all[0][0], all[0][1], flat[0][0], flat[0][1], all[1][0], all[1][1], flat[1][0], flat[1][1])
}

// nearWeekBefore reports whether a day's total (exp) is within 2% of the
// week before's (ctl, on the day's timestamps) over the steps both have:
// the real days most nearly A/A.
func nearWeekBefore(ctl, exp series.Series) bool {
	var se, sc float64
	for k := range exp.V {
		if !math.IsNaN(ctl.V[k]) && !math.IsNaN(exp.V[k]) {
			se += exp.V[k]
			sc += ctl.V[k]
		}
	}
	return math.Abs(math.Log(se/sc)) < 0.02
}
