package accuracy

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
	"gonum.org/v1/gonum/stat/distuv"
)

// Outcome is one run of a method and of its plain baseline on one draw.
type Outcome struct {
	// Alarm: the method flagged the draw (a failing metric, a stop, a
	// deviation, a passing correlation criterion); for a draw with the
	// effect planted, flagged it as the effect (the judge's Low, the
	// monitor's stop by its test within 10 minutes of the drop).
	Alarm bool
	// Plain: the sceptic's plain method flagged it.
	Plain bool
	// Other counts an outcome worth a note (the judge's NoData, the
	// monitor's blind stop or inconclusive end, the baseline's warning).
	Other bool
}

// Method is one of the matrix's methods: what it calls and how a run on
// a shape, with or without the planted effect, is judged.
type Method struct {
	// Name is the method's name in the matrix; Plain the sceptic's
	// method beside it; OtherNote names what Outcome.Other counts.
	Name, Plain, OtherNote string
	// Alpha is the false-alarm rate the method claims (0: none claimed).
	Alpha float64
	// Run draws one run of shape s from rng and judges it.
	Run func(s Shape, rng *rand.Rand, effect bool) Outcome
}

// JudgeMinutes is the length of a judged run; the judge's drop is 15%
// over its second half (minutes 30 to 59).
const JudgeMinutes = 60

// JudgeMetric is the metric the judge judges: the defaults (direction
// either, tolerance 0: any significant change fails it), so that an A/A
// run's failing classification is a false alarm.
var JudgeMetric = steadystate.Metric{Name: "throughput"}

// JudgeMethod judges a control and an experiment of JudgeMinutes with
// steadystate.Judge (the time-series test, as AutoTest picks it for two
// timed series), one metric at the defaults. With the effect, a hit is
// classification Low. Plain: Mann-Whitney on the values as independent
// samples, p <= 0.05 (and the experiment's median lower, with the effect).
var JudgeMethod = Method{
	Name: "judge", Plain: "Mann-Whitney, points independent", OtherNote: "nodata or error", Alpha: 0.05,
	Run: func(s Shape, rng *rand.Rand, effect bool) Outcome {
		var d Drop
		if effect {
			d = Drop{From: JudgeMinutes / 2, To: JudgeMinutes, Size: 0.15}
		}
		ctl, exp := s.Pair(rng, s.runStart(0, 30*time.Minute), JudgeMinutes, d)
		if !s.OffGrid {
			return judgePair(ctl, exp, effect)
		}
		// Off the grid the time-series test refuses the pair and says to
		// resample both to a common step: Other counts that refusal, and the
		// run is judged as the error advises (series.Resample, mean).
		raw := judgePair(ctl, exp, effect)
		o := judgePair(onGrid(ctl), onGrid(exp), effect)
		o.Other = raw.Other
		return o
	},
}

// JudgeHistoryMinutes is the history JudgeHistoryMethod gives the judge:
// the groups' A/A minutes right before the judged run
// (compare.MinHistoryChecked, eight hours; four held alpha on every shape
// but AR(1) ρ 0.95, 0.077 at seed 14).
const JudgeHistoryMinutes = compare.MinHistoryChecked

// JudgeHistoryMethod is JudgeMethod with the groups' JudgeHistoryMinutes
// before the run as steadystate.Data's HistoryControl and
// HistoryExperiment (JudgeWithHistory).
var JudgeHistoryMethod = JudgeWithHistory(JudgeHistoryMinutes)

