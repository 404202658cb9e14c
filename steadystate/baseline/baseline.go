package baseline

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// DefaultWeeks is the number of past weeks a baseline is built from
// when Options.Weeks is zero.
const DefaultWeeks = 4

// MADScale turns a median absolute deviation into an estimate of the
// standard deviation of normally distributed values: 1/Φ⁻¹(3/4) =
// 1.482602218505602 (Rousseeuw & Croux 1993, "Alternatives to the median
// absolute deviation", JASA 88(424), eq. 1.1; R's mad() uses the same
// constant).
const MADScale = 1.482602218505602

// Options configures New. A zero field stands for the
// value in DefaultOptions.
type Options struct {
	// Weeks is how many past weeks the baseline is built from, counted
	// back from the end of the history (default DefaultWeeks).
	Weeks int

	// MinWeeks is how many of those weeks a time-of-week slot needs to
	// hold a value in for the slot to be judged (default 3). A slot with
	// fewer is Sparse: its centre and spread are NaN and a current value
	// there is counted as not judged, never compared with a zero. The
	// baseline as a whole needs at least MinWeeks weeks with data, else
	// New returns ErrNotEnoughHistory.
	MinWeeks int

	// SpreadWindow is the half-width of the window the spread is pooled
	// over (default 30 minutes): slot s's spread is estimated from the
	// residuals of slots s−k to s+k, wrapping around the week, with
	// k = max(2, SpreadWindow/Step) slots. Four weeks give four residuals
	// per slot, too few for a scale estimate of their own, and a week's
	// residuals in nearby minutes share that day's level, so the window
	// must span enough time: per-minute data gets k = 30 (244 residuals
	// from four weeks), 30-minute buckets k = 2 (±1 hour, 20 residuals).
	// A much wider window smooths the band over times of day whose noise
	// differs (the night is quieter in absolute terms).
	SpreadWindow time.Duration

	// LevelAdjust, when true, rescales every history week to the level of
	// the most recent one before the centre is taken, so that growth (or
	// decline) over the weeks does not pull the centre towards the older,
	// lower level: week k's values are multiplied by T₀/T_k, where T_k is
	// the sum of week k's values over the slots that every week with data
	// has a value in, and week 0 is the most recent. The factors are
	// reported in Baseline.LevelFactors. It needs positive totals (counts,
	// rates); it does not extrapolate growth beyond the last history week.
	LevelAdjust bool

	// Model is the shape of the band. ModelAuto, the default, looks at
	// the values of the history's weeks and, in Judge and Evaluate (and
	// so `chaosstat baseline`), of the current series: ModelCounts when
	// every one is at least 0, ModelLinear when any is negative. Counts
	// and rates get the log scale with the spread pooled over the days
	// (LogScale, PoolDays) and a Resolution of 1 when every value is a
	// whole number, else the smallest value above 0, so that the choice
	// does not depend on the metric's unit: a rate of counts (a
	// Prometheus rate(), counts divided by the step) is judged as its
	// counts when one slot saw a single event. On the real data of
	// docs/accuracy.md it flags at most 10% of ordinary days where the
	// linear model flags 15% of the NAB Twitter series' (28% of AAPL's).
	//
	// ModelLinear and ModelCounts set LogScale and PoolDays themselves:
	// New returns an error when either is also set. Resolution, the
	// metric's step, is used as given by every model (for ModelCounts a
	// given one replaces the choice above). Setting LogScale or PoolDays
	// with ModelAuto makes the model ModelCustom: the three fields as
	// given, as before Model existed. Baseline.Model and ModelReason say
	// what was chosen and why.
	Model Model

	// LogScale, when true, judges log(1 + x/u) instead of x, u the
	// Resolution (1 when it is 0): the centre,
	// the leave-one-week-out residuals, the spread and the band are taken
	// on that scale (after any level adjustment), so that the band is a
	// factor above and below the centre rather than a fixed amount. It is
	// for bursty counts (requests, tweets, orders): their noise grows
	// with their level, so that a band fitted on the busy hours is far too
	// wide at night and one fitted at night too narrow at the peak. Slot's
	// Center stays in the series' units (exp of the log centre, minus 1);
	// its Spread is on the log scale (Baseline.Band gives the band in the
	// series' units). The history must not be negative;
	// a negative current value is judged as 0. On the real Twitter-volume
	// series of docs/accuracy.md, with PoolDays, it cut the ordinary days
	// flagged at the default rule from 23 of 151 to 4. Setting it
	// chooses ModelCustom (see Model).
	LogScale bool

	// PoolDays, when true, pools the spread over the same time of day on
	// all seven days of the week: the slots are ordered by time of day,
	// then by day, and slot s's spread is the median of the residuals of
	// the 7·(2k+1) slots around it in that order (about ±k slots of time
	// of day on every day; the ends take three or four days of the next
	// time of day out) instead of the 2k+1 slots of its own day (k as in
	// SpreadWindow). With three weeks of 5-minute data a slot's own
	// window holds 39 residuals, a day's bursts among them; pooled over
	// the days it holds 273. It assumes the noise, on the judged scale,
	// depends on the time of day more than on the day of the week: use it
	// with LogScale, on which a quiet Sunday and a busy Monday have about
	// the same relative noise.
	PoolDays bool

	// Resolution, when positive, is the smallest step the metric moves
	// by: 1 for counts. No slot's spread is less than one step at its
	// centre: Resolution itself, or log(1 + c + Resolution) − log(1 + c)
	// on the log scale (whose unit it also is, see LogScale), for a
	// centre c. Without it a slot where the past
	// weeks agree exactly (counts that are mostly 0, as tweets at night
	// about a small company) has a spread of 0, and any change there,
	// even by one count, is infinitely far outside the band. The floor
	// is the same as the one a plain per-slot band needs on counts (see
	// docs/accuracy.md). 0, the default, sets no floor, except that
	// ModelCounts (which ModelAuto chooses for values of at least 0)
	// chooses one (see Model).
	Resolution float64

	// Location is the time zone whose wall clock the weekly cycle follows
	// (nil means UTC). Slots are taken by local wall-clock time of week,
	// so Monday 09:00 is the same slot before and after a daylight-saving
	// change. See New for the repeated and the missing hour.
	Location *time.Location
}

