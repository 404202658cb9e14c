//go:build ignore

// gen writes the synthetic data that chaosstat demo embeds, from a fixed seed,
// so that running it again writes the same files byte for byte. Run it from
// this folder:
//
//	go run gen.go
//
// Nothing here is measured from a real service. The model follows the case
// study behind chaosstat: a download-delivery service with an SLA of 99.95%
// availability, its traffic split by weighted DNS 96% to the main fleet, 2% to
// a control group and 2% to an experiment group, and on the day of the run one
// instance of the experiment group killed every 30 minutes from 12:00 to 17:30
// UTC (twelve kills; the run ends at 18:00).
//
// Time: 28 days of history, Thursday 2026-10-29 00:00 UTC to Thursday
// 2026-11-26 00:00, then the day of the run, 2026-11-26 00:00 to 2026-11-27
// 00:00. One point a minute.
//
// Traffic. The whole service's expected downloads per minute are
//
//	rate(m) = 50,000 · (0.6 + 0.4 cos(2π(h − 20)/24)) · (1 + 0.1 cos(2π(day − 5.5)/7))
//
// (hour of day h, UTC; peak at 20:00, a fifth of it at 08:00, 10% more at
// the weekend), times a burst factor shared by every group, exp(b_t) with b
// an AR(1) series over minutes (lag-1 correlation 0.8, sd 0.03), times the
// customers' response to the service's quality, exp(0.05 q_t). The quality q
// is an AR(1) series over minutes with lag-1 correlation 0.9 and sd 1, shared
// by every group (it is the fleet's, not the split's). Each group's downloads
// are Poisson with mean rate · share · the group's split multiplier: 0.96 for
// main, 0.02 for control and experiment.
//
// The split. Weighted DNS is answered through resolvers that cache it, so the
// 2% groups do not get 2% minute by minute: each group's multiplier is 1 + d,
// constant within each 30-minute block, d an AR(1) series over blocks (lag-1
// correlation 0.7, sd 0.10, clipped to ±0.3), rescaled per day so that the
// group's expected daily total is exactly its 2% (the model of
// compare/testdata/aa's wandering split). A resolver brings its own customers:
// a group that holds more traffic than its share holds more of a slow ISP's,
// so its Apdex is lower by 0.05·d (centred per day: over a day every group
// serves the same customers). The main fleet's multiplier is 1.
//
// Apdex per minute of a group: 0.94 − 0.02·(load − 0.6) + 0.01·q_t + the
// split's offset, plus the sampling noise of the group's requests
// (sd √(A(1 − A)/n), n its downloads that minute), rounded to 4 decimals.
// load = rate(m)/50,000 (Apdex is lower at the peak).
//
// Availability per minute of a group: 1 − failures/n, failures Poisson with
// mean n · 0.0002 · exp(−0.2 q_t) (more failures when the quality is low), rounded to 6 decimals.
//
// Satisfaction (the signal the three criteria are judged against) is the
// share of the main fleet's client sessions that finished a download without
// a retry or an abandonment, as client telemetry would report it:
// 0.90 + 0.015 q_t + noise (sd 0.003), rounded to 4 decimals. Only the last
// week of the history is written.
//
// The run (2026-11-26, experiment group only): in each kill minute
// (12:00, 12:30, ..., 17:30) and the two after, 10% of the group's downloads
// are lost while clients retry elsewhere; in the kill minute the failure rate
// rises by 1% of requests and Apdex drops by 0.03, by 0.015 the minute after.
//
// Files (gzip-compressed CSV "timestamp,value", Unix seconds):
//
//	history-{control,experiment}-{downloads,availability,apdex}.csv.gz  28 days
//	week-main-{downloads,availability,apdex}.csv.gz, week-satisfaction.csv.gz  the last 7 days of the history
//	run-{control,experiment}-{downloads,availability,apdex}.csv.gz  the day of the run
package main

import (
	"bytes"
	"compress/gzip"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/chaosstat/chaosstat/series"
)

var (
	historyStart = time.Date(2026, 10, 29, 0, 0, 0, 0, time.UTC)
	runDay       = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
)

const (
	historyDays = 28
	days        = historyDays + 1
	minutes     = days * 1440
	peak        = 50000.0
	share       = 0.02

	wanderSD, wanderRho, wanderClip = 0.10, 0.7, 0.3
	apdexPerWander                  = 0.05

	killFrom, killTo = 12 * 60, 18 * 60 // minutes of the run day: kills at 12:00 ... 17:30
	killEvery        = 30
)

func rate(m int) float64 {
	h := float64(m%1440) / 60
	day := float64(m)/1440 + 3 // 2026-10-29 is a Thursday: day 0 of the week is Monday
	daily := 0.6 + 0.4*math.Cos(2*math.Pi*(h-20)/24)
	weekly := 1 + 0.1*math.Cos(2*math.Pi*(math.Mod(day, 7)-5.5)/7)
	return peak * daily * weekly
}

