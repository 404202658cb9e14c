package compare

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/simnoise"
	"github.com/chaosstat/chaosstat/series"

	"gonum.org/v1/gonum/stat/distuv"
)

var armaReport = flag.Bool("timeseries.arma", false, "print the trade-off of TimeSeries variants on short ARMA(1,1) noise (issue 14; about 3 minutes)")

// armaLRV is a Hannan and Rissanen (1982) ARMA(1,1) fit of demeaned x,
// x_t = φx_{t−1} + e_t + θe_{t−1}: a long AR fit (the largest order
// TimeSeries considers) gives innovations ê, then x_t is regressed on
// x_{t−1} and ê_{t−1}. It returns the long-run variance σ̂²(1+θ̂)²/(1−φ̃)²,
// φ̃ Kendall-corrected and clipped, with delta-method degrees of freedom
// 2/[2/m + gᵀΣg], g the gradient of log ω̂ in (φ, θ) and Σ the
// least-squares covariance of (φ̂, θ̂). ok is false when it cannot be fitted.
func armaLRV(x []float64, levels int) (lrv, nu float64, ok bool) {
	n := len(x)
	p := maxAROrder(n)
	ar, fitted := fitAR(x, p)
	if !fitted {
		return 0, 0, false
	}
	var s11, s12, s22, y1, y2, yy float64
	m := 0
	for t := p + 1; t < n; t++ {
		a, b := x[t-1], ar.u[t-1-p]
		s11 += a * a
		s12 += a * b
		s22 += b * b
		y1 += a * x[t]
		y2 += b * x[t]
		yy += x[t] * x[t]
		m++
	}
	det := s11*s22 - s12*s12
	if m < 5 || !(det > 0) {
		return 0, 0, false
	}
	phi := (s22*y1 - s12*y2) / det
	theta := (s11*y2 - s12*y1) / det
	rss := yy - phi*y1 - theta*y2
	if !(rss > 0) {
		return 0, 0, false
	}
	sig := rss / float64(m-2)
	vpp, vtt, vpt := sig*s22/det, sig*s11/det, -sig*s12/det
	th := ClipAR1(theta)
	ph := ClipAR1(kendallAR1(phi, n, levels))
	gp, gt := 2/(1-ph), 2/(1+th)
	vlog := 2/float64(m) + gp*gp*vpp + gt*gt*vtt + 2*gp*gt*vpt
	return sig * (1 + th) * (1 + th) / ((1 - ph) * (1 - ph)), min(float64(n-1), 2/vlog), true
}

