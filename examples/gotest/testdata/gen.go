//go:build ignore

// gen writes the synthetic recordings the gotest example tests, from a fixed
// seed, so that running it again writes the same files byte for byte. Run it
// from this folder:
//
//	go run gen.go
//
// The model is the case study behind chaosstat: a download service whose
// traffic is split by weighted DNS, 2% to a control group and 2% to an
// experiment group, with one instance of the experiment group killed every 30
// minutes. Here the split is a clean random one (the story of a noisy split is
// compare/testdata/aa's), and the service survives the kills: each costs the
// experiment group a tenth of its downloads for two minutes, while clients
// retry elsewhere, and a burst of failed requests and slow answers in the
// minute of the kill. Over a two-hour run that is far inside the hypothesis's
// tolerances, which is what the example's test asserts.
//
// Traffic: total downloads per minute 50,000 × (1 + 0.3 sin(2π(h − 14)/24))
// at hour of day h, peaking at 20:00, times a log-normal burst factor with a
// standard deviation of 5% shared by both groups; each group's count is
// Poisson with mean 2% of that (a random 2% of a Poisson stream is Poisson).
//
// Files (CSV timestamp,value, Unix seconds, one row a minute):
//
//	aa/downloads-{control,experiment}.csv  Monday 2026-11-23 12:00 UTC to
//	    Thursday 2026-11-26 12:00, 4,320 rows: the three days before the run,
//	    nothing injected, for the A/A check of the split
//	run/downloads-{control,experiment}.csv  Thursday 2026-11-26 12:00 to
//	    14:00, 120 rows: downloads per minute during the run
//	run/availability-{control,experiment}.csv  the share of requests
//	    answered without a server error: failures are Poisson with mean
//	    0.05% of requests, plus 1% of the experiment's in each kill minute
//	run/apdex-{control,experiment}.csv  Apdex per minute: AR(1) about 0.94
//	    (lag-1 correlation 0.6, sd 0.006), the experiment 0.03 lower in each
//	    kill minute
package main

import (
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/chaosstat/chaosstat/series"
)

var (
	runStart = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	aaStart  = runStart.Add(-72 * time.Hour)
)

const (
	runMinutes = 120
	aaMinutes  = 72 * 60
	share      = 0.02
	killEvery  = 30 // minutes
)

func main() {
	rng := rand.New(rand.NewPCG(20261126, 8))
	poisson := func(mean float64) float64 {
		return distuv.Poisson{Lambda: mean, Src: rng}.Rand()
	}
	traffic := func(t time.Time) float64 {
		h := float64(t.Hour()) + float64(t.Minute())/60
		return 50000 * (1 + 0.3*math.Sin(2*math.Pi*(h-14)/24)) * math.Exp(0.05*rng.NormFloat64())
	}

	// The A/A period: both groups get 2%, nothing injected.
	var aaC, aaE []float64
	for i := range aaMinutes {
		total := traffic(aaStart.Add(time.Duration(i) * time.Minute))
		aaC = append(aaC, poisson(share*total))
		aaE = append(aaE, poisson(share*total))
	}
	write("aa/downloads-control.csv", aaStart, aaC)
	write("aa/downloads-experiment.csv", aaStart, aaE)

	// The run: an instance of the experiment group dies at 12:00, 12:30,
	// 13:00 and 13:30.
	var dC, dE, avC, avE []float64
	for i := range runMinutes {
		total := traffic(runStart.Add(time.Duration(i) * time.Minute))
		sinceKill := i % killEvery
		lost := 0.0
		if sinceKill < 2 {
			lost = 0.10
		}
		c := poisson(share * total)
		e := poisson(share * total * (1 - lost))
		dC, dE = append(dC, c), append(dE, e)
		failC := poisson(0.0005 * c)
		extra := 0.0
		if sinceKill == 0 {
			extra = 0.01
		}
		failE := poisson((0.0005 + extra) * e)
		avC = append(avC, round(1-failC/c, 5))
		avE = append(avE, round(1-failE/e, 5))
	}
	write("run/downloads-control.csv", runStart, dC)
	write("run/downloads-experiment.csv", runStart, dE)
	write("run/availability-control.csv", runStart, avC)
	write("run/availability-experiment.csv", runStart, avE)

	apC := ar1(rng, runMinutes, 0.6, 0.94, 0.006)
	apE := ar1(rng, runMinutes, 0.6, 0.94, 0.006)
	for i := range apE {
		if i%killEvery == 0 {
			apE[i] -= 0.03
		}
		apC[i], apE[i] = round(apC[i], 4), round(apE[i], 4)
	}
	write("run/apdex-control.csv", runStart, apC)
	write("run/apdex-experiment.csv", runStart, apE)
}

// ar1 returns n points of a stationary AR(1) process with lag-1
// autocorrelation rho, mean mu and marginal standard deviation sd.
func ar1(rng *rand.Rand, n int, rho, mu, sd float64) []float64 {
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

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// write writes one value a minute from start to the file name.
func write(name string, start time.Time, v []float64) {
	s := series.Series{T: make([]int64, len(v)), V: v}
	for i := range v {
		s.T[i] = start.Add(time.Duration(i) * time.Minute).UnixMilli()
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(name)
	if err != nil {
		log.Fatal(err)
	}
	if err := series.WriteCSV(f, s); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
