package compare

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultPower is the power at which minimum detectable effects are
// stated, and which the A/A check must have against DetectRate: 80%, the
// convention since Cohen (1988).
const DefaultPower = 0.8

// MinDetectableEffect returns the smallest true difference that a level-alpha
// z-test with standard error se detects with probability power:
//
//	MDE = (z_{1−α/2} + z_{power}) · se     (two-sided)
//	MDE = (z_{1−α}   + z_{power}) · se     (Greater or Less)
//
// 2.8016·se at α = 0.05 two-sided and 80% power. The normal approximation
// ignores the small chance of rejecting in the wrong tail. The result is in
// the units of se; it is NaN when se is NaN, and an error is returned for
// alpha or power outside (0, 1) or a negative se.
//
// [1] Cohen, J. (1988). Statistical Power Analysis for the Behavioral
// Sciences, 2nd ed., ch. 12. [2] Kohavi, Tang & Xu (2020), Trustworthy
// Online Controlled Experiments, ch. 17.
func MinDetectableEffect(se, alpha, power float64, alt Alternative) (float64, error) {
	if !(alpha > 0 && alpha < 1) || !(power > 0 && power < 1) {
		return math.NaN(), fmt.Errorf("compare: alpha %v and power %v must both lie in (0, 1)", alpha, power)
	}
	if se < 0 {
		return math.NaN(), fmt.Errorf("compare: standard error %v is negative", se)
	}
	a := alpha
	if alt == TwoSided {
		a = alpha / 2
	}
	zA := distuv.UnitNormal.Quantile(1 - a)
	zB := distuv.UnitNormal.Quantile(power)
	return (zA + zB) * se, nil
}

// BinomialUpperTail returns P(X ≥ r) for X ~ Binomial(n, p): the one-sided
// exact p-value of r successes in n trials against success probability p,
// computed as the regularized incomplete beta function I_p(r, n−r+1). It is
// 1 for r ≤ 0 and 0 for r > n. It panics on n < 0 or p outside [0, 1]
// (programmer error).
func BinomialUpperTail(r, n int, p float64) float64 {
	if n < 0 || !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("compare: BinomialUpperTail(%d, %d, %v)", r, n, p))
	}
	switch {
	case r <= 0:
		return 1
	case r > n:
		return 0
	case p == 0:
		return 0
	case p == 1:
		return 1
	}
	return mathext.RegIncBeta(float64(r), float64(n-r+1), p)
}

// ClopperPearson returns the Clopper-Pearson ("exact") confidence interval
// for a binomial proportion from r successes in n trials at the given
// confidence level:
//
//	[Beta(r, n−r+1).Quantile(α/2), Beta(r+1, n−r).Quantile(1−α/2)],  α = 1 − confidence
//
// with 0 as the low end when r = 0 and 1 as the high end when r = n. Its
// coverage is at least the level asked for. Both ends are NaN when n = 0.
//
// [1] Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or
// fiducial limits illustrated in the case of the binomial. Biometrika
// 26(4), 404–413.
func ClopperPearson(r, n int, confidence float64) (lo, hi float64) {
	if n <= 0 || r < 0 || r > n {
		return math.NaN(), math.NaN()
	}
	a := 1 - confidence
	lo, hi = 0, 1
	if r > 0 {
		lo = distuv.Beta{Alpha: float64(r), Beta: float64(n - r + 1)}.Quantile(a / 2)
	}
	if r < n {
		hi = distuv.Beta{Alpha: float64(r + 1), Beta: float64(n - r)}.Quantile(1 - a/2)
	}
	return lo, hi
}

// maxMinWindows bounds the search of MinAAWindows.
const maxMinWindows = 100000

// MinAAWindows returns the fewest A/A windows with which the replay's check
// can tell a sound split from a bad one: the smallest n at which the
// one-sided exact binomial test of the false-positive count against alpha,
// at level alpha, rejects with probability at least power when the true
// false-positive rate is detect.
//
// At alpha = 0.05 and 80% power: 27 windows to catch a rate of 0.2 (the
// default, four times alpha), 16 for 0.25, 52 for 0.15, 169 for 0.1
// (checked against scipy 1.10's binom.sf). It returns an error unless
// 0 < alpha < detect < 1 and 0 < power < 1.
func MinAAWindows(alpha, detect, power float64) (int, error) {
	if !(alpha > 0 && alpha < detect && detect < 1) || !(power > 0 && power < 1) {
		return 0, fmt.Errorf("compare: want 0 < alpha (%v) < detect rate (%v) < 1 and power (%v) in (0, 1)", alpha, detect, power)
	}
	r := 0 // the critical count never falls as n grows, so the search resumes
	for n := 1; n <= maxMinWindows; n++ {
		for r <= n && !Significant(BinomialUpperTail(r, n, alpha), alpha) {
			r++
		}
		if r <= n && BinomialUpperTail(r, n, detect) >= power {
			return n, nil
		}
	}
	return 0, fmt.Errorf("compare: more than %d windows needed to detect a false-positive rate of %v against %v", maxMinWindows, detect, alpha)
}
