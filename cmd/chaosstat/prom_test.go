package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Golden cases of the Prometheus flags that need no server: usage errors.
var promCases = []cliCase{
	{
		name:   "prom_query_without_server",
		reason: "a query needs a server to send it to",
		args:   []string{"compare", "--control-query", "up", "--experiment-query", "up", "--start", "now-1h"},
		code:   exitUsage,
	},
	{
		name:   "prom_server_without_query",
		reason: "--prometheus with files only would silently ignore the server",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "prom_flag_without_server",
		reason: "a Prometheus flag with files only is a mistake, not a default",
		args:   []string{"compare", "--control", taxiControl, "--experiment", taxiExperiment, "--step", "5m"},
		code:   exitUsage,
	},
	{
		name:   "prom_missing_start",
		reason: "a range needs its start; there is no safe default",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control-query", "up", "--experiment-query", "up"},
		code:   exitUsage,
	},
	{
		name:   "prom_both_file_and_query",
		reason: "one side given twice is ambiguous",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control", taxiControl, "--control-query", "up", "--experiment-query", "up", "--start", "0"},
		code:   exitUsage,
	},
	{
		name:   "prom_bad_time",
		reason: "a time that is neither RFC 3339 nor Unix seconds is named",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control-query", "up", "--experiment-query", "up", "--start", "yesterday"},
		code:   exitUsage,
	},
	{
		name:   "prom_millisecond_time",
		reason: "Unix milliseconds are the usual mistake: the message asks",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control-query", "up", "--experiment-query", "up", "--start", "1769947200000"},
		code:   exitUsage,
	},
	{
		name:   "prom_max_points_one",
		reason: "--max-points below 2 is refused, by the library's rule (prom.CheckOption)",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control-query", "up", "--experiment-query", "up", "--start", "2026-02-01T12:00:00Z", "--max-points", "1"},
		code:   exitUsage,
	},
	{
		name:   "prom_end_before_start",
		reason: "a reversed range",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control-query", "up", "--experiment-query", "up", "--start", "2026-02-01T13:00:00Z", "--end", "2026-02-01T12:00:00Z"},
		code:   exitUsage,
	},
	{
		name:   "prom_bad_header",
		reason: "--header wants NAME=VALUE",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control-query", "up", "--experiment-query", "up", "--start", "0", "--header", "X-Scope-OrgID"},
		code:   exitUsage,
	},
	{
		name:   "prom_bad_step",
		reason: "--step 0 would never end",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--control-query", "up", "--experiment-query", "up", "--start", "0", "--step", "0s"},
		code:   exitUsage,
	},
	{
		name:   "prom_credentials_in_url",
		reason: "a password in the URL is refused without being echoed",
		args:   []string{"compare", "--prometheus", "http://reader:hunter2@127.0.0.1:1", "--control-query", "up", "--experiment-query", "up", "--start", "0", "--end", "60"},
		code:   exitUsage,
	},
	{
		name:   "prom_missing_token_file",
		reason: "a missing token file is named before any query",
		args:   []string{"compare", "--prometheus", "http://127.0.0.1:1", "--bearer-token-file", "testdata/no_such_token", "--control-query", "up", "--experiment-query", "up", "--start", "0", "--end", "60"},
		code:   exitUsage,
	},
}

func init() { cliCases = append(cliCases, promCases...) }

