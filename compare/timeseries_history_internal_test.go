package compare

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/series"

	"gonum.org/v1/gonum/stat/distuv"
)

var armaHistory = flag.Bool("timeseries.history", false, "print the A/A rate of the t at 60 ARMA(1,1) pairs with the long-run variance from a history of the same groups (issue 14)")

// TestTimeSeriesARMAHistory prints, with -timeseries.history, what a
// history of the same groups before the experiment (A/A, as
// monitor.Prime takes) would do for the t of TimeSeries on 60 pairs of
// ARMA(1,1) differences (φ 0.9, θ −0.5), where 60 points cannot show the
// long-run variance (docs/timeseries.md, "ARMA(1,1) noise at 60 pairs").
// The two-sided rejection rate at 0.05 of |d̄|/√(ω̂/60) against the t
// quantile, for three choices of ω̂ and its degrees of freedom: the 60
// pairs' own (prewhitenedHAC, ν; the t alone, without the shift and
// segment tests); the history's ratio of long-run variance to variance
// times the 60 pairs' variance (the history's ν); the history's long-run
// variance itself. H history pairs right before the 60, one series, 2,000
// seeded replications a row:
//
//	go test ./compare -run TestTimeSeriesARMAHistory -timeseries.history -v
//
// It is a report, not a check. It then prints the median and deciles of
// the history's ratio ω̂/γ̂₀ (prewhitenedHAC) at 240, 480 and 960 pairs on
// those ARMA differences (true ratio 13.6) and on AR(1) 0.95 under
// counting noise (TestTimeSeriesHistoryFalseAlarms' ar95; true 17.9),
// 2,000 draws each: short histories understate it (docs/timeseries.md,
// "Eight hours").
func TestTimeSeriesARMAHistory(t *testing.T) {
	if !*armaHistory {
		t.Skip("a report, run with -timeseries.history")
	}
	const n, reps = 60, 2000
	tq := func(nu float64) float64 { return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: max(nu, 1)}.Quantile(0.975) }
	for _, h := range []int{120, 240, 480} {
		rng := rand.New(rand.NewPCG(5, uint64(h)))
		var own, factor, lrv int
		for range reps {
			x := armaSeries(rng, h+n, 0.9, -0.5)
			hist, d := x[:h], x[h:]
			fd, fh := prewhitenedHAC(d), prewhitenedHAC(hist)
			m := fd.mean
			if math.Abs(m)/math.Sqrt(fd.lrv/n) > tq(fd.nu) {
				own++
			}
			if math.Abs(m)/math.Sqrt(fh.lrv/fh.gamma0*fd.gamma0/n) > tq(fh.nu) {
				factor++
			}
			if math.Abs(m)/math.Sqrt(fh.lrv/n) > tq(fh.nu) {
				lrv++
			}
		}
		r := func(k int) string {
			p := float64(k) / reps
			return fmt.Sprintf("%.3f (s.e. %.3f)", p, math.Sqrt(p*(1-p)/reps))
		}
		t.Logf("history %d pairs: the 60 pairs' own variance %s; the history's factor %s; the history's long-run variance %s", h, r(own), r(factor), r(lrv))
	}
	ar95 := func(rng *rand.Rand, k int) []float64 {
		a, b := ar95Counting(rng, k), ar95Counting(rng, k)
		for i := range a {
			a[i] -= b[i]
		}
		return a
	}
	for _, c := range []struct {
		name  string
		gen   func(*rand.Rand, int) []float64
		truth float64
	}{
		{"ARMA(1,1) φ 0.9 θ −0.5", func(rng *rand.Rand, k int) []float64 { return armaSeries(rng, k, 0.9, -0.5) }, 25 / (0.35 / 0.19)},
		{"AR(1) 0.95 under counting noise, two groups", ar95, (39 + 1.12*1.12) / (1 + 1.12*1.12)},
	} {
		for _, h := range []int{240, 480, 960} {
			rng := rand.New(rand.NewPCG(3, uint64(h)))
			f := make([]float64, reps)
			for i := range f {
				fh := prewhitenedHAC(c.gen(rng, h))
				f[i] = fh.lrv / fh.gamma0
			}
			slices.Sort(f)
			t.Logf("%s, %d pairs of history: ratio ω̂/γ̂₀ deciles 1, 5, 9: %.1f, %.1f, %.1f (truth %.1f)", c.name, h, f[reps/10], f[reps/2], f[reps*9/10], c.truth)
		}
	}
}

