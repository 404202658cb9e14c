package baseline

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// TestOffGridTimestamps judges real data whose timestamps are not on
// round minutes: NAB's Twitter volume for AAPL (testdata/nab, see the
// README there), 5-minute buckets stamped at :42:53, :47:53, and so on.
// The day 2015-04-08 (UTC, an ordinary day: outside every labelled
// window) is judged against the three weeks before it. Every one of its
// 288 points (24 h / 5 min, counted in the file) must be judged, none
// missing or unjudged, and the band must not depend on where the grid
// sits: the same data shifted onto round minutes (2 min 53 s earlier)
// gives the same score at every point, the same verdict and the same
// calibration, in every model.
func TestOffGridTimestamps(t *testing.T) {
	s := readBaselineCSV(t, "nab/twitter_volume_AAPL.csv")
	if got := time.UnixMilli(s.T[0]).UTC().Format("04:05"); got != "42:53" {
		t.Fatalf("first timestamp at minute:second %s, want 42:53 (off the grid)", got)
	}
	day := time.Date(2015, 4, 8, 0, 0, 0, 0, time.UTC)
	shift := func(x series.Series, d time.Duration) series.Series {
		y := x
		y.T = slices.Clone(x.T)
		for i := range y.T {
			y.T[i] -= d.Milliseconds()
		}
		return y
	}
	const off = 2*time.Minute + 53*time.Second
	for _, o := range []Options{{Weeks: 3, Model: ModelLinear}, {Weeks: 3, LogScale: true, PoolDays: true}} {
		var scores [2][]float64
		var reps [2]*Report
		for i, d := range []time.Duration{0, off} {
			x := shift(s, d)
			hist := x.Window(math.MinInt64, day.Add(-d).UnixMilli())
			cur := x.Window(day.Add(-d).UnixMilli(), day.Add(24*time.Hour-d).UnixMilli())
			rep, err := Judge(hist, cur, o, DeviationRule{})
			if err != nil {
				t.Fatalf("%+v, shifted %v: %v", o, d, err)
			}
			if c := rep.Check; c.Judged != 288 || c.Missing != 0 || c.Unjudged != 0 {
				t.Errorf("%+v, shifted %v: judged %d, missing %d, unjudged %d; want 288, 0, 0", o, d, c.Judged, c.Missing, c.Unjudged)
			}
			if rep.Check.Calibration == nil || rep.Check.Calibration.WeeksChecked != 3 {
				t.Errorf("%+v, shifted %v: calibration %+v, want 3 weeks checked", o, d, rep.Check.Calibration)
			}
			scores[i], reps[i] = rep.Baseline.Scores(cur), rep
		}
		for i := range scores[0] {
			if a, b := scores[0][i], scores[1][i]; a != b {
				t.Fatalf("%+v: point %d scores %v on the data's grid, %v on round minutes", o, i, a, b)
			}
		}
		if a, b := reps[0].Check, reps[1].Check; len(a.Deviations) != len(b.Deviations) || a.Calibration.Alarms != b.Calibration.Alarms {
			t.Errorf("%+v: %d deviations and %d calibration alarms on the data's grid, %d and %d on round minutes", o, len(a.Deviations), a.Calibration.Alarms, len(b.Deviations), b.Calibration.Alarms)
		}
	}
}

// TestLogScalePooledSpread checks the spread of LogScale with PoolDays on
// a seeded history whose noise is multiplicative: three weeks of 5-minute
// values 100·L(t)·exp(0.1·ε), ε standard normal and L(t) a daily cycle
// from 0.1 at night to 1 by day (ten times), so that the noise in the
// series' units is ten times larger by day. On the log scale every slot's
// leave-one-week-out residual is a value minus the mean of two others
// (the median of two), with standard deviation 0.1·√(1 + 1/2) = 0.1225.
// Each spread is a MAD of 7·13·3 = 273 residuals (13 slots of ±30
// minutes, seven days, three weeks), whose standard error would be
// 1.17·0.1225/√273 = 7% of it if they were independent; the three of a
// slot are not (each holds the others' values), and seeded as here the
// 288 distinct spreads (one per time of day) ran from 0.0995 to 0.150,
// median 0.115. So each spread must be within 35% (4 to 5 standard
// errors of about 8%) and their median within 8% (about 22 independent
// windows a day: 4 standard errors of the median). Without the log
// scale the spread by day is 10 times the spread at night.
func TestLogScalePooledSpread(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).UnixMilli()
	const step = 5 * 60 * 1000
	n := 3 * 7 * 288
	h := series.Series{T: make([]int64, n), V: make([]float64, n)}
	for i := range n {
		tod := float64(i%288) / 288
		level := 0.55 - 0.45*math.Cos(2*math.Pi*tod)
		h.T[i] = start + int64(i)*step
		h.V[i] = 100 * level * math.Exp(0.1*rng.NormFloat64())
	}
	want := 0.1 * math.Sqrt(1.5)
	defer func() {}()
	b, err := New(h, Options{Weeks: 3, LogScale: true, PoolDays: true})
	if err != nil {
		t.Fatal(err)
	}
	var spreads []float64
	for s, sl := range b.Slots {
		if sl.Sparse || math.Abs(sl.Spread/want-1) > 0.35 {
			t.Fatalf("slot %d (%s): spread %v (sparse %v), want %.4f within 35%%", s, blSlotName(int64(s)*step), sl.Spread, sl.Sparse, want)
		}
		spreads = append(spreads, sl.Spread)
	}
	slices.Sort(spreads)
	if m := spreads[len(spreads)/2]; math.Abs(m/want-1) > 0.08 {
		t.Errorf("median spread over the slots %v, want %.4f within 8%%", m, want)
	}
	// The centre is reported in the series' units.
	if c := b.Slots[144].Center; math.Abs(c/100-1) > 0.1 {
		t.Errorf("noon centre %v, want about 100", c)
	}
	lin, err := New(h, Options{Weeks: 3, Model: ModelLinear})
	if err != nil {
		t.Fatal(err)
	}
	if r := lin.Slots[144].Spread / lin.Slots[0].Spread; r < 5 {
		t.Errorf("linear scale: noon spread / midnight spread = %.2f, want about 10", r)
	}
	h.V[10] = -1
	if _, err := New(h, Options{Weeks: 3, LogScale: true}); err == nil {
		t.Error("LogScale with a negative history value: no error")
	}
}