// DefaultOptions are the options the zero Options stand for.
var DefaultOptions = Options{
	Weeks:        DefaultWeeks,
	MinWeeks:     3,
	SpreadWindow: 30 * time.Minute,
	Location:     time.UTC,
}

// The keys a *series.OptionError names the options of Options and
// DeviationRule by: Weeks, MinWeeks, Resolution, SpreadWindow, Model, Z and
// Persistence in snake_case. They are chaosstat's server's JSON keys and,
// with dashes, its command's flags (--min-weeks).
const (
	OptionWeeks        = "weeks"
	OptionMinWeeks     = "min_weeks"
	OptionResolution   = "resolution"
	OptionSpreadWindow = "spread_window"
	OptionModel        = "model"
	OptionZ            = "z"
	OptionPersistence  = "persistence"
)

// CheckOption returns a *series.OptionError unless v is a value that the
// option named key (OptionWeeks, OptionMinWeeks, OptionPersistence,
// OptionZ or OptionResolution) may be given: a whole number of at least 1
// for the first three, a positive finite number for the others. Unlike in
// Options and DeviationRule, where 0 stands for the default (for
// Resolution, none), a given 0 is out of range, as it is for a flag:
// front ends that take the options one at a time check each with it, and
// Validate checks the fields with it. It panics for another key.
func CheckOption(key string, v float64) error {
	var ok bool
	var want string
	switch key {
	case OptionWeeks, OptionMinWeeks, OptionPersistence:
		ok, want = v >= 1 && v == math.Trunc(v) && !math.IsInf(v, 0), "a whole number of at least 1"
	case OptionZ:
		ok, want = v > 0 && !math.IsInf(v, 0), "a positive number, such as 4"
	case OptionResolution:
		ok, want = v > 0 && !math.IsInf(v, 0), "the metric's smallest step, a positive number such as 1 for counts"
	default:
		panic("baseline.CheckOption: unknown option " + key)
	}
	if ok {
		return nil
	}
	return &series.OptionError{Option: key, Value: v, Want: want}
}

