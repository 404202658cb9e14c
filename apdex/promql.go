package apdex

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LeFormat says how the "le" label values of a histogram are written in
// the Prometheus that stores it, which the query must match as text: PromQL
// compares label values as strings, so le="2" does not match a bucket
// stored as le="2.0".
type LeFormat int

const (
	// LeText is the text exposition format's spelling, which the Go
	// client library (prometheus/common expfmt) writes and Prometheus 2
	// stores as scraped: the shortest decimal that reads back to the
	// bound, strconv.FormatFloat(le, 'g', -1, 64), so "0.5", "2",
	// "2.5", "1e-05", "+Inf".
	LeText LeFormat = iota

	// LeOpenMetrics is the OpenMetrics spelling, which Prometheus 3
	// normalises every classic histogram's le to on ingestion whatever
	// the scrape format (prometheus/prometheus#15164, the 3.0 migration
	// guide, "le and quantile label values"): as LeText, with ".0"
	// appended to a number that has neither a point nor an exponent,
	// so "0.5", "2.0", "1e-05", "+Inf".
	LeOpenMetrics

	// LeEither matches both spellings with a regular expression,
	// le=~"2|2\\.0", for a query that must work across a Prometheus 2 to
	// 3 upgrade or against stores holding both (the approach of
	// pyrra-dev/pyrra#1619). Bounds that are spelt the same either way
	// keep an equality matcher.
	LeEither
)

func (f LeFormat) String() string {
	switch f {
	case LeText:
		return "text"
	case LeOpenMetrics:
		return "openmetrics"
	case LeEither:
		return "either"
	}
	return fmt.Sprintf("LeFormat(%d)", int(f))
}

// FormatLe writes a bucket bound as an le label value in format f (LeText
// for LeEither, whose matcher is a regular expression; see LeMatcher).
func FormatLe(le float64, f LeFormat) string { return formatLe(le, f) }