// TestResolutionFloor runs the counts model on NAB's CVS tweets
// (testdata/nab), 77% of whose 5-minute counts are 0 (12,203 of 15,853
// rows, counted with sort | uniq -c): without a resolution 895 of the
// 2,016 slots of the three weeks before 2015-04-08 have a spread of 0, so
// one tweet there is infinitely far outside. With
// Resolution 1 every slot's spread is at least one count at its centre,
// log(1 + 1/(1 + c)) on the log scale (log 2 at a centre of 0), and at
// least Resolution on the linear scale; a negative resolution is an
// error.
func TestResolutionFloor(t *testing.T) {
	s := readBaselineCSV(t, "nab/twitter_volume_CVS.csv")
	end := time.Date(2015, 4, 8, 0, 0, 0, 0, time.UTC).UnixMilli()
	h := s.Window(math.MinInt64, end)
	zeros := func(b *Baseline) int {
		n := 0
		for _, sl := range b.Slots {
			if !sl.Sparse && sl.Spread == 0 {
				n++
			}
		}
		return n
	}
	bare, err := New(h, Options{Weeks: 3, LogScale: true, PoolDays: true})
	if err != nil {
		t.Fatal(err)
	}
	if z := zeros(bare); z < len(bare.Slots)/3 {
		t.Errorf("without a resolution %d of %d slots have zero spread, want at least a third (measured: 895)", z, len(bare.Slots))
	}
	for _, o := range []Options{{Weeks: 3, LogScale: true, PoolDays: true, Resolution: 1}, {Weeks: 3, Model: ModelLinear, Resolution: 1}} {
		b, err := New(h, o)
		if err != nil {
			t.Fatal(err)
		}
		for i, sl := range b.Slots {
			floor := 1.0
			if o.LogScale {
				floor = math.Log1p(1 / (1 + sl.Center))
			}
			if !sl.Sparse && !(sl.Spread >= floor) {
				t.Fatalf("%+v: slot %d spread %v below the floor %v (centre %v)", o, i, sl.Spread, floor, sl.Center)
			}
		}
	}
	if _, err := New(h, Options{Resolution: -1}); err == nil {
		t.Error("negative resolution: no error")
	}
}

// TestBandMatchesCheck checks that Band is the band Check judges, in the
// series' units, on both scales: a current week at each slot's band edges
// times (1 ± 1e-9) has every point just inside judged inside and every point
// just outside judged outside. On the log scale the band is not Center ±
// z·Spread (the chart drew that before Band), so the check would fail there.
func TestBandMatchesCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).UnixMilli()
	const step = 5 * 60 * 1000
	const week = 7 * 288
	h := series.Series{T: make([]int64, 3*week), V: make([]float64, 3*week)}
	for i := range h.T {
		tod := float64(i%288) / 288
		h.T[i] = start + int64(i)*step
		h.V[i] = math.Round(50 * (0.55 - 0.45*math.Cos(2*math.Pi*tod)) * math.Exp(0.2*rng.NormFloat64()))
	}
	rule := DeviationRule{Z: 3, Persistence: 1}
	for _, o := range []Options{{Weeks: 3, Model: ModelLinear}, {Weeks: 3, LogScale: true, PoolDays: true, Resolution: 1}} {
		b, err := New(h, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			name    string
			scale   float64
			outside bool
		}{{"just inside", 1e-9, false}, {"just outside", -1e-9, true}} {
			cur := series.Series{T: make([]int64, 2*week), V: make([]float64, 2*week)}
			for i := range week {
				lo, hi := b.Band(i, rule.Z)
				if math.IsNaN(lo) {
					t.Fatalf("%+v: slot %d has no band", o, i)
				}
				cur.T[2*i], cur.T[2*i+1] = start+int64(3*week+i)*step, start+int64(3*week+i)*step+1
				// Inside: lo + eps·|lo|, hi − eps·|hi|; outside the opposite.
				cur.V[2*i] = lo + f.scale*max(math.Abs(lo), 1e-6)
				cur.V[2*i+1] = hi - f.scale*max(math.Abs(hi), 1e-6)
			}
			rep, err := b.Check(cur, rule)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if f.outside {
				want = rep.Judged
			}
			if rep.Outside != want {
				t.Errorf("LogScale %v, points %s the band: %d of %d judged outside, want %d", o.LogScale, f.name, rep.Outside, rep.Judged, want)
			}
		}
	}
}
