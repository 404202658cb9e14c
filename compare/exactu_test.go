package compare

import (
	"math/big"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// exactUCounts returns the number of arrangements with U = k, k = 0..mn, in
// exact integer arithmetic from the recurrence
// c(m, n, k) = c(m−1, n, k−n) + c(m, n−1, k)  (Mann & Whitney 1947, eq. 1),
// an independent route to the same distribution.
func exactUCounts(m, n int) []*big.Int {
	// table[a][b] is the count polynomial for sizes a, b.
	table := make([][][]*big.Int, m+1)
	for a := 0; a <= m; a++ {
		table[a] = make([][]*big.Int, n+1)
		for b := 0; b <= n; b++ {
			c := make([]*big.Int, a*b+1)
			for k := range c {
				c[k] = new(big.Int)
				if a == 0 || b == 0 {
					c[k].SetInt64(1)
					continue
				}
				if k-b >= 0 && k-b <= (a-1)*b {
					c[k].Add(c[k], table[a-1][b][k-b])
				}
				if k <= a*(b-1) {
					c[k].Add(c[k], table[a][b-1][k])
				}
			}
			table[a][b] = c
		}
	}
	return table[m][n]
}

func TestUCDFMatchesExactCounts(t *testing.T) {
	for _, sz := range []struct{ m, n int }{{1, 1}, {1, 7}, {3, 13}, {8, 8}, {20, 31}, {40, 40}} {
		counts := exactUCounts(sz.m, sz.n)
		total := new(big.Int)
		for _, c := range counts {
			total.Add(total, c)
		}
		mn := sz.m * sz.n
		got := uCDF(mn, sz.m, sz.n)
		cum := new(big.Int)
		for k := 0; k <= mn; k++ {
			cum.Add(cum, counts[k])
			want, _ := new(big.Rat).SetFrac(cum, total).Float64()
			// Relative 1e-12 in the lower half (where uSF and qwilcox read
			// it), including the far tail; absolute 1e-14 above.
			if k <= mn/2 {
				approx.Close(t, "uCDF", got[k], want, 1e-12, 0)
			} else {
				approx.Close(t, "uCDF", got[k], want, 0, 1e-14)
			}
			if t.Failed() {
				t.Fatalf("m=%d n=%d k=%d", sz.m, sz.n, k)
			}
		}
	}
}

func TestUSFSymmetry(t *testing.T) {
	// P(U ≥ u) computed from either tail must agree: the two branches of uSF.
	m, n := 9, 14
	for u := 0; u <= m*n; u++ {
		want := 1.0
		if u > 0 {
			want = 1 - pwilcox(u-1, m, n)
		}
		approx.Close(t, "uSF", uSF(u, m, n), want, 1e-12, 1e-15)
	}
}

func TestQwilcox(t *testing.T) {
	// R 4.2.2: qwilcox(c(0.025, 0.05, 0.5, 0.975), 5, 4) -> 2 3 10 18
	// R 4.2.2: qwilcox(c(0.005, 0.025), 20, 25)        -> 139 164
	cases := []struct {
		p    float64
		m, n int
		want int
	}{
		{0.025, 5, 4, 2}, {0.05, 5, 4, 3}, {0.5, 5, 4, 10}, {0.975, 5, 4, 18},
		{0.005, 20, 25, 139}, {0.025, 20, 25, 164},
	}
	for _, c := range cases {
		if got := qwilcox(c.p, c.m, c.n); got != c.want {
			t.Errorf("qwilcox(%v, %d, %d) = %d, want %d", c.p, c.m, c.n, got, c.want)
		}
	}
}