// TestTimeSeriesARMADesign prints, with -timeseries.arma, what issue 14's
// candidate fixes for ARMA(1,1) noise (φ 0.9, θ −0.5) at 60 pairs buy and
// cost:
//
//	go test ./compare -run TestTimeSeriesARMADesign -timeseries.arma -v
//
// For each variant: the A/A rejection rates P(p < 0.05) and P(p < 0.01)
// (2,000 seeded replications per cell) on ARMA(1,1) at 60, 120 and 240
// pairs and on independent, AR(1) 0.5 and AR(1) 0.95 differences at 60;
// the power for a 5% and a 10% level difference under AR(1) 0.8 noise (240
// pairs, CV 7%, as TestTimeSeriesPower; 1,000 replications); and how
// often a 15% cut at the midpoint (CV 5%, AR(1) 0.5, as
// TestTimeSeriesLevelShift) is reported as a level shift and is
// significant, at 120 and 240 pairs. The variants: the larger of the
// AR(p) and a Hannan-Rissanen ARMA(1,1) long-run variance for the mean;
// the larger of the AR(p) (order by AIC) and AR(p_max) estimates for the
// mean and for the shift test; the single-shift test at level 0.001; and
// the last two together. Then the segment test's level, off, at 0.01 and
// at 0.001 (SegmentAlpha), on ARMA(1,1) A/A data and on a drop that
// recovers and a step. It is a report, not a check.
func TestTimeSeriesARMADesign(t *testing.T) {
	if !*armaReport {
		t.Skip("a report, run with -timeseries.arma")
	}
	t.Cleanup(func() { lrvVariant, levelShiftAlpha, segmentAlpha = nil, LevelShiftAlpha, SegmentAlpha })
	mk := func(v []float64) series.Series {
		tt := make([]int64, len(v))
		for i := range tt {
			tt[i] = int64(i) * 60000
		}
		return series.Series{T: tt, V: v}
	}
	arma := armaSeries
	hr := func(x []float64, levels int, part lrvPart) lrvPart {
		if levels != 1 {
			return part
		}
		if lrv, nu, ok := armaLRV(x, levels); ok && lrv > part.lrv {
			part.lrv, part.nu = lrv, min(part.nu, nu)
		}
		return part
	}
	pmax := func(x []float64, levels int, part lrvPart) lrvPart {
		if q := arHAC(x, levels, maxAROrder(len(x))); q.lrv > part.lrv {
			return q
		}
		return part
	}
	for _, v := range []struct {
		name    string
		variant func([]float64, int, lrvPart) lrvPart
		alpha   float64
	}{
		{"TimeSeries", nil, LevelShiftAlpha},
		{"larger of AR(p) and ARMA(1,1) (Hannan-Rissanen)", hr, LevelShiftAlpha},
		{"larger of AR(p) and AR(p_max)", pmax, LevelShiftAlpha},
		{"shift test at 0.001", nil, 0.001},
		{"AR(p_max) and shift test at 0.001", pmax, 0.001},
	} {
		lrvVariant, levelShiftAlpha = v.variant, v.alpha
		line := v.name + ":"
		for _, c := range []struct {
			name       string
			n          int
			phi, theta float64
		}{{"ARMA", 60, 0.9, -0.5}, {"ARMA", 120, 0.9, -0.5}, {"ARMA", 240, 0.9, -0.5}, {"independent", 60, 0, 0}, {"AR(1) 0.5", 60, 0.5, 0}, {"AR(1) 0.95", 60, 0.95, 0}} {
			r := rand.New(rand.NewPCG(uint64(c.n), 91))
			const k = 2000
			var r5, r1 int
			zero := mk(make([]float64, c.n))
			for range k {
				res, err := TimeSeries(mk(arma(r, c.n, c.phi, c.theta)), zero, Options{NoShift: true})
				if err != nil {
					t.Fatal(err)
				}
				if res.P < 0.05 {
					r5++
				}
				if res.P < 0.01 {
					r1++
				}
			}
			line += fmt.Sprintf(" %s %d: %.3f (%.4f);", c.name, c.n, float64(r5)/k, float64(r1)/k)
		}
		r := rand.New(rand.NewPCG(5, 5))
		for _, rel := range []float64{0.05, 0.10} {
			rej := 0
			for range 1000 {
				e, c := arma(r, 240, 0.8, 0), arma(r, 240, 0.8, 0)
				s := 70 * math.Sqrt(1-0.64)
				for i := range e {
					e[i] = 1000*(1+rel) + s*e[i]
					c[i] = 1000 + s*c[i]
				}
				res, _ := TimeSeries(mk(e), mk(c), Options{NoShift: true})
				if res.P < 0.05 {
					rej++
				}
			}
			line += fmt.Sprintf(" power %.0f%%: %.3f;", rel*100, float64(rej)/1000)
		}
		for _, n := range []int{120, 240} {
			found, sig := 0, 0
			for range 1000 {
				e, c := arma(r, n, 0.5, 0), arma(r, n, 0.5, 0)
				s := 50 * math.Sqrt(1-0.25)
				for i := range e {
					e[i] = 1000 + s*e[i]
					c[i] = 1000 + s*c[i]
					if i >= n/2 {
						e[i] *= 0.85
					}
				}
				res, _ := TimeSeries(mk(e), mk(c), Options{NoShift: true})
				if res.P < 0.05 {
					sig++
				}
				for _, w := range res.Warnings {
					if _, ok := w.(LevelShift); ok {
						found++
					}
				}
			}
			line += fmt.Sprintf(" 15%% cut at %d pairs: shift found %.3f, significant %.3f;", n, float64(found)/1000, float64(sig)/1000)
		}
		t.Log(line)
	}
	lrvVariant, levelShiftAlpha = nil, LevelShiftAlpha
	// The segment test's level (SegmentAlpha): on ARMA(1,1) A/A data, how
	// often a segment is found and what TimeSeries rejects, with the
	// segment test off, at 0.01 and at 0.001; and on AR(1) 0.5 data (CV 5%)
	// how often a 15% drop over the middle third is reported as a segment
	// and a 15% step at the midpoint is taken for one.
	for _, sa := range []float64{-1, 0.01, 0.001} {
		segmentAlpha = sa
		line := fmt.Sprintf("segment test at %v (-1: off):", sa)
		for _, n := range []int{60, 120, 240} {
			r := rand.New(rand.NewPCG(uint64(n), 77))
			const k = 3000
			var seg, rej int
			zero := mk(make([]float64, n))
			for range k {
				res, err := TimeSeries(mk(arma(r, n, 0.9, -0.5)), zero, Options{NoShift: true})
				if err != nil {
					t.Fatal(err)
				}
				if res.P < 0.05 {
					rej++
				}
				for _, w := range res.Warnings {
					if _, ok := w.(Segment); ok {
						seg++
					}
				}
			}
			line += fmt.Sprintf(" ARMA A/A %d: segment %.4f, rejected %.3f;", n, float64(seg)/k, float64(rej)/k)
		}
		r := rand.New(rand.NewPCG(1, 99))
		for _, n := range []int{60, 120, 240} {
			var drop, step int
			for range 500 {
				for _, isStep := range []bool{false, true} {
					e, c := arma(r, n, 0.5, 0), arma(r, n, 0.5, 0)
					s := 50 * math.Sqrt(1-0.25)
					for i := range e {
						e[i], c[i] = 1000+s*e[i], 1000+s*c[i]
						if (isStep && i >= n/2) || (!isStep && i >= n/3 && i < 2*n/3) {
							e[i] *= 0.85
						}
					}
					res, _ := TimeSeries(mk(e), mk(c), Options{NoShift: true})
					for _, w := range res.Warnings {
						if _, ok := w.(Segment); ok {
							if isStep {
								step++
							} else {
								drop++
							}
						}
					}
				}
			}
			line += fmt.Sprintf(" %d pairs: drop found %.3f, step taken for a segment %.3f;", n, float64(drop)/500, float64(step)/500)
		}
		t.Log(line)
	}
	segmentAlpha = SegmentAlpha
	// The sceptic's baseline: the paired t test, ignoring autocorrelation.
	for _, n := range []int{60, 240} {
		r := rand.New(rand.NewPCG(uint64(n), 91))
		rej := 0
		const k = 2000
		for range k {
			d := arma(r, n, 0.9, -0.5)
			var s, ss float64
			for _, v := range d {
				s += v
			}
			mean := s / float64(n)
			for _, v := range d {
				ss += (v - mean) * (v - mean)
			}
			tt := mean / math.Sqrt(ss/float64(n-1)/float64(n))
			if 2*(distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}).CDF(-math.Abs(tt)) < 0.05 {
				rej++
			}
		}
		t.Logf("paired t test (independence assumed), ARMA(1,1) A/A at %d pairs: %.3f", n, float64(rej)/k)
	}
}