// Validate returns an error wrapping a *series.OptionError that names the
// first option of o out of range (see the Option keys), or nil: Weeks below
// 1, MinWeeks outside 1 to Weeks, a negative, NaN or infinite Resolution,
// a negative SpreadWindow, a Model out of range. A zero field stands for
// its default and is valid. A Model that sets LogScale or PoolDays itself
// with either set is an error too, a plain one naming the fields (see
// ModelConflicts). New and Judge call it.
func (o Options) Validate() error {
	_, err := o.withDefaults()
	return err
}

func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions
	if o.Weeks == 0 {
		o.Weeks = d.Weeks
	}
	if o.MinWeeks == 0 {
		o.MinWeeks = min(d.MinWeeks, o.Weeks)
	}
	if o.SpreadWindow == 0 {
		o.SpreadWindow = d.SpreadWindow
	}
	if o.Location == nil {
		o.Location = d.Location
	}
	err := CheckOption(OptionWeeks, float64(o.Weeks))
	switch {
	case err != nil:
	case o.MinWeeks < 1 || o.MinWeeks > o.Weeks:
		err = &series.OptionError{Option: OptionMinWeeks, Value: o.MinWeeks,
			Want: fmt.Sprintf("a whole number from 1 to the number of weeks (%d)", o.Weeks)}
	case o.Resolution != 0: // 0: none
		err = CheckOption(OptionResolution, o.Resolution)
	}
	if err == nil && o.SpreadWindow < 0 {
		err = &series.OptionError{Option: OptionSpreadWindow, Value: o.SpreadWindow, Want: "a positive duration"}
	}
	if err != nil {
		return o, fmt.Errorf("steadystate: baseline: %w", err)
	}
	return o, o.validModel()
}

// minSpreadSlots is the least half-width, in slots, of the spread's
// pooling window (see Options.SpreadWindow).
const minSpreadSlots = 2

// ErrNotEnoughHistory is returned by New (and Evaluate) when the
// history holds fewer weeks with data than Options.MinWeeks: there
// is no baseline to judge against, which is inconclusive, not steady. It
// wraps series.ErrTooLittleData.
var ErrNotEnoughHistory = series.TooLittleData("not enough history")

const (
	bldayMs  = int64(24 * time.Hour / time.Millisecond)
	blweekMs = 7 * bldayMs
	// blmondayMs is the offset of the first Monday 00:00 after the Unix
	// epoch (Thursday 1970-01-01): time-of-week slots start on Monday.
	blmondayMs = 4 * bldayMs
)

// Slot is the baseline at one time-of-week slot.
type Slot struct {
	// Center is the median across weeks of the slot's values (after the
	// level adjustment, if any); NaN when the slot is Sparse.
	Center float64
	// Spread estimates the standard deviation of a new week's value about
	// Center (see New); NaN when the slot is Sparse.
	Spread float64
	// Weeks is how many weeks hold a value at this slot.
	Weeks int
	// Sparse marks a slot with fewer than MinWeeks weeks (or too few
	// residuals to estimate a spread): it is not judged.
	Sparse bool
}

// Baseline is a week-over-week waveform: for each time-of-week slot at the
// history's resolution, the centre and spread of the past weeks' values.
type Baseline struct {
	// Step is the resolution: the history's sampling interval, one slot.
	Step time.Duration
	// Location is the time zone whose wall clock the slots follow.
	Location *time.Location
	// Weeks is the number of weeks asked for; WeeksWithData how many of
	// them hold any value.
	Weeks, WeeksWithData int
	// Start and End bound the history used, [Start, End), as instants.
	Start, End time.Time
	// Slots holds the waveform, slot i covering local wall-clock time of
	// week [i·Step, (i+1)·Step) from Monday 00:00.
	Slots []Slot
	// Model is the model the band was built with: ModelLinear,
	// ModelCounts or ModelCustom, never ModelAuto (see Options.Model);
	// ModelReason says why, as "given" or "auto: every value is a whole
	// number of at least 0".
	Model       Model
	ModelReason string
	// LevelFactors holds the factor each week was multiplied by, most
	// recent week first (always 1 for it); nil without LevelAdjust. A week
	// without data has factor NaN.
	LevelFactors []float64
	// Warnings say where the baseline is weak: weeks without data, sparse
	// slots, cells that held more than one point (the repeated hour when
	// daylight saving ends), slots with zero spread.
	Warnings []error

	opts   Options
	stepMs int64
	// vals[k][s] is week k's value at slot s (week 0 the most recent),
	// NaN when missing, before any level adjustment; times[k][s] its
	// instant in Unix ms (of the first point that fell in the cell).
	vals  [][]float64
	times [][]int64
	// jcenter[s] is slot s's centre on the judged scale (log(1+x) with
	// LogScale); nil without LogScale, when it is Slots[s].Center.
	jcenter []float64
}

