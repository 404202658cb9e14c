package baseline

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// sameFloat reports whether a and b are the same float64, NaN equal to
// NaN: the fast code must return the reference's very values, not close
// ones.
func sameFloat(a, b float64) bool {
	return a == b || math.IsNaN(a) && math.IsNaN(b)
}

// equalHistory is one random history for TestEqualToReference.
type equalHistory struct {
	name string
	h    series.Series
	opts Options
}

// randomEqualHistory draws a history that exercises what the order
// statistics must get right: ties (small integer counts, constant
// stretches), missing values, missing slots and weeks (sparse slots,
// slots with one or two weeks), a spread window from the minimum to the
// whole week, 1 to 40 weeks, MinWeeks 1 to Weeks, level adjustment, and a
// daylight-saving change (New York).
func randomEqualHistory(rng *rand.Rand, ny *time.Location, i int) equalHistory {
	steps := []time.Duration{time.Hour, 2 * time.Hour, 3 * time.Hour, 30 * time.Minute, 6 * time.Hour, 24 * time.Hour}
	step := steps[rng.IntN(len(steps))]
	weeks := 1 + rng.IntN(12)
	if rng.IntN(6) == 0 {
		weeks = 13 + rng.IntN(28)
		step = max(step, 6*time.Hour)
	}
	kind := rng.IntN(5)
	pNaN := []float64{0, 0, 0.02, 0.2, 0.5}[rng.IntN(5)]
	end := time.Date(2026, 11, 9, 0, 0, 0, 0, ny)
	start := end.AddDate(0, 0, -7*weeks-rng.IntN(3))
	weekLevel := map[int]float64{}
	var h series.Series
	for t := start; t.Before(end); t = t.Add(step) {
		if pNaN == 0.5 && rng.IntN(3) == 0 { // no point at all: a gap
			continue
		}
		wk := int(end.Sub(t) / (7 * 24 * time.Hour))
		if _, ok := weekLevel[wk]; !ok {
			weekLevel[wk] = 1 + 0.2*rng.Float64()
		}
		hr := float64(t.In(ny).Hour())
		var v float64
		switch kind {
		case 0: // small counts: many ties
			v = float64(rng.IntN(4))
		case 1: // a daily cycle with noise and week levels, rounded
			v = math.Round(weekLevel[wk] * (100 + 50*math.Sin(hr/24*2*math.Pi) + 10*rng.NormFloat64()))
		case 2: // continuous
			v = 50 + rng.NormFloat64()
		case 3: // mostly constant with spikes
			v = 10
			if rng.IntN(20) == 0 {
				v = 10 + float64(rng.IntN(50))
			}
		default: // heavy tails, both signs
			v = rng.NormFloat64() / (rng.Float64() + 0.05)
		}
		if rng.Float64() < pNaN {
			v = math.NaN()
		}
		h.T = append(h.T, t.UnixMilli())
		h.V = append(h.V, v)
	}
	opts := Options{Model: ModelLinear, Weeks: weeks, Location: ny}
	if rng.IntN(3) == 0 {
		opts.Weeks = max(1, weeks-rng.IntN(3))
	}
	opts.MinWeeks = 1 + rng.IntN(opts.Weeks)
	switch rng.IntN(4) {
	case 0:
		opts.SpreadWindow = step // the minimum, 2 slots
	case 1:
		opts.SpreadWindow = 7 * 24 * time.Hour // the whole week
	case 2:
		opts.SpreadWindow = time.Duration(rng.IntN(12)) * step
	}
	opts.LevelAdjust = kind == 1 && rng.IntN(2) == 0
	return equalHistory{
		name: fmt.Sprintf("%d: kind %d, %d weeks at %v, missing %.2f, %+v", i, kind, weeks, step, pNaN, opts),
		h:    h, opts: opts,
	}
}

