package series

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ReadPromJSON reads the series of a saved Prometheus range-query response:
// the body that /api/v1/query_range returns (from Prometheus or any
// compatible server: Thanos, Mimir, VictoriaMetrics), e.g. saved by
// curl. name is the file name to use in errors.
//
//	{"status": "success",
//	 "data": {"resultType": "matrix",
//	          "result": [{"metric": {"__name__": "up", "job": "api"},
//	                      "values": [[1700000000.123, "1"], [1700000015.123, "NaN"]]}]}}
//
// Each element of result becomes a Series, in file order: Name is the
// __name__ label (empty if there is none), Labels the other labels (nil if
// there are none). Timestamps are read from their decimal digits, so
// 1700000000.123 is exactly 1700000000123 ms. Values are strings as
// Prometheus writes them; "NaN" is a missing value. Keys may come in any
// order, and "warnings", "infos" and unknown keys are ignored.
//
// These are errors, each a *SyntaxError naming the file, the line and the
// JSON path of the problem (data.result[2].values[7]), with the series and
// time where it helps (as are invalid JSON and wrong types; an error
// reading r is returned with the file name added):
//
//   - "status": "error": the query failed; the message carries the
//     response's errorType and error;
//   - a resultType other than "matrix": "vector" and "scalar" answer an
//     instant query, and a range query is needed;
//   - native histogram samples ("histograms"): not supported;
//   - a value of "+Inf" or "-Inf": not supported (a metric that reports an
//     infinity has a bug upstream, and statistics over it mean nothing);
//   - timestamps that are not strictly increasing within a series;
//   - no series, or a series with no samples: errors.Is(err, ErrEmpty).
func ReadPromJSON(r io.Reader, name string) ([]Series, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &promParser{file: name, data: bytes.TrimPrefix(data, []byte("\uFEFF"))}
	return p.parse()
}

// promParser reads a Prometheus response. It first checks the whole input
// is valid JSON, then walks it level by level. Each level hands its members
// on as jvals, slices of the input that remember where they start, so
// errors can name a line however deep they are found, keys can come in any
// order, and nothing is copied.
type promParser struct {
	file string
	data []byte
}

// jval is a JSON value in the input: its bytes and the offset of its first
// byte.
type jval struct {
	off int
	b   []byte
}

