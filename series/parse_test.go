package series

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	cases := []struct {
		name, reason, in string
		want             int64 // Unix ms; ignored when err is set
		err              string
	}{
		// 1.7e9 s = 1700000000 s = 2023-11-14T22:13:20Z.
		{name: "exponent", reason: "1.7e9 is Unix seconds in exponent form, as files and the feed give it", in: "1.7e9", want: 1700000000000},
		{name: "fraction", reason: "a fraction is kept to the millisecond, from the digits, not float64", in: "1700000000.123", want: 1700000000123},
		{name: "half", reason: "half a millisecond rounds away from zero", in: "1700000000.0005", want: 1700000000001},
		{name: "negative", reason: "before 1970 is a time too", in: "-1.5", want: -1500},
		{name: "rfc3339", reason: "RFC 3339 with its offset: 2023-11-14T17:13:20-05:00 is 1.7e9 s", in: "2023-11-14T17:13:20-05:00", want: 1700000000000},
		{name: "rfc3339 nano", reason: "RFC 3339 fractions are rounded to the millisecond", in: "2023-11-14T22:13:20.1234Z", want: 1700000000123},
		{name: "milliseconds", reason: "a Unix time in milliseconds is beyond 9999 as seconds, and the message says so", in: "1700000000123", err: `"1700000000123" is outside the years 0001 to 9999; is it in milliseconds? Unix seconds are wanted`},
		{name: "no offset", reason: "a time without an offset could be in any zone", in: "2023-11-14T22:13:20", err: `"2023-11-14T22:13:20" has no UTC offset; RFC 3339 needs one, such as 2023-11-14T22:13:20Z or 2023-11-14T22:13:20-04:00`},
		{name: "word", reason: "neither form", in: "yesterday", err: `"yesterday" is neither Unix seconds nor RFC 3339 (like 2014-07-01T00:00:00-04:00)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseTime(c.in)
			switch {
			case c.err != "" && (err == nil || err.Error() != c.err):
				t.Errorf("ParseTime(%q) = %d, %v; want error %q (%s)", c.in, got, err, c.err, c.reason)
			case c.err == "" && (err != nil || got != c.want):
				t.Errorf("ParseTime(%q) = %d, %v; want %d (%s)", c.in, got, err, c.want, c.reason)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	cases := []struct {
		name, reason, in string
		want             time.Duration
		err              string
	}{
		{name: "minutes", reason: "the usual window length", in: "30m", want: 30 * time.Minute},
		{name: "compound", reason: "Go's compound form, as compare.ShortDuration writes it", in: "1h30m", want: 90 * time.Minute},
		{name: "milliseconds", reason: "a millisecond is the finest a series resolves", in: "250ms", want: 250 * time.Millisecond},
		{name: "no unit", reason: "a bare number could be seconds or minutes: refused", in: "30", err: `"30" is not a duration: want a number with a unit, such as 90s, 30m or 24h`},
		{name: "days", reason: "Go durations have no d: days are written in hours", in: "1d", err: `"1d" is not a duration: want a number with a unit, such as 90s, 30m or 24h`},
		{name: "zero", reason: "a zero window, step or gap never ends or never holds a point", in: "0s", err: `"0s" is not positive: want a duration such as 30m`},
		{name: "negative", reason: "lengths are positive", in: "-1h", err: `"-1h" is not positive: want a duration such as 30m`},
		{name: "sub-millisecond", reason: "timestamps are whole milliseconds", in: "1.5ms", err: `"1.5ms" is not a whole number of milliseconds`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseDuration(c.in)
			switch {
			case c.err != "" && (err == nil || err.Error() != c.err):
				t.Errorf("ParseDuration(%q) = %v, %v; want error %q (%s)", c.in, got, err, c.err, c.reason)
			case c.err == "" && (err != nil || got != c.want):
				t.Errorf("ParseDuration(%q) = %v, %v; want %v (%s)", c.in, got, err, c.want, c.reason)
			}
		})
	}
}

func TestParseTimeAt(t *testing.T) {
	now := time.Date(2026, 2, 1, 12, 34, 56, 789_000_000, time.FixedZone("CET", 3600))
	cases := []struct {
		name, reason, in string
		want             time.Time // ignored when err is set
		err              string
	}{
		{name: "now", reason: "now is now, in UTC", in: "now", want: now.UTC()},
		{name: "now minus", reason: "now-DURATION takes what ParseDuration takes", in: "now-1h30m", want: now.Add(-90 * time.Minute).UTC()},
		{name: "absolute", reason: "the forms of ParseTime: 1.7e9 s is 2023-11-14T22:13:20Z", in: "1.7e9", want: time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{name: "bad duration", reason: "the duration's own message follows", in: "now-1d", err: `"now-1d": want now-DURATION such as now-1h: "1d" is not a duration: want a number with a unit, such as 90s, 30m or 24h`},
		{name: "zero duration", reason: "now-0s is now: write now", in: "now-0s", err: `"now-0s": want now-DURATION such as now-1h: "0s" is not positive: want a duration such as 30m`},
		{name: "word", reason: "the message names every form, the relative ones too", in: "yesterday", err: `"yesterday" is neither Unix seconds, RFC 3339 (like 2014-07-01T00:00:00-04:00), now nor now-DURATION`},
		{name: "milliseconds", reason: "ParseTime's own messages pass through", in: "1769947200000", err: `"1769947200000" is outside the years 0001 to 9999; is it in milliseconds? Unix seconds are wanted`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseTimeAt(c.in, now)
			switch {
			case c.err != "" && (err == nil || err.Error() != c.err):
				t.Errorf("ParseTimeAt(%q) = %v, %v; want error %q (%s)", c.in, got, err, c.err, c.reason)
			case c.err == "" && (err != nil || !got.Equal(c.want) || got.Location() != time.UTC):
				t.Errorf("ParseTimeAt(%q) = %v, %v; want %v (%s)", c.in, got, err, c.want, c.reason)
			}
		})
	}
}

// TestParseValue: decimal and scientific notation, missing as NaN; Go's
// other float syntaxes (hexadecimal, digit separators), which strconv reads
// and no exporter writes, are refused with a message saying so, and
// infinities are refused as such.
func TestParseValue(t *testing.T) {
	for _, c := range []struct {
		s    string
		want float64 // NaN: missing
		err  string  // "" when it parses
	}{
		{"1500", 1500, ""},
		{"-1.5e3", -1500, ""},
		{"+.5", 0.5, ""},
		{"", math.NaN(), ""},
		{"NaN", math.NaN(), ""},
		{"0x1p3", 0, `"0x1p3" is not in decimal or scientific notation`},
		{"1_000", 0, `"1_000" is not in decimal or scientific notation`},
		{"Infinity", 0, `"Infinity" is infinite`},
		{"-inf", 0, `"-inf" is infinite`},
		{"1e999", 0, `"1e999" is outside the range of float64`},
		{"12 ms", 0, `"12 ms" is not a number`},
	} {
		got, err := ParseValue(c.s)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseValue(%q) = %v, %v; want an error with %q", c.s, got, err, c.err)
			}
		case err != nil:
			t.Errorf("ParseValue(%q): %v", c.s, err)
		case math.IsNaN(c.want) != math.IsNaN(got) || (!math.IsNaN(c.want) && got != c.want):
			t.Errorf("ParseValue(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// TestQuoteCuts: an input echoed in an error is cut to 64 bytes, at a rune
// boundary, with its length; a 50 MB cell of a CSV file gives a message of
// a line, not 50 MB.
func TestQuoteCuts(t *testing.T) {
	if got := Quote("12 ms"); got != `"12 ms"` {
		t.Errorf("Quote of a short string = %s", got)
	}
	long := strings.Repeat("é", 40) // 80 bytes, two a rune
	if got, want := Quote(long), strconv.Quote(strings.Repeat("é", 32))+"… (80 bytes)"; got != want {
		t.Errorf("Quote(80 bytes) = %s, want %s", got, want)
	}
	cell := strings.Repeat("9x", 25<<20) // 50 MiB
	_, err := ReadCSV(strings.NewReader("timestamp,value\n1700000000,"+cell+"\n"), "big.csv")
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("a 50 MiB cell: error of %d bytes, want a short one: %.200v", len(fmt.Sprint(err)), err)
	}
}
