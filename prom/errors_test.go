package prom_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
)

// fake is an httptest server with a handler and a request count.
type fake struct {
	*httptest.Server
	requests atomic.Int64
}

func newFake(t *testing.T, h http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		h(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func reply(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write([]byte(body))
}

// quick retries, so that tests do not wait.
var quick = prom.Retry{Attempts: 3, Initial: time.Millisecond, Max: 2 * time.Millisecond}

const okMatrix = `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1767571200,"1"]]}]}}`

const okVector = `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1767571200,"1"]}]}}`

var oneMinute = prom.Range{Start: time.Unix(1767571200, 0), End: time.Unix(1767571200, 0), Step: time.Minute}

// TestErrors runs every failure a server can answer with through one table:
// the kind callers branch on, how many requests it took (retried or not),
// and what the message must say.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		reason   string
		handler  http.HandlerFunc
		cfg      prom.Config
		kind     error
		requests int64
		status   int
		msg      string // a substring of the error's message
	}{
		{
			name:   "bad_query",
			reason: "a 400 carries the server's message; retrying cannot help",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 400, `{"status":"error","errorType":"bad_data","error":"1:11: parse error: unclosed left parenthesis"}`)
			},
			kind:     prom.ErrBadQuery,
			requests: 1, status: 400,
			msg: "1:11: parse error: unclosed left parenthesis (HTTP 400 bad_data)",
		},
		{
			name:   "execution_422",
			reason: "Prometheus answers 422 for a query that fails while it runs (many-to-many matching)",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 422, `{"status":"error","errorType":"execution","error":"found duplicate series for the match group"}`)
			},
			kind:     prom.ErrBadQuery,
			requests: 1, status: 422,
			msg: "found duplicate series",
		},
		{
			name:     "server_error_retried",
			reason:   "a 503 is transient: retried up to Retry.Attempts, then ErrServer with the count",
			handler:  func(w http.ResponseWriter, r *http.Request) { reply(w, 503, `upstream connect error`) },
			kind:     prom.ErrServer,
			requests: 3, status: 503,
			msg: `server error: 503: "upstream connect error" (HTTP 503, after 3 attempts)`,
		},
		{
			name:   "internal_error_retried",
			reason: "Prometheus's own 500 body is parsed for its message",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 500, `{"status":"error","errorType":"internal","error":"storage is broken"}`)
			},
			kind:     prom.ErrServer,
			requests: 3, status: 500,
			msg: "storage is broken",
		},
		{
			name:   "too_many_requests",
			reason: "429 is load shedding (Mimir's limits): transient",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 429, `{"status":"error","errorType":"too_many_requests","error":"the query hit the max number of chunks limit"}`)
			},
			kind:     prom.ErrServer,
			requests: 3, status: 429,
			msg: "max number of chunks",
		},
		{
			name:   "server_timeout",
			reason: "Prometheus's own query timeout is a 503 with errorType timeout: ErrTimeout, not retried",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 503, `{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`)
			},
			kind:     prom.ErrTimeout,
			requests: 1, status: 503,
			msg: "query timed out in expression evaluation",
		},
		{
			name:   "client_timeout",
			reason: "no answer within Config.Timeout: ErrTimeout and context.DeadlineExceeded, not retried",
			handler: func(w http.ResponseWriter, r *http.Request) {
				// Read the form first: the server notices the client
				// hanging up only once the body has been read.
				r.ParseForm()
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			cfg:      prom.Config{Timeout: 30 * time.Millisecond},
			kind:     prom.ErrTimeout,
			requests: 1,
			msg:      "no answer within the timeout of 30ms",
		},
		{
			name:   "malformed_json",
			reason: "a truncated body is not data",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{}`)
			},
			kind:     prom.ErrBadResponse,
			requests: 1, status: 200,
		},
		{
			name:     "html_200",
			reason:   "a login page or proxy page on a 200 is not data",
			handler:  func(w http.ResponseWriter, r *http.Request) { reply(w, 200, `<html>Sign in</html>`) },
			kind:     prom.ErrBadResponse,
			requests: 1, status: 200,
		},
		{
			name:   "wrong_result_type",
			reason: "a range read that gets a vector back is not what was asked",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"status":"success","data":{"resultType":"vector","result":[]}}`)
			},
			kind:     prom.ErrBadResponse,
			requests: 1, status: 0,
			msg: "returned a vector; want a matrix",
		},
		{
			name:   "duplicate_point",
			reason: "a repeated timestamp in one answer would be stitched into a duplicate",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1767571200,"1"],[1767571200,"2"]]}]}}`)
			},
			kind:     prom.ErrBadResponse,
			requests: 1,
			msg:      "repeats or goes back in time",
		},
		{
			name:   "partial_warnings",
			reason: "Thanos's partial response is a 200 with warnings: the read fails by default",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"status":"success","warnings":["No StoreAPIs matched for this query: store 10.1.2.3:10901 unavailable"],"data":{"resultType":"matrix","result":[]}}`)
			},
			kind:     prom.ErrPartial,
			requests: 1, status: 200,
			msg: "store 10.1.2.3:10901 unavailable",
		},
		{
			name:   "victoriametrics_is_partial",
			reason: "VictoriaMetrics cluster marks partial answers with isPartial, which client_golang ignores",
			handler: func(w http.ResponseWriter, r *http.Request) {
				reply(w, 200, `{"status":"success","isPartial":true,"data":{"resultType":"matrix","result":[]}}`)
			},
			kind:     prom.ErrPartial,
			requests: 1, status: 200,
			msg: "isPartial",
		},
		{
			name:     "unauthorized",
			reason:   "a 401 is not transient: fix the credentials",
			handler:  func(w http.ResponseWriter, r *http.Request) { reply(w, 401, `no auth`) },
			kind:     prom.ErrAuth,
			requests: 1, status: 401,
		},
		{
			name:     "not_found_prefix",
			reason:   "a 404 usually means a missing path prefix: the message says so",
			handler:  func(w http.ResponseWriter, r *http.Request) { reply(w, 404, `404 page not found`) },
			kind:     prom.ErrBadResponse,
			requests: 1, status: 404,
			msg: "/prometheus",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handler)
			cfg := tc.cfg
			cfg.Address = f.URL
			if cfg.Retry == (prom.Retry{}) {
				cfg.Retry = quick
			}
			c := newClient(t, cfg)
			_, err := c.Range(context.Background(), "up", oneMinute)
			var pe *prom.Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T); want a *prom.Error (%s)", err, err, tc.reason)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("kind %v, want %v (%s): %v", pe.Kind, tc.kind, tc.reason, err)
			}
			if n := f.requests.Load(); n != tc.requests || int64(pe.Attempts) != tc.requests {
				t.Errorf("%d requests, Attempts %d; want %d (%s)", n, pe.Attempts, tc.requests, tc.reason)
			}
			if tc.status != 0 && pe.Status != tc.status {
				t.Errorf("Status %d, want %d", pe.Status, tc.status)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", err, tc.msg)
			}
			if tc.kind == prom.ErrTimeout && tc.status == 0 && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("a client timeout should match context.DeadlineExceeded: %v", err)
			}
		})
	}
}

