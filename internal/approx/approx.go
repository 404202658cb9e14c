// Package approx is the module's one floating-point comparison helper for
// tests. Every test that compares a computed number with a reference value
// goes through it, so that NaN, infinities and the tolerance are handled the
// same way everywhere.
package approx

import (
	"fmt"
	"math"
)

// Equal reports whether got and want agree to within a relative tolerance
// rtol or an absolute tolerance atol (whichever is looser). NaN equals NaN and
// an infinity equals only the same infinity.
func Equal(got, want, rtol, atol float64) bool {
	switch {
	case math.IsNaN(got) || math.IsNaN(want):
		return math.IsNaN(got) && math.IsNaN(want)
	case math.IsInf(got, 0) || math.IsInf(want, 0):
		return got == want
	}
	d := math.Abs(got - want)
	return d <= atol || d <= rtol*math.Abs(want)
}

// TB is the part of testing.TB that Close uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Close reports a test error when got and want differ by more than the
// relative tolerance rtol (and, for wants near zero, the absolute tolerance
// atol). what names the quantity in the message.
func Close(t TB, what string, got, want, rtol, atol float64) bool {
	t.Helper()
	if Equal(got, want, rtol, atol) {
		return true
	}
	t.Errorf("%s = %s, want %s (rel. diff %.3g, rtol %g, atol %g)", what,
		fmt.Sprint(got), fmt.Sprint(want), relDiff(got, want), rtol, atol)
	return false
}

func relDiff(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / math.Abs(want)
}
