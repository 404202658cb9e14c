package compare

import (
	"math"
	"testing"
)

// exactUTail returns, by enumerating the C(m+n, m) equally likely
// arrangements of the ranks 1..m+n under the null hypothesis (no ties),
// the share of them whose Mann-Whitney U of the first sample (the pairs
// where it is greater) is at most u: the exact one-sided "less" p-value.
func exactUTail(m, n int, u float64) float64 {
	var hits, all float64
	var walk func(next, left int, ranks []int)
	walk = func(next, left int, ranks []int) {
		if left == 0 {
			all++
			// U = rank sum − m(m+1)/2.
			sum := 0
			for _, r := range ranks {
				sum += r
			}
			if float64(sum-m*(m+1)/2) <= u {
				hits++
			}
			return
		}
		for r := next; r <= m+n-left+1; r++ {
			walk(r+1, left-1, append(ranks, r))
		}
	}
	walk(1, m, nil)
	return hits / all
}

// TestSignificantAtAlpha: a p-value exactly at alpha is significant, in
// the rule, in Result.Significant and in the warnings that say whether a
// sample can reach alpha at all. {1,2,3} against {4,5,6}, exact, one-sided
// less: U = 0, and the p-value is the one arrangement of C(6,3) = 20 with
// every experiment value below every control value, 1/20 = 0.05
// (enumerated by exactUTail, not taken from the code under test).
// Two-sided it is twice that, 0.1, exactly alpha at 90% confidence.
func TestSignificantAtAlpha(t *testing.T) {
	exp, ctl := []float64{1, 2, 3}, []float64{4, 5, 6}
	for _, c := range []struct {
		name       string
		reason     string
		opts       Options
		wantP      float64
		wantAlpha  float64
		confidence float64
	}{
		{"less at 95%", "the example of issue 12: the library said significant, the CLI did not",
			Options{Method: Exact, Alternative: Less}, exactUTail(3, 3, 0), 0.05, 0.95},
		{"two-sided at 90%", "1 - 0.9 is 0.09999999999999998 in float64, below p = 0.1, unless rounded",
			Options{Method: Exact, Confidence: 0.9}, 2 * exactUTail(3, 3, 0), 0.1, 0.9},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := MannWhitneyU(exp, ctl, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.P != c.wantP || r.Alpha() != c.wantAlpha || AlphaFromConfidence(c.confidence) != c.wantAlpha {
				t.Fatalf("P = %.17g, Alpha() = %.17g, want both exactly %v (%s)", r.P, r.Alpha(), c.wantAlpha, c.reason)
			}
			if !Significant(r.P, r.Alpha()) || !r.Significant() {
				t.Errorf("p = alpha = %v is not significant (%s)", r.P, c.reason)
			}
			if Significant(r.P, math.Nextafter(r.Alpha(), 0)) {
				t.Errorf("p = %v is significant below it", r.P)
			}
			for _, w := range r.Warnings {
				t.Errorf("warning %q: alpha is reachable (p = alpha)", w)
			}
		})
	}
}

func TestSignificant(t *testing.T) {
	for _, c := range []struct {
		p, alpha float64
		want     bool
		reason   string
	}{
		{0.01, 0.05, true, "below alpha"},
		{0.05, 0.05, true, "at alpha: the boundary rejects (p <= alpha)"},
		{0.0500001, 0.05, false, "above alpha"},
		{0, 0.05, true, "the smallest p-value"},
		{1, 0.05, false, "the largest p-value"},
		{math.NaN(), 0.05, false, "no test is never significant"},
	} {
		if got := Significant(c.p, c.alpha); got != c.want {
			t.Errorf("Significant(%v, %v) = %v, want %v (%s)", c.p, c.alpha, got, c.want, c.reason)
		}
	}
}

func TestAlphaFromConfidence(t *testing.T) {
	for _, c := range []struct {
		confidence, want float64
	}{
		// The levels as decimals, where float64 subtraction misses:
		// 1 - 0.95 = 0.050000000000000044, 1 - 0.9 = 0.09999999999999998,
		// 1 - 0.99 = 0.010000000000000009.
		{0.95, 0.05}, {0.9, 0.1}, {0.99, 0.01}, {0.999, 0.001}, {0.975, 0.025}, {0.8, 0.2},
	} {
		if got := AlphaFromConfidence(c.confidence); got != c.want {
			t.Errorf("AlphaFromConfidence(%v) = %.17g, want %v", c.confidence, got, c.want)
		}
	}
	if got := (Options{}).Alpha(); got != 0.05 {
		t.Errorf("Options{}.Alpha() = %.17g, want 0.05 (DefaultConfidence 0.95)", got)
	}
}
