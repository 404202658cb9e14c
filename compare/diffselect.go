package compare

import (
	"cmp"
	"math"
	"slices"
)

// Order statistics of the n1·n2 differences x_i − y_j of two sorted samples,
// without forming them: the Hodges-Lehmann estimate and its interval are
// three or four of them. The differences are computed as x_i − y_j in
// float64 everywhere, so the answers are differences exactly as a brute
// force over all pairs would give them.
//
// The search for several ranks at once runs in rounds of counting passes:
//
//  1. A grid of every r-th order statistic of each sample (r from 2 to 16)
//     gives the same ranks among the grid's differences, found by this search
//     recursively; each, widened by six standard errors of the grid's count,
//     becomes a probe of the full problem. The probes are real differences;
//     when the two around a rank are the same value (ties), a count just
//     below that value usually ends the search at once.
//  2. A counting pass, count(d) = #{x_i − y_j ≤ d}, is a merge of x with
//     y + d; it runs as four independent merges over quarters of x in one
//     loop without data-dependent branches (countDiffsFast), so it is bound
//     by throughput, not by branch misses or load latency. Each probe's
//     count narrows the bracket (lo, hi], count(lo) < k ≤ count(hi), of every
//     rank, not only of the rank it was placed for.
//  3. When a bracket holds at most collectLimit differences one more
//     pass collects them (collectDiffs) and a selection picks the rank. In
//     the usual case that is all: the grid's probes bracket each rank
//     tightly enough, so the search costs about two passes a rank.
//  4. Otherwise the bracket is narrowed by two probes interpolated on the
//     counts around the rank, and when that stalls (heavy ties: a single
//     value can hold billions of differences) by bisection over the float64
//     bit patterns with a pass that also returns the nearest differences on
//     either side of the probe (countDiffs), which ends the search as soon as
//     no difference lies strictly inside the bracket.

// diffsCollectMax is the most differences a bracket may hold for them to be
// collected and selected directly (1 MiB of float64). A variable only so
// that a test can make it small and drive every path of the search.
var diffsCollectMax int64 = 1 << 17

// collectLimit is the most differences collected for a bracket of n1·n2:
// about one counting pass's worth (n1 + n2), which then costs no more than
// the passes, but at least 4096 and at most diffsCollectMax.
func collectLimit(n1, n2 int) int64 {
	return min(max(int64(n1+n2), 4096), diffsCollectMax)
}

// diffsGridMin: a sample this short is not subsampled for the grid.
const diffsGridMin = 256

// kthDiff returns the k-th smallest (1-based) of the differences x_i − y_j
// of sorted x and y.
func kthDiff(x, y []float64, k int64) float64 {
	return kthDiffs(x, y, []int64{k})[0]
}

// kthDiffs returns, for each rank k in ks (1-based, at most len(x)·len(y)),
// the k-th smallest of the differences x_i − y_j of sorted x and y; a rank of
// 0 gives NaN.
func kthDiffs(x, y []float64, ks []int64) []float64 {
	out := make([]float64, len(ks))
	var buf []float64
	selectDiffs(x, y, ks, out, &buf)
	return out
}

// diffBracket is the search state of one rank k: count(lo) < k ≤ count(hi).
type diffBracket struct {
	k        int64
	lo, hi   float64
	clo, chi int64
	gtlo     float64 // the smallest difference above lo, NaN if not known
	hiReal   bool    // hi is itself a difference
	prevM    int64   // chi − clo when the last probes were chosen
	done     bool
	val      float64
}

// probe is a point at which to count the differences; full asks for the
// nearest differences on either side as well; real says d is a difference.
type probe struct {
	d          float64
	full, real bool
}

