package steadystate

import (
	"fmt"
	"math"
)

// Kind says what a metric measures for the business: Business metrics
// (downloads, stream starts, orders) say what customers get done, System
// metrics (availability, latency, Apdex, errors) how the service behaves. The
// kind is reported, not judged; the empty Kind is unspecified.
type Kind string

// The kinds a metric can have.
const (
	Business Kind = "business"
	System   Kind = "system"
)

// ParseKind parses "business" or "system" (or "" for unspecified).
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case "", Business, System:
		return k, nil
	}
	return "", fmt.Errorf("unknown kind %q: want business or system", s)
}

// Direction says which change of a metric hurts. The zero value is Either, the
// safe default: a change beyond the tolerance either way fails the metric.
type Direction int

const (
	// Either: an increase or a decrease beyond the tolerance hurts.
	Either Direction = iota
	// Increase: only an increase hurts (latency, errors).
	Increase
	// Decrease: only a decrease hurts (downloads, availability, Apdex).
	Decrease
)

var directionNames = []string{"either", "increase", "decrease"}

// String returns "either", "increase" or "decrease", as the hypothesis file
// spells it.
func (d Direction) String() string {
	if d < 0 || int(d) >= len(directionNames) {
		return fmt.Sprintf("Direction(%d)", int(d))
	}
	return directionNames[d]
}

// MarshalText implements encoding.TextMarshaler.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// ParseDirection parses "increase", "decrease" or "either".
func ParseDirection(s string) (Direction, error) {
	for i, n := range directionNames {
		if s == n {
			return Direction(i), nil
		}
	}
	return 0, fmt.Errorf("unknown direction %q: want increase, decrease or either (the change that hurts)", s)
}

// Test selects the comparison that judges a metric. The zero value is AutoTest.
type Test int

const (
	// AutoTest compares time series (TimeSeriesTest) when both groups have
	// timestamps, and plain samples by MannWhitneyTest.
	AutoTest Test = iota
	// MannWhitneyTest asks whether one group tends to be larger (location):
	// compare.MannWhitneyU with the Hodges-Lehmann shift. It treats the
	// points as independent.
	MannWhitneyTest
	// WelchTest asks whether the means differ: compare.WelchT.
	WelchTest
	// KSTest asks whether the distributions differ at all, shape and spread
	// included: compare.KolmogorovSmirnov. It catches a wider spread at an
	// unchanged median, which MannWhitneyTest does not see. Its effect is the
	// largest relative difference, in a harmful direction, between matching
	// quantiles of the groups from the 5th to the 95th percentile (without
	// an interval), so that the tolerance applies to the part of the
	// distribution that moved.
	KSTest
	// QuantileTest compares one quantile (Metric.Quantile, e.g. 0.99 for p99
	// latency) by bootstrap: compare.Quantile. The groups need enough values
	// for the tail: 500 for p99 (fewer is NoData).
	QuantileTest
	// TimeSeriesTest pairs the groups minute by minute and tests the paired
	// difference with a long-run (autocorrelation-consistent) variance:
	// compare.TimeSeries. Both groups need timestamps.
	TimeSeriesTest
	// BrunnerMunzelTest asks whether one group tends to be larger without
	// assuming the groups have the same shape: compare.BrunnerMunzel. A
	// wider spread at an unchanged median does not by itself reject it, as
	// it can MannWhitneyTest's. Its effect is the quantile profile of
	// KSTest.
	BrunnerMunzelTest
)

var testNames = []string{"auto", "mannwhitney", "welch", "ks", "quantile", "timeseries", "brunnermunzel"}

// String returns the name the hypothesis file uses: "auto", "mannwhitney",
// "welch", "ks", "quantile", "timeseries" or "brunnermunzel".
func (t Test) String() string {
	if t < 0 || int(t) >= len(testNames) {
		return fmt.Sprintf("Test(%d)", int(t))
	}
	return testNames[t]
}

