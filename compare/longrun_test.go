package compare

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// TestLongRunVarianceByHand: x = 1, −1, 1, −1, worked by hand from the
// formula in LongRunVariance's doc. Mean 0; γ̂₀ = 4/4 = 1, γ̂₁ = −3/4,
// γ̂₂ = 2/4, γ̂₃ = −1/4; the least-squares ρ̂ = −3/3 = −1, clipped to
// −0.97; α̂ = 4·0.97²/(1.97²·0.03²) = 1077.5, so S = 1.1447·(4309.9)^{1/3}
// = 18.6, capped at n = 4; ω̂ = 1 + 2·(¾·(−¾) + ½·½ + ¼·(−¼)) = 0.25. With
// MaxLag 1 only lag 1 is summed: 1 + 2·¾·(−¾) = −0.125 (a kernel cut
// short of its bandwidth is no longer nonnegative, as LongRun's doc says).
func TestLongRunVarianceByHand(t *testing.T) {
	x := []float64{1, -1, 1, -1}
	lr := LongRunVariance(x, LongRunOptions{})
	approx.Close(t, "variance", lr.Variance, 0.25, 1e-12, 0)
	approx.Close(t, "gamma0", lr.Gamma0, 1, 1e-12, 0)
	approx.Close(t, "gamma1", lr.Gamma1, -0.75, 1e-12, 0)
	approx.Close(t, "AR1", lr.AR1, -MaxAR1, 1e-12, 0)
	approx.Close(t, "bandwidth", lr.Bandwidth, 4, 1e-12, 0)
	approx.Close(t, "factor", lr.Factor(), 0.25, 1e-12, 0)
	if !lr.Clipped {
		t.Error("ρ̂ = −1 not reported clipped")
	}
	approx.Close(t, "variance, MaxLag 1", LongRunVariance(x, LongRunOptions{MaxLag: 1}).Variance, -0.125, 1e-12, 0)
	// BiasLevels 1: ρ̂ + (1 + 3ρ̂)/n = −1 + (−2)/4 = −1.5, clipped.
	if lr := LongRunVariance(x, LongRunOptions{BiasLevels: 1}); lr.AR1 != -MaxAR1 || !lr.Clipped {
		t.Errorf("bias-corrected AR1 %v", lr.AR1)
	}
	for _, c := range [][]float64{nil, {3}, {2, 2, 2}} {
		if lr := LongRunVariance(c, LongRunOptions{}); lr != (LongRun{}) || !math.IsNaN(lr.Factor()) {
			t.Errorf("%v: %+v, want the zero LongRun", c, lr)
		}
	}
}

