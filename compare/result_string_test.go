package compare

import (
	"math"
	"strings"
	"testing"
)

// TestResultStringNamesStatistic checks that every test's one-line summary
// names its statistic, rather than a generic "stat=".
func TestResultStringNamesStatistic(t *testing.T) {
	for _, c := range []struct{ test, want string }{
		{"mannwhitney", " U=1.5 "},
		{"welch", " t=1.5 "},
		{"ks", " D=1.5 "},
		{"paired-hac", " t=1.5 "},
		{"quantile", " diff=1.5 "},
		{"someday", " stat=1.5 "},
	} {
		r := Result{Test: c.test, Statistic: 1.5, DF: math.NaN(), P: 0.5, NExperiment: 3, NControl: 4, Shift: nanShift(0.95)}
		if got := r.String(); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q does not contain %q", c.test, got, c.want)
		}
	}
}
