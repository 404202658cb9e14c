package prom

import (
	"testing"
	"time"
)

// TestBackoff checks the waits against the policy: full jitter under a
// ceiling that doubles from Initial up to Max, and a server's Retry-After
// honoured when longer, but never beyond Max. 200 draws per attempt; the
// jitter must also spread (a wait that is always the ceiling is not
// jitter).
func TestBackoff(t *testing.T) {
	c := &Client{cfg: Config{Retry: Retry{Attempts: 6, Initial: 100 * time.Millisecond, Max: time.Second}}}
	for k, ceil := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		ceil *= time.Millisecond
		var lo, hi time.Duration = ceil, 0
		for range 200 {
			w := c.backoff(k+1, 0)
			if w < 0 || w > ceil {
				t.Fatalf("attempt %d: wait %v outside [0, %v]", k+1, w, ceil)
			}
			lo, hi = min(lo, w), max(hi, w)
		}
		// With 200 uniform draws, min < ceil/4 and max > 3·ceil/4 fail
		// with probability 2·0.75^200 ≈ 2e-25.
		if lo > ceil/4 || hi < 3*ceil/4 {
			t.Errorf("attempt %d: waits in [%v, %v]; want them spread over [0, %v]", k+1, lo, hi, ceil)
		}
	}
	if w := c.backoff(1, 700*time.Millisecond); w < 700*time.Millisecond || w > time.Second {
		t.Errorf("Retry-After 700ms: wait %v; want 700ms (longer than the 100ms ceiling)", w)
	}
	if w := c.backoff(1, time.Hour); w != time.Second {
		t.Errorf("Retry-After 1h: wait %v; want the 1s cap", w)
	}
}

func TestParseRetryAfter(t *testing.T) {
	if d := parseRetryAfter("3"); d != 3*time.Second {
		t.Errorf("3: %v", d)
	}
	if d := parseRetryAfter(time.Now().Add(time.Hour).UTC().Format(http1123)); d < 59*time.Minute || d > time.Hour {
		t.Errorf("an HTTP date an hour ahead: %v", d)
	}
	for _, s := range []string{"", "-1", "soon"} {
		if d := parseRetryAfter(s); d != 0 {
			t.Errorf("%q: %v, want 0", s, d)
		}
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"
