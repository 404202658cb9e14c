package compare

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// TestARFactorAgainstR checks LongRunStream.ARFactor against R's ar.yw
// (Yule-Walker, order by AIC) on the cases of testdata/ar_yw_r.json, which
// testdata/gen_ar_yw_r.R wrote with R 4.2.2: the order R chose with the
// same order.max, and the long-run variance factor of R's fit, to
// relative 1e-9 (the recursion is the same; the series were written with
// 15 significant digits).
func TestARFactorAgainstR(t *testing.T) {
	b, err := os.ReadFile("testdata/ar_yw_r.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Name     string
			X        []float64
			OrderMax int `json:"order_max"`
			Order    int
			Factor   float64
		}
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) < 6 {
		t.Fatalf("%d cases in testdata/ar_yw_r.json, want 6", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		if got := maxAROrder(len(c.X)); got != c.OrderMax {
			t.Errorf("%s: maxAROrder(%d) = %d, R script's %d", c.Name, len(c.X), got, c.OrderMax)
		}
		s := NewLongRunStream(40)
		for _, x := range c.X {
			s.Add(x)
		}
		f, p := s.ARFactor(0)
		if p != c.Order || math.Abs(f-c.Factor) > 1e-9*c.Factor {
			t.Errorf("%s: ARFactor = %.12g at order %d, R's ar.yw %.12g at order %d", c.Name, f, p, c.Factor, c.Order)
		}
	}
}

// TestARFactorSplitPooled checks ARFactor's other inputs against the same
// recursion on autocovariances computed directly: centred by two means
// (split), and pooled with a prior (Pool).
func TestARFactorSplitPooled(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ar := func(n int, level float64) []float64 {
		x := make([]float64, n)
		a := 0.0
		for i := range x {
			a = 0.8*a + rng.NormFloat64()
			x[i] = 0.6*a + rng.NormFloat64() + level
		}
		return x
	}
	x := append(ar(50, 0), ar(40, 3)...)
	s := NewLongRunStream(40)
	for _, v := range x {
		s.Add(v)
	}
	// Centred by the means of x[:50] and x[50:], by hand.
	m1, m2 := mean(x[:50]), mean(x[50:])
	c := make([]float64, len(x))
	for i, v := range x {
		c[i] = v - map[bool]float64{true: m1, false: m2}[i < 50]
	}
	want, wantP := yuleWalkerAIC(directAutocov(c, maxAROrder(len(x))), len(x))
	if got, p := s.ARFactor(50); p != wantP || math.Abs(got-want) > 1e-9*want {
		t.Errorf("split 50: ARFactor = %.12g at order %d, direct %.12g at order %d", got, p, want, wantP)
	}
	if !(want > 2) {
		t.Errorf("split 50: factor %.3g; a drift under noise has a long-run variance several times its variance", want)
	}
	// Pooled: autocovariances weighted by the numbers of points.
	h := ar(60, 5)
	if err := s.Pool(h); err != nil {
		t.Fatal(err)
	}
	hm := mean(h)
	hc := make([]float64, len(h))
	for i, v := range h {
		hc[i] = v - hm
	}
	N := len(x) + len(h)
	L := maxAROrder(N)
	gx, gh := directAutocov(c, L), directAutocov(hc, L)
	g := make([]float64, L+1)
	for k := range g {
		g[k] = (float64(len(x))*gx[k] + float64(len(h))*gh[k]) / float64(N)
	}
	want, wantP = yuleWalkerAIC(g, N)
	if got, p := s.ARFactor(50); p != wantP || math.Abs(got-want) > 1e-9*want {
		t.Errorf("pooled: ARFactor = %.12g at order %d, direct %.12g at order %d", got, p, want, wantP)
	}
	// A constant series: factor 1, order 0, as LongRun gives zero.
	k := NewLongRunStream(5)
	for range 10 {
		k.Add(2)
	}
	if f, p := k.ARFactor(0); f != 1 || p != 0 {
		t.Errorf("constant series: ARFactor = %g, %d; want 1, 0", f, p)
	}
}

// directAutocov returns the autocovariances (divisor n) of x at lags
// 0..L, x already centred.
func directAutocov(x []float64, L int) []float64 {
	g := make([]float64, L+1)
	for k := range g {
		for t := k; t < len(x); t++ {
			g[k] += x[t] * x[t-k]
		}
		g[k] /= float64(len(x))
	}
	return g
}