// TestRetryThenSuccess: two 503s and then an answer is a success, with the
// retries counted.
func TestRetryThenSuccess(t *testing.T) {
	var n atomic.Int64
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			reply(w, 503, `busy`)
			return
		}
		reply(w, 200, okMatrix)
	})
	c := newClient(t, prom.Config{Address: f.URL, Retry: quick})
	res, err := c.Range(context.Background(), "up", oneMinute)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Requests != 3 || res.Stats.Retries != 2 || len(res.Series) != 1 {
		t.Errorf("Stats %+v, %d series; want 3 requests, 2 retries, 1 series", res.Stats, len(res.Series))
	}
}

// TestAllowPartial returns the warnings with the data instead of failing.
func TestAllowPartial(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"status":"success","warnings":["partial response"],"infos":["metric might not be a counter"],"data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1767571200,"1"]]}]}}`)
	})
	c := newClient(t, prom.Config{Address: f.URL, AllowPartial: true})
	res, err := c.Range(context.Background(), "up", oneMinute)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || fmt.Sprint(res.Warnings) != "[partial response]" || fmt.Sprint(res.Infos) != "[metric might not be a counter]" {
		t.Errorf("got %d series, warnings %q, infos %q", len(res.Series), res.Warnings, res.Infos)
	}
}

