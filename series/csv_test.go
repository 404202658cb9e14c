package series

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// Unix times used below; each checked with GNU date, e.g.
// date -u -d 2014-07-01T04:00:00Z +%s.%3N.
const (
	taxiFirst  = 1404187200000 // 2014-07-01T04:00:00Z = 2014-07-01T00:00:00-04:00
	taxiLast   = 1422765000000 // 2015-02-01T04:30:00Z = 2015-01-31T23:30:00-05:00
	dstBefore  = 1414906200000 // 2014-11-02T05:30:00Z = 2014-11-02T01:30:00-04:00
	dstAfter   = 1414911600000 // 2014-11-02T07:00:00Z = 2014-11-02T02:00:00-05:00
	nov14      = 1700000000000 // 2023-11-14T22:13:20Z
	halfMinute = 30 * 60 * 1000
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     string
		want   Series
	}{{
		name:   "unix seconds",
		reason: "the plainest form: whole Unix seconds",
		in:     "timestamp,value\n1700000000,1.5\n1700000015,2\n",
		want:   Series{T: []int64{nov14, nov14 + 15000}, V: []float64{1.5, 2}},
	}, {
		name:   "fractional seconds exact",
		reason: "1700000000.123 must become 1700000000123 ms exactly, not 1700000000122 through float rounding",
		in:     "timestamp,value\n1700000000.123,1\n1700000000.5,2\n1700000000.999,3\n1700000001.001,4\n",
		want:   Series{T: []int64{nov14 + 123, nov14 + 500, nov14 + 999, nov14 + 1001}, V: []float64{1, 2, 3, 4}},
	}, {
		name:   "sub-millisecond seconds round",
		reason: "finer fractions round to the nearest millisecond, halves away from zero",
		in:     "timestamp,value\n1700000000.0004,1\n1700000000.0015,2\n1700000000.00251,3\n",
		want:   Series{T: []int64{nov14, nov14 + 2, nov14 + 3}, V: []float64{1, 2, 3}},
	}, {
		name:   "exponent and sign",
		reason: "spreadsheets and some exporters write 1.7e9; negative seconds are before 1970",
		in:     "timestamp,value\n-2.5,0\n+0,1\n1.7e9,2\n17000000005E-1,3\n",
		want:   Series{T: []int64{-2500, 0, nov14, nov14 + 500}, V: []float64{0, 1, 2, 3}},
	}, {
		name:   "rfc3339 UTC and fraction",
		reason: "RFC 3339 with Z, with and without fractional seconds",
		in:     "timestamp,value\n2023-11-14T22:13:20Z,1\n2023-11-14T22:13:20.123Z,2\n2023-11-14T22:13:20.1235Z,3\n",
		want:   Series{T: []int64{nov14, nov14 + 123, nov14 + 124}, V: []float64{1, 2, 3}},
	}, {
		name:   "nyc taxi across DST",
		reason: "the real data set's first rows and its DST change: -04:00 then -05:00, 90 minutes apart in UTC because the source folded the repeated hour",
		in: "timestamp,value\n" +
			"2014-07-01T00:00:00-04:00,10844\n" +
			"2014-07-01T00:30:00-04:00,8127\n" +
			"2014-11-02T01:30:00-04:00,35212\n" +
			"2014-11-02T02:00:00-05:00,13259\n",
		want: Series{T: []int64{taxiFirst, taxiFirst + halfMinute, dstBefore, dstAfter}, V: []float64{10844, 8127, 35212, 13259}},
	}, {
		name:   "mixed timestamp forms",
		reason: "each cell is read on its own; forms may mix",
		in:     "timestamp,value\n1700000000,1\n2023-11-14T23:13:21+01:00,2\n",
		want:   Series{T: []int64{nov14, nov14 + 1000}, V: []float64{1, 2}},
	}, {
		name:   "missing values",
		reason: "an empty cell and NaN in any case are missing values",
		in:     "timestamp,value\n1,\n2,NaN\n3,nan\n4,NAN\n5, \n6,7\n",
		want:   Series{T: []int64{1000, 2000, 3000, 4000, 5000, 6000}, V: []float64{nan, nan, nan, nan, nan, 7}},
	}, {
		name:   "plain sample",
		reason: "a single value column is a sample without times: T stays nil",
		in:     "value\n3\n1.5\nNaN\n-2e3\n",
		want:   Series{V: []float64{3, 1.5, nan, -2000}},
	}, {
		name:   "BOM and CRLF",
		reason: "files saved by Excel on Windows start with a UTF-8 BOM and end lines in CRLF",
		in:     "\uFEFFtimestamp,value\r\n1700000000,1\r\n1700000001,\r\n",
		want:   Series{T: []int64{nov14, nov14 + 1000}, V: []float64{1, nan}},
	}, {
		name:   "header case and space",
		reason: "header names match ignoring case and surrounding space",
		in:     " Timestamp ,\tVALUE \n1700000000,1\n",
		want:   Series{T: []int64{nov14}, V: []float64{1}},
	}, {
		name:   "columns swapped",
		reason: "the columns are found by name, so either order works",
		in:     "value,timestamp\n1,1700000000\n2,1700000001\n",
		want:   Series{T: []int64{nov14, nov14 + 1000}, V: []float64{1, 2}},
	}, {
		name:   "quoted and spaced cells",
		reason: "CSV quoting is allowed, and cells are trimmed of surrounding space",
		in:     "\"timestamp\",\"value\"\n\" 1700000000 \", 42 \n",
		want:   Series{T: []int64{nov14}, V: []float64{42}},
	}, {
		name:   "blank lines",
		reason: "blank lines are skipped, also at the end, as encoding/csv does",
		in:     "timestamp,value\n\n1700000000,1\n\n\n1700000001,2\n\n",
		want:   Series{T: []int64{nov14, nov14 + 1000}, V: []float64{1, 2}},
	}, {
		name:   "no final newline",
		reason: "the last row need not end in a newline",
		in:     "timestamp,value\n1700000000,1",
		want:   Series{T: []int64{nov14}, V: []float64{1}},
	}, {
		name:   "negative zero and extremes",
		reason: "values are read bit for bit: -0, the largest float64, a subnormal",
		in:     "value\n-0\n1.7976931348623157e308\n5e-324\n",
		want:   Series{V: []float64{negZero(), 1.7976931348623157e308, 5e-324}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.in), "in.csv")
			if err != nil {
				t.Fatalf("ReadCSV: %v (%s)", err, tt.reason)
			}
			if d := diff(got, tt.want); d != "" {
				t.Errorf("%s (%s)", d, tt.reason)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("result does not validate: %v", err)
			}
		})
	}
}