func selectDiffs(x, y []float64, ks []int64, out []float64, buf *[]float64) {
	n1, n2 := len(x), len(y)
	mn := int64(n1) * int64(n2)
	limit := collectLimit(n1, n2)
	if mn <= limit {
		all := slices.Grow((*buf)[:0], int(mn))
		for _, xi := range x {
			for _, yj := range y {
				all = append(all, xi-yj)
			}
		}
		*buf = all
		for t, k := range ks {
			out[t] = math.NaN()
			if k > 0 {
				out[t] = selectKth(all, int(k-1))
			}
		}
		return
	}

	dmin, dmax := x[0]-y[n2-1], x[n1-1]-y[0]
	var bs []*diffBracket
	for t, k := range ks {
		out[t] = math.NaN()
		if k <= 0 {
			continue
		}
		// The same rank asked twice shares one bracket.
		dup := false
		for _, b := range bs {
			dup = dup || b.k == k
		}
		if !dup {
			bs = append(bs, &diffBracket{k: k, lo: math.Inf(-1), hi: dmax, chi: mn, gtlo: dmin, hiReal: true, prevM: 2*mn + 1})
		}
	}
	for _, b := range bs {
		b.check()
	}

	var collected bool
	var cLo, cHi float64
	for probes := gridProbes(x, y, bs, buf); ; {
		for _, p := range probes {
			var c int64
			le, gt := math.NaN(), math.NaN()
			if p.full {
				c, le, gt = countDiffs(x, y, p.d)
			} else {
				c = countDiffsFast(x, y, p.d)
			}
			for _, b := range bs {
				b.update(p, c, le, gt)
			}
		}
		probes = probes[:0]
		for _, b := range bs {
			if b.done {
				continue
			}
			m := b.chi - b.clo
			switch {
			case m <= limit:
				// Ranks in the same bracket share one collection.
				if !collected || b.lo != cLo || b.hi != cHi {
					*buf = collectDiffs(x, y, b.lo, b.hi, slices.Grow((*buf)[:0], int(m)))
					collected, cLo, cHi = true, b.lo, b.hi
				}
				b.val, b.done = selectKth(*buf, int(b.k-b.clo-1)), true
			case 2*m > b.prevM:
				probes = append(probes, b.bisect(dmin)...)
			default:
				probes = append(probes, b.interpolate(dmin)...)
			}
			b.prevM = m
		}
		if len(probes) == 0 {
			break
		}
		probes = dedupProbes(probes)
	}
	for t, k := range ks {
		for _, b := range bs {
			if b.k == k {
				out[t] = b.val
			}
		}
	}
}

// update narrows the bracket by the count c at the probe; le and gt are the
// nearest differences at or below it and above it when the probe is full.
func (b *diffBracket) update(p probe, c int64, le, gt float64) {
	if b.done {
		return
	}
	d, full := p.d, p.full
	if c < b.k {
		if d > b.lo || (d == b.lo && full) {
			b.lo, b.clo, b.gtlo = d, c, math.NaN()
			if full {
				b.gtlo = gt
			}
		}
	} else if d < b.hi || (d == b.hi && full) {
		b.hi, b.chi, b.hiReal = d, c, p.real
		if full {
			// No difference lies in (le, d]: le has the same count.
			b.hi, b.hiReal = le, true
		}
	}
	b.check()
}

// check ends the search when the bracket holds a single value.
func (b *diffBracket) check() {
	if b.hiReal && (b.gtlo >= b.hi || b.chi-b.clo == 1) {
		b.val, b.done = b.hi, true
	}
}

// left returns the bracket's lower end for interpolation: lo, or the smallest
// difference while lo is −Inf.
func (b *diffBracket) left(dmin float64) float64 {
	if math.IsInf(b.lo, -1) {
		return dmin
	}
	return b.lo
}

// interpolate places two probes on either side of the rank, interpolating
// linearly on the counts at the bracket's ends; the margin allows for the
// scatter of the differences (√m) and for the curvature of their
// distribution across the bracket (m/128).
func (b *diffBracket) interpolate(dmin float64) []probe {
	lo := b.left(dmin)
	m := float64(b.chi - b.clo)
	delta := 4*math.Sqrt(m) + m/128 + 1
	var ps []probe
	for _, r := range []float64{float64(b.k) - delta, float64(b.k) + delta} {
		if r <= float64(b.clo) || r >= float64(b.chi) {
			continue
		}
		d := lo + (b.hi-lo)*((r-float64(b.clo))/m)
		if d > lo && d < b.hi {
			ps = append(ps, probe{d: d})
		}
	}
	if len(ps) == 0 {
		return b.bisect(dmin)
	}
	return ps
}

