package compare

import (
	"encoding/json"
	"os"
	"testing"

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
	for _, c := range ref.Cases {
		f := prewhitenedHAC(c.D)
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
		if r := ar1Coef(demeaned(c.D)); r < maxPrewhitenRho {
			// bwAndrews does not clip the coefficient, so only unclipped
			// cases compare.
			approx.Close(t, c.Name+" bandwidth d vs bwAndrews", bw, c.SandwichBwD, 0.02, 0)
		}
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
