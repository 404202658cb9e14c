package monitor

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// ErrOutOfOrder is returned by Monitor.Add for a point whose time is not
// after the previous point's.
var ErrOutOfOrder = errors.New("point is not after the previous one")

// Monitor is the emergency stop of a running experiment. Feed it the two
// groups' values as they arrive, one Point per look, with Add; each call
// returns a Decision. Call Check when a look is due and no point came, so
// that a silent feed is reported (CauseNoData after Config.MaxGap).
//
// The test pairs the groups look by look on the Scale configured, d_t =
// log(e_t / c_t) or e_t - c_t, which removes what both groups share (the
// daily cycle, a traffic burst). The null hypothesis is that the mean of
// d_t is 0 (steadystate.Either) or not harmful (>= 0 for Decrease, <= 0
// for Increase). The test is the mixture sequential probability ratio test
// (mSPRT) of Johari et al. [1, 2] with a normal mixing distribution
// N(0, tau^2): after n pairs with mean m and long-run variance V,
//
//	Lambda_n = (1+r)^(-1/2) exp(r/(1+r) z^2/2),   r = n tau^2/V,   z = m sqrt(n/V)
//
// (one-sided: a half-normal mixture; msprt.go). By Ville's inequality
// Lambda_n ever exceeds 1/alpha with probability at most alpha, however
// many looks; the always-valid p-value is the running minimum of
// 1/Lambda_n, and the experiment stops when it is <= Alpha. Restarted tests
// keep harm that starts mid-run from being diluted (restart.go); V is a
// long-run variance, because per-minute differences are autocorrelated
// (variance.go), with a t correction for its own noise (msprt.go); Prime
// sets it from the hours before the experiment. BENCHMARKS.md gives the simulated
// false-stop rates and power.
//
// [1] R. Johari, P. Koomen, L. Pekelis, D. Walsh. Peeking at A/B tests: why
// it matters, and what to do about it. KDD 2017.
// [2] R. Johari, L. Pekelis, D. Walsh. Always valid inference: continuous
// monitoring of A/B tests. Operations Research 70(3), 2022.
type Monitor struct {
	cfg       Config
	alpha     float64
	minPoints int
	maxGap    int64 // ms; < 0: disabled
	g         float64
	logInvA   float64

	looks    int
	started  bool
	lastT    int64
	lastCtlT int64 // time of the last present value of each group
	lastExpT int64
	baseline float64

	// The complete pairs: their number, the sums of each group, and the
	// differences on the test's scale, whose running sums give the means
	// and the long-run variance. Only the restarted tests look back, and
	// no further than restartWindow pairs: the stream and the rings keep
	// that much, so a monitor's memory does not grow with its run.
	n          int
	sumC, sumE float64
	diffs      *compare.LongRunStream
	pairT      ring[int64] // time of each complete pair

	// The test's state after the last new pair.
	evaluated  int // m.n when the test was last evaluated
	testFactor float64
	testWarn   []error
	half       float64       // half-width of the confidence sequence
	minWindow  string        // which test gave the running minimum p
	minWin     Window        // and its numbers
	prefixC    ring[float64] // prefix sums of the control's values, from 0
	restarts   int           // number of restarted tests (J)
	harmonic   float64       // H_J, the sum of their weights' 1/j
	wCache     [restartWindow + 2]weightOf

	// The pre-experiment history (Prime): its number of complete pairs,
	// whose autocovariances diffs pools, and the warning of a change in
	// its differences (primeWarn; nil for none), which every decision
	// carries.
	nh        int
	primeWarn []error
	// histEnd is the time of the history's last look, when PrimeSeries
	// gave it (hasHistEnd); the first live look must come after it.
	histEnd    int64
	hasHistEnd bool

	nonPositive     int   // pairs left out of a LogRatio test
	lastNonPositive int64 // the time of the last of them

	streak []int // per guardrail: consecutive breaching points
	minP   float64
	stop   *Decision
}

