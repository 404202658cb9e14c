package format

import (
	"math"
	"strconv"
)

// Share formats a share (a rate, a relative drop) as a percentage with up
// to three significant digits: 0.4342 is "43.4%", 0.63 is "63%"; NaN, a
// share not computed, is "-".
func Share(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(RoundSig(100*x, 3), 'f', -1, 64) + "%"
}
