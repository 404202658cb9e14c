package peers

import (
	"fmt"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
)

// exactSizes are the sizes at which scipy_bench.py times scipy's exact test
// on the first n values of continuous200.
var exactSizes = []int{10, 25, 50, 75, 100, 150, 200}

// BenchmarkOursExact is compare's exact Mann-Whitney test on the first n
// values of each sample of continuous200, for the growth table next to
// scipy's (n=200 is compare's BenchmarkMannWhitneyUExact200).
func BenchmarkOursExact(b *testing.B) {
	x, y := load(b, "continuous200")
	for _, n := range exactSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := compare.MannWhitneyU(x[:n], y[:n], compare.Options{Method: compare.Exact, NoShift: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOursHodgesLehmann is compare.HodgesLehmann on the first n values
// of each sample of continuous100k, the sizes hl_bench.R times R at
// (n=100000 is compare's BenchmarkHodgesLehmann100k).
func BenchmarkOursHodgesLehmann(b *testing.B) {
	x, y := load(b, "continuous100k")
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := compare.HodgesLehmann(x[:n], y[:n], compare.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPrintOurs logs compare's answers on the data the peers' scripts use,
// for the cross-check against scipy_bench.py (exact p) and hl_bench.R
// (estimate and interval): run with -v.
func TestPrintOurs(t *testing.T) {
	x, y := load(t, "continuous200")
	for _, n := range exactSizes {
		r, err := compare.MannWhitneyU(x[:n], y[:n], compare.Options{Method: compare.Exact, NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("exact %d vs %d: U=%.0f p=%.17g", n, n, r.Statistic, r.P)
	}
	x, y = load(t, "continuous100k")
	for _, n := range []int{1000, 10000, 100000} {
		sh, _, err := compare.HodgesLehmann(x[:n], y[:n], compare.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Hodges-Lehmann %d vs %d: estimate %.9g CI [%.9g, %.9g]", n, n, sh.Estimate, sh.Low, sh.High)
	}
}
