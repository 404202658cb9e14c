package prom_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
)

// bodyTransport answers every request with status and body, without a
// network.
type bodyTransport struct {
	status int
	body   string
}

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{StatusCode: b.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(b.body)), Request: r}, nil
}

// FuzzRangeResponse feeds arbitrary answers to a range read (two chunks of
// three points): it must never panic, and must either fail with a *prom.Error
// or return valid series inside the range, on its grid.
func FuzzRangeResponse(f *testing.F) {
	f.Add(200, okMatrix)
	f.Add(200, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1767571200,"1"],[1767571260,"NaN"],[1767571320,"-Inf"]]}]}}`)
	f.Add(200, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1767571260,"1"],[1767571200,"2"]]}]}}`)
	f.Add(200, `{"status":"success","warnings":["w"],"data":{"resultType":"matrix","result":[]}}`)
	f.Add(200, `{"status":"success","isPartial":true,"data":{"resultType":"matrix","result":[]}}`)
	f.Add(200, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"histograms":[[1767571200,{"count":"1","sum":"1","buckets":[]}]]}]}}`)
	f.Add(200, `{"status":"error","errorType":"bad_data","error":"x"}`)
	f.Add(400, `{"status":"error","errorType":"bad_data","error":"x"}`)
	f.Add(503, `{"status":"error","errorType":"timeout","error":"x"}`)
	f.Add(502, `<html>`)
	f.Add(200, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
	f.Add(200, `{`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		c, err := prom.New(prom.Config{Address: "http://fuzz", MaxPoints: 3, Transport: bodyTransport{status, body},
			Retry: prom.Retry{Attempts: 2, Initial: time.Nanosecond, Max: time.Nanosecond}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Unix(1767571200, 0)
		r := prom.Range{Start: start, End: start.Add(5 * time.Minute), Step: time.Minute}
		res, err := c.Range(context.Background(), "up", r)
		if err != nil {
			var pe *prom.Error
			if !errors.As(err, &pe) || pe.Kind == nil {
				t.Fatalf("error %v (%T) is not a *prom.Error with a kind", err, err)
			}
			return
		}
		for _, s := range res.Series {
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			for _, ts := range s.T {
				if ts < r.Start.UnixMilli() || ts > r.End.UnixMilli() {
					t.Fatalf("point at %d outside the range", ts)
				}
			}
		}
	})
}
