package baseline

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/stat/distuv"
)

// DeviationRule says when the current series has left the baseline's band.
// A zero field stands for the value in DefaultDeviationRule.
//
// A point is outside when it lies more than Z spreads from its slot's
// centre:
//
//	x_t > Center_s + Z·Spread_s   (above)
//	x_t < Center_s − Z·Spread_s   (below)
//
// A deviation is an excursion that persists: a run of at least Persistence
// consecutive points outside on the same side. Runs on the same side that
// are separated by fewer than Persistence points are one deviation, so a
// single noisy point inside the band does not split an outage in two; a
// missing value, an unjudged (sparse) slot or a gap in the timestamps ends
// a run.
type DeviationRule struct {
	// Z is the half-width of the band in spreads (default 4).
	Z float64
	// Persistence is the number of consecutive outside points a deviation
	// needs (default 5: five minutes of per-minute data, two and a half
	// hours of 30-minute buckets).
	Persistence int
}

// DefaultDeviationRule is the rule the zero DeviationRule stands for. With
// Z = 4 a single point of normally distributed prediction error is outside
// with probability 6.3e-5, and five in a row are needed; the rate that
// matters, alarms per day on data like the history, is measured by
// Calibrate rather than assumed from independence (real residuals are
// heavier-tailed and autocorrelated). On the synthetic per-minute history
// in testdata/baseline and on four weeks of NYC taxi data it raises no
// alarm on a normal day and catches a 25% drop lasting 20 minutes.
var DefaultDeviationRule = DeviationRule{Z: 4, Persistence: 5}

// Validate returns an error wrapping a *series.OptionError that names the
// first field of r out of range (OptionZ, OptionPersistence), or nil: Z not positive or
// infinite, Persistence below 1. A zero field stands for its default and
// is valid. Check, Evaluate and Judge call it.
func (r DeviationRule) Validate() error {
	_, err := r.withDefaults()
	return err
}

func (r DeviationRule) withDefaults() (DeviationRule, error) {
	if r.Z == 0 {
		r.Z = DefaultDeviationRule.Z
	}
	if r.Persistence == 0 {
		r.Persistence = DefaultDeviationRule.Persistence
	}
	err := CheckOption(OptionZ, r.Z)
	if err == nil {
		err = CheckOption(OptionPersistence, float64(r.Persistence))
	}
	if err != nil {
		return r, fmt.Errorf("steadystate: deviation rule: %w", err)
	}
	return r, nil
}

// BandSide says on which side of the band a deviation lies.
type BandSide int

const (
	BelowBand BandSide = iota // the current series is below the band: a drop
	AboveBand                 // above the band: a spike
)

func (d BandSide) String() string {
	switch d {
	case BelowBand:
		return "below"
	case AboveBand:
		return "above"
	}
	return fmt.Sprintf("BandSide(%d)", int(d))
}

// Deviation is one excursion of the current series out of the band.
type Deviation struct {
	// Start is the time of its first outside point; End is the time of its
	// last outside point plus one step: the interval [Start, End).
	Start, End time.Time
	// Side is the side of the band.
	Side BandSide
	// WorstRatio is the value-to-centre ratio farthest from 1 on that
	// side (the smallest ratio below, the largest above): 0.75 is a 25%
	// drop. NaN where the centre is 0.
	WorstRatio float64
	// Points is the number of points outside the band in the interval.
	Points int
}

func (d Deviation) String() string {
	return fmt.Sprintf("%s %s to %s (%s, worst ratio %.3g)", d.Side,
		d.Start.Format(time.RFC3339), d.End.Format(time.RFC3339), blPlural(d.Points, "point"), d.WorstRatio)
}

