package interrupt

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"
)

// TestError: the shell's codes (128 + the signal's number, as bash reports
// a process a signal ended) and the names a person reads.
func TestError(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		msg  string
	}{
		{syscall.SIGINT, 130, "interrupted by SIGINT"},
		{syscall.SIGTERM, 143, "interrupted by SIGTERM"},
	} {
		e := &Error{Signal: c.sig}
		if e.ExitCode() != c.code || e.Error() != c.msg || !errors.Is(e, context.Canceled) {
			t.Errorf("%v: code %d, %q, is Canceled %v", c.sig, e.ExitCode(), e.Error(), errors.Is(e, context.Canceled))
		}
	}
}

// TestNotifyContext sends this process a real SIGTERM: the context ends
// with the *Error as its cause. A context stopped without a signal has no
// cause Cause reports.
func TestNotifyContext(t *testing.T) {
	ctx, stop := NotifyContext(context.Background())
	defer stop()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(30 * time.Second): // a hang guard, not a timing
		t.Fatal("the context was not cancelled by SIGTERM")
	}
	if e := Cause(ctx); e == nil || e.Signal != syscall.SIGTERM {
		t.Errorf("cause %v", context.Cause(ctx))
	}

	ctx, stop = NotifyContext(context.Background())
	stop()
	if e := Cause(ctx); e != nil || ctx.Err() == nil {
		t.Errorf("stopped: cause %v, err %v", e, ctx.Err())
	}
}
