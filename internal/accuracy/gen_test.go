package accuracy

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// lag1 is the lag-1 sample autocorrelation of x.
func lag1(x []float64) float64 {
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var num, den float64
	for i, v := range x {
		den += (v - m) * (v - m)
		if i > 0 {
			num += (v - m) * (x[i-1] - m)
		}
	}
	return num / den
}

// TestGenerators checks that the shapes are what they claim, on long
// seeded draws, each tolerance a few standard errors of its estimate.
func TestGenerators(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 0))
	const n = 100_000
	// AR(1): the noise process's lag-1 autocorrelation is rho. Its
	// sampling s.e. is about √((1 − ρ²)/n) ≤ 0.003; its bias about
	// −(1 + 3ρ)/n, below 4e-5: 0.015 is five s.e. or more.
	for _, rho := range []float64{0.5, 0.8, 0.95} {
		s := Shape{Rho: rho}
		z := s.newNoise(rng, rng.NormFloat64, 1)
		x := make([]float64, n)
		for i := range x {
			x[i] = z.next()
		}
		if r := lag1(x); math.Abs(r-rho) > 0.015 {
			t.Errorf("AR(1) rho %v: lag-1 autocorrelation %.4f", rho, r)
		}
	}
	// ARMA(1,1) φ 0.9, θ −0.5: ρ₁ = (1 + φθ)(φ + θ)/(1 + 2φθ + θ²) =
	// 0.55·0.4/0.35 = 0.6286 (Box & Jenkins); the s.e. at n = 100,000 with
	// its slow decay (φ 0.9) is about 0.006.
	a := newARMA(rng)
	x := make([]float64, n)
	for i := range x {
		x[i] = a.next()
	}
	if r, want := lag1(x), 0.55*0.4/0.35; math.Abs(r-want) > 0.03 {
		t.Errorf("ARMA(1,1): lag-1 autocorrelation %.4f, want %.4f", r, want)
	}
	// Heavy tails: innovations t3 scaled to unit variance are beyond 4 in
	// absolute value with probability 2·P(T₃ > 4√3) = 0.0061 (a normal's
	// is 6.3e-5); binomial s.e. at n is 0.00025, tolerance 5 s.e.
	heavy := Shape{Tails: 3}.innovations(rng)
	out := 0
	for range n {
		if math.Abs(heavy()) > 4 {
			out++
		}
	}
	want := 2 * (1 - distuv.StudentsT{Mu: 0, Sigma: 1, Nu: 3}.CDF(4*math.Sqrt(3)))
	if got := float64(out) / n; math.Abs(got-want) > 5*SE(want, n) {
		t.Errorf("t3 innovations beyond 4: share %.5f, want %.5f", got, want)
	}
	// Counts: Poisson 0.2 is 0 with probability e^−0.2 = 0.8187; 40% gaps
	// are 40% NaN; each within 5 binomial s.e. over 60 runs of 240 minutes.
	counts, gaps := Shape{Counts: 0.2}, Shape{Rho: 0.5, Gaps: 0.4}
	var zeros, nan, total int
	for range 60 {
		c, e := counts.Pair(rng, counts.Start(0), 240, Drop{})
		g1, g2 := gaps.Pair(rng, gaps.Start(0), 240, Drop{})
		for i := range c.V {
			zeros += b2i(c.V[i] == 0) + b2i(e.V[i] == 0)
			nan += b2i(math.IsNaN(g1.V[i])) + b2i(math.IsNaN(g2.V[i]))
			total += 2
		}
	}
	if got, want := float64(zeros)/float64(total), math.Exp(-0.2); math.Abs(got-want) > 5*SE(want, total) {
		t.Errorf("counts: zeros %.4f, want %.4f", got, want)
	}
	if got := float64(nan) / float64(total); math.Abs(got-0.4) > 5*SE(0.4, total) {
		t.Errorf("40%% gaps: NaN share %.4f", got)
	}
	// Off-grid: no timestamp on a whole minute, and no control stamp equal
	// to an experiment stamp.
	og := Shape{Rho: 0.5, OffGrid: true}
	c, e := og.Pair(rng, og.Start(0), 360, Drop{})
	for i := range c.T {
		if c.T[i]%60_000 == 0 || e.T[i]%60_000 == 0 || c.T[i] == e.T[i] {
			t.Fatalf("off-grid minute %d: control %d, experiment %d", i, c.T[i], e.T[i])
		}
	}
	// DST: the current day of the fall-back shape has 25 hours of 5-minute
	// points in America/New_York, the spring-forward one 23; the history
	// holds four weeks before each day's local midnight.
	for _, c := range []struct {
		s     Shape
		hours int
	}{{Shape{Rho: 0.5, DST: true}, 25}, {Shape{Rho: 0.5, SpringDST: true}, 23}, {Shape{Rho: 0.5}, 24}} {
		hist, cur := c.s.History(rng, 4, 5*time.Minute, Drop{})
		if got := len(cur.T); got != c.hours*12 {
			t.Errorf("%+v: current day has %d points, want %d (%d hours)", c.s, got, c.hours*12, c.hours)
		}
		first := time.UnixMilli(cur.T[0]).In(c.s.Location())
		if first.Hour() != 0 || first.Minute() != 0 {
			t.Errorf("%+v: current day starts at %v, want local midnight", c.s, first)
		}
		if got := time.UnixMilli(hist.T[0]).In(c.s.Location()); !got.Equal(c.s.Start(0).AddDate(0, 0, -28)) {
			t.Errorf("%+v: history starts at %v, want four weeks before %v", c.s, got, c.s.Start(0))
		}
	}
	// The DST shape's judge and monitor runs span the clock change.
	dst := Shape{Rho: 0.5, DST: true}
	if st := dst.runStart(0, 30*time.Minute); st.Add(JudgeMinutes*time.Minute).Before(dst.Transition()) || st.After(dst.Transition()) {
		t.Errorf("DST judge run from %v does not span %v", st, dst.Transition())
	}
}

