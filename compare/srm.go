package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultSRMAlpha is the significance level of the sample-ratio-mismatch
// check: 0.001. A chi-square test on millions of requests has the power to
// see a split of 1.9% against 2%, which is a real mismatch, so a strict level
// costs no sensitivity and keeps a clean split from being flagged by chance
// more than once in a thousand checks. Practitioners use thresholds of
// 0.0005 to 0.001 (GrowthBook's default is 0.001); Fabijan et al. [1] and
// Kohavi, Tang & Xu [2] (ch. 21) explain why an SRM invalidates the
// comparison and how to find its cause.
//
// [1] Fabijan, A., Gupchup, J., Gupta, S., Omhover, J., Qin, W., Vermeer, L.
// & Dmitriev, P. (2019). Diagnosing Sample Ratio Mismatch in Online
// Controlled Experiments: A Taxonomy and Rules of Thumb for Practitioners.
// KDD '19.
// [2] Kohavi, R., Tang, D. & Xu, Y. (2020). Trustworthy Online Controlled
// Experiments. Cambridge University Press.
const DefaultSRMAlpha = 0.001

// Ratio is the planned split between the control and the experiment group,
// as their traffic shares or any multiple of them: 2%:2% is Ratio{2, 2},
// the same as Ratio{1, 1}. The zero Ratio means DefaultRatio.
type Ratio struct {
	Control, Experiment float64
}

// DefaultRatio is the even split, 1:1.
var DefaultRatio = Ratio{Control: 1, Experiment: 1}

// ExperimentShare returns the experiment's planned share of the two groups'
// traffic, Experiment/(Control+Experiment).
func (r Ratio) ExperimentShare() float64 { return r.Experiment / (r.Control + r.Experiment) }

// String formats the ratio as "CONTROL:EXPERIMENT", e.g. "1:1".
func (r Ratio) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return f(r.Control) + ":" + f(r.Experiment)
}

// ParseRatio parses "CONTROL:EXPERIMENT", e.g. "1:1" or "2:2" (the groups'
// traffic shares in percent, or any multiple of them).
func ParseRatio(s string) (Ratio, error) {
	c, e, ok := strings.Cut(s, ":")
	if !ok {
		return Ratio{}, fmt.Errorf("ratio %q: want CONTROL:EXPERIMENT, such as 1:1 or 2:2", s)
	}
	var r Ratio
	var err1, err2 error
	r.Control, err1 = strconv.ParseFloat(strings.TrimSpace(c), 64)
	r.Experiment, err2 = strconv.ParseFloat(strings.TrimSpace(e), 64)
	if err1 != nil || err2 != nil {
		return Ratio{}, fmt.Errorf("ratio %q: want two numbers CONTROL:EXPERIMENT, such as 1:1 or 2:2", s)
	}
	if err := r.validate(); err != nil {
		return Ratio{}, err
	}
	return r, nil
}

// MarshalText implements encoding.TextMarshaler: the ratio as String
// writes it.
func (r Ratio) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseRatio, so that
// a Ratio is a flag (flag.TextVar) or a field of a configuration file.
func (r *Ratio) UnmarshalText(b []byte) error {
	v, err := ParseRatio(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

func (r Ratio) validate() error {
	ok := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) }
	if !ok(r.Control) || !ok(r.Experiment) {
		return fmt.Errorf("ratio %v: both shares must be positive and finite", r)
	}
	if q := r.ExperimentShare(); !(q > 0 && q < 1) {
		return fmt.Errorf("ratio %v: the shares are too far apart to compute with", r)
	}
	return nil
}

func (r Ratio) withDefault() (Ratio, error) {
	if r == (Ratio{}) {
		return DefaultRatio, nil
	}
	return r, r.validate()
}

// ErrNoCounts is returned when a sample-ratio check has no traffic to judge:
// both groups' counts sum to zero, or no window holds data. It wraps
// series.ErrTooLittleData.
var ErrNoCounts = series.TooLittleData("no counts")