// DeviationReport is the result of checking a series against a baseline.
type DeviationReport struct {
	// Deviations are the excursions found, in time order. None means the
	// series stayed within the band wherever it was judged.
	Deviations []Deviation
	// Judged is the number of points compared with the band; Outside how
	// many of them lay outside it (in a deviation or not).
	Judged, Outside int
	// Missing counts points with no value (NaN); Unjudged points whose
	// slot is Sparse.
	Missing, Unjudged int
	// Rule is the rule applied, defaults filled in.
	Rule DeviationRule
	// Calibration is the rule's false-alarm rate on the history (filled
	// by Evaluate; nil from Check).
	Calibration *Calibration
	// Warnings say where the answer is weak, the baseline's included.
	Warnings []error
}

// Deviated reports whether any deviation was found.
func (r *DeviationReport) Deviated() bool { return len(r.Deviations) > 0 }

// FractionOutside is Outside/Judged, NaN when nothing was judged.
func (r *DeviationReport) FractionOutside() float64 {
	if r.Judged == 0 {
		return math.NaN()
	}
	return float64(r.Outside) / float64(r.Judged)
}

// ErrNothingJudged is returned by Check when no point of the current series
// could be compared with the band (all missing, or all in sparse slots):
// no data is never steady. It wraps series.ErrTooLittleData.
var ErrNothingJudged = series.TooLittleData("no point of the current series could be judged")

// Check compares current with the band and returns the deviations under
// rule (see DeviationRule). current must be a valid series with
// timestamps; each point is judged against the slot of its local
// wall-clock time of week (see New), so both points of the
// repeated hour when daylight saving ends are judged against the same
// slot. Check returns ErrNothingJudged (wrapped) when no point was judged.
func (b *Baseline) Check(current series.Series, rule DeviationRule) (*DeviationReport, error) {
	r, err := rule.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := current.Validate(); err != nil {
		return nil, fmt.Errorf("steadystate: current series: %w", err)
	}
	if len(current.T) == 0 {
		if len(current.V) > 0 {
			return nil, fmt.Errorf("steadystate: current series is a plain sample without timestamps; it needs times to be laid over the baseline")
		}
		return nil, fmt.Errorf("steadystate: current series is empty: %w", ErrNothingJudged)
	}
	rep := &DeviationReport{Rule: r}
	rep.Warnings = append(rep.Warnings, b.Warnings...)
	slots := make([]int, len(current.T))
	clock := blWallClock{loc: b.Location, lo: 1, hi: 0}
	for i, t := range current.T {
		slots[i] = blSlotOf(clock.wall(t), b.stepMs)
	}
	b.scan(current.T, func(i int) int8 { return bandClass(b.onScale(current.V[i]), b.judged(slots[i]), r) },
		func(i int) float64 {
			if c := b.Slots[slots[i]].Center; c != 0 {
				return current.V[i] / c
			}
			return math.NaN()
		}, r, rep)
	if step, err := current.Step(); err == nil && step != b.Step {
		rep.Warnings = append(rep.Warnings, fmt.Errorf("the current series has step %v but the baseline %v: each point is judged against the slot its time falls in; resample both to one step for a like-for-like band", step, b.Step))
	}
	if len(current.T) > 0 && current.T[0] < b.End.UnixMilli() {
		rep.Warnings = append(rep.Warnings, fmt.Errorf("the current series starts at %s, before the history ends (%s): the baseline includes part of the time it judges", time.UnixMilli(current.T[0]).In(b.Location).Format(time.RFC3339), b.End.Format(time.RFC3339)))
	}
	if rep.Missing > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Errorf("%s of the current series are missing (NaN) and not judged", blPlural(rep.Missing, "point")))
	}
	if rep.Unjudged > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Errorf("%s of the current series fall in slots without enough history and are not judged", blPlural(rep.Unjudged, "point")))
	}
	if rep.Judged == 0 {
		return rep, fmt.Errorf("steadystate: %d points, %d missing, %d in slots without enough history: %w", len(current.T), rep.Missing, rep.Unjudged, ErrNothingJudged)
	}
	return rep, nil
}

