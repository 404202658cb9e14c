package approx

import (
	"fmt"
	"math"
	"testing"
)

type recorder struct{ msgs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func TestEqual(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name       string
		got, want  float64
		rtol, atol float64
		equal      bool
	}{
		{"relative inside", 1 + 1e-10, 1, 1e-9, 0, true},
		{"relative outside", 1 + 1e-8, 1, 1e-9, 0, false},
		{"absolute near zero", 1e-310, 0, 1e-9, 1e-300, true},
		{"zero want needs atol", 1e-20, 0, 1e-9, 0, false},
		{"nan equals nan", nan, nan, 0, 0, true},
		{"nan is not a number", nan, 1, 1, 1, false},
		{"same infinity", inf, inf, 0, 0, true},
		{"infinity is not large", 1e308, inf, 1, 1, false},
		{"opposite infinities", -inf, inf, 1, 1, false},
	}
	for _, c := range cases {
		if got := Equal(c.got, c.want, c.rtol, c.atol); got != c.equal {
			t.Errorf("%s: Equal(%v, %v, %v, %v) = %v", c.name, c.got, c.want, c.rtol, c.atol, got)
		}
	}
}

func TestCloseReports(t *testing.T) {
	var r recorder
	if Close(&r, "p", 0.5, 0.25, 1e-9, 0) || len(r.msgs) != 1 {
		t.Fatalf("Close of 0.5 and 0.25 passed or reported %d messages", len(r.msgs))
	}
	if Close(&r, "p", 1, 1, 0, 0); len(r.msgs) != 1 {
		t.Errorf("Close of equal values reported: %v", r.msgs)
	}
}
