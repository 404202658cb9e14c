package baseline

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Calibrate's leave-one-week-out check, week by week. Rebuilding the
// baseline without each week costs W builds of O(n log n) for W weeks:
// quadratic in the weeks at a given resolution. heldOut avoids it for
// almost every point. The held-out baseline without week k differs from
// the full one only through week k: its centre at slot s is the median
// of the slot's other values (read off by index), and its spread the
// pooled median of residuals that each lie between bounds that do not
// depend on k (each residual is measured from a median of the slot's
// values without one or two weeks, which lies between two of the slot's
// middle order statistics). So a k-independent interval [lo, hi] holds
// every held-out spread's median at slot s, and most held-out points lie
// clearly inside or clearly outside the band for every value in it. Only
// the others get the held-out window's exact median, gathered and
// selected; the same floats the rebuilt baseline holds, so the counts are
// the rebuild's.
//
// The cost is two order-statistic passes over the history (O(n log n))
// plus, per week, O(slots) and the exact medians: the fraction of points
// that need one falls as the weeks grow (the middle order statistics
// close in), so that Calibrate grows about linearly in the weeks at a
// given step. Where the bounds decide too little (few weeks, or data that
// sits at the band's edge) a week is rebuilt instead, and the worst case
// is the rebuild's O(W·n log n).

// weekCheck is the result of checking one held-out week.
type weekCheck struct {
	checked        bool // false: the week has no data, or no baseline without it
	alarms, judged int
}

// calibrateWeeks checks each week of the history against the baseline of
// the others, in parallel over the weeks. It hands out no more weeks once
// ctx is done, and then returns an error wrapping ctx.Err() when weeks
// were left unchecked: the weeks being checked finish first, a fraction of
// a second each at a million points.
func (b *Baseline) calibrateWeeks(ctx context.Context, r DeviationRule) ([]weekCheck, error) {
	out := make([]weekCheck, len(b.vals))
	var h *heldOut
	if !b.opts.LevelAdjust && !b.opts.LogScale && !b.opts.PoolDays && b.opts.Resolution == 0 && len(b.vals) >= heldOutMinWeeks && blModerate(b.vals) {
		// Level adjustment rescales the weeks anew for each held-out
		// baseline, so the values are not shared: it rebuilds. So do
		// the log scale, the spread pooled over days and the spread's
		// floor (Resolution), which the shared bounds do not know. b.opts
		// holds the model New chose (ModelCounts sets LogScale and
		// PoolDays), and each held-out baseline is built with it.
		h = b.newHeldOut()
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(b.vals)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc heldOutScratch
			for k := range next {
				if h != nil {
					if c, ok := h.check(k, r, &sc); ok {
						out[k] = c
						continue
					}
				}
				out[k] = b.rebuildWeek(k, r)
			}
		}()
	}
	var stopped error
	for k := range b.vals {
		if stopped = ctx.Err(); stopped != nil {
			break
		}
		if blHasData(b.vals[k]) {
			next <- k
		}
	}
	close(next)
	wg.Wait()
	if stopped != nil {
		return nil, fmt.Errorf("steadystate: calibration stopped: %w", stopped)
	}
	return out, nil
}

// heldOutMinWeeks is the fewest weeks for which heldOut is tried: with
// fewer, the middle order statistics that bound a slot's medians span a
// third of its values or more, the bounds are wide, and too many points
// need the exact median, which the rebuild finds faster. On the per-minute
// stream starts of BenchmarkScaleWeeks, 99% of the held-out points were
// undecided with 8 weeks, 28% with 12, 6% with 13 and 16, 0.08% with 52.
const heldOutMinWeeks = 13

// blModerate reports whether every value is finite and small enough that
// sums of two of them cannot overflow (the bounds of heldOut rely on the
// mean of two values lying between them).
func blModerate(vals [][]float64) bool {
	for _, row := range vals {
		for _, v := range row {
			if math.Abs(v) > 1e300 { // false for NaN, which is missing
				return false
			}
		}
	}
	return true
}

