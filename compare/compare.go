package compare

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/chaosstat/chaosstat/series"
)

// Alternative is the alternative hypothesis of a test, always stated about the
// experiment relative to the control. The zero value is TwoSided, the safe
// default.
type Alternative int

const (
	// TwoSided: the experiment differs from the control in either direction.
	TwoSided Alternative = iota
	// Greater: the experiment tends to be greater than the control.
	Greater
	// Less: the experiment tends to be less than the control.
	Less
)

// String returns "two-sided", "greater" or "less", the spelling scipy and the
// CLI use.
func (a Alternative) String() string {
	switch a {
	case TwoSided:
		return "two-sided"
	case Greater:
		return "greater"
	case Less:
		return "less"
	}
	return fmt.Sprintf("Alternative(%d)", int(a))
}

// ParseAlternative parses "two-sided", "greater" or "less".
func ParseAlternative(s string) (Alternative, error) {
	for _, a := range []Alternative{TwoSided, Greater, Less} {
		if s == a.String() {
			return a, nil
		}
	}
	return 0, fmt.Errorf("unknown alternative %q: want two-sided, greater or less", s)
}

// MarshalText implements encoding.TextMarshaler.
func (a Alternative) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Method selects how a p-value (or interval) is computed. The zero value is
// Auto, which picks per test the way the reference implementations do.
type Method int

const (
	// Auto chooses Exact or Asymptotic per test (see each test's doc).
	Auto Method = iota
	// Exact uses the exact permutation distribution of the statistic.
	Exact
	// Asymptotic uses a large-sample approximation.
	Asymptotic
)

