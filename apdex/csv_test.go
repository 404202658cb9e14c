package apdex

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

func TestReadCSV(t *testing.T) {
	const data = "\uFEFFDuration_Seconds , Error\r\n0.1,false\r\n0.5,0\r\n2,FALSE\r\n,true\r\n\r\n3,1\r\n\"0.25\",True\r\n"
	got, hasTime, err := ReadCSV(strings.NewReader(data), "ok.csv")
	if err != nil {
		t.Fatal(err)
	}
	if hasTime {
		t.Error("hasTime = true without a timestamp column")
	}
	want := []Sample{{Duration: 0.1}, {Duration: 0.5}, {Duration: 2}, {Duration: math.NaN(), Error: true}, {Duration: 3, Error: true}, {Duration: 0.25, Error: true}}
	if len(got) != len(want) {
		t.Fatalf("%d samples, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Error != w.Error || g.Time != 0 || !(g.Duration == w.Duration || math.IsNaN(g.Duration) && math.IsNaN(w.Duration)) {
			t.Errorf("sample %d = %+v, want %+v", i, g, w)
		}
	}

	// With timestamps, in either form, in any order, columns reordered.
	const timed = "error,timestamp,duration_seconds\nfalse,1700000000.5,0.1\ntrue,2023-11-14T22:13:20Z,\nfalse,1.7e9,0.3\n"
	got, hasTime, err = ReadCSV(strings.NewReader(timed), "timed.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !hasTime || len(got) != 3 || got[0].Time != 1700000000500 || got[1].Time != 1700000000000 || got[2].Time != 1700000000000 ||
		!got[1].Error || got[2].Duration != 0.3 {
		t.Errorf("timed: hasTime %v, %+v", hasTime, got)
	}
}

// TestReadCSVErrors checks that each kind of bad input names the file, the
// line and the column.
func TestReadCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
		empty            bool
	}{
		{"zero_bytes", "", "f.csv: file is empty; want a header row \"duration_seconds,error\", optionally with a \"timestamp\" column", true},
		{"header_only", "duration_seconds,error\n", "f.csv:1: no data rows after the header", true},
		{"no_header", "0.1,false\n", `f.csv:1: no header row: want a header row "duration_seconds,error", optionally with a "timestamp" column, got the data row "0.1,false"`, false},
		{"unknown_column", "duration_seconds,error,status\n", `f.csv:1: header: unknown column "status"`, false},
		{"twice", "duration_seconds,error,Error\n", `f.csv:1: header: column "error" appears twice`, false},
		{"empty_name", "duration_seconds,,error\n", "f.csv:1: header: empty column name", false},
		{"no_duration", "error\ntrue\n", `f.csv:1: header: no "duration_seconds" column`, false},
		{"no_error", "duration_seconds\n0.1\n", `f.csv:1: header: no "error" column: failed requests count as frustrated, so the file must say which failed (false for none)`, false},
		{"bad_error", "duration_seconds,error\n0.1,false\n0.2,yes\n", `f.csv:3: error: "yes"; want true, false, 1 or 0`, false},
		{"empty_error", "duration_seconds,error\n0.1,\n", "f.csv:2: error: is empty; want true, false, 1 or 0", false},
		{"bad_duration", "duration_seconds,error\n0.1s,false\n", `f.csv:2: duration_seconds: "0.1s" is not a number of seconds`, false},
		{"negative", "duration_seconds,error\n-0.1,false\n", `f.csv:2: duration_seconds: "-0.1" is negative`, false},
		{"nan", "duration_seconds,error\nNaN,false\n", "f.csv:2: duration_seconds: is NaN", false},
		{"nan_failed", "duration_seconds,error\nnan,true\n", "f.csv:2: duration_seconds: is NaN", false},
		{"inf", "duration_seconds,error\n+Inf,false\n", `f.csv:2: duration_seconds: "+Inf" is infinite`, false},
		{"huge", "duration_seconds,error\n1e400,false\n", `f.csv:2: duration_seconds: "1e400" is infinite`, false},
		{"empty_ok_duration", "duration_seconds,error\n,false\n", "f.csv:2: duration_seconds: is empty; a request that did not fail needs its response time in seconds", false},
		{"fields", "duration_seconds,error\n0.1,false,x\n", "f.csv:2: 3 fields, want 2 (duration_seconds,error)", false},
		{"bad_time", "timestamp,duration_seconds,error\nyesterday,0.1,false\n", `f.csv:2: timestamp: "yesterday" is neither Unix seconds nor RFC 3339`, false},
		{"no_offset", "timestamp,duration_seconds,error\n2023-11-14T22:13:20,0.1,false\n", `f.csv:2: timestamp: "2023-11-14T22:13:20" has no UTC offset`, false},
		{"millis", "timestamp,duration_seconds,error\n1700000000000,0.1,false\n", `f.csv:2: timestamp: "1700000000000" is outside the years 0001 to 9999; is it in milliseconds?`, false},
		{"empty_time", "timestamp,duration_seconds,error\n,0.1,false\n", "f.csv:2: timestamp: is empty", false},
		{"bare_quote", "duration_seconds,error\n0.1,fa\"lse\n", `f.csv:2: bare " in non-quoted-field`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadCSV(strings.NewReader(tc.data), "f.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant prefix %s", err, tc.want)
			}
			var se *series.SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("err is %T, want *series.SyntaxError", err)
			}
			if errors.Is(err, series.ErrEmpty) != tc.empty {
				t.Errorf("errors.Is(err, ErrEmpty) = %v, want %v", !tc.empty, tc.empty)
			}
		})
	}
}

