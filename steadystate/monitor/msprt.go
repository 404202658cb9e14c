package monitor

import (
	"math"

	"github.com/chaosstat/chaosstat/steadystate"
	"gonum.org/v1/gonum/stat/distuv"
)

// dfShare divides the effective sample size n/VarianceFactor into the
// degrees of freedom of the t correction (tToZ): a long-run variance
// estimate varies more than a sample variance of n/VarianceFactor
// independent points [6]. 2 is calibrated by simulation, not derived (A/A
// false-stop rates at or below alpha for one- and two-sided tests;
// BENCHMARKS.md). A primed monitor adds the history's pairs to n
// (Monitor.Prime). It is a variable only so that TestMonitorEarlyFrontier
// can trace the trade-off it sets between the unprimed detection rate and
// the A/A false-stop rate (BENCHMARKS.md, issue 14); never changed outside
// tests.
var dfShare = 2.0

// plainMSPRT turns the t correction off (df infinite): for the simulation
// that shows why it stays (monitor_test.go); always false outside tests.
var plainMSPRT = false

// df returns the degrees of freedom of the t correction for a long-run
// variance with ratio factor to the variance, estimated from the live pairs
// and the history's (see Monitor and Monitor.Prime).
func (m *Monitor) df(factor float64) float64 {
	if plainMSPRT {
		return math.Inf(1)
	}
	return float64(m.n+m.nh)/factor/dfShare - 1
}

// MixingRatio returns tau^2/V, the mSPRT's mixing variance in units of the
// per-point variance, for a test at alpha truncated at horizon looks: the
// choice of Johari et al. 2017 for a test truncated at M looks, as the R
// package mixtureSPRT implements it (calcTau), in units of the data's
// variance so that it is scale-free:
//
//	Phi(-b) / (phi(b)/b - Phi(-b)),   b = 2 log(1/alpha) / sqrt(horizon)
//
// It is 0.579 for the whole-run test at alpha/2 = 0.025 and horizon 360; a
// restarted test uses its own alpha w_j/2 and horizon 60 (scheduleRestarts).
// tau^2 is then a multiple of the plug-in V.
func MixingRatio(alpha float64, horizon int) float64 {
	b := 2 * math.Log(1/alpha) / math.Sqrt(float64(horizon))
	phi := math.Exp(-b*b/2) / math.Sqrt(2*math.Pi)
	tail := 0.5 * math.Erfc(b/math.Sqrt2) // Phi(-b)
	return tail / (phi/b - tail)
}

// logLambda returns log Lambda of the mSPRT (msprt.go) for a mean
// difference mean over n pairs, long-run variance v (estimated with
// effective degrees of freedom df) and mixing ratio g = tau^2/v.
func (m *Monitor) logLambda(mean, n, v, df, g float64) float64 {
	return m.logLambdaZ(tToZ(mean*math.Sqrt(n/v), df), n, g)
}

// logLambdaZ is logLambda at the normal score z:
//
//	r        = n g
//	Lambda_n = (1+r)^(-1/2) exp(r/(1+r) z^2/2)                 steadystate.Either
//	Lambda_n = 2 Lambda_n Phi(-s z sqrt(r/(1+r)))              one-sided
//
// where the one-sided form mixes over the harmful half-line only (a
// half-normal mixture; s = +1 for steadystate.Decrease, -1 for
// steadystate.Increase). Lambda_n is a nonnegative martingale under the
// null (with V known), so by Ville's inequality it ever exceeds 1/alpha
// with probability at most alpha.
func (m *Monitor) logLambdaZ(z, n, g float64) float64 {
	r := n * g
	logL := -0.5*math.Log1p(r) + r/(1+r)*z*z/2
	switch m.cfg.Direction {
	case steadystate.Decrease:
		logL += math.Ln2 + logPhi(-z*math.Sqrt(r/(1+r)))
	case steadystate.Increase:
		logL += math.Ln2 + logPhi(z*math.Sqrt(r/(1+r)))
	}
	return logL
}

// pValue returns min(1, factor/Lambda) for a test (factor the Bonferroni
// factor of its share of alpha; the always-valid p-value is the running
// minimum of these over the looks, Johari et al. [2]), or 1 without computing
// the t correction when it cannot bring the p-value below below: the t
// correction moves z towards 0, which only lowers Lambda in the harmful
// direction, and a one-sided Lambda in the harmless direction is at most 1.
// The shortcut keeps Add cheap at the many looks far from a stop.
func (m *Monitor) pValue(mean, n, v, df, g, factor, below float64) float64 {
	t := mean * math.Sqrt(n/v)
	if (m.cfg.Direction == steadystate.Decrease && t >= 0) || (m.cfg.Direction == steadystate.Increase && t <= 0) {
		return 1
	}
	if factor*math.Exp(-m.logLambdaZ(t, n, g)) >= below {
		return 1
	}
	return math.Min(1, factor*math.Exp(-m.logLambdaZ(tToZ(t, df), n, g)))
}

