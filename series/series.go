package series

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Series is one metric over time, stored column by column: T[i] is the time
// of the value V[i].
//
// A valid Series (see Validate) has its points sorted by time with no two at
// the same time. A Series with no timestamps (T has length 0) is a plain
// sample: only V is set, and the time-based methods treat it as having no
// time at all.
type Series struct {
	// Name is the metric name (Prometheus's __name__ label). It may be
	// empty: CSV files carry no name, and the result of a PromQL expression
	// such as sum(rate(x[5m])) has none either.
	Name string

	// Labels holds the labels that identify the series other than its
	// name, e.g. {"job": "api", "instance": "10.0.0.1:9090"}. It is nil when
	// there are none.
	Labels map[string]string

	// T holds the timestamps in Unix milliseconds (like Prometheus's
	// model.Time), strictly increasing. It is nil for a plain sample.
	T []int64

	// V holds the values. NaN marks a missing value; infinities are not
	// allowed.
	V []float64
}

// Timestamps must lie in the years 0001 to 9999, the range RFC 3339 can
// write. The bound also catches Unix milliseconds read as seconds, which
// land tens of thousands of years in the future.
const (
	minMilli = -62135596800000 // 0001-01-01T00:00:00Z
	maxMilli = 253402300799999 // 9999-12-31T23:59:59.999Z
)

// Len returns the number of points (or, for a plain sample, of values),
// counting missing ones.
func (s Series) Len() int { return len(s.V) }

// Validate reports whether s keeps the rules every reader in this package
// guarantees and every consumer may rely on:
//
//   - T is empty (a plain sample) or has the same length as V;
//   - T is strictly increasing: sorted, no duplicate timestamps;
//   - every timestamp lies in the years 0001 to 9999;
//   - no value is infinite (NaN, meaning missing, is allowed).
//
// An empty Series is valid; whether "no data" is acceptable is for the
// consumer to decide. Validate names the first offending point.
func (s Series) Validate() error {
	if len(s.T) != 0 && len(s.T) != len(s.V) {
		return fmt.Errorf("series %s: %d timestamps but %d values; want equal lengths (or no timestamps for a plain sample)", s.ident(), len(s.T), len(s.V))
	}
	for i, t := range s.T {
		if t < minMilli || t > maxMilli {
			return fmt.Errorf("series %s: T[%d] = %d ms is outside the years 0001 to 9999", s.ident(), i, t)
		}
		if i > 0 && t <= s.T[i-1] {
			what := "is before"
			if t == s.T[i-1] {
				what = "duplicates"
			}
			return fmt.Errorf("series %s: T[%d] = %s %s T[%d] = %s; timestamps must be strictly increasing",
				s.ident(), i, formatMilli(t), what, i-1, formatMilli(s.T[i-1]))
		}
	}
	for i, v := range s.V {
		if math.IsInf(v, 0) {
			return fmt.Errorf("series %s: V[%d] is %v%s; infinite values are not allowed", s.ident(), i, v, s.at(i))
		}
	}
	return nil
}

// Values returns a copy of all values, missing ones (NaN) included, in time
// order. The copy may be modified freely.
func (s Series) Values() []float64 { return slices.Clone(s.V) }

// Present returns a new slice holding the values that are not missing (not
// NaN), in time order. Use Len and len(Present()) to report how many were
// missing.
func (s Series) Present() []float64 {
	out := make([]float64, 0, len(s.V))
	for _, v := range s.V {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// String returns a short description for people: the series identity in
// Prometheus notation, the number of points, the time span and the number of
// missing values, e.g.
//
//	up{job="api"}: 3 points from 2023-11-14T22:13:20Z to 2023-11-14T22:14:20Z, 1 missing
//	sample: 20 values
func (s Series) String() string {
	var b strings.Builder
	b.WriteString(s.ident())
	missing := len(s.V) - len(s.Present())
	switch {
	case len(s.T) == 0 && len(s.V) == 1:
		b.WriteString(": 1 value")
	case len(s.T) == 0:
		fmt.Fprintf(&b, ": %d values", len(s.V))
	case len(s.T) == 1:
		fmt.Fprintf(&b, ": 1 point at %s", formatMilli(s.T[0]))
	default:
		fmt.Fprintf(&b, ": %d points from %s to %s", len(s.T), formatMilli(s.T[0]), formatMilli(s.T[len(s.T)-1]))
	}
	if missing > 0 {
		fmt.Fprintf(&b, ", %d missing", missing)
	}
	return b.String()
}

// ident returns the series' identity for messages: Identity, or "{}" for
// a series with neither name nor labels, "sample" for such a plain sample.
func (s Series) ident() string {
	switch id := s.Identity(); {
	case id != "":
		return id
	case len(s.T) == 0:
		return "sample"
	}
	return "{}"
}

// Identity returns the series' name and labels in PromQL notation,
// name{k="v", ...} with the labels sorted, or "" when it has neither (as a
// series read from a CSV file).
func (s Series) Identity() string {
	if len(s.Labels) == 0 {
		return s.Name
	}
	keys := slices.Sorted(maps.Keys(s.Labels))
	var b strings.Builder
	b.WriteString(s.Name)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(s.Labels[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// at returns " at <time>" for point i of a series with timestamps, and ""
// for a plain sample.
func (s Series) at(i int) string {
	if i < len(s.T) {
		return " at " + formatMilli(s.T[i])
	}
	return ""
}

// formatMilli formats Unix milliseconds as an RFC 3339 time in UTC, with
// fractional seconds only when they are not zero.
func formatMilli(ms int64) string {
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

// ErrEmpty reports input that holds no data: a CSV file with no rows after
// its header (or with no header either), or a Prometheus response with no
// series or a series with no samples. The readers return it wrapped in a
// *SyntaxError that says which; test for it with errors.Is. Callers that
// treat "no data" as inconclusive rather than as bad input branch on it,
// or on ErrTooLittleData, which it wraps.
var ErrEmpty = TooLittleData("no data")

// SyntaxError reports bad input, with the position of the problem. The
// readers in this package return it as a *SyntaxError (test with
// errors.As); its Error method gives "file:line: column: msg", the form
// editors and terminals recognise.
type SyntaxError struct {
	// File is the name the reader was given for its input.
	File string

	// Line is the 1-based line of the problem, 0 when no single line is to
	// blame (an empty file, a response that says the query failed).
	Line int

	// Column names the field at fault: the CSV column ("timestamp",
	// "value", "header") or, for Prometheus JSON, the path to the value
	// (data.result[2].values[7]). It is empty when the whole line is at
	// fault, such as a row with the wrong number of fields.
	Column string

	// Msg says what is wrong and, where it helps, what was expected.
	Msg string

	// Err is the condition behind the error that callers may test for
	// with errors.Is, such as ErrEmpty; usually nil.
	Err error
}

// Error returns "file:line: column: msg", leaving out the line when it is 0
// and the column when it is empty.
func (e *SyntaxError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Column != "" {
		b.WriteString(e.Column)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns e.Err.
func (e *SyntaxError) Unwrap() error { return e.Err }