// JudgeWithHistory is JudgeMethod with the groups' h minutes before the
// run as steadystate.Data's HistoryControl and HistoryExperiment (the
// same shape drawn for h + JudgeMinutes and split; the drop, with the
// effect, over the run's second half). Off the grid both parts are
// resampled as for JudgeMethod. Plain is JudgeMethod's, on the run. Its
// name says the history's length in hours ("judge, 4 h history").
func JudgeWithHistory(h int) Method {
	return Method{
		Name:  fmt.Sprintf("judge, %s h history", strconv.FormatFloat(float64(h)/60, 'f', -1, 64)),
		Plain: JudgeMethod.Plain, OtherNote: JudgeMethod.OtherNote, Alpha: 0.05,
		Run: func(s Shape, rng *rand.Rand, effect bool) Outcome {
			var d Drop
			if effect {
				d = Drop{From: h + JudgeMinutes/2, To: h + JudgeMinutes, Size: 0.15}
			}
			start := s.runStart(0, 30*time.Minute).Add(-time.Duration(h) * time.Minute)
			ctl, exp := s.Pair(rng, start, h+JudgeMinutes, d)
			if s.OffGrid {
				ctl, exp = onGrid(ctl), onGrid(exp)
			}
			cut := start.Add(time.Duration(h) * time.Minute).UnixMilli()
			end := start.Add(time.Duration(h+JudgeMinutes) * time.Minute).UnixMilli()
			data := steadystate.Data{
				Control: ctl.Window(cut, end), Experiment: exp.Window(cut, end),
				HistoryControl: ctl.Window(start.UnixMilli(), cut), HistoryExperiment: exp.Window(start.UnixMilli(), cut),
			}
			return judgeData(data, effect)
		},
	}
}

// onGrid resamples s to one minute by the mean, as the judge's error for
// series off a common grid advises.
func onGrid(s series.Series) series.Series {
	r, err := s.Resample(time.Minute, series.Mean)
	if err != nil {
		panic(err)
	}
	return r
}

func judgePair(ctl, exp series.Series, effect bool) Outcome {
	return judgeData(steadystate.Data{Control: ctl, Experiment: exp}, effect)
}

// judgeData judges one metric's data with JudgeMetric, and runs the plain
// Mann-Whitney on its control and experiment.
func judgeData(d steadystate.Data, effect bool) Outcome {
	ctl, exp := d.Control, d.Experiment
	v, err := steadystate.Judge(steadystate.Hypothesis{Name: "accuracy", Metrics: []steadystate.Metric{JudgeMetric}},
		[]steadystate.Data{d})
	var o Outcome
	if err == nil {
		c := v.Metrics[0].Classification
		o.Alarm = (!effect && c.Failing()) || (effect && c == steadystate.Low)
		o.Other = c == steadystate.NoData || c == steadystate.Errored
	}
	e, c := exp.Present(), ctl.Present()
	if m, err := compare.MannWhitneyU(e, c, compare.Options{NoShift: true}); err == nil && m.P <= 0.05 {
		o.Plain = !effect || median(e) < median(c)
	}
	return o
}

func median(x []float64) float64 {
	y := slices.Clone(x)
	slices.Sort(y)
	if len(y) == 0 {
		return math.NaN()
	}
	if len(y)%2 == 1 {
		return y[len(y)/2]
	}
	return (y[len(y)/2-1] + y[len(y)/2]) / 2
}

// The monitor's runs: an A/A replay of MonitorLooks looks (six hours, the
// default horizon), and a replay of MonitorDropAt+10 looks with a 15% drop
// from look MonitorDropAt, caught when the test stops it at one of the
// ten looks from the drop's start on.
const (
	MonitorLooks  = 360
	MonitorDropAt = 20
)

// MonitorConfig is the monitor of the matrix: the defaults (alpha 0.05,
// horizon 360, burn-in 10, no guardrails, the log-ratio scale) with
// direction decrease, one-sided. For counts with zeros the log ratio
// cannot judge a zero (the monitor leaves such pairs out, warns, and its
// no-data rule stops a feed of mostly zeros as blind), so the counts
// shape is replayed on the difference scale, as the monitor's warning
// advises.
func MonitorConfig(s Shape) monitor.Config {
	cfg := monitor.Config{Direction: steadystate.Decrease}
	if s.Counts > 0 {
		cfg.Scale = monitor.Difference
	}
	return cfg
}