// The classes of a point for scan.
const (
	pointInside   int8 = iota // judged, inside the band
	pointAbove                // judged, above it
	pointBelow                // judged, below it
	pointMissing              // no value (NaN)
	pointUnjudged             // in a sparse slot
)

// bandClass classifies value v against slot sl under rule r.
func bandClass(v float64, sl Slot, r DeviationRule) int8 {
	switch {
	case math.IsNaN(v):
		return pointMissing
	case sl.Sparse:
		return pointUnjudged
	case v > sl.Center+r.Z*sl.Spread:
		return pointAbove
	case v < sl.Center-r.Z*sl.Spread:
		return pointBelow
	}
	return pointInside
}

// scan applies the rule to the points at times ts, class(i) saying where
// point i lies and ratio(i) its value-to-centre ratio (asked only of
// points outside the band), accumulating counts and deviations into rep.
func (b *Baseline) scan(ts []int64, class func(i int) int8, ratio func(i int) float64, r DeviationRule, rep *DeviationReport) {
	// run is the deviation being built: a sequence of same-side outside
	// points in which no gap of inside points reached r.Persistence.
	type run struct {
		active bool
		dir    BandSide
		first  int64 // time of the first outside point
		last   int64 // time of the last outside point
		points int   // outside points so far
		streak int   // current consecutive outside points
		core   bool  // some streak reached r.Persistence
		worst  float64
		gap    int // inside points since the last outside point
	}
	var cur run
	flush := func() {
		if cur.active && cur.core {
			rep.Deviations = append(rep.Deviations, Deviation{
				Start: time.UnixMilli(cur.first).In(b.Location), End: time.UnixMilli(cur.last + b.stepMs).In(b.Location),
				Side: cur.dir, WorstRatio: cur.worst, Points: cur.points,
			})
		}
		cur = run{}
	}
	var prevT int64
	havePrev := false
	for i, t := range ts {
		// A gap in time, a missing value or an unjudged slot ends any run.
		if havePrev && t-prevT > b.stepMs+b.stepMs/2 {
			flush()
		}
		prevT, havePrev = t, true
		var dir BandSide
		switch class(i) {
		case pointMissing:
			rep.Missing++
			flush()
			continue
		case pointUnjudged:
			rep.Unjudged++
			flush()
			continue
		case pointInside:
			rep.Judged++
			if cur.active {
				cur.gap++
				cur.streak = 0
				if cur.gap >= r.Persistence {
					flush()
				}
			}
			continue
		case pointAbove:
			dir = AboveBand
		case pointBelow:
			dir = BelowBand
		}
		rep.Judged++
		rep.Outside++
		if cur.active && cur.dir != dir {
			flush()
		}
		ratio := ratio(i)
		if !cur.active {
			cur = run{active: true, dir: dir, first: t, worst: ratio}
		}
		cur.last = t
		cur.points++
		cur.streak++
		cur.gap = 0
		if cur.streak >= r.Persistence {
			cur.core = true
		}
		if math.IsNaN(cur.worst) || (dir == BelowBand && ratio < cur.worst) || (dir == AboveBand && ratio > cur.worst) {
			cur.worst = ratio
		}
	}
	flush()
}

// Calibration is a rule's false-alarm rate measured on the history itself by
// leaving one week out: each week with data is checked against the baseline
// built from the other weeks, and every deviation found counts as an alarm.
// If the history holds real incidents (a holiday, an outage), their alarms
// count too, so the rate errs high.
type Calibration struct {
	// WeeksChecked is the number of held-out weeks judged.
	WeeksChecked int
	// Alarms is the number of deviations over all held-out weeks;
	// AlarmsPerWeek lists them by week, most recent first (-1 for a week
	// that could not be judged).
	Alarms        int
	AlarmsPerWeek []int
	// Days is the judged time in days: judged points × step / 24 h.
	Days float64
	// FalseAlarmRatePerDay is Alarms / Days; NaN when nothing was judged.
	FalseAlarmRatePerDay float64
	// Upper95 is the one-sided 95% upper confidence bound on the rate per
	// day, treating alarms as Poisson: χ²_{0.95}(2(Alarms+1)) / (2·Days)
	// (Garwood 1936). With no alarm in 21 days it is 0.14 a day: a
	// rate of 0 measured on three weeks is not a rate of 0.
	Upper95 float64
}

