//go:build ignore

// gen writes the data of the example hypothesis in examples/hypothesis/data:
// four hours of per-minute metrics of a control group and an experiment group
// during an instance-loss experiment, drawn from seeded AR(1) processes (and
// Poisson counts for the errors), so that running it again writes the same
// files. Run it from the repository root:
//
//	go run steadystate/testdata/judge/gen.go
//
// The story the data tells (see examples/hypothesis/README.md): latency,
// downloads and Apdex of the experiment stay within tolerance of the control;
// the experiment throws about 0.8 errors a minute where the control throws
// almost none; a stream-starts exporter dropped a quarter of its scrapes.
package main

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/chaosstat/chaosstat/series"
)

const (
	dir    = "examples/hypothesis/data"
	n      = 240           // four hours, one point a minute
	start  = 1795701600000 // 2026-11-26T14:00:00Z, Unix milliseconds
	minute = 60_000
)

func main() {
	rng := rand.New(rand.NewPCG(20261126, 3))
	write := func(name string, v []float64) {
		t := make([]int64, len(v))
		for i := range t {
			t[i] = start + int64(i)*minute
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			log.Fatal(err)
		}
		if err := series.WriteCSV(f, series.Series{T: t, V: v}); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
	round := func(v []float64, digits int) []float64 {
		p := math.Pow(10, float64(digits))
		for i := range v {
			v[i] = math.Round(v[i]*p) / p
		}
		return v
	}
	// Shared traffic pattern: both groups see the same load, so their
	// business metrics move together minute by minute.
	load := ar1(rng, 0.9, 0, 0.03)

	// p99 latency in seconds: 250 ms, the experiment 2% slower (within the
	// 10% tolerance).
	write("latency-control.csv", round(scale(ar1(rng, 0.7, 0.250, 0.015), load), 4))
	write("latency-experiment.csv", round(scale(ar1(rng, 0.7, 0.255, 0.015), load), 4))

	// Errors a minute: the control throws almost none, the experiment about
	// 0.8 a minute — the case Kayenta-style judges pass.
	write("errors-control.csv", poisson(rng, 0.01))
	write("errors-experiment.csv", poisson(rng, 0.8))

	// Downloads a minute: 1200, the experiment 1% lower (within 5%).
	write("downloads-control.csv", round(scale(ar1(rng, 0.8, 1200, 25), load), 0))
	write("downloads-experiment.csv", round(scale(ar1(rng, 0.8, 1188, 25), load), 0))

	// Apdex: 0.94 against 0.938.
	write("apdex-control.csv", round(ar1(rng, 0.6, 0.940, 0.006), 4))
	write("apdex-experiment.csv", round(ar1(rng, 0.6, 0.938, 0.006), 4))

	// Stream starts a minute: no change, but the experiment's exporter lost
	// a quarter of its scrapes (empty cells).
	ss := round(scale(ar1(rng, 0.8, 300, 8), load), 0)
	write("streams-control.csv", ss)
	sx := round(scale(ar1(rng, 0.8, 300, 8), load), 0)
	for i := range sx {
		if rng.Float64() < 0.25 {
			sx[i] = math.NaN()
		}
	}
	write("streams-experiment.csv", sx)
	fmt.Println("wrote", dir)
}

// ar1 returns n points of a stationary AR(1) process with lag-1
// autocorrelation rho, mean mu and marginal standard deviation sd.
func ar1(rng *rand.Rand, rho, mu, sd float64) []float64 {
	x := make([]float64, n)
	innov := sd * math.Sqrt(1-rho*rho)
	prev := sd * rng.NormFloat64()
	for i := range x {
		if i > 0 {
			prev = rho*prev + innov*rng.NormFloat64()
		}
		x[i] = mu + prev
	}
	return x
}

// scale multiplies x by 1 + load, the shared traffic pattern.
func scale(x, load []float64) []float64 {
	for i := range x {
		x[i] *= 1 + load[i]
	}
	return x
}

// poisson returns n Poisson(lambda) counts (Knuth's method).
func poisson(rng *rand.Rand, lambda float64) []float64 {
	x := make([]float64, n)
	limit := math.Exp(-lambda)
	for i := range x {
		k, p := 0, rng.Float64()
		for p > limit {
			k++
			p *= rng.Float64()
		}
		x[i] = float64(k)
	}
	return x
}
