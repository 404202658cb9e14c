package criteria

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCrMedianMatchesSort: the quickselect median is the sorted one, for
// odd and even lengths, with ties (values rounded to a few levels).
func TestCrMedianMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 200; n++ {
		for _, levels := range []float64{3, 1e6} {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(int(rng.Float64() * levels))
			}
			s := slices.Clone(x)
			slices.Sort(s)
			want := s[n/2]
			if n%2 == 0 {
				want = (s[n/2-1] + s[n/2]) / 2
			}
			if got := crMedian(x); got != want {
				t.Fatalf("n %d levels %v: median %v, sorted %v", n, levels, got, want)
			}
		}
	}
}
