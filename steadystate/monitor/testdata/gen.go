//go:build ignore

// Gen writes the per-minute data of the monitor's CLI examples and golden
// tests (see README.md): run it from this directory with go run gen.go.
// The model is the one of the monitor's simulations (feedModel "realistic"
// in ../../monitor_sim_test.go): 2,000 stream starts a minute per group
// with a daily cycle of ±30% peaking at 20:00, shared AR(1) noise of 4%,
// each group's own AR(1) noise of 2% (rho 0.5 both) and counting noise.
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

var start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// gen returns minutes of control and experiment counts from minute from of
// the day; the experiment drops by drop from minute dropAt on.
func gen(seed uint64, from, minutes, dropAt int, drop float64) (c, e []float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	const rho, commonSD, groupSD, level, cycle = 0.5, 0.04, 0.02, 2000.0, 0.3
	ar := func(prev, sd float64, first bool) float64 {
		if first {
			return sd * rng.NormFloat64()
		}
		return rho*prev + math.Sqrt(1-rho*rho)*sd*rng.NormFloat64()
	}
	var common, gc, ge float64
	for t := range minutes {
		common = ar(common, commonSD, t == 0)
		gc = ar(gc, groupSD, t == 0)
		ge = ar(ge, groupSD, t == 0)
		minute := float64(from + t)
		mu := level * (1 + cycle*math.Sin(2*math.Pi*(minute-14*60)/1440))
		mc := mu * (1 + common) * (1 + gc)
		me := mu * (1 + common) * (1 + ge)
		if drop != 0 && t >= dropAt {
			me *= 1 - drop
		}
		mc += math.Sqrt(mc) * rng.NormFloat64()
		me += math.Sqrt(me) * rng.NormFloat64()
		c = append(c, math.Round(mc))
		e = append(e, math.Round(me))
	}
	return c, e
}

func ts(t int) string { return strconv.FormatInt(start.Add(time.Duration(t)*time.Minute).Unix(), 10) }

func writeSeries(name string, v []float64, upTo int) { writeSeriesAt(name, v, upTo, 0) }

// writeSeriesAt writes v[:upTo] with the first value at minute offset from
// 12:00 (negative: before).
func writeSeriesAt(name string, v []float64, upTo, offset int) {
	f, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	fmt.Fprintln(f, "timestamp,value")
	for t, x := range v[:upTo] {
		fmt.Fprintf(f, "%s,%g\n", ts(t+offset), x)
	}
}

func main() {
	c, e := gen(1, 12*60, 120, 0, 0)
	writeSeries("aa_control.csv", c, 120)
	writeSeries("aa_experiment.csv", e, 120)
	// The experiment's metrics stop at minute 30 (its service is down and
	// no longer scraped): rows end there.
	writeSeries("gap_experiment.csv", e, 30)

	// The two hours before the drop run (10:00 to 11:59), A/A: the
	// history that primes the monitor.
	hc, he := gen(3, 10*60, 120, 0, 0)
	writeSeriesAt("history_control.csv", hc, 120, -120)
	writeSeriesAt("history_experiment.csv", he, 120, -120)

	c, e = gen(2, 12*60, 60, 20, 0.15)
	writeSeries("drop_control.csv", c, 60)
	writeSeries("drop_experiment.csv", e, 60)

	// A live feed of the same drop, with a header, a missing experiment
	// value at minute 5 and a baseline column.
	f, err := os.Create("feed.csv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	fmt.Fprintln(f, "timestamp,control,experiment,baseline")
	for t := range 60 {
		ev := strconv.FormatFloat(e[t], 'g', -1, 64)
		if t == 5 {
			ev = ""
		}
		fmt.Fprintf(f, "%s,%g,%s,%.0f\n", ts(t), c[t], ev, 2000*(1+0.3*math.Sin(2*math.Pi*(float64(12*60+t)-14*60)/1440)))
	}
}