// blWallMilli returns the local wall-clock time of instant t (Unix ms) in loc,
// as milliseconds on a clock without daylight saving: t plus the zone's
// offset at t. Two instants an hour apart in the repeated hour when
// daylight saving ends get the same wall time; no instant gets the wall
// times of the hour skipped when it starts.
func blWallMilli(t int64, loc *time.Location) int64 {
	_, off := time.UnixMilli(t).In(loc).Zone()
	return t + int64(off)*1000
}

// blWallClock is blWallMilli for instants read in order: it keeps the
// zone's offset for the span of instants that share it (ZoneBounds), so
// that a history costs one zone lookup per daylight-saving change rather
// than one per point.
type blWallClock struct {
	loc        *time.Location
	lo, hi, at int64 // the offset is `at` ms for instants in [lo, hi)
}

func (c *blWallClock) wall(t int64) int64 {
	if t < c.lo || t >= c.hi {
		tm := time.UnixMilli(t).In(c.loc)
		_, off := tm.Zone()
		start, end := tm.ZoneBounds()
		c.lo, c.hi, c.at = math.MinInt64, math.MaxInt64, int64(off)*1000
		if !start.IsZero() {
			c.lo = start.UnixMilli()
		}
		if !end.IsZero() {
			c.hi = end.UnixMilli()
		}
	}
	return t + c.at
}

func blFloorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// blSlotOf returns the time-of-week slot of wall time w.
func blSlotOf(w, stepMs int64) int {
	pos := w - blmondayMs - blFloorDiv(w-blmondayMs, blweekMs)*blweekMs
	return int(pos / stepMs)
}

// New builds the baseline of the last opts.Weeks weeks of history.
//
// Weeks are counted back in local wall-clock time from the end of the
// history (its last point's slot, plus one step): week 0 is the seven
// wall-clock days before that end, week 1 the seven before, and so on.
// Each point goes to the cell (week, slot) of its local wall-clock time,
// so a weekly cycle that follows local time keeps its slot across a
// daylight-saving change. The repeated hour when daylight saving ends
// falls in the same cells, which hold the mean of their points (as does
// any cell several points fall into); the hour skipped when it starts
// leaves its cells empty that week. Warnings count both. Missing values
// (NaN) leave the cell empty.
//
// Per slot s, with x_{s,k} the values of the weeks k that hold one:
//
//	Center_s = median_k x_{s,k}
//	e_{s,k}  = x_{s,k} − median_{j≠k} x_{s,j}            (leave one week out)
//	Spread_s = MADScale · median{ |e_{s',k}| : s' ∈ [s−w, s+w], all k }
//
// with w = max(2, SpreadWindow/Step) slots, wrapping around the week. The
// leave-one-week-out residual is the error of predicting a new week from
// the past ones, which is what the band is for; with four weeks it
// overstates the error of the four-week median by about 6% (BENCHMARKS.md).
//
// New costs O(n log n) time and O(n) memory for n cells (weeks × slots):
// each slot's values are sorted once and the spread's window slides over
// an order-statistic tree. A year of per-minute history (524,160 points)
// takes about 0.06 s; BENCHMARKS.md has the growth table.
//
// The history must be a valid series with timestamps whose step (see
// series.Series.Step) divides a day. New returns ErrNotEnoughHistory
// (wrapped) when fewer than MinWeeks weeks hold data.
//
// With ModelAuto, New chooses the model from the history's weeks alone;
// Judge and Evaluate also look at the current series, so that a negative
// value there chooses the linear model.
func New(history series.Series, opts Options) (*Baseline, error) {
	return newBaseline(history, opts, nil)
}

