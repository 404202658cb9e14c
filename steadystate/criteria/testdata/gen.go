//go:build ignore

// gen writes the synthetic week the criteria tests, examples, benchmark and
// CLI goldens use. Run it by hand from this directory after changing it:
//
//	go run gen.go
//
// It is seeded, so the files it writes are the same on every run. See
// README.md for what each file is and why it is built that way.
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

const (
	start   = 1762041600 // 2025-11-02T00:00:00Z, a Sunday, Unix seconds
	minutes = 7 * 24 * 60
	lag     = 2 // minutes the good metric follows satisfaction by
)

func main() {
	rng := rand.New(rand.NewPCG(2026, 5))

	// The service's health, minute by minute: a daily load cycle (peak in
	// the afternoon, UTC), a week of traffic growth that slowly wears
	// satisfaction down, slow fluctuations (AR(1), phi = 0.9) and eight
	// short incidents.
	health := make([]float64, minutes)
	incident := make([]float64, minutes)
	for k := 0; k < 8; k++ {
		at := 600 + rng.IntN(minutes-1200)
		length := 5 + rng.IntN(16)         // 5 to 20 minutes
		depth := 0.15 + 0.25*rng.Float64() // Apdex drops by 0.15 to 0.40
		for i := at; i < at+length; i++ {
			incident[i] = max(incident[i], depth)
		}
	}
	var u float64
	for i := range health {
		hour := float64(i%1440) / 60
		load := 0.5 - 0.5*math.Cos(2*math.Pi*(hour-3)/24) // 0 at 03:00, 1 at 15:00
		trend := 0.08 * float64(i) / minutes
		u = 0.9*u + 0.006*rng.NormFloat64()
		health[i] = 0.97 - 0.04*load - trend + u - incident[i]
	}

	// Satisfaction: per-minute Apdex, the health plus measurement noise.
	sat := make([]float64, minutes)
	for i := range sat {
		sat[i] = round(clamp(health[i]+0.003*rng.NormFloat64(), 0, 1), 4)
	}

	// The good metric: p99 latency in ms, which rises as health falls and
	// reflects it two minutes late (the health two minutes earlier).
	good := make([]float64, minutes)
	for i := range good {
		h := health[max(0, i-lag)]
		good[i] = round(250+2000*(0.97-h)+5*rng.NormFloat64(), 1)
	}

	// A random walk with upward drift, independent of the service: a
	// queue that only grows, say. Its level rises through the week while
	// satisfaction's falls, so the levels correlate strongly (negatively)
	// by construction; its changes are independent of satisfaction's.
	walk := make([]float64, minutes)
	w := 1000.0
	for i := range walk {
		w += 0.05 + rng.NormFloat64()
		walk[i] = round(w, 2)
	}

	write("satisfaction.csv", sat, nil)
	write("good.csv", good, nil)
	write("random_walk.csv", walk, nil)
	// The good metric sampled hourly: the point at each full hour.
	write("good_hourly.csv", good, func(i int) bool { return i%60 == 0 })
	// The good metric with 40% of its points missing at random (rows left
	// out, as a scrape that did not happen).
	keep := make([]bool, minutes)
	perm := rng.Perm(minutes)
	for _, i := range perm[:minutes*60/100] {
		keep[i] = true
	}
	write("good_gappy.csv", good, func(i int) bool { return keep[i] })
	// The first ten points of satisfaction: too little data to judge on.
	write("satisfaction_short.csv", sat, func(i int) bool { return i < 9 })
}

func write(name string, v []float64, keep func(int) bool) {
	var b strings.Builder
	b.WriteString("timestamp,value\n")
	for i, x := range v {
		if keep != nil && !keep(i) {
			continue
		}
		fmt.Fprintf(&b, "%d,%s\n", start+60*i, strconv.FormatFloat(x, 'f', -1, 64))
	}
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }
