package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/server"
)

// BenchmarkCompareLoad sends 200 concurrent POST /v1/compare requests of
// 10,000 points per group (time series, one a minute) to a Server on
// loopback, per iteration, and reports the latencies' p50 and p99, the
// process's peak resident memory (VmHWM) and the errors, which must be
// none. BENCHMARKS.md has the command and the figures.
func BenchmarkCompareLoad(b *testing.B) {
	const clients, points = 200, 10_000
	srv, err := server.New(server.Config{})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv) // 127.0.0.1
	defer ts.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	mk := func(level float64) series.Series {
		s := series.Series{T: make([]int64, points), V: make([]float64, points)}
		for i := range points {
			s.T[i] = 1_767_225_600_000 + int64(i)*60_000
			s.V[i] = level + rng.NormFloat64()
		}
		return s
	}
	body, err := json.Marshal(map[string]any{"control": server.Inline("control", mk(100)), "experiment": server.Inline("experiment", mk(100.05))})
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var lat []time.Duration
	errs := 0
	b.ResetTimer()
	for range b.N {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				start := time.Now()
				resp, err := client.Post(ts.URL+"/v1/compare", "application/json", bytes.NewReader(body))
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(start)
				mu.Lock()
				lat = append(lat, d)
				if !ok {
					errs++
				}
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	if errs > 0 {
		b.Fatalf("%d of %d requests failed", errs, len(lat))
	}
	slices.Sort(lat)
	b.ReportMetric(lat[len(lat)/2].Seconds()*1000, "p50-ms")
	b.ReportMetric(lat[len(lat)*99/100].Seconds()*1000, "p99-ms")
	b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
	b.ReportMetric(float64(errs), "errors")
	b.ReportMetric(float64(len(body))/(1<<20), "body-MiB")
}

// peakRSSMiB is the process's peak resident set (VmHWM, Linux), or the
// runtime's memory obtained from the OS elsewhere.
func peakRSSMiB() float64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys) / (1 << 20)
}