// MonitorMethod replays a shape's control and experiment through
// monitor.New(MonitorConfig(s)).Replay. A/A: any stop is a false alarm
// (Other counts the stops for no data, and runs that ended inconclusive).
// With the effect: caught when its test stopped at a look from
// MonitorDropAt to MonitorDropAt+9. Plain: the fixed-horizon test at the
// last look, a one-sided paired t on the per-minute log ratios (the
// differences for counts) treating the points as independent, at 0.05.
var MonitorMethod = Method{
	Name: "monitor", Plain: "fixed-horizon paired t at the end, points independent", OtherNote: "blind or inconclusive", Alpha: 0.05,
	Run: func(s Shape, rng *rand.Rand, effect bool) Outcome {
		looks, d := MonitorLooks, Drop{}
		if effect {
			looks, d = MonitorDropAt+10, Drop{From: MonitorDropAt, To: MonitorDropAt + 10, Size: 0.15}
		}
		start := s.runStart(12, 3*time.Hour)
		if effect {
			start = s.runStart(12, 15*time.Minute)
		}
		ctl, exp := s.Pair(rng, start, looks, d)
		dropAt := start.UnixMilli() + MonitorDropAt*60_000
		if !s.OffGrid {
			return monitorPair(MonitorConfig(s), ctl, exp, effect, dropAt, 10*60_000)
		}
		// Off the grid no look holds both groups: the replay pairs
		// nothing and ends inconclusive (Other); the run is judged on the
		// groups resampled to one minute, as a replay of such feeds needs.
		raw := monitorPair(MonitorConfig(s), ctl, exp, effect, dropAt, 10*60_000)
		o := monitorPair(MonitorConfig(s), onGrid(ctl), onGrid(exp), effect, dropAt, 10*60_000)
		o.Other = raw.Other
		return o
	},
}

// MonitorPrimedMethod is MonitorMethod primed with the groups'
// JudgeHistoryMinutes before the replay (MonitorPrimed): the history a
// team gives the judge, given to the monitor.
var MonitorPrimedMethod = MonitorPrimed(JudgeHistoryMinutes)

// MonitorPrimed is MonitorMethod with the monitor primed (Monitor.Prime)
// with the groups' h minutes before the replay (the same shape drawn for
// h more minutes and split), as a team that has the groups' A/A hours
// before the fault does; the drop, the looks and the plain method are
// MonitorMethod's. Off the grid both parts are resampled to one minute.
// Its name says the history's length in hours ("monitor, primed 8 h").
func MonitorPrimed(h int) Method {
	return Method{
		Name:  fmt.Sprintf("monitor, primed %s h", strconv.FormatFloat(float64(h)/60, 'f', -1, 64)),
		Plain: MonitorMethod.Plain, OtherNote: MonitorMethod.OtherNote, Alpha: MonitorMethod.Alpha,
		Run: func(s Shape, rng *rand.Rand, effect bool) Outcome {
			looks, d := MonitorLooks, Drop{}
			start := s.runStart(12, 3*time.Hour)
			if effect {
				looks, d = MonitorDropAt+10, Drop{From: h + MonitorDropAt, To: h + MonitorDropAt + 10, Size: 0.15}
				start = s.runStart(12, 15*time.Minute)
			}
			from := start.Add(-time.Duration(h) * time.Minute)
			ctl, exp := s.Pair(rng, from, h+looks, d)
			if s.OffGrid {
				ctl, exp = onGrid(ctl), onGrid(exp)
			}
			cut := start.UnixMilli()
			hc, he := ctl.Window(from.UnixMilli(), cut), exp.Window(from.UnixMilli(), cut)
			ctl, exp = ctl.Window(cut, math.MaxInt64), exp.Window(cut, math.MaxInt64)
			return monitorPrimedPair(MonitorConfig(s), hc, he, ctl, exp, effect, cut+MonitorDropAt*60_000, 10*60_000)
		},
	}
}

// monitorPair replays ctl and exp; with effect, a stop by the test counts
// when its look's time is in the window ms from dropAt (Unix ms) on.
func monitorPair(cfg monitor.Config, ctl, exp series.Series, effect bool, dropAt, window int64) Outcome {
	return monitorPrimedPair(cfg, series.Series{}, series.Series{}, ctl, exp, effect, dropAt, window)
}

