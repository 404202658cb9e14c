package apdex

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

const minute = int64(60_000)

// TestWindows checks scores per window, an empty window in the middle (NS,
// NaN in the series, never 1), alignment to the minute, and unsorted input.
func TestWindows(t *testing.T) {
	base := int64(1_700_000_040_000) // 2023-11-14T22:14:00Z, on the minute
	samples := []Sample{
		// Minute 0: 2 satisfied, 1 tolerating, 1 failed: (2 + 0.5)/4 = 0.625.
		{Time: base + 59_999, Duration: 0.1},
		{Time: base, Duration: 0.5},
		{Time: base + 30_000, Duration: 1.9},
		{Time: base + 10_000, Duration: 0.01, Error: true},
		// Minute 1: nothing.
		// Minute 2: 1 frustrated: 0.
		{Time: base + 2*minute + 1, Duration: 2.1},
		// Minute 3: 1 satisfied: 1.
		{Time: base + 3*minute, Duration: 0.2},
	}
	// Shuffle: Windows takes samples in any order.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(samples), func(i, j int) { samples[i], samples[j] = samples[j], samples[i] })
	ws, err := Windows(samples, Thresholds{T: 0.5}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		start    int64
		value    float64
		total    float64
		notation string
	}{
		{base, 0.625, 4, "0.63* [0.5]"}, // 0.625 rounds half up
		{base + minute, math.NaN(), 0, "NS [0.5]"},
		{base + 2*minute, 0, 1, "0.00* [0.5]"},
		{base + 3*minute, 1, 1, "1.00* [0.5]"},
	}
	if len(ws) != len(want) {
		t.Fatalf("%d windows, want %d", len(ws), len(want))
	}
	for i, w := range want {
		g := ws[i]
		if g.Start != w.start || g.Total != w.total || g.Notation() != w.notation ||
			!(g.Value == w.value || math.IsNaN(g.Value) && math.IsNaN(w.value)) {
			t.Errorf("window %d: start %d total %v value %v %q; want %d %v %v %q",
				i, g.Start, g.Total, g.Value, g.Notation(), w.start, w.total, w.value, w.notation)
		}
	}
	s, err := Series(ws)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "apdex" || len(s.T) != 4 || s.T[1] != base+minute || !math.IsNaN(s.V[1]) || s.V[0] != 0.625 || s.V[3] != 1 {
		t.Errorf("Series = %+v", s)
	}

	// Windows that do not start on the first sample: 5-minute windows
	// start on multiples of 5 minutes since the epoch.
	ws, err = Windows([]Sample{{Time: base + 3*minute, Duration: 0.1}}, Thresholds{T: 0.5}, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].Start%(5*minute) != 0 || ws[0].Start > base+3*minute || ws[0].Start+5*minute <= base+3*minute {
		t.Errorf("5m window: %+v", ws)
	}
}

// TestWindowsAgreeWithFromSamples checks on random data that each window's
// score is FromSamples of the samples in it.
func TestWindowsAgreeWithFromSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	th := Thresholds{T: 0.3}
	var samples []Sample
	for range 2000 {
		samples = append(samples, Sample{
			Time:     1_700_000_000_000 + rng.Int64N(3_600_000),
			Duration: rng.ExpFloat64() * 0.4,
			Error:    rng.IntN(50) == 0,
		})
	}
	ws, err := Windows(samples, th, 7*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, w := range ws {
		var in []Sample
		for _, s := range samples {
			if s.Time >= w.Start && s.Time < w.Start+7*minute {
				in = append(in, s)
			}
		}
		want, err := FromSamples(in, th)
		if errors.Is(err, ErrNoSamples) {
			if !w.NoSamples() {
				t.Errorf("window %d: %v, want NS", w.Start, w.Score)
			}
			continue
		}
		if w.Score != want {
			t.Errorf("window %d: %v, want %v", w.Start, w.Score, want)
		}
		total += w.Total
	}
	if total != float64(len(samples)) {
		t.Errorf("windows hold %v samples, want %d", total, len(samples))
	}
}

func TestWindowsErrors(t *testing.T) {
	th := Thresholds{T: 0.5}
	one := []Sample{{Time: 0, Duration: 0.1}}
	for _, tc := range []struct {
		name    string
		samples []Sample
		th      Thresholds
		length  time.Duration
		want    string
	}{
		{"no_samples", nil, th, time.Minute, "no samples (NS)"},
		{"zero_length", one, th, 0, "window length 0s"},
		{"sub_ms_length", one, th, time.Microsecond, "window length 1µs"},
		{"bad_T", one, Thresholds{}, time.Minute, "threshold 0: want a positive number of seconds"},
		{"bad_duration", []Sample{{Time: 0, Duration: -1}}, th, time.Minute, "sample 0: duration -1 s"},
		{"too_many", []Sample{{Time: 0, Duration: 1}, {Time: 253402300799999, Duration: 1}}, th, time.Millisecond, "span more than 10000000 windows"},
		{"extreme_times", []Sample{{Time: math.MinInt64, Duration: 1}, {Time: math.MaxInt64, Duration: 1}}, th, time.Minute, "span more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Windows(tc.samples, tc.th, tc.length)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	if _, err := Windows(nil, th, time.Minute); !errors.Is(err, ErrNoSamples) {
		t.Errorf("no samples: %v, want ErrNoSamples", err)
	}
}