// New returns a Monitor for cfg, or an error naming the field that is
// out of range, and for a Below and an Above guardrail on the same
// quantity whose limits meet or cross (every value would breach one).
func New(cfg Config) (*Monitor, error) {
	bad := func(field, format string, args ...any) error {
		return &steadystate.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	m := &Monitor{cfg: cfg, alpha: cfg.Alpha, minPoints: cfg.MinPoints, minP: 1, baseline: math.NaN()}
	if m.alpha == 0 {
		m.alpha = DefaultAlpha
	}
	horizon := cfg.Horizon
	if horizon == 0 {
		horizon = DefaultHorizon
	}
	if m.minPoints == 0 {
		m.minPoints = DefaultMinPoints
	}
	// CheckOption's rules and wording, on the field as given.
	for _, o := range []struct {
		key  string
		v    float64
		cfgV any
	}{{OptionAlpha, m.alpha, cfg.Alpha}, {OptionHorizon, float64(horizon), cfg.Horizon}, {OptionMinPoints, float64(m.minPoints), cfg.MinPoints}} {
		var oe *series.OptionError
		if errors.As(CheckOption(o.key, o.v), &oe) {
			return nil, bad(oe.Option, "%v: want %s", o.cfgV, oe.Want)
		}
	}
	switch {
	case cfg.MaxGap == 0:
		m.maxGap = DefaultMaxGap.Milliseconds()
	case cfg.MaxGap < 0:
		m.maxGap = -1
	default:
		m.maxGap = cfg.MaxGap.Milliseconds()
	}
	if cfg.Scale != LogRatio && cfg.Scale != Difference {
		return nil, bad("scale", "%v: want log_ratio or difference", cfg.Scale)
	}
	if cfg.Direction < steadystate.Either || cfg.Direction > steadystate.Decrease {
		return nil, bad("direction", "%v: want increase, decrease or either", cfg.Direction)
	}
	for i, g := range cfg.Guardrails {
		f := fmt.Sprintf("guardrails[%d]", i)
		switch {
		case g.Of < ExperimentValue || g.Of > RelativeToBaseline:
			return nil, bad(f+".of", "%v: want experiment, relative_to_control or relative_to_baseline", g.Of)
		case g.Bound != Below && g.Bound != Above:
			return nil, bad(f+".bound", "%v: want below or above", g.Bound)
		case math.IsNaN(g.Limit) || math.IsInf(g.Limit, 0):
			return nil, bad(f+".limit", "%v: want a finite limit", g.Limit)
		case g.For < 0:
			return nil, bad(f+".for", "%d: want a number of consecutive points >= 1", g.For)
		}
		// A Below and an Above guardrail on the same quantity whose limits
		// meet or cross leave no value that breaches neither: the monitor
		// would stop on every run.
		for k, h := range cfg.Guardrails[:i] {
			if h.Of != g.Of || h.Bound == g.Bound {
				continue
			}
			lo, hi := h, g
			if lo.Bound == Above {
				lo, hi = g, h
			}
			if lo.Limit >= hi.Limit {
				return nil, bad(f+".limit", "below %v and above %v (guardrails[%d]) on the same quantity: every value breaches one of them; want the below limit under the above limit", lo.Limit, hi.Limit, k)
			}
		}
	}
	m.streak = make([]int, len(cfg.Guardrails))
	m.g = MixingRatio(m.alpha/2, horizon)
	m.scheduleRestarts(horizon)
	m.diffs = compare.NewLongRunStreamWindow(maxLag, restartWindow)
	m.pairT = newRing[int64](restartWindow)
	m.prefixC = newRing[float64](restartWindow + 1)
	m.prefixC.push(0)
	m.minWin = noWindow()
	m.half = math.NaN()
	m.testFactor = math.NaN()
	m.logInvA = -math.Log(m.alpha)
	return m, nil
}

// Add feeds the point of the next look and returns the decision. It returns
// an error, and changes nothing, for a time not after the previous point's
// (ErrOutOfOrder), a first point not after the history PrimeSeries gave
// (ErrHistoryOverlap) or an infinite value.
//
// A point with a missing value (NaN; on the LogRatio scale also a value
// <= 0, which has no logarithm) is a look: it advances time, feeds the
// guardrails what it can, and is otherwise skipped. When either group has
// had no value for longer than Config.MaxGap, the monitor stops with
// CauseNoData: an emergency stop that cannot see must not report
// "continue" (an experiment that takes a service down often takes its
// metrics with it).
func (m *Monitor) Add(p Point) (Decision, error) {
	if !m.started && m.hasHistEnd && p.T <= m.histEnd {
		return Decision{}, fmt.Errorf("the run's first look at %s is not after the history's last time %s: %w",
			time.UnixMilli(p.T).UTC().Format(time.RFC3339), time.UnixMilli(m.histEnd).UTC().Format(time.RFC3339), ErrHistoryOverlap)
	}
	if m.started && p.T <= m.lastT {
		return Decision{}, fmt.Errorf("%w: %s is not after %s", ErrOutOfOrder, fmtMilli(p.T), fmtMilli(m.lastT))
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"control", p.Control}, {"experiment", p.Experiment}, {"baseline", p.Baseline}} {
		if math.IsInf(v.x, 0) {
			return Decision{}, fmt.Errorf("%s value at %s is %v; want a number or NaN for missing", v.name, fmtMilli(p.T), v.x)
		}
	}
	if !m.started {
		m.started = true
		m.lastCtlT, m.lastExpT = p.T, p.T
	}
	m.lastT = p.T
	m.looks++
	hasC, hasE := !math.IsNaN(p.Control), !math.IsNaN(p.Experiment)
	// On the log-ratio scale a value <= 0 cannot be judged: for the no-data
	// rule it is missing, so that an experiment whose throughput falls to
	// zero is stopped after MaxGap even without a guardrail.
	if hasC && (m.cfg.Scale != LogRatio || p.Control > 0) {
		m.lastCtlT = p.T
	}
	if hasE && (m.cfg.Scale != LogRatio || p.Experiment > 0) {
		m.lastExpT = p.T
	}
	if p.Baseline != 0 && !math.IsNaN(p.Baseline) {
		m.baseline = p.Baseline
	} else {
		m.baseline = math.NaN()
	}
	if hasC && hasE {
		if m.cfg.Scale == LogRatio && !(p.Control > 0 && p.Experiment > 0) {
			m.nonPositive++
			m.lastNonPositive = p.T
		} else {
			m.addPair(p.Control, p.Experiment)
			m.pairT.push(p.T)
		}
	}
	d := m.state(p.T)
	if m.stop != nil {
		return m.latched(d), nil
	}
	if d.Action == Stop {
		m.stop = &d
		return d, nil
	}
	// The guardrails, in the order configured.
	for i, g := range m.cfg.Guardrails {
		x := quantity(g.Of, p)
		if math.IsNaN(x) {
			continue
		}
		if (g.Bound == Below && x < g.Limit) || (g.Bound == Above && x > g.Limit) {
			m.streak[i]++
		} else {
			m.streak[i] = 0
		}
		if m.streak[i] >= max(g.For, 1) {
			d.Action, d.Cause = Stop, CauseGuardrail
			d.Reason = fmt.Sprintf("guardrail %s (now %s)", g, strconv.FormatFloat(format.RoundSig(x, 4), 'g', -1, 64))
			m.stop = &d
			return d, nil
		}
	}
	if d.Action == Continue {
		if reason, ok := m.noData(p.T); ok {
			d.Action, d.Cause, d.Reason = Stop, CauseNoData, reason
			m.stop = &d
		}
	}
	return d, nil
}

