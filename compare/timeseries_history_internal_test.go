package compare

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
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
// It is a report, not a check: TimeSeries takes no history (yet).
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
// the shift and segment tests) on 60 pairs with 240 pairs of the groups'
// A/A history before them (Options.History), two-sided at 0.05, seeded:
// on ARMA(1,1) differences (φ 0.9, θ −0.5; each group its own ARMA(1,1))
// held to issue 14's 0.08 + 2 binomial s.e.; on independent normal and
// AR(1) 0.5 groups to alpha + 2 s.e. (a history must not make ordinary
// noise liberal). Logged beside each: the same periods without the
// history, and the power for a step of one noise sd (5) from the
// midpoint, with and without. 400 replications a cell; 2,000 with
// -timeseries.history (the figures in docs/timeseries.md).
func TestTimeSeriesHistoryFalseAlarms(t *testing.T) {
	reps := 400
	if *armaHistory {
		reps = 2000
	}
	const n, h = 60, 240
	rng := rand.New(rand.NewPCG(14, 240))
	ar1 := func(k int) []float64 {
		x := make([]float64, k+300)
		for i := 1; i < len(x); i++ {
			x[i] = 0.5*x[i-1] + math.Sqrt(1-0.25)*rng.NormFloat64()
		}
		return x[300:]
	}
	for _, c := range []struct {
		name  string
		gen   func(int) []float64
		alpha float64
	}{
		{"ARMA(1,1) φ 0.9 θ −0.5", func(k int) []float64 { return armaSeries(rng, k, 0.9, -0.5) }, 0.08},
		{"independent normal", func(k int) []float64 { return armaSeries(rng, k, 0, 0) }, 0.05},
		{"AR(1) 0.5", ar1, 0.05},
	} {
		var aa, aaWithout, pow, powWithout int
		for range reps {
			p, q := historyPair(t, c.gen, h, n, 0)
			aa += b2i(p <= 0.05)
			aaWithout += b2i(q <= 0.05)
			p, q = historyPair(t, c.gen, h, n, 5)
			pow += b2i(p <= 0.05)
			powWithout += b2i(q <= 0.05)
		}
		rate := float64(aa) / float64(reps)
		limit := c.alpha + 2*math.Sqrt(c.alpha*(1-c.alpha)/float64(reps))
		t.Logf("%s, %d pairs after %d of history, %d replications: A/A rate %.3f (s.e. %.3f; limit %.4f), without the history %.3f; a step of one sd from the midpoint found %.3f with the history, %.3f without",
			c.name, n, h, reps, rate, math.Sqrt(rate*(1-rate)/float64(reps)), limit, float64(aaWithout)/float64(reps), float64(pow)/float64(reps), float64(powWithout)/float64(reps))
		if rate > limit {
			t.Errorf("%s: A/A rate %.3f with a history > %.4f", c.name, rate, limit)
		}
	}
}

// TestTimeSeriesHistoryInputs: what TimeSeries does with a history it
// cannot use (errors that say so) or should not trust (warnings).
func TestTimeSeriesHistoryInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	e, c := make([]float64, 300), make([]float64, 300)
	for i := range e {
		e[i], c[i] = 100+rng.NormFloat64(), 100+rng.NormFloat64()
	}
	es, cs := minuteSeries(e), minuteSeries(c)
	pe, pc := es.Window(240*60000, 300*60000), cs.Window(240*60000, 300*60000)
	he, hc := es.Window(0, 240*60000), cs.Window(0, 240*60000)
	run := func(h History) (Result, error) { return TimeSeries(pe, pc, Options{History: &h}) }
	constant := minuteSeries(make([]float64, 240))
	for _, c := range []struct {
		name string
		h    History
		want string
		is   error
	}{
		{"one group", History{Experiment: he}, "the history has no control series", nil},
		{"too short", History{Experiment: he.Window(0, 5*60000), Control: hc.Window(0, 5*60000)}, "the history has 5 time-matched pairs", ErrSampleSize},
		{"constant", History{Experiment: constant, Control: constant}, "every one of the history's 240 paired differences is the same", nil},
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
		{"short", History{Experiment: he.Window(180*60000, 240*60000), Control: hc.Window(180*60000, 240*60000)}, "a history of 60 pairs"},
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
