package baseline

import (
	"math"
	"slices"
)

// The order statistics behind New and Calibrate. A baseline of n points
// over W weeks has n/W slots; each slot's values are sorted once
// (slotTable), so that its median, the median without any one week and the
// median without any two weeks are read off by index; the spread's pooled
// window of ±k slots slides over an order-statistic structure (a Fenwick
// tree over the ranks of the values near it, windowStats). Together they
// cost O(n log n), against O(n·W + n·k·W) for selecting each median and
// keeping the window as a sorted slice.

// slotTable holds, per time-of-week slot, the values of the weeks that
// hold one, sorted ascending: slot s's are val[off[s]:off[s+1]].
// rank[k*nSlots+s] is week k's index among slot s's values (ties in week
// order), -1 when it has none there; nil unless asked for.
type slotTable struct {
	off  []int32
	val  []float64
	rank []int32
}

// newSlotTable sorts the values vals[k][s] (NaN for none) slot by slot,
// and with ranks true records each week's rank.
func newSlotTable(vals [][]float64, ranks bool) *slotTable {
	nWeeks, nSlots := len(vals), len(vals[0])
	t := &slotTable{off: make([]int32, nSlots+1)}
	n := 0
	for s := range nSlots {
		for k := range nWeeks {
			if !math.IsNaN(vals[k][s]) {
				n++
			}
		}
		t.off[s+1] = int32(n)
	}
	t.val = make([]float64, 0, n)
	for s := range nSlots {
		o := len(t.val)
		for k := range nWeeks {
			if v := vals[k][s]; !math.IsNaN(v) {
				t.val = append(t.val, v)
			}
		}
		a := t.val[o:]
		if len(a) <= 32 {
			for i := 1; i < len(a); i++ {
				for j := i; j > 0 && a[j] < a[j-1]; j-- {
					a[j], a[j-1] = a[j-1], a[j]
				}
			}
		} else {
			slices.Sort(a)
		}
	}
	if ranks {
		t.rank = make([]int32, nWeeks*nSlots)
		var taken []bool
		for s := range nSlots {
			a := t.slot(s)
			taken = append(taken[:0], make([]bool, len(a))...)
			for k := range nWeeks {
				v := vals[k][s]
				if math.IsNaN(v) {
					t.rank[k*nSlots+s] = -1
					continue
				}
				i, _ := slices.BinarySearch(a, v)
				for taken[i] { // a tie with an earlier week
					i++
				}
				taken[i] = true
				t.rank[k*nSlots+s] = int32(i)
			}
		}
	}
	return t
}

// slot returns slot s's sorted values.
func (t *slotTable) slot(s int) []float64 { return t.val[t.off[s]:t.off[s+1]] }

// sortedMedian is the median of the sorted values a, NaN for none; the
// same value blMedian returns for them in any order.
func sortedMedian(a []float64) float64 {
	m := len(a)
	switch {
	case m == 0:
		return math.NaN()
	case m%2 == 1:
		return a[m/2]
	}
	return (a[m/2-1] + a[m/2]) / 2
}

// medianWithout is the median of the sorted values a without the one at
// index i (len(a) >= 2): the value blMedian returns for the others.
func medianWithout(a []float64, i int) float64 {
	n := len(a) - 1
	at := func(p int) float64 {
		if p >= i {
			p++
		}
		return a[p]
	}
	if n%2 == 1 {
		return at(n / 2)
	}
	return (at(n/2-1) + at(n/2)) / 2
}

// medianWithout2 is the median of the sorted values a without the ones at
// the distinct indices i and j (len(a) >= 3).
func medianWithout2(a []float64, i, j int) float64 {
	if i > j {
		i, j = j, i
	}
	n := len(a) - 2
	at := func(p int) float64 {
		if p >= i {
			p++
			if p >= j {
				p++
			}
		}
		return a[p]
	}
	if n%2 == 1 {
		return at(n / 2)
	}
	return (at(n/2-1) + at(n/2)) / 2
}

// looResiduals returns, for the sorted values a (len(a) >= 2), the
// absolute leave-one-out residuals |a[i] − median of the others|, in a's
// order, appended to dst.
func looResiduals(dst, a []float64) []float64 {
	for i, v := range a {
		dst = append(dst, math.Abs(v-medianWithout(a, i)))
	}
	return dst
}

