package series

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

// The seed corpora are in testdata/fuzz/FuzzReadCSV and
// testdata/fuzz/FuzzReadPromJSON. Run a fuzzer with, e.g.,
//
//	go test ./series -run='^$' -fuzz=FuzzReadCSV -fuzztime=60s

// FuzzReadCSV checks that ReadCSV never panics, that its errors are
// *SyntaxErrors naming the file, that whatever it accepts is valid and
// comes back unchanged through WriteCSV and ReadCSV, and that its fast
// path reads what encoding/csv reads (checkFastMatchesEncodingCSV).
func FuzzReadCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastMatchesEncodingCSV(t, data)
		s, err := ReadCSV(bytes.NewReader(data), "f.csv")
		if err != nil {
			checkFuzzError(t, err, "f.csv")
			return
		}
		checkRoundTrip(t, s)
	})
}

// FuzzReadPromJSON checks that ReadPromJSON never panics, that its errors
// are *SyntaxErrors naming the file, and that every series it accepts is
// valid and comes back unchanged through WriteCSV and ReadCSV.
func FuzzReadPromJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		all, err := ReadPromJSON(bytes.NewReader(data), "f.json")
		if err != nil {
			checkFuzzError(t, err, "f.json")
			return
		}
		if len(all) == 0 {
			t.Fatal("no series and no error")
		}
		for _, s := range all {
			if len(s.T) == 0 {
				t.Fatalf("series %v has no timestamps", s)
			}
			if s.Labels != nil && len(s.Labels) == 0 {
				t.Fatalf("series %v has an empty, non-nil Labels", s)
			}
			if _, ok := s.Labels["__name__"]; ok {
				t.Fatalf("series %v keeps __name__ in Labels", s)
			}
			s.Name, s.Labels = "", nil // CSV carries neither
			checkRoundTrip(t, s)
		}
	})
}

// checkFastMatchesEncodingCSV checks that ReadCSV gives the same series,
// or the same error, with its fast path as with encoding/csv reading every
// line (csvLines).
func checkFastMatchesEncodingCSV(t *testing.T, data []byte) {
	t.Helper()
	fast, errFast := readCSV(newCSVLines(bytes.NewReader(data), false), "f.csv")
	slow, errSlow := readCSV(newCSVLines(bytes.NewReader(data), true), "f.csv")
	switch {
	case (errFast == nil) != (errSlow == nil) || errFast != nil && errFast.Error() != errSlow.Error():
		t.Fatalf("%q: fast path error %v, encoding/csv %v", data, errFast, errSlow)
	case errFast == nil:
		if d := diff(fast, slow); d != "" {
			t.Fatalf("%q: the fast path and encoding/csv differ: %s", data, d)
		}
	}
}

func checkFuzzError(t *testing.T, err error, file string) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %q is a %T, want a *SyntaxError", err, err)
	}
	if se.File != file || !strings.HasPrefix(err.Error(), file+":") {
		t.Fatalf("error %q does not start with the file name", err)
	}
	if se.Msg == "" {
		t.Fatalf("error %q has no message", err)
	}
}

// checkRoundTrip checks that s (without Name and Labels) is valid, not
// empty, and reads back unchanged after WriteCSV, which itself is stable.
func checkRoundTrip(t *testing.T, s Series) {
	t.Helper()
	if err := s.Validate(); err != nil {
		t.Fatalf("accepted an invalid series: %v", err)
	}
	if s.Len() == 0 {
		t.Fatal("accepted a series with no data, want ErrEmpty")
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, s); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	written := out.String()
	back, err := ReadCSV(&out, "out.csv")
	if err != nil {
		t.Fatalf("ReadCSV of WriteCSV's output %q: %v", written, err)
	}
	if d := diff(back, s); d != "" {
		t.Fatalf("round trip through %q: %s", written, d)
	}
	var again bytes.Buffer
	if err := WriteCSV(&again, back); err != nil || again.String() != written {
		t.Fatalf("WriteCSV is not stable: %q then %q (%v)", written, again.String(), err)
	}
}

// FuzzParseUnixSeconds checks the exact decimal parser of timestamps
// against math/big: whenever it accepts a number, the result is the number
// times 1000, rounded to the nearest integer with halves away from zero.
func FuzzParseUnixSeconds(f *testing.F) {
	for _, s := range []string{"0", "1700000000.123", "-1.0005", "1.7e9", ".5", "5.", "1e-3", "0.0005", "-0.00049", "999999999999999.9995"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseUnixSeconds(s)
		if err != nil || got == math.MaxInt64 || got == math.MinInt64 {
			return
		}
		if i := strings.IndexAny(s, "eE"); i >= 0 && len(strings.TrimLeft(s[i+1:], "+-")) > 3 {
			return // big.Rat would build 10^exponent
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("parseUnixSeconds(%q) = %d, but big.Rat rejects it", s, got)
		}
		r.Mul(r, big.NewRat(1000, 1))
		// Round half away from zero: trunc(|r| + 1/2) with r's sign.
		abs := new(big.Rat).Abs(r)
		abs.Add(abs, big.NewRat(1, 2))
		want := new(big.Int).Quo(abs.Num(), abs.Denom())
		if r.Sign() < 0 {
			want.Neg(want)
		}
		if !want.IsInt64() || want.Int64() != got {
			t.Fatalf("parseUnixSeconds(%q) = %d, want %s", s, got, want)
		}
	})
}

// FuzzParseTime checks the exported time parser as a whole: it never
// panics, what it accepts lies in the years 0001 to 9999, an RFC 3339 time
// gives what time.Parse gives rounded to the millisecond, and the result
// reads back unchanged when written either way chaosstat writes times
// (RFC 3339 in UTC, and Unix seconds as WriteCSV writes them).
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"1700000000", "1700000000.123", "1.7e9", "-1.5", "+1e-3", "1700000000123", "1e300",
		"2014-07-01T00:00:00-04:00", "2023-11-14T22:13:20.1235Z", "9999-12-31T23:59:59.9995Z",
		"2014-07-01T00:00:00", "2014-13-01T00:00:00Z", "", "NaN", "0x1p30", "now",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := ParseTime(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseTime(%q): empty error message", s)
			}
			return
		}
		if ms < minMilli || ms > maxMilli {
			t.Fatalf("ParseTime(%q) = %d, outside the years 0001 to 9999", s, ms)
		}
		if !looksNumeric(s) {
			tm, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatalf("ParseTime(%q) = %d, but time.Parse rejects it: %v", s, ms, err)
			}
			if want := tm.Round(time.Millisecond).UnixMilli(); ms != want {
				t.Fatalf("ParseTime(%q) = %d, want %d", s, ms, want)
			}
		}
		for _, w := range []string{formatMilli(ms), string(appendSeconds(nil, ms))} {
			back, err := ParseTime(w)
			if err != nil || back != ms {
				t.Fatalf("ParseTime(%q) = %d, written as %q reads back as %d, %v", s, ms, w, back, err)
			}
		}
	})
}
