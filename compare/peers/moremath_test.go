package peers

import (
	"flag"
	"math"
	"testing"

	"github.com/aclements/go-moremath/stats"
	"github.com/chaosstat/chaosstat/compare"
)

var dataDir = flag.String("benchdata", DataDir(), "directory holding the <set>.x.f64 and <set>.y.f64 files written by `go test ./compare -run TestWriteBenchData -benchdata DIR` (default $CHAOSSTAT_BENCHDATA or /tmp/chaosbench)")

func load(tb testing.TB, set string) (x, y []float64) {
	tb.Helper()
	x, y, err := Load(*dataDir, set)
	if err != nil {
		tb.Fatal(err)
	}
	return x, y
}

func benchMoremath(b *testing.B, set string) {
	x, y := load(b, set)
	b.SetBytes(int64(8 * (len(x) + len(y))))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := stats.MannWhitneyUTest(x, y, stats.LocationDiffers); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMoremathMannWhitneyU1MTies is go-moremath's two-sided
// Mann-Whitney U test (normal approximation with tie and continuity
// corrections, as ours) on the samples of compare's
// BenchmarkMannWhitneyU1MTies.
func BenchmarkMoremathMannWhitneyU1MTies(b *testing.B) { benchMoremath(b, "ties1m") }

// BenchmarkMoremathMannWhitneyU1MContinuous: the samples of compare's
// BenchmarkMannWhitneyU1MContinuous.
func BenchmarkMoremathMannWhitneyU1MContinuous(b *testing.B) { benchMoremath(b, "continuous1m") }

// TestAgreesWithCompare checks that go-moremath and compare compute the same
// test on the benchmark data: the same U exactly and the same p-value up to
// rounding (the two use different normal CDF routines and sum the tie term in
// different orders).
func TestAgreesWithCompare(t *testing.T) {
	for _, set := range []string{"ties1m", "continuous1m"} {
		x, y := load(t, set)
		mm, err := stats.MannWhitneyUTest(x, y, stats.LocationDiffers)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := compare.MannWhitneyU(x, y, compare.Options{NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		rel := math.Abs(mm.P-ours.P) / ours.P
		t.Logf("%s: U moremath %.1f ours %.1f; p moremath %.17g ours %.17g (relative difference %.2g)", set, mm.U, ours.Statistic, mm.P, ours.P, rel)
		if mm.U != ours.Statistic {
			t.Errorf("%s: U differs: moremath %v, ours %v", set, mm.U, ours.Statistic)
		}
		if rel > 1e-9 {
			t.Errorf("%s: p differs by %.2g relative: moremath %v, ours %v", set, rel, mm.P, ours.P)
		}
	}
}