// halfWidth returns the half-width of the two-sided confidence sequence of
// the mean of n pairs with long-run variance v and mixing ratio g, at level
// 1 - exp(-logInvA): the inversion of the mSPRT, taken through the same t
// correction as the test (on df degrees of freedom),
//
//	z_h = sqrt(2 (1+r)/r (log(1/alpha) + log(1+r)/2)),   r = n g,
//	t_h = the t quantile with the tail probability of z_h,
//	half-width = t_h sqrt(v/n).
//
// (two-sided also for a one-sided test, which can therefore stop while the
// interval still touches 0: the p-value decides, the interval sizes). On
// the LogRatio scale the bounds map to a relative change by exp(x) - 1.
// Without the correction the plug-in interval missed the true change at
// some look in 0.15 of simulated runs at alpha 0.05, with it 0.04
// (BENCHMARKS.md). The price is honesty about weak data: with few
// pairs and a large VarianceFactor (a step in the data makes the whole
// run's mean a poor summary) df is near 1 and the interval very wide; the
// restarted test's Window then says what a stop is about.
func halfWidth(v, n, g, logInvA, df float64) float64 {
	r := n * g
	zh := math.Sqrt(2 * (1 + r) / r * (logInvA + 0.5*math.Log1p(r)))
	th := zh
	if df <= 1e6 {
		th = tUpper(0.5*math.Erfc(zh/math.Sqrt2), max(df, 1))
	}
	return th * math.Sqrt(v/n)
}

// tUpper returns the t with upper tail probability q on df degrees of
// freedom (q in (0, 0.5)): the Cornish-Fisher expansion in the normal
// quantile (Abramowitz and Stegun 26.7.5) for df >= 50, and Newton's method
// on log S(t) from it below: a few Student-t CDFs instead of gonum's
// Quantile, which inverts the incomplete beta function, costs several times
// as much per look and is less accurate in the far tail.
func tUpper(q, df float64) float64 {
	z := -distuv.UnitNormal.Quantile(q)
	z2 := z * z
	z3, z5 := z2*z, z2*z2*z
	z7, z9 := z5*z2, z5*z2*z2
	t := z + (z3+z)/(4*df) + (5*z5+16*z3+3*z)/(96*df*df) +
		(3*z7+19*z5+17*z3-15*z)/(384*df*df*df) +
		(79*z9+776*z7+1482*z5-1920*z3-945*z)/(92160*df*df*df*df)
	if df >= 50 {
		// The expansion is within 1e-4 relative of the exact quantile here
		// (7e-5 at df 50, q 1e-12; scipy), plenty for an interval, and the
		// incomplete beta function converges slowly for large df.
		return t
	}
	if !(t >= z) || math.IsInf(t, 0) {
		t = z
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	logQ := math.Log(q)
	for range 100 {
		s := st.CDF(-t)
		f := math.Log(s) - logQ
		if math.Abs(f) < 1e-12 {
			break
		}
		t += f * s / st.Prob(t)
	}
	return t
}

// tToZ returns the standard normal quantile with the same one-sided tail
// probability as t on df degrees of freedom (df is raised to 1 at least):
// Phi^-1(F_t(t; df)). This is the t correction: V is plugged in from the
// data, as Johari et al. do, and a plug-in variance is itself noisy, which
// makes the studentized mean heavier-tailed than normal, most at the small
// n and the extreme thresholds of the restarted tests. z is therefore the
// normal quantile of the t statistic on n/(dfShare VarianceFactor) - 1
// degrees of freedom (Monitor.df). It fades by itself as the history and
// the run grow; the plain mSPRT without it stops primed A/A runs too often
// with an hour of history (BENCHMARKS.md).
//
// [6] F. W. Zwiers, H. von Storch. Taking serial correlation into account
// in tests of the mean. J. Climate 8, 1995.
func tToZ(t, df float64) float64 {
	if df > 1e6 {
		return t
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: max(df, 1)}
	if t > 0 {
		return -distuv.UnitNormal.Quantile(st.CDF(-t))
	}
	return distuv.UnitNormal.Quantile(st.CDF(t))
}

// logPhi returns log Phi(x), the log of the standard normal CDF, accurate
// in the far left tail.
func logPhi(x float64) float64 {
	if x > -30 {
		return math.Log(0.5 * math.Erfc(-x/math.Sqrt2))
	}
	// Mills' ratio: Phi(x) ~ phi(x)/|x| (1 - 1/x^2 + 3/x^4).
	return -x*x/2 - math.Log(-x*math.Sqrt(2*math.Pi)) + math.Log1p(-1/(x*x)+3/(x*x*x*x))
}