// SampleRatioTest is Pearson's chi-square goodness-of-fit test of the
// experiment's and the control's counts against the planned ratio.
//
// The null hypothesis is that each unit of traffic (request, download) went
// to the experiment with probability q = ratio.ExperimentShare(); the
// alternative, that it went with another probability. With N = e + c and
// one degree of freedom:
//
//	χ² = (e − qN)²/(qN) + (c − (1−q)N)²/((1−q)N),   p = P(χ²₁ ≥ χ²) = erfc(√(χ²/2))
//
// p is in [0, 1]; it is computed with erfc, so it stays accurate far in the
// tail. Counts must be finite and non-negative with a positive sum
// (ErrNoCounts otherwise). Statistically significant is not the same as
// large: with millions of counts a split of 49.9% is detected; read the
// observed share beside p.
//
// [1] Pearson, K. (1900). On the criterion that a given system of deviations
// ... Philosophical Magazine 50(302), 157–175.
func SampleRatioTest(experiment, control float64, ratio Ratio) (chi2, p float64, err error) {
	ratio, err = ratio.withDefault()
	if err != nil {
		return math.NaN(), math.NaN(), fmt.Errorf("compare: %w", err)
	}
	for _, x := range []float64{experiment, control} {
		if !(x >= 0) || math.IsInf(x, 0) {
			return math.NaN(), math.NaN(), fmt.Errorf("compare: counts must be finite and non-negative, got experiment %v, control %v", experiment, control)
		}
	}
	n := experiment + control
	if n == 0 {
		return math.NaN(), math.NaN(), fmt.Errorf("compare: both groups have a count of 0: %w", ErrNoCounts)
	}
	q := ratio.ExperimentShare()
	ee, ec := q*n, (1-q)*n
	chi2 = (experiment-ee)*(experiment-ee)/ee + (control-ec)*(control-ec)/ec
	return chi2, math.Erfc(math.Sqrt(chi2 / 2)), nil
}

// SRMWindow is the sample-ratio test of one window.
type SRMWindow struct {
	Start               int64   // Unix milliseconds of the window's start
	Experiment, Control float64 // the groups' counts in the window
	ChiSquare, P        float64
}

// SRM is the sample-ratio-mismatch check of two count series: the whole
// period and its windows.
type SRM struct {
	Ratio  Ratio   // the planned split
	Alpha  float64 // the significance level of the check
	Window time.Duration
	// Experiment and Control are the groups' total counts over the time
	// points where both have a value.
	Experiment, Control float64
	// ExpectedShare and Share are the experiment's planned and observed
	// share of the two groups' total.
	ExpectedShare, Share float64
	// ChiSquare and P are SampleRatioTest of the totals.
	ChiSquare, P float64
	// Windows is the number of windows with traffic; Dispersion is the
	// over-dispersion factor, the mean of their chi-squares,
	//
	//	φ = Σ χ²_w / W
	//
	// about 1 for a clean random split (each χ²_w is then χ²₁) and well
	// above 1 when the split wanders from window to window even if it is
	// right on the whole. DispersionP is P(χ²_W ≥ Σ χ²_w), the chance of
	// that much wander under a clean split.
	Windows                 int
	Dispersion, DispersionP float64
	// Mismatch reports P <= Alpha (Significant): the totals do not fit the planned
	// ratio, and no comparison of the groups should be trusted.
	Mismatch bool
	// Flagged lists the windows whose own test has p <= Alpha, in time
	// order: where a group lost or gained traffic.
	Flagged []SRMWindow
	// Warnings say where the check ran but its answer is weak.
	Warnings []error
}