// historyPair runs TimeSeries on the last n pairs of two groups (level
// 100, noise 5 times gen's, h + n minutes), the experiment moved by step
// from pair n/2 of the period on, with the first h pairs as the
// Options.History and without it; it returns the two p-values.
func historyPair(t *testing.T, gen func(int) []float64, h, n int, step float64) (with, without float64) {
	xe, xc := gen(h+n), gen(h+n)
	e, c := make([]float64, h+n), make([]float64, h+n)
	for i := range e {
		e[i], c[i] = 100+5*xe[i], 100+5*xc[i]
		if i >= h+n/2 {
			e[i] += step
		}
	}
	es, cs := minuteSeries(e), minuteSeries(c)
	from, to := int64(h)*60000, int64(h+n)*60000
	hist := &History{Experiment: es.Window(0, from), Control: cs.Window(0, from)}
	p := [2]float64{}
	for k, opts := range []Options{{NoShift: true, History: hist}, {NoShift: true}} {
		r, err := TimeSeries(es.Window(from, to), cs.Window(from, to), opts)
		if err != nil {
			t.Fatal(err)
		}
		p[k] = r.P
	}
	return p[0], p[1]
}

// TestTimeSeriesHistoryFalseAlarms: TimeSeries' whole procedure (the t,
// the shift and segment tests) on 60 pairs with MinHistoryChecked (480)
// pairs of the groups' A/A history before them (Options.History),
// two-sided at 0.05, seeded, held to alpha + 2 binomial s.e. on:
// ARMA(1,1) differences (φ 0.9, θ −0.5; each group its own ARMA(1,1));
// AR(1) 0.95 under counting noise of about its size (each group
// a_t + 1.12 e_t, a AR(1) 0.95 of variance 1, e white: the accuracy
// matrix's ρ 0.95 feed, whose differences wander for about 40 minutes);
// and independent normal and AR(1) 0.5 groups (a history must not make
// ordinary noise liberal). The ARMA noise is also held to issue 14's 0.08
// with 240 pairs, and the AR(1) 0.95 feed is logged with 240, where it
// rejects 0.07 to 0.08 (why MinHistoryChecked is 480). Logged beside each:
// the same periods without the history, and the power for a step of one
// noise sd (5) from the midpoint, with and without. 400 replications a
// cell; 2,000 with -timeseries.history (the figures in docs/timeseries.md):
//
//	go test ./compare -run TestTimeSeriesHistoryFalseAlarms -timeseries.history -v
func TestTimeSeriesHistoryFalseAlarms(t *testing.T) {
	reps := 400
	if *armaHistory {
		reps = 2000
	}
	const n = 60
	rng := rand.New(rand.NewPCG(14, 240))
	ar1 := func(k int) []float64 { return ar1Noise(rng, k, 0.5) }
	ar95 := func(k int) []float64 { return ar95Counting(rng, k) }
	arma := func(k int) []float64 { return armaSeries(rng, k, 0.9, -0.5) }
	for _, c := range []struct {
		name  string
		gen   func(int) []float64
		h     int
		alpha float64 // the limit's rate: alpha, or issue 14's 0.08; 0 logs only
	}{
		{"ARMA(1,1) φ 0.9 θ −0.5", arma, 240, 0.08},
		{"ARMA(1,1) φ 0.9 θ −0.5", arma, MinHistoryChecked, 0.05},
		{"AR(1) 0.95 under counting noise", ar95, 240, 0},
		{"AR(1) 0.95 under counting noise", ar95, MinHistoryChecked, 0.05},
		{"independent normal", func(k int) []float64 { return armaSeries(rng, k, 0, 0) }, MinHistoryChecked, 0.05},
		{"AR(1) 0.5", ar1, MinHistoryChecked, 0.05},
	} {
		var aa, aaWithout, pow, powWithout int
		for range reps {
			p, q := historyPair(t, c.gen, c.h, n, 0)
			aa += b2i(p <= 0.05)
			aaWithout += b2i(q <= 0.05)
			p, q = historyPair(t, c.gen, c.h, n, 5)
			pow += b2i(p <= 0.05)
			powWithout += b2i(q <= 0.05)
		}
		rate := float64(aa) / float64(reps)
		limit := c.alpha + 2*math.Sqrt(c.alpha*(1-c.alpha)/float64(reps))
		t.Logf("%s, %d pairs after %d of history, %d replications: A/A rate %.3f (s.e. %.3f; limit %.4f), without the history %.3f; a step of one sd from the midpoint found %.3f with the history, %.3f without",
			c.name, n, c.h, reps, rate, math.Sqrt(rate*(1-rate)/float64(reps)), limit, float64(aaWithout)/float64(reps), float64(pow)/float64(reps), float64(powWithout)/float64(reps))
		if c.alpha > 0 && rate > limit {
			t.Errorf("%s, %d pairs of history: A/A rate %.3f > %.4f", c.name, c.h, rate, limit)
		}
	}
}

