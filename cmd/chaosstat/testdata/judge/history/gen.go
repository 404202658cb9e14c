//go:build ignore

// gen writes the data of the judge's history cases in this folder: a
// metric of a control and an experiment group that wanders slowly (100 +
// 5 times ARMA(1,1) noise, φ 0.9, θ −0.5, the noise of
// steadystate.TestJudgeHistory), an A/A run of 540 minutes a point a
// minute: window-*.csv the last 60 (2026-02-01 12:00 to 12:59 UTC), the
// window judged, and before-*.csv the 480 before it (eight hours,
// compare.MinHistoryChecked), the history. The seed is fixed, so running
// it again writes the same files. Run it from the repository root (6 is
// the default seed, the files' own):
//
//	go run cmd/chaosstat/testdata/judge/history/gen.go 6
//
// The seed was chosen, and the golden cases say so: 6 is the first seed
// from 1 whose window, judged alone, is a false alarm (disproved), which
// about one such window in five is (TestJudgeHistory), so that the pair
// of cases shows what the history is for. Seeds 1 to 4 give windows that
// are nodata judged alone; 5 one that passes.
package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/chaosstat/chaosstat/internal/simnoise"
)

const (
	dir     = "cmd/chaosstat/testdata/judge/history"
	history = 480        // minutes before the window
	window  = 60         // minutes judged
	start   = 1769947200 // 2026-02-01T12:00:00Z, Unix seconds: the window's start
)

// arma returns n minutes of 100 + 5 times ARMA(1,1) noise (φ 0.9, θ −0.5,
// simnoise.ARMA, the judge's tests' noise).
func arma(rng *rand.Rand, n int) []float64 {
	x := simnoise.ARMA(rng, n, 0.9, -0.5)
	for i := range x {
		x[i] = 100 + 5*x[i]
	}
	return x
}

func write(name string, t0 int64, v []float64) {
	b := []byte("timestamp,value\n")
	for i, x := range v {
		b = fmt.Appendf(b, "%d,%.3f\n", t0+60*int64(i), x)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	seed := uint64(6)
	if len(os.Args) > 1 {
		s, err := strconv.ParseUint(os.Args[1], 10, 64)
		if err != nil {
			log.Fatal(err)
		}
		seed = s
	}
	rng := rand.New(rand.NewPCG(seed, 60))
	for _, g := range []string{"control", "experiment"} {
		v := arma(rng, history+window)
		write("before-"+g+".csv", start-60*history, v[:history])
		write("window-"+g+".csv", start, v[history:])
	}
}
