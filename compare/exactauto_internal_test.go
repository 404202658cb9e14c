package compare

import (
	"slices"
	"testing"
)

// TestAutoExactLimit records where Auto stops choosing the exact
// distribution with ties (BENCHMARKS.md quotes these sizes) and checks the
// rule's edges: below the budget exact, above it asymptotic.
func TestAutoExactLimit(t *testing.T) {
	largest := map[string]int{}
	for _, kind := range []string{"counts", "ms"} {
		for n := 2; n <= 60; n++ {
			x, y := exactTiesSample(kind, n)
			slices.Sort(x)
			slices.Sort(y)
			g := tieGroups(x, y)
			ties := mergeRanks(x, y).Ties
			m, _ := uMethod(Auto, g, n, n, ties)
			cost := exactCost(g, n, n, ties, 1<<40)
			if (m == Exact) != (cost <= exactBudget) {
				t.Errorf("%s %d+%d: Auto %v with cost %d (budget %d)", kind, n, n, m, cost, exactBudget)
			}
			if m == Exact {
				largest[kind] = n
			}
		}
	}
	t.Logf("largest n+n where Auto is exact: %v", largest)
	// Without ties the rule is min(n1, n2)·n1n2/2 ≤ 2^16: 50+50 exact,
	// 51+51 not.
	if m, _ := uMethod(Auto, nil, 50, 50, false); m != Exact {
		t.Errorf("50+50 without ties: %v, want exact", m)
	}
	if m, _ := uMethod(Auto, nil, 51, 51, false); m != Asymptotic {
		t.Errorf("51+51 without ties: %v, want asymptotic", m)
	}
}
