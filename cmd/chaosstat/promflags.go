package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/workflow"
)

// This file holds the flags every command that reads series uses to read
// them from a Prometheus-compatible server instead of files. A command
// embeds a promInput, calls register on its flag set, check after parsing,
// and readQuery for each query; promUsage is the text for its usage.

// promPasswordEnv is the environment variable that holds the basic-auth
// password when --basic-auth-user is given without --basic-auth-password-file.
// A password is never a flag: flags show in ps and shell history.
const promPasswordEnv = "CHAOSSTAT_PROMETHEUS_PASSWORD"

// promUsage documents the flags register adds, for a command's usage.
const promUsage = `	--prometheus URL     the server's base URL, with its path prefix: Prometheus
	                     http://prometheus:9090, Thanos Querier http://thanos:10902,
	                     Mimir or Cortex http://mimir:8080/prometheus,
	                     VictoriaMetrics http://victoria:8428
	--start TIME         start of the range, RFC 3339 (2026-02-01T12:00:00Z),
	                     Unix seconds, or now-DURATION (now-1h)
	--end TIME           end of the range, included when on the step grid
	                     (default now)
	--step DURATION      spacing of the points (default 1m)
	--header K=V         an HTTP header for every request, repeatable;
	                     X-Scope-OrgID=TENANT for Mimir and Cortex
	--bearer-token-file FILE
	                     send the file's token as "Authorization: Bearer"
	                     (re-read at each request)
	--basic-auth-user USER
	                     HTTP basic auth; the password comes from
	                     --basic-auth-password-file FILE or the environment
	                     variable ` + promPasswordEnv + `
	--tls-ca FILE        PEM certificate authorities for the server's certificate
	--tls-cert FILE      PEM client certificate, with --tls-key FILE
	--timeout DURATION   limit for each request (default 30s)
	--max-points N       points per series per request (default 11000, the
	                     Prometheus, Thanos and Mimir limit; 30000 for VictoriaMetrics)
	--max-response-bytes N
	                     the largest answer read (default 64 MiB); a larger one fails
	--allow-partial      go on when the server warns that its answer is partial
	                     (Thanos partial responses, VictoriaMetrics isPartial);
	                     by default such a read fails
`

// promTimeFlag is --start or --end, as series.ParseTimeAt reads it: RFC
// 3339, Unix seconds, now or now-DURATION.
type promTimeFlag struct {
	t   time.Time
	set bool
	now func() time.Time
}

func (f *promTimeFlag) String() string {
	if !f.set {
		return ""
	}
	return f.t.UTC().Format(time.RFC3339Nano)
}

func (f *promTimeFlag) Set(s string) error {
	now := f.now
	if now == nil {
		now = time.Now
	}
	t, err := series.ParseTimeAt(s, now())
	if err != nil {
		return err
	}
	f.t, f.set = t, true
	return nil
}

// promStepFlag is --step: a duration as series.ParseDuration reads it
// (1m, 30s), or a plain number of seconds, as Prometheus's step parameter
// takes it.
type promStepFlag struct{ durationFlag }

func (f *promStepFlag) Set(s string) error {
	if sec, err := strconv.ParseFloat(s, 64); err == nil {
		d, err := series.ParseDuration(strconv.FormatFloat(sec, 'f', -1, 64) + "s")
		if err != nil {
			return fmt.Errorf("%q seconds: want a positive whole number of milliseconds, such as 60", s)
		}
		f.d = d
		return nil
	}
	return f.durationFlag.Set(s)
}

// promHeaderFlag is the repeatable --header K=V.
type promHeaderFlag struct{ h map[string]string }

func (*promHeaderFlag) Repeatable() {} // cliflag.Repeatable: each adds one

func (f *promHeaderFlag) String() string {
	keys := make([]string, 0, len(f.h))
	for k := range f.h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",") // names only: values may be secret
}

func (f *promHeaderFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return errors.New("want NAME=VALUE, such as X-Scope-OrgID=tenant-a")
	}
	if f.h == nil {
		f.h = map[string]string{}
	}
	f.h[k] = v
	return nil
}

