package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// slowReport is the test analysis's report: {"ok": true}.
type slowReport struct{}

func (slowReport) WriteJSON(w io.Writer) error {
	return json.NewEncoder(w).Encode(map[string]bool{"ok": true})
}

// TestSlotHeldUntilComputationEnds checks that Config.MaxConcurrent counts
// the computations still running after their request timed out: the token
// is kept until the computation ends, not until the handler returns.
func TestSlotHeldUntilComputationEnds(t *testing.T) {
	const timeout = 200 * time.Millisecond
	s, err := New(Config{MaxConcurrent: 1, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 3) // a send per computation started; never blocks
	release := make(chan struct{})    // closed to let the computations end
	released := false
	finish := func() {
		if !released {
			released = true
			close(release)
		}
	}
	t.Cleanup(finish)
	slow := analysisOf("/v1/slow", func(_ *Server, _ context.Context, _ *struct{}) (answer, error) {
		started <- struct{}{}
		<-release // ignores ctx, as the short analyses (compare, apdex) do
		return answer{report: slowReport{}, status: http.StatusOK}, nil
	})
	h := s.api(s.analysis(slow))
	post := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/slow", strings.NewReader(`{}`)))
		return rec
	}
	// wait fails the test when ch gives nothing within a generous bound (the
	// bound only catches a hang; nothing is timed).
	wait := func(what string, ch <-chan struct{}) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: nothing after 30 s", what)
		}
	}

	// Request 1: its computation starts, outlives the timeout: 503.
	rec := post()
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "no answer within the server's timeout") {
		t.Fatalf("request 1: got %d %s, want 503 no answer within the timeout", rec.Code, rec.Body)
	}
	wait("computation 1 started", started)

	// Request 2, while computation 1 still runs: no token frees in time, so
	// it is refused without its analysis starting.
	rec = post()
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "1 analyses were running") {
		t.Fatalf("request 2: got %d %s, want 503 naming 1 analysis running", rec.Code, rec.Body)
	}
	select {
	case <-started:
		t.Fatal("request 2's analysis started while computation 1 held the only token")
	default:
	}

	// Computation 1 ends and gives its token back; wait for the token by
	// taking it (the send blocks while computation 1 holds it).
	finish()
	token := make(chan struct{})
	go func() {
		s.slots <- struct{}{}
		<-s.slots
		close(token)
	}()
	wait("computation 1's token given back", token)

	// Request 3 gets the token and its answer.
	rec = post()
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"ok":true}` {
		t.Fatalf("request 3: got %d %s, want 200 {\"ok\":true}", rec.Code, rec.Body)
	}
	wait("computation 3 started", started)
}
