package compare

import (
	"math"
	"slices"
	"unsafe"
)

// Sorting is the floor of every rank test: one sort of each sample, then a
// linear merge. For large samples an LSD radix sort on the IEEE-754 bit
// pattern beats comparison sorting several times over, and it skips the
// passes whose digit is the same in every key, which is what makes it fast on
// heavily tied integer counts (their low mantissa bytes are all zero).

const (
	radixBits    = 11
	radixBuckets = 1 << radixBits
	radixPasses  = (64 + radixBits - 1) / radixBits // 6
	// Below this size a comparison sort wins over histogram set-up.
	radixMin = 768
)

// floatKey maps a float64 to a uint64 whose unsigned order is the float's
// order (NaN excluded): flip every bit of negatives, the sign bit of the rest.
func floatKey(f float64) uint64 {
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

func keyFloat(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// sortFloats sorts a (which holds no NaN) in ascending order. scratch, if
// long enough, is used as the radix sort's second buffer; otherwise one is
// allocated. -0 sorts before +0; callers compare values with ==, which treats
// them as equal. Input already in order is left as it is, found in one pass
// that stops at the first value out of order: the A/A replay's drop search
// tests the same sorted windows scaled again and again.
func sortFloats(a []float64, scratch []uint64) {
	n := len(a)
	if slices.IsSorted(a) {
		return
	}
	if n < radixMin {
		slices.Sort(a)
		return
	}
	if len(scratch) < n {
		scratch = make([]uint64, n)
	}
	scratch = scratch[:n]
	// Reinterpret a's memory as keys: the transform is done in place, so the
	// sort needs one extra buffer, not two.
	keys := unsafe.Slice((*uint64)(unsafe.Pointer(&a[0])), n)

	var counts [radixPasses][radixBuckets]uint32
	for i, v := range a {
		k := floatKey(v)
		keys[i] = k
		for p := range radixPasses {
			counts[p][(k>>(p*radixBits))&(radixBuckets-1)]++
		}
	}
	src, dst := keys, scratch
	for p := range radixPasses {
		c := &counts[p]
		// A digit that every key shares moves nothing: skip the pass.
		if c[(src[0]>>(p*radixBits))&(radixBuckets-1)] == uint32(n) {
			continue
		}
		var sum uint32
		for b := range c {
			c[b], sum = sum, sum+c[b]
		}
		shift := uint(p * radixBits)
		for _, k := range src {
			b := (k >> shift) & (radixBuckets - 1)
			dst[c[b]] = k
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	for i, k := range keys {
		a[i] = keyFloat(k)
	}
}