// windowStats computes, for every slot s of a week of nSlots slots, order
// statistics of the multiset W(s) of the values of slots s−kw to s+kw,
// wrapping around the week (2kw+1 <= nSlots): slot s' contributes
// vals[off[s']:off[s'+1]]. For each slot, want(s, n) is told n = |W(s)|
// and returns the 0-based ranks j1 <= j2 < n it needs, or ok false to
// skip the slot; got(s, n, x1, x2) receives the values of those ranks.
//
// The window slides one slot at a time over a Fenwick tree of the ranks
// of the values: inserting and removing a value and reading a rank cost
// O(log m). The week is cut into chunks of slots, each ranked on its own
// (the values of its slots and kw on either side), so that the tree stays
// small enough for the cache and its ranks need no global sort: each value
// is ranked in about two chunks. The cost is O(n log n) for n values.
func windowStats(nSlots, kw int, off []int32, vals []float64,
	want func(s, n int) (j1, j2 int, ok bool), got func(s, n int, x1, x2 float64)) {
	wrap := func(d int) int { return ((d % nSlots) + nSlots) % nSlots }
	size := func(d int) int { s := wrap(d); return int(off[s+1] - off[s]) }
	// Chunks of at least the window's width and about 64k values.
	perSlot := max(1, len(vals)/nSlots)
	chunk := min(nSlots, max(2*kw+1, (1<<16)/perSlot))
	var (
		local  []float64 // the chunk's values, virtual slot by virtual slot
		sorted []float64 // the chunk's values in order
		pos    []int32   // each local value's rank among the chunk's, 1-based
		tree   []int32
		starts []int // local offset of each virtual slot of the chunk
		rs     radixSorter
	)
	for s0 := 0; s0 < nSlots; s0 += chunk {
		s1 := min(nSlots, s0+chunk)
		d0, d1 := s0-kw, s1+kw // virtual slots [d0, d1)
		local, starts = local[:0], starts[:0]
		for d := d0; d < d1; d++ {
			starts = append(starts, len(local))
			s := wrap(d)
			local = append(local, vals[off[s]:off[s+1]]...)
		}
		starts = append(starts, len(local))
		m := len(local)
		order := rs.sort(local)
		sorted = slices.Grow(sorted[:0], m)[:m]
		pos = slices.Grow(pos[:0], m)[:m]
		for r, i := range order {
			sorted[r] = local[i]
			pos[i] = int32(r + 1)
		}
		tree = slices.Grow(tree[:0], m+1)[:m+1]
		clear(tree)
		top := 1
		for top*2 <= m {
			top *= 2
		}
		add := func(d int, delta int32) {
			for _, p := range pos[starts[d-d0]:starts[d-d0+1]] {
				for i := int(p); i <= m; i += i & -i {
					tree[i] += delta
				}
			}
		}
		// at returns the value of 0-based rank j among those in the tree.
		at := func(j int) float64 {
			p, rem := 0, int32(j+1)
			for step := top; step > 0; step /= 2 {
				if q := p + step; q <= m && tree[q] < rem {
					p = q
					rem -= tree[q]
				}
			}
			return sorted[p]
		}
		n := 0
		for d := s0 - kw; d <= s0+kw; d++ {
			add(d, 1)
			n += size(d)
		}
		for s := s0; s < s1; s++ {
			if s > s0 {
				add(s-kw-1, -1)
				add(s+kw, 1)
				n += size(s+kw) - size(s-kw-1)
			}
			if j1, j2, ok := want(s, n); ok {
				got(s, n, at(j1), at(j2))
			}
		}
	}
}

// radixSorter sorts float64 values by their bits, least significant
// digit first, 11 bits a pass, skipping the digits all values share: for
// the values of windowStats (up to some 100,000) it is several times
// faster than a comparison sort followed by a binary search per value.
type radixSorter struct {
	keys, keys2 []uint64
	idx, idx2   []int32
}

// sort returns the indices of xs in ascending order of value (xs must not
// hold NaN; −0 sorts before +0). The slice is reused by the next call.
func (r *radixSorter) sort(xs []float64) []int32 {
	n := len(xs)
	r.keys = slices.Grow(r.keys[:0], n)[:n]
	r.keys2 = slices.Grow(r.keys2[:0], n)[:n]
	r.idx = slices.Grow(r.idx[:0], n)[:n]
	r.idx2 = slices.Grow(r.idx2[:0], n)[:n]
	const bits, buckets = 11, 1 << 11
	var counts [6][buckets]int32
	for i, x := range xs {
		// Order-preserving: negative values have all bits flipped, the
		// others the sign bit.
		k := math.Float64bits(x)
		if k>>63 == 1 {
			k = ^k
		} else {
			k |= 1 << 63
		}
		r.keys[i], r.idx[i] = k, int32(i)
		for p := range 6 {
			counts[p][k>>(p*bits)&(buckets-1)]++
		}
	}
	for p := range 6 {
		c := &counts[p]
		if n == 0 || c[r.keys[0]>>(p*bits)&(buckets-1)] == int32(n) {
			continue // every value has this digit
		}
		sum := int32(0)
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for i, k := range r.keys {
			d := k >> (p * bits) & (buckets - 1)
			r.keys2[c[d]], r.idx2[c[d]] = k, r.idx[i]
			c[d]++
		}
		r.keys, r.keys2 = r.keys2, r.keys
		r.idx, r.idx2 = r.idx2, r.idx
	}
	return r.idx
}
