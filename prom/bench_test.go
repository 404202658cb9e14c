package prom_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
)

// BenchmarkFourWeeks reads four weeks at one-minute resolution of the two
// backfilled series (2 × 40,320 points) from the real server:
//
//   - library: Client.Range with the defaults (chunks of 11,000 points,
//     4 at a time);
//   - plain: the same four chunk requests made one after another with
//     net/http, decoded with encoding/json into timestamps and []float64 per
//     series, labels kept, and stitched: the same work, without the library.
//
// The ratio library/plain is what BENCHMARKS.md reports.
func BenchmarkFourWeeks(b *testing.B) {
	base := srv.URL(b)
	r := prom.Range{Start: dataStart, End: dataEnd, Step: time.Minute}
	const query = "checkout_latency_ms"

	// Warm the server (its block index and page cache, cold after the
	// start) with both readers, so that the sub-benchmark run first does
	// not pay for it.
	for range 2 {
		if _, err := plainRead(&http.Client{}, base, query, r, prom.DefaultMaxPoints); err != nil {
			b.Fatal(err)
		}
		if _, err := newClient(b, prom.Config{Address: base}).Range(context.Background(), query, r); err != nil {
			b.Fatal(err)
		}
	}

	b.Run("library", func(b *testing.B) {
		c := newClient(b, prom.Config{Address: base})
		for b.Loop() {
			res, err := c.Range(context.Background(), query, r)
			if err != nil {
				b.Fatal(err)
			}
			if res.Stats.Points != 2*dataPoints {
				b.Fatalf("%d points", res.Stats.Points)
			}
		}
	})

	b.Run("plain", func(b *testing.B) {
		client := &http.Client{}
		for b.Loop() {
			got, err := plainRead(client, base, query, r, prom.DefaultMaxPoints)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, s := range got {
				n += len(s.V)
			}
			if n != 2*dataPoints {
				b.Fatalf("%d points", n)
			}
		}
	})
}

// BenchmarkFourWeeksRatio makes the two reads of BenchmarkFourWeeks
// alternately, library then plain, in each iteration, and reports the ratio
// of their total times (library/plain) as the metric "ratio". Alternating
// pairs them in time, so that load from other processes on the machine,
// which drifts over seconds, falls on both alike; ns/op is the time of one
// pair.
func BenchmarkFourWeeksRatio(b *testing.B) {
	base := srv.URL(b)
	r := prom.Range{Start: dataStart, End: dataEnd, Step: time.Minute}
	const query = "checkout_latency_ms"
	c := newClient(b, prom.Config{Address: base})
	client := &http.Client{}
	read := func() (lib, plain time.Duration) {
		t0 := time.Now()
		if _, err := c.Range(context.Background(), query, r); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := plainRead(client, base, query, r, prom.DefaultMaxPoints); err != nil {
			b.Fatal(err)
		}
		return t1.Sub(t0), time.Since(t1)
	}
	read() // warm the server and both connection pools
	var lib, plain time.Duration
	for b.Loop() {
		l, p := read()
		lib += l
		plain += p
	}
	b.ReportMetric(float64(lib)/float64(plain), "ratio")
	b.ReportMetric(float64(lib.Milliseconds())/float64(b.N), "library-ms/op")
	b.ReportMetric(float64(plain.Milliseconds())/float64(b.N), "plain-ms/op")
}

// plainRead is a range read without the library: chunk requests one by one
// with net/http and encoding/json.
func plainRead(client *http.Client, base, query string, r prom.Range, maxPoints int) ([]series.Series, error) {
	step := r.Step.Milliseconds()
	n := r.Points()
	var out []series.Series
	index := map[string]int{}
	for k := int64(0); k*int64(maxPoints) < n; k++ {
		cs := r.Start.UnixMilli() + k*int64(maxPoints)*step
		ce := r.Start.UnixMilli() + min(n-1, (k+1)*int64(maxPoints)-1)*step
		q := url.Values{}
		q.Set("query", query)
		q.Set("start", strconv.FormatFloat(float64(cs)/1000, 'f', -1, 64))
		q.Set("end", strconv.FormatFloat(float64(ce)/1000, 'f', -1, 64))
		q.Set("step", strconv.FormatFloat(r.Step.Seconds(), 'f', -1, 64))
		resp, err := client.Get(base + "/api/v1/query_range?" + q.Encode())
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
		}
		var doc struct {
			Status string `json:"status"`
			Data   struct {
				ResultType string `json:"resultType"`
				Result     []struct {
					Metric map[string]string    `json:"metric"`
					Values [][2]json.RawMessage `json:"values"`
				} `json:"result"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return nil, err
		}
		for _, res := range doc.Data.Result {
			key := fmt.Sprint(res.Metric)
			i, ok := index[key]
			if !ok {
				i = len(out)
				index[key] = i
				s := series.Series{Name: res.Metric["__name__"], Labels: map[string]string{}, T: make([]int64, 0, n), V: make([]float64, 0, n)}
				for k, v := range res.Metric {
					if k != "__name__" {
						s.Labels[k] = v
					}
				}
				out = append(out, s)
			}
			s := &out[i]
			for _, p := range res.Values {
				ts, err := strconv.ParseFloat(string(p[0]), 64)
				if err != nil {
					return nil, err
				}
				vs, err := strconv.Unquote(string(p[1]))
				if err != nil {
					return nil, err
				}
				v, err := strconv.ParseFloat(vs, 64)
				if err != nil {
					return nil, err
				}
				s.T = append(s.T, int64(ts*1000+0.5))
				s.V = append(s.V, v)
			}
		}
	}
	return out, nil
}

// TestPlainReadAgrees makes sure the benchmark's plain reader does the
// same work: it must read exactly what the library reads.
func TestPlainReadAgrees(t *testing.T) {
	base := srv.URL(t)
	r := prom.Range{Start: dataStart, End: dataEnd, Step: time.Minute}
	got, err := plainRead(&http.Client{}, base, "checkout_latency_ms", r, prom.DefaultMaxPoints)
	if err != nil {
		t.Fatal(err)
	}
	want := backfilled(t)
	if len(got) != 2 {
		t.Fatalf("%d series", len(got))
	}
	for _, s := range got {
		if d := equalSeries(s, want[s.Labels["group"]]); d != "" {
			t.Errorf("%s: %s", s.Labels["group"], d)
		}
	}
}
