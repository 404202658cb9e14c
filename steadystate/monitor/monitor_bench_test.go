package monitor

import (
	"math/rand/v2"
	"testing"

	"github.com/chaosstat/chaosstat/steadystate"
)

// BenchmarkMonitorAdd is the cost of one look: Add of a point of six hours
// of per-minute data (the realistic model, A/A, one-sided), averaged over
// the 360 looks of a run, the monitor's construction included once per run.
func BenchmarkMonitorAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	c, e := make([]float64, 360), make([]float64, 360)
	realistic.gen(rng, c, e)
	cfg := Config{Direction: steadystate.Decrease}
	b.ReportAllocs()
	var m *Monitor
	for i := 0; b.Loop(); i++ {
		k := i % 360
		if k == 0 {
			m, _ = New(cfg)
		}
		if _, err := m.Add(Point{T: minute(k), Control: c[k], Experiment: e[k]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMonitorAddLong is Add on a monitor that has run for a week of
// minutes (past the horizon: only the whole-run test), to show the cost
// does not grow with the run.
func BenchmarkMonitorAddLong(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	long := realistic
	long.minutes = 10080
	c, e := make([]float64, long.minutes), make([]float64, long.minutes)
	long.gen(rng, c, e)
	m, _ := New(Config{Direction: steadystate.Decrease})
	for k := range long.minutes {
		m.Add(Point{T: minute(k), Control: c[k], Experiment: e[k]})
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := long.minutes + i
		if _, err := m.Add(Point{T: minute(k), Control: c[i%long.minutes], Experiment: e[i%long.minutes]}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMonitorAddPrimed is BenchmarkMonitorAdd with the monitor primed
// with the 120 minutes before the run (Prime included once per run).
func BenchmarkMonitorAddPrimed(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	mod := primed(realistic, 120)
	c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
	mod.gen(rng, c, e)
	hc, he, c, e := c[:120], e[:120], c[120:], e[120:]
	cfg := Config{Direction: steadystate.Decrease}
	b.ReportAllocs()
	var m *Monitor
	for i := 0; b.Loop(); i++ {
		k := i % 360
		if k == 0 {
			m, _ = New(cfg)
			if err := m.Prime(hc, he); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := m.Add(Point{T: minute(k), Control: c[k], Experiment: e[k]}); err != nil {
			b.Fatal(err)
		}
	}
}
