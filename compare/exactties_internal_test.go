package compare

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// bruteTiedTails enumerates every choice of the experiment's n1 positions
// among the pooled values (sorted, with the tie groups given) and returns
// the exact P(U ≤ u) and P(U ≥ u), counting arrangements.
func bruteTiedTails(groups []int, n1 int, u float64) (lower, upper float64) {
	var vals []int // the group index of each pooled position
	for g, t := range groups {
		for range t {
			vals = append(vals, g)
		}
	}
	n := len(vals)
	var total, le, ge int
	for mask := 0; mask < 1<<n; mask++ {
		if popcount(mask) != n1 {
			continue
		}
		// 2U = Σ over experiment values of 2·(control below) + (control tied).
		twiceU := 0
		for i := range n {
			if mask&(1<<i) == 0 {
				continue
			}
			for j := range n {
				if mask&(1<<j) != 0 {
					continue
				}
				switch {
				case vals[j] < vals[i]:
					twiceU += 2
				case vals[j] == vals[i]:
					twiceU++
				}
			}
		}
		total++
		if twiceU <= int(2*u) {
			le++
		}
		if twiceU >= int(2*u) {
			ge++
		}
	}
	return float64(le) / float64(total), float64(ge) / float64(total)
}

func popcount(m int) int {
	c := 0
	for ; m != 0; m &= m - 1 {
		c++
	}
	return c
}

// TestTiedTailsEnumerated checks the pruned dynamic programme against the
// enumeration of every arrangement, on random tie patterns of up to 14
// values and every attainable U.
func TestTiedTailsEnumerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 60 {
		n := 2 + rng.IntN(13)
		n1 := 1 + rng.IntN(n-1)
		var groups []int
		for left := n; left > 0; {
			g := 1 + rng.IntN(min(left, 1+rng.IntN(5)))
			groups = append(groups, g)
			left -= g
		}
		n2 := n - n1
		// The smallest lower tail is P(U = its least value).
		least := math.Inf(1)
		for twiceU := 0; twiceU <= 2*n1*n2; twiceU++ {
			if l, _ := bruteTiedTails(groups, n1, float64(twiceU)/2); l > 0 {
				least = l
				break
			}
		}
		approx.Close(t, fmt.Sprintf("trial %d groups %v n1=%d extremeUP", trial, groups, n1), extremeUP(groups, n1), least, 1e-12, 0)
		for twiceU := 0; twiceU <= 2*n1*n2; twiceU++ {
			u := float64(twiceU) / 2
			wl, wu := bruteTiedTails(groups, n1, u)
			what := fmt.Sprintf("trial %d groups %v n1=%d U=%v", trial, groups, n1, u)
			approx.Close(t, what+" P(U ≤ u)", tiedULower(groups, n1, n2, u), wl, 1e-12, 0)
			approx.Close(t, what+" P(U ≥ u)", tiedUUpper(groups, n1, n2, u), wu, 1e-12, 0)
		}
	}
}
