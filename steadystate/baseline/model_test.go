package baseline

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
)

// modelData returns four weeks of hourly history and one day of current
// values, f(hour index) each, hour 0 four weeks before the day.
func modelData(f func(i int) float64) (hist, cur series.Series) {
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	from := end.AddDate(0, 0, -28)
	i := 0
	all := makeSeries(from, end.AddDate(0, 0, 1), time.Hour, func(time.Time) float64 {
		v := f(i)
		i++
		return v
	})
	return all.Window(math.MinInt64, end.UnixMilli()), all.Window(end.UnixMilli(), math.MaxInt64)
}

// cycle is a daily cycle of counts, 20 to 100 an hour, with a wobble from
// day to day (no two weeks agree exactly).
func cycle(i int) float64 {
	return math.Round(60 + 40*math.Sin(2*math.Pi*float64(i%24)/24) + float64((i*7)%5))
}

// TestModelAuto checks which model ModelAuto chooses, and with what
// resolution, on the data each rule of Options.Model is for.
func TestModelAuto(t *testing.T) {
	for _, c := range []struct {
		name, reason string
		f            func(i int) float64
		want         Model
		res          float64 // the chosen Resolution
		why          string  // in ModelReason
	}{
		{"counts", "whole numbers, none below 0: the counts model with a resolution of one count",
			cycle, ModelCounts, 1, "every value a whole number"},
		{"rate with zeros", "a rate of counts (counts/300) with zeros at night and single counts at 03:00: the step from 0 to the least there is, one count a step",
			func(i int) float64 {
				switch {
				case i%24 < 3:
					return 0
				case i%24 == 3:
					return 1.0 / 300
				}
				return cycle(i) / 300
			}, ModelCounts, 1.0 / 300, "the smallest value above 0"},
		{"sparse rate", "a rate with zeros whose least value above 0 is 20 counts a step (20/300): that, not the smallest difference (1/300)",
			func(i int) float64 {
				if i%24 < 3 {
					return 0
				}
				return cycle(i) / 300 // 20 to 104 counts
			}, ModelCounts, 20.0 / 300, "the smallest value above 0"},
		{"rate without zeros", "a rate of counts without zeros (counts 20 to 100 a step, divided by 300): the smallest difference, one count a step",
			func(i int) float64 { return cycle(i) / 300 }, ModelCounts, 1.0 / 300, "the smallest difference"},
		{"negative history", "a negative value in the history: the log scale cannot take it, linear",
			func(i int) float64 {
				if i == 5 {
					return -1
				}
				return cycle(i)
			}, ModelLinear, 0, "the history has a value below 0, -1"},
		{"negative current", "a negative value in the current series only: Judge looks at it too, linear",
			func(i int) float64 {
				if i == 28*24+3 {
					return -0.5
				}
				return cycle(i)
			}, ModelLinear, 0, "the current series has a value below 0, -0.5"},
		{"all zero", "a metric that is always 0 (an error count on a good day) is whole numbers: counts, resolution 1",
			func(int) float64 { return 0 }, ModelCounts, 1, "every value a whole number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			hist, cur := modelData(c.f)
			rep, err := Judge(hist, cur, Options{}, DeviationRule{})
			if err != nil {
				t.Fatalf("%s: %v", c.reason, err)
			}
			b := rep.Baseline
			if b.Model != c.want || !strings.Contains(b.ModelReason, c.why) || !strings.HasPrefix(b.ModelReason, "auto: ") {
				t.Errorf("%s: model %v (%q), want %v with %q", c.reason, b.Model, b.ModelReason, c.want, c.why)
			}
			o := b.Options()
			if o.LogScale != (c.want == ModelCounts) || o.PoolDays != (c.want == ModelCounts) {
				t.Errorf("%s: LogScale %v, PoolDays %v for model %v", c.reason, o.LogScale, o.PoolDays, b.Model)
			}
			approx.Close(t, c.name+": resolution", o.Resolution, c.res, 1e-9, 0)
		})
	}
}

