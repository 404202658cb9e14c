package criteria_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// BenchmarkEvaluateLarge: EvaluateAll with the default options on one
// seeded pair of per-minute series (issueShape: incidents two minutes
// late, opposite daily cycles) of 70 days (100,800 points) and 695 days
// (1,000,800 points, two years: what a server or a notebook may send).
// The series are made once, outside the timing. BENCHMARKS.md has the
// figures.
func BenchmarkEvaluateLarge(b *testing.B) {
	for _, days := range []int{70, 695} {
		sh := issueShape
		sh.days = days
		sat, m := sh.pair(rand.New(rand.NewPCG(1, 2)))
		cs := []criteria.Candidate{{Name: "m", Series: m}}
		b.Run(fmt.Sprintf("n=%d", days*1440), func(b *testing.B) {
			for b.Loop() {
				if _, err := criteria.EvaluateAll(sat, cs, time.Time{}, criteria.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
