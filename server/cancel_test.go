package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestTimedOutAAFreesItsSlot: an A/A replay that outlives the server's
// timeout is answered 503 and then stops, giving its slot back within a
// bound far shorter than its run: a request that follows is served. Before
// the replay looked at its context, it kept the only slot for its whole
// run and the follow-up got 503.
func TestTimedOutAAFreesItsSlot(t *testing.T) {
	const timeout = 300 * time.Millisecond
	// MaxWindows lets the 1,000 lengths below through: the default (64)
	// refuses them, and this test needs a slow request.
	s, err := New(Config{MaxConcurrent: 1, Timeout: timeout, MaxWindows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// Two weeks of per-minute counts a group and 1,000 window lengths,
	// 5m0s to 21m39s: each length is a few thousand Mann-Whitney tests and
	// a search for the minimum detectable drop, about 60 ms on 2 cores, so
	// the replay would run for about a minute (62 s, RunAA alone, shared
	// machine). The body is 1 MB.
	const points, lengths = 20160, 1000
	group := func(seed int) []map[string]any {
		pts := make([]map[string]any, points)
		for i := range pts {
			// A deterministic wobble around 1000; the values do not matter.
			v := 1000 + (i*7919+seed*104729)%61 - 30
			pts[i] = map[string]any{"t": 1_767_225_600 + 60*i, "v": v}
		}
		return pts
	}
	windows := make([]string, lengths)
	for i := range windows {
		windows[i] = fmt.Sprintf("%ds", 300+i)
	}
	body, err := json.Marshal(map[string]any{"experiment": group(1), "control": group(2), "windows": windows})
	if err != nil {
		t.Fatal(err)
	}
	post := func(path, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
		return rec
	}

	rec := post("/v1/aa", string(body))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "no answer within the server's timeout") {
		t.Fatalf("the slow aa: got %d %s, want 503 no answer within the timeout", rec.Code, rec.Body)
	}

	// The replay stops at its next look at the context, within
	// milliseconds; wait for its token by taking it. The bound is generous
	// for a loaded machine and a fraction of the replay's run.
	token := make(chan struct{})
	go func() {
		s.slots <- struct{}{}
		<-s.slots
		close(token)
	}()
	select {
	case <-token:
	case <-time.After(10 * time.Second):
		t.Fatal("the timed-out aa still held the only slot 10 s after its 503: its computation did not stop")
	}

	rec = post("/v1/compare", `{"control": [1,2,3,4,5,6,7,8,9,10], "experiment": [11,12,13,14,15,16,17,18,19,20], "method": "exact"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("the follow-up compare: got %d %s, want 200", rec.Code, rec.Body)
	}
}
