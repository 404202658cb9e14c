package apdex_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/apdex"
)

// Score raw requests: response times in seconds, and whether each failed.
func Example() {
	const data = `duration_seconds,error
0.12,false
0.50,false
0.31,false
1.70,false
2.00,false
2.40,false
0.05,true
`
	samples, _, err := apdex.ReadCSV(strings.NewReader(data), "requests.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := apdex.FromSamples(samples, apdex.Thresholds{T: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	// 3 satisfied (0.5 is exactly T), 2 tolerating (2.0 is exactly 4T),
	// 2 frustrated (2.4 s, and a fast failure): (3 + 2/2)/7 = 0.571.
	fmt.Println(s.Notation())
	fmt.Println(s.Rating())
	fmt.Println(s)
	// Output:
	// 0.57* [0.5]
	// Poor
	// 0.57* [0.5] Poor: 3 satisfied, 2 tolerating, 2 frustrated (1 error) of 7
}

// Score a Prometheus histogram whose buckets include T and 4T: the counts,
// and so the score, are exactly those of the raw requests.
func ExampleFromHistogram() {
	h := apdex.Histogram{
		Buckets: []apdex.Bucket{
			{Le: 0.1, Count: 6200},
			{Le: 0.5, Count: 9100},
			{Le: 2, Count: 9800},
			{Le: math.Inf(1), Count: 9900},
		},
		Errors: 100, // 5xx responses, counted apart from the histogram
	}
	s, err := apdex.FromHistogram(h, apdex.Thresholds{T: 0.5}, apdex.HistogramOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s)

	// Without a bucket at T the score is an error, or an estimate if
	// asked for.
	_, err = apdex.FromHistogram(h, apdex.Thresholds{T: 0.3}, apdex.HistogramOptions{})
	fmt.Println(errors.Is(err, apdex.ErrNoBucket))
	// At T = 0.3: 6200 + (0.3-0.1)/(0.5-0.1)*(9100-6200) = 7650; at
	// F = 1.2: 9100 + (1.2-0.5)/(2-0.5)*(9800-9100) = 9426.7; so
	// (7650 + 1776.7/2)/10000 = 0.854.
	est, _ := apdex.FromHistogram(h, apdex.Thresholds{T: 0.3}, apdex.HistogramOptions{Interpolate: true})
	fmt.Println(est.Notation(), est.Estimated)
	// Output:
	// 0.95 [0.5] Excellent: 9100 satisfied, 700 tolerating, 200 frustrated (100 errors) of 10000
	// true
	// 0.85 [0.3] true
}

// Write the PromQL that computes the score in Prometheus.
func ExampleQuery() {
	q := apdex.Query{
		Metric:     "http_request_duration_seconds",
		Matchers:   map[string]string{"job": "api"},
		Thresholds: apdex.Thresholds{T: 0.5},
		Le:         apdex.LeOpenMetrics, // Prometheus 3 stores le="2" as "2.0"
	}
	expr, err := q.PromQL()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(expr)
	// Output:
	// (sum(rate(http_request_duration_seconds_bucket{job="api",le="0.5"}[5m])) + sum(rate(http_request_duration_seconds_bucket{job="api",le="2.0"}[5m]))) / 2 / sum(rate(http_request_duration_seconds_count{job="api"}[5m]))
}

// Score minute by minute for a satisfaction signal: a minute without
// requests is NS (NaN in the series), not a perfect score.
func ExampleWindows() {
	t0 := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC).UnixMilli()
	samples := []apdex.Sample{
		{Time: t0 + 1_000, Duration: 0.2},
		{Time: t0 + 20_000, Duration: 0.9},
		{Time: t0 + 125_000, Duration: 3, Error: true},
	}
	ws, err := apdex.Windows(samples, apdex.Thresholds{T: 0.5}, time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range ws {
		fmt.Println(time.UnixMilli(w.Start).UTC().Format("15:04"), w.Notation())
	}
	s, _ := apdex.Series(ws)
	fmt.Println(s.V)
	// Output:
	// 03:00 0.75* [0.5]
	// 03:01 NS [0.5]
	// 03:02 0.00* [0.5]
	// [0.75 NaN 0]
}

// What `chaosstat apdex --threshold 0.5 --window 1m` prints, from a Go
// program: the overall score and a table of the minutes. The first minute
// has one satisfied and one tolerating request, (1 + 1/2)/2 = 0.75; the
// second none (NS); the third one failed request, 0. Overall, (1 + 1/2)/3
// = 0.50, Poor.
func ExampleNewReport() {
	t0 := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC).UnixMilli()
	samples := []apdex.Sample{
		{Time: t0 + 1_000, Duration: 0.2},
		{Time: t0 + 20_000, Duration: 0.9},
		{Time: t0 + 125_000, Duration: 3, Error: true},
	}
	r, err := apdex.NewReport(samples, apdex.Thresholds{T: 0.5}, time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Name = "requests.csv"
	r.WriteText(os.Stdout)
	// Output:
	// file        requests.csv
	// thresholds  T = 0.5 s, F = 2 s (4T)
	// windows     3 of 1m, 1 without requests (NS)
	// overall     0.50* [0.5] Poor, 3: 1 satisfied, 1 tolerating, 1 frustrated (1 failed)
	//
	// start                 apdex        score   rating        total  satisfied  tolerating  frustrated  errors
	// 2026-11-27T03:00:00Z  0.75* [0.5]  0.7500  Fair              2          1           1           0       0
	// 2026-11-27T03:01:00Z  NS [0.5]     -       NS                0          0           0           0       0
	// 2026-11-27T03:02:00Z  0.00* [0.5]  0.0000  Unacceptable      1          0           0           1       1
}

// The satisfaction series of `chaosstat apdex --threshold 0.5 --window 1m
// --format csv`, from a Go program: the minutes of ExampleNewReport, 0.75,
// no requests (an empty value) and 0, at Unix seconds.
func ExampleReport_WriteCSV() {
	t0 := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC).UnixMilli()
	samples := []apdex.Sample{
		{Time: t0 + 1_000, Duration: 0.2},
		{Time: t0 + 20_000, Duration: 0.9},
		{Time: t0 + 125_000, Duration: 3, Error: true},
	}
	r, err := apdex.NewReport(samples, apdex.Thresholds{T: 0.5}, time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := r.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// timestamp,value
	// 1795748400,0.75
	// 1795748460,
	// 1795748520,0
}