// TestModelNewSeesHistoryOnly: New has no current series, so a negative
// current value cannot choose the linear model there; Check then judges it
// as 0 on the log scale (Options.LogScale).
func TestModelNewSeesHistoryOnly(t *testing.T) {
	hist, _ := modelData(cycle)
	b, err := New(hist, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Model != ModelCounts {
		t.Errorf("New on counts: model %v (%s), want counts", b.Model, b.ModelReason)
	}
}

// TestModelExplicit checks how Model combines with LogScale, PoolDays and
// Resolution (the rules in Options.Model's doc).
func TestModelExplicit(t *testing.T) {
	hist, cur := modelData(cycle)
	for _, c := range []struct {
		name, reason string
		opts         Options
		want         Model
		log, pool    bool
		res          float64
		err          string
	}{
		{"linear", "ModelLinear on counts: the values as they are, no floor", Options{Model: ModelLinear}, ModelLinear, false, false, 0, ""},
		{"linear with resolution", "a Resolution is the metric's step for every model: a floor on the linear band", Options{Model: ModelLinear, Resolution: 2}, ModelLinear, false, false, 2, ""},
		{"counts with resolution", "a Resolution given replaces the counts model's choice", Options{Model: ModelCounts, Resolution: 5}, ModelCounts, true, true, 5, ""},
		{"custom", "LogScale without Model builds the model by hand: the fields as given (no pooling, no floor)", Options{LogScale: true}, ModelCustom, true, false, 0, ""},
		{"auto with resolution", "Resolution alone does not stop the choice: counts, with the given step", Options{Resolution: 3}, ModelCounts, true, true, 3, ""},
		{"linear and log scale", "ModelLinear sets the scale: LogScale with it is a conflict", Options{Model: ModelLinear, LogScale: true}, 0, false, false, 0, "sets LogScale itself"},
		{"counts and pool days", "ModelCounts pools over the days itself: PoolDays with it is a conflict", Options{Model: ModelCounts, PoolDays: true}, 0, false, false, 0, "sets PoolDays itself"},
		{"unknown model", "a Model out of range is refused", Options{Model: Model(9)}, 0, false, false, 0, "want ModelAuto"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Judge(hist, cur, c.opts, DeviationRule{})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("%s: err %v, want %q", c.reason, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", c.reason, err)
			}
			b := rep.Baseline
			o := b.Options()
			if b.Model != c.want || o.LogScale != c.log || o.PoolDays != c.pool || o.Resolution != c.res {
				t.Errorf("%s: model %v (%s), LogScale %v, PoolDays %v, Resolution %v; want %v, %v, %v, %v",
					c.reason, b.Model, b.ModelReason, o.LogScale, o.PoolDays, o.Resolution, c.want, c.log, c.pool, c.res)
			}
		})
	}
	// ModelCounts on a negative history: the log scale refuses it and says
	// what to use instead.
	neg, _ := modelData(func(i int) float64 { return cycle(i) - 50 })
	if _, err := New(neg, Options{Model: ModelCounts}); err == nil || !strings.Contains(err.Error(), "--model linear") {
		t.Errorf("ModelCounts on negative values: err %v, want a pointer to the linear model", err)
	}
	if m, err := ParseModel("poisson"); err == nil {
		t.Errorf("ParseModel(poisson) = %v, want an error", m)
	}
	for _, m := range []Model{ModelAuto, ModelLinear, ModelCounts} {
		if got, err := ParseModel(m.String()); err != nil || got != m {
			t.Errorf("ParseModel(%q) = %v, %v", m.String(), got, err)
		}
	}
}

