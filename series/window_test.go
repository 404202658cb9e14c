package series

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	s := Series{Name: "x", Labels: map[string]string{"a": "b"}, T: []int64{10, 20, 30, 40}, V: []float64{1, 2, 3, 4}}
	tests := []struct {
		name       string
		reason     string
		in         Series
		start, end int64
		wantT      []int64
	}{
		{name: "all", reason: "a range around everything", in: s, start: 0, end: 100, wantT: []int64{10, 20, 30, 40}},
		{name: "half-open", reason: "start is in, end is out", in: s, start: 20, end: 40, wantT: []int64{20, 30}},
		{name: "between points", reason: "bounds need not be timestamps", in: s, start: 15, end: 35, wantT: []int64{20, 30}},
		{name: "adjacent", reason: "[a,b) then [b,c) loses nothing, repeats nothing", in: s, start: 40, end: 41, wantT: []int64{40}},
		{name: "before", reason: "a range before the data is empty", in: s, start: 0, end: 10},
		{name: "after", reason: "a range after the data is empty", in: s, start: 41, end: 100},
		{name: "empty range", reason: "start == end is empty", in: s, start: 20, end: 20},
		{name: "reversed", reason: "end < start is empty, not a panic", in: s, start: 40, end: 10},
		{name: "plain sample", reason: "a sample has no times, so no point is in any range", in: Series{V: []float64{1, 2}}, start: -1 << 62, end: 1 << 62},
		{name: "invalid lengths", reason: "mismatched lengths must not panic", in: Series{T: []int64{10, 20, 30}, V: []float64{1}}, start: 0, end: 100, wantT: []int64{10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.Window(tt.start, tt.end)
			if len(got.T) != len(tt.wantT) || len(got.V) != len(tt.wantT) {
				t.Fatalf("Window(%d, %d) = T %v V %v, want T %v (%s)", tt.start, tt.end, got.T, got.V, tt.wantT, tt.reason)
			}
			for i := range got.T {
				if got.T[i] != tt.wantT[i] || got.V[i] != float64(tt.wantT[i]/10) {
					t.Errorf("point %d = (%d, %v), want (%d, %v) (%s)", i, got.T[i], got.V[i], tt.wantT[i], tt.wantT[i]/10, tt.reason)
				}
			}
			if got.Name != tt.in.Name || len(got.Labels) != len(tt.in.Labels) {
				t.Errorf("Window lost the identity: %v", got)
			}
		})
	}
}

func TestWindowSharing(t *testing.T) {
	s := Series{T: []int64{10, 20, 30, 40}, V: []float64{1, 2, 3, 4}}
	w := s.Window(10, 30)
	w.V[0] = 100
	if s.V[0] != 100 {
		t.Errorf("Window copied V; it is documented to share it")
	}
	w.T = append(w.T, 25)
	w.V = append(w.V, 2.5)
	if s.T[2] != 30 || s.V[2] != 3 {
		t.Errorf("appending to a window overwrote the series: T[2] = %d, V[2] = %v", s.T[2], s.V[2])
	}
}

func TestBetween(t *testing.T) {
	base := time.UnixMilli(nov14)
	s := Series{T: []int64{nov14, nov14 + 1, nov14 + 2}, V: []float64{0, 1, 2}}
	tests := []struct {
		name       string
		reason     string
		start, end time.Time
		wantN      int
		wantFirst  int64
	}{
		{name: "whole milliseconds", reason: "the same as Window", start: base, end: base.Add(2 * time.Millisecond), wantN: 2, wantFirst: nov14},
		{name: "fractional start", reason: "a point 0.5 ms before start is out", start: base.Add(500 * time.Microsecond), end: base.Add(time.Hour), wantN: 2, wantFirst: nov14 + 1},
		{name: "fractional end", reason: "a point 0.5 ms after end is out; one before it is in", start: base, end: base.Add(1500 * time.Microsecond), wantN: 2, wantFirst: nov14},
		{name: "time zone", reason: "the zone does not matter, only the instant", start: base.In(time.FixedZone("EST", -5*3600)), end: base.Add(time.Millisecond), wantN: 1, wantFirst: nov14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Between(tt.start, tt.end)
			if got.Len() != tt.wantN || (tt.wantN > 0 && got.T[0] != tt.wantFirst) {
				t.Errorf("Between = T %v, want %d points from %d (%s)", got.T, tt.wantN, tt.wantFirst, tt.reason)
			}
		})
	}
}

func TestCeilMilli(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want int64
	}{
		{time.Unix(0, 0), 0},
		{time.Unix(0, 1), 1},
		{time.Unix(0, 999_999), 1},
		{time.Unix(0, 1_000_000), 1},
		{time.Unix(0, -1), 0},
		{time.Unix(0, -1_000_000), -1},
		{time.Unix(0, -1_000_001), -1},
	} {
		if got := ceilMilli(tt.t); got != tt.want {
			t.Errorf("ceilMilli(%d ns) = %d, want %d", tt.t.UnixNano(), got, tt.want)
		}
	}
}
