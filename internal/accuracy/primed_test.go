package accuracy

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// TestMonitorPrimedHistoryChange: what a history whose groups were not
// alike for all of it does to the primed monitor, and that the monitor
// says so. MonitorPrimedMethod's drop runs on AR(1) ρ 0.5, 200 seeded
// runs a row, the experiment's history multiplied by 1 + step over its
// second half. Asserted: after a clean history the drop is caught within
// 10 looks in at least 0.95 of runs (the matrix: 0.997) and at most 5% of
// runs are warned of a change in the history; after a 6% step at least
// 95% are. Logged: the drop caught after the step (the primed variance
// holds the step, and the monitor is slow to stop).
func TestMonitorPrimedHistoryChange(t *testing.T) {
	var s Shape
	for _, sh := range Shapes() {
		if sh.Name == "AR(1) ρ 0.5" {
			s = sh
		}
	}
	const h, reps = JudgeHistoryMinutes, 200
	for _, c := range []struct {
		step                 float64
		minCaught            float64
		minWarned, maxWarned float64
	}{
		{0, 0.95, 0, 0.05},
		{0.03, 0, 0, 1},
		{0.06, 0, 0.95, 1},
	} {
		rng := rand.New(rand.NewPCG(5, uint64(math.Round(c.step*100))))
		var caught, warned int
		for range reps {
			looks := MonitorDropAt + 10
			start := s.runStart(12, 15*time.Minute)
			from := start.Add(-h * time.Minute)
			ctl, exp := s.Pair(rng, from, h+looks, Drop{From: h + MonitorDropAt, To: h + MonitorDropAt + 10, Size: 0.15})
			for i := h / 2; i < h; i++ {
				exp.V[i] *= 1 + c.step
			}
			cut := start.UnixMilli()
			hc, he := ctl.Window(from.UnixMilli(), cut), exp.Window(from.UnixMilli(), cut)
			ctl, exp = ctl.Window(cut, math.MaxInt64), exp.Window(cut, math.MaxInt64)
			caught += b2i(monitorPrimedPair(MonitorConfig(s), hc, he, ctl, exp, true, cut+MonitorDropAt*60_000, 10*60_000).Alarm)
			m, err := monitor.New(MonitorConfig(s))
			if err != nil {
				t.Fatal(err)
			}
			if err := m.PrimeSeries(hc, he); err != nil {
				t.Fatal(err)
			}
			run, err := m.Replay(ctl, exp, monitor.ReplayOptions{LastOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range run.Decisions[len(run.Decisions)-1].Warnings {
				if strings.Contains(w.Error(), "the history's differences") {
					warned++
					break
				}
			}
		}
		pc, pw := float64(caught)/reps, float64(warned)/reps
		t.Logf("history stepped %.0f%% over its second half: drop caught within 10 looks %.3f, warned of %.3f (%d runs)", 100*c.step, pc, pw, reps)
		if pc < c.minCaught || pw < c.minWarned || pw > c.maxWarned {
			t.Errorf("step %.2f: caught %.3f (want >= %v), warned %.3f (want within [%v, %v])", c.step, pc, c.minCaught, pw, c.minWarned, c.maxWarned)
		}
	}
}