// bootstrapP is the parametric-bootstrap p-value measured for issue 14 (a
// candidate, not what TimeSeries does): the AR(p) TimeSeries fits to the
// centred differences (order by AIC; order > 0 that order, order < 0
// maxAROrder(n)), its coefficients bias-corrected by a
// bootstrap (φ̃ = 2φ̂ − mean φ̂*, over nb series; φ̂ kept when φ̃ is not
// stationary), then b series of the same length simulated from φ̃ with
// residuals resampled under the null mean 0, and p the two-sided share of
// their |t*| = |d̄*|/√(ω̂*/n) (the same studentisation) at or above |t|,
// (1 + #)/(b + 1). The random stream is seeded from the bits of the data,
// so a result is reproducible.
func bootstrapP(d []float64, order, nb, b int) float64 {
	n := len(d)
	f := prewhitenedHAC(d)
	if f.gamma0 == 0 || !(f.lrv > 0) {
		return math.NaN()
	}
	t0 := math.Abs(f.mean) / math.Sqrt(f.lrv/float64(n))
	var seed uint64 = 1469598103934665603
	for _, v := range d {
		seed = (seed ^ math.Float64bits(v)) * 1099511628211
	}
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	dm := make([]float64, n)
	for i, v := range d {
		dm[i] = v - f.mean
	}
	p := len(f.phi)
	switch {
	case order > 0:
		p = order
	case order < 0:
		p = maxAROrder(n)
	}
	var phi, u []float64
	if p > 0 {
		ar, ok := fitAR(dm, p)
		if !ok {
			return math.NaN()
		}
		phi, u = ar.phi, ar.u
	} else {
		u = dm
	}
	boot := newARBoot(r, u, n, 100)
	if p > 0 && nb > 0 {
		// Kept when the corrected coefficients sum below 0.99.
		if bc, ok := boot.biasCorrected(phi, nb); ok {
			var s float64
			for _, v := range bc {
				s += v
			}
			if s < 0.99 {
				phi = bc
			}
		}
	}
	exceed := 0
	for range b {
		y, _ := boot.path(phi)
		g := prewhitenedHAC(y)
		if g.gamma0 == 0 || !(g.lrv > 0) {
			continue
		}
		if math.Abs(g.mean)/math.Sqrt(g.lrv/float64(n)) >= t0 {
			exceed++
		}
	}
	return float64(1+exceed) / float64(b+1)
}