// TestContext: a cancelled context ends a read, even one waiting an hour to
// retry; a passed deadline is ErrTimeout and context.DeadlineExceeded.
func TestContext(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 503, `busy`) })
	c := newClient(t, prom.Config{Address: f.URL, Retry: prom.Retry{Attempts: 5, Initial: time.Hour, Max: time.Hour}})

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for f.requests.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Range(ctx, "up", oneMinute)
	if !errors.Is(err, prom.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting to retry: %v; want ErrCanceled and context.Canceled", err)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = c.Range(ctx, "up", oneMinute)
	if !errors.Is(err, prom.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline while waiting to retry: %v; want ErrTimeout and context.DeadlineExceeded", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = c.Instant(ctx, "up", time.Time{})
	if !errors.Is(err, prom.ErrCanceled) {
		t.Errorf("Instant with a cancelled context: %v; want ErrCanceled", err)
	}
}

// TestUnreachable: a closed port is a network error, retried.
func TestUnreachable(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {})
	url := f.URL
	f.Close()
	c := newClient(t, prom.Config{Address: url, Retry: quick})
	_, err := c.Range(context.Background(), "up", oneMinute)
	var pe *prom.Error
	if !errors.Is(err, prom.ErrUnreachable) || !errors.As(err, &pe) || pe.Attempts != 3 {
		t.Errorf("err = %v; want ErrUnreachable after 3 attempts", err)
	}
}

// TestChunking checks the requests of a range read against a fake that
// serves a known grid, and answers each request with one extra point on
// either side (as a server that aligns ranges differently might): the
// stitched series must hold each point of the range once.
func TestChunking(t *testing.T) {
	const step = 15            // seconds
	start := int64(1767571207) // not on a minute: the grid is start + k·step
	var (
		mu  sync.Mutex
		got [][2]int64
		bad atomic.Value
	)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		s, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
		e, _ := strconv.ParseFloat(r.Form.Get("end"), 64)
		if r.Form.Get("step") != "15" {
			bad.Store("step " + r.Form.Get("step"))
		}
		cs, ce := int64(s), int64(e)
		mu.Lock()
		got = append(got, [2]int64{cs, ce})
		mu.Unlock()
		var b strings.Builder
		b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x","a":"b"},"values":[`)
		for ts := cs - step; ts <= ce+step; ts += step {
			if ts != cs-step {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `[%d,"%d"]`, ts, (ts-start)/step)
		}
		b.WriteString(`]}]}}`)
		reply(w, 200, b.String())
	})
	c := newClient(t, prom.Config{Address: f.URL, MaxPoints: 7, Concurrency: 3})
	const n = 50 // points: chunks of 7, the last holding 1
	r := prom.Range{Start: time.Unix(start, 0), End: time.Unix(start+(n-1)*step, 0), Step: step * time.Second}
	res, err := c.Range(context.Background(), "x", r)
	if err != nil {
		t.Fatal(err)
	}
	if b := bad.Load(); b != nil {
		t.Fatal(b)
	}
	slices.SortFunc(got, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	if len(got) != 8 {
		t.Fatalf("%d requests, want ceil(50/7) = 8", len(got))
	}
	for k, ch := range got {
		wantStart := start + int64(k)*7*step
		wantEnd := min(wantStart+6*step, start+(n-1)*step)
		if ch != [2]int64{wantStart, wantEnd} {
			t.Errorf("request %d asked for [%d, %d], want [%d, %d]: chunks start one step after the last", k, ch[0], ch[1], wantStart, wantEnd)
		}
	}
	s := res.Series[0]
	if len(s.T) != n || s.Name != "x" || s.Labels["a"] != "b" {
		t.Fatalf("%v", s)
	}
	for i := range n {
		if s.T[i] != (start+int64(i)*step)*1000 || s.V[i] != float64(i) {
			t.Fatalf("point %d: (%d, %v), want (%d, %d)", i, s.T[i], s.V[i], (start+int64(i)*step)*1000, i)
		}
	}
}

// TestRangeValidation: a range that cannot be read is ErrBadQuery before
// any request.
func TestRangeValidation(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { reply(w, 200, okMatrix) })
	c := newClient(t, prom.Config{Address: f.URL})
	t0 := time.Unix(1767571200, 0)
	for _, tc := range []struct {
		name  string
		query string
		r     prom.Range
	}{
		{"empty_query", " ", prom.Range{Start: t0, End: t0, Step: time.Minute}},
		{"end_before_start", "up", prom.Range{Start: t0, End: t0.Add(-time.Minute), Step: time.Minute}},
		{"zero_step", "up", prom.Range{Start: t0, End: t0, Step: 0}},
		{"sub_millisecond_step", "up", prom.Range{Start: t0, End: t0, Step: time.Microsecond}},
		{"no_start", "up", prom.Range{End: t0, Step: time.Minute}},
	} {
		_, err := c.Range(context.Background(), tc.query, tc.r)
		if !errors.Is(err, prom.ErrBadQuery) {
			t.Errorf("%s: %v; want ErrBadQuery", tc.name, err)
		}
	}
	if _, err := c.RangeWeeksAgo(context.Background(), "up", oneMinute, 0); !errors.Is(err, prom.ErrBadQuery) {
		t.Errorf("0 weeks back: %v; want ErrBadQuery", err)
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("%d requests for invalid reads; want none", n)
	}
}

