package series

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

func TestStep(t *testing.T) {
	// One-minute scrapes with a ten-minute hole and one early scrape: the
	// median difference is still the minute.
	s := Series{T: []int64{0, 60e3, 120e3, 720e3, 780e3, 810e3, 840e3, 900e3}, V: make([]float64, 8)}
	got, err := s.Step()
	if err != nil || got != time.Minute {
		t.Fatalf("Step = %v, %v; want 1m", got, err)
	}
	if _, err := (Series{T: []int64{5}, V: []float64{1}}).Step(); err == nil {
		t.Error("Step of one point: no error")
	}
	if _, err := (Series{V: []float64{1, 2}}).Step(); err == nil {
		t.Error("Step of a plain sample: no error")
	}
}

func TestShift(t *testing.T) {
	s := Series{Name: "x", T: []int64{1000, 2000}, V: []float64{1, 2}}
	w := s.Shift(7 * 24 * time.Hour)
	if want := []int64{1000 + 604800000, 2000 + 604800000}; !slices.Equal(w.T, want) {
		t.Errorf("Shift T = %v, want %v", w.T, want)
	}
	if s.T[0] != 1000 {
		t.Error("Shift changed the original's timestamps")
	}
}

func TestJoinAndPairs(t *testing.T) {
	a := Series{T: []int64{0, 1, 2, 3, 5}, V: []float64{10, 11, nan, 13, 15}}
	b := Series{T: []int64{1, 2, 3, 4, 5}, V: []float64{21, 22, 23, 24, nan}}
	ja, jb := Join(a, b)
	if !slices.Equal(ja.T, []int64{1, 2, 3, 5}) || !slices.Equal(jb.T, ja.T) {
		t.Fatalf("Join times %v, %v; want [1 2 3 5] twice", ja.T, jb.T)
	}
	if ja.V[0] != 11 || !math.IsNaN(ja.V[1]) || jb.V[2] != 23 || !math.IsNaN(jb.V[3]) {
		t.Errorf("Join values %v, %v", ja.V, jb.V)
	}
	tt, va, vb := Pairs(a, b)
	if !slices.Equal(tt, []int64{1, 3}) || !slices.Equal(va, []float64{11, 13}) || !slices.Equal(vb, []float64{21, 23}) {
		t.Errorf("Pairs = %v %v %v; want [1 3] [11 13] [21 23]", tt, va, vb)
	}
}

func TestResample(t *testing.T) {
	// 20-second scrapes from 00:00:40 to 00:03:00 with one missing value and
	// no scrape at all in minute 2: minute 0 has one value, minute 1 three,
	// minute 2 none (NaN, not 0), minute 3 one.
	s := Series{
		T: []int64{40e3, 60e3, 80e3, 100e3, 180e3},
		V: []float64{1, 2, nan, 4, 7},
	}
	cases := []struct {
		agg  Aggregation
		want []float64
	}{
		{Mean, []float64{1, 3, nan, 7}},
		{Sum, []float64{1, 6, nan, 7}},
		{Last, []float64{1, 4, nan, 7}},
		{Max, []float64{1, 4, nan, 7}},
		{Min, []float64{1, 2, nan, 7}},
	}
	for _, c := range cases {
		got, err := s.Resample(time.Minute, c.agg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.T, []int64{0, 60e3, 120e3, 180e3}) {
			t.Errorf("%v: T = %v", c.agg, got.T)
		}
		if !slices.EqualFunc(got.V, c.want, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
			t.Errorf("%v: V = %v, want %v", c.agg, got.V, c.want)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%v: %v", c.agg, err)
		}
	}
	// Before the epoch the grid still floors: -1 ms lies in [-60000, 0).
	got, err := (Series{T: []int64{-1}, V: []float64{5}}).Resample(time.Minute, Sum)
	if err != nil || !slices.Equal(got.T, []int64{-60e3}) {
		t.Errorf("Resample before 1970 = %v, %v; want T [-60000]", got.T, err)
	}
	for _, bad := range []time.Duration{0, -time.Minute, time.Microsecond} {
		if _, err := s.Resample(bad, Mean); !errors.Is(err, ErrStep) {
			t.Errorf("Resample(%v) error %v, want ErrStep", bad, err)
		}
	}
	if _, err := (Series{V: []float64{1}}).Resample(time.Minute, Mean); err == nil {
		t.Error("Resample of a plain sample: no error")
	}
}

