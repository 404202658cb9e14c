//go:build ignore

// genscale writes a long history and the day after it, for timing
// `chaosstat baseline` at scale (BENCHMARKS.md): the stream-start model of
// gen.go (a daily cycle in New York time, a weekly one, a day-level
// factor, multiplicative and count noise; no growth), one point every
// -step for -weeks weeks of real time ending on Monday 2026-11-09 00:00
// New York time, then one day with a 25% drop from 14:00 to 14:20. The
// files are too large to commit; it is seeded, so it writes the same
// files every time:
//
//	go run genscale.go -weeks 52 -step 1m -out /tmp/w52    # 524,160 + 1,440 points
//	go run genscale.go -weeks 4 -step 10s -out /tmp/s10    # 241,920 + 8,640 points
//
// It writes OUT/history.csv and OUT/current.csv.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

func main() {
	weeks := flag.Int("weeks", 52, "weeks of history")
	step := flag.Duration("step", time.Minute, "sampling interval")
	out := flag.String("out", ".", "folder to write history.csv and current.csv to")
	flag.Parse()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(uint64(*weeks), uint64(*step)))
	end := time.Date(2026, 11, 9, 0, 0, 0, 0, loc)
	start := end.Add(-time.Duration(*weeks) * 7 * 24 * time.Hour)
	dayEnd := end.Add(24 * time.Hour)
	dropFrom := time.Date(2026, 11, 9, 14, 0, 0, 0, loc)
	dropTo := time.Date(2026, 11, 9, 14, 20, 0, 0, loc)
	m := model{loc: loc, rng: rng, dayFactor: map[int]float64{}}
	write(filepath.Join(*out, "history.csv"), loc, start, end, *step, func(t time.Time) float64 { return m.value(t) })
	write(filepath.Join(*out, "current.csv"), loc, end, dayEnd, *step, func(t time.Time) float64 {
		v := m.value(t)
		if !t.Before(dropFrom) && t.Before(dropTo) {
			v = math.Round(v * 0.75)
		}
		return v
	})
}

type model struct {
	loc       *time.Location
	rng       *rand.Rand
	dayFactor map[int]float64
}

// value is gen.go's model without growth:
//
//	λ(L)  = 2000 · daily(hour of L) · weekly(weekday of L) · day factor
//	value = round(λ · (1 + 0.02·ε₁) + √λ · ε₂)
func (m *model) value(t time.Time) float64 {
	l := t.In(m.loc)
	day := l.Year()*1000 + l.YearDay()
	f, ok := m.dayFactor[day]
	if !ok {
		f = 1 + 0.015*m.rng.NormFloat64()
		m.dayFactor[day] = f
	}
	h := float64(l.Hour()) + float64(l.Minute())/60 + float64(l.Second())/3600
	daily := 1 + 0.6*math.Cos(2*math.Pi*(h-20)/24) + 0.15*math.Cos(4*math.Pi*(h-20)/24)
	weekly := 1.0
	switch l.Weekday() {
	case time.Friday:
		weekly = 1.08
	case time.Saturday, time.Sunday:
		weekly = 1.15
	}
	lambda := 2000 * daily * weekly * f
	v := lambda*(1+0.02*m.rng.NormFloat64()) + math.Sqrt(lambda)*m.rng.NormFloat64()
	return math.Max(0, math.Round(v))
}

func write(name string, loc *time.Location, from, to time.Time, step time.Duration, f func(time.Time) float64) {
	fh, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(fh)
	fmt.Fprintln(w, "timestamp,value")
	var buf []byte
	for t := from; t.Before(to); t = t.Add(step) {
		buf = t.In(loc).AppendFormat(buf[:0], time.RFC3339)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, f(t), 'g', -1, 64)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	if err := fh.Close(); err != nil {
		panic(err)
	}
}
