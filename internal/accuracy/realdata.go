package accuracy

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// Real is one real series the matrix uses as A/A material: its values,
// its wall clock, and the days that are not ordinary (known events,
// holidays, labelled anomaly windows), which no A/A run uses.
type Real struct {
	// Name is the data's name in the matrix ("NYC taxi", "NAB AAPL").
	Name string
	// Series is the data as read.
	Series series.Series
	// Location is the wall clock of its days and weekly cycle.
	Location *time.Location
	// Step is its sampling interval.
	Step time.Duration
	// Excluded holds the local dates ("2006-01-02") left out.
	Excluded map[string]bool
}

// TaxiExcluded are the NYC taxi days that are not ordinary: the six known
// event days and the five holidays of the data's README
// (steadystate/baseline/testdata/README.md).
var TaxiExcluded = []string{
	"2014-11-02", "2014-11-27", "2014-12-25", "2015-01-01", "2015-01-26", "2015-01-27", // events
	"2014-07-04", "2014-09-01", "2014-10-13", "2014-11-11", "2014-10-31", // holidays
}

// NABSeries are the five NAB Twitter-volume series shipped in
// steadystate/baseline/testdata/nab.
var NABSeries = []string{"AAPL", "AMZN", "CRM", "CVS", "FB"}

// LoadReal reads the real data of the matrix from dir (the repository's
// steadystate/baseline/testdata): the NYC taxi passengers per 30 minutes
// (America/New_York) and the five NAB Twitter-volume series (5 minutes,
// UTC), each with the days no A/A run may use (for NAB, every UTC day
// that overlaps a labelled anomaly window of labels.json).
func LoadReal(dir string) ([]Real, error) {
	taxi, err := series.ReadFile(filepath.Join(dir, "nyc_taxi.csv"), nil)
	if err != nil {
		return nil, err
	}
	out := []Real{{Name: "NYC taxi", Series: taxi, Location: NewYork, Step: 30 * time.Minute, Excluded: set(TaxiExcluded)}}
	raw, err := os.ReadFile(filepath.Join(dir, "nab", "labels.json"))
	if err != nil {
		return nil, err
	}
	var labels map[string]struct {
		Windows [][2]time.Time `json:"anomaly_windows"`
	}
	if err := json.Unmarshal(raw, &labels); err != nil {
		return nil, fmt.Errorf("nab/labels.json: %w", err)
	}
	for _, name := range NABSeries {
		file := "twitter_volume_" + name + ".csv"
		s, err := series.ReadFile(filepath.Join(dir, "nab", file), nil)
		if err != nil {
			return nil, err
		}
		ex := map[string]bool{}
		for _, w := range labels[file].Windows {
			for d := w[0].UTC().Truncate(24 * time.Hour); d.Before(w[1]); d = d.Add(24 * time.Hour) {
				ex[d.Format(time.DateOnly)] = true
			}
		}
		out = append(out, Real{Name: "NAB " + name, Series: s, Location: time.UTC, Step: 5 * time.Minute, Excluded: ex})
	}
	return out, nil
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// day is one local day of a real series.
type day struct {
	start, end time.Time // local midnight to the next
}

// days returns the local days of r that are ordinary and complete (every
// step of the day present), and whose day weeksBack weeks before (for
// weeksBack > 0) is too, the first back days left out so that a history
// of back days exists.
func (r Real) days(weeksBack int, back int) []day {
	s := r.Series
	if len(s.T) == 0 {
		return nil
	}
	first := time.UnixMilli(s.T[0]).In(r.Location)
	last := time.UnixMilli(s.T[len(s.T)-1]).In(r.Location)
	d0 := time.Date(first.Year(), first.Month(), first.Day()+1, 0, 0, 0, 0, r.Location)
	var out []day
	for d := d0.AddDate(0, 0, back); ; d = d.AddDate(0, 0, 1) {
		next := d.AddDate(0, 0, 1)
		if next.After(last) {
			break
		}
		ok := r.ordinary(d)
		for k := 1; ok && k <= weeksBack; k++ {
			ok = r.ordinary(d.AddDate(0, 0, -7*k))
		}
		if ok {
			out = append(out, day{d, next})
		}
	}
	return out
}

// ordinary reports whether local day d is not excluded and complete.
func (r Real) ordinary(d time.Time) bool {
	if r.Excluded[d.Format(time.DateOnly)] {
		return false
	}
	w := r.Series.Window(d.UnixMilli(), d.AddDate(0, 0, 1).UnixMilli())
	want := int(d.AddDate(0, 0, 1).Sub(d) / r.Step)
	return len(w.Present()) >= want-1 // the source folds the repeated DST hour
}

// weekPair returns day d as the experiment and, as the control, the values
// of the same wall-clock times a week before on the experiment's
// timestamps (so the groups pair), NaN where the week before has none.
func (r Real) weekPair(d day) (ctl, exp series.Series) {
	exp = r.Series.Window(d.start.UnixMilli(), d.end.UnixMilli())
	exp.Name = "experiment"
	back := map[int64]float64{}
	prev := r.Series.Window(d.start.AddDate(0, 0, -7).UnixMilli(), d.end.AddDate(0, 0, -7).UnixMilli())
	for i, t := range prev.T {
		back[wallKey(t, r.Location)] = prev.V[i]
	}
	ctl = series.Series{Name: "control", T: slices.Clone(exp.T), V: make([]float64, len(exp.T))}
	for i, t := range exp.T {
		v, ok := back[wallKey(time.UnixMilli(t).AddDate(0, 0, -7).UnixMilli(), r.Location)]
		if !ok {
			v = math.NaN()
		}
		ctl.V[i] = v
	}
	return ctl, exp
}

// wallKey is t's local wall-clock time, as a UTC instant.
func wallKey(t int64, loc *time.Location) int64 {
	l := time.UnixMilli(t).In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).UnixMilli()
}