// Calibrate measures rule's false-alarm rate per day on the baseline's own
// history by leaving one week out: for each week with data, the baseline
// is rebuilt from the other weeks (with MinWeeks lowered to at most their
// number), the held-out week is checked against it, and the deviations are
// counted. The held-out baselines have one week fewer than the real one,
// so the rate is that of a slightly different band: in a seeded simulation
// it came within a few tens of percent of the rate on fresh normal days
// (BENCHMARKS.md), so mind its upper bound. Calibrate returns an error
// wrapping ErrNotEnoughHistory when fewer than three weeks hold data
// (leaving one out must leave two, the fewest that give a spread).
//
// The counts are those of rebuilding the baseline without each week, but
// with 13 weeks or more Calibrate does not rebuild: the held-out centres
// are read off each slot's sorted values, bounds shared by all held-out
// baselines decide almost every point, and only the few near the band's
// edge get their held-out spread computed exactly. Its cost grows about
// linearly in the weeks at a given step (52 weeks of per-minute history in
// about 0.13 s on 2 cores); with fewer weeks, or with LevelAdjust,
// LogScale, PoolDays or a Resolution (so with the counts model, which
// ModelAuto chooses for counts and rates), it rebuilds, in O(W·n log n)
// for W weeks: 52 weeks of per-minute counts in about 9 s (BENCHMARKS.md).
// The weeks are checked in parallel.
func (b *Baseline) Calibrate(rule DeviationRule) (*Calibration, error) {
	return b.CalibrateContext(context.Background(), rule)
}

// CalibrateContext is Calibrate stopped early when ctx is done: it checks
// ctx before each week it leaves out, and then returns an error wrapping
// ctx.Err() (errors.Is(err, context.DeadlineExceeded) or
// context.Canceled) and no calibration. Otherwise its result is
// Calibrate's.
func (b *Baseline) CalibrateContext(ctx context.Context, rule DeviationRule) (*Calibration, error) {
	r, err := rule.withDefaults()
	if err != nil {
		return nil, err
	}
	if b.WeeksWithData < 3 {
		return nil, fmt.Errorf("steadystate: calibration needs at least 3 weeks with data to leave one out, have %d: %w", b.WeeksWithData, ErrNotEnoughHistory)
	}
	c := &Calibration{AlarmsPerWeek: make([]int, len(b.vals))}
	judged := 0
	weeks, err := b.calibrateWeeks(ctx, r)
	if err != nil {
		return nil, err
	}
	for k, w := range weeks {
		c.AlarmsPerWeek[k] = -1
		if !w.checked {
			continue
		}
		c.WeeksChecked++
		c.AlarmsPerWeek[k] = w.alarms
		c.Alarms += w.alarms
		judged += w.judged
	}
	if c.WeeksChecked == 0 || judged == 0 {
		c.Days, c.FalseAlarmRatePerDay, c.Upper95 = 0, math.NaN(), math.NaN()
		return c, nil
	}
	c.Days = float64(judged) * float64(b.stepMs) / float64(bldayMs)
	c.FalseAlarmRatePerDay = float64(c.Alarms) / c.Days
	c.Upper95 = distuv.ChiSquared{K: 2 * float64(c.Alarms+1)}.Quantile(0.95) / (2 * c.Days)
	return c, nil
}