// monitorPrimedPair is monitorPair with the monitor primed with the
// histories hc and he first (paired by position: the same grid), when
// they have points.
func monitorPrimedPair(cfg monitor.Config, hc, he, ctl, exp series.Series, effect bool, dropAt, window int64) Outcome {
	var o Outcome
	m, err := monitor.New(cfg)
	if err != nil {
		panic(err)
	}
	if hc.Len() > 0 {
		if err := m.Prime(hc.V, he.V); err != nil {
			panic(err)
		}
	}
	run, err := m.Replay(ctl, exp, monitor.ReplayOptions{LastOnly: true})
	if err == nil && len(run.Decisions) > 0 {
		last := run.Decisions[len(run.Decisions)-1]
		if run.Outcome == monitor.Stopped {
			if !effect {
				o.Alarm = true
				o.Other = last.Cause == monitor.CauseNoData
			} else {
				o.Alarm = last.Cause == monitor.CauseTest && last.T >= dropAt && last.T < dropAt+window
			}
		}
		if run.Outcome == monitor.Inconclusive {
			o.Other = true
		}
	}
	o.Plain = fixedHorizon(ctl, exp, cfg.Scale == monitor.Difference)
	return o
}

// fixedHorizon is the plain one-sided paired t at the end of the run:
// the mean log ratio (or difference) below 0 at 0.05, the pairs treated
// as independent. Pairs are matched by timestamp; a missing or
// non-positive value drops its pair.
func fixedHorizon(ctl, exp series.Series, diff bool) bool {
	at := make(map[int64]float64, len(ctl.T))
	for i, t := range ctl.T {
		at[t] = ctl.V[i]
	}
	var x []float64
	for i, t := range exp.T {
		c, ok := at[t]
		e := exp.V[i]
		if !ok || math.IsNaN(c) || math.IsNaN(e) {
			continue
		}
		if diff {
			x = append(x, e-c)
		} else if c > 0 && e > 0 {
			x = append(x, math.Log(e/c))
		}
	}
	n := float64(len(x))
	if n < 3 {
		return false
	}
	var s, s2 float64
	for _, v := range x {
		s += v
	}
	mean := s / n
	for _, v := range x {
		s2 += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(s2 / (n - 1))
	if sd == 0 {
		return mean < 0
	}
	tt := mean / (sd / math.Sqrt(n))
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.CDF(tt) <= 0.05
}

// The baseline's runs: BaselineWeeks weeks of history (the default,
// baseline.DefaultWeeks) at BaselineStep, then the current day; the drop
// is 15% for BaselineDropMinutes from local noon.
const (
	BaselineWeeks       = baseline.DefaultWeeks
	BaselineStep        = 5 * time.Minute
	BaselineDropMinutes = 120
)

// BaselineMethod returns the week-over-week baseline run with opts
// (baseline.Evaluate with the default rule, z 4 and persistence 5): a
// false alarm is a deviation on an ordinary current day, a hit one on a
// day with the drop. The shape's time zone is set as a user would set
// it. Plain: the per-slot median/MAD band of the weeks' values at the
// same wall-clock time of week (1.4826·MAD), flagged by the same rule.
func BaselineMethod(name string, opts baseline.Options) Method {
	return Method{
		Name: name, Plain: "per-slot median/MAD band", OtherNote: "error",
		Run: func(s Shape, rng *rand.Rand, effect bool) Outcome {
			var d Drop
			if effect {
				from := int(s.Start(12).Sub(s.Start(0)).Minutes())
				d = Drop{From: from, To: from + BaselineDropMinutes, Size: 0.15}
			}
			hist, cur := s.History(rng, BaselineWeeks, BaselineStep, d)
			o := opts
			o.Location = s.Location()
			return baselineDay(hist, cur, o)
		},
	}
}

// BaselineDefault and BaselineCounts are the baseline at its defaults,
// what `chaosstat baseline` runs (Options.Model auto: the counts model
// where no value of the history's weeks or of the day is below 0, else
// the linear model, chosen per run), and with the counts model built by
// hand (LogScale, PoolDays, Resolution 1).
var (
	BaselineDefault = BaselineMethod("baseline", baseline.Options{})
	BaselineCounts  = BaselineMethod("baseline, counts", baseline.Options{LogScale: true, PoolDays: true, Resolution: 1})
	baselineOptions = map[string]baseline.Options{
		"baseline":         {},
		"baseline, counts": {LogScale: true, PoolDays: true, Resolution: 1},
	}
)

func baselineDay(hist, cur series.Series, opts baseline.Options) Outcome {
	var o Outcome
	rep, err := baseline.Evaluate(hist, cur, opts, baseline.DeviationRule{})
	if err != nil {
		o.Other = true
	} else {
		o.Alarm = rep.Deviated()
	}
	o.Plain = plainBand(hist, cur, opts.Location, opts.Weeks)
	return o
}

// plainBand is the sceptic's band: for each current point, the values of
// the same wall-clock time of week in each of the last weeks weeks
// (default BaselineWeeks), centre their median, spread 1.4826·MAD about
// it; flagged when 5 consecutive present points lie more than 4 spreads
// out on the same side (a zero spread: any other value is out).
func plainBand(hist, cur series.Series, loc *time.Location, weeks int) bool {
	if weeks == 0 {
		weeks = BaselineWeeks
	}
	if loc == nil {
		loc = time.UTC
	}
	byWall := make(map[int64]float64, len(hist.T))
	wall := func(t int64) int64 {
		l := time.UnixMilli(t).In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).UnixMilli()
	}
	for i, t := range hist.T {
		if !math.IsNaN(hist.V[i]) {
			byWall[wall(t)] = hist.V[i]
		}
	}
	run, side := 0, 0
	vals := make([]float64, 0, weeks)
	for i, t := range cur.T {
		v := cur.V[i]
		if math.IsNaN(v) {
			continue
		}
		w := wall(t)
		vals = vals[:0]
		for k := 1; k <= weeks; k++ {
			if x, ok := byWall[w-int64(k)*7*86_400_000]; ok {
				vals = append(vals, x)
			}
		}
		s := 0
		if len(vals) >= 3 {
			c := median(vals)
			dev := make([]float64, len(vals))
			for j, x := range vals {
				dev[j] = math.Abs(x - c)
			}
			sp := baseline.MADScale * median(dev)
			switch {
			case v > c+4*sp && v != c:
				s = 1
			case v < c-4*sp && v != c:
				s = -1
			}
		}
		if s != 0 && s == side {
			run++
		} else if s != 0 {
			run, side = 1, s
		} else {
			run, side = 0, 0
		}
		if run >= 5 {
			return true
		}
	}
	return false
}