// newBaseline is New, choosing the model (ModelAuto) from the history's
// weeks and cur, the current series' values.
func newBaseline(history series.Series, opts Options, cur []float64) (*Baseline, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := history.Validate(); err != nil {
		return nil, fmt.Errorf("steadystate: baseline history: %w", err)
	}
	if len(history.T) == 0 && len(history.V) > 0 {
		return nil, fmt.Errorf("steadystate: baseline history is a plain sample without timestamps; a baseline needs times")
	}
	if len(history.T) < 2 {
		return nil, fmt.Errorf("steadystate: baseline history has %d points: %w", len(history.T), ErrNotEnoughHistory)
	}
	step, err := history.Step()
	if err != nil {
		return nil, fmt.Errorf("steadystate: baseline history: %w", err)
	}
	stepMs := step.Milliseconds()
	if step%time.Millisecond != 0 || stepMs <= 0 || bldayMs%stepMs != 0 {
		return nil, fmt.Errorf("steadystate: baseline history has step %v, which does not divide a day; resample it first (series.Resample) to a step such as 1m, 5m or 30m", step)
	}
	nSlots := int(blweekMs / stepMs)
	loc := o.Location

	lastWall := blWallMilli(history.T[len(history.T)-1], loc)
	end := blFloorDiv(lastWall, stepMs)*stepMs + stepMs // wall-clock end
	// Weeks before the history's first point hold no data: they are not
	// allocated (--weeks 10000 on four weeks of history once took 1.25 GB),
	// and compute names at most three of them.
	nWeeks := int(min(int64(o.Weeks), blFloorDiv(end-blWallMilli(history.T[0], loc)-1, blweekMs)+1))
	b := &Baseline{
		Step: step, Location: loc, Weeks: o.Weeks, opts: o, stepMs: stepMs,
		vals: make([][]float64, nWeeks), times: make([][]int64, nWeeks),
	}
	counts := make([][]int32, nWeeks)
	for k := range b.vals {
		b.vals[k] = make([]float64, nSlots)
		b.times[k] = make([]int64, nSlots)
		counts[k] = make([]int32, nSlots)
	}
	first := int64(math.MaxInt64)
	// used holds the values of the weeks the baseline is built from, as
	// they are (a cell averages the repeated hour's two points), for the
	// model's choice.
	var used []float64
	clock := blWallClock{loc: loc, lo: 1, hi: 0}
	for i, t := range history.T {
		w := clock.wall(t)
		k := blFloorDiv(end-w-1, blweekMs)
		if k >= int64(nWeeks) {
			continue
		}
		first = min(first, t)
		v := history.V[i]
		if math.IsNaN(v) {
			continue
		}
		used = append(used, v)
		s := blSlotOf(w, stepMs)
		if counts[k][s] == 0 {
			b.times[k][s] = t
		}
		counts[k][s]++
		b.vals[k][s] += v
	}
	multi := 0
	for k := range b.vals {
		for s := range b.vals[k] {
			switch n := counts[k][s]; n {
			case 0:
				b.vals[k][s] = math.NaN()
			case 1:
			default:
				b.vals[k][s] /= float64(n)
				multi++
			}
		}
	}
	b.End = time.UnixMilli(history.T[len(history.T)-1] + stepMs).In(loc)
	b.Start = time.UnixMilli(first).In(loc)
	b.opts, b.ModelReason = o.resolveModel(used, cur)
	b.Model = b.opts.Model
	if multi > 0 {
		b.Warnings = append(b.Warnings, fmt.Errorf("%d slot values combine more than one point (averaged): the repeated hour when daylight saving ends, or points closer than the step %v", multi, step))
	}
	endWall := end
	weekSpan := func(k int) string {
		hi := endWall - int64(k)*blweekMs
		lo := hi - blweekMs
		f := func(w int64) string { return time.UnixMilli(w).UTC().Format("2006-01-02 15:04") }
		return f(lo) + " to " + f(hi) + " " + loc.String()
	}
	if err := b.compute(weekSpan); err != nil {
		return nil, err
	}
	return b, nil
}

