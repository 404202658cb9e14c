package steadystate

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkJudge judges a 20-metric hypothesis on a week of per-minute data
// per group (10,080 points a group, AR(1) with rho 0.8): with the default
// test (two time series: compare.TimeSeries), with Mann-Whitney on the same
// values as plain samples, and with a mix of five metrics each by
// Mann-Whitney, Welch, Kolmogorov-Smirnov and the p99 bootstrap.
func BenchmarkJudge(b *testing.B) {
	const metrics, n = 20, 7 * 24 * 60
	rng := rand.New(rand.NewPCG(1, 10080))
	timed := make([]Data, metrics)
	plain := make([]Data, metrics)
	for i := range timed {
		ctl := judgeAR1(rng, n, 0.8, 100, 10)
		exp := judgeAR1(rng, n, 0.8, 100+float64(i%3), 10)
		timed[i] = Data{Control: judgeTimed(ctl), Experiment: judgeTimed(exp)}
		plain[i] = Data{Control: judgeSample(ctl...), Experiment: judgeSample(exp...)}
	}
	hyp := func(tests ...Test) Hypothesis {
		h := Hypothesis{Name: "bench"}
		for i := range metrics {
			m := Metric{Name: fmt.Sprint("m", i), Direction: Increase, Tolerance: 0.05, Test: tests[i%len(tests)]}
			if m.Test == QuantileTest {
				m.Quantile = 0.99
			}
			h.Metrics = append(h.Metrics, m)
		}
		return h
	}
	for _, c := range []struct {
		name string
		h    Hypothesis
		data []Data
	}{
		{"timeseries", hyp(AutoTest), timed},
		{"mannwhitney", hyp(MannWhitneyTest), plain},
		{"mixed", hyp(MannWhitneyTest, WelchTest, KSTest, QuantileTest), plain},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Judge(c.h, c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
