package baseline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// The growth benchmarks: how New and Calibrate scale in the points of a
// history (four weeks at steps from 40 minutes down to 240 ms, 1,008 to
// 10,080,000 points) and in its weeks (per-minute data, 4 to 104 weeks).
// The data is the stream-start model of testdata/gen.go (synthHistory),
// generated once per size outside the timer. Results, fitted exponents and
// the command are in BENCHMARKS.md.

// scaleSteps are the steps of the points benchmark: four weeks at each.
var scaleSteps = []time.Duration{40 * time.Minute, 4 * time.Minute, 24 * time.Second, 2400 * time.Millisecond, 240 * time.Millisecond}

// scaleWeeks are the history lengths of the weeks benchmark, per minute.
var scaleWeeks = []int{4, 8, 16, 32, 52, 104}

var synthCache sync.Map // key string → series.Series

// synthHistory returns weeks weeks of the stream-start model of
// testdata/gen.go at step in New York time, ending on Monday 2026-11-09
// 00:00 local, seeded by weeks and step: one point per step, rounded
// counts (so values tie), a daily and a weekly cycle, a day-level factor,
// multiplicative and count noise. It is cached across benchmarks.
func synthHistory(tb testing.TB, weeks int, step time.Duration) series.Series {
	key := fmt.Sprint(weeks, step)
	if s, ok := synthCache.Load(key); ok {
		return s.(series.Series)
	}
	ny := loadLocation(tb, "America/New_York")
	end := time.Date(2026, 11, 9, 0, 0, 0, 0, ny)
	start := end.AddDate(0, 0, -7*weeks)
	s := synthSeries(ny, start, end, step, rand.New(rand.NewPCG(uint64(weeks), uint64(step))))
	synthCache.Store(key, s)
	return s
}

// synthSeries generates the model over [start, end) at step.
func synthSeries(loc *time.Location, start, end time.Time, step time.Duration, rng *rand.Rand) series.Series {
	n := int(end.Sub(start) / step)
	s := series.Series{T: make([]int64, 0, n), V: make([]float64, 0, n)}
	const base = 2000.0
	day, f := -1, 1.0
	for t := start; t.Before(end); t = t.Add(step) {
		l := t.In(loc)
		if l.YearDay() != day {
			day, f = l.YearDay(), 1+0.015*rng.NormFloat64()
		}
		h := float64(l.Hour()) + float64(l.Minute())/60 + float64(l.Second())/3600
		daily := 1 + 0.6*math.Cos(2*math.Pi*(h-20)/24) + 0.15*math.Cos(4*math.Pi*(h-20)/24)
		weekly := 1.0
		switch l.Weekday() {
		case time.Friday:
			weekly = 1.08
		case time.Saturday, time.Sunday:
			weekly = 1.15
		}
		lambda := base * daily * weekly * f
		v := lambda*(1+0.02*rng.NormFloat64()) + math.Sqrt(lambda)*rng.NormFloat64()
		s.T = append(s.T, t.UnixMilli())
		s.V = append(s.V, math.Max(0, math.Round(v)))
	}
	return s
}

func benchScale(b *testing.B, h series.Series, weeks int) {
	ny := loadLocation(b, "America/New_York")
	// The linear model: BENCHMARKS.md's tables measure its held-out
	// shortcut; the counts model, the default on these counts, rebuilds
	// (see BENCHMARKS.md for its cost).
	opts := Options{Location: ny, Weeks: weeks, Model: ModelLinear}
	b.Run("New", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := New(h, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Calibrate", func(b *testing.B) {
		bl, err := New(h, opts)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bl.Calibrate(DeviationRule{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScalePoints builds and calibrates four-week baselines of
// 1,008 to 10,080,000 points.
func BenchmarkScalePoints(b *testing.B) {
	for _, step := range scaleSteps {
		h := synthHistory(b, 4, step)
		b.Run(fmt.Sprintf("n=%d", h.Len()), func(b *testing.B) { benchScale(b, h, 4) })
	}
}

// BenchmarkScaleWeeks builds and calibrates per-minute baselines of 4 to
// 104 weeks.
func BenchmarkScaleWeeks(b *testing.B) {
	for _, w := range scaleWeeks {
		h := synthHistory(b, w, time.Minute)
		b.Run(fmt.Sprintf("weeks=%d", w), func(b *testing.B) { benchScale(b, h, w) })
	}
}