// bisect halves the bracket over the ordered float64 bit patterns with a
// full count; when the ends are neighbours it counts at both ends, which
// ends the search (update, check).
func (b *diffBracket) bisect(dmin float64) []probe {
	lo := b.left(dmin)
	ka, kb := floatKey(lo), floatKey(b.hi)
	if kb-ka > 1 {
		if d := keyFloat(ka + (kb-ka)/2); d > b.lo && d < b.hi {
			if b.hiReal {
				return []probe{{d: d, full: true}}
			}
			// Snap hi to a difference as well, so that a probe that
			// finds no difference between it and hi ends the search.
			return []probe{{d: d, full: true}, {d: b.hi, full: true}}
		}
	}
	return []probe{{d: b.hi, full: true}, {d: lo, full: true}}
}

// gridProbes finds each bracket's rank among the differences of a grid of
// every r-th order statistic of x and of y (the middle one of each block of
// r) and returns, for each, the grid's differences six standard errors of
// the grid's count below and above it. They are real differences of the
// full samples. buf is the collection buffer, shared by every level. The standard error: with every r2-th value of y each grid
// row's count is off by a uniform fraction of one grid column, so the sum
// over the g1 rows is off by about √(g1/12) grid ranks, and likewise for
// the columns. r is the largest step (up to 16) for which the expected
// bracket still fits half of collectLimit.
func gridProbes(x, y []float64, bs []*diffBracket, buf *[]float64) []probe {
	n1, n2 := len(x), len(y)
	grid := func(n, r int) int {
		if n < diffsGridMin {
			return n
		}
		return (n + r - 1) / r
	}
	errOf := func(r int) (g1, g2 int, se float64) {
		g1, g2 = grid(n1, r), grid(n2, r)
		if g1 < n1 {
			se += math.Sqrt(float64(g2) / 12)
		}
		if g2 < n2 {
			se += math.Sqrt(float64(g1) / 12)
		}
		return g1, g2, se
	}
	r := 2
	for r < 16 {
		g1, g2, se := errOf(r + 1)
		width := 2 * (6*se + 2) * float64(n1) / float64(g1) * float64(n2) / float64(g2)
		if width > float64(collectLimit(n1, n2)/2) {
			break
		}
		r++
	}
	g1, g2, se := errOf(r)
	if g1 == n1 && g2 == n2 {
		return nil
	}
	sub := func(v []float64, g int) []float64 {
		if g == len(v) {
			return v
		}
		s := make([]float64, g)
		for i := range s {
			s[i] = v[min(i*r+r/2, len(v)-1)]
		}
		return s
	}
	gx, gy := sub(x, g1), sub(y, g2)
	gn := int64(g1) * int64(g2)
	scale := float64(gn) / (float64(n1) * float64(n2))
	margin := 6*se + 2
	// Ranks whose windows overlap share their outer ends, so the number of
	// ranks does not double from one level to the next.
	type window struct{ lo, hi float64 }
	var ws []window
	for _, b := range bs {
		if !b.done {
			c := float64(b.k) * scale
			ws = append(ws, window{c - margin, c + margin})
		}
	}
	slices.SortFunc(ws, func(a, b window) int { return cmp.Compare(a.lo, b.lo) })
	var ranks []int64
	for i := 0; i < len(ws); {
		w := ws[i]
		for i++; i < len(ws) && ws[i].lo <= w.hi; i++ {
			w.hi = max(w.hi, ws[i].hi)
		}
		for _, r := range []float64{w.lo, w.hi} {
			ranks = append(ranks, min(max(int64(math.Round(r)), 1), gn))
		}
	}
	d := make([]float64, len(ranks))
	selectDiffs(gx, gy, ranks, d, buf)
	var ps []probe
	for i := 0; i < len(d); i += 2 {
		ps = append(ps, probe{d: d[i], real: true}, probe{d: d[i+1], real: true})
		if d[i] == d[i+1] {
			// One value spans the window (ties): count just below it as
			// well, with the nearest difference above, which is that value
			// if the rank is there.
			ps = append(ps, probe{d: math.Nextafter(d[i], math.Inf(-1)), full: true})
		}
	}
	return dedupProbes(ps)
}

