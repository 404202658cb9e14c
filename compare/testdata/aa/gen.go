//go:build ignore

// gen writes the A/A test data of compare/testdata/aa: per-minute download
// counts of a control and an experiment group, each a 2% share of a main
// stream with daily and weekly seasonality, split four ways. Run it from this
// directory:
//
//	go run gen.go
//
// It is seeded, so it rewrites the same files byte for byte. See README.md
// for what each file is.
package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"gonum.org/v1/gonum/stat/distuv"
)

const (
	start = 1704067200 // 2024-01-01T00:00:00Z, a Monday
	peak  = 50000.0    // main-stream downloads per minute at the daily peak of a weekday
	share = 0.02       // the planned share of each group

	// The DNS-like split: each group's share is multiplied per 30-minute
	// block by 1 + d, d an AR(1) series over blocks (lag-1 correlation
	// wanderRho: resolvers cache answers, so a group's share drifts over
	// hours rather than jumping) with standard deviation wanderSD, clipped
	// to ±wanderClip, then rescaled per day so that each group's expected
	// daily total is exactly its 2%.
	wanderSD   = 0.10
	wanderRho  = 0.7
	wanderClip = 0.3

	// Over-dispersion of the main stream: each minute's rate is multiplied
	// by a Gamma(shape, 1/shape) factor (coefficient of variation 5%),
	// shared by every group, as bursts of real traffic are.
	gammaShape = 400
)

// rate is the main stream's expected downloads per minute at minute m since
// start: a daily cycle peaking at 20:00 UTC with a trough of a fifth of the
// peak at 08:00, and a weekly cycle 10% higher at the weekend.
func rate(m int) float64 {
	h := float64(m%1440) / 60
	day := float64(m) / 1440
	daily := 0.6 + 0.4*math.Cos(2*math.Pi*(h-20)/24)
	weekly := 1 + 0.1*math.Cos(2*math.Pi*(day-5.5)/7)
	return peak * daily * weekly
}

func main() {
	variants := []struct {
		name  string
		days  int
		split func(minutes int, rng *rand.Rand) (ctl, exp []float64) // share multipliers per minute
	}{
		{"clean", 14, func(n int, _ *rand.Rand) ([]float64, []float64) { return constant(n, 1), constant(n, 1) }},
		{"wandering", 14, func(n int, rng *rand.Rand) ([]float64, []float64) { return wander(n, rng), wander(n, rng) }},
		{"mismatch", 14, func(n int, _ *rand.Rand) ([]float64, []float64) { return constant(n, 1), constant(n, 0.019/share) }},
		{"wandering4w", 28, func(n int, rng *rand.Rand) ([]float64, []float64) { return wander(n, rng), wander(n, rng) }},
	}
	for vi, v := range variants {
		n := v.days * 1440
		// The same main stream for every variant of the same length: the
		// variants differ only in how it is split.
		main := rand.New(rand.NewPCG(20240101, 1))
		g := distuv.Gamma{Alpha: gammaShape, Beta: gammaShape, Src: main}
		lambda := make([]float64, n)
		for m := range lambda {
			lambda[m] = rate(m) * g.Rand()
		}
		rng := rand.New(rand.NewPCG(20240101, uint64(10+vi)))
		mc, me := v.split(n, rng)
		counts := rand.New(rand.NewPCG(20240101, uint64(100+vi)))
		write(v.name+"_control.csv", lambda, mc, counts)
		write(v.name+"_experiment.csv", lambda, me, counts)
	}
	health()
}

// health writes an experiment period for the health check: six hours,
// 12:00 to 18:00 of a Tuesday, of the clean 2%:2% split (health_control.csv,
// health_experiment.csv), and the same experiment group with no downloads
// from 14:00 to 14:30 (health_outage_experiment.csv): the killed instances
// took the group's traffic with them.
func health() {
	const from, n = 1440 + 12*60, 6 * 60
	main := rand.New(rand.NewPCG(20240101, 1000))
	g := distuv.Gamma{Alpha: gammaShape, Beta: gammaShape, Src: main}
	lambda := make([]float64, n)
	for m := range lambda {
		lambda[m] = rate(from+m) * g.Rand()
	}
	counts := rand.New(rand.NewPCG(20240101, 1001))
	one := constant(n, 1)
	writeFrom("health_control.csv", from, lambda, one, counts)
	writeFrom("health_experiment.csv", from, lambda, one, counts)
	outage := constant(n, 1)
	for m := 2 * 60; m < 2*60+30; m++ {
		outage[m] = 0
	}
	writeFrom("health_outage_experiment.csv", from, lambda, outage, counts)
}

func constant(n int, x float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = x
	}
	return s
}

// wander returns per-minute share multipliers for one group of the DNS-like
// split: constant within each 30-minute block, wandering between blocks,
// exact over each day (Σ rate·multiplier = Σ rate per day).
func wander(n int, rng *rand.Rand) []float64 {
	const block = 30
	mult := make([]float64, n)
	innov := wanderSD * math.Sqrt(1-wanderRho*wanderRho)
	d := wanderSD * rng.NormFloat64()
	for b := 0; b*block < n; b++ {
		if b > 0 {
			d = wanderRho*d + innov*rng.NormFloat64()
		}
		x := 1 + max(-wanderClip, min(wanderClip, d))
		for m := b * block; m < min(n, (b+1)*block); m++ {
			mult[m] = x
		}
	}
	for day := 0; day*1440 < n; day++ {
		var want, got float64
		for m := day * 1440; m < (day+1)*1440; m++ {
			want += rate(m)
			got += rate(m) * mult[m]
		}
		for m := day * 1440; m < (day+1)*1440; m++ {
			mult[m] *= want / got
		}
	}
	return mult
}

// write draws the group's per-minute counts, Poisson with mean
// lambda·share·mult (a random 2% of a Poisson stream is Poisson), and writes
// them as CSV.
func write(name string, lambda, mult []float64, rng *rand.Rand) {
	writeFrom(name, 0, lambda, mult, rng)
}

// writeFrom is write for minutes from, from+1, ... since start.
func writeFrom(name string, from int, lambda, mult []float64, rng *rand.Rand) {
	f, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "timestamp,value")
	for m := range lambda {
		v := 0
		if mu := lambda[m] * share * mult[m]; mu > 0 {
			v = int(distuv.Poisson{Lambda: mu, Src: rng}.Rand())
		}
		fmt.Fprintf(w, "%d,%d\n", start+60*(from+m), v)
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
