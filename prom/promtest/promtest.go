// Package promtest starts a real Prometheus server for tests: Debian's
// prometheus and promtool (2.42 on the project's machines), on 127.0.0.1,
// with data backfilled from an OpenMetrics file.
//
// Tests share one server per package:
//
//	var srv = promtest.Shared{OpenMetrics: "testdata/latency.om"}
//
//	func TestMain(m *testing.M) { code := m.Run(); srv.Stop(); os.Exit(code) }
//
//	func TestX(t *testing.T) { url := srv.URL(t); ... }
//
// URL skips the test when the binaries are not installed, except under CI
// (CI=true), where a missing server is a failure: `make test` installs the
// Debian package.
//
// A test of code that polls a live Prometheus starts its own with
// StartWithT(t, Options{Scrape: []string{"127.0.0.1:PORT"}}): it scrapes
// the targets every second; Halt and Restart take it down and bring it back
// on the same port and storage.
package promtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ErrNotInstalled is returned by Start when prometheus or promtool is not
// installed.
var ErrNotInstalled = errors.New("promtest: prometheus or promtool is not installed (Debian package prometheus; make test installs it)")

// Server is a running Prometheus.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:PORT.
	URL     string
	cmd     *exec.Cmd
	dir     string
	log     *syncBuffer
	done    chan struct{} // closed when the process has exited
	waitErr error
	// What Restart starts again.
	bin, cfg, data, addr string
}

// lookPath finds a binary on PATH or in /usr/bin.
func lookPath(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	p := filepath.Join("/usr/bin", name)
	if _, err := os.Stat(p); err != nil {
		return "", ErrNotInstalled
	}
	return p, nil
}

// Start backfills openMetrics (a file of OpenMetrics text, timestamps in
// seconds, ending "# EOF") with promtool into a new temporary storage
// directory and starts prometheus on a free port of 127.0.0.1 with a
// configuration that scrapes nothing and a retention of 100 years, so that
// the backfilled blocks, however old, are kept. It returns when the server
// is ready (/-/ready answers 200).
func Start(openMetrics string) (*Server, error) {
	return StartWith(Options{OpenMetrics: openMetrics})
}

// Options are what StartWith starts: a backfill, scrape targets, or both.
type Options struct {
	// OpenMetrics, when not "", is the file to backfill, as Start does.
	OpenMetrics string
	// Scrape lists targets (host:port, /metrics) the server scrapes every
	// ScrapeInterval, as one job "promtest"; none scrapes nothing.
	Scrape []string
	// ScrapeInterval is the scrape (and evaluation) interval; 0 means 1s.
	ScrapeInterval time.Duration
}

// StartWith starts a server with opts: Start's server when opts only names
// a backfill; with Scrape targets, a live server that scrapes them (tests
// of code that polls Prometheus while data arrives). The server can be
// halted and restarted on the same port and storage (Halt, Restart).
func StartWith(opts Options) (*Server, error) {
	promBin, err := lookPath("prometheus")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "promtest-")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if opts.OpenMetrics != "" {
		toolBin, err := lookPath("promtool")
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		out, err := exec.Command(toolBin, "tsdb", "create-blocks-from", "openmetrics", "--quiet", "--max-block-duration=24h", opts.OpenMetrics, data).CombinedOutput()
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("promtest: promtool tsdb create-blocks-from openmetrics %s: %v\n%s", opts.OpenMetrics, err, out)
		}
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(configYAML(opts)), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	var lastErr error
	for range 3 { // a free port may be taken between the probe and the start
		s, err := start(promBin, cfg, data, dir, "")
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

// configYAML is the server's configuration for opts.
func configYAML(opts Options) string {
	if len(opts.Scrape) == 0 {
		return "global: {}\n"
	}
	every := opts.ScrapeInterval
	if every <= 0 {
		every = time.Second
	}
	var b strings.Builder
	fmt.Fprintf(&b, "global:\n  scrape_interval: %s\n  scrape_timeout: %s\n  evaluation_interval: %s\n", every, every, every)
	b.WriteString("scrape_configs:\n  - job_name: promtest\n    static_configs:\n      - targets:\n")
	for _, t := range opts.Scrape {
		fmt.Fprintf(&b, "          - %q\n", t)
	}
	return b.String()
}

// start starts prometheus on addr, or on a free port when addr is "".
func start(promBin, cfg, data, dir, addr string) (*Server, error) {
	if addr == "" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		addr = l.Addr().String()
		l.Close()
	}
	s := &Server{URL: "http://" + addr, dir: dir, log: &syncBuffer{}, done: make(chan struct{}),
		bin: promBin, cfg: cfg, data: data, addr: addr}
	s.cmd = exec.Command(promBin,
		"--config.file="+cfg,
		"--storage.tsdb.path="+data,
		"--storage.tsdb.retention.time=100y",
		// Backfilled blocks are at most 24h long (promtool's hidden
		// --max-block-duration: 38 blocks in 1.7 s instead of 336 two-hour
		// blocks in 12 s); a 2h maximum here plans no compaction of them
		// while the tests read.
		"--storage.tsdb.max-block-duration=2h",
		"--web.listen-address="+addr,
		"--log.level=warn",
	)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.waitErr = s.cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(60 * time.Second)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(s.URL + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("promtest: prometheus exited before it was ready: %v\n%s", s.waitErr, s.log.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.cmd.Process.Kill()
			<-s.done
			return nil, fmt.Errorf("promtest: prometheus not ready after 60s\n%s", s.log.String())
		}
	}
}

