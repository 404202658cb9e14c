package monitors_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/prom/promtest"
	"github.com/chaosstat/chaosstat/server/monitors"
)

// The live tests run a small service whose groups serve requests, a real
// Prometheus (Debian's, through promtest) scraping it every second, and a
// Manager polling that Prometheus every second. Without prometheus
// installed they skip, except under CI=true, where they fail.

const (
	scrapeEvery = time.Second
	settle      = time.Second
	// slowSettle is TestRestart's: it compares each look with a later
	// read of Prometheus, so a look must not be read before a slow scrape
	// of its time is in.
	slowSettle = 2 * time.Second
	// reqPerTick requests per group every tick of 50 ms: 100 a second.
	reqPerTick = 5
	tick       = 50 * time.Millisecond
	baseErr    = 0.01 // the error rate of a healthy group
)

// service is a live HTTP service exposing chaos_requests_total{group,code}
// on /metrics (a client_golang registry): every tick each group serves
// reqPerTick requests, each failing with its group's error rate.
type service struct {
	srv     *httptest.Server
	errRate sync.Map // group -> *atomic.Uint64 (float64 bits)
	stop    chan struct{}
	done    chan struct{}
}

func newService(t *testing.T, seed uint64, groups ...string) *service {
	t.Helper()
	reg := prometheus.NewRegistry()
	reqs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "chaos_requests_total", Help: "Requests served, by group and outcome."}, []string{"group", "code"})
	reg.MustRegister(reqs)
	s := &service{srv: httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})), stop: make(chan struct{}), done: make(chan struct{})}
	for _, g := range groups {
		v := &atomic.Uint64{}
		v.Store(math.Float64bits(baseErr))
		s.errRate.Store(g, v)
		reqs.WithLabelValues(g, "ok")
		reqs.WithLabelValues(g, "error")
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	go func() {
		defer close(s.done)
		tk := time.NewTicker(tick)
		defer tk.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tk.C:
			}
			for _, g := range groups {
				v, _ := s.errRate.Load(g)
				p := math.Float64frombits(v.(*atomic.Uint64).Load())
				for range reqPerTick {
					if rng.Float64() < p {
						reqs.WithLabelValues(g, "error").Inc()
					} else {
						reqs.WithLabelValues(g, "ok").Inc()
					}
				}
			}
		}
	}()
	t.Cleanup(func() { close(s.stop); <-s.done; s.srv.Close() })
	return s
}

// setErrRate sets group g's error rate.
func (s *service) setErrRate(g string, p float64) {
	v, _ := s.errRate.Load(g)
	v.(*atomic.Uint64).Store(math.Float64bits(p))
}

// target is the service's scrape target, host:port.
func (s *service) target() string { return strings.TrimPrefix(s.srv.URL, "http://") }

// successQuery is group g's success ratio over the last 3 s.
func successQuery(g string) string {
	return fmt.Sprintf(`sum(rate(chaos_requests_total{group=%q,code="ok"}[3s])) / sum(rate(chaos_requests_total{group=%q}[3s]))`, g, g)
}

// livePrometheus starts a Prometheus scraping targets every second.
func livePrometheus(t *testing.T, targets ...string) (*promtest.Server, *prom.Client) {
	t.Helper()
	ps := promtest.StartWithT(t, promtest.Options{Scrape: targets, ScrapeInterval: scrapeEvery})
	c, err := prom.New(prom.Config{Address: ps.URL, Timeout: 2 * time.Second, Retry: prom.Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return ps, c
}

// waitData waits until each query has a value in Prometheus: the first
// scrapes are in, so that a monitor's first looks have data.
func waitData(t *testing.T, c *prom.Client, queries ...string) {
	t.Helper()
	waitFor(t, 20*time.Second, "data in Prometheus", func() bool {
		for _, q := range queries {
			res, err := c.Instant(context.Background(), q, time.Now().Add(-settle))
			if err != nil || len(res.Samples) == 0 || math.IsNaN(res.Samples[0].V) {
				return false
			}
		}
		return true
	})
}

// newManager returns a Manager on c served over HTTP; it is closed when
// the test ends.
func newManager(t *testing.T, c *prom.Client, stateDir string, settle time.Duration) (*monitors.Manager, *httptest.Server) {
	t.Helper()
	m, err := monitors.New(monitors.Config{Prom: c, StateDir: stateDir, Settle: settle})
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTP(t, m)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	return m, srv
}

// newHTTP serves m over HTTP until the test ends.
func newHTTP(t *testing.T, m *monitors.Manager) *httptest.Server {
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return srv
}

// create POSTs body and returns the new monitor's id, failing the test
// unless the answer is 201 with id, url, health_url and Location.
func create(t *testing.T, base, body string) string {
	t.Helper()
	resp, err := http.Post(base+monitors.Prefix, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct{ ID, URL, HealthURL string }
	_ = json.Unmarshal(b, &out)
	var hu struct {
		HealthURL string `json:"health_url"`
	}
	_ = json.Unmarshal(b, &hu)
	if resp.StatusCode != http.StatusCreated || out.ID == "" || resp.Header.Get("Location") != out.URL || hu.HealthURL != out.URL+"/health" {
		t.Fatalf("POST %s: %d %s (Location %q); want 201 with id, url, health_url", body, resp.StatusCode, b, resp.Header.Get("Location"))
	}
	return out.ID
}

// health is one answer of GET .../health.
type health struct {
	Code     int
	Status   string `json:"status"`
	Reason   string `json:"reason"`
	Decision *struct {
		Time   time.Time `json:"time"`
		Action string    `json:"action"`
		Cause  string    `json:"cause"`
		Looks  int       `json:"looks"`
		N      int       `json:"n"`
		P      float64   `json:"p_value"`
	} `json:"decision"`
}

func getHealth(t *testing.T, base, id string) health {
	t.Helper()
	resp, err := http.Get(base + monitors.Prefix + "/" + id + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	h.Code = resp.StatusCode
	return h
}

// view is the part of GET /v1/monitors/ID the tests read.
type view struct {
	Status    string  `json:"status"`
	Looks     int     `json:"looks"`
	FirstLook string  `json:"first_look"`
	LastLook  *string `json:"last_look"`
	LastData  *string `json:"last_data"`
	LastError *string `json:"last_error"`
	Decision  *struct {
		Action string `json:"action"`
		Looks  int    `json:"looks"`
	} `json:"decision"`
}

func getView(t *testing.T, base, id string) view {
	t.Helper()
	resp, err := http.Get(base + monitors.Prefix + "/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v view
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET monitor %s: %d %s", id, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// waitFor polls cond every 200 ms until it holds or the deadline passes.
func waitFor(t *testing.T, deadline time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("after %v: still not %s", deadline, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func spec(name, control, experiment string, extra string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"name": %q, "control_query": %q, "experiment_query": %q, "step": "1s"%s}`, name, control, experiment, extra)
	return b.String()
}
