package monitor_test

import (
	"fmt"
	"math"
	"time"

	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// A monitor watching stream starts per minute: harm is a decrease. The
// experiment group loses 15% of its stream starts from 12:20; the monitor
// stops it a few minutes later, with the reason.
func ExampleMonitor() {
	m, err := monitor.New(monitor.Config{
		Direction:  steadystate.Decrease,
		Guardrails: monitor.MaxChangeGuardrails(steadystate.Decrease, 0.3, 3),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for i := range 60 {
		// Both groups follow the same traffic; each has a little noise of
		// its own.
		traffic := 2000 * (1 + 0.05*math.Sin(float64(i)/7))
		c := traffic * (1 + 0.02*math.Sin(float64(i)*1.3))
		e := traffic * (1 + 0.02*math.Cos(float64(i)*0.9))
		if i >= 20 {
			e *= 0.85
		}
		d, err := m.Add(monitor.Point{T: start.Add(time.Duration(i) * time.Minute).UnixMilli(), Control: c, Experiment: e})
		if err != nil {
			fmt.Println(err)
			return
		}
		if d.Action == monitor.Stop {
			fmt.Println(d.Action, "by the", d.Cause, "at", time.UnixMilli(d.T).UTC().Format("15:04"))
			fmt.Println(d.Reason)
			fmt.Printf("relative change over the run %.1f%%, always-valid interval [%.1f%%, %.1f%%]\n",
				100*d.Relative.Estimate, 100*d.Relative.Low, 100*d.Relative.High)
			fmt.Printf("since %s (%d pairs) %.1f%%, interval [%.1f%%, %.1f%%] at %.4f%%\n",
				time.UnixMilli(d.Window.Start).UTC().Format("15:04"), d.Window.N,
				100*d.Window.Estimate, 100*d.Window.Low, 100*d.Window.High, 100*d.Window.Confidence)
			return
		}
	}
	fmt.Println("no stop")
	// Output:
	// stop by the test at 12:26
	// the experiment is lower than the control: always-valid p = 0.00045 <= alpha 0.05 after 27 pairs over the 8 pairs since 2026-11-26T12:19:00Z (experiment/control -13.6%); over the run experiment/control -4.27%
	// relative change over the run -4.3%, always-valid interval [-100.0%, 27452499.2%]
	// since 12:19 (8 pairs) -13.6%, interval [-21.4%, -4.9%] at 99.9966%
}

// The same run, with the monitor primed with the hour before the
// experiment, when the groups were treated alike: the history sets the
// test's variance from the first look, so the drop is stopped at its
// sixth minute (12:26 unprimed; a restarted test counts from its eighth
// pair, so the stop came from the tests that began before the drop), and
// the whole run's interval is far less blown up by a variance from a few
// points ([-100.0%, 27452499.2%] unprimed).
func ExampleMonitor_Prime() {
	m, err := monitor.New(monitor.Config{Direction: steadystate.Decrease})
	if err != nil {
		fmt.Println(err)
		return
	}
	point := func(i int) (c, e float64) {
		traffic := 2000 * (1 + 0.05*math.Sin(float64(i)/7))
		c = traffic * (1 + 0.02*math.Sin(float64(i)*1.3))
		e = traffic * (1 + 0.02*math.Cos(float64(i)*0.9))
		return c, e
	}
	// The hour before 12:00, A/A.
	var hc, he []float64
	for i := -60; i < 0; i++ {
		c, e := point(i)
		hc, he = append(hc, c), append(he, e)
	}
	if err := m.Prime(hc, he); err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for i := range 60 {
		c, e := point(i)
		if i >= 20 {
			e *= 0.85
		}
		d, err := m.Add(monitor.Point{T: start.Add(time.Duration(i) * time.Minute).UnixMilli(), Control: c, Experiment: e})
		if err != nil {
			fmt.Println(err)
			return
		}
		if d.Action == monitor.Stop {
			fmt.Println(d.Action, "by the", d.Cause, "at", time.UnixMilli(d.T).UTC().Format("15:04"), "after", d.N, "live pairs")
			fmt.Printf("relative change over the run %.1f%%, always-valid interval [%.1f%%, %.1f%%]\n",
				100*d.Relative.Estimate, 100*d.Relative.Low, 100*d.Relative.High)
			return
		}
	}
	fmt.Println("no stop")
	// Output:
	// stop by the test at 12:25 after 26 live pairs
	// relative change over the run -3.8%, always-valid interval [-83.1%, 448.2%]
}
