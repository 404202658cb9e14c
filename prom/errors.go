package prom

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/chaosstat/chaosstat/series"
)

// The kinds of failure a read can end in. Every error the Client returns is
// an *Error whose Kind is one of these, so callers branch with errors.Is:
//
//	res, err := c.Range(ctx, q, r)
//	switch {
//	case errors.Is(err, prom.ErrBadQuery):   // fix the query; the server's message says how
//	case errors.Is(err, prom.ErrPartial):    // some data is missing: do not judge on it
//	case errors.Is(err, prom.ErrTimeout):    // narrow the range or the query
//	}
//
// A cancelled or expired caller context also matches context.Canceled or
// context.DeadlineExceeded.
var (
	// ErrBadQuery: the server rejected the query (HTTP 400 or 422, errorType
	// bad_data or execution), or its result cannot be a series (a string,
	// an infinite value). Error.Msg holds the server's message. Not retried.
	ErrBadQuery = errors.New("bad query")

	// ErrTimeout: the query ran out of time, on the server (errorType
	// timeout), within Config.Timeout for one request, or at the caller
	// context's deadline. Not retried: the same query would take as long
	// again, on a server that may already be struggling.
	ErrTimeout = errors.New("timeout")

	// ErrServer: the server failed (HTTP 5xx) or refused for load (HTTP
	// 429) on every attempt. Retried with backoff before it is returned.
	ErrServer = errors.New("server error")

	// ErrUnreachable: no HTTP answer came (connection refused or reset, DNS,
	// TLS). Retried with backoff before it is returned.
	ErrUnreachable = errors.New("server unreachable")

	// ErrAuth: the server refused the credentials (HTTP 401 or 403).
	ErrAuth = errors.New("not authorized")

	// ErrCanceled: the caller's context was cancelled.
	ErrCanceled = errors.New("canceled")

	// ErrPartial: the server answered with warnings, which Thanos and
	// others use to say that part of the data is missing (or, for
	// VictoriaMetrics, marked the answer isPartial). Error.Warnings holds
	// them. Returned unless Config.AllowPartial is set. It wraps
	// series.ErrTooLittleData: the data to answer from is not all there.
	ErrPartial = series.TooLittleData("partial response")

	// ErrBadResponse: the answer was not a Prometheus API response (bad
	// JSON, an unexpected result type, HTTP 404 from a wrong path prefix,
	// a point outside the requested range, a body longer than
	// Config.MaxResponseBytes). Not retried.
	ErrBadResponse = errors.New("malformed response")

	// ErrNoData: Scalar found no sample. No data is never a pass. It
	// wraps series.ErrTooLittleData.
	ErrNoData = series.TooLittleData("no data")
)

// Error is the error every Client method returns. It never holds a secret
// (bearer token, password, authorization header): messages are redacted
// before they are stored.
type Error struct {
	// Kind is one of the Err values of this package; errors.Is(err, Kind)
	// holds.
	Kind error
	// Op is the read that failed: "range", "instant" or "scalar".
	Op string
	// Query is the PromQL expression.
	Query string
	// Status is the HTTP status of the last answer, 0 when none came.
	Status int
	// Type is the server's errorType (bad_data, execution, timeout, ...),
	// "" when it gave none.
	Type string
	// Msg is the server's message, or what went wrong.
	Msg string
	// Attempts is the number of requests made for the failing part of the
	// read (1 when it was not retried).
	Attempts int
	// Warnings holds the server's warnings for ErrPartial.
	Warnings []string
	// Err is the underlying cause, such as context.Canceled; may be nil.
	Err error
}

// Error returns a one-line message, e.g.
//
//	prom: range query "rate(x[5m]": bad query: 1:11: parse error: unclosed left parenthesis (HTTP 400 bad_data)
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "prom: %s query %q: %v", e.Op, e.Query, e.Kind)
	if e.Msg != "" {
		b.WriteString(": " + e.Msg)
	}
	if len(e.Warnings) > 0 {
		fmt.Fprintf(&b, ": %d warning(s): %s", len(e.Warnings), strings.Join(e.Warnings, "; "))
	}
	var paren []string
	if e.Status != 0 {
		s := fmt.Sprintf("HTTP %d", e.Status)
		if e.Type != "" {
			s += " " + e.Type
		}
		paren = append(paren, s)
	}
	if e.Attempts > 1 {
		paren = append(paren, fmt.Sprintf("after %d attempts", e.Attempts))
	}
	if len(paren) > 0 {
		b.WriteString(" (" + strings.Join(paren, ", ") + ")")
	}
	return b.String()
}

// Is reports whether target is e's Kind or an error Kind wraps (for
// ErrNoData and ErrPartial, series.ErrTooLittleData).
func (e *Error) Is(target error) bool { return errors.Is(e.Kind, target) }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// redactor replaces secrets in text. Secrets are added as they are read
// (a token file may change), from concurrent requests.
type redactor struct {
	mu      sync.Mutex
	secrets []string
}

const redacted = "<redacted>"

func (r *redactor) add(s string) {
	if s = strings.TrimSpace(s); s == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.secrets, s) {
		r.secrets = append(r.secrets, s)
		// Longest first, so that a secret containing another is replaced whole.
		slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	}
}

func (r *redactor) redact(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, redacted)
	}
	return s
}

// credentialError is a failure to read a credential file; it is not
// retried.
type credentialError struct{ err error }

func (e *credentialError) Error() string { return e.err.Error() }

// redactedError is an error whose message has been redacted; it keeps no
// reference to the original, whose message may hold a secret.
type redactedError struct{ msg string }

func (e *redactedError) Error() string { return e.msg }
