package compare

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// The growth benchmarks of BENCHMARKS.md ("Growth with n"): each call at
// n = 10^3 to 10^7 points a group, with ns/point and B/op per point
// reported, so that a fitted exponent shows how the cost grows. Run them
// with
//
//	go test ./compare -run '^$' -bench 'Growth' -benchmem -benchtime 3x -count 5 -timeout 60m

var growthSizes = []int{1e3, 1e4, 1e5, 1e6, 1e7}

func reportPerPoint(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/point")
}

// BenchmarkGrowthMannWhitneyU: the default compare (p-value and the
// Hodges-Lehmann interval) on n + n standard normal values, beside the
// p-value alone.
func BenchmarkGrowthMannWhitneyU(b *testing.B) {
	for _, n := range growthSizes {
		rng := rand.New(rand.NewPCG(1, 2))
		x, y := fill(n, rng.NormFloat64), fill(n, rng.NormFloat64)
		for _, c := range []struct {
			name string
			opts Options
		}{{"p-value", Options{NoShift: true}}, {"with-shift", Options{}}} {
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := MannWhitneyU(x, y, c.opts); err != nil {
						b.Fatal(err)
					}
				}
				reportPerPoint(b, n)
			})
		}
	}
}

// BenchmarkGrowthWelchT: Welch's t on n + n standard normal values.
func BenchmarkGrowthWelchT(b *testing.B) {
	for _, n := range growthSizes {
		rng := rand.New(rand.NewPCG(1, 2))
		x, y := fill(n, rng.NormFloat64), fill(n, rng.NormFloat64)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := WelchT(x, y, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			reportPerPoint(b, n)
		})
	}
}

// BenchmarkGrowthAA: the A/A replay (all default window lengths, the
// minimum-detectable-drop search, the sample-ratio check) on n per-minute
// Poisson(1000) counts a group.
func BenchmarkGrowthAA(b *testing.B) {
	opts := AAOptions{Counts: true, Planned: 30 * time.Minute}
	for _, n := range growthSizes {
		rng := rand.New(rand.NewPCG(1, 2))
		e, c := stationary(rng, 0, n, 1000), stationary(rng, 0, n, 1000)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AA(e, c, opts); err != nil {
					b.Fatal(err)
				}
			}
			reportPerPoint(b, n)
		})
	}
}
