package monitor_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// Replaying an hour of the two groups' per-minute stream starts, the
// experiment 15% lower from 12:20 (testdata/README.md), as chaosstat
// monitor --direction decrease does: the run stops at the first stop, and
// its last decision is printed as the command prints it.
func ExampleMonitor_Replay() {
	control, err := series.ReadFile("testdata/drop_control.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	experiment, err := series.ReadFile("testdata/drop_experiment.csv", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := monitor.New(monitor.Config{Direction: steadystate.Decrease})
	if err != nil {
		fmt.Println(err)
		return
	}
	run, err := m.Replay(control, experiment, monitor.ReplayOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(run.Outcome, "after", run.Looks, "looks")
	run.Decisions[len(run.Decisions)-1].WriteText(os.Stdout)
	// Output:
	// stopped after 27 looks
	// 2026-11-26T12:26:00Z  stop      n=27   p=0.0187  exp/ctl -4.3% [-78.6%, 328.0%]  the experiment is lower than the control: always-valid p = 0.0187 <= alpha 0.05 after 27 pairs over the 8 pairs since 2026-11-26T12:19:00Z (experiment/control -13.2%); over the run experiment/control -4.26%
}

// A live feed, one CSV line a look, read from any io.Reader (a pipe, an
// HTTP body): Follow prints each decision as it is made. The feed ends
// before the burn-in, so the run is inconclusive: no data is never a pass.
func ExampleMonitor_Follow() {
	feed := strings.NewReader(`timestamp,control,experiment
2026-11-26T12:00:00Z,1834,1792
2026-11-26T12:01:00Z,1685,1624
2026-11-26T12:02:00Z,1710,
`)
	m, err := monitor.New(monitor.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	run, err := m.Follow(context.Background(), monitor.NewFeedReader(feed, "feed"), monitor.FollowOptions{
		OnDecision: func(d monitor.Decision) error { return d.WriteText(os.Stdout) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(run.Outcome, run.Err())
	// Output:
	// 2026-11-26T12:00:00Z  continue  n=1    p=1       exp/ctl -2.3% [-Inf, +Inf]  burn-in: 1 of 10 complete pairs before the test may stop
	// 2026-11-26T12:01:00Z  continue  n=2    p=1       exp/ctl -3.0% [-Inf, +Inf]  burn-in: 2 of 10 complete pairs before the test may stop
	// 2026-11-26T12:02:00Z  continue  n=2    p=1       exp/ctl -3.0% [-Inf, +Inf]  burn-in: 2 of 10 complete pairs before the test may stop
	// inconclusive the run ended with 2 complete pairs, fewer than the 10 the test needs to judge
}