// promInput holds the Prometheus flags of one command.
type promInput struct {
	url                   string
	start, end            promTimeFlag
	step                  promStepFlag
	headers               promHeaderFlag
	bearerTokenFile       string
	basicAuthUser         string
	basicAuthPasswordFile string
	tlsCA, tlsCert        string
	tlsKey                string
	timeout               durationFlag
	maxPoints             int
	maxResponseBytes      int64
	allowPartial          bool
	// serverStats asks the server for its query statistics (criteria
	// reports the samples a query reads); not a flag.
	serverStats bool

	// now is the clock for --end's default and now-DURATION (tests set it).
	now func() time.Time
	// getenv reads the password variable (tests set it).
	getenv func(string) string
}

// register adds the Prometheus flags to fs.
func (p *promInput) register(fs *flag.FlagSet) {
	if p.now == nil {
		p.now = time.Now
	}
	if p.getenv == nil {
		p.getenv = os.Getenv
	}
	p.start.now, p.end.now = p.now, p.now
	p.step.d = prom.DefaultStep
	p.timeout.d = prom.DefaultTimeout
	p.maxPoints = prom.DefaultMaxPoints
	fs.StringVar(&p.url, "prometheus", "", "")
	fs.Var(&p.start, "start", "")
	fs.Var(&p.end, "end", "")
	fs.Var(&p.step, "step", "")
	fs.Var(&p.headers, "header", "")
	fs.StringVar(&p.bearerTokenFile, "bearer-token-file", "", "")
	fs.StringVar(&p.basicAuthUser, "basic-auth-user", "", "")
	fs.StringVar(&p.basicAuthPasswordFile, "basic-auth-password-file", "", "")
	fs.StringVar(&p.tlsCA, "tls-ca", "", "")
	fs.StringVar(&p.tlsCert, "tls-cert", "", "")
	fs.StringVar(&p.tlsKey, "tls-key", "", "")
	fs.Var(&p.timeout, "timeout", "")
	fs.IntVar(&p.maxPoints, "max-points", p.maxPoints, "")
	fs.Int64Var(&p.maxResponseBytes, "max-response-bytes", prom.DefaultMaxResponseBytes, "")
	fs.BoolVar(&p.allowPartial, "allow-partial", false, "")
}

// enabled reports whether --prometheus was given.
func (p *promInput) enabled() bool { return p.url != "" }

// check validates the flags after parsing, given whether the command has
// any query to read. It returns a usage message, or "".
func (p *promInput) check(fs *flag.FlagSet, haveQuery bool) string {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if !p.enabled() {
		if haveQuery {
			return "a query needs --prometheus URL, the server to send it to"
		}
		for _, name := range append([]string{"start", "end", "step"}, promClientFlags...) {
			if given[name] {
				return fmt.Sprintf("--%s is a Prometheus flag: it needs --prometheus URL and a query", name)
			}
		}
		return ""
	}
	switch {
	case !haveQuery:
		return "--prometheus is given but no query: give the queries to read from it"
	case !p.start.set:
		return "missing --start TIME, the start of the range (RFC 3339, Unix seconds or now-DURATION)"
	case p.checkClient() != "":
		return p.checkClient()
	}
	if !p.end.set {
		p.end.t, p.end.set = p.now(), true
	}
	// The library's rule (prom.Range.Validate): --end not before --start,
	// and at most maxRangePoints points per series.
	return optionUsage(p.timeRange().Validate(maxRangePoints))
}

// maxRangePoints bounds the points per series a range may ask for: more
// is a mistyped --step or --start, which would read for hours.
const maxRangePoints = 10_000_000

// promClientFlags are the Prometheus flags that configure the client: all
// but --prometheus and the range's --start, --end and --step.
var promClientFlags = []string{"header", "bearer-token-file", "basic-auth-user", "basic-auth-password-file", "tls-ca", "tls-cert", "tls-key", "timeout", "max-points", "max-response-bytes", "allow-partial"}

