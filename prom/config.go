package prom

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/chaosstat/chaosstat/series"
)

// DefaultMaxPoints is the most points per series one range request asks
// for: Prometheus refuses a range whose (end - start)/step exceeds 11,000
// (HTTP 400, "exceeded maximum resolution of 11,000 points per
// timeseries"). Thanos and Mimir keep the same limit; VictoriaMetrics allows
// 30,000 by default (-search.maxPointsPerTimeseries).
const DefaultMaxPoints = 11000

// DefaultMaxResponseBytes caps the body of one answer when
// Config.MaxResponseBytes is zero: 64 MiB, some 2,000 series of a full
// 11,000-point request, far more than the one series a read wants. A
// server (or a proxy) that sends more, such as a label value of gigabytes,
// fails the read instead of the process's memory.
const DefaultMaxResponseBytes = 64 << 20

// DefaultStep is the spacing of a range read's points when its user gives
// none: one minute, the resolution the steady-state methods are designed
// for. chaosstat's --step and the server's step default to it.
const DefaultStep = time.Minute

// DefaultConcurrency is how many requests of one read run at once.
const DefaultConcurrency = 4

// DefaultTimeout bounds one request, and is sent to the server as the
// query's timeout parameter so that it stops evaluating too.
const DefaultTimeout = 30 * time.Second

// DefaultRetry is the retry policy for transient failures.
var DefaultRetry = Retry{Attempts: 4, Initial: 250 * time.Millisecond, Max: 4 * time.Second}

// Retry is a policy for retrying transient failures: HTTP 429, 500, 502,
// 503 and 504 (except a query timeout the server reports) and network
// errors. Bad queries, authorization failures, timeouts and cancellation are
// never retried.
//
// Before attempt k+1 (k = 1, 2, ...) the client waits a random time in
// [0, min(Max, Initial*2^(k-1))] ("full jitter", so that many clients that
// failed together do not retry together), or the server's Retry-After when
// that is longer, capped at Max. Waiting stops when the context is done.
type Retry struct {
	// Attempts is the most requests made for one part of a read, the first
	// included; 1 disables retries.
	Attempts int
	// Initial is the ceiling of the first wait.
	Initial time.Duration
	// Max caps every wait.
	Max time.Duration
}

// BasicAuth holds HTTP basic authentication credentials. The password
// comes from Password or, read at each request, from PasswordFile.
type BasicAuth struct {
	Username     string
	Password     string
	PasswordFile string
}

// TLS configures the client side of TLS.
type TLS struct {
	// CAFile is a PEM file of the certificate authorities that sign the
	// server's certificate; "" uses the system's.
	CAFile string
	// CertFile and KeyFile are a PEM client certificate and its key, for
	// servers that require one; both or neither.
	CertFile, KeyFile string
	// ServerName overrides the name checked in the server's certificate.
	ServerName string
	// InsecureSkipVerify accepts any server certificate. For tests only.
	InsecureSkipVerify bool
}

// Config says where the server is, how to authenticate, and how to read.
// The zero value of a numeric field means its Default value.
type Config struct {
	// Address is the server's base URL, with a path prefix when it has
	// one: http://prometheus:9090, http://thanos-query:10902,
	// http://mimir:8080/prometheus (Mimir and Cortex serve the API under
	// /prometheus). It must not carry credentials: use BasicAuth.
	Address string

	// BearerTokenFile holds a token sent as "Authorization: Bearer TOKEN".
	// The file is read at every request, so a rotated token is picked up.
	BearerTokenFile string
	// BasicAuth, when not nil, is sent as HTTP basic authentication.
	BasicAuth *BasicAuth
	// Headers are sent with every request, e.g. X-Scope-OrgID for a Mimir
	// or Cortex tenant.
	Headers map[string]string
	// TLS configures certificates; nil uses the system's defaults.
	TLS *TLS

	// Timeout bounds each request (default DefaultTimeout); the server is
	// asked to stop the query after it too.
	Timeout time.Duration
	// MaxPoints is the most points per series a range request asks for
	// (default DefaultMaxPoints; 30000 suits VictoriaMetrics).
	MaxPoints int
	// MaxResponseBytes caps the body of one answer (default
	// DefaultMaxResponseBytes); a larger one fails the read with
	// ErrBadResponse, not retried.
	MaxResponseBytes int64
	// Concurrency is how many requests of one read run at once (default
	// DefaultConcurrency).
	Concurrency int
	// Retry is the policy for transient failures (default DefaultRetry).
	Retry Retry

	// AllowPartial returns warnings with the result instead of failing the
	// read with ErrPartial. Judging on partial data must be a choice.
	AllowPartial bool
	// ServerStats asks the server for its query statistics (stats=all)
	// and reports its execution time in Stats.QueryTime instead of the
	// wall time.
	ServerStats bool

	// Logger, when not nil, is told of retries. It never sees a secret.
	Logger *slog.Logger
	// Transport replaces the HTTP transport (for tests); TLS is then
	// ignored.
	Transport http.RoundTripper
}

