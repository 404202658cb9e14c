package promtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom/promtest"
)

// TestScrapeHaltRestart: a server started with a scrape target scrapes it
// every second; halted it does not answer; restarted it answers on the same
// URL with the samples scraped before the halt still in its storage.
func TestScrapeHaltRestart(t *testing.T) {
	t.Parallel()
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "# TYPE promtest_up gauge\npromtest_up 42\n")
	}))
	defer target.Close()
	s := promtest.StartWithT(t, promtest.Options{Scrape: []string{strings.TrimPrefix(target.URL, "http://")}})
	began := time.Now()
	// count is how many samples of promtest_up the server holds since began.
	count := func() (int, error) {
		q := url.Values{"query": {"count_over_time(promtest_up[5m])"}}
		resp, err := http.Get(s.URL + "/api/v1/query?" + q.Encode())
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var out struct {
			Data struct {
				Result []struct {
					Value [2]any `json:"value"`
				} `json:"result"`
			} `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return 0, err
		}
		if len(out.Data.Result) == 0 {
			return 0, nil
		}
		var n int
		fmt.Sscan(out.Data.Result[0].Value[1].(string), &n)
		return n, nil
	}
	wait := func(what string, ok func(int) bool) int {
		t.Helper()
		for end := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			n, err := count()
			if err == nil && ok(n) {
				return n
			}
			if time.Now().After(end) {
				t.Fatalf("%s: %d samples, %v\n%s", what, n, err, s.Log())
			}
		}
	}
	before := wait("2 scrapes", func(n int) bool { return n >= 2 })
	t.Logf("%d samples %.1f s after the start", before, time.Since(began).Seconds())
	s.Halt()
	if _, err := count(); err == nil {
		t.Fatal("a halted server answered")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	wait("the samples kept across the restart, and new ones", func(n int) bool { return n > before })
}
