package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/interrupt"
)

func init() { cliCases = append(cliCases, serveCases...) }

var serveCases = []cliCase{
	{name: "serve_help", reason: "-h prints the usage to stdout", args: []string{"serve", "-h"}, code: exitOK},
	{name: "serve_not_loopback", reason: "every interface without a token is refused at start-up: anyone could run analyses and queries",
		args: []string{"serve", "--listen", ":0"}, code: exitUsage},
	{name: "serve_start_flag", reason: "a query range is a request's, not the server's", args: []string{"serve", "--prometheus", "http://127.0.0.1:9090", "--start", "now-1h"}, code: exitUsage},
	{name: "serve_prom_flag_alone", reason: "a Prometheus flag without --prometheus", args: []string{"serve", "--allow-partial"}, code: exitUsage},
	{name: "serve_state_without_prometheus", reason: "--state keeps monitors, which read Prometheus: without --prometheus it would keep nothing", args: []string{"serve", "--state", "testdata"}, code: exitUsage},
	{name: "serve_max_windows_zero", reason: "a limit of no window lengths would refuse every A/A request that lists some", args: []string{"serve", "--max-windows", "0"}, code: exitUsage},
	{name: "serve_missing_token_file", reason: "a token file that does not exist names the flag", args: []string{"serve", "--token-file", "testdata/no_such_token"}, code: exitUsage},
}

// syncBuffer is a bytes.Buffer safe for the server's log and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe starts chaosstat serve on a free loopback port with a token,
// sends the README's comparison with and without the token, and stops it
// with SIGTERM: it drains and exits 143. The answer is the golden's stdout.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("tok-123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base, stop := startServe(t, "--listen", "127.0.0.1:0", "--token-file", tokenFile)
	body := `{"control": [1, 2, 3, 4, 5, 6], "experiment": [11, 12, 13, 14, 15, 16], "method": "exact"}`
	post := func(token string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/compare", strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := post(""); code != http.StatusUnauthorized {
		t.Errorf("without the token: status %d, want 401", code)
	}
	code, got := post("tok-123")
	// The same request on the command line: compare_p_at_alpha's groups
	// apart, as chaosstat compare --format json writes them.
	var cli bytes.Buffer
	if c := run([]string{"compare", "--format", "json", "--method", "exact", "--control", "-", "--experiment", writeValues(t, dir, 11, 16)}, strings.NewReader("value\n1\n2\n3\n4\n5\n6\n"), &cli, io.Discard); c != exitSignificant {
		t.Fatalf("the command: exit %d", c)
	}
	if code != http.StatusOK || got != cli.String() {
		t.Errorf("status %d, body\n%s\nwant 200 and the command's\n%s", code, got, cli.String())
	}
	c, log := stop()
	if c != 143 {
		t.Errorf("exit %d, want 143", c)
	}
	if strings.Contains(log, "tok-123") || !strings.Contains(log, "interrupted by SIGTERM; stopped after the requests in flight") {
		t.Errorf("stderr: %s", log)
	}
}

// TestServeMaxWindows: --max-windows reaches the server, which refuses an
// A/A request listing more window lengths with a 400 naming "windows".
func TestServeMaxWindows(t *testing.T) {
	base, stop := startServe(t, "--listen", "127.0.0.1:0", "--max-windows", "2")
	defer stop()
	body := `{"control": [1, 2, 3], "experiment": [1, 2, 3], "windows": ["1h", "2h", "3h"]}`
	resp, err := http.Post(base+"/v1/aa", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct{ Error, Field string }
	if err := json.Unmarshal(b, &e); err != nil || resp.StatusCode != http.StatusBadRequest || e.Field != "windows" || !strings.Contains(e.Error, "at most 2") {
		t.Errorf("status %d, body %s; want 400 naming windows and the limit 2", resp.StatusCode, b)
	}
}

// writeValues writes a "value" CSV of the whole numbers from lo to hi.
func writeValues(t *testing.T, dir string, lo, hi int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("value\n")
	for v := lo; v <= hi; v++ {
		b.WriteString(strconv.Itoa(v) + "\n")
	}
	path := filepath.Join(dir, "values.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeMonitors: with --prometheus, serve mounts the monitors (package
// server/monitors, whose own tests run them against a live Prometheus):
// POST /v1/monitors creates one, /metrics carries its gauges, SIGTERM
// saves it in --state, and a second serve on the same --state resumes it
// under the same id. Without --prometheus, --state is refused (a golden
// case).
func TestServeMonitors(t *testing.T) {
	url := promShared.URL(t)
	state := t.TempDir()
	start := func() (string, func() (int, string)) {
		return startServe(t, "--listen", "127.0.0.1:0", "--prometheus", url, "--state", state)
	}
	do := func(method, u, body string) (int, string) {
		req, _ := http.NewRequest(method, u, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	base, stop := start()
	code, body := do(http.MethodPost, base+"/v1/monitors",
		`{"name": "checkout", "control_query": "checkout_latency_ms{group=\"control\"}", "experiment_query": "checkout_latency_ms{group=\"experiment\"}", "step": "1m", "direction": "increase"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST /v1/monitors: %d %s", code, body)
	}
	var created struct{ ID, URL string }
	if err := json.Unmarshal([]byte(body), &created); err != nil || created.ID == "" {
		t.Fatalf("POST /v1/monitors: %v %s", err, body)
	}
	if code, body := do(http.MethodGet, base+"/metrics", ""); code != http.StatusOK || !strings.Contains(body, `chaosstat_monitor_`) || !strings.Contains(body, created.ID) {
		t.Errorf("/metrics: %d, no chaosstat_monitor_ series for %s", code, created.ID)
	}
	if c, log := stop(); c != 143 {
		t.Fatalf("exit %d, want 143: %s", c, log)
	}
	if _, err := os.Stat(filepath.Join(state, created.ID+".json")); err != nil {
		t.Fatalf("no state file after SIGTERM: %v", err)
	}

	base, _ = start()
	code, body = do(http.MethodGet, base+created.URL, "")
	if code != http.StatusOK || !strings.Contains(body, created.ID) || !strings.Contains(body, "checkout") {
		t.Errorf("after a restart, GET %s: %d %s", created.URL, code, body)
	}
}

// startServe runs chaosstat serve with args until the returned stop sends
// it SIGTERM; stop returns its exit code and its log. base is the server's
// URL, read from the log's "listening" line.
func startServe(t *testing.T, args ...string) (base string, stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancelCause(context.Background())
	var errOut syncBuffer
	done := make(chan int, 1)
	go func() { done <- runContext(ctx, append([]string{"serve"}, args...), nil, io.Discard, &errOut) }()
	addr := regexp.MustCompile(`address=(127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(hangGuard); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := addr.FindStringSubmatch(errOut.String()); m != nil {
			base = "http://" + m[1]
		}
	}
	if base == "" {
		cancel(nil)
		t.Fatalf("serve did not start: %s", errOut.String())
	}
	stopped := false
	stop = func() (int, string) {
		if stopped {
			return 0, errOut.String()
		}
		stopped = true
		cancel(&interrupt.Error{Signal: syscall.SIGTERM})
		select {
		case c := <-done:
			return c, errOut.String()
		case <-time.After(hangGuard):
			t.Fatal("serve did not stop after SIGTERM")
			return 0, ""
		}
	}
	t.Cleanup(func() { stop() })
	return base, stop
}
