package series

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds the parsers of timestamps and values: ParseTime, which
// every chaosstat input uses, and the value parser of the CSV and
// Prometheus JSON readers. They return plain messages; the callers add the
// file and position, or the flag.

// ParseTime parses a timestamp as chaosstat reads it everywhere (CSV and
// Prometheus JSON files, the monitor's live feed, Apdex request logs, time
// flags) and returns Unix milliseconds. s is one of
//
//   - Unix seconds: a decimal number with an optional sign, fraction and
//     exponent, such as 1700000000, 1700000000.25 or 1.7e9. The number is
//     read exactly from its digits, not through float64, so that
//     1700000000.123 is 1700000000123 ms whatever the magnitude;
//   - an RFC 3339 time with its UTC offset, fractional seconds allowed,
//     such as 2014-07-01T00:00:00-04:00 or 2023-11-14T22:13:20.123Z.
//
// Both are rounded to the nearest millisecond, Prometheus's resolution
// (halves away from zero). A time without an offset is an error, since it
// could be in any zone, and so is a time outside the years 0001 to 9999
// (a Unix time in milliseconds is the usual cause; the message says so).
// The error's message quotes s and says what is wrong, without a position.
// ParseTimeAt reads times relative to now as well.
func ParseTime(s string) (int64, error) {
	return parseTime(s, timeForms)
}

// The forms ParseTime and ParseTimeAt take, for their messages.
const (
	timeForms         = "Unix seconds nor RFC 3339 (like 2014-07-01T00:00:00-04:00)"
	relativeTimeForms = "Unix seconds, RFC 3339 (like 2014-07-01T00:00:00-04:00), now nor now-DURATION"
)

// ParseTimeAt parses a time as ParseTime does, or relative to now as time
// flags and query ranges also give it: "now", or "now-" followed by a
// duration as ParseDuration reads it (now-1h, now-90m). It returns the time
// in UTC, to the millisecond for the forms ParseTime reads and as now is
// for the relative ones.
func ParseTimeAt(s string, now time.Time) (time.Time, error) {
	if s == "now" {
		return now.UTC(), nil
	}
	if rest, ok := strings.CutPrefix(s, "now-"); ok {
		d, err := ParseDuration(rest)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: want now-DURATION such as now-1h: %v", Quote(s), err)
		}
		return now.Add(-d).UTC(), nil
	}
	ms, err := parseTime(s, relativeTimeForms)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(ms).UTC(), nil
}

// parseTime is ParseTime; forms names the forms the caller takes, for the
// message of a string that is none of them.
func parseTime(s, forms string) (int64, error) {
	if s == "" {
		return 0, errors.New("is empty; want Unix seconds or an RFC 3339 time")
	}
	if looksNumeric(s) {
		ms, err := parseUnixSeconds(s)
		if err != nil {
			return 0, fmt.Errorf("%s is neither %s", Quote(s), forms)
		}
		return checkMilliRange(ms, s)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		var pe *time.ParseError
		if _, err2 := time.Parse("2006-01-02T15:04:05", s); err2 == nil {
			return 0, fmt.Errorf("%s has no UTC offset; RFC 3339 needs one, such as %sZ or %s-04:00", Quote(s), s, s)
		}
		if errors.As(err, &pe) && pe.Message != "" {
			// A range error ("month out of range") is worth passing on;
			// the layout mismatches time.Parse reports otherwise are not.
			return 0, fmt.Errorf("%s is not a valid RFC 3339 time%s", Quote(s), pe.Message)
		}
		return 0, fmt.Errorf("%s is neither %s", Quote(s), forms)
	}
	t = t.Round(time.Millisecond)
	return checkMilliRange(t.UnixMilli(), s)
}

// ParseDuration parses a length of time as chaosstat's flags and files give
// one (window lengths, steps, gaps, lags, timeouts): a Go duration as
// time.ParseDuration reads it, such as 90s, 30m, 1h30m or 24h, that is
// positive and a whole number of milliseconds, the resolution of series
// timestamps. Days and weeks are written in hours (24h, 168h).
// compare.ShortDuration writes durations in a form it reads back.
//
// The error's message quotes s and says what is wrong, without the flag.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%s is not a duration: want a number with a unit, such as 90s, 30m or 24h", Quote(s))
	case d <= 0:
		return 0, fmt.Errorf("%s is not positive: want a duration such as 30m", Quote(s))
	case d%time.Millisecond != 0:
		return 0, fmt.Errorf("%s is not a whole number of milliseconds", Quote(s))
	}
	return d, nil
}

// looksNumeric reports whether s is made only of the characters of a
// decimal number (digits, signs, point, exponent), so is meant as Unix
// seconds rather than as an RFC 3339 time.
func looksNumeric(s string) bool {
	return s != "" && numberChars(s)
}

// numberChars reports whether every byte of s is a digit, a sign, a point
// or an exponent mark: a loop, not strings.Trim with a cutset, which builds
// its character set on every call (once per cell of a file).
func numberChars(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9', c == '.', c == '+', c == '-', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return true
}

