package monitor

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"
)

// t1200 is 2026-11-26T12:00:00Z in Unix seconds (date -d
// 2026-11-26T12:00:00Z +%s), the first time of testdata/feed.csv.
const t1200 = 1795694400

func TestParseFeedLine(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		line, reason string
		want         Point
		err          string // a part of the error; "" for none
	}{
		{line: "1795694400,100,99", reason: "Unix seconds, no baseline",
			want: Point{T: t1200 * 1000, Control: 100, Experiment: 99}},
		{line: "2026-11-26T12:00:00Z, 1 , 2 ,3", reason: "RFC 3339, spaces around the fields, a baseline",
			want: Point{T: t1200 * 1000, Control: 1, Experiment: 2, Baseline: 3}},
		{line: "1795694400.5,,NaN", reason: "a fraction of a second; empty and NaN are missing",
			want: Point{T: t1200*1000 + 500, Control: nan, Experiment: nan}},
		{line: "1795694400,100", reason: "too few fields", err: "2 fields, want 3 or 4"},
		{line: "x,1,2", reason: "a word for the time", err: `timestamp: "x" is neither Unix seconds nor RFC 3339`},
		{line: "1795694400000,1,2", reason: "milliseconds are not seconds", err: "is it in milliseconds? Unix seconds are wanted"},
		{line: "1795694400,inf,1", reason: "an infinite value is not a measurement", err: `control: "inf" is infinite`},
		{line: "1795694400,1,x7", reason: "a bad cell names its column", err: `experiment: "x7" is not a number`},
	} {
		got, err := ParseFeedLine(c.line)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q (%s): error %v, want %q", c.line, c.reason, err, c.err)
			}
		case err != nil:
			t.Errorf("%q (%s): %v", c.line, c.reason, err)
		case !pointsEqual([]Point{got}, []Point{c.want}):
			t.Errorf("%q (%s): %+v, want %+v", c.line, c.reason, got, c.want)
		}
	}
}

// TestFeedReader: a header (after a byte-order mark) and blank lines are
// skipped, lines are counted from 1 for the errors, and the feed ends with
// io.EOF.
func TestFeedReader(t *testing.T) {
	f := NewFeedReader(strings.NewReader("\uFEFFTimestamp,Control,Experiment,Baseline\n\n1795694400,1,2,3\n1795694460,4,5,\n"), "feed")
	pts, lines := readFeed(t, f)
	for i, p := range pts {
		if p.Control != float64(3*i+1) {
			t.Errorf("line %d: %+v", lines[i], p)
		}
	}
	if len(lines) != 2 || lines[0] != 3 || lines[1] != 4 {
		t.Errorf("points on lines %v, want [3 4]", lines)
	}
	for _, c := range []struct {
		in, want string
	}{
		{"timestamp,control\n", `feed:1: header: "timestamp,control"; want timestamp,control,experiment[,baseline]`},
		{"1795694400,1,2\n\n1795694460,1,x7\n", `feed:3: experiment: "x7" is not a number`},
		{"1795694400,1,2\n1795694460,1," + strings.Repeat("9", 70000) + "\n", `feed:2: the line is longer than 65536 bytes: a feed line is timestamp,control,experiment[,baseline]`},
	} {
		f := NewFeedReader(strings.NewReader(c.in), "feed")
		var err error
		for err == nil {
			_, err = f.Next()
		}
		if err.Error() != c.want {
			t.Errorf("%q: %v, want %s", c.in, err, c.want)
		}
	}
	_, err := NewFeedReader(iotest.ErrReader(errors.New("boom")), "feed").Next()
	if err == nil || err.Error() != "feed: reading: boom" {
		t.Errorf("reader error: %v", err)
	}
}

// readFeed reads f to its end and returns the points and their lines.
func readFeed(t *testing.T, f *FeedReader) (pts []Point, lines []int) {
	t.Helper()
	for {
		p, err := f.Next()
		if err == io.EOF {
			return pts, lines
		}
		if err != nil {
			t.Fatal(err)
		}
		pts, lines = append(pts, p), append(lines, f.Line())
	}
}

// FuzzParseFeedLine: any line gives a point or an error, never a panic, and
// a point's values are numbers or NaN.
func FuzzParseFeedLine(f *testing.F) {
	for _, s := range []string{"1795694400,100,99", "2026-11-26T12:00:00Z,1,2,3", "1795694400,,NaN", "x,1,2", "1e400,1,2", "1795694400,inf,1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseFeedLine(s)
		if err != nil {
			return
		}
		for _, v := range []float64{p.Control, p.Experiment, p.Baseline} {
			if math.IsInf(v, 0) {
				t.Errorf("%q: infinite value", s)
			}
		}
	})
}