func formatLe(le float64, f LeFormat) string {
	switch {
	case math.IsInf(le, 1):
		return "+Inf"
	case math.IsInf(le, -1):
		return "-Inf"
	case math.IsNaN(le):
		return "NaN"
	}
	s := strconv.FormatFloat(le, 'g', -1, 64)
	if f == LeOpenMetrics && !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// LeMatcher returns the PromQL label matcher that selects the bucket with
// bound le in format f, e.g. le="0.5", le="2.0" or le=~"2|2\\.0".
func LeMatcher(le float64, f LeFormat) string {
	text, om := formatLe(le, LeText), formatLe(le, LeOpenMetrics)
	if f == LeEither && text != om {
		return "le=~" + QuoteString(regexp.QuoteMeta(text)+"|"+regexp.QuoteMeta(om))
	}
	return "le=" + QuoteString(formatLe(le, f))
}

// Query builds the PromQL expression of an Apdex score over a classic
// histogram [2]:
//
//	(sum(rate(X_bucket{le="T"}[5m])) + sum(rate(X_bucket{le="F"}[5m]))) / 2
//	  / sum(rate(X_count[5m]))
//
// which is (satisfied + tolerating/2) / total because the buckets are
// cumulative: bucket{le="F"} = satisfied + tolerating. (The form
// bucket{le="T"} + bucket{le="F"}/2 seen in some write-ups counts the
// satisfied requests one and a half times.)
type Query struct {
	// Metric is the histogram's name without the _bucket and _count
	// suffixes, e.g. http_request_duration_seconds. It must be a
	// classic Prometheus metric name, [a-zA-Z_:][a-zA-Z0-9_:]*.
	Metric string

	// Matchers select the series: label name to value, as equality
	// matchers (job="api"). The label "le" is not allowed.
	Matchers map[string]string

	// By lists the labels to keep, one score per combination
	// (sum by (job) (...)); empty sums everything into one score.
	By []string

	// Range is the rate window; zero means DefaultRange. It must be a
	// whole number of milliseconds.
	Range time.Duration

	// Thresholds are T and F in seconds; F zero means 4T. Both must be
	// bucket bounds of the histogram: PromQL cannot interpolate them.
	Thresholds

	// Le is how the store spells le values; the zero value is LeText.
	Le LeFormat

	// ErrorRate, when not empty, is a PromQL expression for the rate of
	// failed requests that the histogram does NOT observe, such as
	// sum(rate(http_requests_total{code=~"5.."}[5m])). It is added to the
	// denominator, so that failures count as frustrated (see
	// Histogram.Errors). With By set, it must keep the same labels.
	ErrorRate string
}

// DefaultRange is the rate window of Query when Range is zero.
const DefaultRange = 5 * time.Minute

var (
	metricNameRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelNameRE  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// PromQL returns the query's expression, or an error for a metric or label
// name PromQL cannot write bare, an le matcher, bad thresholds or range.
func (q Query) PromQL() (string, error) {
	if err := q.Validate(); err != nil {
		return "", err
	}
	rng := q.Range
	if rng == 0 {
		rng = DefaultRange
	}
	sel := func(suffix string, extra string) string {
		keys := make([]string, 0, len(q.Matchers))
		for k := range q.Matchers {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		ms := make([]string, 0, len(keys)+1)
		for _, k := range keys {
			ms = append(ms, k+"="+QuoteString(q.Matchers[k]))
		}
		if extra != "" {
			ms = append(ms, extra)
		}
		s := q.Metric + suffix
		if len(ms) > 0 {
			s += "{" + strings.Join(ms, ",") + "}"
		}
		return s
	}
	agg := "sum"
	if len(q.By) > 0 {
		agg = "sum by (" + strings.Join(q.By, ", ") + ") "
	}
	r := "[" + FormatDuration(rng) + "]"
	satisfied := fmt.Sprintf("%s(rate(%s%s))", agg, sel("_bucket", LeMatcher(q.T, q.Le)), r)
	withinF := fmt.Sprintf("%s(rate(%s%s))", agg, sel("_bucket", LeMatcher(q.Frustration(), q.Le)), r)
	total := fmt.Sprintf("%s(rate(%s%s))", agg, sel("_count", ""), r)
	if q.ErrorRate != "" {
		total = "(" + total + " + (" + q.ErrorRate + "))"
	}
	return fmt.Sprintf("(%s + %s) / 2 / %s", satisfied, withinF, total), nil
}

// Validate reports whether the query can be written.
func (q Query) Validate() error {
	if !metricNameRE.MatchString(q.Metric) {
		return fmt.Errorf("apdex: query: metric name %q is not a classic Prometheus name [a-zA-Z_:][a-zA-Z0-9_:]*; give the histogram's name without _bucket", q.Metric)
	}
	for _, suffix := range []string{"_bucket", "_count", "_sum"} {
		if strings.HasSuffix(q.Metric, suffix) {
			return fmt.Errorf("apdex: query: metric %q ends in %s; give the histogram's name without the suffix (%s)", q.Metric, suffix, strings.TrimSuffix(q.Metric, suffix))
		}
	}
	for k := range q.Matchers {
		if !labelNameRE.MatchString(k) {
			return fmt.Errorf("apdex: query: label name %q is not a classic Prometheus name [a-zA-Z_][a-zA-Z0-9_]*", k)
		}
		if k == "le" {
			return errors.New(`apdex: query: a matcher on "le" is not allowed; the query selects the buckets at T and F itself`)
		}
	}
	for _, k := range q.By {
		if !labelNameRE.MatchString(k) {
			return fmt.Errorf("apdex: query: by label %q is not a classic Prometheus name [a-zA-Z_][a-zA-Z0-9_]*", k)
		}
		if k == "le" {
			return errors.New(`apdex: query: "le" cannot be a by label; the score sums over the buckets`)
		}
	}
	if q.Le < LeText || q.Le > LeEither {
		return fmt.Errorf("apdex: query: unknown le format %v", q.Le)
	}
	if q.Range < 0 || q.Range%time.Millisecond != 0 {
		return fmt.Errorf("apdex: query: range %v; want a positive whole number of milliseconds (0 for %v)", q.Range, DefaultRange)
	}
	return q.Thresholds.Validate()
}

// QuoteString returns s as a double-quoted PromQL string literal. PromQL
// strings follow Go's escaping rules (Prometheus's querying basics:
// "PromQL follows the same escaping rules as Go"), and its lexer unquotes
// them with a copy of strconv.Unquote, so strconv.Quote's output, which
// escapes the quote, the backslash, control characters and invalid UTF-8,
// reads back as s.
func QuoteString(s string) string { return strconv.Quote(s) }

// FormatDuration writes d as a PromQL duration: whole units from the
// largest down, 1h30m, 5m, 90s, 250ms. It writes days and weeks as hours
// (PromQL's d and w are exact multiples, so nothing is lost). d must be a
// positive whole number of milliseconds.
func FormatDuration(d time.Duration) string {
	ms := d.Milliseconds()
	var b strings.Builder
	for _, u := range []struct {
		unit string
		ms   int64
	}{{"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}} {
		if n := ms / u.ms; n > 0 {
			b.WriteString(strconv.FormatInt(n, 10))
			b.WriteString(u.unit)
			ms -= n * u.ms
		}
	}
	return b.String()
}