// TestTimeSeriesHistoryInputs: what TimeSeries does with a history it
// cannot use (errors that say so) or should not trust (warnings).
func TestTimeSeriesHistoryInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	e, c := make([]float64, 540), make([]float64, 540)
	for i := range e {
		e[i], c[i] = 100+rng.NormFloat64(), 100+rng.NormFloat64()
	}
	es, cs := minuteSeries(e), minuteSeries(c)
	pe, pc := es.Window(480*60000, 540*60000), cs.Window(480*60000, 540*60000)
	he, hc := es.Window(0, 480*60000), cs.Window(0, 480*60000)
	run := func(h History) (Result, error) { return TimeSeries(pe, pc, Options{History: &h}) }
	constant := minuteSeries(make([]float64, 480))
	for _, c := range []struct {
		name string
		h    History
		want string
		is   error
	}{
		{"one group", History{Experiment: he}, "the history has no control series", nil},
		{"too short", History{Experiment: he.Window(0, 5*60000), Control: hc.Window(0, 5*60000)}, "the history has 5 time-matched pairs", ErrSampleSize},
		{"constant", History{Experiment: constant, Control: constant}, "every one of the history's 480 paired differences is the same", nil},
		{"plain sample", History{Experiment: series.Series{V: he.V}, Control: hc}, "history's experiment is a plain sample", nil},
	} {
		_, err := run(c.h)
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("%s: error %v; want one containing %q", c.name, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		h    History
		want string
	}{
		{"short", History{Experiment: he.Window(420*60000, 480*60000), Control: hc.Window(420*60000, 480*60000)}, "a history of 60 pairs"},
		{"overlapping", History{Experiment: es, Control: cs}, "not before the period compared"},
	} {
		r, err := run(c.h)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		found := false
		for _, w := range r.Warnings {
			found = found || strings.Contains(w.Error(), c.want)
		}
		if !found {
			t.Errorf("%s: warnings %v; want one containing %q", c.name, r.Warnings, c.want)
		}
	}
	// A history on the period's grid and before it: no warning of its own,
	// and the result is TimeSeries' own when the history's factor is below
	// the period's (here independent noise on both: either may be larger,
	// so only the absence of warnings is checked).
	r, err := run(History{Experiment: he, Control: hc})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range r.Warnings {
		if strings.Contains(w.Error(), "history") {
			t.Errorf("a good history: warning %v", w)
		}
	}
}

// TestTimeSeriesHistoryShift: a history whose differences shift (one
// group changed halfway through 480 pairs: 0.7 and 0.35 sd of the
// differences of independent noise) is warned of, and so is one in about
// 1% of clean histories of ordinary noise (independent, AR(1) 0.5,
// ARMA(1,1)) and 8% of AR(1) 0.95 under counting noise, whose slow wander
// looks like shifts (1,000 histories a row in a first run: 0.008, 0.007,
// 0.016, 0.078). Asserted, 400 seeded histories a row: a warning on at
// most 3% of clean independent histories and 4.5% of ARMA ones, on at
// least 95% of those shifted by 0.7 sd. Logged: TimeSeries' power for a
// one-sd step in a window of 60 after such a history (the floor keeps the
// shift in its variance, so the test is conservative: 0.07 instead of
// 0.54; the warning says why).
func TestTimeSeriesHistoryShift(t *testing.T) {
	const h, n, reps = MinHistoryChecked, 60, 400
	rng := rand.New(rand.NewPCG(9, 1))
	indep := func(k int) []float64 { return armaSeries(rng, k, 0, 0) }
	ar95 := func(k int) []float64 { return ar95Counting(rng, k) }
	ar5 := func(k int) []float64 { return ar1Noise(rng, k, 0.5) }
	for _, c := range []struct {
		name     string
		gen      func(int) []float64
		step     float64 // added to the experiment over the history's second half (noise sd 5, differences 7.1)
		min, max float64 // asserted share of histories warned of (0, 1: logged only)
	}{
		{"independent", indep, 0, 0, 0.03},
		{"independent, shift of 0.7 sd", indep, 5, 0.95, 1},
		{"independent, shift of 0.35 sd", indep, 2.5, 0, 1},
		{"AR(1) 0.5", ar5, 0, 0, 1},
		{"ARMA(1,1) φ 0.9 θ −0.5", func(k int) []float64 { return armaSeries(rng, k, 0.9, -0.5) }, 0, 0, 0.045},
		{"AR(1) 0.95 under counting noise", ar95, 0, 0, 1},
	} {
		var warned, found int
		for range reps {
			xe, xc := c.gen(h+n), c.gen(h+n)
			e, cc := make([]float64, h+n), make([]float64, h+n)
			for i := range e {
				e[i], cc[i] = 100+5*xe[i], 100+5*xc[i]
				if i >= h/2 && i < h {
					e[i] += c.step
				}
				if i >= h+n/2 {
					e[i] += 5 // a one-sd step in the window's second half
				}
			}
			es, cs := minuteSeries(e), minuteSeries(cc)
			from, to := int64(h)*60000, int64(h+n)*60000
			r, err := TimeSeries(es.Window(from, to), cs.Window(from, to), Options{NoShift: true, History: &History{Experiment: es.Window(0, from), Control: cs.Window(0, from)}})
			if err != nil {
				t.Fatal(err)
			}
			found += b2i(r.P <= 0.05)
			for _, w := range r.Warnings {
				if strings.Contains(w.Error(), "the history's differences") {
					warned++
					break
				}
			}
		}
		share := float64(warned) / reps
		t.Logf("%s, %d pairs of history: warned of in %.3f of %d; a one-sd step in the 60 pairs after it found %.3f", c.name, h, share, reps, float64(found)/reps)
		if share < c.min || share > c.max {
			t.Errorf("%s: warned of in %.3f of histories, want within [%v, %v]", c.name, share, c.min, c.max)
		}
	}
}