// Check is a look without a new point, at time now (Unix milliseconds; the
// caller's clock, in the data's time): it returns the current decision,
// which is Stop (CauseNoData) when a group has been silent for longer than
// MaxGap by now. A live feed calls it when a point is overdue.
func (m *Monitor) Check(now int64) Decision {
	d := m.state(now)
	if m.stop != nil {
		return m.latched(d)
	}
	if reason, ok := m.noData(now); ok {
		d.Action, d.Cause, d.Reason = Stop, CauseNoData, reason
		m.stop = &d
	}
	return d
}

// latched returns d with the first stop's action, cause and reason.
func (m *Monitor) latched(d Decision) Decision {
	d.Action, d.Cause = Stop, m.stop.Cause
	d.Reason = "stopped at " + fmtMilli(m.stop.T) + ": " + m.stop.Reason
	return d
}

// noData reports whether a group has been silent for longer than MaxGap at
// time now, and says so.
func (m *Monitor) noData(now int64) (string, bool) {
	if !m.started {
		return "", false
	}
	var parts []string
	for _, s := range []struct {
		name string
		last int64
	}{{"experiment", m.lastExpT}, {"control", m.lastCtlT}} {
		gap := now - s.last
		if m.maxGap >= 0 && gap > m.maxGap {
			parts = append(parts, fmt.Sprintf("no %s data for %v (last at %s)", s.name, time.Duration(gap)*time.Millisecond, fmtMilli(s.last)))
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	what := ""
	if m.nonPositive > 0 {
		what = " (values <= 0 count as missing on the log-ratio scale)"
	}
	return strings.Join(parts, "; ") + fmt.Sprintf(", longer than the max gap %v%s: the monitor cannot see the experiment", time.Duration(m.maxGap)*time.Millisecond, what), true
}

// state computes the test's decision at time t from the running sums.
func (m *Monitor) state(t int64) Decision {
	d := Decision{
		T: t, Looks: m.looks, N: m.n, Alpha: m.alpha, P: m.minP,
		ControlMean: math.NaN(), ExperimentMean: math.NaN(),
		VarianceFactor: math.NaN(), Baseline: m.baseline,
		Difference: Interval{Estimate: math.NaN(), Low: math.Inf(-1), High: math.Inf(1), Confidence: 1 - m.alpha},
		Relative:   Interval{Estimate: math.NaN(), Low: math.Inf(-1), High: math.Inf(1), Confidence: 1 - m.alpha},
	}
	if m.n > 0 {
		n := float64(m.n)
		d.ControlMean, d.ExperimentMean = m.sumC/n, m.sumE/n
		d.Difference.Estimate, d.Relative.Estimate = m.toUnits(m.diffs.Mean(0), d.ControlMean)
	}
	d.Warnings = append(d.Warnings, m.primeWarn...)
	if m.nonPositive > 0 {
		d.Warnings = append(d.Warnings, fmt.Errorf("%d pairs with a value <= 0 were left out of the log-ratio test (the last at %s); use scale difference for a metric that can be zero", m.nonPositive, fmtMilli(m.lastNonPositive)))
	}
	if m.n < m.minPoints {
		d.Reason = fmt.Sprintf("burn-in: %d of %d complete pairs before the test may stop", m.n, m.minPoints)
		return d
	}
	if m.evaluated == m.n {
		// A look without a new pair (Check, or a point with a missing
		// value): the test is where it was.
		return m.lastTest(d)
	}
	m.evaluated = m.n
	v, factor, rho := m.longRun(1)
	m.testFactor, m.testWarn = factor, nil
	if rho > 0.8 {
		m.testWarn = append(m.testWarn, fmt.Errorf("the differences are strongly autocorrelated (lag-1 %.2f): the test is slow and its error rate approximate; aggregate to longer steps", rho))
	}
	if !(v > 0) {
		m.testWarn = append(m.testWarn, errors.New("the differences have zero variance: the test cannot run"))
		m.half = math.NaN()
		return m.lastTest(d)
	}
	n := float64(m.n)
	mean := m.diffs.Mean(0)
	df := m.df(factor)
	// The whole-run test at alpha/2 and the restarted tests together at
	// alpha/2 (restart.go): p is the smaller Bonferroni-adjusted p-value,
	// min(2/Lambda, 2/sum_j w_j Lambda_j).
	p := m.pValue(mean, n, v, df, m.g, 2, m.minP)
	p, window, win := m.restartedTests(p)
	if p < m.minP {
		m.minP, m.minWindow, m.minWin = p, window, win
	}
	m.half = halfWidth(v, n, m.g, m.logInvA, n/factor/dfShare-1)
	return m.lastTest(d)
}

// lastTest fills d's test fields from the last evaluation of the test.
func (m *Monitor) lastTest(d Decision) Decision {
	d.P = m.minP
	d.Window = m.minWin
	d.VarianceFactor = m.testFactor
	d.Warnings = append(d.Warnings, m.testWarn...)
	mean := m.diffs.Mean(0)
	if !math.IsNaN(m.half) {
		d.Difference.Low, d.Relative.Low = m.toUnits(mean-m.half, d.ControlMean)
		d.Difference.High, d.Relative.High = m.toUnits(mean+m.half, d.ControlMean)
	}
	if compare.Significant(d.P, m.alpha) {
		d.Action, d.Cause = Stop, CauseTest
		d.Reason = fmt.Sprintf("the experiment is %s than the control: always-valid p = %s <= alpha %s after %d pairs%s; over the run %s",
			m.worse(mean), format.PValue(d.P), strconv.FormatFloat(m.alpha, 'g', -1, 64), m.n, m.minWindow, m.describe(mean))
		return d
	}
	d.Reason = fmt.Sprintf("continue: always-valid p = %s > alpha %s", format.PValue(d.P), strconv.FormatFloat(m.alpha, 'g', -1, 64))
	return d
}

// toUnits converts a value x on the test's scale (a mean log ratio or a
// mean difference) to a difference in the metric's units and a relative
// change against the control's mean ctl: for LogRatio, exp(x) - 1 is the
// relative change (the ratio of geometric means) and the difference is that
// times ctl; for Difference, x is the difference and x/ctl the relative
// change (NaN when ctl is not positive).
func (m *Monitor) toUnits(x, ctl float64) (diff, rel float64) {
	if m.cfg.Scale == LogRatio {
		rel = math.Expm1(x)
		return rel * ctl, rel
	}
	if ctl > 0 {
		return x, x / ctl
	}
	return x, math.NaN()
}

// describe says in words how far apart the groups are at test-scale value x.
func (m *Monitor) describe(x float64) string {
	if m.cfg.Scale == LogRatio {
		return "experiment/control " + strconv.FormatFloat(format.RoundSig(100*math.Expm1(x), 3), 'g', -1, 64) + "%"
	}
	return "difference " + strconv.FormatFloat(format.RoundSig(x, 5), 'g', -1, 64)
}

// worse says which way the experiment differs.
func (m *Monitor) worse(mean float64) string {
	switch m.cfg.Direction {
	case steadystate.Decrease:
		return "lower"
	case steadystate.Increase:
		return "higher"
	}
	if mean < 0 {
		return "lower"
	}
	return "higher"
}

func fmtMilli(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }
