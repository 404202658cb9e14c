package chaosstattest_test

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// The series the tests judge are made here, from fixed seeds, so that every
// expectation below is about data whose truth is known: what was put in, not
// what came out.

// start is 2026-11-26 12:00 UTC, the start of every synthetic run.
var start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// ar1 returns n values of an AR(1) process with lag-1 correlation phi about
// mean, with innovations of standard deviation sd.
func ar1(rng *rand.Rand, n int, phi, mean, sd float64) []float64 {
	v := make([]float64, n)
	x := 0.0
	for i := range v {
		x = phi*x + sd*rng.NormFloat64()
		v[i] = mean + x
	}
	return v
}

// perMinute makes a series of one value a minute from start.
func perMinute(v []float64) series.Series {
	t := make([]int64, len(v))
	for i := range t {
		t[i] = start.Add(time.Duration(i) * time.Minute).UnixMilli()
	}
	return series.Series{T: t, V: v}
}

// scaled returns v multiplied by f, rounded to whole units.
func scaled(v []float64, f float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(f * x)
	}
	return out
}

// run is two hours of per-minute downloads and availability of a control and
// an experiment group. The experiment's downloads are the control's level
// times downloadFactor: 1 for a fault that leaves them alone, 0.8 for one
// that costs a fifth of them. Availability is the same in both groups.
type run struct {
	downloadsC, downloadsE       series.Series
	availabilityC, availabilityE series.Series
}

func makeRun(seed uint64, downloadFactor float64) run {
	rng := rand.New(rand.NewPCG(seed, 2))
	const n = 120
	var r run
	r.downloadsC = perMinute(scaled(ar1(rng, n, 0.7, 1000, 10), 1))
	r.downloadsE = perMinute(scaled(ar1(rng, n, 0.7, 1000, 10), downloadFactor))
	avail := func() []float64 {
		v := ar1(rng, n, 0.5, 0.9995, 0.0002)
		for i := range v {
			v[i] = math.Min(1, math.Round(v[i]*1e5)/1e5)
		}
		return v
	}
	r.availabilityC = perMinute(avail())
	r.availabilityE = perMinute(avail())
	return r
}

// split is pre-experiment per-minute downloads of two groups that each get
// 2% of the traffic, over hours hours. wander is the standard deviation of
// the log of the experiment's share per 30 minutes: 0 for a clean random
// split, 0.05 for one that wanders like weighted DNS.
func makeSplit(seed uint64, hours int, wander float64) (experiment, control series.Series) {
	rng := rand.New(rand.NewPCG(seed, 3))
	n := 60 * hours
	e, c := make([]float64, n), make([]float64, n)
	tilt := 1.0
	for i := range n {
		if i%30 == 0 {
			tilt = math.Exp(wander * rng.NormFloat64())
		}
		// Total traffic with a daily cycle, 50,000 a minute on average.
		minute := float64(i % 1440)
		total := 50000 * (1 + 0.4*math.Sin(2*math.Pi*(minute-360)/1440))
		// Counts drawn by the normal approximation to the Poisson,
		// close enough at a mean of 600 or more.
		draw := func(mu float64) float64 { return math.Max(0, math.Round(mu+math.Sqrt(mu)*rng.NormFloat64())) }
		c[i] = draw(0.02 * total)
		e[i] = draw(0.02 * total * tilt)
	}
	return perMinute(e), perMinute(c)
}

// criteriaData is a day of per-minute data: a satisfaction signal (Apdex), an
// error ratio that follows it three minutes late, and a queue depth that only
// drifts (the model of criteria's ExampleEvaluateAll).
func criteriaData(seed uint64) (satisfaction, errorRatio, queueDepth series.Series) {
	rng := rand.New(rand.NewPCG(seed, 4))
	const n = 1440
	sat, errs, drift := make([]float64, n), make([]float64, n), make([]float64, n)
	health := make([]float64, n)
	var u, q float64
	for i := range n {
		u = 0.9*u + 0.01*rng.NormFloat64()
		health[i] = 0.95 + u
		sat[i] = health[i] + 0.003*rng.NormFloat64()
		errs[i] = 0.5*(1-health[max(0, i-3)]) + 0.002*rng.NormFloat64()
		q += 0.1 + rng.NormFloat64()
		drift[i] = q
	}
	return perMinute(sat), perMinute(errs), perMinute(drift)
}
