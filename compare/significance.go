package compare

import "strconv"

// Significant reports whether the p-value p is statistically significant at
// the level alpha. It is the one rule of chaosstat: every test, the A/A
// replay and the sample-ratio check here, the judge, the criteria and the
// monitor of package steadystate, and the command-line tool decide with it.
//
//	significant  ⇔  p ≤ alpha
//
// The boundary belongs to the rejection region, as in the definition of a
// p-value [1]: p is the smallest level at which the test rejects the null
// hypothesis, so p ≤ alpha says exactly "rejected at level alpha", and a
// valid p-value has P(p ≤ alpha) ≤ alpha when the null hypothesis holds, so
// the rule keeps the false-positive rate at alpha. R's and scipy's users
// read p-values the same way. For a discrete test the boundary matters:
// the exact one-sided Mann-Whitney test of 3 values against 3 reaches
// p = 1/C(6,3) = 0.05 at best, which is significant at alpha 0.05 and would
// never be under p < alpha. A NaN p-value (no test) is never significant.
//
// Derive alpha from a confidence level with AlphaFromConfidence, so that
// 1 − 0.95 is 0.05. Statistically significant is not the same as large:
// look at the effect's size and its interval.
//
// [1] E. L. Lehmann and J. P. Romano, Testing Statistical Hypotheses, 3rd
// ed., Springer, 2005, section 3.3.
func Significant(p, alpha float64) bool { return p <= alpha }

// AlphaFromConfidence returns the significance level 1 − confidence,
// rounded to 12 significant digits so that a level written in decimal
// gives the alpha written in decimal: 1 − 0.95 is 0.05, where float64
// subtraction gives 0.050000000000000044, above a p-value of exactly 0.05.
// Every alpha chaosstat derives from a confidence level comes from here
// (Options.Alpha, Result.Alpha, steadystate's Hypothesis.Alpha, the CLI).
func AlphaFromConfidence(confidence float64) float64 {
	a, _ := strconv.ParseFloat(strconv.FormatFloat(1-confidence, 'g', 12, 64), 64)
	return a
}