// TestRangeValidate: a range out of bounds is a *series.OptionError naming
// the field, so that chaosstat's --start/--end/--step and its server's
// keys of the same names share the rule and its wording; a read wraps it.
func TestRangeValidate(t *testing.T) {
	t0 := time.Unix(1767571200, 0)
	for _, tc := range []struct {
		name, reason string
		r            prom.Range
		max          int64
		option       string // "" for valid
	}{
		{"ok", "an hour of minutes", prom.Range{Start: t0, End: t0.Add(time.Hour), Step: time.Minute}, 61, ""},
		{"no_limit", "0 sets no limit on the points", prom.Range{Start: t0, End: t0.Add(time.Hour), Step: time.Millisecond}, 0, ""},
		{"end_before_start", "a reversed range", prom.Range{Start: t0, End: t0.Add(-time.Minute), Step: time.Minute}, 0, prom.OptionEnd},
		{"zero_step", "no step", prom.Range{Start: t0, End: t0, Step: 0}, 0, prom.OptionStep},
		{"sub_millisecond_step", "Prometheus's steps are whole milliseconds", prom.Range{Start: t0, End: t0, Step: time.Microsecond}, 0, prom.OptionStep},
		{"too_many_points", "62 points over a limit of 61", prom.Range{Start: t0, End: t0.Add(61 * time.Minute), Step: time.Minute}, 61, prom.OptionStep},
	} {
		err := tc.r.Validate(tc.max)
		var oe *series.OptionError
		switch {
		case tc.option == "" && err != nil:
			t.Errorf("%s: %v; want nil (%s)", tc.name, err, tc.reason)
		case tc.option != "" && (!errors.As(err, &oe) || oe.Option != tc.option):
			t.Errorf("%s: %v; want a *series.OptionError naming %s (%s)", tc.name, err, tc.option, tc.reason)
		}
	}
	r := prom.Range{Start: t0, End: t0.Add(-time.Minute), Step: time.Minute}
	if want := "end \"2026-01-04T23:59:00Z\": want a time not before the start, 2026-01-05T00:00:00Z"; r.Validate(0).Error() != want {
		t.Errorf("end before start: %q; want %q", r.Validate(0), want)
	}
}

// TestConnection checks what goes on the wire: the path prefix, the
// tenant header, the bearer token (re-read after it rotates), basic auth.
func TestConnection(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("first-token\n"), 0o600)
	var (
		mu    sync.Mutex // the race detector cannot see the order TCP gives
		seen  []http.Header
		paths []string
	)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Header.Clone())
		paths = append(paths, r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/query") {
			reply(w, 200, okVector)
			return
		}
		reply(w, 200, okMatrix)
	})
	c := newClient(t, prom.Config{
		Address:         f.URL + "/prometheus",
		BearerTokenFile: tokenFile,
		Headers:         map[string]string{"X-Scope-OrgID": "tenant-a"},
	})
	ctx := context.Background()
	if _, err := c.Range(ctx, "up", oneMinute); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(tokenFile, []byte("second-token"), 0o600)
	if _, err := c.Instant(ctx, "up", time.Time{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if paths[0] != "/prometheus/api/v1/query_range" || paths[1] != "/prometheus/api/v1/query" {
		t.Errorf("paths %q; want the /prometheus prefix kept", paths)
	}
	if seen[0].Get("X-Scope-OrgID") != "tenant-a" || seen[0].Get("Authorization") != "Bearer first-token" || seen[1].Get("Authorization") != "Bearer second-token" {
		t.Errorf("headers %v, %v; want the tenant and the token, re-read after rotation", seen[0], seen[1])
	}

	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("s3cret\n"), 0o600)
	c = newClient(t, prom.Config{Address: f.URL, BasicAuth: &prom.BasicAuth{Username: "reader", PasswordFile: pw}})
	mu.Unlock()
	_, err := c.Instant(ctx, "up", time.Time{})
	mu.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := seen[2].Get("Authorization"), "Basic "+base64.StdEncoding.EncodeToString([]byte("reader:s3cret")); got != want {
		t.Errorf("Authorization %q, want %q", got, want)
	}
}

