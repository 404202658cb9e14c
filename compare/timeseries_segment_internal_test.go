package compare

import (
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// TestKuiperLimitSF checks the limit distribution of the segment test
// against the asymptotic critical values of Kuiper's statistic √n·V
// tabulated by Stephens (1970, Table 1A: 1.620, 1.747, 2.001 at levels
// 0.10, 0.05, 0.01), given to three decimals, so within 0.001 in x, which
// moves the probability by at most 0.0004 at these points; and its
// limits: 1 at and below 0.4, falling, above 0.
func TestKuiperLimitSF(t *testing.T) {
	for _, c := range []struct{ x, p float64 }{{1.620, 0.10}, {1.747, 0.05}, {2.001, 0.01}} {
		approx.Close(t, "Kuiper survival function", kuiperLimitSF(c.x), c.p, 0, 0.0004)
	}
	prev := 1.0
	for x := 0.0; x < 6; x += 0.01 {
		p := kuiperLimitSF(x)
		if p > prev || p < 0 || (x <= 0.4 && p != 1) {
			t.Fatalf("kuiperLimitSF(%v) = %v after %v", x, p, prev)
		}
		prev = p
	}
}