// thin plants a drop of size in the counts of s from local time from
// (inclusive) to to (exclusive) by binomial thinning: each count is kept
// with probability 1 − size, so the thinned series is what the source
// would have counted had that share of its events been lost.
func thin(rng *rand.Rand, s series.Series, from, to time.Time, size float64) series.Series {
	out := s
	out.V = slices.Clone(s.V)
	for i, t := range s.T {
		if t < from.UnixMilli() || t >= to.UnixMilli() || math.IsNaN(s.V[i]) {
			continue
		}
		out.V[i] = binomial(rng, s.V[i], 1-size)
	}
	return out
}

// binomial draws Binomial(n, p): exactly for n <= 100, by the normal
// approximation (rounded, clamped to [0, n]) above.
func binomial(rng *rand.Rand, n, p float64) float64 {
	n = math.Round(n)
	if n <= 100 {
		k := 0.0
		for range int(n) {
			if rng.Float64() < p {
				k++
			}
		}
		return k
	}
	return math.Min(n, math.Max(0, math.Round(n*p+math.Sqrt(n*p*(1-p))*rng.NormFloat64())))
}

// The real-data cells. Each A/A run is one ordinary day; each power run the
// same day with a planted drop by thinning (one draw per day).

// RealJudgeCell judges each ordinary day of r (experiment) against the
// same hours a week before (control; both ordinary), with steadystate.Judge
// as JudgeMethod does; the drop is 15% over the day's second half (local
// noon to midnight).
func RealJudgeCell(r Real) Cell {
	days := r.days(1, 0)
	return Cell{Method: JudgeMethod.Name, Plain: JudgeMethod.Plain, OtherNote: JudgeMethod.OtherNote, Alpha: JudgeMethod.Alpha, Shape: r.Name, Runs: len(days),
		AA: func(i int, _ *rand.Rand) Outcome {
			ctl, exp := r.weekPair(days[i])
			return judgePair(ctl, exp, false)
		},
		Effect: func(i int, rng *rand.Rand) Outcome {
			ctl, exp := r.weekPair(days[i])
			d := days[i]
			return judgePair(ctl, thin(rng, exp, d.start.Add(12*time.Hour), d.end, 0.15), true)
		}}
}