// compute fills WeeksWithData, LevelFactors, Slots and their warnings from
// b.vals. weekSpan names week k for messages (nil inside calibration).
func (b *Baseline) compute(weekSpan func(int) string) error {
	o := b.opts
	nSlots := len(b.vals[0])
	present := make([]bool, len(b.vals))
	b.WeeksWithData = 0
	for k, row := range b.vals {
		for _, v := range row {
			if !math.IsNaN(v) {
				present[k] = true
				break
			}
		}
		if present[k] {
			b.WeeksWithData++
		} else if weekSpan != nil {
			b.Warnings = append(b.Warnings, fmt.Errorf("week %d of %d (%s) has no data", k+1, b.Weeks, weekSpan(k)))
		}
	}
	// The weeks before the history's first point, not allocated: the
	// first few by name as any week without data, the rest counted.
	for k := len(b.vals); k < b.Weeks && weekSpan != nil; k++ {
		if k == len(b.vals)+3 && k < b.Weeks-1 {
			b.Warnings = append(b.Warnings, fmt.Errorf("weeks %d to %d of %d (before %s) have no data: they are before the history's first point", k+1, b.Weeks, b.Weeks, weekSpan(k - 1)[:16]))
			break
		}
		b.Warnings = append(b.Warnings, fmt.Errorf("week %d of %d (%s) has no data", k+1, b.Weeks, weekSpan(k)))
	}
	if b.WeeksWithData < o.MinWeeks {
		return fmt.Errorf("steadystate: baseline: %d of %d weeks hold data, need at least %d: %w", b.WeeksWithData, b.Weeks, o.MinWeeks, ErrNotEnoughHistory)
	}

	vals := b.vals
	if o.LevelAdjust {
		b.LevelFactors = make([]float64, len(vals))
		totals := make([]float64, len(vals))
		for s := 0; s < nSlots; s++ {
			all := true
			for k := range vals {
				if present[k] && math.IsNaN(vals[k][s]) {
					all = false
					break
				}
			}
			if !all {
				continue
			}
			for k := range vals {
				if present[k] {
					totals[k] += vals[k][s]
				}
			}
		}
		ref := -1
		for k := range vals {
			if present[k] {
				ref = k
				break
			}
		}
		adj := make([][]float64, len(vals))
		for k := range vals {
			if !present[k] {
				b.LevelFactors[k] = math.NaN()
				adj[k] = vals[k]
				continue
			}
			if !(totals[k] > 0) || !(totals[ref] > 0) {
				return fmt.Errorf("steadystate: baseline: level adjustment needs positive weekly totals over the common slots, week %d has %g: turn LevelAdjust off for metrics that can be zero or negative", k+1, totals[k])
			}
			f := totals[ref] / totals[k]
			b.LevelFactors[k] = f
			adj[k] = make([]float64, nSlots)
			for s, v := range vals[k] {
				adj[k][s] = v * f
			}
		}
		vals = adj
	}
	if o.LogScale {
		lg := make([][]float64, len(vals))
		u := o.logUnit()
		for k, row := range vals {
			lg[k] = make([]float64, nSlots)
			for s, v := range row {
				if v < 0 {
					return fmt.Errorf("steadystate: baseline: the log scale (model %v) needs values of at least 0, week %d has %g: use the linear model (ModelLinear, --model linear) for metrics that can be negative", o.Model, k+1, v)
				}
				lg[k][s] = math.Log1p(v / u) // NaN stays NaN
			}
		}
		vals = lg
	}

	// Centres and leave-one-week-out residuals, from each slot's values
	// sorted once: the median without week k is read off by index.
	b.Slots = make([]Slot, nSlots)
	b.jcenter = nil
	if o.LogScale {
		b.jcenter = make([]float64, nSlots)
	}
	tab := newSlotTable(vals, false)
	roff := make([]int32, nSlots+1) // slot s's residuals: resid[roff[s]:roff[s+1]]
	resid := make([]float64, 0, len(tab.val))
	for s := range b.Slots {
		a := tab.slot(s)
		sl := &b.Slots[s]
		sl.Weeks = len(a)
		sl.Center = math.NaN()
		sl.Spread = math.NaN()
		if len(a) >= o.MinWeeks {
			sl.Center = sortedMedian(a)
			if o.LogScale {
				b.jcenter[s] = sl.Center
				sl.Center = math.Expm1(sl.Center) * o.logUnit()
			}
		} else {
			sl.Sparse = true
		}
		if len(a) >= 2 {
			resid = looResiduals(resid, a)
		}
		roff[s+1] = int32(len(resid))
	}
	// Pooled spread over ±k slots, wrapping around the week.
	kw := max(minSpreadSlots, int(o.SpreadWindow.Milliseconds()/b.stepMs))
	if 2*kw+1 > nSlots {
		kw = (nSlots - 1) / 2
	}
	// The window slides one slot at a time over an order-statistic
	// structure (windowStats), so the median is read off by rank (a
	// selection per slot would cost 10,080 selections of 244 values for a
	// per-minute week, and a sorted slice a memmove per value).
	zero := 0
	slotOf := func(j int) int { return j }
	if o.PoolDays && nSlots%7 == 0 {
		// The ring in time-of-day order: position j = tod·7 + day holds
		// slot day·perDay + tod, so a window of 7(2k+1) positions spans
		// about ±k slots of time of day on every day.
		perDay := nSlots / 7
		slotOf = func(j int) int { return (j%7)*perDay + j/7 }
		poff := make([]int32, nSlots+1)
		pres := make([]float64, 0, len(resid))
		for j := range nSlots {
			s := slotOf(j)
			pres = append(pres, resid[roff[s]:roff[s+1]]...)
			poff[j+1] = int32(len(pres))
		}
		roff, resid = poff, pres
		kw = min(7*kw+3, (nSlots-1)/2)
	}
	windowStats(nSlots, kw, roff, resid, func(j, n int) (int, int, bool) {
		s := slotOf(j)
		sl := &b.Slots[s]
		if sl.Sparse {
			return 0, 0, false
		}
		// At least as many residuals as one slot of MinWeeks weeks
		// gives, and never fewer than 3.
		if n < max(3, o.MinWeeks) {
			sl.Sparse = true
			sl.Center = math.NaN()
			return 0, 0, false
		}
		return (n - 1) / 2, n / 2, true
	}, func(j, n int, lo, hi float64) {
		s := slotOf(j)
		m := hi
		if n%2 == 0 {
			m = (lo + hi) / 2
		}
		sl := &b.Slots[s]
		sl.Spread = MADScale * m
		if res := o.Resolution; res > 0 {
			floor := res
			if o.LogScale {
				// One step at the centre c on log(1 + x/u), u the
				// step: log(1 + (c+u)/u) − log(1 + c/u).
				floor = math.Log1p(res / (o.logUnit() + max(sl.Center, 0)))
			}
			sl.Spread = max(sl.Spread, floor)
		}
		if sl.Spread == 0 {
			zero++
		}
	})
	if weekSpan != nil {
		if d := blDescribeSlots(b.Slots, b.stepMs, func(sl Slot) bool { return sl.Sparse }); d != "" {
			b.Warnings = append(b.Warnings, fmt.Errorf("%s: fewer than %d weeks of data (or too few residuals), not judged: %s", blPlural(blCountSlots(b.Slots, func(sl Slot) bool { return sl.Sparse }), "slot"), o.MinWeeks, d))
		}
		if zero > 0 {
			b.Warnings = append(b.Warnings, fmt.Errorf("%s have zero spread (the past weeks agree exactly): any change there is outside the band", blPlural(zero, "slot")))
		}
	}
	return nil
}

