package prom

import (
	"regexp"
	"strconv"
	"strings"
)

// Quote returns s as a PromQL string literal, double-quoted with every
// quote, backslash and control character escaped, for use as a label value
// in a matcher: `up{service=` + prom.Quote(name) + `}`. Whatever s holds,
// it stays one string: a value such as `"} or vector(1) #` cannot end the
// matcher and change the query.
//
// PromQL strings take Go's escape sequences (\", \\, \n, \xNN, \uNNNN), and
// strconv.Quote writes only those; bytes that are not UTF-8 come out as
// \xNN escapes, which Prometheus then rejects as an invalid label value
// rather than misreading them.
func Quote(s string) string { return strconv.Quote(s) }

// QuoteRegexp returns a PromQL string literal for a regular-expression
// matcher (=~ or !~) that matches s literally: the metacharacters of RE2 are
// escaped, then the result is quoted as by Quote. Prometheus anchors the
// expression at both ends, so it matches s and nothing else.
func QuoteRegexp(s string) string { return strconv.Quote(regexp.QuoteMeta(s)) }

// QuoteRegexpAny returns a PromQL string literal for a regular-expression
// matcher that matches any of values literally, e.g. for
// service=~"checkout|cart". With no values it matches nothing but the empty
// string (an absent label).
func QuoteRegexpAny(values ...string) string {
	alt := make([]string, len(values))
	for i, v := range values {
		alt[i] = regexp.QuoteMeta(v)
	}
	return strconv.Quote(strings.Join(alt, "|"))
}
