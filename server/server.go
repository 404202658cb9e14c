package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chaosstat/chaosstat/prom"
)

// Defaults of a Config's zero fields.
const (
	// DefaultMaxBodyBytes is the largest request body read: 32 MiB holds
	// about a million inline points.
	DefaultMaxBodyBytes = 32 << 20
	// DefaultMaxPoints is the most points one group's inline data or query
	// answer may hold.
	DefaultMaxPoints = 1_000_000
	// DefaultMaxWindows is the most window lengths one A/A request may
	// try: eight times compare.DefaultAAWindows. Each length replays the
	// test on every window and searches its detectable drop, so the work
	// grows with their number (1,000 lengths on two weeks of minutes took
	// a minute).
	DefaultMaxWindows = 64
	// DefaultTimeout is how long one /v1 request may take, reads included.
	DefaultTimeout = 60 * time.Second
)

// Config configures a Server. Its zero value serves the analyses on inline
// data, without authentication, with the default limits.
type Config struct {
	// Prometheus reads the requests' PromQL queries (control_query and the
	// others, a hypothesis's query sources). Nil refuses queries.
	Prometheus *prom.Client
	// Token, when not "", is the bearer token every /v1 request must
	// send: "Authorization: Bearer TOKEN". It is compared in constant time
	// and never logged.
	Token string
	// MaxBodyBytes is the largest request body; a larger one is refused
	// with 413. Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxPoints is the most points one group may hold, inline or read;
	// zero means DefaultMaxPoints.
	MaxPoints int
	// MaxWindows is the most window lengths one /v1/aa request may list
	// in "windows"; zero means DefaultMaxWindows.
	MaxWindows int
	// Timeout limits each /v1 request; zero means DefaultTimeout.
	Timeout time.Duration
	// MaxConcurrent is the most analyses decoded and run at once; the
	// others wait (within Timeout) before their body is read, which bounds
	// the memory of a burst. An analysis still computing after its request
	// timed out (its answer is dropped) still counts until it ends, so the
	// limit bounds the CPU in use too; the long computations see the
	// timeout and stop soon after (see the package doc), giving their slot
	// back. Zero means 2 × GOMAXPROCS.
	MaxConcurrent int
	// Logger logs one line per request (method, path, status, duration;
	// never a header) and the server's errors. Nil discards them.
	Logger *slog.Logger
	// Monitors, when not nil, serves /v1/monitors and everything under
	// /v1/monitors/ (the path is passed unchanged), behind the same token,
	// body limit, timeout and metrics as the analyses. It is package
	// server/monitors' handler; any http.Handler works.
	Monitors http.Handler
	// Collectors are registered on the Server's own registry, which GET
	// /metrics serves beside the request metrics.
	Collectors []prometheus.Collector
	// StateDir is the folder Monitors keeps its state in; the Server
	// itself writes nothing. It is here so that one Config describes the
	// service.
	StateDir string
	// Now is the clock for a request's "now-1h" times and the end of a
	// query range left out; nil means time.Now.
	Now func() time.Time
}

// Server is chaosstat's HTTP service: the analyses of the command line
// (POST /v1/compare, /v1/aa, /v1/judge, /v1/baseline, /v1/criteria,
// /v1/apdex), GET /healthz and GET /metrics. It is an http.Handler; see
// the package doc for the requests and the status codes.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	registry *prometheus.Registry
	log      *slog.Logger
	token    [sha256.Size]byte
	// slots holds a token per analysis decoding or computing
	// (Config.MaxConcurrent), its request answered or timed out: the token
	// is given back when the computation ends, not when the handler
	// returns.
	slots chan struct{}
}