// kind names the JSON type of v for messages.
func (v jval) kind() string {
	if len(v.b) == 0 {
		return "nothing"
	}
	switch v.b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// describe is kind, with the contents of a string, for messages.
func (v jval) describe() string {
	if v.kind() == "a string" {
		return fmt.Sprintf("a string (%q)", unquote(v.b))
	}
	return v.kind()
}

// errorf returns a *SyntaxError at offset off of the input.
func (p *promParser) errorf(off int, path, format string, args ...any) *SyntaxError {
	return &SyntaxError{File: p.file, Line: p.line(off), Column: path, Msg: fmt.Sprintf(format, args...)}
}

// line returns the 1-based line holding byte off of the input.
func (p *promParser) line(off int) int {
	off = min(max(off, 0), len(p.data))
	return 1 + bytes.Count(p.data[:off], []byte("\n"))
}

func (p *promParser) parse() ([]Series, error) {
	if len(bytes.TrimSpace(p.data)) == 0 {
		return nil, &SyntaxError{File: p.file, Msg: "file is empty; want a Prometheus query_range response", Err: ErrEmpty}
	}
	if !json.Valid(p.data) {
		var v json.RawMessage
		err := json.Unmarshal(p.data, &v)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// Offset counts the bytes read up to and including the
			// bad one.
			off := min(max(int(se.Offset)-1, 0), len(p.data))
			col := off - bytes.LastIndexByte(p.data[:off], '\n')
			return nil, &SyntaxError{File: p.file, Line: p.line(off),
				Msg: fmt.Sprintf("invalid JSON: %v (column %d)", se, col)}
		}
		return nil, &SyntaxError{File: p.file, Msg: fmt.Sprintf("invalid JSON: %v", err)}
	}
	start := skipSpace(p.data, 0)
	top := jval{off: start, b: p.data[start:skipValue(p.data, start)]}
	if top.kind() != "an object" {
		return nil, p.errorf(top.off, "", "got %s; want a JSON object, the body of a Prometheus query_range response", top.kind())
	}

	var status, errorType, errorText, data *jval
	err := p.members(top, func(key string, v jval) error {
		switch key {
		case "status":
			status = &v
		case "errorType":
			errorType = &v
		case "error":
			errorText = &v
		case "data":
			data = &v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if status == nil {
		return nil, p.errorf(top.off, "", `no "status" key; want a Prometheus query_range response, {"status": "success", "data": {"resultType": "matrix", "result": [...]}}`)
	}
	st, err := p.str(*status, "status")
	if err != nil {
		return nil, err
	}
	switch st {
	case "success":
	case "error":
		typ, msg := "unknown", "no error message"
		if errorType != nil {
			if t, err := p.str(*errorType, "errorType"); err == nil && t != "" {
				typ = t
			}
		}
		if errorText != nil {
			if m, err := p.str(*errorText, "error"); err == nil && m != "" {
				msg = m
			}
		}
		return nil, p.errorf(status.off, "status", "the query failed (%s): %s", typ, msg)
	default:
		return nil, p.errorf(status.off, "status", `%q; want "success"`, st)
	}
	if data == nil {
		return nil, p.errorf(top.off, "", `no "data" key in a successful response`)
	}
	return p.parseData(*data)
}

func (p *promParser) parseData(data jval) ([]Series, error) {
	if data.kind() != "an object" {
		return nil, p.errorf(data.off, "data", "got %s; want an object", data.kind())
	}
	var resultType, result *jval
	err := p.members(data, func(key string, v jval) error {
		switch key {
		case "resultType":
			resultType = &v
		case "result":
			result = &v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if resultType == nil {
		return nil, p.errorf(data.off, "data", `no "resultType" key`)
	}
	rt, err := p.str(*resultType, "data.resultType")
	if err != nil {
		return nil, err
	}
	switch rt {
	case "matrix":
	case "vector", "scalar", "string":
		return nil, p.errorf(resultType.off, "data.resultType",
			`%q is the answer to an instant query (/api/v1/query); a range query (/api/v1/query_range), whose resultType is "matrix", is needed`, rt)
	default:
		return nil, p.errorf(resultType.off, "data.resultType", `%q; want "matrix", the answer to a range query`, rt)
	}
	if result == nil {
		return nil, p.errorf(data.off, "data", `no "result" key`)
	}
	if result.kind() != "an array" {
		return nil, p.errorf(result.off, "data.result", "got %s; want an array of series", result.kind())
	}
	var out []Series
	err = p.elements(*result, func(i int, v jval) error {
		s, err := p.parseSeries(v, fmt.Sprintf("data.result[%d]", i))
		out = append(out, s)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &SyntaxError{File: p.file, Line: p.line(result.off), Column: "data.result",
			Msg: "the query returned no series", Err: ErrEmpty}
	}
	return out, nil
}

func (p *promParser) parseSeries(v jval, path string) (Series, error) {
	if v.kind() != "an object" {
		return Series{}, p.errorf(v.off, path, `got %s; want a series, {"metric": {...}, "values": [...]}`, v.kind())
	}
	var metric, values, histograms, instant *jval
	err := p.members(v, func(key string, v jval) error {
		switch key {
		case "metric":
			metric = &v
		case "values":
			values = &v
		case "histograms":
			histograms = &v
		case "value", "histogram":
			instant = &v
		}
		return nil
	})
	if err != nil {
		return Series{}, err
	}
	if metric == nil {
		return Series{}, p.errorf(v.off, path, `no "metric" key; want a series, {"metric": {...}, "values": [...]}`)
	}
	var labels map[string]string
	if err := json.Unmarshal(metric.b, &labels); err != nil {
		return Series{}, p.errorf(metric.off, path+".metric", `got %s; want an object of string labels, like {"job": "api"}`, metric.kind())
	}
	var s Series
	s.Name = labels["__name__"]
	delete(labels, "__name__")
	if len(labels) > 0 {
		s.Labels = labels
	}
	id := s.Identity()
	if id == "" {
		id = "{}"
	}
	id = "series " + id
	switch {
	case histograms != nil:
		return Series{}, p.errorf(histograms.off, path+".histograms", "%s holds native histogram samples; native histograms are not supported (query a float series, e.g. histogram_quantile(0.99, rate(x[5m])))", id)
	case values == nil && instant != nil:
		return Series{}, p.errorf(instant.off, path, `%s has an instant sample ("value"), not a range ("values"); a range query is needed`, id)
	case values == nil:
		return Series{}, p.errorf(v.off, path, `%s has no "values" key`, id)
	}
	if err := p.parseValues(&s, *values, path+".values", id); err != nil {
		return Series{}, err
	}
	return s, nil
}

// parseValues reads the [timestamp, "value"] pairs of one series into s.
func (p *promParser) parseValues(s *Series, v jval, path, id string) error {
	if v.kind() != "an array" {
		return p.errorf(v.off, path, "%s: got %s; want an array of [timestamp, \"value\"] pairs", id, v.kind())
	}
	n := 0
	err := p.elements(v, func(i int, pair jval) error {
		n++
		pairPath := func() string { return fmt.Sprintf("%s[%d]", path, i) }
		if pair.kind() != "an array" {
			return p.errorf(pair.off, pairPath(), "%s: got %s; want a [timestamp, \"value\"] pair", id, pair.describe())
		}
		var parts [3]jval
		count := 0
		p.elements(pair, func(j int, e jval) error {
			if j < len(parts) {
				parts[j] = e
			}
			count++
			return nil
		})
		if count == 0 {
			return p.errorf(pair.off, pairPath(), "%s: got an empty array; want a [timestamp, \"value\"] pair", id)
		}
		ts := parts[0]
		if ts.kind() != "a number" {
			return p.errorf(ts.off, pairPath(), "%s: timestamp is %s; want a number of Unix seconds", id, ts.describe())
		}
		t, err := ParseTime(string(ts.b))
		if err != nil {
			return p.errorf(ts.off, pairPath(), "%s: timestamp %s", id, err)
		}
		if n := len(s.T); n > 0 && t <= s.T[n-1] {
			msg := "is before the previous sample's, " + formatMilli(s.T[n-1])
			if t == s.T[n-1] {
				msg = "repeats the previous sample's"
			}
			return p.errorf(ts.off, pairPath(), "%s: timestamp %s (%s) %s; samples must be sorted by time with no time twice",
				id, ts.b, formatMilli(t), msg)
		}
		if count == 1 {
			return p.errorf(pair.off, pairPath(), "%s at %s: no value; want a [timestamp, \"value\"] pair", id, formatMilli(t))
		}
		val := parts[1]
		var text string
		switch val.kind() {
		case "a string":
			text = unquote(val.b)
			if text == "" {
				return p.errorf(val.off, pairPath(), `%s at %s: value is an empty string; want a number like "1.5" or "NaN"`, id, formatMilli(t))
			}
		case "a number":
			text = string(val.b)
		default:
			return p.errorf(val.off, pairPath(), `%s at %s: value is %s; want a string like "1.5" or "NaN"`, id, formatMilli(t), val.kind())
		}
		x, err := ParseValue(text)
		if err != nil {
			return p.errorf(val.off, pairPath(), "%s at %s: value %s", id, formatMilli(t), err)
		}
		if count > 2 {
			return p.errorf(parts[2].off, pairPath(), "%s at %s: more than two elements; want a [timestamp, \"value\"] pair", id, formatMilli(t))
		}
		s.T = append(s.T, t)
		s.V = append(s.V, x)
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return &SyntaxError{File: p.file, Line: p.line(v.off), Column: path, Msg: id + " has no samples", Err: ErrEmpty}
	}
	return nil
}

// The walk below relies on the input being valid JSON, which parse checks
// first with json.Valid: it only finds where values begin and end, and
// leaves decoding to encoding/json or to the callers.

// members calls fn with each key and value of the object v, in order,
// stopping at the first error.
func (p *promParser) members(v jval, fn func(key string, v jval) error) error {
	b := v.b
	for i := skipSpace(b, 1); i < len(b) && b[i] != '}'; {
		end := skipValue(b, i)
		key := unquote(b[i:end])
		i = skipSpace(b, end)
		i = skipSpace(b, i+1) // past ':'
		end = skipValue(b, i)
		if err := fn(key, jval{off: v.off + i, b: b[i:end]}); err != nil {
			return err
		}
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return nil
}

// elements calls fn with each element of the array v, in order, stopping
// at the first error.
func (p *promParser) elements(v jval, fn func(i int, v jval) error) error {
	b := v.b
	n := 0
	for i := skipSpace(b, 1); i < len(b) && b[i] != ']'; n++ {
		end := skipValue(b, i)
		if err := fn(n, jval{off: v.off + i, b: b[i:end]}); err != nil {
			return err
		}
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return nil
}

// skipValue returns the offset just past the JSON value that starts at
// b[i], which must be valid JSON.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		for i++; i < len(b) && b[i] != '"'; i++ {
			if b[i] == '\\' {
				i++
			}
		}
		return min(i+1, len(b))
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipValue(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n', ',', ']', '}':
			return i
		}
		i++
	}
	return i
}

// unquote returns the contents of the valid JSON string literal b.
func unquote(b []byte) string {
	if len(b) >= 2 && bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1])
	}
	var s string
	json.Unmarshal(b, &s) // valid JSON: cannot fail for a string
	return s
}

// str returns the string value v, or an error naming path if it is not a
// string.
func (p *promParser) str(v jval, path string) (string, error) {
	if v.kind() != "a string" {
		return "", p.errorf(v.off, path, "got %s; want a string", v.kind())
	}
	return unquote(v.b), nil
}

// skipSpace returns the offset of the first byte at or after i in b that is
// not JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			i++
			continue
		}
		break
	}
	return i
}