// String returns "auto", "exact" or "asymptotic".
func (m Method) String() string {
	switch m {
	case Auto:
		return "auto"
	case Exact:
		return "exact"
	case Asymptotic:
		return "asymptotic"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod parses "auto", "exact" or "asymptotic".
func ParseMethod(s string) (Method, error) {
	for _, m := range []Method{Auto, Exact, Asymptotic} {
		if s == m.String() {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown method %q: want auto, exact or asymptotic", s)
}

// MarshalText implements encoding.TextMarshaler.
func (m Method) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// DefaultConfidence is the confidence level used when Options.Confidence is
// zero: 95%, so alpha = 0.05.
const DefaultConfidence = 0.95

// Options configures a two-sample test. The zero value is two-sided, Auto
// method, DefaultConfidence.
type Options struct {
	Alternative Alternative
	Method      Method
	// Confidence is the confidence level of intervals, in (0, 1); the
	// significance level of the test is alpha = 1 − Confidence. Zero means
	// DefaultConfidence.
	Confidence float64
	// NoShift skips the effect-size interval (Result.Shift is NaN): for
	// callers that need only the p-value, such as a loop over many windows.
	NoShift bool
	// NoContinuityCorrection turns off the continuity correction of the
	// normal approximation of the Mann-Whitney test and of its
	// Hodges-Lehmann interval (scipy's use_continuity=False, R's
	// correct = FALSE). The correction is on by default: without it the
	// approximate p-value of a discrete statistic is too small. Exact
	// p-values and the other tests ignore it.
	NoContinuityCorrection bool
	// Seed seeds the random resampling of the bootstrap tests (Quantile), so
	// that the same data and options give the same result. Zero means
	// DefaultSeed; the tests without resampling ignore it.
	Seed uint64
	// Resamples is the number of bootstrap resamples (Quantile). Zero means
	// DefaultResamples; negative is an error.
	Resamples int
	// History, when not nil, is the two groups' A/A time before the period
	// TimeSeries compares: the long-run variance of the period's
	// differences is then at least the history's ratio of long-run
	// variance to variance times their own variance (see TimeSeries). The
	// other tests ignore it.
	History *History
}

// DefaultSeed is the seed used when Options.Seed is zero: results are
// reproducible unless the caller asks for another seed.
const DefaultSeed uint64 = 1

// DefaultResamples is the number of bootstrap resamples used when
// Options.Resamples is zero: enough for the 2.5% and 97.5% percentiles of
// a 95% interval to be stable to about ±0.3 percentile points.
const DefaultResamples = 2000

// DefaultOptions are the options the zero Options stand for.
var DefaultOptions = Options{Alternative: TwoSided, Method: Auto, Confidence: DefaultConfidence}

// withDefaults fills zero fields and validates the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Confidence == 0 {
		o.Confidence = DefaultConfidence
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return o, fmt.Errorf("compare: confidence %v out of range: want a level in (0, 1), such as 0.95", o.Confidence)
	}
	if o.Alternative < TwoSided || o.Alternative > Less {
		return o, fmt.Errorf("compare: invalid %v", o.Alternative)
	}
	if o.Method < Auto || o.Method > Asymptotic {
		return o, fmt.Errorf("compare: invalid %v", o.Method)
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Resamples < 0 {
		return o, fmt.Errorf("compare: %d resamples: want a positive number, or 0 for DefaultResamples (%d)", o.Resamples, DefaultResamples)
	}
	return o, nil
}

// Alpha returns the significance level 1 − Confidence (with defaults
// applied), as AlphaFromConfidence rounds it.
func (o Options) Alpha() float64 {
	if o.Confidence == 0 {
		return AlphaFromConfidence(DefaultConfidence)
	}
	return AlphaFromConfidence(o.Confidence)
}

// Errors returned by the tests. Callers branch on them with errors.Is.
var (
	// ErrSampleSize: a sample has too few (non-missing) values for the
	// test. It wraps series.ErrTooLittleData.
	ErrSampleSize = series.TooLittleData("too few points")
	// ErrNonFinite: a sample holds +Inf or -Inf, which no test here accepts.
	ErrNonFinite = errors.New("infinite value")
)

// Shift is the estimated difference in location, experiment minus control,
// with its confidence interval. For a one-sided alternative one bound is
// infinite: Greater gives [Low, +Inf), Less gives (−Inf, High].
type Shift struct {
	Estimate float64
	Low      float64
	High     float64
	// Confidence is the confidence level the interval achieves. For exact
	// intervals from a discrete distribution it can fall below the level
	// asked for; a warning then says so.
	Confidence float64
	// Method is how the interval was computed.
	Method Method
}

// String formats the shift as "+1.5 [0.2, 3.1] (95%)".
func (s Shift) String() string {
	return fmt.Sprintf("%+.4g [%.4g, %.4g] (%s)", s.Estimate, s.Low, s.High, pct(s.Confidence))
}

func pct(c float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", 100*c), "0"), ".") + "%"
}

// Result is the outcome of a two-sample test of experiment against control.
type Result struct {
	// Test names the test: "mannwhitney", "welch", "ks" or
	// "brunnermunzel".
	Test string
	// Method is the method actually used (Exact or Asymptotic), which can
	// differ from the one asked for; Warnings then says why.
	Method      Method
	Alternative Alternative
	// Statistic is the test statistic: U of the experiment sample for
	// Mann-Whitney, t for Welch, D for Kolmogorov-Smirnov.
	Statistic float64
	// DF is the degrees of freedom (Welch only; NaN otherwise).
	DF float64
	// P is the p-value, in [0, 1].
	P float64
	// NExperiment and NControl count the values used (missing values
	// excluded).
	NExperiment, NControl int
	// Shift is the effect: the Hodges-Lehmann shift for Mann-Whitney and
	// Kolmogorov-Smirnov, the difference in means for Welch, the mean of
	// the paired differences for TimeSeries, the difference of the
	// quantiles for Quantile.
	Shift Shift
	// ControlLevel is the control's level on the scale of Shift, so that a
	// caller can state the shift relative to the control
	// (Shift.Estimate/ControlLevel): the control's median for Mann-Whitney
	// and Kolmogorov-Smirnov, its mean for Welch, its mean over the pairs
	// used for TimeSeries, its q-quantile for Quantile. It can be zero (an
	// error count with no errors), where a relative shift is undefined.
	ControlLevel float64
	// Autocorrelation is the lag-1 autocorrelation of the paired
	// differences (TimeSeries), in [−1, 1]; NaN for the tests that do not
	// estimate it.
	Autocorrelation float64
	// EffectiveN is the number of independent observations the data is
	// worth (TimeSeries: n·γ₀/LRV, the number of pairs times the ratio of
	// the differences' variance to their long-run variance); NaN for the
	// tests that do not estimate it.
	EffectiveN float64
	// Confidence is the confidence level asked for; Alpha() = 1 − Confidence.
	Confidence float64
	// Warnings say where the test ran but its answer is weak, each phrased
	// as what to do about it.
	Warnings []error
}

// Alpha returns the significance level 1 − Confidence, as
// AlphaFromConfidence rounds it: 0.05 for Confidence 0.95.
func (r Result) Alpha() float64 { return AlphaFromConfidence(r.Confidence) }

// Significant reports whether P is significant at Alpha(): P <= Alpha(), by
// the package's Significant. Statistically significant is not the same as
// large: look at Shift for the size of the difference.
func (r Result) Significant() bool { return Significant(r.P, r.Alpha()) }

// String formats the result for people: "mannwhitney exact: U=17 p=0.111 n=5+4 shift=+7 [-1, 17] (95%)".
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Test, r.Method)
	if r.Alternative != TwoSided {
		fmt.Fprintf(&b, " (%s)", r.Alternative)
	}
	name := map[string]string{"mannwhitney": "U", "welch": "t", "ks": "D", "paired-hac": "t", "quantile": "diff", "brunnermunzel": "W"}[r.Test]
	if name == "" {
		name = "stat"
	}
	fmt.Fprintf(&b, ": %s=%.6g", name, r.Statistic)
	if !math.IsNaN(r.DF) && r.DF != 0 {
		fmt.Fprintf(&b, " df=%.4g", r.DF)
	}
	fmt.Fprintf(&b, " p=%.3g n=%d+%d shift=%s", r.P, r.NExperiment, r.NControl, r.Shift)
	return b.String()
}
