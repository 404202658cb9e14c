package criteria_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// TestEvaluateAllContext: a done context stops the evaluation with an
// error wrapping its reason, before the first candidate or in the middle
// of the daily profile's removal.
func TestEvaluateAllContext(t *testing.T) {
	sat := readCriteria(t, "satisfaction")
	cs := candidates(t, "good", "random_walk")

	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := criteria.EvaluateAllContext(canceled, sat, cs, time.Time{}, criteria.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v, want context.Canceled", err)
	}

	// 70 days of minutes (100,800 points): the evaluation takes most of a
	// second on 2 cores (BENCHMARKS.md); a deadline of 50 ms stops it part
	// way. TestCrSeasonalAdjustContext checks the daily profile's own
	// looks at the context, now that it takes tens of milliseconds.
	// The bound on the time taken only catches a computation that ran on
	// (it is not timed otherwise).
	const n = 70 * 1440
	rng := rand.New(rand.NewPCG(1, 2))
	mk := func(level float64) series.Series {
		s := series.Series{T: make([]int64, n), V: make([]float64, n)}
		for i := range n {
			s.T[i] = 1_762_041_600_000 + int64(i)*60_000
			s.V[i] = level*(1+0.3*math.Sin(2*math.Pi*float64(i)/1440)) + rng.NormFloat64()
		}
		return s
	}
	long, m := mk(100), mk(50)
	ctx, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	start := time.Now()
	_, err := criteria.EvaluateAllContext(ctx, long, []criteria.Candidate{{Name: "m", Series: m}}, time.Time{}, criteria.Options{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("past its deadline: err %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("stopped %v after the start, want within a few ms of the 50 ms deadline", took)
	}
}