// ar1Noise returns k values of AR(1) noise with coefficient rho and
// variance 1, after 300 values of burn-in.
func ar1Noise(rng *rand.Rand, k int, rho float64) []float64 {
	x := make([]float64, k+300)
	for i := 1; i < len(x); i++ {
		x[i] = rho*x[i-1] + math.Sqrt(1-rho*rho)*rng.NormFloat64()
	}
	return x[300:]
}

// ar95Counting returns k values of one group's noise in the accuracy
// matrix's ρ 0.95 feed: AR(1) 0.95 of variance 1 (started in its
// stationary law) plus independent counting noise of sd 1.12.
func ar95Counting(rng *rand.Rand, k int) []float64 {
	x := make([]float64, k)
	a := rng.NormFloat64()
	for i := range x {
		a = 0.95*a + math.Sqrt(1-0.95*0.95)*rng.NormFloat64()
		x[i] = a + 1.12*rng.NormFloat64()
	}
	return x
}

// TestTimeSeriesHistoryRefit prints, with -timeseries.history, the variant
// not landed: the history's floor taken around the levels of a change
// found in it (historyRefit) instead of around one mean. Two-sided at
// 0.05, 60 pairs after H of history, 2,000 seeded replications a row: the
// A/A rate on AR(1) 0.95 under counting noise at 240 and 480 pairs, and
// the power for a one-sd step in the window after 480 pairs of
// independent noise whose history shifts by 0.35, 0.7 and 1.4 sd of the
// differences halfway, each with the landed floor and with the variant:
//
//	go test ./compare -run TestTimeSeriesHistoryRefit -timeseries.history -v
func TestTimeSeriesHistoryRefit(t *testing.T) {
	if !*armaHistory {
		t.Skip("a report, run with -timeseries.history")
	}
	defer func() { historyRefit = false }()
	const n, reps = 60, 2000
	rate := func(k int) string {
		p := float64(k) / reps
		return fmt.Sprintf("%.3f (s.e. %.3f)", p, math.Sqrt(p*(1-p)/reps))
	}
	for _, h := range []int{240, MinHistoryChecked} {
		var aa [2]int
		for v, refit := range []bool{false, true} {
			historyRefit = refit
			rng := rand.New(rand.NewPCG(14, uint64(h)))
			for range reps {
				p, _ := historyPair(t, func(k int) []float64 { return ar95Counting(rng, k) }, h, n, 0)
				aa[v] += b2i(p <= 0.05)
			}
		}
		t.Logf("AR(1) 0.95 under counting noise, %d pairs of history: A/A %s landed, %s around the levels", h, rate(aa[0]), rate(aa[1]))
	}
	for _, step := range []float64{2.5, 5, 10} {
		var found [2]int
		for v, refit := range []bool{false, true} {
			historyRefit = refit
			rng := rand.New(rand.NewPCG(9, uint64(step*10)))
			for range reps {
				const h = MinHistoryChecked
				xe, xc := armaSeries(rng, h+n, 0, 0), armaSeries(rng, h+n, 0, 0)
				e, c := make([]float64, h+n), make([]float64, h+n)
				for i := range e {
					e[i], c[i] = 100+5*xe[i], 100+5*xc[i]
					if i >= h/2 && i < h {
						e[i] += step
					}
					if i >= h+n/2 {
						e[i] += 5
					}
				}
				es, cs := minuteSeries(e), minuteSeries(c)
				from, to := int64(h)*60000, int64(h+n)*60000
				r, err := TimeSeries(es.Window(from, to), cs.Window(from, to), Options{NoShift: true, History: &History{Experiment: es.Window(0, from), Control: cs.Window(0, from)}})
				if err != nil {
					t.Fatal(err)
				}
				found[v] += b2i(r.P <= 0.05)
			}
		}
		t.Logf("independent noise, history shifted by %.2f sd of the differences: a one-sd step found %s landed, %s around the levels", step/(5*math.Sqrt2), rate(found[0]), rate(found[1]))
	}
}
