package baseline

// The reference implementation: New's computation of the slots, the
// deviation scan and Calibrate as they were at commit 11bca0e (before the
// order statistics of window.go), verbatim apart from their names. The
// tests in equal_test.go check that the fast code returns the very same
// floats and counts.

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// compute fills WeeksWithData, LevelFactors, Slots and their warnings from
// b.vals. weekSpan names week k for messages (nil inside calibration).
func (b *Baseline) refCompute(weekSpan func(int) string) error {
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

	// Centres and leave-one-week-out residuals.
	b.Slots = make([]Slot, nSlots)
	resid := make([][]float64, nSlots)
	buf := make([]float64, 0, len(vals))
	other := make([]float64, 0, len(vals))
	for s := range b.Slots {
		buf = buf[:0]
		for k := range vals {
			if v := vals[k][s]; !math.IsNaN(v) {
				buf = append(buf, v)
			}
		}
		sl := &b.Slots[s]
		sl.Weeks = len(buf)
		sl.Center = math.NaN()
		sl.Spread = math.NaN()
		if len(buf) >= o.MinWeeks {
			sl.Center = blMedian(slices.Clone(buf))
		} else {
			sl.Sparse = true
		}
		if len(buf) >= 2 {
			r := make([]float64, len(buf))
			for i := range buf {
				other = append(other[:0], buf[:i]...)
				other = append(other, buf[i+1:]...)
				r[i] = math.Abs(buf[i] - blMedian(other))
			}
			resid[s] = r
		}
	}
	// Pooled spread over ±k slots, wrapping around the week.
	kw := max(minSpreadSlots, int(o.SpreadWindow.Milliseconds()/b.stepMs))
	if 2*kw+1 > nSlots {
		kw = (nSlots - 1) / 2
	}
	// The window slides one slot at a time: it is kept sorted, and each
	// step removes the residuals of slot s−k−1 and inserts those of
	// s+k, so the median is read off the middle (a selection per slot
	// would cost 10,080 selections of 244 values for a per-minute week).
	wrap := func(i int) int { return ((i % nSlots) + nSlots) % nSlots }
	win := make([]float64, 0, (2*kw+1)*len(vals))
	for d := -kw; d <= kw; d++ {
		for _, r := range resid[wrap(d)] {
			win = refInsertSorted(win, r)
		}
	}
	zero := 0
	for s := range b.Slots {
		if s > 0 {
			for _, r := range resid[wrap(s-kw-1)] {
				win = refRemoveSorted(win, r)
			}
			for _, r := range resid[wrap(s+kw)] {
				win = refInsertSorted(win, r)
			}
		}
		sl := &b.Slots[s]
		if sl.Sparse {
			continue
		}
		// At least as many residuals as one slot of MinWeeks weeks
		// gives, and never fewer than 3.
		if len(win) < max(3, o.MinWeeks) {
			sl.Sparse = true
			sl.Center = math.NaN()
			continue
		}
		n := len(win)
		m := win[n/2]
		if n%2 == 0 {
			m = (win[n/2-1] + win[n/2]) / 2
		}
		sl.Spread = MADScale * m
		if sl.Spread == 0 {
			zero++
		}
	}
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

// refInsertSorted inserts v into the sorted slice xs.
func refInsertSorted(xs []float64, v float64) []float64 {
	i, _ := slices.BinarySearch(xs, v)
	return slices.Insert(xs, i, v)
}

// refRemoveSorted removes one copy of v from the sorted slice xs, which
// holds it.
func refRemoveSorted(xs []float64, v float64) []float64 {
	i, _ := slices.BinarySearch(xs, v)
	return slices.Delete(xs, i, i+1)
}

// scan applies the rule to the points (t, v) whose slots are given,
// accumulating counts and deviations into rep.
func (b *Baseline) refScan(ts []int64, vs []float64, slots []int, band []Slot, r DeviationRule, rep *DeviationReport) {
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
		v := vs[i]
		sl := band[slots[i]]
		// A gap in time, a missing value or an unjudged slot ends any run.
		if havePrev && t-prevT > b.stepMs+b.stepMs/2 {
			flush()
		}
		prevT, havePrev = t, true
		if math.IsNaN(v) {
			rep.Missing++
			flush()
			continue
		}
		if sl.Sparse {
			rep.Unjudged++
			flush()
			continue
		}
		rep.Judged++
		var out bool
		var dir BandSide
		switch {
		case v > sl.Center+r.Z*sl.Spread:
			out, dir = true, AboveBand
		case v < sl.Center-r.Z*sl.Spread:
			out, dir = true, BelowBand
		}
		if !out {
			if cur.active {
				cur.gap++
				cur.streak = 0
				if cur.gap >= r.Persistence {
					flush()
				}
			}
			continue
		}
		rep.Outside++
		if cur.active && cur.dir != dir {
			flush()
		}
		ratio := math.NaN()
		if sl.Center != 0 {
			ratio = v / sl.Center
		}
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

func (b *Baseline) refCalibrate(rule DeviationRule) (*Calibration, error) {
	r, err := rule.withDefaults()
	if err != nil {
		return nil, err
	}
	if b.WeeksWithData < 3 {
		return nil, fmt.Errorf("steadystate: calibration needs at least 3 weeks with data to leave one out, have %d: %w", b.WeeksWithData, ErrNotEnoughHistory)
	}
	c := &Calibration{AlarmsPerWeek: make([]int, len(b.vals))}
	judged := 0
	nSlots := len(b.Slots)
	slots := make([]int, nSlots)
	for s := range slots {
		slots[s] = s
	}
	for k := range b.vals {
		c.AlarmsPerWeek[k] = -1
		if !blHasData(b.vals[k]) {
			continue
		}
		sub := &Baseline{Step: b.Step, Location: b.Location, stepMs: b.stepMs, opts: b.opts}
		for j := range b.vals {
			if j != k {
				sub.vals = append(sub.vals, b.vals[j])
			}
		}
		sub.opts.Weeks = len(sub.vals)
		sub.opts.MinWeeks = max(1, min(b.opts.MinWeeks, b.WeeksWithData-1))
		if err := sub.refCompute(nil); err != nil {
			continue
		}
		// The held-out week in time order: it starts at the slot after
		// the end slot, wrapping around the week.
		ts, vs, ss := refWeekInTimeOrder(b.vals[k], b.times[k])
		rep := &DeviationReport{}
		sub.refScan(ts, vs, ss, sub.Slots, r, rep)
		c.WeeksChecked++
		c.AlarmsPerWeek[k] = len(rep.Deviations)
		c.Alarms += len(rep.Deviations)
		judged += rep.Judged
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

// weekInTimeOrder returns the cells of one history week that hold a
// value, sorted by their instants, with their slots. Cells without a value
// are left out; the gaps they leave end runs in scan.
func refWeekInTimeOrder(vals []float64, times []int64) (ts []int64, vs []float64, ss []int) {
	type cell struct {
		t int64
		s int
	}
	cells := make([]cell, 0, len(vals))
	for s, v := range vals {
		if !math.IsNaN(v) {
			cells = append(cells, cell{times[s], s})
		}
	}
	// Cells are in slot order; in time order the week starts somewhere in
	// the middle: find the earliest and rotate (times increase with slot
	// except at the single wrap point).
	start := 0
	for i := range cells {
		if cells[i].t < cells[start].t {
			start = i
		}
	}
	n := len(cells)
	ts, vs, ss = make([]int64, n), make([]float64, n), make([]int, n)
	for i := range n {
		c := cells[(start+i)%n]
		ts[i], vs[i], ss[i] = c.t, vals[c.s], c.s
	}
	return ts, vs, ss
}
