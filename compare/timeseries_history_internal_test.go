package compare

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

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