// The keys a *series.OptionError names Config's limits by: MaxPoints and
// MaxResponseBytes in snake_case, which are chaosstat's flags with dashes
// (--max-points, --max-response-bytes).
const (
	OptionMaxPoints        = "max_points"
	OptionMaxResponseBytes = "max_response_bytes"
)

// CheckOption returns a *series.OptionError unless v is a value that the
// limit named key (OptionMaxPoints, OptionMaxResponseBytes) may be given:
// at least 2 points per request, at least 1 byte. Unlike in Config, where
// 0 stands for the default, a given 0 is out of range, as it is for a
// flag; New checks Config with it. It panics for another key.
func CheckOption(key string, v float64) error {
	var ok bool
	var want string
	switch key {
	case OptionMaxPoints:
		ok, want = v >= 2 && v == math.Trunc(v), "a number of points per request >= 2"
	case OptionMaxResponseBytes:
		ok, want = v >= 1 && v == math.Trunc(v), "a number of bytes >= 1"
	default:
		panic("prom.CheckOption: unknown option " + key)
	}
	if ok {
		return nil
	}
	return &series.OptionError{Option: key, Value: v, Want: want}
}

// Client reads series from a Prometheus-compatible HTTP API. It is safe for
// concurrent use.
type Client struct {
	cfg  Config
	api  v1.API
	red  redactor
	hdr  http.Header // fixed headers
	auth func() (string, error)
}

// New validates cfg and returns a Client. It reads the bearer token and
// password files once to fail early when they are missing or empty.
func New(cfg Config) (*Client, error) {
	c := &Client{cfg: cfg, hdr: http.Header{}}
	cfg = c.cfg
	u, err := url.Parse(cfg.Address)
	switch {
	case cfg.Address == "":
		return nil, errors.New("prom: no address: want the server's URL, such as http://localhost:9090")
	case err != nil:
		return nil, fmt.Errorf("prom: address is not a URL: %v", redactURLError(err))
	case u.User != nil:
		return nil, errors.New("prom: the address must not carry credentials (user:password@): use basic auth from a file instead")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("prom: address %q: want an http:// or https:// URL", cfg.Address)
	case u.Host == "":
		return nil, fmt.Errorf("prom: address %q has no host", cfg.Address)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("prom: address %q: want a base URL without a query or fragment", cfg.Address)
	}
	if strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/api/v1") {
		return nil, fmt.Errorf("prom: address %q ends in /api/v1: give the base URL, without /api/v1", cfg.Address)
	}
	switch {
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("prom: negative timeout %v", cfg.Timeout)
	case cfg.MaxPoints != 0 && CheckOption(OptionMaxPoints, float64(cfg.MaxPoints)) != nil:
		return nil, fmt.Errorf("prom: %w", CheckOption(OptionMaxPoints, float64(cfg.MaxPoints)))
	case cfg.Concurrency < 0:
		return nil, fmt.Errorf("prom: negative concurrency %d", cfg.Concurrency)
	case cfg.MaxResponseBytes != 0 && CheckOption(OptionMaxResponseBytes, float64(cfg.MaxResponseBytes)) != nil:
		return nil, fmt.Errorf("prom: %w", CheckOption(OptionMaxResponseBytes, float64(cfg.MaxResponseBytes)))
	case cfg.Retry.Attempts < 0 || cfg.Retry.Initial < 0 || cfg.Retry.Max < 0:
		return nil, fmt.Errorf("prom: negative retry setting %+v", cfg.Retry)
	}
	if c.cfg.Timeout == 0 {
		c.cfg.Timeout = DefaultTimeout
	}
	if c.cfg.MaxPoints == 0 {
		c.cfg.MaxPoints = DefaultMaxPoints
	}
	if c.cfg.Concurrency == 0 {
		c.cfg.Concurrency = DefaultConcurrency
	}
	if c.cfg.MaxResponseBytes == 0 {
		c.cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if c.cfg.Retry == (Retry{}) {
		c.cfg.Retry = DefaultRetry
	}
	if c.cfg.Retry.Attempts == 0 {
		c.cfg.Retry.Attempts = 1
	}

	for k, v := range cfg.Headers {
		if !validHeaderName(k) {
			return nil, fmt.Errorf("prom: header name %q is not a valid HTTP header name", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return nil, fmt.Errorf("prom: header %s: the value holds a line break", k)
		}
		c.hdr.Set(k, v)
		if secretHeader(k) {
			c.red.add(v)
		}
	}

	if cfg.BearerTokenFile != "" && cfg.BasicAuth != nil {
		return nil, errors.New("prom: both a bearer token and basic auth: want at most one")
	}
	if cfg.BearerTokenFile != "" {
		path := cfg.BearerTokenFile
		c.auth = func() (string, error) {
			tok, err := readSecret(path, "bearer token file")
			if err != nil {
				return "", err
			}
			c.red.add(tok)
			return "Bearer " + tok, nil
		}
	}
	if ba := cfg.BasicAuth; ba != nil {
		if ba.Password != "" && ba.PasswordFile != "" {
			return nil, errors.New("prom: basic auth has both a password and a password file: want one")
		}
		if strings.Contains(ba.Username, ":") {
			return nil, errors.New("prom: basic auth username holds a colon")
		}
		user, pass, file := ba.Username, ba.Password, ba.PasswordFile
		c.red.add(pass)
		c.auth = func() (string, error) {
			p := pass
			if file != "" {
				var err error
				if p, err = readSecret(file, "password file"); err != nil {
					return "", err
				}
			}
			enc := base64.StdEncoding.EncodeToString([]byte(user + ":" + p))
			c.red.add(p)
			c.red.add(enc)
			return "Basic " + enc, nil
		}
	}
	if c.auth != nil {
		// Fail now, not at the first query, when a file is missing.
		if _, err := c.auth(); err != nil {
			return nil, err
		}
	}

	rt := cfg.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = max(c.cfg.Concurrency, 2)
		if cfg.TLS != nil {
			tc, err := tlsConfig(cfg.TLS)
			if err != nil {
				return nil, err
			}
			t.TLSClientConfig = tc
		}
		rt = t
	}
	ac, err := api.NewClient(api.Config{Address: cfg.Address, RoundTripper: &roundTripper{c: c, next: rt}})
	if err != nil {
		return nil, fmt.Errorf("prom: %v", redactURLError(err))
	}
	c.api = v1.NewAPI(&recordingClient{next: ac, wantStats: cfg.ServerStats})
	return c, nil
}