// dedupProbes sorts the probes and merges those at the same point.
func dedupProbes(ps []probe) []probe {
	slices.SortFunc(ps, func(a, b probe) int { return cmp.Compare(a.d, b.d) })
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].d == p.d {
			out[n-1].full = out[n-1].full || p.full
			out[n-1].real = out[n-1].real || p.real
			continue
		}
		out = append(out, p)
	}
	return out
}

// countDiffs returns the number of differences x_i − y_j ≤ d, the largest
// such difference (le) and the smallest difference above d (gt; +Inf if
// none).
func countDiffs(x, y []float64, d float64) (c int64, le, gt float64) {
	n2 := len(y)
	le, gt = math.Inf(-1), math.Inf(1)
	// For each x_i the differences x_i − y_j fall as j rises, and the first
	// j with x_i − y_j ≤ d never moves left as x_i grows.
	p := 0
	for _, xi := range x {
		for p < n2 && xi-y[p] > d {
			p++
		}
		c += int64(n2 - p)
		if p < n2 {
			le = max(le, xi-y[p])
		}
		if p > 0 {
			gt = min(gt, xi-y[p-1])
		}
	}
	return c, le, gt
}

// firstAtMost returns the first j with xi − y[j] ≤ d (len(y) if none).
func firstAtMost(y []float64, xi, d float64) int {
	lo, hi := 0, len(y)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xi-y[m] > d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// countDiffsFast returns the number of differences x_i − y_j ≤ d. It is the
// merge of countDiffs written as four merges over quarters of x, each
// started by a binary search, stepped together in one loop: each step
// advances either the row i (adding the n2 − p differences of row i that are
// ≤ d) or the column p, chosen by a comparison turned into 0 or 1 rather
// than a branch. The four chains are independent, so the processor overlaps
// them.
func countDiffsFast(x, y []float64, d float64) int64 {
	n1, n2 := len(x), len(y)
	var is, ps, es [4]int
	for s := range 4 {
		is[s], es[s] = n1*s/4, n1*(s+1)/4
		if is[s] < es[s] {
			ps[s] = firstAtMost(y, x[is[s]], d)
		}
	}
	i0, i1, i2, i3 := is[0], is[1], is[2], is[3]
	p0, p1, p2, p3 := ps[0], ps[1], ps[2], ps[3]
	e0, e1, e2, e3 := es[0], es[1], es[2], es[3]
	var c0, c1, c2, c3 int64
	for i0 < e0 && i1 < e1 && i2 < e2 && i3 < e3 && p0 < n2 && p1 < n2 && p2 < n2 && p3 < n2 {
		var b0, b1, b2, b3 int
		if x[i0]-y[p0] <= d {
			b0 = 1
		}
		if x[i1]-y[p1] <= d {
			b1 = 1
		}
		if x[i2]-y[p2] <= d {
			b2 = 1
		}
		if x[i3]-y[p3] <= d {
			b3 = 1
		}
		c0 += int64(b0 * (n2 - p0))
		c1 += int64(b1 * (n2 - p1))
		c2 += int64(b2 * (n2 - p2))
		c3 += int64(b3 * (n2 - p3))
		i0, p0 = i0+b0, p0+1-b0
		i1, p1 = i1+b1, p1+1-b1
		i2, p2 = i2+b2, p2+1-b2
		i3, p3 = i3+b3, p3+1-b3
	}
	rest := func(i, p, e int) int64 {
		var c int64
		for ; i < e; i++ {
			xi := x[i]
			for p < n2 && xi-y[p] > d {
				p++
			}
			c += int64(n2 - p)
		}
		return c
	}
	return c0 + c1 + c2 + c3 + rest(i0, p0, e0) + rest(i1, p1, e1) + rest(i2, p2, e2) + rest(i3, p3, e3)
}

// collectDiffs appends to buf the differences in (lo, hi] and returns it.
// It is countDiffsFast's merge at lo: when row i is reached at column p (its
// first difference ≤ lo), the row's differences in (lo, hi] are x_i − y_j
// for j = p−1, p−2, … while they stay ≤ hi, a check that is almost always
// false at once.
func collectDiffs(x, y []float64, lo, hi float64, buf []float64) []float64 {
	n1, n2 := len(x), len(y)
	row := func(i, p int) {
		xi := x[i]
		for j := p - 1; j >= 0 && xi-y[j] <= hi; j-- {
			buf = append(buf, xi-y[j])
		}
	}
	var is, ps, es [4]int
	for s := range 4 {
		is[s], es[s] = n1*s/4, n1*(s+1)/4
		if is[s] < es[s] {
			ps[s] = firstAtMost(y, x[is[s]], lo)
		}
	}
	i0, i1, i2, i3 := is[0], is[1], is[2], is[3]
	p0, p1, p2, p3 := ps[0], ps[1], ps[2], ps[3]
	e0, e1, e2, e3 := es[0], es[1], es[2], es[3]
	for i0 < e0 && i1 < e1 && i2 < e2 && i3 < e3 && p0 < n2 && p1 < n2 && p2 < n2 && p3 < n2 {
		var b0, b1, b2, b3 int
		if x[i0]-y[p0] <= lo {
			b0 = 1
		}
		if x[i1]-y[p1] <= lo {
			b1 = 1
		}
		if x[i2]-y[p2] <= lo {
			b2 = 1
		}
		if x[i3]-y[p3] <= lo {
			b3 = 1
		}
		// A row is reached (b = 1) with a difference in (lo, hi] just
		// before its column: rare, so a branch the processor predicts.
		var h0, h1, h2, h3 int
		if p0 > 0 && x[i0]-y[p0-1] <= hi {
			h0 = 1
		}
		if p1 > 0 && x[i1]-y[p1-1] <= hi {
			h1 = 1
		}
		if p2 > 0 && x[i2]-y[p2-1] <= hi {
			h2 = 1
		}
		if p3 > 0 && x[i3]-y[p3-1] <= hi {
			h3 = 1
		}
		if b0&h0|b1&h1|b2&h2|b3&h3 != 0 {
			if b0&h0 != 0 {
				row(i0, p0)
			}
			if b1&h1 != 0 {
				row(i1, p1)
			}
			if b2&h2 != 0 {
				row(i2, p2)
			}
			if b3&h3 != 0 {
				row(i3, p3)
			}
		}
		i0, p0 = i0+b0, p0+1-b0
		i1, p1 = i1+b1, p1+1-b1
		i2, p2 = i2+b2, p2+1-b2
		i3, p3 = i3+b3, p3+1-b3
	}
	rest := func(i, p, e int) {
		for ; i < e; i++ {
			xi := x[i]
			for p < n2 && xi-y[p] > lo {
				p++
			}
			row(i, p)
		}
	}
	rest(i0, p0, e0)
	rest(i1, p1, e1)
	rest(i2, p2, e2)
	rest(i3, p3, e3)
	return buf
}

// selectKth returns the k-th smallest (0-based) of a, reordering a: a
// quickselect with Hoare's partition around the median of three, which keeps
// runs of equal values from degrading it.
func selectKth(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	for hi-lo > 16 {
		m := int(uint(lo+hi) >> 1)
		if a[m] < a[lo] {
			a[m], a[lo] = a[lo], a[m]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[m] {
			a[hi], a[m] = a[m], a[hi]
		}
		pivot := a[m]
		i, j := lo-1, hi+1
		for {
			for i++; a[i] < pivot; i++ {
			}
			for j--; a[j] > pivot; j-- {
			}
			if i >= j {
				break
			}
			a[i], a[j] = a[j], a[i]
		}
		if k <= j {
			hi = j
		} else {
			lo = j + 1
		}
	}
	slices.Sort(a[lo : hi+1])
	return a[k]
}