func checkMilliRange(ms int64, s string) (int64, error) {
	if ms < minMilli || ms > maxMilli {
		hint := ""
		if ms > maxMilli && looksNumeric(s) {
			hint = "; is it in milliseconds? Unix seconds are wanted"
		}
		return 0, fmt.Errorf("%s is outside the years 0001 to 9999%s", Quote(s), hint)
	}
	return ms, nil
}

// parseUnixSeconds parses a decimal number of seconds exactly and returns it
// in milliseconds, rounded to the nearest one (halves away from zero). It
// works on the decimal digits rather than through float64, so that
// 1700000000.123 becomes 1700000000123 whatever the magnitude. Numbers too
// large for int64 come back as math.MaxInt64 or math.MinInt64, for
// checkMilliRange to reject.
func parseUnixSeconds(s string) (int64, error) {
	bad := func() (int64, error) {
		return 0, fmt.Errorf("%s is not a decimal number", Quote(s))
	}
	rest := s
	neg := false
	if rest != "" && (rest[0] == '+' || rest[0] == '-') {
		neg = rest[0] == '-'
		rest = rest[1:]
	}
	intPart, rest := digitsPrefix(rest)
	var fracPart string
	if rest != "" && rest[0] == '.' {
		fracPart, rest = digitsPrefix(rest[1:])
	}
	if intPart == "" && fracPart == "" {
		return bad()
	}
	exp := 0
	if rest != "" && (rest[0] == 'e' || rest[0] == 'E') {
		rest = rest[1:]
		expNeg := false
		if rest != "" && (rest[0] == '+' || rest[0] == '-') {
			expNeg = rest[0] == '-'
			rest = rest[1:]
		}
		var expDigits string
		expDigits, rest = digitsPrefix(rest)
		if expDigits == "" {
			return bad()
		}
		for _, c := range expDigits {
			exp = min(exp*10+int(c-'0'), 1e6) // far beyond any timestamp
		}
		if expNeg {
			exp = -exp
		}
	}
	if rest != "" {
		return bad()
	}

	// Without its leading zeros, the value is 0.digits × 10^point
	// milliseconds: the first point digits are the whole milliseconds and
	// the next one decides the rounding.
	// The digits without the point, in a buffer on the stack (no
	// allocation per timestamp, as intPart+fracPart would make).
	var buf [64]byte
	all := append(append(buf[:0], intPart...), fracPart...)
	digits := bytes.TrimLeft(all, "0")
	point := len(intPart) - (len(all) - len(digits)) + exp + 3
	if len(digits) == 0 {
		return 0, nil
	}
	if point > 18 {
		// At least 10^17 ms, far beyond the year 9999: return a value
		// checkMilliRange rejects, before the arithmetic below
		// overflows.
		if neg {
			return math.MinInt64, nil
		}
		return math.MaxInt64, nil
	}
	var ms int64
	for i := range point {
		ms *= 10
		if i < len(digits) {
			ms += int64(digits[i] - '0')
		}
	}
	if point >= 0 && point < len(digits) && digits[point] >= '5' {
		ms++
	}
	if neg {
		ms = -ms
	}
	return ms, nil
}

// digitsPrefix splits s after its leading ASCII digits.
func digitsPrefix(s string) (digits, rest string) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// Quote quotes s for an error message, as %q does, cut to its first 64
// bytes (at a rune boundary) with the length said: a 50 MB cell in a file
// must not come back as a 50 MB message.
func Quote(s string) string {
	const limit = 64
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// ParseValue parses a metric value as every reader of chaosstat reads one
// (CSV cells, Prometheus JSON, the monitor's feed): a number in decimal or
// scientific notation (not Go's hexadecimal floats or digit separators,
// which no exporter writes: "0x1p3" or "1_000" in a file is a mistake,
// not 8 or 1000), or an empty string or NaN (any case) for missing,
// which it returns as NaN. It rejects infinities: a metric that reports one
// has a bug upstream, and statistics over it would be meaningless. The
// error's message quotes s and says what is wrong, without a position.
func ParseValue(s string) (float64, error) {
	if s == "" || strings.EqualFold(s, "nan") {
		return math.NaN(), nil
	}
	if !numberChars(s) {
		switch strings.ToLower(strings.TrimLeft(s, "+-")) {
		case "inf", "infinity":
			return 0, fmt.Errorf("%s is infinite; infinite values are not supported (a metric that reports one has a bug upstream)", Quote(s))
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return 0, fmt.Errorf("%s is not in decimal or scientific notation (hexadecimal floats and digit separators are not read): write it as 1500 or 1.5e3", Quote(s))
		}
		return 0, fmt.Errorf("%s is not a number", Quote(s))
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && math.IsInf(v, 0):
		return 0, fmt.Errorf("%s is outside the range of float64", Quote(s))
	case err != nil:
		return 0, fmt.Errorf("%s is not a number", Quote(s))
	}
	return v, nil
}
