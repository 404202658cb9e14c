package compare

import (
	"encoding/json"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// TestBartlettAgainstSandwich checks the AR order, the coefficients' sum
// and the long-run variance against the R re-implementation of the
// documented formula (relative 1e-9), and the Newey-West kernel sum against
// an established implementation: sandwich 3.0.2's lrvar (Bartlett kernel,
// adjust = TRUE, at the same bandwidth) on the prewhitened residuals and on
// d itself, and the bandwidth against an independent R implementation of
// Andrews' rule (exact) and sandwich's bwAndrews (within 2%: bwAndrews
// fits the AR(1) with an intercept, the doc's rule without). Values from
// testdata/timeseries_r.json (testdata/gen_timeseries_r.R).
func TestBartlettAgainstSandwich(t *testing.T) {
	b, err := os.ReadFile("testdata/timeseries_r.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Name    string    `json:"name"`
			D       []float64 `json:"d"`
			Formula struct {
				Order  int     `json:"order"`
				SumRaw float64 `json:"sum_raw"`
				Sum    float64 `json:"sum"`
				BwU    float64 `json:"bw_u"`
				LRV    float64 `json:"lrv"`
				Nu     float64 `json:"nu"`
				Shift  bool    `json:"shift"`
				ShiftP float64 `json:"shift_p"`
				// The segment test (issue 14); segment_p is null (NaN
				// here: 0 from JSON null) when no valid segment.
				Segment  bool     `json:"segment"`
				SegmentP *float64 `json:"segment_p"`
			} `json:"formula"`
			SandwichLRVU float64 `json:"sandwich_lrv_u"`
			SandwichLRVD float64 `json:"sandwich_lrv_d"`
			BartlettD    struct {
				LRV float64 `json:"lrv"`
				Bw  float64 `json:"bw"`
			} `json:"bartlett_d"`
			SandwichBwD float64 `json:"sandwich_bw_d"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) == 0 {
		t.Fatal("no cases")
	}
	shifts := 0
	for _, c := range ref.Cases {
		f := prewhitenedHAC(c.D)
		if ls, ok := detectLevelShift(c.D, f.mean, false, lrvFloor{}); ok {
			// The level-shift test's p-value: Go's trapezoid rule against
			// R's integrate() (adaptive quadrature) over the same mixture.
			approx.Close(t, c.Name+" level-shift p", ls.p, c.Formula.ShiftP, 1e-6, 1e-12)
			if got := ls.p < LevelShiftAlpha; got != c.Formula.Shift {
				t.Errorf("%s: level shift used %v, R %v (p %v)", c.Name, got, c.Formula.Shift, ls.p)
			}
			if c.Formula.Shift {
				// Everything below is then around the two levels.
				f.lrvPart = ls.fit
				shifts++
			}
		}
		if ep, ok := detectEpidemic(c.D, f.mean, false, lrvFloor{}); ok != (c.Formula.SegmentP != nil) {
			t.Errorf("%s: valid segment %v, R %v", c.Name, ok, c.Formula.SegmentP != nil)
		} else if ok {
			// The segment test's p-value, Kuiper's distribution mixed
			// over the same χ², against R's integrate().
			approx.Close(t, c.Name+" segment p", ep.p, *c.Formula.SegmentP, 1e-6, 1e-12)
			// No case has both a significant shift and a segment.
			if got := Significant(ep.p, SegmentAlpha); got != c.Formula.Segment {
				t.Errorf("%s: segment used %v, R %v (p %v)", c.Name, got, c.Formula.Segment, ep.p)
			}
			if c.Formula.Segment {
				f.lrvPart = ep.fit
				shifts++
			}
		}
		approx.Close(t, c.Name+" degrees of freedom", f.nu, c.Formula.Nu, 1e-9, 0)
		if len(f.phi) != c.Formula.Order {
			t.Errorf("%s: AR order %d, R chose %d", c.Name, len(f.phi), c.Formula.Order)
		}
		approx.Close(t, c.Name+" sum of AR coefficients", f.sumRaw, c.Formula.SumRaw, 1e-9, 1e-12)
		approx.Close(t, c.Name+" corrected sum", f.sum, c.Formula.Sum, 1e-9, 1e-12)
		approx.Close(t, c.Name+" bandwidth u", f.bw, c.Formula.BwU, 1e-9, 1e-12)
		approx.Close(t, c.Name+" lrv", f.lrv, c.Formula.LRV, 1e-9, 0)
		approx.Close(t, c.Name+" lrv u vs sandwich", f.lrv*(1-f.sum)*(1-f.sum), c.SandwichLRVU, 1e-9, 0)

		lrv, bw := bartlettLRV(c.D)
		approx.Close(t, c.Name+" lrv d vs sandwich", lrv, c.SandwichLRVD, 1e-9, 0)
		approx.Close(t, c.Name+" bandwidth d", bw, c.BartlettD.Bw, 1e-9, 0)
		if r := ar1Coef(demeaned(c.D)); r < MaxAR1 {
			// bwAndrews does not clip the coefficient, so only unclipped
			// cases compare.
			approx.Close(t, c.Name+" bandwidth d vs bwAndrews", bw, c.SandwichBwD, 0.02, 0)
		}
	}
	if shifts == 0 {
		t.Error("no reference case exercises the level shift")
	}
}

func demeaned(x []float64) []float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v - s/float64(len(x))
	}
	return out
}

var designReport = flag.Bool("timeseries.design", false, "print the simulation behind TimeSeries' choice of method (about a minute)")

// TestTimeSeriesDesign reproduces the simulation that chose TimeSeries'
// method, when run with -timeseries.design:
//
//	go test ./compare -run TestTimeSeriesDesign -timeseries.design -v
//
// It prints, for A/A differences from several processes and lengths, the
// rejection rate at nominal 5% (two-sided) of: plain Newey-West (Bartlett,
// Andrews bandwidth) with normal critical values; the same with Kiefer and
// Vogelsang's (2005) fixed-b critical value for the Bartlett kernel,
// 1.96 + 2.9694b + 0.4160b² − 0.5324b³; AR(1) prewhitening with Kendall's
// correction and the t reference of TimeSeries; and TimeSeries' AR(p)
// prewhitening. It is a report, not a check: the checks are
// TestTimeSeriesFalseAlarms and TestTimeSeriesOtherProcesses.
func TestTimeSeriesDesign(t *testing.T) {
	if !*designReport {
		t.Skip("a report, run with -timeseries.design")
	}
	r := rand.New(rand.NewPCG(1, 2))
	armaGen := func(phi, theta float64) func(int) []float64 {
		return func(n int) []float64 { return armaSeries(r, n, phi, theta) }
	}
	tq := func(nu float64) float64 { return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(0.975) }
	for _, pr := range []struct {
		name string
		gen  func(int) []float64
	}{
		{"independent", armaGen(0, 0)}, {"AR(1) 0.8", armaGen(0.8, 0)}, {"AR(1) 0.95", armaGen(0.95, 0)},
		{"ARMA(1,1) 0.9,-0.5", armaGen(0.9, -0.5)}, {"MA(1) 0.8", armaGen(0, 0.8)},
	} {
		for _, n := range []int{30, 60, 240, 1440} {
			const k = 2000
			var nw, kv, ar1, arp int
			for range k {
				d := pr.gen(n)
				mean := 0.0
				for _, v := range d {
					mean += v
				}
				mean /= float64(n)
				lrv, bw := bartlettLRV(d)
				tt := math.Abs(mean / math.Sqrt(lrv/float64(n)))
				b := bw / float64(n)
				if tt > 1.96 {
					nw++
				}
				if tt > 1.96+2.9694*b+0.4160*b*b-0.5324*b*b*b {
					kv++
				}
				// AR(1) prewhitening, Kendall-corrected, clipped.
				dm := demeaned(d)
				rho := ar1Coef(dm)
				rho = max(-MaxAR1, min(MaxAR1, rho+(1+3*rho)/float64(n)))
				u := make([]float64, n-1)
				for i := 1; i < n; i++ {
					u[i-1] = dm[i] - rho*dm[i-1]
				}
				lu, bu := bartlettLRV(u)
				w := lu / ((1 - rho) * (1 - rho))
				nu := min(float64(n-1), 2/(4.0/3*bu/float64(n-1)+4*(1+rho)/(float64(n)*(1-rho))))
				if math.Abs(mean/math.Sqrt(w/float64(n))) > tq(nu) {
					ar1++
				}
				f := prewhitenedHAC(d)
				if math.Abs(f.mean/math.Sqrt(f.lrv/float64(n))) > tq(f.nu) {
					arp++
				}
			}
			t.Logf("%-20s n=%5d  NW normal %.3f  NW fixed-b %.3f  AR(1) prewhitened %.3f  AR(p) prewhitened (TimeSeries) %.3f",
				pr.name, n, float64(nw)/k, float64(kv)/k, float64(ar1)/k, float64(arp)/k)
		}
	}
}
