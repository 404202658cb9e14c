package criteria

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
)

// TestCrMedianMatchesSort: the quickselect median is the sorted one, for
// odd and even lengths, with ties (values rounded to a few levels).
func TestCrMedianMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 200; n++ {
		for _, levels := range []float64{3, 1e6} {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(int(rng.Float64() * levels))
			}
			s := slices.Clone(x)
			slices.Sort(s)
			want := s[n/2]
			if n%2 == 0 {
				want = (s[n/2-1] + s[n/2]) / 2
			}
			if got := crMedian(x); got != want {
				t.Fatalf("n %d levels %v: median %v, sorted %v", n, levels, got, want)
			}
		}
	}
}

// TestCrEffectiveShareSeasonal: two independent AR(1) series (φ = 0.59,
// a per-minute 0.9 seen every 5 minutes; 864 points, three days at 5
// minutes), each less the median of the same time ±3 steps on the other
// days (crSeasonalAdjust). Pearson's test at lag 0 with the n/5 effective
// n rejects about twice as often as alpha (measured 0.110), since the
// adjustment ties each day's residuals to the others' at whole-day lags;
// with those lags in the sum (crEffectiveShareSeasonal) it rejects at
// about alpha (measured 0.048; 0.065 with the slow level removed as
// well). 400 draws; tolerance 3 binomial
// standard errors at 0.05, 3·√(0.05·0.95/400) = 0.033.
func TestCrEffectiveShareSeasonal(t *testing.T) {
	const reps, alpha = 400, 0.05
	tol := 3 * math.Sqrt(alpha*(1-alpha)/reps)
	rng := rand.New(rand.NewPCG(7, 7))
	ar := func(n int) []float64 {
		x := make([]float64, n)
		var v float64
		for i := range x {
			v = 0.59*v + rng.NormFloat64()
			x[i] = v
		}
		return x
	}
	var plain, seasonal, both int
	for range reps {
		a, _ := crSeasonalAdjust(context.Background(), ar(864), 288, 3)
		b, _ := crSeasonalAdjust(context.Background(), ar(864), 288, 3)
		reject := func(a, b []float64, s int) bool {
			sh, err := crEffectiveShareSeasonal(a, b, false, s, 3)
			if err != nil {
				t.Fatal(err)
			}
			r, err := compare.PearsonR(a, b, compare.CorrelationOptions{EffectiveN: sh * float64(len(a))})
			if err != nil {
				t.Fatal(err)
			}
			return r.P <= alpha
		}
		if reject(a, b, 0) {
			plain++
		}
		if reject(a, b, 288) {
			seasonal++
		}
		if reject(crRemoveSlow(a, 36, 6), crRemoveSlow(b, 36, 6), 288) {
			both++
		}
	}
	fp, fs, fb := float64(plain)/reps, float64(seasonal)/reps, float64(both)/reps
	t.Logf("n/5 sum %.3f, with whole-day lags %.3f, and slow level removed %.3f", fp, fs, fb)
	if math.Abs(fs-alpha) > tol || math.Abs(fb-alpha) > tol {
		t.Errorf("with whole-day lags %.3f, slow level removed too %.3f; want %.2f ± %.3f", fs, fb, alpha, tol)
	}
	if fp < alpha+tol {
		t.Errorf("n/5 sum %.3f: the simulation should show it liberal (measured 0.110)", fp)
	}
}