// Stop stops the server (SIGTERM, then SIGKILL after 10 s) and removes its
// storage.
func (s *Server) Stop() {
	s.Halt()
	os.RemoveAll(s.dir)
}

// Halt stops the server's process (SIGTERM, then SIGKILL after 10 s) and
// keeps its storage, for Restart: a test of what a client does while
// Prometheus is down. Halting a halted server does nothing.
func (s *Server) Halt() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// Restart starts a halted server again on the same address, configuration
// and storage, and returns when it is ready. It fails when the port was
// taken meanwhile.
func (s *Server) Restart() error {
	select {
	case <-s.done:
	default:
		return errors.New("promtest: Restart of a server that is running; Halt it first")
	}
	n, err := start(s.bin, s.cfg, s.data, s.dir, s.addr)
	if err != nil {
		return err
	}
	s.cmd, s.log, s.done, s.waitErr = n.cmd, n.log, n.done, nil
	return nil
}

// Log returns what the server has written to its stdout and stderr.
func (s *Server) Log() string { return s.log.String() }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Shared is one server for a test package, started by the first test that
// asks for it and stopped by Stop (call it from TestMain).
type Shared struct {
	// OpenMetrics is the file to backfill.
	OpenMetrics string

	once sync.Once
	srv  *Server
	err  error
}

// URL returns the shared server's URL, starting it on first use. When the
// binaries are not installed it skips the test, or fails it when the
// environment variable CI is "true"; any other failure to start fails it.
func (sh *Shared) URL(t testing.TB) string {
	t.Helper()
	sh.once.Do(func() { sh.srv, sh.err = Start(sh.OpenMetrics) })
	switch {
	case errors.Is(sh.err, ErrNotInstalled) && os.Getenv("CI") != "true":
		t.Skip(sh.err)
	case sh.err != nil:
		t.Fatal(sh.err)
	}
	return sh.srv.URL
}

// Stop stops the server if it was started.
func (sh *Shared) Stop() {
	if sh.srv != nil {
		sh.srv.Stop()
	}
}

// StartWithT is StartWith for one test, stopped when the test ends; like
// StartT it skips the test when prometheus is not installed, unless CI is
// "true".
func StartWithT(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := StartWith(opts)
	switch {
	case errors.Is(err, ErrNotInstalled) && os.Getenv("CI") != "true":
		t.Skip(err)
	case err != nil:
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// StartT starts a server for one test and stops it when the test ends
// (t.Cleanup). Like Shared.URL it skips the test when the binaries are not
// installed, unless CI is "true".
func StartT(t testing.TB, openMetrics string) *Server {
	t.Helper()
	return StartWithT(t, Options{OpenMetrics: openMetrics})
}