// rebuildWeek checks week k against the baseline built from the other
// weeks.
func (b *Baseline) rebuildWeek(k int, r DeviationRule) weekCheck {
	sub := &Baseline{Step: b.Step, Location: b.Location, stepMs: b.stepMs, opts: b.opts}
	for j := range b.vals {
		if j != k {
			sub.vals = append(sub.vals, b.vals[j])
		}
	}
	sub.opts.Weeks = len(sub.vals)
	sub.opts.MinWeeks = b.heldOutMinWeeks()
	if err := sub.compute(nil); err != nil {
		return weekCheck{}
	}
	// The held-out week in time order: it starts at the slot after the
	// end slot, wrapping around the week.
	ts, ss := blWeekInTimeOrder(b.vals[k], b.times[k])
	rep := &DeviationReport{}
	vs := b.vals[k]
	sub.scan(ts, func(i int) int8 { return bandClass(sub.onScale(vs[ss[i]]), sub.judged(int(ss[i])), r) },
		func(int) float64 { return math.NaN() }, r, rep)
	return weekCheck{checked: true, alarms: len(rep.Deviations), judged: rep.Judged}
}

// heldOutMinWeeks is MinWeeks of the baselines without one week: at most
// their number of weeks with data.
func (b *Baseline) heldOutMinWeeks() int {
	return max(1, min(b.opts.MinWeeks, b.WeeksWithData-1))
}

// heldOut holds what the held-out baselines share (see calibrateWeeks).
type heldOut struct {
	b    *Baseline
	tab  *slotTable // each slot's values sorted, with each week's rank
	loo  []float64  // leave-one-out residuals of slots with two values or more, aligned with tab.val
	kw   int        // half-width of the spread's window in slots
	minW int        // MinWeeks of the held-out baselines
	// budget: check gives up, for a rebuild, when the exact medians would
	// gather more than budget times the held-out baseline's residuals
	// (measured: gathering and selecting cost about a sixth of what a
	// rebuild costs per residual).
	budget int
	// lo[s] <= the median of every held-out baseline's pooled residuals
	// at slot s <= hi[s].
	lo, hi []float64
}

type heldOutScratch struct {
	class []int8
	buf   []float64
	amb   []int32
}

func (b *Baseline) newHeldOut() *heldOut {
	nSlots := len(b.vals[0])
	tab := newSlotTable(b.vals, true)
	h := &heldOut{b: b, tab: tab, minW: b.heldOutMinWeeks(), budget: 6, lo: make([]float64, nSlots), hi: make([]float64, nSlots)}
	h.kw = max(minSpreadSlots, int(b.opts.SpreadWindow.Milliseconds()/b.stepMs))
	if 2*h.kw+1 > nSlots {
		h.kw = (nSlots - 1) / 2
	}
	h.loo = make([]float64, len(tab.val))
	// Bounds on each residual any held-out baseline holds: week j's
	// residual at slot s is |x_j − c|, c the median of the slot's values
	// without j (and without the held-out week, if it has one there).
	// With m values a_0 <= … <= a_{m−1}, c lies in
	// [a_{⌊(m−3)/2⌋}, a_{⌊(m−2)/2⌋+2}]; with two values there is one
	// residual each or none.
	off := make([]int32, nSlots+1) // slots with two values or more
	rmin, rmax := make([]float64, 0, len(tab.val)), make([]float64, 0, len(tab.val))
	drop := make([]int, nSlots) // residuals a held-out week can remove from slot s
	for s := range nSlots {
		a := tab.slot(s)
		m := len(a)
		if m >= 2 { // in place: the slot's stretch of loo
			looResiduals(h.loo[tab.off[s]:tab.off[s]], a)
		}
		switch {
		case m == 2:
			r := math.Abs(a[0] - a[1])
			rmin, rmax = append(rmin, r, r), append(rmax, r, r)
			drop[s] = 2
		case m >= 3:
			cmin, cmax := a[(m-3)/2], a[(m-2)/2+2]
			for _, v := range a {
				switch {
				case v >= cmax:
					rmin, rmax = append(rmin, v-cmax), append(rmax, v-cmin)
				case v <= cmin:
					rmin, rmax = append(rmin, cmin-v), append(rmax, cmax-v)
				default:
					rmin, rmax = append(rmin, 0), append(rmax, max(v-cmin, cmax-v))
				}
			}
			drop[s] = 1
		}
		off[s+1] = int32(len(rmin))
	}
	// The held-out baseline without week k pools, at slot s, the
	// residuals of the window less those week k removes (d <= dmax) and
	// each within its bounds: its order statistic j is at least the j-th
	// of the lower bounds and at most the (j+d)-th of the upper ones.
	dmax := h.windowSums(func(s int) int { return drop[s] })
	windowStats(nSlots, h.kw, off, rmin, func(s, n int) (int, int, bool) {
		if n == 0 {
			return 0, 0, false
		}
		j := max(0, (n-dmax[s]-1)/2)
		return j, j, true
	}, func(s, _ int, x, _ float64) { h.lo[s] = x })
	windowStats(nSlots, h.kw, off, rmax, func(s, n int) (int, int, bool) {
		if n == 0 {
			return 0, 0, false
		}
		j := min(n-1, (n+dmax[s])/2)
		return j, j, true
	}, func(s, _ int, x, _ float64) { h.hi[s] = x })
	return h
}

