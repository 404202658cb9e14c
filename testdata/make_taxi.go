//go:build ignore

// make_taxi cuts the sample data files in this directory out of the NYC taxi
// series (see README.md), copying rows verbatim: values and timestamps are
// unchanged, only the rows outside the chosen afternoons are left out.
//
// Run from the repository root:
//
//	go run testdata/make_taxi.go testdata/nyc_taxi.csv
//
// The input is the Numenta Anomaly Benchmark's realKnownCause/nyc_taxi.csv
// in chaosstat's CSV format (timestamp,value with RFC 3339 local times),
// as testdata/nyc_taxi.csv holds it.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// The afternoon studied: 12:00 up to (not including) 18:00, New York time,
// twelve 30-minute buckets a day.
const firstHour, endHour = 12, 18

var files = []struct {
	name string
	days []string // dates, New York time
}{
	// Four ordinary Thursdays before Thanksgiving.
	{"taxi_control.csv", []string{"2014-10-30", "2014-11-06", "2014-11-13", "2014-11-20"}},
	// Thanksgiving, Thursday 2014-11-27: the steady state breaks.
	{"taxi_experiment.csv", []string{"2014-11-27"}},
	// Two ordinary Thursdays a week apart: a pair that should not differ.
	{"taxi_2014-11-13.csv", []string{"2014-11-13"}},
	{"taxi_2014-11-20.csv", []string{"2014-11-20"}},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("make_taxi: ")
	if len(os.Args) != 2 {
		log.Fatal("usage: go run testdata/make_taxi.go /path/to/nyc_taxi.csv")
	}
	src, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
	if lines[0] != "timestamp,value" {
		log.Fatalf("%s:1: header %q, want timestamp,value", os.Args[1], lines[0])
	}
	for _, f := range files {
		var b strings.Builder
		b.WriteString("timestamp,value\n")
		n := 0
		for _, line := range lines[1:] {
			// 2014-11-27T12:00:00-05:00,13282: date, then hour.
			if len(line) < 13 || !keep(line[:10], f.days) {
				continue
			}
			var hour int
			if _, err := fmt.Sscanf(line[11:13], "%d", &hour); err != nil {
				log.Fatalf("%s: bad timestamp in %q", os.Args[1], line)
			}
			if hour >= firstHour && hour < endHour {
				b.WriteString(line)
				b.WriteByte('\n')
				n++
			}
		}
		if want := 2 * (endHour - firstHour) * len(f.days); n != want {
			log.Fatalf("%s: %d rows, want %d", f.name, n, want)
		}
		if err := os.WriteFile(filepath.Join("testdata", f.name), []byte(b.String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func keep(date string, days []string) bool {
	for _, d := range days {
		if date == d {
			return true
		}
	}
	return false
}
