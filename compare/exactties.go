package compare

import "slices"

// The exact null distribution of the Mann-Whitney U given the tie pattern of
// the pooled sample: under the null every choice of which n1 of the N = n1 +
// n2 pooled values are the experiment's is equally likely, and U (ties
// counting one half) is computed with the tie groups as they are. This is the
// permutation distribution that go-moremath's UDist (Klotz 1966; Cheung &
// Klotz 1997) and golang.org/x/perf's benchmath use, computed here by a
// pruned dynamic programme over the tie groups (in the spirit of the network
// algorithm of Mehta & Patel 1983), so that 50+50 with ties costs well under
// a millisecond.

// tieGroups returns the sizes of the groups of equal values of the pooled
// sorted samples x and y, in ascending order of value.
func tieGroups(x, y []float64) []int {
	var g []int
	n1, n2 := len(x), len(y)
	for i, j := 0, 0; i < n1 || j < n2; {
		var v float64
		switch {
		case j == n2:
			v = x[i]
		case i == n1:
			v = y[j]
		default:
			v = min(x[i], y[j])
		}
		i0, j0 := i, j
		for i < n1 && x[i] == v {
			i++
		}
		for j < n2 && y[j] == v {
			j++
		}
		g = append(g, i-i0+j-j0)
	}
	return g
}

// tiedUTails returns P(U ≤ u) and P(U ≥ u) for the U of the experiment
// (n1 values) under the permutation null given the tie groups (sizes in
// ascending order of value; they sum to n1 + n2). u is a multiple of 1/2.
// Each tail is computed on its own, so a tail probability far below 1 is
// accurate to its last digits, not to 1e-16 absolute.
func tiedULower(groups []int, n1, n2 int, u float64) float64 {
	return tiedTail(groups, n1, n2, int(2*u))
}

// tiedUUpper returns P(U ≥ u): by reversing the order of the values, the
// experiment's U becomes n1n2 − U and the tie groups come in reverse order.
func tiedUUpper(groups []int, n1, n2 int, u float64) float64 {
	rev := slices.Clone(groups)
	slices.Reverse(rev)
	return tiedTail(rev, n1, n2, 2*n1*n2-int(2*u))
}