// RealJudgeHistoryCell is RealJudgeCell with a history, as method m (a
// JudgeWithHistory) names it: the pairs steps before each day (the same
// number of pairs as the synthetic runs' minutes, so 10 days of the
// taxi's half hours, 40 hours of NAB's 5 minutes), paired with the same
// wall-clock times a week before as the day is, as steadystate.Data's
// HistoryExperiment and HistoryControl. The history may hold event days,
// as a real one does. Days whose history, or the week before it, lacks
// more than a tenth of its points are left out, as the synthetic runs
// have whole histories.
func RealJudgeHistoryCell(r Real, m Method, pairs int) Cell {
	days := r.historyDays(pairs)
	data := func(d day) steadystate.Data { return r.historyData(d, pairs) }
	return Cell{Method: m.Name, Plain: m.Plain, OtherNote: m.OtherNote, Alpha: m.Alpha, Shape: r.Name, Runs: len(days),
		AA: func(i int, _ *rand.Rand) Outcome { return judgeData(data(days[i]), false) },
		Effect: func(i int, rng *rand.Rand) Outcome {
			d := data(days[i])
			d.Experiment = thin(rng, d.Experiment, days[i].start.Add(12*time.Hour), days[i].end, 0.15)
			return judgeData(d, true)
		}}
}

// RealMonitorConfig is MonitorConfig for real data: the defaults,
// direction decrease, with MaxGap three steps (the default of 5 minutes
// must be longer than the feed's step, which the real data's 5 and 30
// minutes are not), and, for data with zeros (the NAB counts), the
// difference scale, as for the counts shape.
func RealMonitorConfig(r Real) monitor.Config {
	cfg := monitor.Config{Direction: steadystate.Decrease, MaxGap: 3 * r.Step}
	if slices.Contains(r.Series.V, 0) {
		cfg.Scale = monitor.Difference
	}
	return cfg
}

// RealMonitorCell replays each ordinary day of r against the same hours a
// week before through the monitor (RealMonitorConfig): A/A, the whole day
// from local midnight; with the effect, as the synthetic runs, 30 looks
// from 20 steps before local noon with a 15% drop from noon, caught when
// the test stops within 10 looks of noon (50 minutes of NAB's 5-minute
// points, five hours of the taxi's 30-minute ones).
func RealMonitorCell(r Real) Cell {
	days := r.days(1, 0)
	cfg := RealMonitorConfig(r)
	return Cell{Method: MonitorMethod.Name, Plain: MonitorMethod.Plain, OtherNote: MonitorMethod.OtherNote, Alpha: MonitorMethod.Alpha, Shape: r.Name, Runs: len(days),
		AA: func(i int, _ *rand.Rand) Outcome {
			ctl, exp := r.weekPair(days[i])
			return monitorPair(cfg, ctl, exp, false, 0, 0)
		},
		Effect: func(i int, rng *rand.Rand) Outcome {
			ctl, exp := r.weekPair(days[i])
			noon := days[i].start.Add(12 * time.Hour)
			from, to := noon.Add(-20*r.Step).UnixMilli(), noon.Add(10*r.Step).UnixMilli()
			ctl, exp = ctl.Window(from, to), thin(rng, exp.Window(from, to), noon, noon.Add(10*r.Step), 0.15)
			return monitorPair(cfg, ctl, exp, true, noon.UnixMilli(), 10*r.Step.Milliseconds())
		}}
}

// historyDays returns the days of r.days(1, 0) whose pairs steps before,
// and the same times a week before, each lack at most a tenth of their
// points (RealJudgeHistoryCell's days).
func (r Real) historyDays(pairs int) []day {
	var days []day
	for _, d := range r.days(1, 0) {
		hd := r.historyData(d, pairs)
		if len(hd.HistoryExperiment.Present()) >= pairs*9/10 && len(hd.HistoryControl.Present()) >= pairs*9/10 {
			days = append(days, d)
		}
	}
	return days
}

// historyData is day d against the week before (weekPair), with the pairs
// steps before both as the history.
func (r Real) historyData(d day, pairs int) steadystate.Data {
	ctl, exp := r.weekPair(d)
	hc, he := r.weekPair(day{d.start.Add(-time.Duration(pairs) * r.Step), d.start})
	return steadystate.Data{Control: ctl, Experiment: exp, HistoryControl: hc, HistoryExperiment: he}
}

