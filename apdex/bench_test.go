package apdex

import (
	"math/rand/v2"
	"testing"
	"time"
)

// benchSamples returns n requests over one day, exponential response
// times with mean 0.4 s and 1% failures, in time order.
func benchSamples(n int) []Sample {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]Sample, n)
	const day = int64(24 * 3600 * 1000)
	for i := range out {
		out[i] = Sample{
			Time:     1_700_000_000_000 + int64(i)*day/int64(n),
			Duration: rng.ExpFloat64() * 0.4,
			Error:    rng.IntN(100) == 0,
		}
	}
	return out
}

// BenchmarkFromSamples scores one million raw requests.
func BenchmarkFromSamples(b *testing.B) {
	s := benchSamples(1_000_000)
	th := Thresholds{T: 0.5}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromSamples(s, th); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWindows scores one million requests over a day in one-minute
// windows (1440 windows) and makes the series.
func BenchmarkWindows(b *testing.B) {
	s := benchSamples(1_000_000)
	th := Thresholds{T: 0.5}
	b.ReportAllocs()
	for b.Loop() {
		ws, err := Windows(s, th, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Series(ws); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFromHistogram scores a histogram with client_golang's default
// buckets plus T and 4T.
func BenchmarkFromHistogram(b *testing.B) {
	ds := make([]float64, 10_000)
	for i, sm := range benchSamples(len(ds)) {
		ds[i] = sm.Duration
	}
	h := histogramOf(ds, []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10})
	th := Thresholds{T: 0.5}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromHistogram(h, th, HistogramOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