// TestModelUnitFree checks that the counts model judges a rate of counts
// as it judges the counts: with the resolution chosen for the rate (one
// count a step, 1/300), log(1 + (x/300)/(1/300)) = log(1 + x), so every
// score is the same up to rounding, and Band and Center are the counts'
// divided by 300. The scores need not be exactly equal: the chosen step
// is a difference of two floats, within an ulp of 1/300.
func TestModelUnitFree(t *testing.T) {
	hist, cur := modelData(cycle)
	cur.V[10] *= 3 // a surge, so that some scores are large
	scale := func(s series.Series) series.Series {
		out := s
		out.V = make([]float64, len(s.V))
		for i, v := range s.V {
			out.V[i] = v / 300
		}
		return out
	}
	a, err := Judge(hist, cur, Options{}, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Judge(scale(hist), scale(cur), Options{}, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	sa, sb := a.Baseline.Scores(cur), b.Baseline.Scores(scale(cur))
	for i := range sa {
		approx.Close(t, "score", sb[i], sa[i], 1e-9, 1e-12)
	}
	for s := range a.Baseline.Slots {
		approx.Close(t, "centre", b.Baseline.Slots[s].Center, a.Baseline.Slots[s].Center/300, 1e-9, 1e-12)
		_, hiA := a.Baseline.Band(s, 4)
		_, hiB := b.Baseline.Band(s, 4)
		approx.Close(t, "band", hiB, hiA/300, 1e-9, 1e-12)
	}
	if len(a.Check.Deviations) != len(b.Check.Deviations) {
		t.Errorf("%d deviations on the counts, %d on the rate", len(a.Check.Deviations), len(b.Check.Deviations))
	}
}

// TestCalibrateWithResolution checks that the held-out shortcut of
// Calibrate (13 weeks or more) is not taken when a Resolution floors the
// spread, which its shared bounds do not know: every week's alarms must
// equal the rebuild's. The data are counts that mostly repeat (spread 0
// without the floor), so the floor decides many points.
func TestCalibrateWithResolution(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	h := makeSeries(end.AddDate(0, 0, -7*14), end, time.Hour, func(time.Time) float64 {
		v := 10.0
		if rng.IntN(6) == 0 {
			v += float64(rng.IntN(3)) // 10, 11 or 12 one hour in six
		}
		return v
	})
	b, err := New(h, Options{Model: ModelLinear, Weeks: 14, Resolution: 1})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := DeviationRule{Z: 1, Persistence: 1}.withDefaults()
	got, err := b.calibrateWeeks(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	for k := range b.vals {
		if want := b.rebuildWeek(k, r); got[k] != want {
			t.Errorf("week %d: calibrated %+v, rebuilt %+v", k, got[k], want)
		}
	}
}

// TestModelReportKeys checks the JSON's model and model_reason.
func TestModelReportKeys(t *testing.T) {
	hist, cur := modelData(cycle)
	rep, err := Judge(hist, cur, Options{}, DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	js, err := rep.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"model":"counts"`, `"model_reason":"auto: every value a whole number, none below 0"`, `"log_scale":true`, `"pool_days":true`, `"resolution":1`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("JSON lacks %s: %s", want, js)
		}
	}
	var buf strings.Builder
	if err := rep.WriteText(&buf); err != nil || !strings.Contains(buf.String(), "model counts (auto: every value a whole number, none below 0)") {
		t.Errorf("text lacks the model: %v\n%s", err, buf.String())
	}
}

// TestModelConflicts: the fields set by hand that the model sets itself,
// the one rule New and chaosstat baseline's flag check share. By the
// definitions of the models: linear and counts set LogScale and PoolDays,
// auto and custom take them as given.
func TestModelConflicts(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Model: ModelCounts, LogScale: true, PoolDays: true}, "LogScale,PoolDays"},
		{Options{Model: ModelLinear, PoolDays: true}, "PoolDays"},
		{Options{Model: ModelCounts}, ""},
		{Options{Model: ModelAuto, LogScale: true, PoolDays: true}, ""},
		{Options{Model: ModelCustom, LogScale: true}, ""},
	} {
		if got := strings.Join(c.o.ModelConflicts(), ","); got != c.want {
			t.Errorf("%v with LogScale %v, PoolDays %v: conflicts %q, want %q", c.o.Model, c.o.LogScale, c.o.PoolDays, got, c.want)
		}
	}
}
