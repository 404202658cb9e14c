package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/interrupt"
)

// runMainEnv set to 1 makes the test binary run main instead of the tests:
// TestInterruptProcess starts it so as to send it real signals.
const runMainEnv = "CHAOSSTAT_TEST_RUN_MAIN"

// hangGuard is how long a test waits for a command that must return before
// it calls it hung: a guard against a deadlock, not a timing.
const hangGuard = 30 * time.Second

// TestInterruptPromRead: a signal while a Prometheus read is in flight
// cancels the read (the server sees its request's context end), and the
// command exits 143 for SIGTERM, with nothing on stdout and the signal named
// on stderr. The server never answers, so only the cancellation can end
// the command before the request's 30 s timeout.
func TestInterruptPromRead(t *testing.T) {
	arrived := make(chan struct{}, 2)
	cancelled := make(chan struct{}, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The form read, the server sees the connection close (it does
		// not look while a request body is unread).
		r.ParseForm()
		arrived <- struct{}{}
		<-r.Context().Done()
		cancelled <- struct{}{}
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancelCause(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"compare", "--prometheus", srv.URL, "--control-query", "up", "--experiment-query", "up",
			"--start", "2026-02-01T12:00:00Z", "--end", "2026-02-01T13:00:00Z"}, nil, &out, &errOut)
	}()
	<-arrived
	cancel(&interrupt.Error{Signal: syscall.SIGTERM})
	select {
	case code := <-done:
		if code != 143 {
			t.Errorf("exit %d, want 143 (128 + SIGTERM)", code)
		}
	case <-time.After(hangGuard):
		t.Fatal("compare did not return after the signal")
	}
	select {
	case <-cancelled:
	case <-time.After(hangGuard):
		t.Error("the request in flight was not cancelled")
	}
	if out.Len() != 0 {
		t.Errorf("stdout after an interruption: %q", out.String())
	}
	if !strings.Contains(errOut.String(), "chaosstat compare: interrupted by SIGTERM; no answer") {
		t.Errorf("stderr %q", errOut.String())
	}
}

// TestInterruptMonitorFeed: a signal while the monitor follows a live feed
// ends it with one last decision, a whole JSON line whose reason names the
// signal, after the decisions already written; exit 130 for SIGINT.
func TestInterruptMonitorFeed(t *testing.T) {
	inR, inW := io.Pipe()
	defer inW.Close()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"monitor", "--feed", "-", "--format", "json"}, inR, outW, &errOut)
		outW.Close()
	}()
	go io.WriteString(inW, "2026-11-26T12:00:00Z,100,101\n2026-11-26T12:01:00Z,100,99\n")
	lines := bufio.NewScanner(outR)
	var got []map[string]any
	for lines.Scan() {
		var m map[string]any
		if err := json.Unmarshal(lines.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not whole JSON: %v: %s", len(got)+1, err, lines.Text())
		}
		got = append(got, m)
		if len(got) == 2 {
			cancel(&interrupt.Error{Signal: syscall.SIGINT})
		}
	}
	select {
	case code := <-done:
		if code != 130 {
			t.Errorf("exit %d, want 130 (128 + SIGINT); stderr %s", code, errOut.String())
		}
	case <-time.After(hangGuard):
		t.Fatal("monitor did not return after the signal")
	}
	if len(got) != 3 {
		t.Fatalf("%d decisions, want the two looks and the last", len(got))
	}
	if r, _ := got[2]["reason"].(string); got[2]["action"] != "continue" || !strings.HasSuffix(r, "(interrupted by SIGINT)") {
		t.Errorf("last decision %v: %q", got[2]["action"], r)
	}
	if !strings.Contains(errOut.String(), "chaosstat monitor: interrupted by SIGINT; the last decision is the state then") {
		t.Errorf("stderr %q", errOut.String())
	}
}

// TestInterruptProcess sends real signals to the command (this test binary
// running main): SIGTERM to a monitor waiting on its feed is exit 143 after
// the last decision; SIGINT to a compare whose server never answers is exit
// 130 with nothing on stdout.
func TestInterruptProcess(t *testing.T) {
	arrived := make(chan struct{}, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	defer srv.Close()
	for _, c := range []struct {
		sig   syscall.Signal
		args  []string
		stdin string
		code  int
		out   string // the start of the last stdout line, "" for none
	}{
		{syscall.SIGTERM, []string{"monitor", "--feed", "-"}, "2026-11-26T12:00:00Z,100,101\n", 143, "2026-11-26T12:00:00Z  continue"},
		{syscall.SIGINT, []string{"compare", "--prometheus", srv.URL, "--control-query", "up", "--experiment-query", "up",
			"--start", "2026-02-01T12:00:00Z", "--end", "2026-02-01T13:00:00Z"}, "", 130, ""},
	} {
		cmd := exec.Command(os.Args[0], c.args...)
		cmd.Env = append(os.Environ(), runMainEnv+"=1")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		io.WriteString(stdin, c.stdin)
		r := bufio.NewReader(stdout)
		var lines []string
		if c.out != "" {
			// The first decision is written: the monitor is following.
			l, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("%s: %v; stderr %s", c.args[0], err, errOut.String())
			}
			lines = append(lines, l)
		} else {
			<-arrived // the read is in flight
		}
		cmd.Process.Signal(c.sig)
		rest, _ := io.ReadAll(r)
		if len(rest) > 0 {
			lines = append(lines, strings.SplitAfter(strings.TrimSuffix(string(rest), "\n"), "\n")...)
		}
		err = cmd.Wait()
		stdin.Close()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != c.code {
			t.Errorf("%s: %v, want exit %d; stderr %s", c.args[0], err, c.code, errOut.String())
		}
		want := "interrupted by " + map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[c.sig]
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("%s: stderr %q, want %q", c.args[0], errOut.String(), want)
		}
		switch {
		case c.out == "" && len(lines) > 0:
			t.Errorf("%s: stdout %q, want nothing", c.args[0], lines)
		case c.out != "" && (len(lines) != 2 || !strings.HasPrefix(lines[1], c.out) || !strings.Contains(lines[1], want)):
			t.Errorf("%s: stdout %q, want the first decision and a last one naming the signal", c.args[0], lines)
		}
	}
}