// TestSecretsNeverShown: a server that echoes the credentials in its error
// bodies and warnings, a retry logged, a token file that vanishes: no error
// message and no log line holds a secret.
func TestSecretsNeverShown(t *testing.T) {
	const token, password = "tok-8f3a9c2e71", "pw-5d1e0b7c44"
	basic := base64.StdEncoding.EncodeToString([]byte("reader:" + password))
	secrets := []string{token, password, basic}
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(token), 0o600)

	var mode atomic.Int64
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		echo := strconv.Quote("you sent " + r.Header.Get("Authorization") + " and X-Api-Key " + r.Header.Get("X-Api-Key"))
		switch mode.Load() {
		case 0:
			reply(w, 503, echo[1:len(echo)-1])
		case 1:
			reply(w, 401, `{"status":"error","errorType":"unauthorized","error":`+echo+`}`)
		case 2:
			reply(w, 400, `{"status":"error","errorType":"bad_data","error":`+echo+`}`)
		case 3:
			reply(w, 200, `{"status":"success","warnings":[`+echo+`],"data":{"resultType":"matrix","result":[]}}`)
		}
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	var msgs []string
	for _, cfg := range []prom.Config{
		{Address: f.URL, BearerTokenFile: tokenFile, Headers: map[string]string{"X-Api-Key": "key-77aa"}},
		{Address: f.URL, BasicAuth: &prom.BasicAuth{Username: "reader", Password: password}},
	} {
		cfg.Retry, cfg.Logger = quick, logger
		c := newClient(t, cfg)
		for m := range int64(4) {
			mode.Store(m)
			_, err := c.Range(context.Background(), "up", oneMinute)
			if err == nil {
				t.Fatalf("mode %d: no error", m)
			}
			msgs = append(msgs, err.Error(), fmt.Sprintf("%+v", err))
			var pe *prom.Error
			if errors.As(err, &pe) {
				msgs = append(msgs, pe.Warnings...)
			}
		}
	}
	os.Remove(tokenFile)
	c := newClient(t, prom.Config{Address: f.URL, Headers: map[string]string{"Authorization": "Bearer " + token}, Retry: quick, Logger: logger})
	mode.Store(0)
	_, err := c.Range(context.Background(), "up", oneMinute)
	msgs = append(msgs, err.Error())
	_, err = prom.New(prom.Config{Address: "http://reader:" + password + "@localhost:9090"})
	msgs = append(msgs, err.Error())

	if !strings.Contains(logs.String(), "retrying") {
		t.Fatalf("no retry was logged: the log check would prove nothing\n%s", logs.String())
	}
	if !strings.Contains(strings.Join(msgs, "\n"), "<redacted>") {
		t.Fatalf("nothing was redacted: the server's echo did not reach the messages")
	}
	all := strings.Join(msgs, "\n") + "\n" + logs.String()
	for _, s := range append(secrets, "key-77aa") {
		if strings.Contains(all, s) {
			t.Errorf("secret %q appears in:\n%s", s, all)
		}
	}
}

