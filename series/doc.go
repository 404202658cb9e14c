// Package series holds chaosstat's time-series value type and reads and
// writes it: from CSV files, from saved Prometheus range-query responses,
// and as windows of time.
//
// A Series is one metric over time, stored column by column: a name,
// Prometheus-style labels, timestamps in Unix milliseconds and float64
// values, sorted by time with no time twice. NaN marks a missing value. A
// Series without timestamps is a plain sample, a list of values.
//
// The workflow:
//
//  1. Read the data. ReadFile reads a CSV file, or a ".json" file holding a
//     Prometheus query_range response, with "-" meaning stdin; ReadCSV and
//     ReadPromJSON read from any io.Reader.
//  2. Cut out the time the question is about with Window (Unix
//     milliseconds) or Between (time.Time): the baseline before a fault,
//     the fault itself. Windows are half-open, [start, end), and share
//     memory with the series they come from.
//  3. Put the data on one grid when time matters: Step tells the sampling
//     interval, Resample aggregates onto a regular grid (an empty interval
//     is missing, not zero), Join and Pairs match two groups minute by
//     minute, Shift lays last week over this week, Windows cuts consecutive
//     clock-aligned windows, and Coverage counts missing points and gaps.
//  4. Hand the values to the statistics: Present gives the values that are
//     not missing, Values all of them.
//  5. Save derived series with WriteCSV, which writes what ReadCSV reads
//     back exactly.
//
// Bad input is an error, never a guess: a *SyntaxError naming the file, the
// line and the column (for JSON, the path to the value), such as
//
//	taxi.csv:17: timestamp: "2014-13-01" is neither Unix seconds nor RFC 3339 (like 2014-07-01T00:00:00-04:00)
//	up.json:9: data.result[0].values[3]: series up{job="api"} at 2023-11-14T22:14:05Z: value "+Inf" is infinite; ...
//
// Input with no data at all is an error matching ErrEmpty, so that callers
// can tell "no data" from bad data.
//
// # Formats
//
// CSV has a header row, "timestamp,value" or, for a plain sample, "value"
// alone (matched ignoring case and surrounding space). A timestamp is Unix
// seconds, with a fraction if needed (1700000000.5), or RFC 3339 with an
// offset (2014-07-01T00:00:00-04:00, 2023-11-14T22:13:20.123Z); ParseTime
// reads one, and is the parser of every other input that gives a time. An
// empty cell or NaN is a missing value.
//
//	timestamp,value
//	2014-07-01T00:00:00-04:00,10844
//	2014-07-01T00:30:00-04:00,
//	2014-07-01T01:00:00-04:00,6210
//
// Prometheus JSON is the body of an /api/v1/query_range response, saved
// for example with
//
//	curl -o latency.json 'http://prometheus:9090/api/v1/query_range?query=...&start=...&end=...&step=30s'
//
// Its resultType must be "matrix"; each series in it becomes a Series named
// by its __name__ label.
//
// Timestamps are kept to the millisecond, Prometheus's resolution; finer
// fractions are rounded. Infinite values are rejected everywhere: a metric
// that reports one has a bug upstream.
package series
