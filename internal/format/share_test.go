package format

import (
	"math"
	"testing"
)

func TestShare(t *testing.T) {
	// The expected strings are the A/A report's, from the golden file
	// cmd/chaosstat/testdata/golden/aa_wandering_text.golden (rates 1750/4032,
	// 1271/2016, 0/14) and its header ("80%").
	for _, c := range []struct {
		name   string
		x      float64
		want   string
		reason string
	}{
		{"three digits", 1750.0 / 4032, "43.4%", "0.43403... rounds to three significant digits"},
		{"trailing zero dropped", 1271.0 / 2016, "63%", "0.63045... is 63.0%, written without the zero"},
		{"zero", 0, "0%", "no false positive"},
		{"whole", 0.8, "80%", "a power"},
		{"small", 0.001, "0.1%", "the bottom of the MDE search range"},
		{"NaN", math.NaN(), "-", "a share not computed is a dash, not NaN%"},
	} {
		if got := Share(c.x); got != c.want {
			t.Errorf("%s: Share(%v) = %q, want %q (%s)", c.name, c.x, got, c.want, c.reason)
		}
	}
}