func main() {
	rng := rand.New(rand.NewPCG(20261126, 30))
	q := ar1(rng, minutes, 0.9, 1)
	burst := ar1(rng, minutes, 0.8, 0.03)
	sat := make([]float64, minutes)
	for m := range sat {
		sat[m] = round(0.90+0.015*q[m]+0.003*rng.NormFloat64(), 4)
	}
	type group struct {
		name  string
		share float64
		mult  []float64
	}
	ones := make([]float64, minutes)
	for i := range ones {
		ones[i] = 1
	}
	groups := []group{
		{"main", 0.96, ones},
		{"control", share, wander(rng)},
		{"experiment", share, wander(rng)},
	}
	for _, g := range groups {
		off := make([]float64, minutes)
		for d := 0; d < days; d++ {
			var sum float64
			for m := d * 1440; m < (d+1)*1440; m++ {
				off[m] = -apdexPerWander * (g.mult[m] - 1)
				sum += off[m]
			}
			for m := d * 1440; m < (d+1)*1440; m++ {
				off[m] -= sum / 1440
			}
		}
		dl := make([]float64, minutes)
		av := make([]float64, minutes)
		ap := make([]float64, minutes)
		for m := range dl {
			r := rate(m)
			lambda := r * g.share * g.mult[m] * math.Exp(burst[m]+0.05*q[m])
			failRate := 0.0002 * math.Exp(-0.2*q[m])
			apdex := 0.94 - 0.02*(r/peak-0.6) + 0.01*q[m] + off[m]
			if g.name == "experiment" && m >= historyDays*1440 {
				k := m - historyDays*1440
				if k >= killFrom && k < killTo {
					switch k % killEvery {
					case 0:
						lambda *= 0.9
						failRate += 0.01
						apdex -= 0.03
					case 1:
						lambda *= 0.9
						apdex -= 0.015
					case 2:
						lambda *= 0.9
					}
				}
			}
			n := poisson(rng, lambda)
			dl[m] = n
			fail := poisson(rng, n*failRate)
			av[m] = round(1-fail/max(n, 1), 6)
			apdex = min(1, max(0, apdex))
			ap[m] = round(apdex+math.Sqrt(apdex*(1-apdex)/max(n, 1))*rng.NormFloat64(), 4)
		}
		for _, s := range []struct {
			metric string
			v      []float64
		}{{"downloads", dl}, {"availability", av}, {"apdex", ap}} {
			if g.name == "main" {
				write("week-main-"+s.metric, historyStart.AddDate(0, 0, historyDays-7), s.v[(historyDays-7)*1440:historyDays*1440])
				continue
			}
			write("history-"+g.name+"-"+s.metric, historyStart, s.v[:historyDays*1440])
			write("run-"+g.name+"-"+s.metric, runDay, s.v[historyDays*1440:])
		}
	}
	write("week-satisfaction", historyStart.AddDate(0, 0, historyDays-7), sat[(historyDays-7)*1440:historyDays*1440])
}

// wander returns one group's per-minute split multipliers (see the doc).
func wander(rng *rand.Rand) []float64 {
	const block = 30
	mult := make([]float64, minutes)
	innov := wanderSD * math.Sqrt(1-wanderRho*wanderRho)
	d := wanderSD * rng.NormFloat64()
	for b := 0; b*block < minutes; b++ {
		if b > 0 {
			d = wanderRho*d + innov*rng.NormFloat64()
		}
		x := 1 + max(-wanderClip, min(wanderClip, d))
		for m := b * block; m < (b+1)*block; m++ {
			mult[m] = x
		}
	}
	for day := 0; day < days; day++ {
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

// ar1 returns n points of a stationary AR(1) series with mean 0, lag-1
// correlation rho and standard deviation sd.
func ar1(rng *rand.Rand, n int, rho, sd float64) []float64 {
	x := make([]float64, n)
	innov := sd * math.Sqrt(1-rho*rho)
	x[0] = sd * rng.NormFloat64()
	for i := 1; i < n; i++ {
		x[i] = rho*x[i-1] + innov*rng.NormFloat64()
	}
	return x
}

func poisson(rng *rand.Rand, mean float64) float64 {
	if mean <= 0 {
		return 0
	}
	return distuv.Poisson{Lambda: mean, Src: rng}.Rand()
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// write writes one value a minute from start to name.csv.gz.
func write(name string, start time.Time, v []float64) {
	s := series.Series{T: make([]int64, len(v)), V: v}
	for i := range v {
		s.T[i] = start.Add(time.Duration(i) * time.Minute).UnixMilli()
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	if err := series.WriteCSV(zw, s); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name+".csv.gz", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
