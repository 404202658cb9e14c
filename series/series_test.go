package series

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		reason  string
		in      Series
		wantErr string // substring of the error; "" means valid
	}{
		{name: "empty", reason: "no data is valid; consumers decide what it means", in: Series{}},
		{name: "plain sample", reason: "values without times", in: Series{V: []float64{1, nan, 2}}},
		{name: "empty T slice", reason: "a zero-length T counts as no timestamps", in: Series{T: []int64{}, V: []float64{1}}},
		{name: "sorted", reason: "the ordinary case", in: Series{T: []int64{1, 2, 5}, V: []float64{1, nan, 3}}},
		{name: "year bounds", reason: "years 0001 and 9999 are inside", in: Series{T: []int64{minMilli, maxMilli}, V: []float64{1, 2}}},
		{
			name: "lengths", reason: "T and V must pair up",
			in:      Series{Name: "up", T: []int64{1, 2}, V: []float64{1}},
			wantErr: "series up: 2 timestamps but 1 values",
		}, {
			name: "duplicate", reason: "no time twice",
			in:      Series{T: []int64{1000, 1000}, V: []float64{1, 2}},
			wantErr: "series {}: T[1] = 1970-01-01T00:00:01Z duplicates T[0] = 1970-01-01T00:00:01Z; timestamps must be strictly increasing",
		}, {
			name: "unsorted", reason: "sorted by time",
			in:      Series{Labels: map[string]string{"job": "api"}, T: []int64{2000, 1500}, V: []float64{1, 2}},
			wantErr: `series {job="api"}: T[1] = 1970-01-01T00:00:01.5Z is before T[0] = 1970-01-01T00:00:02Z`,
		}, {
			name: "out of range", reason: "milliseconds beyond the year 9999",
			in:      Series{T: []int64{maxMilli + 1}, V: []float64{1}},
			wantErr: "T[0] = 253402300800000 ms is outside the years 0001 to 9999",
		}, {
			name: "infinity", reason: "infinite values are never valid",
			in:      Series{T: []int64{1, 2}, V: []float64{1, -posInf()}},
			wantErr: "V[1] is -Inf at 1970-01-01T00:00:00.002Z; infinite values are not allowed",
		}, {
			name: "infinity in a sample", reason: "also without times",
			in:      Series{V: []float64{posInf()}},
			wantErr: "series sample: V[0] is +Inf; infinite values are not allowed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate = %v, want nil (%s)", err, tt.reason)
			case tt.wantErr != "" && err == nil:
				t.Errorf("Validate = nil, want an error containing %q (%s)", tt.wantErr, tt.reason)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("Validate = %q, want it to contain %q (%s)", err, tt.wantErr, tt.reason)
			}
		})
	}
}

func TestValuesPresent(t *testing.T) {
	s := Series{T: []int64{1, 2, 3, 4}, V: []float64{1, nan, 3, nan}}
	vals := s.Values()
	if d := diff(Series{V: vals}, Series{V: []float64{1, nan, 3, nan}}); d != "" {
		t.Errorf("Values: %s", d)
	}
	vals[0] = 99
	if s.V[0] != 1 {
		t.Errorf("writing to Values() changed the series: V[0] = %v", s.V[0])
	}
	if got := s.Present(); len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Errorf("Present = %v, want [1 3]", got)
	}
	if got := (Series{}).Present(); got == nil || len(got) != 0 {
		t.Errorf("Present of an empty series = %#v, want an empty non-nil slice", got)
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     Series
		want   string
	}{{
		name:   "named with labels",
		reason: "PromQL notation, labels sorted, span in UTC and missing count",
		in: Series{Name: "up", Labels: map[string]string{"job": "api", "instance": "a:9090"},
			T: []int64{nov14, nov14 + 15000, nov14 + 60123}, V: []float64{1, nan, 1}},
		want: `up{instance="a:9090", job="api"}: 3 points from 2023-11-14T22:13:20Z to 2023-11-14T22:14:20.123Z, 1 missing`,
	}, {
		name:   "one point",
		reason: "a single point has a time, not a span",
		in:     Series{Name: "up", T: []int64{nov14}, V: []float64{1}},
		want:   `up: 1 point at 2023-11-14T22:13:20Z`,
	}, {
		name:   "no name",
		reason: "the result of sum(rate(...)) has neither name nor labels",
		in:     Series{T: []int64{0, 1000}, V: []float64{1, 2}},
		want:   `{}: 2 points from 1970-01-01T00:00:00Z to 1970-01-01T00:00:01Z`,
	}, {
		name:   "plain sample",
		reason: "a sample has values, not points",
		in:     Series{V: []float64{1, 2, nan}},
		want:   `sample: 3 values, 1 missing`,
	}, {
		name:   "label quoting",
		reason: "label values are quoted as Go strings so odd characters stay readable",
		in:     Series{Name: "x", Labels: map[string]string{"path": "/a\"b\n"}, V: []float64{1}},
		want:   `x{path="/a\"b\n"}: 1 value`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String =\n %s\nwant\n %s\n(%s)", got, tt.want, tt.reason)
			}
		})
	}
}

func TestSyntaxErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  SyntaxError
		want string
	}{
		{SyntaxError{File: "a.csv", Line: 3, Column: "value", Msg: "bad"}, "a.csv:3: value: bad"},
		{SyntaxError{File: "a.csv", Line: 3, Msg: "bad"}, "a.csv:3: bad"},
		{SyntaxError{File: "a.csv", Msg: "bad"}, "a.csv: bad"},
		{SyntaxError{File: "q.json", Column: "data", Msg: "bad"}, "q.json: data: bad"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}
