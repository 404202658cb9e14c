package compare

import (
	"encoding/binary"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// The benchmark data sets, each freshly generated with a fixed seed. The same
// samples are written to files by TestWriteBenchData for the side-by-side
// runs against scipy and go-moremath (see BENCHMARKS.md).
type benchSet struct {
	name string
	gen  func(rng *rand.Rand, n int) (x, y []float64)
	n    int
}

var benchSets = []benchSet{
	// Per-minute download counts: integers around 50 with heavy ties.
	{"ties1m", func(rng *rand.Rand, n int) ([]float64, []float64) {
		p := distuv.Poisson{Lambda: 50, Src: rng}
		return fill(n, p.Rand), fill(n, p.Rand)
	}, 1_000_000},
	{"continuous1m", func(rng *rand.Rand, n int) ([]float64, []float64) {
		return fill(n, rng.NormFloat64), fill(n, rng.NormFloat64)
	}, 1_000_000},
	{"continuous200", func(rng *rand.Rand, n int) ([]float64, []float64) {
		return fill(n, rng.NormFloat64), fill(n, func() float64 { return rng.NormFloat64() + 0.1 })
	}, 200},
	{"continuous100k", func(rng *rand.Rand, n int) ([]float64, []float64) {
		return fill(n, rng.NormFloat64), fill(n, func() float64 { return rng.NormFloat64() + 0.1 })
	}, 100_000},
}

func fill(n int, f func() float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = f()
	}
	return s
}

func benchSample(name string) (x, y []float64) {
	for _, s := range benchSets {
		if s.name == name {
			return s.gen(rand.New(rand.NewPCG(1, 2)), s.n)
		}
	}
	panic("no bench set " + name)
}

func benchMWU(b *testing.B, set string, opts Options) {
	x, y := benchSample(set)
	b.SetBytes(int64(8 * (len(x) + len(y))))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MannWhitneyU(x, y, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMannWhitneyU1MTies: n = m = 1,000,000 tied integer counts,
// asymptotic. "p-value" is the work scipy and go-moremath do (no interval);
// "with-shift" adds the Hodges-Lehmann interval.
func BenchmarkMannWhitneyU1MTies(b *testing.B) {
	b.Run("p-value", func(b *testing.B) { benchMWU(b, "ties1m", Options{NoShift: true}) })
	b.Run("with-shift", func(b *testing.B) { benchMWU(b, "ties1m", Options{}) })
}

// BenchmarkMannWhitneyU1MContinuous: n = m = 1,000,000 standard normal.
func BenchmarkMannWhitneyU1MContinuous(b *testing.B) {
	b.Run("p-value", func(b *testing.B) { benchMWU(b, "continuous1m", Options{NoShift: true}) })
	b.Run("with-shift", func(b *testing.B) { benchMWU(b, "continuous1m", Options{}) })
}

// BenchmarkMannWhitneyUExact200: the exact distribution for 200 vs 200.
func BenchmarkMannWhitneyUExact200(b *testing.B) {
	benchMWU(b, "continuous200", Options{Method: Exact, NoShift: true})
}

// BenchmarkHodgesLehmann100k: estimate and asymptotic 95% interval for
// n = m = 100,000 (10^10 differences, never formed).
func BenchmarkHodgesLehmann100k(b *testing.B) {
	x, y := benchSample("continuous100k")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := HodgesLehmann(x, y, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

var benchDataDir = flag.String("benchdata", "", "write the benchmark samples as little-endian float64 files into this directory (for the scipy and go-moremath comparisons)")

// TestWriteBenchData writes the benchmark samples into -benchdata DIR, so
// that peers are timed on exactly the same numbers. Without the flag it
// writes the small set into a temporary directory and reads it back, so the
// writer the comparisons rely on is itself tested.
func TestWriteBenchData(t *testing.T) {
	dir, sets := *benchDataDir, benchSets
	if dir == "" {
		dir, sets = t.TempDir(), []benchSet{benchSets[2]}
	}
	for _, s := range sets {
		x, y := benchSample(s.name)
		for side, v := range map[string][]float64{"x": x, "y": y} {
			buf := make([]byte, 8*len(v))
			for i, f := range v {
				binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(f))
			}
			path := filepath.Join(dir, s.name+"."+side+".f64")
			if err := os.WriteFile(path, buf, 0o644); err != nil {
				t.Fatal(err)
			}
			back, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range v {
				if got := math.Float64frombits(binary.LittleEndian.Uint64(back[8*i:])); got != f {
					t.Fatalf("%s[%d] read back as %v, want %v", path, i, got, f)
				}
			}
		}
	}
}

// exactTiesSample returns n values of each group: "counts" are Poisson(3)
// counts (a handful of tie groups), "ms" normal latencies rounded to whole
// milliseconds (many small tie groups, the slowest pattern for the exact
// distribution with ties).
func exactTiesSample(kind string, n int) (x, y []float64) {
	rng := rand.New(rand.NewPCG(15, 15))
	x, y = make([]float64, n), make([]float64, n)
	for i := range n {
		switch kind {
		case "counts":
			x[i] = distuv.Poisson{Lambda: 3, Src: rng}.Rand()
			y[i] = distuv.Poisson{Lambda: 3, Src: rng}.Rand()
		default:
			x[i] = math.Round(200 + 15*rng.NormFloat64())
			y[i] = math.Round(200 + 15*rng.NormFloat64())
		}
	}
	return x, y
}

// BenchmarkMannWhitneyExactTies: the exact Mann-Whitney p-value with ties
// (Method Exact, no interval), per pattern and size; see BENCHMARKS.md.
func BenchmarkMannWhitneyExactTies(b *testing.B) {
	for _, kind := range []string{"counts", "ms"} {
		for _, n := range []int{5, 12, 20, 50, 100} {
			x, y := exactTiesSample(kind, n)
			b.Run(kind+"/"+strconv.Itoa(n)+"+"+strconv.Itoa(n), func(b *testing.B) {
				for b.Loop() {
					if _, err := MannWhitneyU(x, y, Options{Method: Exact, NoShift: true}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkKSExactTies: the exact Kolmogorov-Smirnov p-value with ties.
func BenchmarkKSExactTies(b *testing.B) {
	for _, n := range []int{50, 1000} {
		x, y := exactTiesSample("counts", n)
		b.Run("counts/"+strconv.Itoa(n)+"+"+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := KolmogorovSmirnov(x, y, Options{Method: Exact, NoShift: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