func negZero() float64 { z := 0.0; return -z }

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name      string
		reason    string
		in        string
		want      string // the whole error text
		wantEmpty bool   // errors.Is(err, ErrEmpty)
	}{{
		name:      "empty file",
		reason:    "no bytes at all is no data",
		in:        "",
		want:      `taxi.csv: file is empty; want a header row "timestamp,value" or "value"`,
		wantEmpty: true,
	}, {
		name:      "blank file",
		reason:    "blank lines alone are no data either",
		in:        "\n\r\n\n",
		want:      `taxi.csv: file is empty; want a header row "timestamp,value" or "value"`,
		wantEmpty: true,
	}, {
		name:      "header only",
		reason:    "a header with no rows is no data",
		in:        "timestamp,value\n",
		want:      `taxi.csv:1: no data rows after the header`,
		wantEmpty: true,
	}, {
		name:      "header and BOM only",
		reason:    "the BOM does not count as data",
		in:        "\uFEFFvalue\r\n\r\n",
		want:      `taxi.csv:1: no data rows after the header`,
		wantEmpty: true,
	}, {
		name:   "missing header",
		reason: "a file that starts with data must not lose its first row silently",
		in:     "2014-07-01T00:00:00-04:00,10844\n",
		want:   `taxi.csv:1: no header row: want a header row "timestamp,value" or "value", got the data row "2014-07-01T00:00:00-04:00,10844"`,
	}, {
		name:   "missing header plain",
		reason: "the same for a plain sample",
		in:     "3.5\n4\n",
		want:   `taxi.csv:1: no header row: want a header row "timestamp,value" or "value", got the data row "3.5"`,
	}, {
		name:   "unknown column",
		reason: "other names are not guessed at",
		in:     "time,value\n1,2\n",
		want:   `taxi.csv:1: header: unknown column "time"; want a header row "timestamp,value" or "value"`,
	}, {
		name:   "extra column",
		reason: "a third column is not ignored silently",
		in:     "timestamp,value,host\n1,2,a\n",
		want:   `taxi.csv:1: header: unknown column "host"; want a header row "timestamp,value" or "value"`,
	}, {
		name:   "timestamp only",
		reason: "a value column is required",
		in:     "timestamp\n1\n",
		want:   `taxi.csv:1: header: no "value" column; want a header row "timestamp,value" or "value"`,
	}, {
		name:   "duplicate column",
		reason: "two value columns are ambiguous",
		in:     "value,Value\n1,2\n",
		want:   `taxi.csv:1: header: column "value" appears twice`,
	}, {
		name:   "empty column name",
		reason: "a trailing comma in the header makes an empty name",
		in:     "timestamp,value,\n1,2,\n",
		want:   `taxi.csv:1: header: empty column name; want a header row "timestamp,value" or "value"`,
	}, {
		name:   "too many fields",
		reason: "a row with a stray comma",
		in:     "timestamp,value\n1700000000,1\n\n1700000001,2,3\n",
		want:   `taxi.csv:4: 3 fields, want 2 (timestamp,value)`,
	}, {
		name:   "too few fields",
		reason: "a row cut short",
		in:     "timestamp,value\n1700000000\n",
		want:   `taxi.csv:2: 1 fields, want 2 (timestamp,value)`,
	}, {
		name:   "plain sample with two fields",
		reason: "the field count follows the header",
		in:     "value\n1\n2,3\n",
		want:   `taxi.csv:3: 2 fields, want 1 (value)`,
	}, {
		name:   "bad date",
		reason: "the message promised in the package documentation",
		in:     "timestamp,value\n2014-07-01T00:00:00-04:00,1\n2014-13-01,2\n",
		want:   `taxi.csv:3: timestamp: "2014-13-01" is neither Unix seconds nor RFC 3339 (like 2014-07-01T00:00:00-04:00)`,
	}, {
		name:   "month out of range",
		reason: "a well-formed RFC 3339 time with an impossible field says which",
		in:     "timestamp,value\n2014-13-01T00:00:00Z,2\n",
		want:   `taxi.csv:2: timestamp: "2014-13-01T00:00:00Z" is not a valid RFC 3339 time: month out of range`,
	}, {
		name:   "no offset",
		reason: "a time without offset is ambiguous; no time zone is assumed",
		in:     "timestamp,value\n2014-07-01T00:00:00,2\n",
		want:   `taxi.csv:2: timestamp: "2014-07-01T00:00:00" has no UTC offset; RFC 3339 needs one, such as 2014-07-01T00:00:00Z or 2014-07-01T00:00:00-04:00`,
	}, {
		name:   "milliseconds as seconds",
		reason: "the commonest unit mistake lands in the year 55 000 and is caught",
		in:     "timestamp,value\n1700000000123,2\n",
		want:   `taxi.csv:2: timestamp: "1700000000123" is outside the years 0001 to 9999; is it in milliseconds? Unix seconds are wanted`,
	}, {
		name:   "huge seconds",
		reason: "numbers beyond int64 milliseconds are caught before they overflow",
		in:     "timestamp,value\n1e300,2\n",
		want:   `taxi.csv:2: timestamp: "1e300" is outside the years 0001 to 9999; is it in milliseconds? Unix seconds are wanted`,
	}, {
		name:   "before year 1",
		reason: "the lower bound too",
		in:     "timestamp,value\n-62135596801,2\n",
		want:   `taxi.csv:2: timestamp: "-62135596801" is outside the years 0001 to 9999`,
	}, {
		name:   "empty timestamp",
		reason: "a value without a time cannot be placed",
		in:     "timestamp,value\n,2\n",
		want:   `taxi.csv:2: timestamp: is empty; want Unix seconds or an RFC 3339 time`,
	}, {
		name:   "NaN timestamp",
		reason: "NaN means a missing value, never a missing time",
		in:     "timestamp,value\nNaN,2\n",
		want:   `taxi.csv:2: timestamp: "NaN" is neither Unix seconds nor RFC 3339 (like 2014-07-01T00:00:00-04:00)`,
	}, {
		name:   "hex timestamp",
		reason: "only decimal seconds are timestamps, though ParseFloat would take 0x1p30",
		in:     "timestamp,value\n0x1p30,2\n",
		want:   `taxi.csv:2: timestamp: "0x1p30" is neither Unix seconds nor RFC 3339 (like 2014-07-01T00:00:00-04:00)`,
	}, {
		name:   "bad value",
		reason: "a value that is not a number",
		in:     "timestamp,value\n1700000000,12 ms\n",
		want:   `taxi.csv:2: value: "12 ms" is not a number`,
	}, {
		name:   "plus infinity",
		reason: "infinite values are bugs upstream, rejected",
		in:     "timestamp,value\n1700000000,+Inf\n",
		want:   `taxi.csv:2: value: "+Inf" is infinite; infinite values are not supported (a metric that reports one has a bug upstream)`,
	}, {
		name:   "minus infinity in a sample",
		reason: "the same for a plain sample and another spelling",
		in:     "value\n1\n-infinity\n",
		want:   `taxi.csv:3: value: "-infinity" is infinite; infinite values are not supported (a metric that reports one has a bug upstream)`,
	}, {
		name:   "overflowing value",
		reason: "1e999 would read as +Inf",
		in:     "value\n1e999\n",
		want:   `taxi.csv:2: value: "1e999" is outside the range of float64`,
	}, {
		name:   "unsorted",
		reason: "rows must be sorted by time; the message names both lines' cells",
		in:     "timestamp,value\n2014-07-01T00:30:00-04:00,1\n2014-07-01T00:00:00-04:00,2\n",
		want:   `taxi.csv:3: timestamp: 2014-07-01T00:00:00-04:00 is before 2014-07-01T00:30:00-04:00 on line 2; rows must be sorted by time`,
	}, {
		name:   "duplicate",
		reason: "the same time twice",
		in:     "timestamp,value\n1700000000,1\n1700000000,2\n",
		want:   `taxi.csv:3: timestamp: 1700000000 is the same time as 1700000000 on line 2; each time may appear only once`,
	}, {
		name:   "duplicate in another form",
		reason: "the same instant written two ways is still a duplicate",
		in:     "timestamp,value\n2023-11-14T22:13:20Z,1\n\n1700000000.0001,2\n",
		want:   `taxi.csv:4: timestamp: 1700000000.0001 is the same time as 2023-11-14T22:13:20Z on line 2; each time may appear only once`,
	}, {
		name:   "bad quote",
		reason: "errors from encoding/csv keep their line",
		in:     "timestamp,value\n1700000000,1\n1700000001,\"2\"x\n",
		want:   `taxi.csv:3: extraneous or missing " in quoted-field (at byte 14 of the line)`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ReadCSV(strings.NewReader(tt.in), "taxi.csv")
			if err == nil {
				t.Fatalf("ReadCSV = %v, want error %q (%s)", s, tt.want, tt.reason)
			}
			checkSyntaxError(t, err, tt.want, tt.wantEmpty)
		})
	}
}