// New returns a Server for cfg. It fails when a limit is negative or a
// collector cannot be registered.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.MaxBodyBytes < 0:
		return nil, fmt.Errorf("server: MaxBodyBytes %d is negative", cfg.MaxBodyBytes)
	case cfg.MaxPoints < 0:
		return nil, fmt.Errorf("server: MaxPoints %d is negative", cfg.MaxPoints)
	case cfg.MaxWindows < 0:
		return nil, fmt.Errorf("server: MaxWindows %d is negative", cfg.MaxWindows)
	case cfg.MaxConcurrent < 0:
		return nil, fmt.Errorf("server: MaxConcurrent %d is negative", cfg.MaxConcurrent)
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("server: Timeout %v is negative", cfg.Timeout)
	case strings.ContainsAny(cfg.Token, " \t\r\n"):
		return nil, errors.New("server: the token holds white space; trim it")
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxPoints == 0 {
		cfg.MaxPoints = DefaultMaxPoints
	}
	if cfg.MaxWindows == 0 {
		cfg.MaxWindows = DefaultMaxWindows
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxConcurrent == 0 {
		cfg.MaxConcurrent = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), registry: prometheus.NewRegistry(), log: cfg.Logger, slots: make(chan struct{}, cfg.MaxConcurrent)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.token = sha256.Sum256([]byte(cfg.Token))
	if err := s.registry.Register(collectors.NewGoCollector()); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	for _, c := range cfg.Collectors {
		if err := s.registry.Register(c); err != nil {
			return nil, fmt.Errorf("server: registering a collector: %w", err)
		}
	}
	m := newMetrics(s.registry)

	for _, a := range analyses {
		s.route("POST "+a.path, a.path, m, s.api(s.analysis(a)))
	}
	if cfg.Monitors != nil {
		s.route("/v1/monitors", "/v1/monitors", m, s.api(cfg.Monitors))
		s.route("/v1/monitors/", "/v1/monitors/", m, s.api(cfg.Monitors))
	}
	s.route("/v1/", "/v1/", m, s.api(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, a := range analyses {
			if r.URL.Path == a.path {
				w.Header().Set("Allow", http.MethodPost)
				writeError(w, http.StatusMethodNotAllowed, "", fmt.Sprintf("%s takes POST with a JSON request, not %s", a.path, r.Method))
				return
			}
		}
		writeError(w, http.StatusNotFound, "", fmt.Sprintf("no such endpoint %s; the analyses are POST /v1/compare, /v1/aa, /v1/judge, /v1/baseline, /v1/criteria and /v1/apdex", r.URL.Path))
	})))
	s.route("GET /healthz", "/healthz", m, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	}))
	s.route("GET /metrics", "/metrics", m, promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry}))
	return s, nil
}

// ServeHTTP serves the request, logging it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)),
		slog.String("remote", r.RemoteAddr))
}

// Registry returns the Server's own registry, which GET /metrics serves.
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// statusRecorder remembers the status written, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the writer's Flush.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// metrics are the request metrics of every route, by handler.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight *prometheus.GaugeVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chaosstat_http_requests_total", Help: "HTTP requests served, by handler, method and status code.",
		}, []string{"handler", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "chaosstat_http_request_duration_seconds", Help: "Time to serve an HTTP request, by handler, method and status code.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"handler", "method", "code"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "chaosstat_http_requests_in_flight", Help: "HTTP requests being served, by handler.",
		}, []string{"handler"}),
	}
	reg.MustRegister(m.requests, m.duration, m.inFlight)
	return m
}

// route registers h at pattern, instrumented under the handler label name.
func (s *Server) route(pattern, name string, m *metrics, h http.Handler) {
	l := prometheus.Labels{"handler": name}
	h = promhttp.InstrumentHandlerInFlight(m.inFlight.With(l),
		promhttp.InstrumentHandlerDuration(m.duration.MustCurryWith(l),
			promhttp.InstrumentHandlerCounter(m.requests.MustCurryWith(l), h)))
	s.mux.Handle(pattern, h)
}

// api wraps a /v1 handler: the token, the body limit and the timeout.
func (s *Server) api(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="chaosstat"`)
			writeError(w, http.StatusUnauthorized, "Authorization", "missing or wrong bearer token: send \"Authorization: Bearer TOKEN\" with the server's token")
			return
		}
		if r.ContentLength > s.cfg.MaxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, "", fmt.Sprintf("the body is %d bytes; this server reads at most %d", r.ContentLength, s.cfg.MaxBodyBytes))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// authorized reports whether r carries the token, or no token is needed.
func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	// Hashes of equal length: the comparison takes the same time whatever
	// the token sent, its length included.
	sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
	return subtle.ConstantTimeCompare(sum[:], s.token[:]) == 1
}

// errorBody is the body of every error: the message and the request's key
// at fault ("" when it is not one key's).
type errorBody struct {
	Error string `json:"error"`
	Field string `json:"field"`
}

// writeError writes status with an errorBody.
func writeError(w http.ResponseWriter, status int, field, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(errorBody{Error: msg, Field: field})
}

// CheckListen returns an error when addr is not a loopback address and the
// server has no token: anyone who can reach it could run analyses and its
// queries. ":8080" and "0.0.0.0:8080" listen on every interface; a host
// name is refused unless it is "localhost".
func CheckListen(addr string, haveToken bool) error {
	if haveToken {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil && ip.IsLoopback() {
		return nil
	}
	what := host
	if what == "" {
		what = "every interface"
	}
	return fmt.Errorf("listen address %q is not loopback (%s) and there is no token: give a token file, or listen on 127.0.0.1", addr, what)
}
