package compare_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

// TestCheckAAAlpha: the levels an A/A replay can use. 0.05 needs 27
// windows (MinAAWindows); 1e-300 would need more than any history holds,
// which used to surface as an error naming no option (issue 13); levels
// outside (0, 0.5) are refused. AA applies the same rule.
func TestCheckAAAlpha(t *testing.T) {
	for _, c := range []struct {
		alpha float64
		want  string // "" for no error
	}{
		{0.05, ""},
		{0.001, ""},
		{1e-300, "alpha 1e-300 is too small for an A/A replay"},
		{0.5, "alpha 0.5 out of range"},
		{0, "alpha 0 out of range"},
		{math.NaN(), "alpha NaN out of range"},
	} {
		err := compare.CheckAAAlpha(c.alpha)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckAAAlpha(%v) = %v, want %q", c.alpha, err, c.want)
		}
	}
	ts := make([]int64, 100)
	for i := range ts {
		ts[i] = int64(i) * 60_000
	}
	s := series.Series{T: ts, V: make([]float64, len(ts))}
	if _, err := compare.AA(s, s, compare.AAOptions{Alpha: 1e-300}); err == nil || !strings.Contains(err.Error(), "alpha 1e-300 is too small") {
		t.Errorf("AA at alpha 1e-300: %v", err)
	}
}

// TestAAAllMissing: a group whose every value is missing is too little
// data, said so, not a request for more history (issue 13: "collect
// 13h30m more history" for a control of 2,880 NaN points).
func TestAAAllMissing(t *testing.T) {
	const n = 2880
	ts, vals, nan := make([]int64, n), make([]float64, n), make([]float64, n)
	for i := range ts {
		ts[i] = int64(i) * 60_000
		vals[i] = float64(100 + i%7)
		nan[i] = math.NaN()
	}
	_, err := compare.AA(series.Series{T: ts, V: vals}, series.Series{T: ts, V: nan}, compare.AAOptions{})
	if !errors.Is(err, compare.ErrTooShort) || !errors.Is(err, series.ErrTooLittleData) ||
		!strings.Contains(err.Error(), "the control has no values: all 2880 of its points are missing (NaN)") {
		t.Errorf("all-NaN control: %v", err)
	}
}