func blCountSlots(slots []Slot, f func(Slot) bool) int {
	n := 0
	for _, s := range slots {
		if f(s) {
			n++
		}
	}
	return n
}

// describeSlots lists the time-of-week ranges of the slots for which f is
// true, as "Sun 02:00–03:00", at most three and then a count of the rest.
func blDescribeSlots(slots []Slot, stepMs int64, f func(Slot) bool) string {
	var parts []string
	ranges := 0
	for s := 0; s < len(slots); {
		if !f(slots[s]) {
			s++
			continue
		}
		e := s
		for e < len(slots) && f(slots[e]) {
			e++
		}
		ranges++
		if len(parts) < 3 {
			parts = append(parts, blSlotName(int64(s)*stepMs)+"–"+blSlotName(int64(e)*stepMs))
		}
		s = e
	}
	if ranges > 3 {
		parts = append(parts, fmt.Sprintf("and %d more ranges", ranges-3))
	}
	return strings.Join(parts, ", ")
}

// slotName names a time of week, ms after Monday 00:00: "Mon 09:30".
func blSlotName(ms int64) string {
	days := [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"}
	d := ms / bldayMs
	rest := (ms % bldayMs) / 1000
	s := fmt.Sprintf("%s %02d:%02d", days[d], rest/3600, rest/60%60)
	if rest%60 != 0 {
		s += fmt.Sprintf(":%02d", rest%60)
	}
	return s
}

func blPlural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// blMedian returns the median of xs, reordering xs; NaN for none. It
// selects rather than sorts (Hoare's quickselect with a median-of-three
// pivot), which matters for the spread: one median of 244 residuals for
// each of the 10,080 slots of a per-minute week.
func blMedian(xs []float64) float64 {
	n := len(xs)
	switch n {
	case 0:
		return math.NaN()
	case 1:
		return xs[0]
	case 2:
		return (xs[0] + xs[1]) / 2
	case 3:
		a, b, c := xs[0], xs[1], xs[2]
		return max(min(a, b), min(max(a, b), c))
	}
	hi := blSelect(xs, n/2)
	if n%2 == 1 {
		return hi
	}
	// After selection every value left of n/2 is <= xs[n/2]: the lower
	// middle value is their largest.
	lo := xs[0]
	for _, v := range xs[1 : n/2] {
		lo = max(lo, v)
	}
	return (lo + hi) / 2
}

// blSelect reorders xs so that xs[k] holds the value it would hold if xs
// were sorted, with no larger value before it and no smaller one after
// it, and returns xs[k]. The values must not be NaN.
func blSelect(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for hi-lo > 16 {
		// The median of three as the pivot, moved to xs[hi].
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[mid] < xs[hi] {
			xs[mid], xs[hi] = xs[hi], xs[mid]
		}
		pivot := xs[hi]
		i := lo
		for j := lo; j < hi; j++ {
			if xs[j] < pivot {
				xs[i], xs[j] = xs[j], xs[i]
				i++
			}
		}
		xs[i], xs[hi] = xs[hi], xs[i]
		switch {
		case k == i:
			return xs[k]
		case k < i:
			hi = i - 1
		default:
			lo = i + 1
		}
	}
	// Insertion sort of the small rest.
	for i := lo + 1; i <= hi; i++ {
		for j := i; j > lo && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
	return xs[k]
}

// judged returns slot s as the band judges it: its centre on the judged
// scale (see Options.LogScale).
func (b *Baseline) judged(s int) Slot {
	sl := b.Slots[s]
	if b.jcenter != nil {
		sl.Center = b.jcenter[s]
	}
	return sl
}

// Band returns slot s's band at z spreads in the series' units: the values
// the deviation rule judges inside (Baseline.Check). Without LogScale it is
// Center ± z·Spread; with it the band is taken on the log scale and mapped
// back, u·(exp(c ± z·Spread) − 1) for the log centre c and unit u, so it is a factor above
// and below the centre rather than a fixed amount. Both are NaN for a
// Sparse slot.
func (b *Baseline) Band(s int, z float64) (lo, hi float64) {
	sl := b.judged(s)
	if sl.Sparse || math.IsNaN(sl.Center) || math.IsNaN(sl.Spread) {
		return math.NaN(), math.NaN()
	}
	lo, hi = sl.Center-z*sl.Spread, sl.Center+z*sl.Spread
	if b.jcenter != nil {
		u := b.opts.logUnit()
		lo, hi = math.Expm1(lo)*u, math.Expm1(hi)*u
	}
	return lo, hi
}

// onScale returns v on the judged scale: log(1 + max(v, 0)/u) with
// LogScale (u its unit, see Options.LogScale), else v. NaN stays NaN.
func (b *Baseline) onScale(v float64) float64 {
	if b.jcenter == nil {
		return v
	}
	return math.Log1p(max(v, 0) / b.opts.logUnit()) // max(NaN, 0) is NaN
}

// SlotAt returns the slot the instant t (Unix ms) falls in, by its local
// wall-clock time of week, and its index.
func (b *Baseline) SlotAt(t int64) (Slot, int) {
	s := blSlotOf(blWallMilli(t, b.Location), b.stepMs)
	return b.Slots[s], s
}
