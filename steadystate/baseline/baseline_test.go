package baseline

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST tests need New York and Berlin on any machine

	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
)

// readBaselineCSV reads a CSV file from testdata/baseline.
func readBaselineCSV(t testing.TB, name string) series.Series {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := series.ReadCSV(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadLocation(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v (the tests need the time zone database)", name, err)
	}
	return loc
}

// makeSeries returns the series with one point every step in [from, to)
// (real time), valued f(t).
func makeSeries(from, to time.Time, step time.Duration, f func(time.Time) float64) series.Series {
	var s series.Series
	for t := from; t.Before(to); t = t.Add(step) {
		s.T = append(s.T, t.UnixMilli())
		s.V = append(s.V, f(t))
	}
	return s
}

// TestSyntheticDays is the "must show": four weeks of per-minute
// stream starts (testdata/gen.go, seeded; the history crosses the
// end of daylight saving in New York), then a normal day that raises
// nothing and a day with a 25% drop from 14:00 to 14:20 that raises
// exactly one deviation, covering the drop.
func TestSyntheticDays(t *testing.T) {
	ny := loadLocation(t, "America/New_York")
	history := readBaselineCSV(t, "history.csv")
	opts := Options{Model: ModelLinear, Location: ny}

	normal, err := Evaluate(history, readBaselineCSV(t, "normal_day.csv"), opts, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if normal.Deviated() {
		t.Errorf("normal day: deviations %v, want none", normal.Deviations)
	}
	if normal.Judged != 1440 {
		t.Errorf("normal day: judged %d points, want all 1440 minutes", normal.Judged)
	}

	drop, err := Evaluate(history, readBaselineCSV(t, "drop_day.csv"), opts, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	// The generator cuts the minutes [14:00, 14:20) New York time by 25%.
	wantStart := time.Date(2026, 11, 10, 14, 0, 0, 0, ny)
	wantEnd := time.Date(2026, 11, 10, 14, 20, 0, 0, ny)
	if len(drop.Deviations) != 1 {
		t.Fatalf("drop day: %d deviations %v, want exactly 1", len(drop.Deviations), drop.Deviations)
	}
	d := drop.Deviations[0]
	if !d.Start.Equal(wantStart) || !d.End.Equal(wantEnd) || d.Side != BelowBand || d.Points != 20 {
		t.Errorf("drop day: deviation %v (%d points), want below from %v to %v, 20 points", d, d.Points, wantStart, wantEnd)
	}
	// A 25% drop on noise of a few percent: the worst minute is 0.75 give
	// or take the noise (about 4% at 14:00; gen.go's model).
	if !(d.WorstRatio > 0.6 && d.WorstRatio < 0.8) {
		t.Errorf("drop day: worst ratio %v, want about 0.75", d.WorstRatio)
	}
	if d.Start.Location() != ny {
		t.Errorf("deviation times are in %v, want the baseline's zone %v", d.Start.Location(), ny)
	}

	// The leave-one-week-out calibration on the synthetic history: four
	// weeks of 1440 minutes (the repeated hour's 60 extra minutes share
	// cells) checked, no alarm, so the rate is 0 and its 95% upper bound
	// is chi2.ppf(0.95, 2)/(2*28) = 0.10699043834121391 (scipy 1.10).
	c := normal.Calibration
	if c == nil {
		t.Fatal("no calibration")
	}
	if c.WeeksChecked != 4 || c.Alarms != 0 || c.FalseAlarmRatePerDay != 0 {
		t.Errorf("calibration %+v, want 4 weeks checked and no alarm", c)
	}
	approx.Close(t, "calibration days", c.Days, 28, 1e-12, 0)
	approx.Close(t, "calibration upper 95%", c.Upper95, 0.10699043834121391, 1e-9, 0)

	// The repeated hour of 2026-11-01 01:00-02:00 in the history puts two
	// points in each of 60 cells: reported, not hidden.
	if !hasWarning(normal.Warnings, "60 slot values combine more than one point") {
		t.Errorf("warnings %v: want the repeated hour reported", normal.Warnings)
	}

	// Slots in UTC for this New York cycle: the summer weeks sit an hour
	// off, and the leave-one-week-out calibration says so.
	utc, err := Evaluate(history, readBaselineCSV(t, "normal_day.csv"), Options{Model: ModelLinear, Location: time.UTC}, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if utc.Calibration.FalseAlarmRatePerDay <= HighFalseAlarmRate || !hasWarning(utc.Warnings, "the band does not fit the history well") {
		t.Errorf("UTC slots: calibration %+v, warnings %v; want a rate above %v a day and a warning", utc.Calibration, utc.Warnings, HighFalseAlarmRate)
	}
}

func hasWarning(ws []error, substr string) bool {
	for _, w := range ws {
		if strings.Contains(w.Error(), substr) {
			return true
		}
	}
	return false
}

// TestSyntheticLevelAdjust: the generator grows 0.5% a week, so with
// LevelAdjust each older week is scaled up by about 1.005^k (k weeks back),
// and the verdicts stay the same.
func TestSyntheticLevelAdjust(t *testing.T) {
	ny := loadLocation(t, "America/New_York")
	b, err := New(readBaselineCSV(t, "history.csv"), Options{Model: ModelLinear, Location: ny, LevelAdjust: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.LevelFactors) != 4 || b.LevelFactors[0] != 1 {
		t.Fatalf("level factors %v, want 4 starting with 1", b.LevelFactors)
	}
	for k, f := range b.LevelFactors {
		// The weekly totals carry the day-level noise (1.5% a day, gen.go),
		// so a week's total is off by about 1.5%/√7 = 0.6%; allow 2%.
		approx.Close(t, "level factor of week "+string(rune('0'+k)), f, math.Pow(1.005, float64(k)), 0.02, 0)
	}
	for _, day := range []string{"normal_day.csv", "drop_day.csv"} {
		rep, err := b.Check(readBaselineCSV(t, day), DeviationRule{})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if day == "drop_day.csv" {
			want = 1
		}
		if len(rep.Deviations) != want {
			t.Errorf("%s with level adjustment: deviations %v, want %d", day, rep.Deviations, want)
		}
	}
}

// TestLevelAdjustFactors checks the definition exactly: week k is scaled
// by T₀/T_k, T the week's total over the common slots. Week k's values are
// 100·1.1^(−k), so the factors are 1.1^k.
func TestLevelAdjustFactors(t *testing.T) {
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) // a Monday
	h := makeSeries(end.AddDate(0, 0, -28), end, time.Hour, func(tm time.Time) float64 {
		k := int(end.Sub(tm).Hours()-1) / (7 * 24) // weeks back
		return 100 * math.Pow(1.1, -float64(k)) * (1 + float64(tm.Hour())/24)
	})
	b, err := New(h, Options{Model: ModelLinear, LevelAdjust: true})
	if err != nil {
		t.Fatal(err)
	}
	for k, f := range b.LevelFactors {
		approx.Close(t, "factor", f, math.Pow(1.1, float64(k)), 1e-12, 0)
	}
	// Adjusted, every week equals the most recent: the centre is its value.
	sl, _ := b.SlotAt(end.Add(-time.Hour).UnixMilli())
	approx.Close(t, "centre at Sunday 23:00", sl.Center, 100*(1+23.0/24), 1e-12, 0)
	// Unadjusted, the median of the four levels: (100/1.1 + 100/1.21)/2.
	b2, err := New(h, Options{Model: ModelLinear})
	if err != nil {
		t.Fatal(err)
	}
	sl2, _ := b2.SlotAt(end.Add(-time.Hour).UnixMilli())
	approx.Close(t, "unadjusted centre", sl2.Center, (100/1.1+100/1.21)/2*(1+23.0/24), 1e-12, 0)

	// Level adjustment needs positive totals.
	z := makeSeries(end.AddDate(0, 0, -28), end, time.Hour, func(time.Time) float64 { return 0 })
	if _, err := New(z, Options{Model: ModelLinear, LevelAdjust: true}); err == nil || !strings.Contains(err.Error(), "positive weekly totals") {
		t.Errorf("all-zero history with level adjustment: err %v, want a positive-totals error", err)
	}
}

// TestSpreadFormula checks the centre and spread on a history whose four
// weeks are 100 + d with d = −2, −1, 1, 2 at every slot. Centre: 100.
// Leave-one-week-out residuals: −2 − median(−1, 1, 2) = −3,
// −1 − median(−2, 1, 2) = −2, 1 − median(−2, −1, 2) = 2,
// 2 − median(−2, −1, 1) = 3; the median of |e| is 2.5, so the spread is
// 1.482602218505602 · 2.5 in every slot.
func TestSpreadFormula(t *testing.T) {
	b := fourLevelBaseline(t)
	for _, i := range []int{0, 17, len(b.Slots) - 1} {
		sl := b.Slots[i]
		approx.Close(t, "centre", sl.Center, 100, 1e-12, 0)
		approx.Close(t, "spread", sl.Spread, MADScale*2.5, 1e-12, 0)
		if sl.Weeks != 4 || sl.Sparse {
			t.Errorf("slot %d: %+v, want 4 weeks, not sparse", i, sl)
		}
	}
	// R 4.2.2: 1/qnorm(0.75) = 1.482602218505602
	approx.Close(t, "MADScale", MADScale, 1/0.6744897501960817, 1e-15, 0)
}

// fourLevelEnd is the end of fourLevelBaseline's history, a Monday.
var fourLevelEnd = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// fourLevelBaseline is a 15-minute baseline whose weeks are 100 + d, d =
// −2, −1, 1, 2 from the oldest week to the newest: centre 100, spread
// 1.4826·2.5 = 3.7065 at every slot (see TestSpreadFormula).
func fourLevelBaseline(t *testing.T) *Baseline {
	t.Helper()
	d := []float64{2, 1, -1, -2} // by weeks back, 0 the most recent
	h := makeSeries(fourLevelEnd.AddDate(0, 0, -28), fourLevelEnd, 15*time.Minute, func(tm time.Time) float64 {
		k := int(fourLevelEnd.Sub(tm)-time.Minute) / int(7*24*time.Hour)
		return 100 + d[k]
	})
	b, err := New(h, Options{Model: ModelLinear})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDeviationRule checks the persistence rule point by point against the
// band 100 ± 4·3.7065 = [85.17, 114.83] of fourLevelBaseline, on a day of
// 15-minute points after the history.
func TestDeviationRule(t *testing.T) {
	b := fourLevelBaseline(t)
	day := func(pattern map[int]float64) series.Series {
		return makeSeries(fourLevelEnd, fourLevelEnd.Add(24*time.Hour), 15*time.Minute, func(tm time.Time) float64 {
			i := int(tm.Sub(fourLevelEnd) / (15 * time.Minute))
			if v, ok := pattern[i]; ok {
				return v
			}
			return 100
		})
	}
	run := func(from, n int, v float64, p map[int]float64) map[int]float64 {
		if p == nil {
			p = map[int]float64{}
		}
		for i := from; i < from+n; i++ {
			p[i] = v
		}
		return p
	}
	at := func(i int) time.Time { return fourLevelEnd.Add(time.Duration(i) * 15 * time.Minute) }
	type dev struct {
		from, to int // point indexes, [from, to)
		side     BandSide
		worst    float64
	}
	cases := []struct {
		name, reason string
		pattern      map[int]float64
		want         []dev
	}{
		{"inside", "values at the band's edge are inside: no deviation",
			run(10, 20, 85.2, nil), nil},
		{"short", "four points outside are fewer than Persistence 5: no deviation",
			run(10, 4, 50, nil), nil},
		{"persistent", "five points outside are a deviation, [first, last+step)",
			run(10, 5, 50, nil), []dev{{10, 15, BelowBand, 0.5}}},
		{"above", "a spike is above, with the largest ratio",
			run(40, 3, 180, run(43, 3, 150, nil)), []dev{{40, 46, AboveBand, 1.8}}},
		{"bridged", "one point back inside does not split an outage: gap 1 < Persistence",
			run(10, 5, 60, run(16, 5, 70, nil)), []dev{{10, 21, BelowBand, 0.6}}},
		{"tail", "a short run right after a deviation joins it (gap 4 < 5)",
			run(10, 5, 60, run(19, 2, 80, nil)), []dev{{10, 21, BelowBand, 0.6}}},
		{"separate", "a gap of Persistence points inside ends the deviation: two",
			run(10, 5, 60, run(20, 6, 70, nil)), []dev{{10, 15, BelowBand, 0.6}, {20, 26, BelowBand, 0.7}}},
		{"side_change", "below then at once above are two deviations",
			run(10, 5, 60, run(15, 5, 140, nil)), []dev{{10, 15, BelowBand, 0.6}, {15, 20, AboveBand, 1.4}}},
		{"missing_breaks", "a missing value ends a run: 3 + 3 outside is no deviation",
			run(10, 3, 50, run(13, 1, math.NaN(), run(14, 3, 50, nil))), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := b.Check(day(c.pattern), DeviationRule{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Deviations) != len(c.want) {
				t.Fatalf("%s: deviations %v, want %d", c.reason, rep.Deviations, len(c.want))
			}
			for i, w := range c.want {
				g := rep.Deviations[i]
				if !g.Start.Equal(at(w.from)) || !g.End.Equal(at(w.to)) || g.Side != w.side {
					t.Errorf("%s: deviation %d is %v, want %s from %v to %v", c.reason, i, g, w.side, at(w.from), at(w.to))
				}
				approx.Close(t, "worst ratio", g.WorstRatio, w.worst, 1e-12, 0)
			}
		})
	}

	// A time gap also ends a run: five outside points with a missing
	// timestamp after the third.
	s := day(run(10, 6, 50, nil))
	s.T = append(s.T[:13:13], s.T[14:]...)
	s.V = append(s.V[:13:13], s.V[14:]...)
	rep, err := b.Check(s, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Deviated() {
		t.Errorf("3 + 2 outside points across a gap in the timestamps: deviations %v, want none", rep.Deviations)
	}

	// Counts and the fraction outside: 96 points, 5 outside, 1 missing.
	rep, err = b.Check(day(run(10, 5, 50, map[int]float64{50: math.NaN()})), DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Judged != 95 || rep.Outside != 5 || rep.Missing != 1 {
		t.Errorf("judged %d outside %d missing %d, want 95, 5, 1", rep.Judged, rep.Outside, rep.Missing)
	}
	approx.Close(t, "fraction outside", rep.FractionOutside(), 5.0/95, 1e-12, 0)
	if !hasWarning(rep.Warnings, "1 point of the current series are missing") {
		t.Errorf("warnings %v: want the missing point reported", rep.Warnings)
	}
}

// TestDSTWaveform: a weekly cycle that follows local time must keep its
// slot across a daylight-saving change. The metric jumps from 100 to 1000
// at 09:00 Berlin time every day; the history (four weeks to Monday
// 2026-11-02) crosses the end of summer time on Sunday 2026-10-25. With
// the Berlin zone every week agrees on where the jump is, the centre
// steps exactly at 09:00 and a normal day is steady. With UTC slots the
// two summer weeks put the jump an hour earlier in UTC (07:00 instead of
// 08:00), the centre is smeared over that hour, and the same day deviates:
// the test can fail. (Three of the four weeks are summer weeks, so the UTC
// median follows them and misses the winter day by an hour.)
func TestDSTWaveform(t *testing.T) {
	berlin := loadLocation(t, "Europe/Berlin")
	end := time.Date(2026, 11, 2, 0, 0, 0, 0, berlin)
	rng := rand.New(rand.NewPCG(1, 2))
	level := func(tm time.Time) float64 {
		l := tm.In(berlin)
		noise := 1 + 0.01*rng.NormFloat64()
		if l.Hour() >= 9 && l.Hour() < 17 {
			return 1000 * noise
		}
		return 100 * noise
	}
	// 10-minute points, so the shifted hour is six points, more than
	// the Persistence of 5.
	h := makeSeries(end.AddDate(0, 0, -28), end, 10*time.Minute, level)
	day := makeSeries(end, end.AddDate(0, 0, 1), 10*time.Minute, level)

	b, err := New(h, Options{Model: ModelLinear, Location: berlin})
	if err != nil {
		t.Fatal(err)
	}
	for d := 0; d < 7; d++ {
		before, _ := b.SlotAt(time.Date(2026, 11, 2+d, 8, 45, 0, 0, berlin).UnixMilli())
		after, _ := b.SlotAt(time.Date(2026, 11, 2+d, 9, 0, 0, 0, berlin).UnixMilli())
		// Medians of four values with 1% noise: within 3% of the level.
		approx.Close(t, "centre at 08:45", before.Center, 100, 0.03, 0)
		approx.Close(t, "centre at 09:00", after.Center, 1000, 0.03, 0)
	}
	rep, err := b.Check(day, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Deviated() {
		t.Errorf("Berlin slots: a normal day after the DST change deviates: %v", rep.Deviations)
	}

	utc, err := New(h, Options{Model: ModelLinear, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = utc.Check(day, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	// The winter day jumps at 08:00 UTC (09:00 CET), the summer centre at
	// 07:00 UTC: the hour 07:00-08:00 UTC is far below it.
	wantStart := time.Date(2026, 11, 2, 7, 0, 0, 0, time.UTC)
	if !rep.Deviated() || !rep.Deviations[0].Start.Equal(wantStart) || !rep.Deviations[0].End.Equal(wantStart.Add(time.Hour)) || rep.Deviations[0].Side != BelowBand {
		t.Errorf("UTC slots on a local-time cycle across DST: deviations %v, want the shifted hour 07:00-08:00 UTC below the band first (else the test would not catch a shift)", rep.Deviations)
	}
}

// TestDSTRepeatedAndMissingHour checks the two DST cases explicitly, in
// New York: on 2026-11-01 the hour 01:00-02:00 happens twice (its two
// readings are averaged into one cell), and on 2026-03-08 the hour
// 02:00-03:00 does not happen (those slots have one week fewer).
func TestDSTRepeatedAndMissingHour(t *testing.T) {
	ny := loadLocation(t, "America/New_York")

	// Repeated hour: 10 during the first 01:00-02:00 (EDT), 30 during the
	// second (EST), 20 at other times.
	end := time.Date(2026, 11, 9, 0, 0, 0, 0, ny)
	firstPass := time.Date(2026, 11, 1, 1, 0, 0, 0, ny) // Go picks the first (EDT) of the two
	h := makeSeries(end.AddDate(0, 0, -28), end, 15*time.Minute, func(tm time.Time) float64 {
		switch {
		case !tm.Before(firstPass) && tm.Before(firstPass.Add(time.Hour)):
			return 10
		case !tm.Before(firstPass.Add(time.Hour)) && tm.Before(firstPass.Add(2*time.Hour)):
			return 30
		}
		return 20
	})
	b, err := New(h, Options{Model: ModelLinear, Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	_, slot := b.SlotAt(firstPass.UnixMilli())
	_, slot2 := b.SlotAt(firstPass.Add(time.Hour).UnixMilli())
	if slot != slot2 {
		t.Fatalf("01:00 EDT and 01:00 EST fall in slots %d and %d, want the same wall-clock slot", slot, slot2)
	}
	if got := b.vals[1][slot]; got != 20 { // 2026-11-01 is in week 1 back from 11-09
		t.Errorf("repeated-hour cell holds %v, want the mean of 10 and 30 = 20", got)
	}
	if !hasWarning(b.Warnings, "4 slot values combine more than one point") {
		t.Errorf("warnings %v: want the 4 repeated 15-minute cells reported", b.Warnings)
	}
	// Both readings of the repeated hour in a current series are judged
	// against the same slot: a current day with the same values is steady
	// at 01:00 only if both are compared with 20's band.
	cur := makeSeries(firstPass.Add(-2*time.Hour), firstPass.Add(4*time.Hour), 15*time.Minute, func(time.Time) float64 { return 20 })
	rep, err := b.Check(cur, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Judged != 24 {
		t.Errorf("six real hours across the repeated hour: judged %d points, want 24", rep.Judged)
	}

	// Missing hour: history to Monday 2026-03-09 crosses 2026-03-08,
	// when 02:00 EST jumps to 03:00 EDT.
	end = time.Date(2026, 3, 9, 0, 0, 0, 0, ny)
	h = makeSeries(end.AddDate(0, 0, -28), end, 15*time.Minute, func(tm time.Time) float64 { return 50 + float64(tm.In(ny).Hour()) })
	b, err = New(h, Options{Model: ModelLinear, Location: ny, MinWeeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	sl, _ := b.SlotAt(time.Date(2026, 3, 15, 2, 30, 0, 0, ny).UnixMilli()) // Sunday 02:30, a week later
	if sl.Weeks != 3 || !sl.Sparse || !math.IsNaN(sl.Center) {
		t.Errorf("Sunday 02:30 slot %+v: want 3 weeks, sparse (MinWeeks 4), NaN centre: never a silent zero", sl)
	}
	if !hasWarning(b.Warnings, "4 slots: fewer than 4 weeks of data (or too few residuals), not judged: Sun 02:00–Sun 03:00") {
		t.Errorf("warnings %v: want the skipped hour's slots named", b.Warnings)
	}
	// A current Sunday morning: the 02:00-03:00 points are not judged.
	sunday := time.Date(2026, 3, 15, 0, 0, 0, 0, ny)
	rep, err = b.Check(makeSeries(sunday, sunday.Add(6*time.Hour), 15*time.Minute, func(tm time.Time) float64 { return 50 + float64(tm.In(ny).Hour()) }), DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unjudged != 4 || rep.Judged != 20 || rep.Deviated() {
		t.Errorf("Sunday morning: judged %d, unjudged %d, deviations %v; want 20, 4, none", rep.Judged, rep.Unjudged, rep.Deviations)
	}
	// With the default MinWeeks 3 the slot is judged on its three weeks.
	b, err = New(h, Options{Model: ModelLinear, Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	sl, _ = b.SlotAt(time.Date(2026, 3, 15, 2, 30, 0, 0, ny).UnixMilli())
	if sl.Weeks != 3 || sl.Sparse || sl.Center != 52 {
		t.Errorf("Sunday 02:30 slot with MinWeeks 3: %+v, want 3 weeks, centre 52", sl)
	}
}

// TestMissingHistory: weeks without data are reported, too few are
// ErrNotEnoughHistory (inconclusive, never steady).
func TestMissingHistory(t *testing.T) {
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f := func(tm time.Time) float64 { return 100 + float64(tm.Hour()) }
	full := makeSeries(end.AddDate(0, 0, -28), end, time.Hour, f)

	// Week 2 back (2026-05-11 to 05-18) missing: three weeks remain.
	var holed series.Series
	for i, tm := range full.T {
		w := time.UnixMilli(tm).UTC()
		if !w.Before(end.AddDate(0, 0, -21)) && w.Before(end.AddDate(0, 0, -14)) {
			continue
		}
		holed.T = append(holed.T, tm)
		holed.V = append(holed.V, full.V[i])
	}
	b, err := New(holed, Options{Model: ModelLinear})
	if err != nil {
		t.Fatal(err)
	}
	if b.WeeksWithData != 3 {
		t.Errorf("weeks with data %d, want 3", b.WeeksWithData)
	}
	if !hasWarning(b.Warnings, "week 3 of 4 (2026-05-11 00:00 to 2026-05-18 00:00 UTC) has no data") {
		t.Errorf("warnings %v: want the missing week named", b.Warnings)
	}
	c, err := b.Calibrate(DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if c.WeeksChecked != 3 || c.AlarmsPerWeek[2] != -1 {
		t.Errorf("calibration %+v: want 3 weeks checked, the missing one marked -1", c)
	}

	// A week of NaN values counts as missing too.
	nan := full
	nan.V = append([]float64(nil), full.V...)
	for i := range nan.V {
		if i < 2*7*24 {
			nan.V[i] = math.NaN()
		}
	}
	if _, err := New(nan, Options{Model: ModelLinear}); !errors.Is(err, ErrNotEnoughHistory) {
		t.Errorf("two of four weeks all NaN: err %v, want ErrNotEnoughHistory", err)
	}
	// Two weeks of history: not enough for the default MinWeeks 3.
	if _, err := New(full.Window(end.AddDate(0, 0, -14).UnixMilli(), end.UnixMilli()), Options{Model: ModelLinear}); !errors.Is(err, ErrNotEnoughHistory) {
		t.Errorf("two weeks of history: err %v, want ErrNotEnoughHistory", err)
	}
	// ... but enough with MinWeeks 2; calibration then needs 3 weeks.
	b, err = New(full.Window(end.AddDate(0, 0, -14).UnixMilli(), end.UnixMilli()), Options{Model: ModelLinear, MinWeeks: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Calibrate(DeviationRule{}); !errors.Is(err, ErrNotEnoughHistory) {
		t.Errorf("calibrating on two weeks: err %v, want ErrNotEnoughHistory", err)
	}
	rep, err := Evaluate(full.Window(end.AddDate(0, 0, -14).UnixMilli(), end.UnixMilli()), makeSeries(end, end.Add(24*time.Hour), time.Hour, f), Options{Model: ModelLinear, MinWeeks: 2}, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Calibration != nil || !hasWarning(rep.Warnings, "false-alarm rate not measured") {
		t.Errorf("Evaluate on two weeks: calibration %v, warnings %v; want none and a warning", rep.Calibration, rep.Warnings)
	}
}

// TestCalibrationCountsIncidents: an incident in one history week (a
// six-hour drop to half) is an alarm when that week is held out, and only
// then; the rate is alarms per judged day.
func TestCalibrationCountsIncidents(t *testing.T) {
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(3, 4))
	incident := end.AddDate(0, 0, -10)
	h := makeSeries(end.AddDate(0, 0, -28), end, 5*time.Minute, func(tm time.Time) float64 {
		v := (1000 + 500*math.Sin(2*math.Pi*float64(tm.Hour())/24)) * (1 + 0.02*rng.NormFloat64())
		if !tm.Before(incident) && tm.Before(incident.Add(6*time.Hour)) {
			v /= 2
		}
		return v
	})
	b, err := New(h, Options{Model: ModelLinear})
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.Calibrate(DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 1, 0, 0} // the incident is 10 days back: week 1
	for k := range want {
		if c.AlarmsPerWeek[k] != want[k] {
			t.Errorf("alarms per week %v, want %v", c.AlarmsPerWeek, want)
			break
		}
	}
	approx.Close(t, "rate per day", c.FalseAlarmRatePerDay, 1.0/28, 1e-12, 0)
	// scipy 1.10: chi2.ppf(0.95, 4)/(2*28)
	approx.Close(t, "upper 95%", c.Upper95, 0.16942373279966347, 1e-9, 0)
}

// TestTaxi runs the baseline on real data: NYC taxi passengers per 30
// minutes (testdata/taxi_2014-10-23_2014-11-27.csv, copied from
// the Numenta Anomaly Benchmark's nyc_taxi; see the README there). Four
// weeks before Thanksgiving (2014-11-27) are the baseline: Thanksgiving
// deviates, far below in the afternoon; an ordinary Thursday a week earlier
// (2014-11-20), on its own four prior weeks, is steady. Those weeks hold the
// DST change and the marathon on 2014-11-02.
func TestTaxi(t *testing.T) {
	ny := loadLocation(t, "America/New_York")
	taxi := readBaselineCSV(t, "taxi_2014-10-23_2014-11-27.csv")
	check := func(day string) *DeviationReport {
		d0, err := time.ParseInLocation("2006-01-02", day, ny)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Evaluate(taxi.Between(d0.AddDate(0, 0, -28), d0), taxi.Between(d0, d0.AddDate(0, 0, 1)), Options{Model: ModelLinear, Location: ny}, DeviationRule{})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	ordinary := check("2014-11-20")
	if ordinary.Deviated() || ordinary.Judged != 48 {
		t.Errorf("2014-11-20: deviations %v, judged %d; want steady, 48 points", ordinary.Deviations, ordinary.Judged)
	}
	thanks := check("2014-11-27")
	afternoon := false
	for _, d := range thanks.Deviations {
		at := time.Date(2014, 11, 27, 15, 0, 0, 0, ny)
		if d.Side == BelowBand && !d.Start.After(at) && d.End.After(at) && d.WorstRatio < 0.5 {
			afternoon = true
		}
	}
	if !afternoon {
		t.Errorf("Thanksgiving: deviations %v, want one below the band over the afternoon, worst ratio under 0.5", thanks.Deviations)
	}
	if thanks.FractionOutside() < 0.5 {
		t.Errorf("Thanksgiving: fraction outside %v, want most of the day", thanks.FractionOutside())
	}
	// The leave-one-week-out rate is measured on weeks that hold real
	// incidents (Halloween, the marathon and DST on 11-02), so it is not
	// zero; it is stated, and it is a rate per judged day.
	c := ordinary.Calibration
	if c == nil || c.WeeksChecked != 4 || c.Days != 28 || c.FalseAlarmRatePerDay != float64(c.Alarms)/28 {
		t.Errorf("2014-11-20 calibration %+v: want 4 weeks, 28 days, rate alarms/28", c)
	}
	t.Logf("taxi: 2014-11-20 calibration %d alarms in %v days, %.3f a day (95%% upper %.3f), per week %v",
		c.Alarms, c.Days, c.FalseAlarmRatePerDay, c.Upper95, c.AlarmsPerWeek)
	for _, d := range thanks.Deviations {
		t.Logf("taxi: Thanksgiving %v", d)
	}
}

// TestBaselineErrors: bad input is an error that says what is wrong.
func TestBaselineErrors(t *testing.T) {
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ok := makeSeries(end.AddDate(0, 0, -28), end, time.Hour, func(time.Time) float64 { return 1 })
	cases := []struct {
		name, reason string
		history      series.Series
		opts         Options
		want         string
	}{
		{"step", "a 7-minute step does not divide a day", makeSeries(end.AddDate(0, 0, -28), end, 7*time.Minute, func(time.Time) float64 { return 1 }), Options{Model: ModelLinear}, "does not divide a day"},
		{"plain", "a plain sample has no times", series.Series{V: []float64{1, 2, 3}}, Options{Model: ModelLinear}, "plain sample"},
		{"empty", "no points is not enough history", series.Series{}, Options{Model: ModelLinear}, "not enough history"},
		{"unsorted", "an invalid series is refused", series.Series{T: []int64{2, 1}, V: []float64{1, 1}}, Options{Model: ModelLinear}, "strictly increasing"},
		{"weeks", "negative weeks", ok, Options{Model: ModelLinear, Weeks: -1}, "weeks -1: want a whole number of at least 1"},
		{"minweeks", "MinWeeks above Weeks", ok, Options{Model: ModelLinear, Weeks: 2, MinWeeks: 3}, "min_weeks 3: want a whole number from 1 to the number of weeks (2)"},
		{"window", "negative spread window", ok, Options{Model: ModelLinear, SpreadWindow: -time.Minute}, "positive duration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.history, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: err %v, want one containing %q", c.reason, err, c.want)
			}
		})
	}
	b, err := New(ok, Options{Model: ModelLinear})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Check(series.Series{}, DeviationRule{}); !errors.Is(err, ErrNothingJudged) {
		t.Errorf("empty current: err %v, want ErrNothingJudged", err)
	}
	allNaN := makeSeries(end, end.Add(3*time.Hour), time.Hour, func(time.Time) float64 { return math.NaN() })
	if _, err := b.Check(allNaN, DeviationRule{}); !errors.Is(err, ErrNothingJudged) {
		t.Errorf("all-missing current: err %v, want ErrNothingJudged: no data is never steady", err)
	}
	if _, err := b.Check(series.Series{V: []float64{1}}, DeviationRule{}); err == nil {
		t.Error("plain-sample current: no error")
	}
	for _, r := range []DeviationRule{{Z: -1}, {Persistence: -2}, {Z: math.Inf(1)}} {
		if _, err := b.Check(ok, r); err == nil {
			t.Errorf("rule %+v: no error", r)
		}
	}
	// A current series overlapping the history is judged, with a warning.
	rep, err := b.Check(ok.Window(end.Add(-3*time.Hour).UnixMilli(), end.UnixMilli()), DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(rep.Warnings, "before the history ends") {
		t.Errorf("overlapping current: warnings %v, want the overlap reported", rep.Warnings)
	}
}

// TestOptionErrors: each option out of range is a *series.OptionError
// naming it by its key, from Validate, New and Judge alike, so that a Go
// caller, the command and the server get the same rule and wording.
func TestOptionErrors(t *testing.T) {
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	hist := makeSeries(end.AddDate(0, 0, -28), end, time.Hour, func(time.Time) float64 { return 1 })
	cur := makeSeries(end, end.Add(6*time.Hour), time.Hour, func(time.Time) float64 { return 1 })
	cases := []struct {
		name, reason string
		opts         Options
		rule         DeviationRule
		option       string // "" for valid
		want         string // the OptionError's Want
	}{
		{"zero", "zero fields are the defaults", Options{}, DeviationRule{}, "", ""},
		{"weeks", "negative weeks", Options{Weeks: -1}, DeviationRule{}, OptionWeeks, "a whole number of at least 1"},
		{"min_weeks_negative", "negative min weeks", Options{MinWeeks: -2}, DeviationRule{}, OptionMinWeeks, "a whole number from 1 to the number of weeks (4)"},
		{"min_weeks_above", "more min weeks than weeks", Options{Weeks: 2, MinWeeks: 3}, DeviationRule{}, OptionMinWeeks, "a whole number from 1 to the number of weeks (2)"},
		{"min_weeks_default", "the default min weeks follows fewer weeks", Options{Weeks: 2}, DeviationRule{}, "", ""},
		{"resolution", "a negative resolution", Options{Resolution: -1}, DeviationRule{}, OptionResolution, "the metric's smallest step, a positive number such as 1 for counts"},
		{"resolution_inf", "an infinite resolution", Options{Resolution: math.Inf(1)}, DeviationRule{}, OptionResolution, "the metric's smallest step, a positive number such as 1 for counts"},
		{"resolution_nan", "a NaN resolution", Options{Resolution: math.NaN()}, DeviationRule{}, OptionResolution, "the metric's smallest step, a positive number such as 1 for counts"},
		{"spread_window", "a negative spread window", Options{SpreadWindow: -time.Minute}, DeviationRule{}, OptionSpreadWindow, "a positive duration"},
		{"model", "a Model out of range", Options{Model: Model(9)}, DeviationRule{}, OptionModel, "ModelAuto, ModelLinear, ModelCounts or ModelCustom"},
		{"z", "a negative z", Options{}, DeviationRule{Z: -1}, OptionZ, "a positive number, such as 4"},
		{"z_inf", "an infinite z is no band", Options{}, DeviationRule{Z: math.Inf(1)}, OptionZ, "a positive number, such as 4"},
		{"persistence", "a negative persistence", Options{}, DeviationRule{Persistence: -2}, OptionPersistence, "a whole number of at least 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check := func(what string, err error) {
				t.Helper()
				var oe *series.OptionError
				switch {
				case c.option == "" && err != nil:
					t.Errorf("%s: %v, want nil (%s)", what, err, c.reason)
				case c.option != "" && !errors.As(err, &oe):
					t.Errorf("%s: %v, want a *series.OptionError naming %s (%s)", what, err, c.option, c.reason)
				case c.option != "" && (oe.Option != c.option || oe.Want != c.want):
					t.Errorf("%s: option %q want %q, want option %q want %q (%s)", what, oe.Option, oe.Want, c.option, c.want, c.reason)
				}
			}
			err := c.opts.Validate()
			if err == nil {
				err = c.rule.Validate()
			}
			check("Validate", err)
			if c.rule == (DeviationRule{}) {
				_, err := New(hist, c.opts)
				check("New", err)
			}
			_, err = Judge(hist, cur, c.opts, c.rule)
			if c.option != "" || err != nil {
				check("Judge", err)
			}
			var in *InputError
			if errors.As(err, &in) && c.option != "" {
				t.Errorf("Judge: %v is an *InputError of %s; an option is not an input", err, in.Input)
			}
		})
	}
}

// TestCheckOption: a value given for an option, as a flag gives it, is
// checked without the 0 that stands for the default in Options.
func TestCheckOption(t *testing.T) {
	cases := []struct {
		key string
		v   float64
		ok  bool
		why string
	}{
		{OptionWeeks, 1, true, "one week is enough to build from"},
		{OptionWeeks, 0, false, "a given 0 is not a number of weeks"},
		{OptionWeeks, 1.5, false, "weeks are whole"},
		{OptionMinWeeks, 3, true, "a whole number"},
		{OptionPersistence, -1, false, "negative"},
		{OptionZ, 0.5, true, "a narrow band is allowed"},
		{OptionZ, 0, false, "a given 0 is no band"},
		{OptionZ, math.NaN(), false, "NaN"},
		{OptionResolution, 1, true, "counts"},
		{OptionResolution, 0, false, "a given 0 is no step"},
	}
	for _, c := range cases {
		err := CheckOption(c.key, c.v)
		var oe *series.OptionError
		if (err == nil) != c.ok || (err != nil && (!errors.As(err, &oe) || oe.Option != c.key)) {
			t.Errorf("CheckOption(%q, %v) = %v, want ok %v (%s)", c.key, c.v, err, c.ok, c.why)
		}
	}
	if _, err := ParseModel("poisson"); err == nil || err.Error() != `model "poisson": want auto, linear or counts` {
		t.Errorf("ParseModel(poisson): %v, want the OptionError naming model", err)
	}
}

// TestMedian checks the selection-based median against sorting on random
// samples of every length up to 300, ties included.
func TestMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 1; n <= 300; n++ {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(rng.IntN(n/3 + 1)) // ties
			if n%2 == 0 {
				xs[i] = rng.NormFloat64()
			}
		}
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		want := sorted[n/2]
		if n%2 == 0 {
			want = (sorted[n/2-1] + sorted[n/2]) / 2
		}
		if got := blMedian(xs); got != want {
			t.Fatalf("n=%d: median %v, want %v", n, got, want)
		}
	}
	if !math.IsNaN(blMedian(nil)) {
		t.Error("median of nothing is not NaN")
	}
}

// TestCalibrationPredictsFreshDays: the leave-one-week-out rate is meant to
// state how often the rule raises an alarm on normal days. Seeded
// simulation: R = 100 histories of 5-minute data (a daily cycle, a
// day-level factor with 2% sd, 3% independent noise per point), each with
// 28 days of history and 10 more normal days checked against its
// baseline. Under a lax rule (z 2.5, persistence 3) that does raise alarms,
// the mean over replicates of (fresh-day rate − leave-one-week-out rate) is
// within 3.5 standard errors of 0, the standard error taken from the
// replicates (alarms cluster by day, so Poisson errors would be too
// small). Under the default rule the fresh days raise (almost) nothing:
// at most 2 alarms in the 1,000 fresh days.
func TestCalibrationPredictsFreshDays(t *testing.T) {
	const R = 100
	rng := rand.New(rand.NewPCG(11, 12))
	step := 5 * time.Minute
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	lax := DeviationRule{Z: 2.5, Persistence: 3}
	var diffs []float64
	var looSum, freshSum float64
	defaultAlarms := 0
	for range R {
		var s series.Series
		dayF := 1.0
		for tm := start; tm.Before(start.AddDate(0, 0, 38)); tm = tm.Add(step) {
			if tm.Hour() == 0 && tm.Minute() == 0 {
				dayF = 1 + 0.02*rng.NormFloat64()
			}
			h := float64(tm.Hour()) + float64(tm.Minute())/60
			s.T = append(s.T, tm.UnixMilli())
			s.V = append(s.V, 1000*(1+0.5*math.Cos(2*math.Pi*(h-20)/24))*dayF*(1+0.03*rng.NormFloat64()))
		}
		hEnd := start.AddDate(0, 0, 28).UnixMilli()
		b, err := New(s.Window(math.MinInt64, hEnd), Options{Model: ModelLinear})
		if err != nil {
			t.Fatal(err)
		}
		c, err := b.Calibrate(lax)
		if err != nil {
			t.Fatal(err)
		}
		fresh := s.Window(hEnd, math.MaxInt64)
		rep, err := b.Check(fresh, lax)
		if err != nil {
			t.Fatal(err)
		}
		freshRate := float64(len(rep.Deviations)) / 10
		diffs = append(diffs, freshRate-c.FalseAlarmRatePerDay)
		looSum += c.FalseAlarmRatePerDay
		freshSum += freshRate
		rep, err = b.Check(fresh, DeviationRule{})
		if err != nil {
			t.Fatal(err)
		}
		defaultAlarms += len(rep.Deviations)
	}
	var m, v float64
	for _, d := range diffs {
		m += d / R
	}
	for _, d := range diffs {
		v += (d - m) * (d - m) / (R - 1)
	}
	se := math.Sqrt(v / R)
	t.Logf("lax rule: leave-one-week-out %.4f a day, fresh days %.4f a day, mean difference %.4f (se %.4f); default rule: %d alarms in %d fresh days",
		looSum/R, freshSum/R, m, se, defaultAlarms, 10*R)
	if math.Abs(m) > 3.5*se {
		t.Errorf("fresh-day rate − calibrated rate = %.4f a day, more than 3.5 standard errors (%.4f) from 0", m, se)
	}
	if looSum == 0 || freshSum == 0 {
		t.Errorf("the lax rule raised no alarm (calibrated %v, fresh %v): the comparison says nothing", looSum, freshSum)
	}
	if defaultAlarms > 2 {
		t.Errorf("the default rule raised %d alarms in %d normal days, want at most 2", defaultAlarms, 10*R)
	}
}
