package monitor

import (
	"math"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/steadystate"
)

// TestHarmonic: H_n summed exactly up to 10^6 and by its asymptotic
// expansion beyond; the expansion's error at n = 10^6 + 1 is below
// 1/(120 n^4), so the two sides of the switch agree to rounding. H_1 = 1,
// H_4 = 25/12 by hand.
func TestHarmonic(t *testing.T) {
	for _, c := range []struct {
		n    int
		want float64
	}{{1, 1}, {4, 25.0 / 12}} {
		if got := harmonic(c.n); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("harmonic(%d) = %v, want %v", c.n, got, c.want)
		}
	}
	exact := harmonic(1e6) + 1/float64(1e6+1)
	if got := harmonic(1e6 + 1); math.Abs(got-exact) > 1e-12 {
		t.Errorf("harmonic(1e6+1) = %.15g by the expansion, %.15g summed", got, exact)
	}
}

// TestRestartWeights: the weights of all restarted tests sum to 1 (the
// sum of the Lambda_j is then a martingale with mean 1, restart.go), and a
// weight read again after its cache slot was reused is the same.
func TestRestartWeights(t *testing.T) {
	m, err := New(Config{Horizon: 360})
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	first := make([]float64, m.restarts+1)
	for j := 1; j <= m.restarts; j++ {
		w, g := m.restartWeight(j)
		if !(g > 0) {
			t.Fatalf("restart %d: mixing ratio %v", j, g)
		}
		first[j] = w
		sum += w
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("the weights sum to %v, want 1", sum)
	}
	for _, j := range []int{1, 2, 200, 1} {
		if w, _ := m.restartWeight(j); w != first[j] {
			t.Errorf("restart %d: weight %v read again, %v first", j, w, first[j])
		}
	}
}

// TestLongHorizonKeepsNoTable: a monitor planned for 10^9 looks (a look a
// second for 30 years) is built without a table of its restarted tests:
// New allocates the same few kilobytes as for six hours.
func TestLongHorizonKeepsNoTable(t *testing.T) {
	allocs := func(h int) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := New(Config{Horizon: h}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if short, long := allocs(360), allocs(1e9); long > short {
		t.Errorf("New allocates %v times for a horizon of 10^9 looks, %v for 360", long, short)
	}
}

// TestEarlyLooks: a sharp 30% drop from the 21st pair of nearly
// noiseless data is stopped within 10 pairs by an early look, a restarted
// test at its 8th to 10th pair (the restart that begins one pair before the
// drop stops it at its eighth pair, seven of them after the drop): the
// Window names that restart with the one-look level 1 - alpha w_j / 12 of
// Window's doc, and its interval lies below 0. And the early looks'
// levels: summed over every restart and its earlyLooks looks they are
// earlyShare alpha / 2, the share the union bound gives them.
func TestEarlyLooks(t *testing.T) {
	m, err := New(Config{Direction: steadystate.Decrease, Horizon: 360})
	if err != nil {
		t.Fatal(err)
	}
	var levels float64
	for j := 1; j <= m.restarts; j++ {
		w, _ := m.restartWeight(j)
		levels += earlyLooks * earlyShare * m.alpha * w / (2 * earlyLooks)
	}
	if math.Abs(levels-earlyShare*m.alpha/2) > 1e-12 {
		t.Errorf("the early looks' levels sum to %v, want %v", levels, earlyShare*m.alpha/2)
	}
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixMilli()
	for i := range 60 {
		// A small wobble (the log ratio's variance must not be 0), the
		// drop from the 21st pair (index 20).
		e := 1000 * (1 + 0.01*math.Sin(float64(i)*1.7))
		if i >= 20 {
			e *= 0.7
		}
		d, err := m.Add(Point{T: t0 + int64(i)*60000, Control: 1000, Experiment: e})
		if err != nil {
			t.Fatal(err)
		}
		if d.Action != Stop {
			continue
		}
		// The restart that began after j pairs starts at pair index j.
		j := int((d.Window.Start - t0) / 60000)
		if i > 29 || d.Window.N < earlyFrom || d.Window.N >= earlyFrom+earlyLooks || j+d.Window.N != i+1 {
			t.Fatalf("stopped at pair index %d by a window of %d pairs from %s; want an early look (8 to 10 pairs) within 10 pairs of the drop: %s",
				i, d.Window.N, fmtMilli(d.Window.Start), d.Reason)
		}
		w, _ := m.restartWeight(j)
		if want := 1 - m.alpha*w/12; math.Abs(d.Window.Confidence-want) > 1e-15 {
			t.Errorf("window confidence %v, want 1 - alpha w_%d / 12 = %v", d.Window.Confidence, j, want)
		}
		if !(d.Window.Low < d.Window.Estimate && d.Window.Estimate < d.Window.High && d.Window.High < 0) {
			t.Errorf("window %.4f [%.4f, %.4f]; want an interval below 0 around the estimate", d.Window.Estimate, d.Window.Low, d.Window.High)
		}
		return
	}
	t.Fatal("no stop")
}

// TestEarlyDF checks the early looks' degrees of freedom (earlyDFOf): the
// shared t correction's while the variance rests on fewer than earlyApart
// times the mean's pairs, the lighter earlyDFShare from there, capped at
// earlyDF n - 1. The expected values are the formulas' own arithmetic.
func TestEarlyDF(t *testing.T) {
	m, err := New(Config{Direction: steadystate.Decrease})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pairs, history, n int
		factor, want      float64
	}{
		{10, 0, 8, 1, 10.0/2 - 1},       // 10 < 3·8: dfShare 2, under the cap 11
		{23, 0, 8, 1, 23.0/2 - 1},       // still dfShare 2
		{24, 0, 8, 2, 24.0/2/1.5 - 1},   // 24 = 3·8: 1.5, under the cap
		{28, 0, 9, 2.5, 28/2.5/1.5 - 1}, // 28 >= 27
		{30, 0, 10, 1, 14},              // 30/1.5 - 1 = 19, capped at 1.5·10 - 1
		{10, 60, 8, 5, 70.0/5/1.5 - 1},  // a primed monitor counts the history's pairs
		{20, 0, 10, 1, 20.0/2 - 1},      // 20 < 3·10
	} {
		m.n, m.nh = c.pairs, c.history
		want := c.want
		if got := m.earlyDFOf(c.factor, c.n); math.Abs(got-want) > 1e-12 {
			t.Errorf("%d pairs, %d of history, mean of %d, factor %v: df %v, want %v", c.pairs, c.history, c.n, c.factor, got, want)
		}
	}
}