// CriteriaMethod evaluates the correlation criterion with
// criteria.EvaluateAll at its defaults (deseasonalised Spearman, lags to
// ±15 minutes, |r| >= 0.5 at p <= 0.05 corrected for autocorrelation and
// the lag search) on a shape's satisfaction and metric. A false alarm is
// a passing correlation for an unrelated metric, a hit a pass for the
// incident-only relation. Plain: Pearson of the raw levels at lag 0 with
// its naive p-value (points independent), |r| >= 0.5 at p <= 0.05.
var CriteriaMethod = Method{
	Name: "criteria correlation", Plain: "Pearson of raw levels, points independent", OtherNote: "error", Alpha: 0.05,
	Run: func(s Shape, rng *rand.Rand, effect bool) Outcome {
		sat, m := s.Criteria(rng, effect)
		var o Outcome
		now := time.UnixMilli(sat.T[len(sat.T)-1]).Add(30 * time.Second)
		rep, err := criteria.EvaluateAll(sat, []criteria.Candidate{{Name: "metric", Series: m}}, now, criteria.Options{})
		if err != nil {
			o.Other = true
		} else {
			o.Alarm = rep.Metrics[0].Correlation.Pass
		}
		// Raw levels at lag 0: the points at the same minute (the metric's
		// off-grid stamps rounded down to theirs).
		var x, y []float64
		for i := range sat.T {
			if !math.IsNaN(m.V[i]) {
				x, y = append(x, sat.V[i]), append(y, m.V[i])
			}
		}
		if r, err := compare.PearsonR(x, y, compare.CorrelationOptions{}); err == nil {
			o.Plain = math.Abs(r.Coefficient) >= 0.5 && r.P <= 0.05
		}
		return o
	},
}
