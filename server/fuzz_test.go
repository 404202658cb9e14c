package server_test

import (
	"bytes"
	"errors"
	"net/http"
	"testing"

	"github.com/chaosstat/chaosstat/server"
)

// FuzzDecode feeds arbitrary bodies to the request decoder of every
// endpoint: it must never panic, and every refusal is a *server.Error with
// a 4xx status. make fuzz runs it for FUZZTIME; go test runs the seeds.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"control": [1, 2, 3], "experiment": [4, 5, 6], "confidence": 0.9}`,
		`{"control": [{"t": "2026-02-01T12:00:00Z", "v": 1}, {"t": 1769947260, "v": null}], "experiment": {"name": "e", "points": [1]}}`,
		`{"control": [{"t": "now", "v": 1}]}`,
		`{"windows": ["30m", "1h"], "ratio": "2:2", "counts": true}`,
		`{"requests": [{"duration_seconds": 0.1, "error": false, "timestamp": "1699999800.167"}], "threshold": 0.5}`,
		`{"metric": [{"name": "m", "data": [1], "query": "up"}]}`,
		`{"hypothesis": "name: x", "data": {"a.csv": [1, 2]}}`,
		`{"control": [1e400]}`,
		`{"control": [{"t": 1e30, "v": 1}]}`,
		`[`, `{}`, `null`, `"x"`, `{"control": {"points": null}}`,
	} {
		f.Add([]byte(seed))
	}
	reqs := []func() any{
		func() any { return new(server.CompareRequest) },
		func() any { return new(server.AARequest) },
		func() any { return new(server.ApdexRequest) },
		func() any { return new(server.BaselineRequest) },
		func() any { return new(server.CriteriaRequest) },
		func() any { return new(server.JudgeRequest) },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, req := range reqs {
			err := server.Decode(bytes.NewReader(body), req())
			if err == nil {
				continue
			}
			var e *server.Error
			if !errors.As(err, &e) || e.Status < 400 || e.Status >= 500 {
				t.Fatalf("Decode(%q) = %v: want a *server.Error with a 4xx status", body, err)
			}
			if e.Status != http.StatusBadRequest && e.Status != http.StatusRequestEntityTooLarge {
				t.Fatalf("Decode(%q): status %d", body, e.Status)
			}
		}
	})
}
