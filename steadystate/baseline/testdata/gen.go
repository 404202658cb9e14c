//go:build ignore

// gen writes the synthetic stream-start series the baseline tests use (see
// README.md). Run it from this folder:
//
//	go run gen.go
//
// It is seeded, so it writes the same files every time.
package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"time"
)

// The model of stream starts per minute at local time L in New York:
//
//	λ(L) = base · growth^weeks · daily(hour of L) · weekly(weekday of L) · day factor
//	daily(h) = 1 + 0.6·cos(2π(h−20)/24) + 0.15·cos(4π(h−20)/24)  (peak 20:00, trough near 05:00)
//	weekly   = 1.08 on Friday, 1.15 on Saturday and Sunday, 1 otherwise
//	day factor ~ Normal(1, 0.015), one draw per local day
//	value    = round(λ · (1 + 0.02·ε₁) + √λ · ε₂), ε ~ Normal(0, 1)
//
// (the √λ term is the Poisson noise of a count, in its normal
// approximation).
const (
	base   = 2000.0
	growth = 1.005 // per week
)

var loc *time.Location

func main() {
	var err error
	loc, err = time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(7, 2026))
	// Four weeks of history, Monday 2026-10-12 00:00 to Monday 2026-11-09
	// 00:00 New York time, crossing the end of daylight saving on Sunday
	// 2026-11-01 (02:00 EDT becomes 01:00 EST: the hour 01:00-02:00 local
	// happens twice).
	start := time.Date(2026, 10, 12, 0, 0, 0, 0, loc)
	hist := time.Date(2026, 11, 9, 0, 0, 0, 0, loc)
	normalEnd := time.Date(2026, 11, 10, 0, 0, 0, 0, loc)
	dropEnd := time.Date(2026, 11, 11, 0, 0, 0, 0, loc)
	dropFrom := time.Date(2026, 11, 10, 14, 0, 0, 0, loc)
	dropTo := time.Date(2026, 11, 10, 14, 20, 0, 0, loc)

	write("history.csv", gen(rng, start, hist, start, time.Time{}, time.Time{}))
	write("normal_day.csv", gen(rng, hist, normalEnd, start, time.Time{}, time.Time{}))
	write("drop_day.csv", gen(rng, normalEnd, dropEnd, start, dropFrom, dropTo))
}

type point struct {
	t time.Time
	v float64
}

// gen returns one point a minute in [from, to); values in [dropFrom,
// dropTo) are cut by 25%.
func gen(rng *rand.Rand, from, to, origin, dropFrom, dropTo time.Time) []point {
	var out []point
	dayFactor := map[string]float64{}
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		l := t.In(loc)
		day := l.Format("2006-01-02")
		f, ok := dayFactor[day]
		if !ok {
			f = 1 + 0.015*rng.NormFloat64()
			dayFactor[day] = f
		}
		h := float64(l.Hour()) + float64(l.Minute())/60
		daily := 1 + 0.6*math.Cos(2*math.Pi*(h-20)/24) + 0.15*math.Cos(4*math.Pi*(h-20)/24)
		weekly := 1.0
		switch l.Weekday() {
		case time.Friday:
			weekly = 1.08
		case time.Saturday, time.Sunday:
			weekly = 1.15
		}
		weeks := t.Sub(origin).Hours() / (7 * 24)
		lambda := base * math.Pow(growth, weeks) * daily * weekly * f
		v := lambda*(1+0.02*rng.NormFloat64()) + math.Sqrt(lambda)*rng.NormFloat64()
		if !t.Before(dropFrom) && t.Before(dropTo) {
			v *= 0.75
		}
		out = append(out, point{t, math.Max(0, math.Round(v))})
	}
	return out
}

func write(name string, ps []point) {
	f, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "timestamp,value")
	for _, p := range ps {
		fmt.Fprintf(w, "%s,%g\n", p.t.In(loc).Format(time.RFC3339), p.v)
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
