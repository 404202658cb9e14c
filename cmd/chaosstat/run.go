package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/interrupt"

	"github.com/chaosstat/chaosstat/series"
)

// Exit codes, as main's doc and the README list them. Chaos tools that run
// probes as processes rely on them, so they never change meaning.
const (
	exitOK           = 0 // the hypothesis holds: no significant difference
	exitSignificant  = 1 // disproved: a significant difference
	exitUsage        = 2 // usage or input error
	exitInconclusive = 3 // no data, or too little to run the test
)

// failureCode is the exit code of a command that failed with err:
// exitInconclusive when err says there is too little data to answer (it
// wraps series.ErrTooLittleData, the root of every such error of the
// library), exitUsage for anything else (bad input, a bad query, an
// unreachable server). Every command maps its errors with it; a command
// that reads several inputs reports the one series.ReadEach picks, so that
// a usage or input error (exit 2) takes precedence over too little data.
func failureCode(err error) int {
	if errors.Is(err, series.ErrTooLittleData) {
		return exitInconclusive
	}
	return exitUsage
}

// writeFailure writes "chaosstat CMD: MSG" to stderr, with noData before
// MSG when code is exitInconclusive, and returns code.
func writeFailure(e *env, cmd, noData string, code int, msg string) int {
	prefix := ""
	if code == exitInconclusive {
		prefix = noData
	}
	fmt.Fprintf(e.stderr, "chaosstat %s: %s%s\n", cmd, prefix, msg)
	return code
}

// env is what a command may touch: its input and its two outputs, and the
// context its reads use, which a signal cancels.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand. Later ones (aa, judge, criteria, baseline,
// monitor, demo) are added to commands below.
type command struct {
	name    string
	summary string // one line for the command list
	// run runs the command on the arguments after its name and returns
	// the exit code.
	run func(e *env, args []string) int
	// usage writes the command's full usage, flags included.
	usage func(w io.Writer)
}

// commands is the table of subcommands, in the order usage lists them. It is
// filled in init because help refers to it.
var commands []*command

func init() {
	commands = []*command{
		compareCommand,
		aaCommand,
		apdexCommand,
		judgeCommand,
		baselineCommand,
		criteriaCommand,
		monitorCommand,
		serveCommand,
		demoCommand,
		{name: "help", summary: "show this help, or a command's: chaosstat help compare", run: runHelp,
			usage: func(w io.Writer) { fmt.Fprint(w, "usage: chaosstat help [COMMAND]\n") }},
		{name: "version", summary: "print chaosstat's version", run: runVersion,
			usage: func(w io.Writer) { fmt.Fprint(w, "usage: chaosstat version\n") }},
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// run is runContext with a context no signal cancels, as tests call it.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext is the whole program: main only wires it to the process and
// its signals. It returns the exit code. A command's stdout is held until
// it ends and written only when it ends with an answer: after a usage or
// input error (exit 2) or an interruption stdout stays empty, never a
// report cut short. The monitor, whose decisions are a live stream, writes
// each as it comes, whole lines, and a last one when interrupted.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "chaosstat: unknown command %q\nRun 'chaosstat help' for usage.\n", args[0])
		return exitUsage
	}
	var held bytes.Buffer
	e := &env{ctx: ctx, stdin: stdin, stdout: &held, stderr: stderr}
	if c == monitorCommand || c == serveCommand {
		e.stdout = stdout
	}
	done := make(chan int, 1)
	go func() { done <- c.run(e, args[1:]) }()
	var code int
	select {
	case code = <-done:
	case <-ctx.Done():
		// Reads in flight return at once; a computation that does not
		// look at ctx is not waited for beyond the grace. The server
		// drains its requests in flight, within its --shutdown-timeout.
		if c == serveCommand {
			code = <-done
			break
		}
		select {
		case code = <-done:
		case <-time.After(interruptGrace):
		}
	}
	if sig := interrupt.Cause(ctx); sig != nil {
		what := "no answer"
		if c == monitorCommand {
			what = "the last decision is the state then"
		}
		if c == serveCommand {
			what = "stopped after the requests in flight"
		}
		fmt.Fprintf(stderr, "chaosstat %s: %v; %s\n", c.name, sig, what)
		return sig.ExitCode()
	}
	if code != exitUsage && held.Len() > 0 {
		stdout.Write(held.Bytes())
	}
	return code
}

// interruptGrace is how long a signalled command has to return.
const interruptGrace = 2 * time.Second

// usage writes the program's usage: the command table and the exit codes.
func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`chaosstat: statistics for chaos experiments.

Usage:

	chaosstat COMMAND [flags]

Commands:

`)
	for _, c := range commands {
		fmt.Fprintf(&b, "	%-9s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Run 'chaosstat COMMAND -h' for a command's flags.

Exit codes:

	0  no significant difference (the hypothesis holds)
	1  significant difference (the hypothesis is disproved)
	2  usage or input error
	3  inconclusive: no data, or too little to run the test
`)
	io.WriteString(w, b.String())
}

func runHelp(e *env, args []string) int {
	switch len(args) {
	case 0:
		usage(e.stdout)
		return exitOK
	case 1:
		if c := lookup(args[0]); c != nil {
			c.usage(e.stdout)
			return exitOK
		}
		fmt.Fprintf(e.stderr, "chaosstat help: unknown command %q\nRun 'chaosstat help' for the list of commands.\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "chaosstat help: want at most one command, got %d arguments\nRun 'chaosstat help' for usage.\n", len(args))
	return exitUsage
}

func runVersion(e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "chaosstat version: unexpected argument %q\nRun 'chaosstat help version' for usage.\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "chaosstat %s\n", version())
	return exitOK
}

// version returns the main module's version as the go command stamped it
// (a tag, or a pseudo-version when built from a checkout), or "devel" when
// there is none, as under go run or go test.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "devel"
	}
	return info.Main.Version
}

// fail writes a command's error message, marked inconclusive for exit code
// exitInconclusive, and returns code.
func (e *env) fail(cmd string, code int, format string, args ...any) int {
	return writeFailure(e, cmd, "inconclusive: ", code, fmt.Sprintf(format, args...))
}
