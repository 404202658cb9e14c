package compare

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortFloats(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gens := []struct {
		name   string
		reason string
		gen    func() float64
	}{
		{"normal", "continuous data exercises every radix pass", rng.NormFloat64},
		{"counts", "integer counts skip the passes over zero mantissa bytes", func() float64 { return float64(40 + rng.IntN(20)) }},
		{"signed-zeros-and-extremes", "negative numbers, both zeros, subnormals and huge values must order like floats",
			func() float64 {
				vals := []float64{0, math.Copysign(0, -1), -1e-310, 1e-310, math.MaxFloat64, -math.MaxFloat64, -2.5, 2.5}
				return vals[rng.IntN(len(vals))]
			}},
	}
	for _, g := range gens {
		for _, n := range []int{0, 1, 5, radixMin - 1, radixMin, 10_000} {
			a := make([]float64, n)
			for i := range a {
				a[i] = g.gen()
			}
			want := slices.Clone(a)
			slices.Sort(want)
			sortFloats(a, nil)
			for i := range a {
				if a[i] != want[i] { // -0 == +0, so the zeros may come in either order
					t.Fatalf("%s n=%d (%s): a[%d] = %v, want %v", g.name, n, g.reason, i, a[i], want[i])
				}
			}
		}
	}
}

func TestFloatKeyOrder(t *testing.T) {
	vals := []float64{math.Inf(-1), -math.MaxFloat64, -1, -math.SmallestNonzeroFloat64, math.Copysign(0, -1), 0,
		math.SmallestNonzeroFloat64, 1, math.MaxFloat64, math.Inf(1)}
	for i := 1; i < len(vals); i++ {
		if floatKey(vals[i-1]) >= floatKey(vals[i]) {
			t.Errorf("floatKey(%v) >= floatKey(%v)", vals[i-1], vals[i])
		}
		if got := keyFloat(floatKey(vals[i])); math.Float64bits(got) != math.Float64bits(vals[i]) {
			t.Errorf("keyFloat(floatKey(%v)) = %v", vals[i], got)
		}
	}
}
