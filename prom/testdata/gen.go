//go:build ignore

// gen writes the data the prom package's integration tests backfill into a
// real Prometheus, and the CSV files of one hour of it. Run it from the
// repository root by hand (not by CI) after changing it:
//
//	go run prom/testdata/gen.go
//
// It writes, in prom/testdata:
//
//   - latency.om: OpenMetrics text for promtool tsdb create-blocks-from
//     openmetrics: checkout_latency_ms{group="control"} and
//     {group="experiment"}, one sample a minute for four weeks, from
//     2026-01-05T00:00:00Z (a Monday) to 2026-02-01T23:59:00Z, timestamps
//     in Unix seconds, ending "# EOF".
//   - control_hour.csv, experiment_hour.csv: the two series from
//     2026-02-01T12:00:00Z to 13:00:00Z inclusive (61 points), written from
//     the same values, for the CSV-against-query comparison.
//
// The values are a synthetic latency in milliseconds: 120 ms plus a daily
// cycle (+-30 ms, peaking at 14:00 UTC), 15 ms lower on Saturdays and
// Sundays, plus Gaussian noise (sd 4 ms) from a PCG generator seeded with
// (2026, 6), rounded to 0.001 ms. The experiment group is 10 ms slower from
// 2026-02-01T12:00Z to 13:00Z, an injected fault.
package main

import (
	"bufio"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

const (
	start   = 1767571200 // 2026-01-05T00:00:00Z, a Monday
	minutes = 4 * 7 * 24 * 60
	fault0  = 1769947200 // 2026-02-01T12:00:00Z
	fault1  = 1769950800 // 2026-02-01T13:00:00Z
)

func main() {
	dir := filepath.Join("prom", "testdata")
	rng := rand.New(rand.NewPCG(2026, 6))
	groups := []string{"control", "experiment"}
	vals := make([][]float64, len(groups))
	for g := range groups {
		vals[g] = make([]float64, minutes)
		for i := range minutes {
			ts := int64(start + 60*i)
			t := time.Unix(ts, 0).UTC()
			hour := float64(t.Hour()) + float64(t.Minute())/60
			v := 120 + 30*math.Cos(2*math.Pi*(hour-14)/24) + 4*rng.NormFloat64()
			if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
				v -= 15
			}
			if groups[g] == "experiment" && ts >= fault0 && ts <= fault1 {
				v += 10
			}
			vals[g][i] = math.Round(v*1000) / 1000
		}
	}

	f, err := os.Create(filepath.Join(dir, "latency.om"))
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# HELP checkout_latency_ms Synthetic checkout latency (prom/testdata/gen.go).")
	fmt.Fprintln(w, "# TYPE checkout_latency_ms gauge")
	for g, name := range groups {
		for i, v := range vals[g] {
			fmt.Fprintf(w, "checkout_latency_ms{group=%q} %s %d\n", name, strconv.FormatFloat(v, 'g', -1, 64), start+60*i)
		}
	}
	fmt.Fprintln(w, "# EOF")
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}

	for g, name := range groups {
		f, err := os.Create(filepath.Join(dir, name+"_hour.csv"))
		if err != nil {
			log.Fatal(err)
		}
		w := bufio.NewWriter(f)
		fmt.Fprintln(w, "timestamp,value")
		for i, v := range vals[g] {
			if ts := start + 60*i; ts >= fault0 && ts <= fault1 {
				fmt.Fprintf(w, "%d,%s\n", ts, strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
}
