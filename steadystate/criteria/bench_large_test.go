package criteria_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// BenchmarkEvaluateLarge: EvaluateAll with the default options on one
// seeded pair of per-minute series (issueShape: incidents two minutes
// late, opposite daily cycles) of 70 days (100,800 points) and 695 days
// (1,000,800 points, two years: what a server or a notebook may send).
// The 70 days once more with a lag search of ±24h (2,881 lags, each
// O(n)). The series are made once, outside the timing. BENCHMARKS.md has
// the figures.
func BenchmarkEvaluateLarge(b *testing.B) {
	for _, c := range []struct {
		days   int
		maxLag time.Duration
	}{{70, 0}, {695, 0}, {70, 24 * time.Hour}} {
		sh := issueShape
		sh.days = c.days
		sat, m := sh.pair(rand.New(rand.NewPCG(1, 2)))
		cs := []criteria.Candidate{{Name: "m", Series: m}}
		name := fmt.Sprintf("n=%d", c.days*1440)
		if c.maxLag > 0 {
			name += ",max-lag=" + compare.ShortDuration(c.maxLag)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := criteria.EvaluateAll(sat, cs, time.Time{}, criteria.Options{MaxLag: c.maxLag}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
