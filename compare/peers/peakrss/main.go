// Command peakrss runs one Mann-Whitney U test once on a benchmark data set
// and prints the peak resident memory it added on top of the loaded input:
//
//	go run ./peakrss -impl ours -set continuous1m
//
// -impl is ours (p-value only), ours-shift (with the Hodges-Lehmann
// interval) or moremath. The data directory is -benchdata, default
// $CHAOSSTAT_BENCHDATA or /tmp/chaosbench.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/aclements/go-moremath/stats"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/compare/peers"
)

// maxRSS is the peak resident set size of this process in bytes (VmHWM).
func maxRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				log.Fatal(err)
			}
			return kb * 1024
		}
	}
	log.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// resetPeak sets VmHWM to the current RSS (Linux >= 4.0), so that the peak
// is this process's own and not inherited from the go command through fork.
func resetPeak() {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		log.Fatal(err)
	}
}

func main() {
	impl := flag.String("impl", "ours", "ours, ours-shift or moremath")
	set := flag.String("set", "continuous1m", "data set")
	dir := flag.String("benchdata", peers.DataDir(), "data directory")
	flag.Parse()

	x, y, err := peers.Load(*dir, *set)
	if err != nil {
		log.Fatal(err)
	}
	runtime.GC()
	resetPeak()
	input := int64(8 * (len(x) + len(y)))
	before := maxRSS()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)

	var u, p float64
	switch *impl {
	case "ours", "ours-shift":
		r, err := compare.MannWhitneyU(x, y, compare.Options{NoShift: *impl == "ours"})
		if err != nil {
			log.Fatal(err)
		}
		u, p = r.Statistic, r.P
	case "moremath":
		r, err := stats.MannWhitneyUTest(x, y, stats.LocationDiffers)
		if err != nil {
			log.Fatal(err)
		}
		u, p = r.U, r.P
	default:
		log.Fatalf("unknown -impl %q", *impl)
	}

	after := maxRSS()
	runtime.ReadMemStats(&ms1)
	mb := func(b int64) float64 { return float64(b) / 1e6 }
	fmt.Printf("%s %s: U=%.1f p=%.17g input %.1f MB, peak RSS %.1f MB before the test, %.1f MB after: extra %.1f MB = %.2f× input; allocated %.1f MB\n",
		*impl, *set, u, p, mb(input), mb(before), mb(after), mb(after-before), float64(after-before)/float64(input), mb(int64(ms1.TotalAlloc-ms0.TotalAlloc)))
}