// checkClient returns a usage message when the client's flags contradict
// each other or are out of range, or "". check and serve call it.
func (p *promInput) checkClient() string {
	// The limits by the library's rules (prom.CheckOption).
	if msg := optionUsage(prom.CheckOption(prom.OptionMaxPoints, float64(p.maxPoints))); msg != "" {
		return msg
	}
	if msg := optionUsage(prom.CheckOption(prom.OptionMaxResponseBytes, float64(p.maxResponseBytes))); msg != "" {
		return msg
	}
	switch {
	case p.basicAuthUser == "" && p.basicAuthPasswordFile != "":
		return "--basic-auth-password-file needs --basic-auth-user"
	case p.basicAuthUser != "" && p.bearerTokenFile != "":
		return "--basic-auth-user and --bearer-token-file: give one way to authenticate"
	}
	return ""
}

// client returns a prom.Client for the flags.
func (p *promInput) client() (*prom.Client, error) {
	cfg := prom.Config{
		Address:          p.url,
		BearerTokenFile:  p.bearerTokenFile,
		Headers:          p.headers.h,
		Timeout:          p.timeout.d,
		MaxPoints:        p.maxPoints,
		MaxResponseBytes: p.maxResponseBytes,
		AllowPartial:     p.allowPartial,
		ServerStats:      p.serverStats,
	}
	if p.basicAuthUser != "" {
		cfg.BasicAuth = &prom.BasicAuth{Username: p.basicAuthUser, PasswordFile: p.basicAuthPasswordFile}
		if p.basicAuthPasswordFile == "" {
			cfg.BasicAuth.Password = p.getenv(promPasswordEnv)
			if cfg.BasicAuth.Password == "" {
				return nil, fmt.Errorf("--basic-auth-user needs a password: set %s or give --basic-auth-password-file", promPasswordEnv)
			}
		}
	}
	if p.tlsCA != "" || p.tlsCert != "" || p.tlsKey != "" {
		cfg.TLS = &prom.TLS{CAFile: p.tlsCA, CertFile: p.tlsCert, KeyFile: p.tlsKey}
	}
	c, err := prom.New(cfg)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "prom: "))
	}
	return c, nil
}

// clientIfEnabled returns client(), or nil without --prometheus.
func (p *promInput) clientIfEnabled() (*prom.Client, error) {
	if !p.enabled() {
		return nil, nil
	}
	return p.client()
}

// timeRange returns the range the flags give.
func (p *promInput) timeRange() prom.Range {
	return prom.Range{Start: p.start.t, End: p.end.t, Step: p.step.d}
}

// readQuery reads query over the flags' range and returns its one series.
// The exit code says what a failure means: exitInconclusive when there is
// no data or the server said its answer was partial, exitUsage otherwise
// (a bad query, an unreachable server, several series).
func (p *promInput) readQuery(ctx context.Context, c *prom.Client, query string) (series.Series, []string, int, error) {
	s, warnings, _, code, err := p.readQueryStats(ctx, c, query)
	return s, warnings, code, err
}

// readQueryStats is readQuery that also returns the read's counts.
func (p *promInput) readQueryStats(ctx context.Context, c *prom.Client, query string) (series.Series, []string, prom.Stats, int, error) {
	r := p.timeRange()
	res, err := c.Range(ctx, query, r)
	return oneSeries(query, r, res, err)
}

// oneSeries takes the outcome of a range read of query over r and returns
// its one series, its warnings and counts, as readQuery says
// (workflow.PromSource.OneSeries).
func oneSeries(query string, r prom.Range, res *prom.RangeResult, err error) (series.Series, []string, prom.Stats, int, error) {
	var stats prom.Stats
	if err == nil {
		stats = res.Stats
	}
	s, ws, err := workflow.PromSource{Range: r, AllowPartialName: "--allow-partial"}.OneSeries(query, res, err)
	code := exitOK
	switch {
	case err != nil:
		code = failureCode(err)
	}
	var warnings []string
	for _, w := range ws {
		warnings = append(warnings, w.Error())
	}
	return s, warnings, stats, code, err
}
