package compare

import (
	"fmt"
	"math"
)

// SegmentAlpha is the level of TimeSeries' test for a segment in which the
// paired differences moved and came back (Segment): at or below it
// (Significant), and when the segment fits better than a single level
// shift, the segment is reported and the long-run variance is estimated
// around its two levels. It is ten times smaller than LevelShiftAlpha
// because on ARMA(1,1) noise (φ 0.9, θ −0.5) the range test, like the
// shift test, is liberal: at 0.01 it found a segment in 5.1% of A/A runs
// of 60 pairs and 2.5% of 240, and the variance around two levels then
// let more false alarms through (0.220 instead of 0.188 at 60 pairs; at
// 0.001, 0.200). The price is shorter windows: a 15% drop over the
// middle third is found in 94% of 240-pair runs (98% at 0.01), 35% of
// 120-pair runs (67%). docs/timeseries.md has the table and command.
const SegmentAlpha = 0.001

// Segment is a stretch of the window in which the paired differences moved
// to another level and then came back (an epidemic change: a fault
// followed by a recovery), as TimeSeries found it (see TimeSeries and
// docs/timeseries.md). TimeSeries reports it as one of Result.Warnings,
// instead of a LevelShift when the segment fits the differences better;
// find it with errors.As:
//
//	var sg compare.Segment
//	if errors.As(w, &sg) { ... }
//
// The segment holds the pairs StartIndex to EndIndex − 1 (0-based) of the
// N used: Start is the timestamp (Unix milliseconds) of its first pair,
// End that of the first pair after it, when the level came back.
type Segment struct {
	Start, End           int64
	StartIndex, EndIndex int
	N                    int
	// Inside and Outside are the mean differences (experiment − control)
	// within the segment and over the rest of the window; ControlInside
	// and ControlOutside the control's mean over the same pairs.
	Inside, Outside, ControlInside, ControlOutside float64
	// P is the segment test's p-value, at most SegmentAlpha.
	P float64
}

// Error describes the segment for people: when it began and ended, the
// mean difference within it and outside it, absolute and relative to the
// control.
func (s Segment) Error() string {
	return fmt.Sprintf("the difference between the groups moved at %s and came back at %s (points %d to %d of %d; segment test p = %s): mean difference %s within it (%s of the control), %s outside it (%s); the mean difference tested averages the two levels, and its variance is estimated around them",
		fmtMilli(s.Start), fmtMilli(s.End), s.StartIndex+1, s.EndIndex, s.N, fmtP(s.P), fmtNum(s.Inside), fmtRel(s.Inside, s.ControlInside), fmtNum(s.Outside), fmtRel(s.Outside, s.ControlOutside))
}

// epidemic is the best segment (epidemic change) of a series of
// differences.
type epidemic struct {
	k1, k2          int     // the segment is [k1, k2)
	inside, outside float64 // mean difference within and outside it
	p               float64 // the range test's p-value
	stat            float64 // the range statistic V
	gamma0, rho1    float64 // variance and lag-1 autocorrelation around the two levels
	fit             lrvPart // long-run variance around the two levels (the larger estimate)
}

// detectEpidemic finds a segment of d whose mean differs from that of the
// rest (an epidemic change; Levin and Kline 1985; Yao 1993) and tests for
// it with the range of the CUSUM, V = [max_k S_k − min_k S_k] / √(n·ω̂),
// S_k = Σ_{t<k}(d_t − d̄), S_0 = S_n = 0: sup_{s<t} |S_t − S_s| over all
// segments, whose limit under no change is the range of a Brownian bridge
// (Kuiper's distribution, kuiperLimitSF). The segment is [k1, k2), the
// positions of the CUSUM's extremes in order: where the walk turns. It
// counts only when each of the three parts (before, within, after) holds
// at least max(MinShiftSegment, 10% of n) pairs; an extreme near either
// end is a single shift (detectLevelShift) or none. ω̂ is the long-run
// variance of the residuals around the two levels, the larger of the
// AR(p) and AR(1)-prewhitened estimates as for a single shift, and the
// p-value is mixed over its sampling error (mixedSF). ok is false when
// the series is too short, the extremes leave no valid segment, or no
// variance is left.
func detectEpidemic(d []float64, mean float64, fast bool, floor lrvFloor) (epidemic, bool) {
	n := len(d)
	k0 := max(MinShiftSegment, int(math.Ceil(0.1*float64(n))))
	if n < 3*k0 {
		return epidemic{}, false
	}
	var s, hi, lo float64
	kHi, kLo := 0, 0
	for i, v := range d {
		s += v - mean
		if s > hi {
			hi, kHi = s, i+1
		}
		if s < lo {
			lo, kLo = s, i+1
		}
	}
	k1, k2 := min(kHi, kLo), max(kHi, kLo)
	if k1 < k0 || n-k2 < k0 || k2-k1 < k0 {
		return epidemic{}, false
	}
	var in float64
	for _, v := range d[k1:k2] {
		in += v
	}
	ep := epidemic{k1: k1, k2: k2}
	l := float64(k2 - k1)
	ep.inside = in / l
	ep.outside = (mean*float64(n) - in) / (float64(n) - l)
	x := make([]float64, n)
	for i, v := range d {
		if i >= k1 && i < k2 {
			x[i] = v - ep.inside
		} else {
			x[i] = v - ep.outside
		}
	}
	ep.gamma0 = autocov(x, 0)
	if ep.gamma0 == 0 {
		return epidemic{}, false
	}
	ep.rho1 = autocov(x, 1) / ep.gamma0
	ep.fit = arHAC(x, 2, 0)
	if a1 := arHAC(x, 2, 1); a1.lrv > ep.fit.lrv {
		ep.fit = a1
	}
	ep.fit = floor.apply(ep.fit, ep.gamma0, n, 2)
	v := (hi - lo) / math.Sqrt(float64(n)*ep.fit.lrv)
	ep.stat = v
	switch {
	case !fast:
		ep.p = mixedSF(kuiperLimitSF, v, ep.fit.nu)
	case v > mixedCrit(critRange, segmentAlpha, ep.fit.nu):
		ep.p = 0 // significant (chooseLevels' fast decision)
	default:
		ep.p = 1
	}
	return ep, true
}

// kuiperLimitSF is P(sup B − inf B > x) for a Brownian bridge B on [0, 1],
// the limit of Kuiper's statistic: 2Σ_{k≥1} (4k²x² − 1) exp(−2k²x²)
// (Kuiper 1960). The series is exact for every x but loses precision
// below x = 0.4, where the probability exceeds 1 − 1e-6; it is 1 there.
func kuiperLimitSF(x float64) float64 {
	if !(x > 0.4) {
		return 1
	}
	var s float64
	for k := 1; k <= 100; k++ {
		k2x2 := float64(k*k) * x * x
		term := (4*k2x2 - 1) * math.Exp(-2*k2x2)
		s += term
		if math.Abs(term) < 1e-300 || (k2x2 > 1 && math.Abs(term) < 1e-17*math.Abs(s)) {
			break
		}
	}
	return clamp01(2 * s)
}