// tiedTail returns P(2U ≤ c) under the permutation null given the tie groups.
//
// The pooled values are taken group by group. After the first b values, a
// state is (k, s): k of them are the experiment's, y = b − k the control's,
// and s is twice the U counted so far (the pairs among the first b values).
// Taking c' of the t values of the next group for the experiment adds
// c'·(2y + t − c') to s, with the hypergeometric probability
// C(t, c')·C(R−t, r−c')/C(R, r), R = N − b values and r = n1 − k experiment
// values remaining; the states hold probabilities, never counts, so nothing
// overflows. The r experiment values still to come each add at least 2y
// (all after the y control values seen) and at most 2n2, so a state with
// s + 2ry > c can never reach the tail and is dropped, and one with
// s + 2r·n2 ≤ c always does and is counted at once. Only the states between
// the two survive: for each k at most min(2ky, 2r(n2 − y), c) + 1 values
// of s. The cost is about the sum of these widths over the group boundaries
// and k, times the group sizes (tiedCost).
func tiedTail(groups []int, n1, n2, c int) float64 {
	n := n1 + n2
	switch {
	case c < 0:
		return 0
	case c >= 2*n1*n2:
		return 1
	}
	// The states (k, s) of one boundary live in one buffer: row k holds s
	// in [lo[k], lo[k]+ln[k]) at buf[off[k]:]. Two such layers alternate.
	type layer struct {
		buf         []float64
		lo, ln, off []int
	}
	newLayer := func() *layer {
		return &layer{lo: make([]int, n1+1), ln: make([]int, n1+1), off: make([]int, n1+1)}
	}
	cur, nxt := newLayer(), newLayer()
	cur.buf = []float64{1}
	cur.ln[0] = 1
	var tail float64
	var h []float64
	b := 0
	for _, t := range groups {
		R := n - b
		nb := b + t
		// The bounds of s at the next boundary for each k'.
		total := 0
		for k2 := range nxt.ln {
			nxt.ln[k2] = 0
			if k2 < nb-n2 || k2 > min(nb, n1) {
				continue
			}
			y2, r2 := nb-k2, n1-k2
			nxt.lo[k2] = max(0, c-2*r2*n2+1) // below: counted
			hi := min(2*k2*y2, c-2*r2*y2)    // above: dropped
			nxt.off[k2] = total
			if hi >= nxt.lo[k2] {
				nxt.ln[k2] = hi - nxt.lo[k2] + 1
				total += nxt.ln[k2]
			}
		}
		nxt.buf = grow(nxt.buf, total)
		for k := max(0, b-n2); k <= min(b, n1); k++ {
			row := cur.buf[cur.off[k] : cur.off[k]+cur.ln[k]]
			if len(row) == 0 {
				continue
			}
			y, r := b-k, n1-k
			cmin, cmax := max(0, t-(n2-y)), min(t, r)
			h = hypergeom(h, R, r, t, cmin, cmax)
			for ci := cmin; ci <= cmax; ci++ {
				w := h[ci-cmin]
				if w == 0 {
					continue
				}
				k2 := k + ci
				// s + ds for s in [lo[k], lo[k]+len(row)).
				s0 := cur.lo[k] + ci*(2*y+t-ci)
				lo2, ln2 := nxt.lo[k2], nxt.ln[k2]
				// Below lo2 the tail is certain; above the row, dropped.
				below := min(len(row), lo2-s0)
				for _, v := range row[:max(0, below)] {
					tail += w * v
				}
				start := max(0, below)
				end := min(len(row), lo2+ln2-s0)
				if start >= end {
					continue
				}
				d := nxt.off[k2] + s0 - lo2
				axpy(nxt.buf[d+start:d+end], w, row[start:end])
			}
		}
		cur, nxt = nxt, cur
		b = nb
	}
	return clamp01(tail)
}

// grow returns s resized to n zeros, reusing its array when it can.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n, max(n, 2*cap(s)))
	}
	s = s[:n]
	clear(s)
	return s
}

// hypergeom fills h[c−cmin] = C(t, c)·C(R−t, r−c)/C(R, r) for c in [cmin,
// cmax], the probability that c of the r experiment values among the R
// remaining fall in the next t. It walks the ratio
// h(c+1)/h(c) = (t−c)(r−c)/((c+1)(R−t−r+c+1)) out from the mode, where every
// step shrinks the value (no overflow), and normalises the sum to 1, so each
// value is accurate to a few ulps per step.
func hypergeom(h []float64, R, r, t, cmin, cmax int) []float64 {
	h = grow(h, cmax-cmin+1)
	mode := min(max((r+1)*(t+1)/(R+2), cmin), cmax)
	h[mode-cmin] = 1
	for c := mode; c < cmax; c++ {
		h[c+1-cmin] = h[c-cmin] * float64((t-c)*(r-c)) / float64((c+1)*(R-t-r+c+1))
	}
	for c := mode; c > cmin; c-- {
		// h(c−1) = h(c)·c(R−t−r+c)/((t−c+1)(r−c+1))
		h[c-1-cmin] = h[c-cmin] * float64(c*(R-t-r+c)) / float64((t-c+1)*(r-c+1))
	}
	var s float64
	for _, v := range h {
		s += v
	}
	for i := range h {
		h[i] /= s
	}
	return h
}

// axpy adds w·src to dst (of equal length).
func axpy(dst []float64, w float64, src []float64) {
	dst = dst[:len(src)]
	i := 0
	for ; i+4 <= len(src); i += 4 {
		d, v := dst[i:i+4:i+4], src[i:i+4:i+4]
		d[0] += w * v[0]
		d[1] += w * v[1]
		d[2] += w * v[2]
		d[3] += w * v[3]
	}
	for ; i < len(src); i++ {
		dst[i] += w * src[i]
	}
}