// runArgs runs chaosstat in-process.
func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, bytes.NewReader(nil), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestComparePrometheus runs compare against a real Prometheus backfilled
// with prom/testdata/latency.om: the hour of the injected fault read by
// query gives the same result as the CSV files written from the same values
// (prom/testdata/gen.go), in JSON byte for byte and in text but for the
// names; the failure modes give their exit codes.
func TestComparePrometheus(t *testing.T) {
	t.Parallel()
	// The package's one server (promcli_test.go), backfilled from
	// ../../prom/testdata/latency.om.
	url := promShared.URL(t)
	const (
		ctlQ = `checkout_latency_ms{group="control"}`
		expQ = `checkout_latency_ms{group="experiment"}`
	)
	q := func(extra ...string) []string {
		return append([]string{"compare", "--prometheus", url, "--control-query", ctlQ, "--experiment-query", expQ,
			"--start", "2026-02-01T12:00:00Z", "--end", "1769950800", "--step", "1m"}, extra...)
	}
	files := func(extra ...string) []string {
		return append([]string{"compare", "--control", "../../prom/testdata/control_hour.csv", "--experiment", "../../prom/testdata/experiment_hour.csv"}, extra...)
	}

	for _, extra := range [][]string{
		{"--format", "json"},
		{"--format", "json", "--test", "welch"},
		{"--format", "json", "--test", "ks"},
		{"--format", "json", "--alternative", "greater", "--confidence", "0.99"},
	} {
		qc, qout, qerr := runArgs(q(extra...)...)
		fc, fout, ferr := runArgs(files(extra...)...)
		if qc != exitSignificant || fc != exitSignificant || qout != fout || qerr != "" || ferr != "" {
			t.Errorf("%v: from queries exit %d\n%s%s\nfrom files exit %d\n%s%s", extra, qc, qout, qerr, fc, fout, ferr)
		}
	}

	// Text: the same lines, but the first two name the queries.
	qc, qout, _ := runArgs(q()...)
	fc, fout, _ := runArgs(files()...)
	ql, fl := strings.Split(qout, "\n"), strings.Split(fout, "\n")
	if qc != fc || len(ql) != len(fl) || strings.Join(ql[2:], "\n") != strings.Join(fl[2:], "\n") ||
		!strings.Contains(ql[0], expQ+"  n = 61") || !strings.Contains(ql[1], ctlQ) {
		t.Errorf("text from queries:\n%s\nfrom files:\n%s", qout, fout)
	}

	// The same comparison with the range given as Unix seconds throughout
	// and small requests (--max-points 7: nine per side) is the same.
	code, out, errOut := runArgs("compare", "--prometheus", url, "--control-query", ctlQ, "--experiment-query", expQ,
		"--start", "1769947200", "--end", "2026-02-01T13:00:00Z", "--max-points", "7", "--format", "json")
	_, want, _ := runArgs(files("--format", "json")...)
	if code != exitSignificant || out != want {
		t.Errorf("--max-points 7: exit %d\n%s%s\nwant\n%s", code, out, errOut, want)
	}

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"two_series", []string{"--control-query", "checkout_latency_ms"}, exitUsage, "returned 2 series"},
		{"no_data", []string{"--control-query", `checkout_latency_ms{group="canary"}`}, exitInconclusive, "inconclusive: --control-query: query \"checkout_latency_ms{group=\\\"canary\\\"}\" returned no series"},
		{"bad_query", []string{"--control-query", "rate(checkout_latency_ms[5m]"}, exitUsage, "parse error"},
		{"before_the_data", []string{"--start", "2025-01-01T00:00:00Z", "--end", "2025-01-01T01:00:00Z"}, exitInconclusive, "returned no series"},
		// Issue 13: a syntax error on one group and no data on the other is
		// the usage error the user must fix (exit 2), not no data (3).
		{"bad_query_before_no_data", []string{"--control-query", "rate(checkout_latency_ms[5m]", "--experiment-query", `checkout_latency_ms{group="canary"}`}, exitUsage, "parse error"},
		{"no_data_before_bad_query", []string{"--control-query", `checkout_latency_ms{group="canary"}`, "--experiment-query", "rate(checkout_latency_ms[5m]"}, exitUsage, "parse error"},
	} {
		// tc.args replace the values of the same flags (a flag given twice
		// is a usage error).
		code, out, errOut := runArgs(withFlags(q(), tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.stderr) || out != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit %d, stderr with %q", tc.name, code, errOut, out, tc.code, tc.stderr)
		}
	}
}

