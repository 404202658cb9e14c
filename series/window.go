package series

import (
	"slices"
	"time"
)

// Window returns the points of s whose timestamps t lie in the half-open
// range start <= t < end, in Unix milliseconds. Consecutive windows
// [a, b), [b, c) therefore split a series without losing or repeating a
// point. The result is empty when end <= start or no point falls in the
// range, and always empty for a plain sample, which has no times.
//
// Window does not copy: the result's T and V are subslices of s's, and its
// Labels is s's map, so writing an element through either series changes
// both. The subslices are capped at their length, so appending to the
// result allocates new arrays and never overwrites the points of s that
// follow the window. Use Values (or slices.Clone) for a copy.
//
// Window relies on s being sorted (see Validate); on an unsorted series it
// returns some subslice, without panicking.
func (s Series) Window(start, end int64) Series {
	out := Series{Name: s.Name, Labels: s.Labels}
	n := min(len(s.T), len(s.V))
	if n == 0 {
		return out
	}
	i, _ := slices.BinarySearch(s.T[:n], start)
	j, _ := slices.BinarySearch(s.T[:n], end)
	j = max(i, j)
	out.T = s.T[i:j:j]
	out.V = s.V[i:j:j]
	return out
}

// Between is Window with the range given as times: it returns the points
// at or after start and before end, sharing memory with s as Window does.
// Times between two milliseconds count exactly: a point at 12:00:00.001 is
// not before an end of 12:00:00.0005.
func (s Series) Between(start, end time.Time) Series {
	return s.Window(ceilMilli(start), ceilMilli(end))
}

// ceilMilli returns the first Unix millisecond at or after t, so that for
// a whole millisecond m, m >= t if and only if m >= ceilMilli(t) (and the
// same for <).
func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli() // rounds toward the earlier millisecond, also before 1970
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		ms++
	}
	return ms
}
