package criteria_test

// Tests of the correlation criterion on data shapes the synthetic week of
// testdata does not have (issue 14): a relation that shows only during
// incidents, daily cycles that run opposite or are shared by two unrelated
// series, spikes, gaps, random walks. Every series is made here by a
// seeded generator; the shapes are described at each one.

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// shapeStart is 2025-11-03T00:00:00Z, a Monday (Unix seconds).
const shapeStart = 1762128000

// incidentPair is the case: satisfaction (per-minute Apdex) with a
// daily load cycle that lowers it (0.06 from 03:00 to 15:00 UTC), slow
// fluctuations of its own (AR(1), phi 0.9, innovations sd 0.006, so sd
// 0.014) and measurement noise (sd 0.004); and throughput (requests/s)
// whose daily cycle runs the other way (it rises with load, 300 to 1100)
// with fluctuations of its own (AR(1), phi 0.9, innovations 12, sd 28;
// white noise sd 15), independent of satisfaction's. The two are related
// only through a dozen incidents of 10 to 45 minutes that drop Apdex by
// 0.05 to 0.25 and, lag minutes later, throughput by 0.5 to 2.5 times as
// many hundreds of requests/s (failed requests are retried less and
// shed). step is the sampling interval in minutes; days the length.
func incidentPair(rng *rand.Rand, days int, lag int) (sat, metric series.Series) {
	n := days * 1440
	inc := make([]float64, n)
	for k := 0; k < 4*days; k++ {
		at := 60 + rng.IntN(n-120)
		length := 10 + rng.IntN(36)
		depth := 0.05 + 0.2*rng.Float64()
		for i := at; i < min(n, at+length); i++ {
			inc[i] = max(inc[i], depth)
		}
	}
	sat = series.Series{T: make([]int64, n), V: make([]float64, n)}
	metric = series.Series{T: make([]int64, n), V: make([]float64, n)}
	var u, v float64
	for i := range n {
		hour := float64(i%1440) / 60
		load := 0.5 - 0.5*math.Cos(2*math.Pi*(hour-3)/24)
		u = 0.9*u + 0.006*rng.NormFloat64()
		v = 0.9*v + 12*rng.NormFloat64()
		t := int64(shapeStart+60*i) * 1000
		sat.T[i], metric.T[i] = t, t
		sat.V[i] = 0.96 - 0.06*load + u + 0.004*rng.NormFloat64() - inc[i]
		var past float64
		if i >= lag {
			past = inc[i-lag]
		}
		metric.V[i] = 300 + 800*load + v + 15*rng.NormFloat64() - 1000*past
	}
	return sat, metric
}

func TestShapesDiag(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	sat, m := incidentPair(rng, 3, 2)
	for _, d := range []criteria.Differencing{criteria.FirstDifference, criteria.Deseasonalised} {
		r, err := criteria.Evaluate(sat, criteria.Candidate{Name: "m", Series: m}, time.Time{}, criteria.Options{Differencing: d})
		if err != nil {
			t.Fatal(err)
		}
		c := r.Correlation
		t.Logf("%v: pass %v coef %.3f p %.3g lag %v comp %s level %.2f pw %.3f ar %d", d, c.Pass, c.Coefficient, c.P, c.Lag, c.Component, c.LevelCoefficient, c.PrewhitenedCoefficient, c.AROrder)
		for _, cm := range c.Components {
			t.Logf("   %+v", cm)
		}
		for _, cm := range c.Methods {
			t.Logf("   %+v", cm)
		}
	}
}