// TestNewRejects: configurations that cannot work fail in New, naming the
// problem.
func TestNewRejects(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	for _, tc := range []struct {
		name string
		cfg  prom.Config
		msg  string
	}{
		{"no_address", prom.Config{}, "no address"},
		{"scheme", prom.Config{Address: "localhost:9090"}, "http:// or https://"},
		{"api_suffix", prom.Config{Address: "http://p:9090/api/v1"}, "without /api/v1"},
		{"credentials_in_url", prom.Config{Address: "http://u:p@p:9090"}, "must not carry credentials"},
		{"missing_token", prom.Config{Address: "http://p:9090", BearerTokenFile: filepath.Join(dir, "nope")}, "bearer token file"},
		{"empty_token", prom.Config{Address: "http://p:9090", BearerTokenFile: empty}, "is empty"},
		{"two_auths", prom.Config{Address: "http://p:9090", BearerTokenFile: empty, BasicAuth: &prom.BasicAuth{Username: "u"}}, "at most one"},
		{"bad_header", prom.Config{Address: "http://p:9090", Headers: map[string]string{"X Bad": "v"}}, "not a valid HTTP header name"},
		{"header_newline", prom.Config{Address: "http://p:9090", Headers: map[string]string{"X-A": "v\r\nX-B: w"}}, "line break"},
		{"max_points", prom.Config{Address: "http://p:9090", MaxPoints: 1}, "max_points 1: want a number of points per request >= 2"},
		{"max_response_bytes", prom.Config{Address: "http://p:9090", MaxResponseBytes: -1}, "max_response_bytes -1: want a number of bytes >= 1"},
		{"half_cert", prom.Config{Address: "https://p:9090", TLS: &prom.TLS{CertFile: empty}}, "both a certificate file and a key file"},
		{"bad_ca", prom.Config{Address: "https://p:9090", TLS: &prom.TLS{CAFile: empty}}, "no PEM certificate"},
	} {
		_, err := prom.New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v; want an error saying %q", tc.name, err, tc.msg)
		}
		// The limits name their key, for the command's flags.
		var oe *series.OptionError
		if strings.HasPrefix(tc.name, "max_") && (!errors.As(err, &oe) || oe.Option != tc.name) {
			t.Errorf("%s: %v; want a *series.OptionError naming %s", tc.name, err, tc.name)
		}
	}
	// A given 0, as a flag gives it, is no limit.
	if err := prom.CheckOption(prom.OptionMaxPoints, 0); err == nil {
		t.Error("CheckOption(max_points, 0): nil, want an error")
	}
}

// TestTLS reads over HTTPS with the server's CA given, and fails as
// unreachable (not retried into success) without it.
func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reply(w, 200, okMatrix) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes below
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pemCert(srv.Certificate().Raw), 0o600); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, prom.Config{Address: srv.URL, TLS: &prom.TLS{CAFile: ca}})
	if _, err := c.Range(context.Background(), "up", oneMinute); err != nil {
		t.Errorf("with the CA: %v", err)
	}
	c = newClient(t, prom.Config{Address: srv.URL, Retry: quick})
	_, err := c.Range(context.Background(), "up", oneMinute)
	if !errors.Is(err, prom.ErrUnreachable) || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("without the CA: %v; want ErrUnreachable about the certificate", err)
	}
}

// TestInfiniteValue: series cannot hold ±Inf, so a query that makes one
// is refused with advice rather than read as a value.
func TestInfiniteValue(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1767571200,"+Inf"]]}]}}`)
	})
	c := newClient(t, prom.Config{Address: f.URL})
	_, err := c.Range(context.Background(), "1/0", oneMinute)
	if !errors.Is(err, prom.ErrBadQuery) || !strings.Contains(err.Error(), "+Inf") {
		t.Errorf("%v; want ErrBadQuery about +Inf", err)
	}
}

// TestMaxResponseBytes: an answer longer than Config.MaxResponseBytes fails
// the read with ErrBadResponse, once (not retried), naming the cap, whether
// the server says its length (Content-Length) or streams it (a 2 GB label
// value once took the process to 4.2 GB); an answer of exactly the cap is
// read.
func TestMaxResponseBytes(t *testing.T) {
	big := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","l":"` +
		strings.Repeat("x", 4096) + `"},"values":[[1767571200,"1"]]}]}}`
	for _, c := range []struct {
		name   string
		stream bool // no Content-Length: chunked
		limit  int64
		ok     bool
	}{
		{"Content-Length over the cap", false, 1024, false},
		{"streamed over the cap", true, 1024, false},
		{"exactly the cap", true, int64(len(big)), true},
	} {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if !c.stream {
				w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			}
			w.WriteHeader(200)
			for i := 0; i < len(big); i += 512 {
				w.Write([]byte(big[i:min(i+512, len(big))]))
				if c.stream {
					w.(http.Flusher).Flush()
				}
			}
		})
		cl := newClient(t, prom.Config{Address: f.URL, Retry: quick, MaxResponseBytes: c.limit})
		res, err := cl.Range(context.Background(), "up", oneMinute)
		switch {
		case c.ok && (err != nil || len(res.Series) != 1):
			t.Errorf("%s: %v", c.name, err)
		case !c.ok && (!errors.Is(err, prom.ErrBadResponse) || !strings.Contains(err.Error(), "larger than 1024 bytes") || f.requests.Load() != 1):
			t.Errorf("%s: %v after %d requests; want ErrBadResponse naming the cap, one request", c.name, err, f.requests.Load())
		}
	}
}