// MarshalText implements encoding.TextMarshaler.
func (t Test) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// ParseTest parses a test name as String returns it.
func ParseTest(s string) (Test, error) {
	for i, n := range testNames {
		if s == n {
			return Test(i), nil
		}
	}
	return 0, fmt.Errorf("unknown test %q: want auto, mannwhitney, welch, ks, quantile, timeseries or brunnermunzel", s)
}

// NoDataPolicy says what a metric without data (no values, all missing, or
// fewer than MinPoints in a group) does to the verdict. It is classified
// NoData whatever the policy: no data is never a pass. The zero value is
// NoDataInconclusive, the safe default.
type NoDataPolicy int

const (
	// NoDataInconclusive: the metric is left out of the score, and the
	// hypothesis cannot be held while it has no data (the verdict is
	// inconclusive unless other metrics disprove it).
	NoDataInconclusive NoDataPolicy = iota
	// NoDataFail: the metric counts as judged and failing, in the score and,
	// for a critical metric, as a disproof. For metrics whose absence is
	// itself the failure (requests stop being counted when the service is
	// down).
	NoDataFail
	// NoDataIgnore: the metric is left out of the score with a warning, and
	// the hypothesis may still be held, but never when half or more of its
	// metrics have no data.
	NoDataIgnore
)

var noDataNames = []string{"inconclusive", "fail", "ignore"}

// String returns "inconclusive", "fail" or "ignore".
func (p NoDataPolicy) String() string {
	if p < 0 || int(p) >= len(noDataNames) {
		return fmt.Sprintf("NoDataPolicy(%d)", int(p))
	}
	return noDataNames[p]
}

