package series

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Step returns the series' sampling interval: the median of the differences
// between consecutive timestamps. The median, not the smallest difference,
// so that a few gaps or a stray early scrape do not change the answer; a
// series with half its points missing in one block still reports its
// scrape interval.
//
// Step returns an error for a plain sample or a series with fewer than two
// points, which have no interval.
func (s Series) Step() (time.Duration, error) {
	if len(s.T) < 2 {
		return 0, fmt.Errorf("series %s: %d timestamps; need at least 2 to tell the sampling interval", s.ident(), len(s.T))
	}
	d := make([]int64, len(s.T)-1)
	for i := 1; i < len(s.T); i++ {
		d[i-1] = s.T[i] - s.T[i-1]
	}
	slices.Sort(d)
	return time.Duration(d[(len(d)-1)/2]) * time.Millisecond, nil
}

// Shift returns a copy of s with every timestamp moved by d: Shift(7*24*time.Hour)
// lays last week's series over this week's. Values and labels are shared
// with s (the values are not copied; the timestamps are).
func (s Series) Shift(d time.Duration) Series {
	out := Series{Name: s.Name, Labels: s.Labels, V: s.V}
	if s.T != nil {
		ms := d.Milliseconds()
		out.T = make([]int64, len(s.T))
		for i, t := range s.T {
			out.T[i] = t + ms
		}
	}
	return out
}

// Join returns a and b restricted to the timestamps both have, in time
// order, so that a.V[i] and b.V[i] of the results were measured at the same
// time: the control and the experiment group minute by minute. Missing
// values (NaN) stay in place; drop the pairs where either is NaN with
// Pairs. Both inputs must be valid series with timestamps.
func Join(a, b Series) (Series, Series) {
	// At most min(len(a), len(b)) times are shared, all of them when the
	// two are on one grid: the slices are allocated once, not grown.
	ja := Series{Name: a.Name, Labels: a.Labels}
	jb := Series{Name: b.Name, Labels: b.Labels}
	if m := min(len(a.T), len(b.T)); m > 0 {
		ja.T, ja.V = make([]int64, 0, m), make([]float64, 0, m)
		jb.T, jb.V = make([]int64, 0, m), make([]float64, 0, m)
	}
	i, j := 0, 0
	for i < len(a.T) && j < len(b.T) {
		switch {
		case a.T[i] < b.T[j]:
			i++
		case a.T[i] > b.T[j]:
			j++
		default:
			ja.T = append(ja.T, a.T[i])
			ja.V = append(ja.V, a.V[i])
			jb.T = append(jb.T, b.T[j])
			jb.V = append(jb.V, b.V[j])
			i++
			j++
		}
	}
	return ja, jb
}

// Pairs returns the times and the two values at the timestamps where both a
// and b hold a value that is not missing: the paired observations of a
// time-matched comparison.
func Pairs(a, b Series) (t []int64, va, vb []float64) {
	ja, jb := Join(a, b)
	if n := len(ja.T); n > 0 {
		t, va, vb = make([]int64, 0, n), make([]float64, 0, n), make([]float64, 0, n)
	}
	for i := range ja.T {
		if math.IsNaN(ja.V[i]) || math.IsNaN(jb.V[i]) {
			continue
		}
		t = append(t, ja.T[i])
		va = append(va, ja.V[i])
		vb = append(vb, jb.V[i])
	}
	return t, va, vb
}

// Aggregation says how Resample combines the values that fall in one
// interval.
type Aggregation int

const (
	Mean Aggregation = iota // the mean of the values: for rates, ratios, gauges
	Sum                     // the sum: for counts per interval (requests, downloads)
	Last                    // the last value: for cumulative counters
	Max                     // the largest value: for worst-case latencies
	Min                     // the smallest value
)

var aggNames = [...]string{"mean", "sum", "last", "max", "min"}

func (a Aggregation) String() string {
	if a >= 0 && int(a) < len(aggNames) {
		return aggNames[a]
	}
	return fmt.Sprintf("Aggregation(%d)", int(a))
}

// ErrStep is returned for a step or window length that is not positive or
// not a whole number of milliseconds.
var ErrStep = errors.New("step must be a positive whole number of milliseconds")

func stepMilli(step time.Duration) (int64, error) {
	if step <= 0 || step%time.Millisecond != 0 {
		return 0, fmt.Errorf("%w, got %v", ErrStep, step)
	}
	return step.Milliseconds(), nil
}

// floorTo returns the largest multiple of step at or before t.
func floorTo(t, step int64) int64 {
	q := t / step
	if t%step != 0 && t < 0 {
		q--
	}
	return q * step
}

