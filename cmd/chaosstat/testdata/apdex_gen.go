//go:build ignore

// apdex_gen writes apdex_timed.csv, the request log the apdex command's
// golden cases score minute by minute. Run it from this directory:
//
//	go run apdex_gen.go
//
// Ten minutes from 2023-11-14T22:10:00Z, 150 requests a minute at random
// times, response times exponential with mean 0.3 s and 1% failures;
// minute 4 (22:14) has no requests at all (the log shipper was down), and
// minute 7 (22:17) is an incident: mean 2 s and 20% failures.
package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
)

func main() {
	rng := rand.New(rand.NewPCG(2023, 11))
	const start = 1_699_999_800_000 // 2023-11-14T22:10:00Z
	type row struct {
		t   int64
		d   float64
		err bool
	}
	var rows []row
	for m := int64(0); m < 10; m++ {
		if m == 4 {
			continue
		}
		mean, pErr := 0.3, 0.01
		if m == 7 {
			mean, pErr = 2, 0.2
		}
		for range 150 {
			rows = append(rows, row{
				t:   start + m*60_000 + rng.Int64N(60_000),
				d:   rng.ExpFloat64() * mean,
				err: rng.Float64() < pErr,
			})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return int(a.t - b.t) })
	f, err := os.Create("apdex_timed.csv")
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "timestamp,duration_seconds,error")
	for _, r := range rows {
		fmt.Fprintf(w, "%d.%03d,%.3f,%t\n", r.t/1000, r.t%1000, r.d, r.err)
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
