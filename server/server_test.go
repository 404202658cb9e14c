package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/server"
)

// newServer returns a Server for cfg or fails the test.
func newServer(t *testing.T, cfg server.Config) *server.Server {
	t.Helper()
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// do serves one request and returns the recorder.
func do(h http.Handler, method, path, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// errBody decodes an error body.
func errBody(t *testing.T, rec *httptest.ResponseRecorder) (msg, field string) {
	t.Helper()
	var e struct {
		Error string `json:"error"`
		Field string `json:"field"`
	}
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("the error body is not {error, field}: %v", err)
	}
	return e.Error, e.Field
}

// ten is a valid group of ten plain values.
const ten = `[1,2,3,4,5,6,7,8,9,10]`

func TestBadRequests(t *testing.T) {
	srv := newServer(t, server.Config{MaxPoints: 20, MaxBodyBytes: 4096, MaxWindows: 3})
	for _, c := range []struct {
		name, reason string
		path, body   string
		status       int
		field        string // the key named, "" for none
		msg          string // a part of the message
	}{
		{"malformed", "JSON cut short", "/v1/compare", `{"control": [1,2`, 400, "", "malformed JSON"},
		{"syntax", "not JSON at all", "/v1/compare", `control=1`, 400, "", "malformed JSON at byte"},
		{"empty", "an empty body", "/v1/compare", ``, 400, "", "empty body"},
		{"not_object", "an array in place of the request object", "/v1/compare", `[1,2]`, 400, "", "want a JSON object"},
		{"trailing", "a second value after the object", "/v1/compare", `{"control": [1]} {}`, 400, "", "after the value"},
		{"wrong_type", "a level as a string", "/v1/compare", `{"control": ` + ten + `, "experiment": ` + ten + `, "confidence": "high"}`, 400, "confidence", "want a number"},
		{"unknown_key", "a misspelt key is refused, not ignored", "/v1/compare", `{"controll": ` + ten + `}`, 400, "controll", "unknown key"},
		{"bad_time", "a time series point with a time ParseTime refuses", "/v1/compare", `{"control": [{"t": "yesterday", "v": 1}], "experiment": ` + ten + `}`, 400, "control", "point 0"},
		{"unsorted", "points out of time order", "/v1/compare", `{"control": [{"t": 20, "v": 1}, {"t": 10, "v": 2}], "experiment": ` + ten + `}`, 400, "control", ""},
		{"point_unknown_key", "a point with a key other than t and v", "/v1/compare", `{"control": [{"t": 10, "value": 1}], "experiment": ` + ten + `}`, 400, "control", "unknown"},
		{"string_values", "values as strings", "/v1/compare", `{"control": ["1", "2"], "experiment": ` + ten + `}`, 400, "control", "want"},
		{"bad_duration", "a window that is not a duration", "/v1/aa", `{"control": ` + ten + `, "experiment": ` + ten + `, "window": "30"}`, 400, "window", ""},
		{"missing_group", "each group is required", "/v1/compare", `{"control": ` + ten + `}`, 400, "experiment", "missing experiment"},
		{"both", "a group inline and as a query", "/v1/compare", `{"control": ` + ten + `, "control_query": "up", "experiment": ` + ten + `}`, 400, "control", "give the data once"},
		{"no_prometheus", "a query on a server without Prometheus", "/v1/compare", `{"control_query": "up", "experiment": ` + ten + `, "start": "now-1h"}`, 400, "control_query", "no Prometheus"},
		{"range_without_query", "start without a query, as the command refuses --start", "/v1/compare", `{"control": ` + ten + `, "experiment": ` + ten + `, "start": "now-1h"}`, 400, "start", ""},
		{"too_many_points", "more points than MaxPoints", "/v1/compare", `{"control": [` + strings.Repeat("1,", 20) + `1], "experiment": ` + ten + `}`, 400, "control", "at most 20"},
		{"confidence_percent", "the command's message for a percentage (compare.CheckConfidence)", "/v1/compare", `{"control": ` + ten + `, "experiment": ` + ten + `, "confidence": 95}`, 400, "confidence", "0.95 rather than 95"},
		{"bad_test", "an unknown test", "/v1/compare", `{"control": ` + ten + `, "experiment": ` + ten + `, "test": "ttest"}`, 400, "test", ""},
		{"no_data", "an empty group is no data: 422, never a pass", "/v1/compare", `{"control": [], "experiment": ` + ten + `}`, 422, "", "inconclusive"},
		{"all_missing", "every value missing is no data as well", "/v1/compare", `{"control": [null, null], "experiment": ` + ten + `}`, 422, "", "inconclusive"},
		{"aa_alpha", "alpha out of (0, 0.5)", "/v1/aa", `{"control": ` + ten + `, "experiment": ` + ten + `, "alpha": 0.7}`, 400, "alpha", ""},
		{"aa_too_many_windows", "more window lengths than MaxWindows: each is a replay, so the limit bounds the work", "/v1/aa", `{"control": ` + ten + `, "experiment": ` + ten + `, "windows": ["1h", "2h", "3h", "4h"]}`, 400, "windows", "4 window lengths; this server tries at most 3"},
		{"aa_duplicate_windows", "a length given twice, by the library's rule (compare.CheckAAWindows)", "/v1/aa", `{"control": ` + ten + `, "experiment": ` + ten + `, "windows": ["1h", "60m"]}`, 400, "windows", `windows "1h,1h": want each window length once (1h is given twice)`},
		{"aa_zero_window", "a zero length, by the library's rule", "/v1/aa", `{"control": ` + ten + `, "experiment": ` + ten + `, "windows": ["0s"]}`, 400, "windows", "want"},
		{"aa_plain", "the A/A replay needs timestamps (compare.CheckAAInput)", "/v1/aa", `{"control": ` + ten + `, "experiment": ` + ten + `}`, 400, "experiment", "no timestamps"},
		{"apdex_threshold", "apdex needs T", "/v1/apdex", `{"requests": [{"duration_seconds": 0.1, "error": false}]}`, 400, "threshold", ""},
		{"apdex_threshold_negative", "T must be positive, by the library's rule (apdex.Thresholds.Validate)", "/v1/apdex", `{"requests": [{"duration_seconds": 0.1, "error": false}], "threshold": -1}`, 400, "threshold", "want a positive number of seconds, such as 0.5"},
		{"apdex_frustrated_below", "F must be above T", "/v1/apdex", `{"requests": [{"duration_seconds": 0.1, "error": false}], "threshold": 0.5, "frustrated": 0.4}`, 400, "frustrated", "frustrated 0.4: want a number of seconds above threshold 0.5 (or leave it out for 4T = 2)"},
		{"apdex_frustrated_negative", "a negative F is below T too", "/v1/apdex", `{"requests": [{"duration_seconds": 0.1, "error": false}], "threshold": 0.5, "frustrated": -1}`, 400, "frustrated", "above threshold"},
		{"apdex_window_untimed", "a window of requests without timestamps: apdex.CheckWindow's rule and words, as the command's", "/v1/apdex", `{"requests": [{"duration_seconds": 0.1, "error": false}], "threshold": 0.5, "window": "1m"}`, 400, "window", "a window needs to know when each request happened"},
		{"apdex_no_requests", "no requests is NS: 422", "/v1/apdex", `{"requests": [], "threshold": 0.5}`, 422, "requests", "inconclusive"},
		{"baseline_local", "the machine's zone is refused (baseline.LoadLocation)", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "timezone": "Local"}`, 400, "timezone", "IANA"},
		{"baseline_min_weeks", "min_weeks above weeks", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "weeks": 2, "min_weeks": 3}`, 400, "min_weeks", "min_weeks 3: want a whole number from 1 to the number of weeks (2)"},
		{"baseline_weeks", "negative weeks, by the library's rule (baseline.Options.Validate)", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "weeks": -1}`, 400, "weeks", "want a whole number of at least 1"},
		{"baseline_resolution", "a negative resolution", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "resolution": -1}`, 400, "resolution", "want the metric's smallest step"},
		{"baseline_z", "a negative z (baseline.DeviationRule.Validate)", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "z": -1}`, 400, "z", "want a positive number, such as 4"},
		{"baseline_persistence", "a negative persistence", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "persistence": -1}`, 400, "persistence", "want a whole number of at least 1"},
		{"baseline_model", "a model that does not exist (baseline.ParseModel)", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "model": "poisson"}`, 400, "model", "auto, linear or counts"},
		{"baseline_model_log_scale", "model linear sets the scale: log_scale with it is refused", "/v1/baseline", `{"history": [{"t": 0, "v": 1}], "current": [{"t": 60, "v": 1}], "model": "linear", "log_scale": true}`, 400, "model", "sets log_scale"},
		{"criteria_no_metric", "criteria needs a candidate", "/v1/criteria", `{"satisfaction": [{"t": 0, "v": 1}]}`, 400, "metric", ""},
		{"criteria_alpha", "alpha 1 would make every correlation significant", "/v1/criteria", `{"satisfaction": [{"t": 0, "v": 1}], "metric": [{"name": "m", "data": [{"t": 0, "v": 1}]}], "alpha": 1}`, 400, "alpha", ""},
		{"criteria_completeness_percent", "a percentage for a share, by the library's rule (criteria.Options.Validate)", "/v1/criteria", `{"satisfaction": [{"t": 0, "v": 1}], "metric": [{"name": "m", "data": [{"t": 0, "v": 1}]}], "min_completeness": 99}`, 400, "min_completeness", "want a fraction, 0.99 rather than 99"},
		{"judge_no_hypothesis", "judge needs the hypothesis", "/v1/judge", `{}`, 400, "hypothesis", ""},
		{"judge_typo", "a misspelt key of the hypothesis names its line", "/v1/judge", `{"hypothesis": "name: x\nmetrics:\n  - name: m\n    control: a.csv\n    experiment: b.csv\n    tolerence: 0.1\n"}`, 400, "hypothesis", "tolerence"},
		{"judge_file", "a file source is never read from the server's disk", "/v1/judge", `{"hypothesis": "name: x\nmetrics:\n  - name: m\n    control: /etc/passwd\n    experiment: b.csv\n"}`, 400, "data", "reads no files"},
		{"judge_history_files", "history re-reads queries, and a hypothesis of files has none (workflow's rule)", "/v1/judge", `{"hypothesis": "name: x\nmetrics:\n  - name: m\n    control: a.csv\n    experiment: b.csv\n", "data": {"a.csv": [1, 2], "b.csv": [1, 2]}, "history": "4h"}`, 400, "history", "history_control and history_experiment"},
		{"judge_history_negative", "a negative history is not a duration the request takes", "/v1/judge", `{"hypothesis": "name: x\nmetrics:\n  - name: m\n    control: a.csv\n    experiment: b.csv\n", "history": "-1h"}`, 400, "history", "not positive"},
		{"judge_history_one_sided", "a history of one group names its line", "/v1/judge", `{"hypothesis": "name: x\nmetrics:\n  - name: m\n    control: a.csv\n    experiment: b.csv\n    history_control: h.csv\n"}`, 400, "hypothesis", "hypothesis:6: metrics[0].history_control: history_control without history_experiment"},
		{"judge_history_inline", "a history file source is read from data, never from disk", "/v1/judge", `{"hypothesis": "name: x\nmetrics:\n  - name: m\n    control: a.csv\n    experiment: b.csv\n    history_control: /etc/passwd\n    history_experiment: h.csv\n", "data": {"a.csv": [1, 2], "b.csv": [1, 2]}}`, 400, "data", "reads no files"},
		{"too_large", "a body over MaxBodyBytes", "/v1/compare", `{"control": [` + strings.Repeat("1,", 3000) + `1]}`, 413, "", "at most 4096"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := do(srv, http.MethodPost, c.path, c.body)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d (%s)\n%s", rec.Code, c.status, c.reason, rec.Body)
			}
			msg, field := errBody(t, rec)
			if field != c.field {
				t.Errorf("field %q, want %q (%s); message %q", field, c.field, c.reason, msg)
			}
			if c.field != "" && !strings.Contains(msg, c.field) {
				t.Errorf("message %q does not name %s", msg, c.field)
			}
			if !strings.Contains(msg, c.msg) {
				t.Errorf("message %q does not say %q (%s)", msg, c.msg, c.reason)
			}
		})
	}
}

// TestBadRange: a query's range out of bounds is refused before any read,
// by prom.Range.Validate's rule, naming the key as the command names the
// flag.
func TestBadRange(t *testing.T) {
	c, err := prom.New(prom.Config{Address: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, server.Config{MaxPoints: 20, Prometheus: c})
	for _, tc := range []struct {
		name, body, field, msg string
	}{
		{"end_before_start", `{"control_query": "up", "experiment_query": "up", "start": "2026-02-01T13:00:00Z", "end": "2026-02-01T12:00:00Z"}`,
			"end", `end "2026-02-01T12:00:00Z": want a time not before the start, 2026-02-01T13:00:00Z`},
		{"too_many_points", `{"control_query": "up", "experiment_query": "up", "start": "2026-02-01T12:00:00Z", "end": "2026-02-01T13:00:00Z"}`,
			"step", "step 1m0s: want a step that gives at most 20 points per series over the range (this one gives 61)"},
	} {
		rec := do(srv, http.MethodPost, "/v1/compare", tc.body)
		msg, field := errBody(t, rec)
		if rec.Code != http.StatusBadRequest || field != tc.field || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: %d %q field %q; want 400 %q field %q", tc.name, rec.Code, msg, field, tc.msg, tc.field)
		}
	}
}

func TestRoutes(t *testing.T) {
	srv := newServer(t, server.Config{})
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/healthz", 200},
		{http.MethodGet, "/v1/compare", 405},
		{http.MethodPost, "/healthz", 405},
		{http.MethodPost, "/v1/nope", 404},
		{http.MethodGet, "/nope", 404},
		{http.MethodPost, "/v1/monitors/x/health", 404}, // no Monitors configured
	} {
		if rec := do(srv, c.method, c.path, ""); rec.Code != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, rec.Code, c.status)
		}
	}
}

// TestToken checks that every /v1 route needs the token, that /healthz and
// /metrics do not, and that neither the token nor Prometheus's
// credentials reach the log.
func TestToken(t *testing.T) {
	const token = "s3cret-token-value"
	var logged bytes.Buffer
	var mu sync.Mutex
	mons := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	c, err := prom.New(prom.Config{Address: "http://127.0.0.1:1", BasicAuth: &prom.BasicAuth{Username: "u", Password: "prom-password-value"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, server.Config{Token: token, Monitors: mons, Prometheus: c,
		Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &logged}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	body := `{"control": ` + ten + `, "experiment": ` + ten + `}`
	for _, c := range []struct {
		name   string
		path   string
		header []string
		status int
	}{
		{"none", "/v1/compare", nil, 401},
		{"wrong", "/v1/compare", []string{"Authorization", "Bearer nope"}, 401},
		{"prefix", "/v1/compare", []string{"Authorization", "Bearer " + token[:5]}, 401},
		{"basic", "/v1/compare", []string{"Authorization", "Basic " + token}, 401},
		{"right", "/v1/compare", []string{"Authorization", "Bearer " + token}, 200},
		{"unknown_route", "/v1/nope", nil, 401},
		{"monitors", "/v1/monitors/abc/health", nil, 401},
		{"monitors_right", "/v1/monitors/abc/health", []string{"Authorization", "Bearer " + token}, 200},
		{"query_right", "/v1/compare", []string{"Authorization", "Bearer " + token}, 200},
	} {
		rec := do(srv, http.MethodPost, c.path, body, c.header...)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d\n%s", c.name, rec.Code, c.status, rec.Body)
		}
		if rec.Code == 401 {
			if _, field := errBody(t, rec); field != "Authorization" {
				t.Errorf("%s: field %q, want Authorization", c.name, field)
			}
		}
	}
	// A query read fails (nothing listens on port 1): its error is logged
	// or returned without the password.
	rec := do(srv, http.MethodPost, "/v1/compare", `{"control_query": "up", "experiment": `+ten+`, "start": "now-1h"}`, "Authorization", "Bearer "+token)
	for _, path := range []string{"/healthz", "/metrics"} {
		if rec := do(srv, http.MethodGet, path, ""); rec.Code != 200 {
			t.Errorf("%s without a token: status %d, want 200", path, rec.Code)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, secret := range []string{token, "prom-password-value"} {
		if strings.Contains(logged.String(), secret) || strings.Contains(rec.Body.String(), secret) {
			t.Errorf("the log or an answer holds a secret:\n%s\n%s", logged.String(), rec.Body)
		}
	}
	if !strings.Contains(logged.String(), "status=401") {
		t.Errorf("the log has no line per request:\n%s", logged.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func TestCheckListen(t *testing.T) {
	for _, c := range []struct {
		addr  string
		token bool
		ok    bool
	}{
		{"127.0.0.1:8080", false, true},
		{"[::1]:8080", false, true},
		{"localhost:8080", false, true},
		{":8080", false, false},
		{"0.0.0.0:8080", false, false},
		{"10.1.2.3:8080", false, false},
		{"example.com:8080", false, false},
		{":8080", true, true},
		{"8080", false, false},
	} {
		err := server.CheckListen(c.addr, c.token)
		if (err == nil) != c.ok {
			t.Errorf("CheckListen(%q, %v) = %v, want ok %v", c.addr, c.token, err, c.ok)
		}
	}
}

// TestMonitorsMount checks that Config.Monitors gets /v1/monitors and
// everything below, the path unchanged, with a deadline and the body
// limit, and is counted in /metrics beside Config.Collectors.
func TestMonitorsMount(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	mons := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, hasDeadline := r.Context().Deadline()
		_, err := io.ReadAll(r.Body)
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		switch {
		case !hasDeadline:
			w.WriteHeader(http.StatusInternalServerError)
		case err != nil:
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		default:
			w.WriteHeader(http.StatusServiceUnavailable) // a stopped monitor
		}
	})
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "chaosstat_monitors_running", Help: "test"})
	g.Set(3)
	srv := newServer(t, server.Config{Monitors: mons, Collectors: []prometheus.Collector{g}, MaxBodyBytes: 10})
	if rec := do(srv, http.MethodGet, "/v1/monitors/abc/health", ""); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /v1/monitors/abc/health: status %d, want the handler's 503", rec.Code)
	}
	if rec := do(srv, http.MethodPost, "/v1/monitors", strings.Repeat("x", 100)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST /v1/monitors with 100 bytes over a limit of 10: status %d, want 413", rec.Code)
	}
	mu.Lock()
	if fmt.Sprint(paths) != "[/v1/monitors/abc/health]" {
		t.Errorf("the handler saw %v", paths)
	}
	mu.Unlock()
	m := do(srv, http.MethodGet, "/metrics", "").Body.String()
	for _, want := range []string{
		`chaosstat_http_requests_total{code="503",handler="/v1/monitors/",method="get"} 1`,
		`chaosstat_http_requests_total{code="413",handler="/v1/monitors",method="post"} 1`,
		`chaosstat_monitors_running 3`,
		`chaosstat_http_request_duration_seconds_count{code="503",handler="/v1/monitors/",method="get"} 1`,
		`chaosstat_http_requests_in_flight{handler="/v1/compare"} 0`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The registry is the Server's own: two Servers coexist in one process.
	newServer(t, server.Config{})
}

// TestQueries reads both groups from a Prometheus API: the answer is the
// same as the same values inline. The fake answers every query with one
// series, the query's number as the level.
func TestQueries(t *testing.T) {
	start := time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		level := map[string]int{"control": 100, "experiment": 50}[r.Form.Get("query")]
		var b strings.Builder
		b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[`)
		for i := range 10 {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `[%d,"%d"]`, start.Unix()+60*int64(i), level+i)
		}
		b.WriteString(`]}]}}`)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, b.String())
	}))
	defer fake.Close()
	c, err := prom.New(prom.Config{Address: fake.URL, Retry: prom.Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, server.Config{Prometheus: c})
	q := do(srv, http.MethodPost, "/v1/compare", `{"control_query": "control", "experiment_query": "experiment", "start": "2026-02-01T12:00:00Z", "end": "2026-02-01T12:09:00Z"}`)
	inline := do(srv, http.MethodPost, "/v1/compare", `{"control": [100,101,102,103,104,105,106,107,108,109], "experiment": [50,51,52,53,54,55,56,57,58,59]}`)
	if q.Code != 200 || q.Body.String() != inline.Body.String() {
		t.Errorf("from queries: %d\n%s\ninline: %d\n%s", q.Code, q.Body, inline.Code, inline.Body)
	}
}

// TestTimeout: a query that does not answer within Config.Timeout is cut
// off and the request answered 503; the fake waits for the read to be
// cancelled, so the test takes the timeout and no more.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm() // the server sees the client go only once the body is read
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer fake.Close()
	defer close(release)
	c, err := prom.New(prom.Config{Address: fake.URL, Retry: prom.Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, server.Config{Prometheus: c, Timeout: 50 * time.Millisecond})
	rec := do(srv, http.MethodPost, "/v1/compare", `{"control_query": "up", "experiment": `+ten+`, "start": "now-1h"}`)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503\n%s", rec.Code, rec.Body)
	}
	if msg, _ := errBody(t, rec); !strings.Contains(msg, "timeout") {
		t.Errorf("message %q does not say timeout", msg)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, cfg := range []server.Config{{MaxBodyBytes: -1}, {MaxPoints: -1}, {MaxWindows: -1}, {Timeout: -1}, {MaxConcurrent: -1}, {Token: "a b"}} {
		if _, err := server.New(cfg); err == nil {
			t.Errorf("New(%+v) = nil error", cfg)
		}
	}
}