// TestEqualToReference checks New and Calibrate against the reference
// implementation of ref_test.go (the code before window.go) on 120 random
// histories: every slot's centre, spread, weeks and sparseness, the level
// factors, and every field of the calibration must be the very same
// floats and counts, under three deviation rules.
func TestEqualToReference(t *testing.T) {
	ny := loadLocation(t, "America/New_York")
	rng := rand.New(rand.NewPCG(18, 2026))
	rules := []DeviationRule{{}, {Z: 2, Persistence: 2}, {Z: 1, Persistence: 1}}
	built, heldOutChecked := 0, 0
	for i := range 120 {
		c := randomEqualHistory(rng, ny, i)
		b, err := New(c.h, c.opts)
		if err != nil {
			continue // too little history: New's errors are tested elsewhere
		}
		built++
		ref := *b
		ref.Slots, ref.LevelFactors, ref.Warnings = nil, nil, nil
		if err := ref.refCompute(nil); err != nil {
			t.Fatalf("%s: reference: %v", c.name, err)
		}
		for s := range b.Slots {
			g, w := b.Slots[s], ref.Slots[s]
			if !sameFloat(g.Center, w.Center) || !sameFloat(g.Spread, w.Spread) || g.Weeks != w.Weeks || g.Sparse != w.Sparse {
				t.Fatalf("%s: slot %d: got %+v, reference %+v", c.name, s, g, w)
			}
		}
		for k := range b.LevelFactors {
			if !sameFloat(b.LevelFactors[k], ref.LevelFactors[k]) {
				t.Fatalf("%s: level factor %d: got %v, reference %v", c.name, k, b.LevelFactors[k], ref.LevelFactors[k])
			}
		}
		if !c.opts.LevelAdjust && b.WeeksWithData >= 3 && blModerate(b.vals) {
			checkHeldOut(t, c.name, b, rules)
			heldOutChecked++
		}
		for _, rule := range rules {
			got, gerr := b.Calibrate(rule)
			want, werr := b.refCalibrate(rule)
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("%s, rule %+v: error %v, reference %v", c.name, rule, gerr, werr)
			}
			if gerr != nil {
				continue
			}
			if got.WeeksChecked != want.WeeksChecked || got.Alarms != want.Alarms ||
				fmt.Sprint(got.AlarmsPerWeek) != fmt.Sprint(want.AlarmsPerWeek) ||
				!sameFloat(got.Days, want.Days) || !sameFloat(got.FalseAlarmRatePerDay, want.FalseAlarmRatePerDay) ||
				!sameFloat(got.Upper95, want.Upper95) {
				t.Fatalf("%s, rule %+v: calibration %+v, reference %+v", c.name, rule, got, want)
			}
		}
	}
	t.Logf("%d histories built a baseline, %d checked the held-out path", built, heldOutChecked)
	// Most draws must build, or the test checks little; and enough must
	// take the held-out path for it to be checked.
	if heldOutChecked < 35 {
		t.Errorf("only %d of the random histories checked the held-out path against the rebuild", heldOutChecked)
	}
	if built < 80 {
		t.Errorf("only %d of 120 random histories built a baseline", built)
	}
}

// checkHeldOut checks heldOut week by week against rebuilding the
// baseline without the week (whose equality with the reference Calibrate
// checks), whatever the number of weeks: with the bounds it computes, and
// (where the window is narrow enough for this to be quick) with bounds
// that decide nothing, so that every judged point takes the exact median.
// The budget is lifted so that check never gives up.
func checkHeldOut(t *testing.T, name string, b *Baseline, rules []DeviationRule) {
	t.Helper()
	h := b.newHeldOut()
	h.budget = 1 << 40
	wide := *h
	wide.lo = make([]float64, len(h.lo))
	wide.hi = slices.Repeat([]float64{math.Inf(1)}, len(h.hi))
	var sc heldOutScratch
	for _, rule := range rules {
		r, _ := rule.withDefaults()
		for k := range b.vals {
			if !blHasData(b.vals[k]) {
				continue
			}
			want := b.rebuildWeek(k, r)
			for _, hh := range []*heldOut{h, &wide} {
				if hh == &wide && len(h.lo)*(2*h.kw+1) > 4000 {
					continue
				}
				got, ok := hh.check(k, r, &sc)
				if !ok || got != want {
					t.Fatalf("%s, rule %+v, week %d held out (wide bounds %v): got %+v (ok %v), rebuild %+v", name, rule, k, hh == &wide, got, ok, want)
				}
			}
		}
	}
}

// TestWallClockCache checks the zone-offset cache of New and Check
// against a lookup per instant, in zones with daylight saving (New York,
// Berlin, Lord Howe's half-hour shift), with rules that changed (São
// Paulo, which dropped it in 2019; Apia, which skipped a day in 2011), and
// without (UTC, Kolkata): 20,000 instants from 1900 to 2100 and the
// milliseconds around every change from 1990 to 2030, in order and in
// random order.
func TestWallClockCache(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	hi := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	ts := make([]int64, 20000)
	for i := range ts {
		ts[i] = lo + rng.Int64N(hi-lo)
	}
	// And the milliseconds around each of New York's and Lord Howe's
	// changes from 1990 to 2030.
	for _, name := range []string{"America/New_York", "Australia/Lord_Howe"} {
		loc := loadLocation(t, name)
		for tm := time.Date(1990, 1, 1, 0, 0, 0, 0, loc); tm.Year() < 2030; {
			_, end := tm.ZoneBounds()
			e := end.UnixMilli()
			ts = append(ts, e-1, e, e+1)
			tm = end
		}
	}
	sorted := slices.Clone(ts)
	slices.Sort(sorted)
	for _, name := range []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo", "Pacific/Apia", "Asia/Kolkata"} {
		loc := loadLocation(t, name)
		for _, order := range [][]int64{sorted, ts} {
			c := blWallClock{loc: loc, lo: 1, hi: 0}
			for _, ms := range order {
				if got, want := c.wall(ms), blWallMilli(ms, loc); got != want {
					t.Fatalf("%s, %s: wall clock %d, lookup %d", name, time.UnixMilli(ms).UTC(), got, want)
				}
			}
		}
	}
}