// String formats the check for people: "SRM: share 0.4999 (planned 0.5) χ²=0.2 p=0.65 φ=1.02 over 672 windows".
func (s SRM) String() string {
	verdict := "ok"
	if s.Mismatch {
		verdict = "MISMATCH"
	}
	return fmt.Sprintf("SRM %s: experiment share %.4g (planned %.4g) χ²=%.4g p=%.3g, dispersion %.3g over %d windows of %v",
		verdict, s.Share, s.ExpectedShare, s.ChiSquare, s.P, s.Dispersion, s.Windows, s.Window)
}

// srmJSON is the JSON of an SRM, the "srm" object of `chaosstat aa
// --format json` and of --health: a contract documented in docs/commands/aa.md.
type srmJSON struct {
	ChiSquare        format.Float    `json:"chi_square"`
	PValue           format.Float    `json:"p_value"`
	Dispersion       format.Float    `json:"dispersion"`
	DispersionPValue format.Float    `json:"dispersion_p_value"`
	Mismatch         bool            `json:"mismatch"`
	Alpha            format.Float    `json:"alpha"`
	Ratio            string          `json:"ratio"`
	ExperimentTotal  format.Float    `json:"experiment_total"`
	ControlTotal     format.Float    `json:"control_total"`
	ExperimentShare  format.Float    `json:"experiment_share"`
	ExpectedShare    format.Float    `json:"expected_share"`
	Window           format.Duration `json:"window"`
	Windows          int             `json:"windows"`
}

// MarshalJSON writes the check as the "srm" object of the A/A and health
// reports: the totals' test and the windows' dispersion (the flagged
// windows and the warnings are the reports' own keys).
func (s SRM) MarshalJSON() ([]byte, error) {
	return format.Marshal(srmJSON{
		ChiSquare: format.Float(s.ChiSquare), PValue: format.Float(s.P),
		Dispersion: format.Float(s.Dispersion), DispersionPValue: format.Float(s.DispersionP),
		Mismatch: s.Mismatch, Alpha: format.Float(s.Alpha), Ratio: s.Ratio.String(),
		ExperimentTotal: format.Float(s.Experiment), ControlTotal: format.Float(s.Control),
		ExperimentShare: format.Float(s.Share), ExpectedShare: format.Float(s.ExpectedShare),
		Window: format.Duration(s.Window), Windows: s.Windows,
	})
}