var armaBootstrap = flag.Bool("timeseries.armaboot", false, "print the A/A rate of the parametric-bootstrap candidate on ARMA(1,1) noise (issue 14)")
var armaBootstrapOrder = flag.Int("timeseries.armaboot.order", 0, "the bootstrap's AR order for -timeseries.armaboot: 0 by AIC, -1 maxAROrder(n), else that order")
var armaBootstrapN = flag.Int("timeseries.armaboot.n", 0, "only the cells with this many pairs for -timeseries.armaboot (0: all)")
var armaBootstrapK = flag.Int("timeseries.armaboot.k", 400, "replications per cell for -timeseries.armaboot")

// TestTimeSeriesARMABootstrap prints, with -timeseries.armaboot, the A/A
// rejection rate at 0.05 of bootstrapP (nb 200, b 499) on ARMA(1,1)
// (φ 0.9, θ −0.5) differences at 60, 120 and 240 pairs and on AR(1) 0.8
// at 60, next to the t on ν without the level-shift and segment tests
// and TimeSeries' own p on the same data:
//
//	go test ./compare -run TestTimeSeriesARMABootstrap -timeseries.armaboot -timeseries.armaboot.k 2000 -v
//
// It is a report, not a check.
func TestTimeSeriesARMABootstrap(t *testing.T) {
	if !*armaBootstrap {
		t.Skip("a report, run with -timeseries.armaboot")
	}
	arma := armaSeries
	k := *armaBootstrapK
	start := time.Now()
	calls := 0
	for _, c := range []struct {
		n          int
		phi, theta float64
	}{{60, 0.9, -0.5}, {120, 0.9, -0.5}, {240, 0.9, -0.5}, {60, 0.8, 0}} {
		if *armaBootstrapN > 0 && c.n != *armaBootstrapN {
			continue
		}
		r := rand.New(rand.NewPCG(uint64(c.n), 91))
		var rb, rt, rs int
		tt := make([]int64, c.n)
		for i := range tt {
			tt[i] = int64(i) * 60000
		}
		zero := series.Series{T: tt, V: make([]float64, c.n)}
		for range k {
			d := arma(r, c.n, c.phi, c.theta)
			calls++
			if bootstrapP(d, *armaBootstrapOrder, 200, 499) < 0.05 {
				rb++
			}
			f := prewhitenedHAC(d)
			ts := f.mean / math.Sqrt(f.lrv/float64(c.n))
			if 2*(distuv.StudentsT{Mu: 0, Sigma: 1, Nu: f.nu}).CDF(-math.Abs(ts)) < 0.05 {
				rt++
			}
			res, err := TimeSeries(series.Series{T: tt, V: d}, zero, Options{NoShift: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.P < 0.05 {
				rs++
			}
		}
		se := math.Sqrt(0.05 * 0.95 / float64(k))
		t.Logf("ARMA(%v, %v) A/A at %d pairs (%d replications, s.e. at 0.05 %.4f): bootstrap %.3f, t on ν without the shift tests %.3f, TimeSeries %.3f",
			c.phi, c.theta, c.n, k, se, float64(rb)/float64(k), float64(rt)/float64(k), float64(rs)/float64(k))
	}
	t.Logf("%d judgements in %v, with TimeSeries and the t on ν", calls, time.Since(start))
}

// BenchmarkBootstrapP is the cost of one bootstrapP judgement (AR(p_max),
// 200 series for the bias correction, 499 for the p-value) on 60 pairs of
// ARMA(1,1) differences, and of TimeSeries' own t for comparison:
//
//	go test ./compare -run '^$' -bench 'BootstrapP' -benchtime 20x -count 3
func BenchmarkBootstrapP(b *testing.B) {
	r := rand.New(rand.NewPCG(60, 91))
	d := make([]float64, 360)
	prev := 0.0
	for i := 1; i < len(d); i++ {
		e := r.NormFloat64()
		d[i] = 0.9*d[i-1] + e - 0.5*prev
		prev = e
	}
	d = d[300:]
	b.Run("bootstrap", func(b *testing.B) {
		for b.Loop() {
			bootstrapP(d, -1, 200, 499)
		}
	})
	b.Run("t", func(b *testing.B) {
		for b.Loop() {
			prewhitenedHAC(d)
		}
	})
}

var armaFixedB = flag.Bool("timeseries.armafixedb", false, "print the A/A rate and power of a fixed-b (Kiefer-Vogelsang) Bartlett t (issue 14)")

// fixedBRejects reports whether the fixed-b t of Kiefer and Vogelsang
// (2005) rejects a zero mean of x two-sided at 0.05: the Bartlett long-run
// variance of demeaned x with bandwidth M = b·n (weights 1 − j/M, no
// prewhitening) and the critical value of the fixed-b limit, Kiefer and
// Vogelsang's cubic fit for the Bartlett kernel's 97.5% quantile, 1.96 +
// 2.9694b + 0.4160b² − 0.5324b³ (recalled, so the report checks it on
// independent normal data at 1,000 points, where the rate must be 0.05).
func fixedBRejects(x []float64, b float64) bool {
	n := len(x)
	var s float64
	for _, v := range x {
		s += v
	}
	mean := s / float64(n)
	dm := make([]float64, n)
	for i, v := range x {
		dm[i] = v - mean
	}
	m := b * float64(n)
	lrv := autocov(dm, 0)
	for j := 1; float64(j) < m && j < n; j++ {
		lrv += 2 * (1 - float64(j)/m) * autocov(dm, j)
	}
	if !(lrv > 0) {
		return false
	}
	cv := 1.96 + 2.9694*b + 0.4160*b*b - 0.5324*b*b*b
	return math.Abs(mean)/math.Sqrt(lrv/float64(n)) > cv
}

// TestTimeSeriesARMAFixedB prints, with -timeseries.armafixedb, the
// two-sided 0.05 rejection rate of fixedBRejects at b 0.1, 0.2, 0.5 and 1
// on ARMA(1,1) (φ 0.9, θ −0.5) A/A differences at 60, 120 and 240 pairs,
// on independent normal data at 1,000 points (the critical values' check)
// and its power for a 10% difference under AR(1) 0.8 at 240 pairs (CV 7%,
// as TestTimeSeriesPower), 2,000 seeded replications a cell (1,000 for
// power):
//
//	go test ./compare -run TestTimeSeriesARMAFixedB -timeseries.armafixedb -v
//
// It is a report, not a check.
func TestTimeSeriesARMAFixedB(t *testing.T) {
	if !*armaFixedB {
		t.Skip("a report, run with -timeseries.armafixedb")
	}
	arma := armaSeries
	for _, b := range []float64{0.1, 0.2, 0.5, 1} {
		line := fmt.Sprintf("fixed-b %v:", b)
		for _, c := range []struct {
			n          int
			phi, theta float64
		}{{60, 0.9, -0.5}, {120, 0.9, -0.5}, {240, 0.9, -0.5}, {1000, 0, 0}} {
			r := rand.New(rand.NewPCG(uint64(c.n), 91))
			const k = 2000
			rej := 0
			for range k {
				if fixedBRejects(arma(r, c.n, c.phi, c.theta), b) {
					rej++
				}
			}
			line += fmt.Sprintf(" ARMA(%v, %v) %d: %.3f;", c.phi, c.theta, c.n, float64(rej)/k)
		}
		r := rand.New(rand.NewPCG(5, 5))
		rej := 0
		for range 1000 {
			e, c := arma(r, 240, 0.8, 0), arma(r, 240, 0.8, 0)
			s := 70 * math.Sqrt(1-0.64)
			d := make([]float64, 240)
			for i := range e {
				d[i] = (1000*1.1 + s*e[i]) - (1000 + s*c[i])
			}
			if fixedBRejects(d, b) {
				rej++
			}
		}
		line += fmt.Sprintf(" power 10%% AR(1) 0.8 240: %.3f", float64(rej)/1000)
		t.Log(line)
	}
}

// armaSeries returns n points of ARMA(1,1) noise x_t = phi x_{t-1} + e_t +
// theta e_{t-1} with standard normal innovations from r, after 300 points
// of burn-in: the report tests' ARMA(1,1) generator.
func armaSeries(r *rand.Rand, n int, phi, theta float64) []float64 {
	return simnoise.ARMA(r, n, phi, theta)
}
