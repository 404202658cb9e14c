package compare

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKthDiffsMatchBruteForce checks kthDiffs against all n1·n2 differences
// formed and sorted, at sizes past diffsCollectMax (so the grid, the counting
// passes and the collection all run), on data chosen to break each step:
// heavy ties, a constant sample, a heavy tail, values that round when
// subtracted, and very unequal sizes. With diffsCollectMax cut to 16 the
// same cases also drive the interpolation and the bisection.
func TestKthDiffsMatchBruteForce(t *testing.T) {
	cases := []struct {
		name, reason string
		gen          func(rng *rand.Rand) float64
	}{
		{"normal", "smooth counts: the grid's probes bracket each rank", func(rng *rand.Rand) float64 { return rng.NormFloat64() }},
		{"five-values", "billions of differences share a value in the full problem: the search must end on gt(lo) ≥ hi", func(rng *rand.Rand) float64 { return float64(rng.IntN(5)) }},
		{"tenths", "ties with differences that round (0.1 steps)", func(rng *rand.Rand) float64 { return float64(rng.IntN(200)) * 0.1 }},
		{"lognormal", "a heavy tail: interpolation on the counts is poor", func(rng *rand.Rand) float64 { return math.Exp(3 * rng.NormFloat64()) }},
		{"constant", "every difference is equal", func(*rand.Rand) float64 { return 7 }},
		{"outliers", "a tenth of the values 1e6 times larger", func(rng *rand.Rand) float64 {
			if rng.IntN(10) == 0 {
				return 1e6 * rng.NormFloat64()
			}
			return rng.NormFloat64()
		}},
		{"signed-zero", "−0 and +0 and the smallest subnormals", func(rng *rand.Rand) float64 {
			return []float64{math.Copysign(0, -1), 0, 5e-324, -5e-324, 1}[rng.IntN(5)]
		}},
	}
	// Past collectLimit (4096 to 2^17) with the grid subsampling at least
	// one side; with the limit cut to 16 small sizes drive the same paths,
	// and one size still has a grid.
	sizes := map[bool][][2]int{
		false: {{260, 520}, {3, 45000}, {45000, 3}},
		true:  {{30, 70}, {3, 300}, {300, 2}, {260, 300}},
	}
	small := map[bool]string{false: "", true: "/collect16"}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, cut := range []bool{false, true} {
		for _, c := range cases {
			for si, sz := range sizes[cut] {
				t.Run(c.name+small[cut], func(t *testing.T) {
					if cut {
						old := diffsCollectMax
						diffsCollectMax = 16
						t.Cleanup(func() { diffsCollectMax = old })
					}
					x, y := make([]float64, sz[0]), make([]float64, sz[1])
					for i := range x {
						x[i] = c.gen(rng)
					}
					for i := range y {
						y[i] = c.gen(rng) + 0.3*float64(si%2)
					}
					slices.Sort(x)
					slices.Sort(y)
					d := bruteDiffs(x, y)
					n := int64(len(d))
					w := int64(3 * math.Sqrt(float64(n)))
					ks := []int64{1, n/2 - w, n / 2, n/2 + 1, n/2 + w, n, 1 + rng.Int64N(n), 0}
					got := kthDiffs(x, y, ks)
					for i, k := range ks {
						if k == 0 {
							if !math.IsNaN(got[i]) {
								t.Errorf("rank 0 gave %v, want NaN", got[i])
							}
							continue
						}
						// == treats −0 and +0 as equal, as the callers do.
						if got[i] != d[k-1] {
							t.Errorf("%d+%d (%s): rank %d of %d = %v, want %v", sz[0], sz[1], c.reason, k, n, got[i], d[k-1])
						}
					}
				})
			}
		}
	}
}

// TestCountDiffsFastMatchesCountDiffs: the four-chain merge counts what the
// plain merge counts, at probes between and on the differences, including
// below the smallest and above the largest.
func TestCountDiffsFastMatchesCountDiffs(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := range 50 {
		n1, n2 := 1+rng.IntN(300), 1+rng.IntN(300)
		x, y := make([]float64, n1), make([]float64, n2)
		for i := range x {
			x[i] = float64(rng.IntN(1 + trial))
		}
		for i := range y {
			y[i] = float64(rng.IntN(1+trial)) + rng.Float64()*float64(trial%2)
		}
		slices.Sort(x)
		slices.Sort(y)
		for _, d := range []float64{x[0] - y[n2-1] - 1, x[0] - y[n2-1], 0, 0.5, -1, x[n1-1] - y[0], x[n1-1] - y[0] + 1} {
			want, _, _ := countDiffs(x, y, d)
			if got := countDiffsFast(x, y, d); got != want {
				t.Fatalf("trial %d, d = %v: countDiffsFast = %d, countDiffs = %d", trial, d, got, want)
			}
		}
	}
}

// TestSelectKth: the quickselect against a sort, on runs of equal values and
// on distinct ones.
func TestSelectKth(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 200 {
		a := make([]float64, 1+rng.IntN(500))
		for i := range a {
			a[i] = float64(rng.IntN(1 + trial%20))
		}
		sorted := slices.Sorted(slices.Values(a))
		k := rng.IntN(len(a))
		if got := selectKth(a, k); got != sorted[k] {
			t.Fatalf("trial %d: selectKth(%d) = %v, want %v", trial, k, got, sorted[k])
		}
	}
}