// Address returns the server's base URL.
func (c *Client) Address() string { return c.cfg.Address }

// Config returns the client's configuration with defaults filled in.
func (c *Client) Config() Config { return c.cfg }

// readSecret reads a token or password file: its content less surrounding
// white space, which must not be empty. The error names the file, never
// its content.
func readSecret(path, what string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("prom: reading the %s: %v", what, err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("prom: the %s %s is empty", what, path)
	}
	return s, nil
}

func tlsConfig(t *TLS) (*tls.Config, error) {
	tc := &tls.Config{ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerify, MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("prom: reading the TLS CA file: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("prom: the TLS CA file %s holds no PEM certificate", t.CAFile)
		}
		tc.RootCAs = pool
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		return nil, errors.New("prom: a TLS client certificate needs both a certificate file and a key file")
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			// The error may quote the key's PEM: say only which files.
			return nil, fmt.Errorf("prom: loading the TLS client certificate %s with key %s failed: check that both are PEM and match", t.CertFile, t.KeyFile)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// secretHeader reports whether a header's value is a credential, to be kept
// out of messages.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"authorization", "cookie", "token", "key", "secret", "password"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// redactURLError drops the URL a *url.Error or url parse error may quote,
// which may hold credentials.
func redactURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return "malformed"
}

// roundTripper adds the configured headers and credentials to each request.
type roundTripper struct {
	c    *Client
	next http.RoundTripper
}

func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	for k, v := range rt.c.hdr {
		r.Header[k] = v
	}
	if rt.c.auth != nil {
		a, err := rt.c.auth()
		if err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, &credentialError{err}
		}
		r.Header.Set("Authorization", a)
	}
	r.Header.Set("User-Agent", "chaosstat-prom")
	resp, err := rt.next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	limit := rt.c.cfg.MaxResponseBytes
	if resp.ContentLength > limit {
		resp.Body.Close()
		return nil, &tooLargeError{limit}
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: limit, limit: limit}
	return resp, nil
}

// tooLargeError is an answer longer than Config.MaxResponseBytes.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("the answer is larger than %d bytes (prom.Config.MaxResponseBytes; chaosstat's --max-response-bytes): narrow the query to the series wanted", e.limit)
}

// cappedBody fails a read past left bytes with a *tooLargeError.
type cappedBody struct {
	io.ReadCloser
	left, limit int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, &tooLargeError{b.limit}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left <= 0 && err == nil {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		if m, _ := b.ReadCloser.Read(one[:]); m > 0 {
			return n, &tooLargeError{b.limit}
		}
	}
	return n, err
}