// TestReadCSVErrorFields checks the fields of a SyntaxError, not only its
// text.
func TestReadCSVErrorFields(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("timestamp,value\n1,2\n2,x\n"), "dir/a.csv")
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v is not a *SyntaxError", err)
	}
	want := SyntaxError{File: "dir/a.csv", Line: 3, Column: "value", Msg: `"x" is not a number`}
	if *se != want {
		t.Errorf("error = %#v, want %#v", *se, want)
	}
}

// taxiPath is the real data set, in the repository's testdata (its
// README gives the source: the Numenta Anomaly Benchmark's nyc_taxi).
const taxiPath = "../testdata/nyc_taxi.csv"

func TestReadCSVTaxi(t *testing.T) {
	f, err := os.Open(taxiPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadCSV(f, "nyc_taxi.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	// testdata/README.md: 10,320 rows from 2014-07-01 to 2015-01-31.
	if s.Len() != 10320 || len(s.T) != 10320 {
		t.Fatalf("Len = %d, len(T) = %d, want 10320", s.Len(), len(s.T))
	}
	if s.T[0] != taxiFirst || s.T[len(s.T)-1] != taxiLast {
		t.Errorf("span %s to %s, want 2014-07-01T04:00:00Z to 2015-02-01T04:30:00Z", formatMilli(s.T[0]), formatMilli(s.T[len(s.T)-1]))
	}
	if got := s.V[0]; got != 10844 {
		t.Errorf("V[0] = %v, want 10844 (the file's first row)", got)
	}
	if n := len(s.Present()); n != s.Len() {
		t.Errorf("%d missing values, want none", s.Len()-n)
	}
	// Every step is 30 minutes except across the DST change, where the
	// folded hour leaves a 90-minute step in UTC.
	for i := 1; i < len(s.T); i++ {
		step := s.T[i] - s.T[i-1]
		want := int64(halfMinute)
		if s.T[i] == dstAfter {
			want = 3 * halfMinute
		}
		if step != want {
			t.Fatalf("step before T[%d] = %s is %d ms, want %d", i, formatMilli(s.T[i]), step, want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		in     Series
		want   string
	}{{
		name:   "timestamps",
		reason: "Unix seconds with the fewest digits that keep the millisecond; missing values as empty cells",
		in:     Series{Name: "ignored", T: []int64{nov14, nov14 + 500, nov14 + 1230, nov14 + 2001}, V: []float64{1.5, nan, 1e21, -0.25}},
		want:   "timestamp,value\n1700000000,1.5\n1700000000.5,\n1700000001.23,1e+21\n1700000002.001,-0.25\n",
	}, {
		name:   "before 1970",
		reason: "negative milliseconds keep their sign and digits",
		in:     Series{T: []int64{-2500, -500, 0, 1}, V: []float64{1, 2, 3, 4}},
		want:   "timestamp,value\n-2.5,1\n-0.5,2\n0,3\n0.001,4\n",
	}, {
		name:   "plain sample",
		reason: "no timestamps: a value column, missing values as NaN because an empty line would be skipped",
		in:     Series{V: []float64{3, nan, 0.1}},
		want:   "value\n3\nNaN\n0.1\n",
	}, {
		name:   "empty",
		reason: "no points: the header alone",
		in:     Series{},
		want:   "value\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteCSV(&b, tt.in); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("WriteCSV wrote\n%s\nwant\n%s\n(%s)", b.String(), tt.want, tt.reason)
			}
			if tt.in.Len() == 0 {
				return
			}
			back, err := ReadCSV(&b, "out.csv")
			if err != nil {
				t.Fatal(err)
			}
			want := tt.in
			want.Name = ""
			if d := diff(back, want); d != "" {
				t.Errorf("round trip: %s", d)
			}
		})
	}
}

func TestWriteCSVInvalid(t *testing.T) {
	for _, s := range []Series{
		{T: []int64{2, 1}, V: []float64{1, 2}},
		{T: []int64{1}, V: []float64{1, 2}},
		{V: []float64{1, posInf()}},
	} {
		var b bytes.Buffer
		if err := WriteCSV(&b, s); err == nil {
			t.Errorf("WriteCSV(%v) succeeded, want Validate's error", s)
		}
		if b.Len() != 0 {
			t.Errorf("WriteCSV(%v) wrote %q before failing, want nothing", s, b.String())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteCSVWriteError(t *testing.T) {
	err := WriteCSV(failWriter{}, Series{V: []float64{1}})
	if err == nil || err.Error() != "disk full" {
		t.Errorf("WriteCSV to a failing writer = %v, want its error", err)
	}
}

func TestAppendSeconds(t *testing.T) {
	for _, tt := range []struct {
		ms   int64
		want string
	}{
		{0, "0"}, {1, "0.001"}, {10, "0.01"}, {100, "0.1"}, {999, "0.999"}, {1000, "1"},
		{-1, "-0.001"}, {-1000, "-1"}, {-1500, "-1.5"},
		{1700000000123, "1700000000.123"}, {1700000000120, "1700000000.12"},
		{9223372036854775807, "9223372036854775.807"}, {-9223372036854775808, "-9223372036854775.808"},
	} {
		if got := string(appendSeconds(nil, tt.ms)); got != tt.want {
			t.Errorf("appendSeconds(%d) = %q, want %q", tt.ms, got, tt.want)
		}
	}
}

func TestParseUnixSeconds(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"-0", 0}, {".5", 500}, {"5.", 5000}, {"000001", 1000},
		{"0.0005", 1}, {"0.00049999", 0}, {"-0.0005", -1}, {"1e-4", 0}, {"1e-3", 1},
		{"1E3", 1000000}, {"1.5e+1", 15000}, {"0e99999999999999999999", 0}, {"1e-99999999", 0},
		{"1700000000.1234999999999999999999", 1700000000123},
		{"999999999999999", 999999999999999000}, // 15 digits: still inside int64
	} {
		got, err := parseUnixSeconds(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseUnixSeconds(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1 ", " 1", "1_000", "0x10", "--1", "1e5.5"} {
		if got, err := parseUnixSeconds(in); err == nil {
			t.Errorf("parseUnixSeconds(%q) = %d, want an error", in, got)
		}
	}
}

// TestReadCSVFastMatchesEncodingCSV: ReadCSV's fast path reads what
// encoding/csv reads, series or error, on the line endings, blank lines,
// quotes (which hand the rest of the file to encoding/csv, with the line
// numbers kept), field counts and a line longer than the read buffer.
func TestReadCSVFastMatchesEncodingCSV(t *testing.T) {
	long := "timestamp,value\n1," + strings.Repeat("1", 70000) + "\n2,3\n"
	for _, data := range []string{
		"timestamp,value\n1,2\n2,3\n",
		"timestamp,value\r\n1,2\r\n2,3",
		"timestamp,value\n1,2\r",
		"timestamp,value\n1,2\r\r\n",
		"\n\ntimestamp,value\n\n1,2\n\r\n2,3\n\n",
		"timestamp,value\n1,2\n\"2\",3\n3,\"4\n\"\n",
		"timestamp,value\n1,2\n2,3\"\n",
		"timestamp,value\n1,2\n2,\"3\n",
		"timestamp,value\n1,2,\n",
		"timestamp,value\n1\n",
		"value\n1\n\n2\r\n NaN \n",
		"\uFEFFvalue\n1\n",
		"timestamp,value\n2,1\n1,2\n",
		"timestamp,value\n1,a\r\n",
		" value , timestamp \n 1 , 2 \n",
		long,
		"",
		"\r\n",
	} {
		checkFastMatchesEncodingCSV(t, []byte(data))
	}
}