// Resample returns s on the regular grid of multiples of step since the Unix
// epoch (as Prometheus aligns its range queries): the point at time g
// combines, by agg, the values with g <= t < g+step. Intervals between the
// first and the last point that hold no value, or only missing ones, are
// missing (NaN) in the result — an empty interval is not a zero count. The
// result has no interval before s's first point or after its last.
//
// Resample aggregates per-second or per-scrape data to the one-minute or
// one-hour points the statistics want, and puts two groups scraped at
// different offsets on one grid so that Join pairs them.
func (s Series) Resample(step time.Duration, agg Aggregation) (Series, error) {
	st, err := stepMilli(step)
	if err != nil {
		return Series{}, err
	}
	if agg < Mean || agg > Min {
		return Series{}, fmt.Errorf("series: unknown aggregation %v", agg)
	}
	if len(s.T) == 0 {
		if len(s.V) != 0 {
			return Series{}, fmt.Errorf("series %s: a plain sample has no times to resample", s.ident())
		}
		return Series{Name: s.Name, Labels: s.Labels}, nil
	}
	first, last := floorTo(s.T[0], st), floorTo(s.T[len(s.T)-1], st)
	n := int((last-first)/st) + 1
	out := Series{Name: s.Name, Labels: s.Labels, T: make([]int64, n), V: make([]float64, n)}
	count := make([]int, n)
	for k := range n {
		out.T[k] = first + int64(k)*st
		out.V[k] = math.NaN()
	}
	for i, t := range s.T {
		v := s.V[i]
		if math.IsNaN(v) {
			continue
		}
		k := int((floorTo(t, st) - first) / st)
		if count[k] == 0 {
			out.V[k] = v
		} else {
			switch agg {
			case Mean, Sum:
				out.V[k] += v
			case Last:
				out.V[k] = v
			case Max:
				out.V[k] = max(out.V[k], v)
			case Min:
				out.V[k] = min(out.V[k], v)
			}
		}
		count[k]++
	}
	if agg == Mean {
		for k, c := range count {
			if c > 1 {
				out.V[k] /= float64(c)
			}
		}
	}
	return out, nil
}

// Windows cuts s into consecutive windows of the given length, aligned to
// multiples of length since the Unix epoch (so 30-minute windows start on
// the hour and the half hour, and 24-hour windows at midnight UTC), from
// the one holding the first point to the one holding the last. Every point
// lies in exactly one window. Windows share memory with s, as Window does;
// a window with no points is returned empty, so the i-th window always
// starts at the first window's start plus i*length.
func (s Series) Windows(length time.Duration) ([]Series, error) {
	l, err := stepMilli(length)
	if err != nil {
		return nil, err
	}
	if len(s.T) == 0 {
		return nil, nil
	}
	first, last := floorTo(s.T[0], l), floorTo(s.T[len(s.T)-1], l)
	out := make([]Series, 0, (last-first)/l+1)
	for w := first; w <= last; w += l {
		out = append(out, s.Window(w, w+l))
	}
	return out, nil
}

// Gap is a run of consecutive missing points on a series' regular grid:
// the times from Start to End, both included, at which a point was
// expected and none (or only NaN) was there.
type Gap struct {
	Start, End int64 // Unix milliseconds of the first and last missing grid point
	Missing    int   // number of missing grid points, (End-Start)/step + 1
}

// Duration returns how long the gap leaves the series without data: the
// missing points times the step, which is Missing*step.
func (g Gap) Duration(step time.Duration) time.Duration {
	return time.Duration(g.Missing) * step
}

// Coverage describes how complete a series is against the grid it should
// fill.
type Coverage struct {
	Step     time.Duration // the expected interval between points
	Expected int           // grid points in the range
	Present  int           // grid points holding a value that is not missing
	Gaps     []Gap         // runs of missing grid points, in time order
}

// Completeness returns Present/Expected, or 0 when nothing was expected.
func (c Coverage) Completeness() float64 {
	if c.Expected == 0 {
		return 0
	}
	return float64(c.Present) / float64(c.Expected)
}

// Missing returns the number of expected grid points that hold no value.
func (c Coverage) Missing() int { return c.Expected - c.Present }

// LongestGap returns the duration of the longest gap, or 0 when there is
// none.
func (c Coverage) LongestGap() time.Duration {
	var m int
	for _, g := range c.Gaps {
		m = max(m, g.Missing)
	}
	return time.Duration(m) * c.Step
}

// Coverage measures s against its own regular grid of step over [start,
// end) (Unix milliseconds): how many grid points hold a value that is not
// missing, and where the gaps are. The grid has the phase of s (its first
// point's time modulo step; multiples of step when s has no point), so a
// series exported at :42:53 rather than on the minute is measured on its
// own times, and the expected points are the grid times in the range. A
// grid point is present when a point with a value lies within half a step
// of it, so a scrape that drifts by a few seconds is not a gap. A series
// with no point in the range is all gap; no data is never complete.
func (s Series) Coverage(step time.Duration, start, end int64) (Coverage, error) {
	st, err := stepMilli(step)
	if err != nil {
		return Coverage{}, err
	}
	if len(s.T) == 0 && len(s.V) != 0 {
		return Coverage{}, fmt.Errorf("series %s: a plain sample has no times to check for gaps", s.ident())
	}
	c := Coverage{Step: step}
	var phase int64
	if len(s.T) > 0 {
		phase = s.T[0] - floorTo(s.T[0], st)
	}
	g0 := floorTo(start-phase, st) + phase // the first grid time >= start
	if g0 < start {
		g0 += st
	}
	if end <= g0 {
		return c, nil
	}
	n := int((end-1-g0)/st) + 1
	c.Expected = n
	have := make([]bool, n)
	for i, t := range s.T {
		if k := floorTo(t-g0+st/2, st) / st; k >= 0 && k < int64(n) && !math.IsNaN(s.V[i]) {
			have[k] = true
		}
	}
	for k := 0; k < n; k++ {
		if have[k] {
			c.Present++
			continue
		}
		j := k
		for j+1 < n && !have[j+1] {
			j++
		}
		c.Gaps = append(c.Gaps, Gap{Start: g0 + int64(k)*st, End: g0 + int64(j)*st, Missing: j - k + 1})
		k = j
	}
	return c, nil
}
