package compare

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTailKeeperMatchesSort checks that the order statistics tailKeeper
// keeps give quantile7 of the sorted stream to the bit, so Quantile's
// intervals are those of sorting all B resamples: ties (values on a coarse
// grid), NaN (sorted first, as slices.Sort does), and the quantiles at and
// next to the ends.
func TestTailKeeperMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 7, 100, 2001} {
		for _, p := range []float64{0, 1e-9, 0.0005, 0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975, 0.9995, 1 - 1e-9, 1} {
			for _, kind := range []string{"continuous", "ties", "nan"} {
				xs := make([]float64, n)
				for i := range xs {
					switch kind {
					case "continuous":
						xs[i] = r.NormFloat64()
					case "ties":
						xs[i] = float64(r.IntN(5)) - 2
					case "nan":
						xs[i] = r.NormFloat64()
						if r.IntN(10) == 0 {
							xs[i] = math.NaN()
						}
					}
				}
				lo, hi := newTailKeeper(n, p, false), newTailKeeper(n, p, true)
				for _, x := range xs {
					lo.add(x)
					hi.add(x)
				}
				sorted := slices.Clone(xs)
				slices.Sort(sorted)
				want := quantile7(sorted, p)
				for _, c := range []struct {
					side string
					got  float64
				}{{"low", lo.quantile7()}, {"high", hi.quantile7()}} {
					if math.Float64bits(c.got) != math.Float64bits(want) {
						t.Errorf("n=%d p=%v %s, %s tail: %v, want %v", n, p, kind, c.side, c.got, want)
					}
				}
			}
		}
	}
}

// TestTailKeeperKeepsFew checks the memory bound: at steadystate's judge's
// resamples for confidence 0.9999999, B = 8/α = 80 million, the two-sided
// interval's tails keep a handful of values each.
func TestTailKeeperKeepsFew(t *testing.T) {
	const alpha = 1e-7
	B := int(math.Ceil(8 / alpha))
	for _, c := range []struct {
		p    float64
		high bool
	}{{alpha / 2, false}, {1 - alpha/2, true}} {
		if k := newTailKeeper(B, c.p, c.high); k.m > 8 {
			t.Errorf("%s: keeps %d of %d values, want at most 8", fmt.Sprint(c), k.m, B)
		}
	}
}
