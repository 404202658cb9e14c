package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/interrupt"
	"github.com/chaosstat/chaosstat/server"
	"github.com/chaosstat/chaosstat/server/monitors"
)

var serveCommand = &command{
	name:    "serve",
	summary: "serve the analyses over HTTP, for chaos tools that probe a URL",
	run:     runServe,
	usage:   serveUsage,
}

//go:embed help/serve.txt
var serveHelp string

func serveUsage(w io.Writer) {
	fmt.Fprintf(w, serveHelp, server.DefaultMaxBodyBytes, server.DefaultMaxPoints, server.DefaultMaxWindows, server.DefaultTimeout, servePromUsage())
}

// servePromUsage is promUsage without --start, --end and --step, which a
// request gives.
func servePromUsage() string {
	start := strings.Index(promUsage, "\t--start TIME")
	end := strings.Index(promUsage, "\t--header K=V")
	if start < 0 || end < start {
		return promUsage
	}
	return promUsage[:start] + promUsage[end:]
}

type serveFlags struct {
	listen, tokenFile, state string
	prom                     promInput
	maxBody                  int64
	maxPoints, maxWindows    int
	timeout, shutdown        durationFlag
}

func parseServeFlags(e *env, args []string) (f serveFlags, code int, done bool) {
	f.timeout.d, f.shutdown.d = server.DefaultTimeout, 30*time.Second
	fs := newFlagSet("serve")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "")
	fs.StringVar(&f.tokenFile, "token-file", "", "")
	fs.StringVar(&f.state, "state", "", "")
	fs.Int64Var(&f.maxBody, "max-body-bytes", server.DefaultMaxBodyBytes, "")
	fs.IntVar(&f.maxPoints, "max-series-points", server.DefaultMaxPoints, "")
	fs.IntVar(&f.maxWindows, "max-windows", server.DefaultMaxWindows, "")
	fs.Var(&f.timeout, "request-timeout", "")
	fs.Var(&f.shutdown, "shutdown-timeout", "")
	f.prom.register(fs)
	if code, done := parseFlags(e, fs, args); done {
		return f, code, true
	}
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, c := range []struct {
		bad bool
		msg string
	}{
		{fs.NArg() > 0, fmt.Sprintf("unexpected argument %q", fs.Arg(0))},
		{given["start"] || given["end"] || given["step"], "--start, --end and --step are a request's keys (start, end, step), not the server's"},
		{!f.prom.enabled() && promFlagGiven(given), "a Prometheus flag needs --prometheus URL"},
		{!f.prom.enabled() && f.state != "", "--state keeps the monitors, which read --prometheus URL: give it"},
		{f.maxBody < 1, "--max-body-bytes must be at least 1"},
		{f.maxPoints < 1, "--max-series-points must be at least 1"},
		{f.maxWindows < 1, "--max-windows must be at least 1"},
		{f.timeout.d <= 0, "--request-timeout must be positive"},
		{f.shutdown.d <= 0, "--shutdown-timeout must be positive"},
		{f.prom.enabled() && f.prom.checkClient() != "", f.prom.checkClient()},
	} {
		if c.bad {
			return f, usageError(e, "serve", "%s", c.msg), true
		}
	}
	return f, exitOK, false
}

// promFlagGiven reports whether a Prometheus flag other than --prometheus
// was given.
func promFlagGiven(given map[string]bool) bool {
	return slices.ContainsFunc(promClientFlags, func(name string) bool { return given[name] })
}

// readToken reads the token file: its content, white space trimmed.
func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	switch {
	case tok == "":
		return "", fmt.Errorf("%s is empty", path)
	case strings.ContainsAny(tok, " \t\r\n"):
		return "", fmt.Errorf("%s holds white space inside the token: want one line", path)
	}
	return tok, nil
}

func runServe(e *env, args []string) int {
	f, code, done := parseServeFlags(e, args)
	if done {
		return code
	}
	var token string
	if f.tokenFile != "" {
		var err error
		if token, err = readToken(f.tokenFile); err != nil {
			return e.fail("serve", exitUsage, "--token-file: %v", err)
		}
	}
	if err := server.CheckListen(f.listen, token != ""); err != nil {
		return e.fail("serve", exitUsage, "--listen: %v", err)
	}
	cfg := server.Config{Token: token, MaxBodyBytes: f.maxBody, MaxPoints: f.maxPoints, MaxWindows: f.maxWindows, Timeout: f.timeout.d, StateDir: f.state,
		Logger: slog.New(slog.NewTextHandler(e.stderr, nil))}
	if f.prom.enabled() {
		// criteria reports each queried metric's samples read.
		f.prom.serverStats = true
		c, err := f.prom.client()
		if err != nil {
			return e.fail("serve", exitUsage, "--prometheus: %v", err)
		}
		cfg.Prometheus = c
		// Monitors read Prometheus every step: they need the server.
		mons, err := monitors.New(monitors.Config{Prom: c, StateDir: f.state, Logger: cfg.Logger})
		if err != nil {
			return e.fail("serve", exitUsage, "--state: %s", strings.TrimPrefix(err.Error(), "monitors: "))
		}
		// Saves each monitor's state after the drain below (the
		// requests in flight may still change them).
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), f.shutdown.d)
			defer cancel()
			if err := mons.Close(ctx); err != nil {
				cfg.Logger.Warn("monitors: saving state", "error", err.Error())
			}
		}()
		cfg.Monitors = mons
		cfg.Collectors = append(cfg.Collectors, mons)
	}
	srv, err := server.New(cfg)
	if err != nil {
		return e.fail("serve", exitUsage, "%s", strings.TrimPrefix(err.Error(), "server: "))
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return e.fail("serve", exitUsage, "--listen: %v", err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       f.timeout.d,
		WriteTimeout:      f.timeout.d + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	cfg.Logger.Info("listening", "address", ln.Addr().String(), "token", token != "", "prometheus", f.prom.enabled())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return e.fail("serve", exitUsage, "%v", err)
	case <-e.ctx.Done():
	}
	// Drain: no new connections, the requests in flight finish.
	ctx, cancel := context.WithTimeout(context.Background(), f.shutdown.d)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		cfg.Logger.Warn("shutdown: requests still in flight were cut off", "error", err.Error())
		hs.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		cfg.Logger.Warn("serve", "error", err.Error())
	}
	if sig := interrupt.Cause(e.ctx); sig != nil {
		return sig.ExitCode()
	}
	return exitOK
}
