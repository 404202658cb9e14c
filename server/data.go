package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// Data is one group's data given inline in a request, in one of three
// forms:
//
//	[3.1, 2.7, null, 4.0]                         a plain sample (null: missing)
//	[{"t": "2026-02-01T12:00:00Z", "v": 3.1}, ...]  a time series; t is RFC 3339
//	                                              or Unix seconds (a number or a
//	                                              string), as series.ParseTime reads it
//	{"name": "latency.csv", "points": [...]}      either of the above with the
//	                                              name reports give the group
//
// A missing value is null. The points of a time series must be in time
// order with no two at the same time (series.Series.Validate). Without a
// name the group is named by its key ("control").
type Data struct {
	// Name names the data in reports; "" means the request's key.
	Name string
	// Series is the data: plain (no T) or a time series.
	Series series.Series
	// set says the key was present.
	set bool
}

// dataError is an error in the inline data of one key, found in
// UnmarshalJSON; decode names the key.
type dataError struct{ msg string }

func (e *dataError) Error() string { return e.msg }

func dataErrorf(format string, args ...any) error {
	return &dataError{fmt.Sprintf(format, args...)}
}

// point is one point of a time series as JSON gives it.
type point struct {
	T json.RawMessage `json:"t"`
	V *float64        `json:"v"`
}

// UnmarshalJSON reads the three forms of Data.
func (d *Data) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	d.set = true
	if len(b) > 0 && b[0] == '{' {
		var named struct {
			Name   string          `json:"name"`
			Points json.RawMessage `json:"points"`
		}
		if err := strictUnmarshal(b, &named); err != nil {
			return dataErrorf("want {\"name\": ..., \"points\": [...]}: %v", plainJSONError(err))
		}
		if named.Points == nil {
			return dataErrorf(`missing "points", the data`)
		}
		d.Name = named.Name
		return d.readPoints(bytes.TrimSpace(named.Points))
	}
	return d.readPoints(b)
}

// readPoints reads a plain sample or a time series.
func (d *Data) readPoints(b []byte) error {
	if len(b) == 0 || b[0] != '[' {
		return dataErrorf("want an array of numbers or of {\"t\": TIME, \"v\": NUMBER} points")
	}
	rest := bytes.TrimSpace(b[1:])
	if len(rest) > 0 && rest[0] == '{' {
		var pts []point
		if err := strictUnmarshal(b, &pts); err != nil {
			return dataErrorf("want an array of {\"t\": TIME, \"v\": NUMBER} points: %v", plainJSONError(err))
		}
		s := series.Series{T: make([]int64, len(pts)), V: make([]float64, len(pts))}
		for i, p := range pts {
			if p.T == nil {
				return dataErrorf("point %d: missing \"t\", the time", i)
			}
			t, err := parsePointTime(p.T)
			if err != nil {
				return dataErrorf("point %d: t: %v", i, err)
			}
			s.T[i] = t
			s.V[i] = math.NaN()
			if p.V != nil {
				s.V[i] = *p.V
			}
		}
		if err := s.Validate(); err != nil {
			return dataErrorf("%v", err)
		}
		d.Series = s
		return nil
	}
	var vs []*float64
	if err := json.Unmarshal(b, &vs); err != nil {
		return dataErrorf("want an array of numbers (null for a missing value) or of {\"t\": TIME, \"v\": NUMBER} points: %v", plainJSONError(err))
	}
	s := series.Series{V: make([]float64, len(vs))}
	for i, v := range vs {
		s.V[i] = math.NaN()
		if v != nil {
			s.V[i] = *v
		}
	}
	d.Series = s
	return nil
}

// parsePointTime reads a point's t: a string or a number, as
// series.ParseTime reads it.
func parsePointTime(raw json.RawMessage) (int64, error) {
	var s string
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
	} else {
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return 0, errors.New("want RFC 3339 or Unix seconds")
		}
		s = n.String()
	}
	return series.ParseTime(s)
}

// MarshalJSON writes the form UnmarshalJSON reads: named, with t in RFC
// 3339 to the millisecond and null for a missing value.
func (d Data) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	if d.Name != "" {
		name, _ := json.Marshal(d.Name)
		b.WriteString(`"name":`)
		b.Write(name)
		b.WriteByte(',')
	}
	b.WriteString(`"points":[`)
	for i, v := range d.Series.V {
		if i > 0 {
			b.WriteByte(',')
		}
		val := "null"
		if !math.IsNaN(v) {
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("point %d: infinite value", i)
			}
			val = strconv.FormatFloat(v, 'g', -1, 64)
		}
		if len(d.Series.T) == 0 {
			b.WriteString(val)
			continue
		}
		fmt.Fprintf(&b, `{"t":"%s","v":%s}`, time.UnixMilli(d.Series.T[i]).UTC().Format("2006-01-02T15:04:05.000Z07:00"), val)
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// Inline returns s as a request's inline data named name.
func Inline(name string, s series.Series) *Data {
	return &Data{Name: name, Series: s, set: true}
}

// given reports whether d holds data from the request.
func (d *Data) given() bool { return d != nil && d.set }

// strictUnmarshal is json.Unmarshal that refuses unknown keys and trailing
// data.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the value")
	}
	return nil
}

// plainJSONError rewords encoding/json's errors without the "json: " prefix.
func plainJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		where := ""
		if te.Field != "" {
			where = te.Field + ": "
		}
		return fmt.Sprintf("%swant %s, got %s", where, jsonKind(te.Type.Kind().String()), te.Value)
	}
	msg := err.Error()
	if len(msg) > 6 && msg[:6] == "json: " {
		msg = msg[6:]
	}
	return msg
}

func jsonKind(k string) string {
	switch k {
	case "float64", "int", "int64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return k
}
