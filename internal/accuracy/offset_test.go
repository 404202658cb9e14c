package accuracy

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

var offsets = flag.Bool("accuracy.offsets", false, "report how often the monitor stops a 15% drop within 10 looks by the minute the drop starts (about 5 s)")

// TestMonitorDropOffset reports, with -accuracy.offsets, the share of runs
// in which the monitor stops a 15% drop within 10 looks of its start, for
// drops starting at minutes 20 to 29 of the run, with and without 10% of
// the points missing (the matrix's AR(1) ρ 0.5 shape, 400 seeded runs per
// cell, s.e. at most 0.025):
//
//	go test ./internal/accuracy -run TestMonitorDropOffset -accuracy.offsets -v
//
// The monitor's restarted tests began every 10 complete pairs, and the
// figure every simulation reported, a drop at minute 20, started exactly on
// one of them: this report found 0.035 at minute 25 (0.93 at 20). They now
// begin at every pair (steadystate/monitor restart.go): 0.89 to 0.94 at
// every minute, 0.64 to 0.72 with 10% gaps (0.79 to 0.87 when they counted
// from their fifth pair rather than their eighth); with their early looks
// at their 8th to 10th pairs 0.93 to 0.97, and 0.74 to 0.81 with gaps;
// with the early looks' lighter t correction once the variance rests on
// three times the mean's pairs 0.96 to 0.99, and 0.79 to 0.86 with gaps.
// It is a report, not a check
// (steadystate/monitor's TestMonitorDropPhase checks the phases);
// docs/accuracy.md quotes it.
func TestMonitorDropOffset(t *testing.T) {
	if !*offsets {
		t.Skip("a report: run with -accuracy.offsets")
	}
	const runs = 400
	for _, gaps := range []float64{0, 0.1} {
		s := Shape{Name: "AR(1) ρ 0.5", Rho: 0.5, Gaps: gaps}
		line := ""
		for at := 20; at < 30; at++ {
			rng := rand.New(rand.NewPCG(14, uint64(at)))
			caught := 0
			for range runs {
				start := s.runStart(12, 15*time.Minute)
				ctl, exp := s.Pair(rng, start, at+10, Drop{From: at, To: at + 10, Size: 0.15})
				m, err := monitor.New(MonitorConfig(s))
				if err != nil {
					t.Fatal(err)
				}
				run, err := m.Replay(ctl, exp, monitor.ReplayOptions{LastOnly: true})
				if err != nil {
					t.Fatal(err)
				}
				last := run.Decisions[len(run.Decisions)-1]
				dropAt := start.UnixMilli() + int64(at)*60_000
				if run.Outcome == monitor.Stopped && last.Cause == monitor.CauseTest && last.T >= dropAt {
					caught++
				}
			}
			p := float64(caught) / runs
			line += fmt.Sprintf(" %.3f±%.3f", p, math.Sqrt(p*(1-p)/runs))
		}
		t.Logf("%.0f%% gaps, drop at minute 20..29, caught within 10 looks:%s", 100*gaps, line)
	}
}