// RealMonitorPrimedCell is RealMonitorCell with the monitor primed, as
// method m (a MonitorPrimed) names it: with the pairs steps before each
// replay (before the day for A/A, before the first look for the drop),
// paired with the same wall-clock times a week before as the replay is
// (10 days of the taxi's half hours, 40 hours of NAB's 5 minutes). Prime
// takes one entry a step, so days whose history lacks a timestamp (of
// either replay), or whose history a week before lacks a tenth of its
// values, are left out; a value missing a week before is NaN, which
// Prime skips.
func RealMonitorPrimedCell(r Real, m Method, pairs int) Cell {
	cfg := RealMonitorConfig(r)
	back := time.Duration(pairs) * r.Step
	history := func(at time.Time) (hc, he series.Series, ok bool) {
		hc, he = r.weekPair(day{at.Add(-back), at})
		return hc, he, he.Len() == pairs && len(hc.Present()) >= pairs*9/10
	}
	var days []day
	for _, d := range r.days(1, 0) {
		noon := d.start.Add(12 * time.Hour)
		_, _, ok1 := history(d.start)
		_, _, ok2 := history(noon.Add(-MonitorDropAt * r.Step))
		if ok1 && ok2 {
			days = append(days, d)
		}
	}
	return Cell{Method: m.Name, Plain: m.Plain, OtherNote: m.OtherNote, Alpha: m.Alpha, Shape: r.Name, Runs: len(days),
		AA: func(i int, _ *rand.Rand) Outcome {
			ctl, exp := r.weekPair(days[i])
			hc, he, _ := history(days[i].start)
			return monitorPrimedPair(cfg, hc, he, ctl, exp, false, 0, 0)
		},
		Effect: func(i int, rng *rand.Rand) Outcome {
			ctl, exp := r.weekPair(days[i])
			noon := days[i].start.Add(12 * time.Hour)
			first := noon.Add(-MonitorDropAt * r.Step)
			from, to := first.UnixMilli(), noon.Add(10*r.Step).UnixMilli()
			ctl, exp = ctl.Window(from, to), thin(rng, exp.Window(from, to), noon, noon.Add(10*r.Step), 0.15)
			hc, he, _ := history(first)
			return monitorPrimedPair(cfg, hc, he, ctl, exp, true, noon.UnixMilli(), 10*r.Step.Milliseconds())
		}}
}

// RealBaselineCell judges each ordinary day of r that has BaselineWeeks
// weeks of data before it with baseline.Evaluate(opts, Location set): the
// history is the data before the day (it may hold events, as a real
// history does). The drop is 15% for BaselineDropMinutes from local noon.
func RealBaselineCell(m Method, r Real, opts baseline.Options) Cell {
	days := r.days(0, 7*BaselineWeeks)
	opts.Location = r.Location
	hist := func(d day) (series.Series, series.Series) {
		return r.Series.Window(d.start.AddDate(0, 0, -7*BaselineWeeks).UnixMilli(), d.start.UnixMilli()),
			r.Series.Window(d.start.UnixMilli(), d.end.UnixMilli())
	}
	return Cell{Method: m.Name, Plain: m.Plain, OtherNote: m.OtherNote, Alpha: m.Alpha, Shape: r.Name, Runs: len(days),
		AA: func(i int, _ *rand.Rand) Outcome {
			h, c := hist(days[i])
			return baselineDay(h, c, opts)
		},
		Effect: func(i int, rng *rand.Rand) Outcome {
			h, c := hist(days[i])
			noon := days[i].start.Add(12 * time.Hour)
			return baselineDay(h, thin(rng, c, noon, noon.Add(BaselineDropMinutes*time.Minute), 0.15), opts)
		}}
}

// Pool is one cell of several real series' cells of the same method: its
// runs are theirs, in order (each run still uses its own series' days).
func Pool(name string, cells ...Cell) Cell {
	p := cells[0]
	p.Shape, p.Runs = name, 0
	var offs []int
	for _, c := range cells {
		offs = append(offs, p.Runs)
		p.Runs += c.Runs
	}
	which := func(i int) (Cell, int) {
		k := len(offs) - 1
		for offs[k] > i {
			k--
		}
		return cells[k], i - offs[k]
	}
	p.AA = func(i int, rng *rand.Rand) Outcome { c, j := which(i); return c.AA(j, rng) }
	p.Effect = func(i int, rng *rand.Rand) Outcome { c, j := which(i); return c.Effect(j, rng) }
	return p
}