// windowSums returns, for each slot s, the sum of f over the slots of its
// window, s−kw to s+kw wrapping around the week.
func (h *heldOut) windowSums(f func(s int) int) []int {
	nSlots := len(h.lo)
	wrap := func(d int) int { return ((d % nSlots) + nSlots) % nSlots }
	out := make([]int, nSlots)
	sum := 0
	for d := -h.kw; d <= h.kw; d++ {
		sum += f(wrap(d))
	}
	for s := range nSlots {
		if s > 0 {
			sum += f(wrap(s+h.kw)) - f(wrap(s-h.kw-1))
		}
		out[s] = sum
	}
	return out
}

// check checks week k against the baseline without it (see
// calibrateWeeks). It returns ok false when so many points need the exact
// median that rebuilding the baseline is cheaper.
func (h *heldOut) check(k int, r DeviationRule, sc *heldOutScratch) (weekCheck, bool) {
	b, tab := h.b, h.tab
	nSlots := len(h.lo)
	rank := tab.rank[k*nSlots : (k+1)*nSlots]
	// The held-out baseline's residuals per slot and pooled per window.
	count := func(s int) int {
		m := int(tab.off[s+1] - tab.off[s])
		if rank[s] >= 0 {
			m--
		}
		if m < 2 {
			return 0
		}
		return m
	}
	pooled := h.windowSums(count)
	if cap(sc.class) < nSlots {
		sc.class = make([]int8, nSlots)
	}
	class := sc.class[:nSlots]
	sc.amb = sc.amb[:0]
	exact, total := 0, 0
	for s := range nSlots {
		total += count(s)
		i := int(rank[s])
		if i < 0 {
			class[s] = pointMissing
			continue
		}
		a := tab.slot(s)
		if len(a)-1 < h.minW || pooled[s] < max(3, h.minW) {
			class[s] = pointUnjudged
			continue
		}
		v, c := a[i], medianWithout(a, i)
		// The band's edges are monotone in the spread's median: decide
		// when both bounds agree.
		above, below := v > c+r.Z*(MADScale*h.hi[s]), v < c-r.Z*(MADScale*h.hi[s])
		notAbove, notBelow := !(v > c+r.Z*(MADScale*h.lo[s])), !(v < c-r.Z*(MADScale*h.lo[s]))
		switch {
		case above:
			class[s] = pointAbove
		case notAbove && below:
			class[s] = pointBelow
		case notAbove && notBelow:
			class[s] = pointInside
		default:
			sc.amb = append(sc.amb, int32(s))
			exact += pooled[s]
		}
	}
	if exact > h.budget*total {
		return weekCheck{}, false
	}
	for _, s := range sc.amb {
		a := tab.slot(int(s))
		i := int(rank[s])
		sl := Slot{Center: medianWithout(a, i), Spread: MADScale * h.exactMedian(int(s), rank, sc)}
		class[s] = bandClass(a[i], sl, r)
	}
	ts, ss := blWeekInTimeOrder(b.vals[k], b.times[k])
	rep := &DeviationReport{}
	b.scan(ts, func(i int) int8 { return class[ss[i]] }, func(int) float64 { return math.NaN() }, r, rep)
	return weekCheck{checked: true, alarms: len(rep.Deviations), judged: rep.Judged}, true
}

// exactMedian returns the median of the residuals the baseline without the
// week whose ranks are given pools at slot s: the value the rebuilt
// baseline's window holds.
func (h *heldOut) exactMedian(s int, rank []int32, sc *heldOutScratch) float64 {
	tab := h.tab
	nSlots := len(h.lo)
	buf := sc.buf[:0]
	for d := s - h.kw; d <= s+h.kw; d++ {
		s2 := ((d % nSlots) + nSlots) % nSlots
		a := tab.slot(s2)
		m := len(a)
		j := int(rank[s2])
		switch {
		case j < 0 && m >= 2:
			buf = append(buf, h.loo[tab.off[s2]:tab.off[s2+1]]...)
		case j >= 0 && m >= 3:
			for i, v := range a {
				if i != j {
					buf = append(buf, math.Abs(v-medianWithout2(a, i, j)))
				}
			}
		}
	}
	sc.buf = buf
	return blMedian(buf)
}
