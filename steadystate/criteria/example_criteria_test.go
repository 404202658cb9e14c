package criteria_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// Two days of per-minute data: a satisfaction signal, an error rate that
// follows it three minutes late, and a counter that only drifts upward.
func ExampleEvaluateAll() {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 2 * 1440
	start := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC).UnixMilli()
	sat := series.Series{Name: "apdex", T: make([]int64, n), V: make([]float64, n)}
	errs := series.Series{Name: "error_ratio", T: make([]int64, n), V: make([]float64, n)}
	drift := series.Series{Name: "queue_depth", T: make([]int64, n), V: make([]float64, n)}
	health := make([]float64, n)
	var u, q float64
	for i := range n {
		u = 0.9*u + 0.01*rng.NormFloat64()
		health[i] = 0.95 + u
		t := start + int64(i)*60_000
		sat.T[i], errs.T[i], drift.T[i] = t, t, t
		sat.V[i] = health[i] + 0.003*rng.NormFloat64()
		errs.V[i] = 0.5*(1-health[max(0, i-3)]) + 0.002*rng.NormFloat64()
		q += 0.1 + rng.NormFloat64()
		drift.V[i] = q
	}
	now := time.UnixMilli(sat.T[n-1]).Add(20 * time.Second)
	rep, err := criteria.EvaluateAll(sat, []criteria.Candidate{
		{Name: "error_ratio", Series: errs},
		{Name: "queue_depth", Series: drift},
	}, now, criteria.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range rep.Metrics {
		c := m.Correlation
		corr := "fails"
		if c.Pass {
			corr = fmt.Sprintf("passes (%+.1f, %v late)", c.Coefficient, c.Lag)
		}
		fmt.Printf("%s: correlation %s, real time %v, measurable %v\n", m.Name, corr, m.RealTime.Pass, m.Measurability.Pass)
	}
	fmt.Println("all pass:", rep.Pass())
	// Output:
	// error_ratio: correlation passes (-0.8, 3m0s late), real time true, measurable true
	// queue_depth: correlation fails, real time true, measurable true
	// all pass: false
}

// read reads a series of the synthetic week in testdata.
func read(name string) series.Series {
	s, err := series.ReadFile("testdata/"+name+".csv", nil)
	if err != nil {
		panic(err)
	}
	return s
}

// The table a team writes by hand, from the synthetic week in
// testdata/criteria.
func ExampleReport_WriteTable() {
	rep, err := criteria.EvaluateAll(read("satisfaction"), []criteria.Candidate{
		{Name: "p99_latency", Series: read("good")},
		{Name: "p99_hourly", Series: read("good_hourly")},
	}, time.Date(2025, 11, 8, 23, 59, 30, 0, time.UTC), criteria.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep.WriteTable(os.Stdout)
	// Output:
	// metric       correlation                                           real-time                           measurability                 verdict
	// p99_latency  PASS -0.99 at +2m, p < 1e-15, pearson deseasonalised  PASS every 1m, 2m late, 30s old     PASS 100.0% complete, no gap  PASS
	// p99_hourly   FAIL -0.19 at lag 0, p = 0.124, spearman prewhitened  FAIL every 1h, delay ?, 59m30s old  PASS 100.0% complete, no gap  FAIL
	//
	// correlation: |spearman, or pearson on levels,| >= 0.5 and p <= 0.05 on the best of the deseasonalised levels (daily cycle and trend removed), their changes and prewhitened surprises, at the prewhitened peak within ±15m (p corrected for autocorrelation, lags and components)
	// real-time: resolution <= 1m, delay behind satisfaction <= 5m, latency <= 5m
	// measurability: completeness >= 99%
	//
	// p99_hourly:
	//   - the 1h step is longer than the 15m lag search: only lag 0 was tried
	//   - neither its deseasonalised levels, their changes nor its surprises correlate with satisfaction's (best: prewhitened spearman -0.19, p = 0.124 at lag 0, the prewhitened peak): it does not track customer experience
	//   - its levels correlate (-0.87) but its deseasonalised levels, changes and surprises do not: the two share a trend or cycle, not a relation
	//   - sampled every 1h, above the 1m a real-time metric needs: scrape or aggregate it more often
	//   - delay behind satisfaction not measured: the correlation failed, so its best lag is noise
	//   - newest point is 59m30s old at the query time, more than the 5m allowed
}

// What `chaosstat criteria` prints: the satisfaction series and the query
// time, the table, and the cost of a metric read by a query (the counts a
// Prometheus source fills in; here given by hand).
func ExampleReport_WriteText() {
	rep, err := criteria.EvaluateAll(read("satisfaction"), []criteria.Candidate{
		{Name: "p99_latency", Series: read("good"), SeriesCount: 1, QuerySamples: 10080},
	}, time.Date(2025, 11, 8, 23, 59, 30, 0, time.UTC), criteria.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep.Satisfaction.Name = "satisfaction.csv"
	rep.WriteText(os.Stdout)
	// Output:
	// satisfaction: satisfaction.csv, 10080 points from 2025-11-02T00:00:00Z to 2025-11-08T23:59:00Z
	// query time: 2025-11-08T23:59:30Z
	//
	// metric       correlation                                           real-time                        measurability                 verdict
	// p99_latency  PASS -0.99 at +2m, p < 1e-15, pearson deseasonalised  PASS every 1m, 2m late, 30s old  PASS 100.0% complete, no gap  PASS
	//
	// correlation: |spearman, or pearson on levels,| >= 0.5 and p <= 0.05 on the best of the deseasonalised levels (daily cycle and trend removed), their changes and prewhitened surprises, at the prewhitened peak within ±15m (p corrected for autocorrelation, lags and components)
	// real-time: resolution <= 1m, delay behind satisfaction <= 5m, latency <= 5m
	// measurability: completeness >= 99%
	//
	// query cost (the server's statistics):
	//   p99_latency: 1 series returned, 10080 samples read
}