// TestDropPlanted: the planted drop multiplies the experiment's level by
// 0.85 in its window and nowhere else. On the ARMA shape (independent
// groups, level 100) the mean ratio experiment/control over 400 draws of
// the window's 30 minutes is 0.85 within 0.01 (the level's sd over a
// draw's mean is about 4; over 400 draws of the mean ratio, 0.003).
func TestDropPlanted(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	s := Shape{ARMA: true}
	var in, before, n float64
	for range 400 {
		c, e := s.Pair(rng, s.Start(0), 60, Drop{From: 30, To: 60, Size: 0.15})
		var ci, ei, cb, eb float64
		for i := range c.V {
			if i >= 30 {
				ci, ei = ci+c.V[i], ei+e.V[i]
			} else {
				cb, eb = cb+c.V[i], eb+e.V[i]
			}
		}
		in, before, n = in+ei/ci, before+eb/cb, n+1
	}
	if got := in / n; math.Abs(got-0.85) > 0.01 {
		t.Errorf("mean ratio in the drop %.4f, want 0.85", got)
	}
	if got := before / n; math.Abs(got-1) > 0.01 {
		t.Errorf("mean ratio before the drop %.4f, want 1", got)
	}
	// Binomial thinning keeps 85% of the counts in its window: the mean of
	// Binomial(1000, 0.85) is 850, its s.e. over 2,000 draws 0.25.
	var sum float64
	for range 2000 {
		sum += binomial(rng, 1000, 0.85)
	}
	if got := sum / 2000; math.Abs(got-850) > 1.5 {
		t.Errorf("thinning: mean %.2f of Binomial(1000, 0.85), want 850", got)
	}
}

// TestRewrite: the section goes between the markers, and the text outside
// them is kept.
func TestRewrite(t *testing.T) {
	doc := "# A\n\nkept\n\n" + BeginMarker + "\nold\n" + EndMarker + "\n\nafter\n"
	got, err := Rewrite(doc, "new\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "# A\n\nkept\n\n" + BeginMarker + "\nnew\n" + EndMarker + "\n\nafter\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got, _ = Rewrite("# A\n", "new\n")
	if want := "# A\n\n" + BeginMarker + "\nnew\n" + EndMarker + "\n"; got != want {
		t.Errorf("no markers: got %q, want %q", got, want)
	}
}