// CheckSRM checks the split of two count series (requests or downloads per
// minute, say) against the planned ratio: SampleRatioTest of the totals
// over the time points both series have, and of each window of the given
// length (clock-aligned, as series.Windows cuts them), with the
// over-dispersion factor of the windows. Alpha zero means DefaultSRMAlpha.
//
// Use it before an experiment, on the A/A period (AA calls it when
// AAOptions.Counts is set), and during one: ExperimentHealth is CheckSRM on
// the experiment period, where a mismatch means a group stopped getting its
// share of traffic and the run should not be judged.
//
// Errors: a value that is negative or infinite (counts cannot be), a window
// length that is not positive, or no traffic at all (ErrNoCounts).
func CheckSRM(experiment, control series.Series, window time.Duration, ratio Ratio, alpha float64) (SRM, error) {
	ratio, err := ratio.withDefault()
	if err != nil {
		return SRM{}, fmt.Errorf("compare: %w", err)
	}
	if alpha == 0 {
		alpha = DefaultSRMAlpha
	}
	if !(alpha > 0 && alpha < 1) {
		return SRM{}, fmt.Errorf("compare: SRM alpha %v out of range: want a level in (0, 1), such as %v", alpha, DefaultSRMAlpha)
	}
	ts, ve, vc := series.Pairs(experiment, control)
	for i := range ts {
		if ve[i] < 0 || vc[i] < 0 || math.IsInf(ve[i], 0) || math.IsInf(vc[i], 0) {
			return SRM{}, fmt.Errorf("compare: at %s experiment is %v and control %v: counts must be finite and non-negative",
				time.UnixMilli(ts[i]).UTC().Format(time.RFC3339), ve[i], vc[i])
		}
	}
	if len(ts) == 0 {
		return SRM{}, fmt.Errorf("compare: the series share no time point where both have a value: %w", ErrNoCounts)
	}
	res := SRM{Ratio: ratio, Alpha: alpha, Window: window, ExpectedShare: ratio.ExperimentShare()}
	for i := range ts {
		res.Experiment += ve[i]
		res.Control += vc[i]
	}
	res.ChiSquare, res.P, err = SampleRatioTest(res.Experiment, res.Control, ratio)
	if err != nil {
		return SRM{}, err
	}
	res.Share = res.Experiment / (res.Experiment + res.Control)
	res.Mismatch = Significant(res.P, alpha)

	sums, err := windowSums(ts, ve, vc, window)
	if err != nil {
		return SRM{}, err
	}
	var total float64
	for _, w := range sums {
		if w.Experiment+w.Control == 0 {
			continue
		}
		chi2, p, _ := SampleRatioTest(w.Experiment, w.Control, ratio)
		w.ChiSquare, w.P = chi2, p
		total += chi2
		res.Windows++
		if Significant(p, alpha) {
			res.Flagged = append(res.Flagged, w)
		}
	}
	res.Dispersion, res.DispersionP = math.NaN(), math.NaN()
	if res.Windows > 0 {
		res.Dispersion = total / float64(res.Windows)
		res.DispersionP = distuv.ChiSquared{K: float64(res.Windows)}.Survival(total)
	}
	if res.Mismatch {
		rel := "<"
		if res.P == alpha {
			rel = "<="
		}
		res.Warnings = append(res.Warnings, fmt.Errorf("sample ratio mismatch: the experiment got %.4g%% of the two groups' traffic, planned %.4g%% (p = %.2g %s %v): find why before comparing the groups (routing, a group losing traffic, counting)",
			100*res.Share, 100*res.ExpectedShare, res.P, rel, alpha))
	}
	if res.Windows > 0 && Significant(res.DispersionP, alpha) {
		res.Warnings = append(res.Warnings, fmt.Errorf("the split departs from the plan window by window more than a random split would: dispersion %.3g at %s, about 1 for a random split (p = %.2g); a comparison at this window length sees the departure as a difference",
			res.Dispersion, ShortDuration(window), res.DispersionP))
	}
	return res, nil
}

// ExperimentHealth is the sample-ratio check of the experiment period
// itself: CheckSRM on the run's counts. A run whose traffic stopped reaching
// a group, or whose split drifted, shows a Mismatch (or Flagged windows) and
// should be repaired and rerun rather than judged: its comparison measures
// the routing, not the fault.
func ExperimentHealth(experiment, control series.Series, window time.Duration, ratio Ratio, alpha float64) (SRM, error) {
	return CheckSRM(experiment, control, window, ratio, alpha)
}

// windowSums sums the paired values (ts, ve, vc) over clock-aligned windows
// of the given length; windows with no pair are left out.
func windowSums(ts []int64, ve, vc []float64, window time.Duration) ([]SRMWindow, error) {
	if window <= 0 || window%time.Millisecond != 0 {
		return nil, fmt.Errorf("compare: window %v: want a positive whole number of milliseconds: %w", window, series.ErrStep)
	}
	l := window.Milliseconds()
	var out []SRMWindow
	for i, t := range ts {
		start := floorMilli(t, l)
		if len(out) == 0 || out[len(out)-1].Start != start {
			out = append(out, SRMWindow{Start: start})
		}
		w := &out[len(out)-1]
		w.Experiment += ve[i]
		w.Control += vc[i]
	}
	return out, nil
}

// floorMilli returns the largest multiple of l at or before t, as
// series.Windows aligns windows.
func floorMilli(t, l int64) int64 {
	q := t / l
	if t%l != 0 && t < 0 {
		q--
	}
	return q * l
}
