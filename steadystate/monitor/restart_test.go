package monitor

import (
	"math"
	"testing"
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