func TestClipAR1(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{0.5, 0.5}, {0.99, 0.97}, {-2, -0.97}, {0.97, 0.97}} {
		if got := ClipAR1(c.in); got != c.want {
			t.Errorf("ClipAR1(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// ar1Series returns n points of AR(1) noise (rho 0.6) with a step of -3
// from point step on: the data the stream's split is for.
func ar1Series(rng *rand.Rand, n, step int) []float64 {
	x := make([]float64, n)
	var e float64
	for i := range x {
		e = 0.6*e + rng.NormFloat64()
		x[i] = 100 + e
		if i >= step {
			x[i] -= 3
		}
	}
	return x
}

// TestLongRunStreamMatchesBatch: unsplit and unpooled, the stream gives
// LongRunVariance of the points added, at every length (so with the lag
// cap, the bias correction, a bandwidth capped at n and one beyond the
// cap), up to the rounding of its running sums.
func TestLongRunStreamMatchesBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := ar1Series(rng, 200, 120)
	for _, opts := range []LongRunOptions{{}, {BiasLevels: 1}, {MaxLag: 5, BiasLevels: 2}} {
		s := NewLongRunStream(40)
		for i, v := range x {
			s.Add(v)
			n := i + 1
			if n < 2 {
				continue
			}
			want := LongRunVariance(x[:n], LongRunOptions{MaxLag: min(40, cmpOr(opts.MaxLag, 40)), BiasLevels: opts.BiasLevels})
			got := s.LongRun(0, opts)
			what := fmt.Sprintf("%+v, n %d", opts, n)
			approx.Close(t, what+" variance", got.Variance, want.Variance, 1e-9, 1e-12)
			approx.Close(t, what+" gamma0", got.Gamma0, want.Gamma0, 1e-9, 1e-12)
			approx.Close(t, what+" gamma1", got.Gamma1, want.Gamma1, 1e-9, 1e-12)
			approx.Close(t, what+" AR1", got.AR1, want.AR1, 1e-9, 1e-12)
			approx.Close(t, what+" bandwidth", got.Bandwidth, want.Bandwidth, 1e-9, 1e-12)
			approx.Close(t, what+" mean", s.Mean(0), mean(x[:n]), 1e-12, 0)
			if s.Len() != n {
				t.Errorf("%s: Len %d", what, s.Len())
			}
		}
	}
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// TestLongRunStreamAutocov checks the stream's autocovariances, split or
// not, against the direct sums over the stored points, at every lag up to
// n − 1. (Moved from steadystate/monitor's TestAutocov with the running
// sums.)
func TestLongRunStreamAutocov(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{5, 41, 97} {
		x := ar1Series(rng, n, n/2)
		s := NewLongRunStream(40)
		for _, v := range x {
			s.Add(v)
		}
		for _, split := range []int{0, 1, 3, 40, 49, 59, 95} {
			if split >= n {
				continue
			}
			got := make([]float64, 41)
			top := min(40, n-1)
			s.autocov(0, top, split, got)
			want := splitAutocov(x, split, top)
			for k := 0; k <= top; k++ {
				approx.Close(t, fmt.Sprintf("n %d split %d gamma %d", n, split, k), got[k], want[k], 1e-9, 1e-12)
			}
			approx.Close(t, "mean", s.Mean(split), mean(x[split:]), 1e-12, 0)
		}
	}
}

// splitAutocov is the direct sum: x centred by the mean of x[:split] and of
// x[split:], lags 0..top, divisor n.
func splitAutocov(x []float64, split, top int) []float64 {
	n := len(x)
	m1, m2 := 0.0, mean(x[split:])
	if split > 0 {
		m1 = mean(x[:split])
	}
	mu := func(i int) float64 {
		if i < split {
			return m1
		}
		return m2
	}
	out := make([]float64, top+1)
	for k := range out {
		for i := k; i < n; i++ {
			out[k] += (x[i] - mu(i)) * (x[i-k] - mu(i-k))
		}
		out[k] /= float64(n)
	}
	return out
}

// TestLongRunStreamPool checks a pooled stream against direct sums: the
// prior's autocovariances centred by its own mean, with the products
// across its missing value left out (divisor: its present values), and
// the stream's (split as in TestLongRunStreamAutocov), weighted by their
// numbers of points; a lag beyond the stream's points counts 0 for it.
// The AR(1) coefficient is the least-squares one over both: the pooled
// lag-1 sums over the pooled sums of the squares of the lagged points.
// (Moved from steadystate/monitor's TestPrimeLags.)
func TestLongRunStreamPool(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	h := make([]float64, 80)
	for i := range h {
		h[i] = -3 + rng.NormFloat64() // an offset of -3 before the run
	}
	h[33] = math.NaN()
	nh := 79
	hm := mean(append(append([]float64{}, h[:33]...), h[34:]...))
	hist := make([]float64, 41)
	var hden float64
	for k := range hist {
		for i := k; i < len(h); i++ {
			if !math.IsNaN(h[i]) && !math.IsNaN(h[i-k]) {
				hist[k] += (h[i] - hm) * (h[i-k] - hm)
				if k == 1 {
					hden += (h[i-1] - hm) * (h[i-1] - hm)
				}
			}
		}
	}
	x := ar1Series(rng, 25, 12)
	n := len(x)
	s := NewLongRunStream(40)
	if err := s.Pool(h); err != nil {
		t.Fatal(err)
	}
	for _, v := range x {
		s.Add(v)
	}
	for _, split := range []int{0, 11, 12} {
		got := make([]float64, 41)
		s.lags(0, 40, split, got)
		live := splitAutocov(x, split, n-1)
		for k := 0; k <= 40; k++ {
			var l float64
			if k < n {
				l = live[k] * float64(n)
			}
			approx.Close(t, fmt.Sprintf("split %d pooled gamma %d", split, k), got[k], (l+hist[k])/float64(n+nh), 1e-9, 1e-12)
		}
		last := x[n-1] - mean(x[split:])
		rho := (live[1]*float64(n) + hist[1]) / (live[0]*float64(n) - last*last + hden)
		lr := s.LongRun(split, LongRunOptions{})
		approx.Close(t, fmt.Sprintf("split %d pooled AR1", split), lr.AR1, rho, 1e-9, 0)
	}
	for _, bad := range [][]float64{{1, math.NaN()}, {2, 2, 2, math.NaN(), 2}} {
		if err := NewLongRunStream(3).Pool(bad); err == nil {
			t.Errorf("Pool(%v): no error", bad)
		}
	}
}

// TestLongRunStreamWindowMatchesFull: a stream that keeps only a window of
// prefix sums gives the same LongRun and Mean, bit for bit, as one that
// keeps them all, for split 0 and every split inside the window, at every
// length (so while the ring fills and long after it wrapped); a split
// outside the window panics.
func TestLongRunStreamWindowMatchesFull(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const lag, window = 8, 12
	x := ar1Series(rng, 150, 70)
	full, win := NewLongRunStream(lag), NewLongRunStreamWindow(lag, window)
	opts := LongRunOptions{BiasLevels: 1}
	for i, v := range x {
		full.Add(v)
		win.Add(v)
		n := i + 1
		for split := range n {
			if split != 0 && split < n-window {
				continue
			}
			if got, want := win.LongRun(split, opts), full.LongRun(split, opts); got != want {
				t.Fatalf("n %d split %d: windowed %+v, full %+v", n, split, got, want)
			}
			if got, want := win.Mean(split), full.Mean(split); got != want {
				t.Fatalf("n %d: Mean(%d) windowed %v, full %v", n, split, got, want)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a split outside the window did not panic")
		}
	}()
	win.LongRun(len(x)-window-lag-2, opts)
}
