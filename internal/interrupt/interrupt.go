// Package interrupt turns SIGINT and SIGTERM into the cancellation of a
// context, so that a command cancels its reads in flight and ends with an
// exit code that says it was interrupted.
//
// Chaos tools abort a run with SIGINT (Ctrl-C, or a runner's cancel) or
// SIGTERM (a container stopped, a job's deadline). The first signal cancels
// the context with an *Error as its cause (context.Cause); after it the
// signals are no longer caught, so a second one ends the process at once,
// as it would without chaosstat's handling.
package interrupt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Error is the cause of a context cancelled by a signal.
type Error struct {
	Signal os.Signal
}

func (e *Error) Error() string {
	return fmt.Sprintf("interrupted by %s", name(e.Signal))
}

// Is reports whether target is context.Canceled, so that the errors of the
// reads a signal cancelled match both.
func (e *Error) Is(target error) bool { return target == context.Canceled }

// ExitCode is the shell's code for a process ended by the signal: 128 plus
// its number, 130 for SIGINT and 143 for SIGTERM.
func (e *Error) ExitCode() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

func name(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// NotifyContext returns a copy of parent that is cancelled, with an *Error
// as its cause, at the first SIGINT or SIGTERM. stop releases the signals
// and the context; call it when the command ends.
func NotifyContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			// From here a second signal has its default effect.
			signal.Stop(ch)
			cancel(&Error{Signal: s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(context.Canceled)
	}
}

// Cause returns the *Error that cancelled ctx, or nil when no signal did.
func Cause(ctx context.Context) *Error {
	var e *Error
	if errors.As(context.Cause(ctx), &e) {
		return e
	}
	return nil
}