// MarshalText implements encoding.TextMarshaler.
func (p NoDataPolicy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// ParseNoDataPolicy parses "inconclusive", "fail" or "ignore".
func ParseNoDataPolicy(s string) (NoDataPolicy, error) {
	for i, n := range noDataNames {
		if s == n {
			return NoDataPolicy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown nodata policy %q: want inconclusive, fail or ignore", s)
}

// DefaultMinPoints is the number of values each group needs, when
// Metric.MinPoints is zero, before a metric is judged rather than
// classified NoData. With fewer, a two-sided 5% Mann-Whitney test has
// little power (with 4 values a group it can reach p = 0.029 at best).
const DefaultMinPoints = 8

// Metric is one metric of a steady-state hypothesis and how it is judged.
// The zero values of its optional fields are the safe defaults.
type Metric struct {
	// Name identifies the metric; it is unique within a hypothesis.
	Name string
	// Kind is Business or System, or empty; it is reported, not judged.
	Kind Kind
	// Unit is the unit of the values ("s", "requests/min"), for people.
	Unit string
	// Direction is the change that hurts. The zero value is Either.
	Direction Direction
	// Tolerance is the relative change allowed in the harmful direction:
	// 0.05 lets the experiment be up to 5% worse than the control before
	// the metric fails. Must be >= 0; 0 fails any significant harmful
	// change.
	Tolerance float64
	// AbsoluteTolerance is the change allowed in the harmful direction in
	// the metric's units, checked as well as Tolerance. It matters when the
	// control's level is zero or near it (error counts), where a relative
	// change is undefined or huge. Must be >= 0; 0 means no absolute
	// allowance.
	AbsoluteTolerance float64
	// Critical makes a failing metric disprove the hypothesis whatever the
	// score.
	Critical bool
	// Group names the group the metric is scored in (see Hypothesis). A
	// metric without a group is in the group "default".
	Group string
	// Weight is the metric's weight within its group's score; 0 means 1.
	// Must be >= 0.
	Weight float64
	// Test is the comparison; the zero value is AutoTest.
	Test Test
	// QuantileTest is the quantile Test QuantileTest compares, in (0, 1): 0.99 for
	// p99. Required for Test QuantileTest, unused otherwise.
	Quantile float64
	// NoData is what no data does to the verdict; the zero value is
	// NoDataInconclusive.
	NoData NoDataPolicy
	// MinPoints is the number of values each group needs before the metric
	// is judged; 0 means DefaultMinPoints. Must be >= 0.
	MinPoints int
}

// minPoints returns MinPoints with the default applied.
func (m Metric) minPoints() int {
	if m.MinPoints == 0 {
		return DefaultMinPoints
	}
	return m.MinPoints
}

// weight returns Weight with the default applied.
func (m Metric) weight() float64 {
	if m.Weight == 0 {
		return 1
	}
	return m.Weight
}

// jGroupName returns the group's name as reports show it.
func jGroupName(g string) string {
	if g == "" {
		return "default"
	}
	return g
}

// FieldError is a Metric or Hypothesis field with a value out of range.
// Field names it as the hypothesis file does: "metrics[2].tolerance".
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// metricNumberRule returns what is wrong with v as the value of the
// Metric's numeric field key (its name in the hypothesis file:
// "tolerance", "absolute_tolerance", "weight", "min_points", "quantile"),
// or "" when nothing is: the one rule of each field for Metric.validate (a
// Go caller's struct) and the hypothesis parser (a file). given says the
// value was written, as in a file; in a struct a zero Weight or MinPoints
// stands for the default and is valid.
func metricNumberRule(key string, v float64, given bool) string {
	finite := !math.IsNaN(v) && !math.IsInf(v, 0)
	switch key {
	case "tolerance":
		if !finite {
			return fmt.Sprintf("%v: want a relative change >= 0, such as 0.05 for 5%%", v)
		}
		if v < 0 {
			return fmt.Sprintf("%v is negative: want a relative change >= 0 (the direction says which way)", v)
		}
	case "absolute_tolerance":
		if !finite || v < 0 {
			return fmt.Sprintf("%v: want a change >= 0 in the metric's units", v)
		}
	case "weight":
		if !finite || v < 0 || v == 0 && given {
			return fmt.Sprintf("%v: want a weight > 0 (to leave a metric out of the score, remove it)", v)
		}
	case "min_points":
		if !finite || v != math.Trunc(v) || v < 0 || v == 0 && given {
			return fmt.Sprintf("%v: want a number of points >= 1", v)
		}
	case "quantile":
		if !(v > 0 && v < 1) {
			hint := ""
			if v > 1 && v < 100 {
				hint = fmt.Sprintf(": %g rather than %g", v/100, v)
			}
			return fmt.Sprintf("%v is out of range: want a quantile in (0, 1)%s", v, hint)
		}
	default:
		panic("steadystate: metricNumberRule: unknown field " + key)
	}
	return ""
}

// validate checks the metric's fields; prefix is its position, such as
// "metrics[2]".
func (m Metric) validate(prefix string) error {
	bad := func(field, format string, args ...any) error {
		return &FieldError{Field: prefix + "." + field, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case m.Name == "":
		return bad("name", "missing: every metric needs a name")
	}
	for _, f := range []struct {
		key string
		v   float64
	}{{"tolerance", m.Tolerance}, {"absolute_tolerance", m.AbsoluteTolerance}, {"weight", m.Weight}, {"min_points", float64(m.MinPoints)}} {
		if msg := metricNumberRule(f.key, f.v, false); msg != "" {
			return bad(f.key, "%s", msg)
		}
	}
	switch {
	case m.Direction < Either || m.Direction > Decrease:
		return bad("direction", "%v: want increase, decrease or either", m.Direction)
	case m.Test < AutoTest || m.Test > BrunnerMunzelTest:
		return bad("test", "%v: unknown test", m.Test)
	case m.NoData < NoDataInconclusive || m.NoData > NoDataIgnore:
		return bad("nodata", "%v: unknown policy", m.NoData)
	}
	if _, err := ParseKind(string(m.Kind)); err != nil {
		return bad("kind", "%v", err)
	}
	if m.Test == QuantileTest {
		if m.Quantile == 0 {
			return bad("quantile", "missing: test quantile needs a quantile in (0, 1), such as 0.99 for p99")
		}
		if msg := metricNumberRule("quantile", m.Quantile, true); msg != "" {
			return bad("quantile", "%s", msg)
		}
	} else if m.Quantile != 0 {
		return bad("quantile", "%v is set but test is %s: quantile is used only with test: quantile", m.Quantile, m.Test)
	}
	return nil
}