func blHasData(row []float64) bool {
	for _, v := range row {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}

// weekInTimeOrder returns the instants of the cells of one history week
// that hold a value, sorted, and their slots. Cells without a value
// are left out; the gaps they leave end runs in scan.
func blWeekInTimeOrder(vals []float64, times []int64) (ts []int64, ss []int32) {
	// Cells are in slot order; in time order the week starts somewhere in
	// the middle: find the earliest and rotate (times increase with slot
	// except at the single wrap point).
	n, start := 0, -1
	for s, v := range vals {
		if !math.IsNaN(v) {
			n++
			if start < 0 || times[s] < times[start] {
				start = s
			}
		}
	}
	ts, ss = make([]int64, 0, n), make([]int32, 0, n)
	for _, r := range [2][2]int{{start, len(vals)}, {0, max(start, 0)}} {
		for s := r[0]; s < r[1]; s++ {
			if !math.IsNaN(vals[s]) {
				ts, ss = append(ts, times[s]), append(ss, int32(s))
			}
		}
	}
	return ts, ss
}

// Evaluate builds the baseline of history, measures rule's false-alarm
// rate on it (Calibrate) and checks current against it: the whole
// week-over-week check in one call. Errors are New's and Check's;
// when the history is too short to calibrate, the report carries a warning
// and a nil Calibration instead. ModelAuto chooses the model from the
// history's weeks and current (see Options.Model).
func Evaluate(history, current series.Series, opts Options, rule DeviationRule) (*DeviationReport, error) {
	b, err := newBaseline(history, opts, current.V)
	if err != nil {
		return nil, err
	}
	rep, err := b.Check(current, rule)
	if err != nil {
		return rep, err
	}
	rep.AddCalibration(b.Calibrate(rule))
	return rep, nil
}

// HighFalseAlarmRate is the calibrated false-alarm rate per day above which
// AddCalibration warns: more than one alarm in four days of the history
// means the band does not fit the history (a wrong time zone, a metric
// without a weekly cycle, weeks too unlike each other), or the history is
// full of incidents; either way a deviation is weak evidence.
const HighFalseAlarmRate = 0.25

// AddCalibration records the result of Calibrate in r: the calibration, or
// a warning saying why the false-alarm rate was not measured; and a warning
// when the rate exceeds HighFalseAlarmRate.
func (r *DeviationReport) AddCalibration(c *Calibration, err error) {
	if err != nil {
		r.Warnings = append(r.Warnings, fmt.Errorf("false-alarm rate not measured: %s", strings.TrimPrefix(err.Error(), "steadystate: ")))
		return
	}
	r.Calibration = c
	if c.FalseAlarmRatePerDay > HighFalseAlarmRate {
		r.Warnings = append(r.Warnings, fmt.Errorf("the rule raised %d alarms in %.4g days of the history itself (leave one week out), %.2f a day: the band does not fit the history well (check the time zone, or widen z), or the history holds incidents; treat a deviation as weak evidence", c.Alarms, c.Days, c.FalseAlarmRatePerDay))
	}
}

// Scores returns, for each point of current, how many spreads it lies
// from its slot's centre, signed: (x − Center)/Spread, positive above the
// centre. A point is outside the band of rule r exactly when its score
// exceeds r.Z in absolute value, as Check decides it (up to rounding at
// the band's edge). A missing value or
// a point in a Sparse slot scores NaN; a point off a zero spread scores
// ±Inf (0 when it equals the centre). Scores are what a sweep over Z
// needs, such as a comparison of detectors at an equal false-alarm
// budget: one pass gives every Z's answer. current's timestamps are
// laid over the slots as Check lays them.
func (b *Baseline) Scores(current series.Series) []float64 {
	out := make([]float64, len(current.T))
	clock := blWallClock{loc: b.Location, lo: 1, hi: 0}
	for i, t := range current.T {
		sl := b.judged(blSlotOf(clock.wall(t), b.stepMs))
		v := b.onScale(current.V[i])
		switch {
		case math.IsNaN(v) || sl.Sparse:
			out[i] = math.NaN()
		case sl.Spread > 0:
			out[i] = (v - sl.Center) / sl.Spread
		case v > sl.Center:
			out[i] = math.Inf(1)
		case v < sl.Center:
			out[i] = math.Inf(-1)
		}
	}
	return out
}