// FuzzReadCSV checks that ReadCSV never panics and that what it accepts
// keeps its promises: at least one sample, durations >= 0 and finite on
// requests that did not fail, NaN only on failed ones, times in range,
// and every sample scorable.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"duration_seconds,error\n0.1,false\n0.6,true\n",
		"timestamp,duration_seconds,error\n1700000000.5,0.1,0\n2023-11-14T22:13:20Z,,1\n",
		"error,duration_seconds\nTRUE,\n",
		"duration_seconds,error\n1e400,false\n",
		"duration_seconds,error\n-0,false\n",
		"timestamp,duration_seconds,error\n-62135596800,0,0\n",
		"\uFEFFduration_seconds,error\r\n\"3\",\"1\"\r\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		samples, hasTime, err := ReadCSV(strings.NewReader(data), "fuzz.csv")
		if err != nil {
			var se *series.SyntaxError
			if !errors.As(err, &se) || se.File != "fuzz.csv" {
				t.Fatalf("error %v (%T) is not a *series.SyntaxError naming the file", err, err)
			}
			return
		}
		if len(samples) == 0 {
			t.Fatal("no error and no samples")
		}
		for i, s := range samples {
			switch {
			case math.IsNaN(s.Duration) && !s.Error:
				t.Fatalf("sample %d: NaN duration on a request that did not fail", i)
			case math.IsInf(s.Duration, 0) || s.Duration < 0:
				t.Fatalf("sample %d: duration %v", i, s.Duration)
			case !hasTime && s.Time != 0:
				t.Fatalf("sample %d: time %d without a timestamp column", i, s.Time)
			case time.UnixMilli(s.Time).UTC().Year() < 1 || time.UnixMilli(s.Time).UTC().Year() > 9999:
				t.Fatalf("sample %d: time %d outside the years 0001 to 9999", i, s.Time)
			}
		}
		sc, err := FromSamples(samples, Thresholds{T: 0.5})
		if err != nil || sc.Total != float64(len(samples)) || !(sc.Value >= 0 && sc.Value <= 1) {
			t.Fatalf("FromSamples: %v, %v", sc, err)
		}
	})
}