func TestWindows(t *testing.T) {
	// Points at minutes 10..69: 30-minute windows start at 0, 30 and 60.
	s := Series{}
	for m := int64(10); m < 70; m++ {
		s.T = append(s.T, m*60e3)
		s.V = append(s.V, float64(m))
	}
	ws, err := s.Windows(30 * time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var lens []int
	total := 0
	for _, w := range ws {
		lens = append(lens, w.Len())
		total += w.Len()
	}
	if !slices.Equal(lens, []int{20, 30, 10}) || total != s.Len() {
		t.Errorf("window sizes %v, want [20 30 10]", lens)
	}
	if ws[1].T[0] != 30*60e3 || ws[2].T[0] != 60*60e3 {
		t.Errorf("windows start at %d, %d; want the half hour and the hour", ws[1].T[0], ws[2].T[0])
	}
}

func TestCoverage(t *testing.T) {
	// Ten minutes expected; minute 3 has NaN, minutes 5-7 have no point,
	// minute 9 is scraped 20 s late (still present).
	s := Series{
		T: []int64{0, 60e3, 120e3, 180e3, 240e3, 480e3, 560e3},
		V: []float64{1, 1, 1, nan, 1, 1, 1},
	}
	c, err := s.Coverage(time.Minute, 0, 600e3)
	if err != nil {
		t.Fatal(err)
	}
	if c.Expected != 10 || c.Present != 6 || c.Missing() != 4 {
		t.Errorf("Expected %d Present %d Missing %d; want 10, 6, 4", c.Expected, c.Present, c.Missing())
	}
	want := []Gap{{Start: 180e3, End: 180e3, Missing: 1}, {Start: 300e3, End: 420e3, Missing: 3}}
	if !slices.Equal(c.Gaps, want) {
		t.Errorf("Gaps = %v, want %v", c.Gaps, want)
	}
	if c.LongestGap() != 3*time.Minute || c.Completeness() != 0.6 {
		t.Errorf("LongestGap %v Completeness %v; want 3m, 0.6", c.LongestGap(), c.Completeness())
	}
	// No point in the range: all gap, completeness 0.
	c, err = s.Coverage(time.Minute, 3600e3, 3900e3)
	if err != nil || c.Present != 0 || c.Expected != 5 || len(c.Gaps) != 1 || c.Completeness() != 0 {
		t.Errorf("empty range: %+v, %v", c, err)
	}
}

// TestCoverageOffGrid: a complete series whose timestamps are not on whole
// minutes is complete (issue 13: 60 points at :20 s were "1 of 61 expected
// points missing", and NAB's exports sit at :42:53): the grid has the
// series' own phase, and the range [first point, last point + step) holds
// exactly its points. A point 25 s late is within half a step of its grid
// time; a missing one is still a gap.
func TestCoverageOffGrid(t *testing.T) {
	for _, c := range []struct {
		name           string
		offset         int64 // ms past the minute
		drop           int   // index of a missing point, -1 for none
		jitter         int64 // ms added to point 10
		expected, gaps int
		present        int
	}{
		{"on the minute", 0, -1, 0, 60, 0, 60},
		{"at :20 s", 20e3, -1, 0, 60, 0, 60},
		{"at :42.853 (NAB)", 42853, -1, 0, 60, 0, 60},
		{"at :20 s, one 25 s late", 20e3, -1, 25e3, 60, 0, 60},
		{"at :20 s, one missing", 20e3, 30, 0, 60, 1, 59},
	} {
		var s Series
		for i := range 60 {
			if i == c.drop {
				continue
			}
			tt := 1_700_000_040_000 + c.offset + int64(i)*60e3
			if i == 10 {
				tt += c.jitter
			}
			s.T, s.V = append(s.T, tt), append(s.V, 1)
		}
		start := 1_700_000_040_000 + c.offset
		cov, err := s.Coverage(time.Minute, start, start+60*60e3)
		if err != nil {
			t.Fatal(err)
		}
		if cov.Expected != c.expected || cov.Present != c.present || len(cov.Gaps) != c.gaps {
			t.Errorf("%s: expected %d, present %d, %d gaps; want %d, %d, %d", c.name, cov.Expected, cov.Present, len(cov.Gaps), c.expected, c.present, c.gaps)
		}
	}
}
