package format

import (
	"math"
	"testing"
)

// TestNumbers checks the number formats against their definitions: Sig's
// significant digits without an exponent inside [1e-4, 1e15), Num at five
// digits, PValue at three (two below 0.001), Interval open at an infinite
// end, Percent of a confidence level, Float's JSON null.
func TestNumbers(t *testing.T) {
	for _, c := range []struct {
		got, want, why string
	}{
		{Num(1234.5678), "1234.6", "five significant digits"},
		{Num(0.000123456), "0.00012346", "small but above 1e-4: no exponent"},
		{Num(1.5e-5), "1.5e-05", "below 1e-4: exponent"},
		{Num(2e15), "2e+15", "from 1e15: exponent"},
		{Num(-3), "-3", "trailing zeros and point dropped"},
		{Num(math.Inf(-1)), "-Inf", "infinite"},
		{Num(math.NaN()), "NaN", "missing"},
		{Sig(0.012345, 3), "0.0123", "three digits"},
		{PValue(0.04567), "0.0457", "three digits"},
		{PValue(0.0004567), "0.00046", "two digits below 0.001"},
		{Interval(math.Inf(-1), 2.5), "(-Inf, 2.5]", "open at -Inf"},
		{Percent(0.95), "95%", "a confidence level"},
		{Percent(1 - 0.95), "5%", "rounded to six digits, not 5.000000000000004%"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.why, c.got, c.want)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1)} {
		if b, err := Float(x).MarshalJSON(); err != nil || string(b) != "null" {
			t.Errorf("Float(%v) = %s, %v; want null", x, b, err)
		}
	}
}