// TestComparePrometheusConnection uses a fake server to check what only a
// fake can show: the tenant header and token on the wire under a /prometheus
// prefix, a partial answer failing the read as inconclusive (and read with
// a warning under --allow-partial), and the token kept out of messages.
func TestComparePrometheusConnection(t *testing.T) {
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	os.WriteFile(token, []byte("tok-secret-4411\n"), 0o600)
	// mu orders the handler's and the test's access for the race
	// detector, which cannot see the order the requests give.
	var (
		mu                          sync.Mutex
		partial, bad                bool
		gotPath, gotTenant, gotAuth string
	)
	f := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		gotPath, gotTenant, gotAuth = r.URL.Path, r.Header.Get("X-Scope-OrgID"), r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		if bad {
			w.WriteHeader(400)
			w.Write([]byte(`{"status":"error","errorType":"bad_data","error":"your token ` + strings.TrimPrefix(gotAuth, "Bearer ") + ` is not allowed here"}`))
			return
		}
		warn := ""
		if partial {
			warn = `"warnings":["partial response: store 10.0.0.7:10901 unavailable"],`
		}
		r.ParseForm()
		v := "1"
		if strings.Contains(r.Form.Get("query"), "experiment") {
			v = "2"
		}
		var b strings.Builder
		b.WriteString(`{"status":"success",` + warn + `"data":{"resultType":"matrix","result":[{"metric":{"__name__":"m"},"values":[`)
		for i := range 10 {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`[` + strconv.Itoa(1769947200+60*i) + `,"` + v + `.` + strconv.Itoa(i) + `"]`)
		}
		b.WriteString(`]}]}}`)
		w.Write([]byte(b.String()))
	}))
	defer f.Close()
	args := []string{"compare", "--prometheus", f.URL + "/prometheus", "--header", "X-Scope-OrgID=team-a", "--bearer-token-file", token,
		"--control-query", "m{g=\"control\"}", "--experiment-query", "m{g=\"experiment\"}", "--start", "1769947200", "--end", "1769947740", "--timeout", "5s"}

	code, out, errOut := runArgs(append(args, "--format", "json")...)
	mu.Lock()
	defer mu.Unlock()
	if code != exitSignificant || gotPath != "/prometheus/api/v1/query_range" || gotTenant != "team-a" || gotAuth != "Bearer tok-secret-4411" {
		t.Errorf("exit %d, path %q, tenant %q, auth %q\n%s%s", code, gotPath, gotTenant, gotAuth, out, errOut)
	}

	partial = true
	mu.Unlock()
	code, out, errOut = runArgs(args...)
	if code != exitInconclusive || !strings.Contains(errOut, "store 10.0.0.7:10901 unavailable") || !strings.Contains(errOut, "--allow-partial") {
		t.Errorf("partial: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runArgs(append(args, "--allow-partial", "--format", "json")...)
	if code != exitSignificant || !strings.Contains(out, "the server warned (read anyway, --allow-partial): partial response") {
		t.Errorf("--allow-partial: exit %d\n%s%s", code, out, errOut)
	}

	mu.Lock()
	partial, bad = false, true
	mu.Unlock()
	code, out, errOut = runArgs(args...)
	mu.Lock()
	if code != exitUsage || strings.Contains(out+errOut, "tok-secret-4411") || !strings.Contains(errOut, "<redacted>") {
		t.Errorf("a server echoing the token: exit %d\n%s%s", code, out, errOut)
	}
}

// TestPromTimeFlag: the forms --start and --end take (series.ParseTimeAt's),
// and what each means.
func TestPromTimeFlag(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 2, 1, 13, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2026-02-01T12:00:00Z", time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)},
		{"2026-02-01T07:00:00-05:00", time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)},
		{"1769947200", time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)},
		{"1769947200.25", time.Date(2026, 2, 1, 12, 0, 0, 250e6, time.UTC)},
		{"now", now()},
		{"now-1h30m", time.Date(2026, 2, 1, 11, 30, 0, 0, time.UTC)},
	} {
		f := promTimeFlag{now: now}
		err := f.Set(tc.in)
		if got := f.t; err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "yesterday", "now-", "now-x", "2026-02-01T12:00:00", "1769947200000"} {
		f := promTimeFlag{now: now}
		if err := f.Set(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// withFlags returns args with each "--name value" pair of set replacing
// the value of the same flag in args, or appended when args lacks it.
func withFlags(args []string, set ...string) []string {
	out := append([]string(nil), args...)
	for i := 0; i+1 < len(set); i += 2 {
		j := slices.Index(out, set[i])
		if j >= 0 && j+1 < len(out) {
			out[j+1] = set[i+1]
		} else {
			out = append(out, set[i], set[i+1])
		}
	}
	return out
}
