package compare

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultAAWindows are the window lengths AA tries when AAOptions.Windows is
// empty: 5m, 10m, 30m, 1h, 2h, 6h, 12h and 24h.
var DefaultAAWindows = []time.Duration{
	5 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour,
	2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// DefaultAAAlpha is the significance level of each window's comparison and
// of the check of the false-positive count: 0.05.
const DefaultAAAlpha = 0.05

// DefaultAADetectFactor sets the false-positive rate the A/A check must be
// able to catch when AAOptions.DetectRate is zero: four times alpha (0.2 at
// alpha 0.05, one window in five a false alarm). With it, MinAAWindows
// gives 27 windows at alpha 0.05.
const DefaultAADetectFactor = 4

// DefaultAAMinCoverage is the share of a window's expected points that both
// groups must have for the window to be tested: 0.9.
const DefaultAAMinCoverage = 0.9

// AAMinPoints is the fewest paired points a window needs to be tested. With
// 4+4 points the exact Mann-Whitney test can just reach p <= 0.05
// (2/C(8,4) = 0.029); 5 leaves room for a missing point. A window that cannot
// reject would count as a pass, which no data must never be.
const AAMinPoints = 5

// AAMinDispersionWindows is the fewest windows on which AA judges a split
// of counts valid by its dispersion when there are too few for the
// false-positive count: a week of daily windows, so that every weekday's
// traffic is in the test.
const AAMinDispersionWindows = 7

// AATest is the comparison an experiment will run in each window, called as
// test(experiment, control, opts): MannWhitneyU, WelchT and
// KolmogorovSmirnov have this signature.
type AATest func(experiment, control []float64, opts Options) (Result, error)

// AAOptions configures AA. The zero value replays a two-sided Mann-Whitney
// test at alpha 0.05 over DefaultAAWindows, without the count checks.
type AAOptions struct {
	// Windows are the candidate window lengths; empty means
	// DefaultAAWindows. Each must be a positive whole number of
	// milliseconds, given once (CheckAAWindows).
	Windows []time.Duration
	// Planned is the window length the experiment will use. It is added to
	// Windows when missing and is the length the SRM dispersion is
	// reported at; zero means the shortest of Windows.
	Planned time.Duration
	// Alpha is the significance level of each window's comparison and of
	// the binomial check of the false-positive count; zero means
	// DefaultAAAlpha.
	Alpha float64
	// Alternative is the alternative of each window's comparison.
	Alternative Alternative
	// Test is the comparison; nil means MannWhitneyU. It is run with
	// Options{Alternative, Confidence: 1 − Alpha, NoShift: true}.
	Test AATest
	// Counts says the values are counts per interval (requests,
	// downloads): AA then checks the sample ratio (CheckSRM) and each
	// window length's dispersion against Ratio.
	Counts bool
	// Ratio is the planned split; zero means DefaultRatio (1:1).
	Ratio Ratio
	// SRMAlpha is the level of the sample-ratio check; zero means
	// DefaultSRMAlpha.
	SRMAlpha float64
	// DetectRate is the false-positive rate the check must be able to
	// catch with probability Power before it may call a split valid: a
	// window length with fewer than MinAAWindows(Alpha, DetectRate, Power)
	// windows is TooFewWindows unless its false positives already prove
	// it invalid. Zero means DefaultAADetectFactor·Alpha.
	DetectRate float64
	// Power is the power of that check and of the minimum detectable
	// effects; zero means DefaultPower.
	Power float64
	// MinCoverage is the share of a window's expected points both groups
	// must hold for it to be tested; zero means DefaultAAMinCoverage.
	MinCoverage float64
}

// CheckAAAlpha returns an error, naming alpha, unless alpha is a level an
// A/A replay with the default DetectRate and Power can use: in (0, 0.5),
// and large enough that a feasible number of windows (MinAAWindows) can
// tell a split making DefaultAADetectFactor × alpha of them false alarms
// from a sound one. 1e-300 is a level no history could check.
func CheckAAAlpha(alpha float64) error {
	if !(alpha > 0 && alpha < 0.5) {
		return fmt.Errorf("alpha %v out of range: want a level in (0, 0.5), such as 0.05", alpha)
	}
	if _, err := MinAAWindows(alpha, min(DefaultAADetectFactor*alpha, 0.99), DefaultPower); err != nil {
		return fmt.Errorf("alpha %v is too small for an A/A replay: more than %d windows would be needed to catch a split making %v of them false alarms; use a level such as 0.05", alpha, maxMinWindows, DefaultAADetectFactor*alpha)
	}
	return nil
}

// The keys a *series.OptionError names AAOptions' window lengths by:
// Windows and Planned, which are chaosstat aa's --windows and --window and
// the server's "windows" and "window".
const (
	OptionWindows = "windows"
	OptionWindow  = "window"
)

// CheckAAWindows returns a *series.OptionError naming OptionWindows unless
// each of windows, the candidate lengths of AAOptions.Windows, is a
// positive whole number of milliseconds given once: a length given twice
// ("30m,30m", "1h,60m") is a typo that would replay it only once. Its
// Value is the list as "30m,1h".
func CheckAAWindows(windows []time.Duration) error {
	for i, w := range windows {
		var want string
		switch {
		case w <= 0 || w%time.Millisecond != 0:
			want = fmt.Sprintf("positive whole numbers of milliseconds (%s is not)", ShortDuration(w))
		case slices.Contains(windows[:i], w):
			want = fmt.Sprintf("each window length once (%s is given twice)", ShortDuration(w))
		default:
			continue
		}
		s := make([]string, len(windows))
		for j, w := range windows {
			s[j] = ShortDuration(w)
		}
		return &series.OptionError{Option: OptionWindows, Value: strings.Join(s, ","), Want: want}
	}
	return nil
}

func (o AAOptions) withDefaults() (AAOptions, error) {
	if err := CheckAAWindows(o.Windows); err != nil {
		return o, fmt.Errorf("compare: %w", err)
	}
	if o.Planned < 0 || o.Planned%time.Millisecond != 0 {
		return o, fmt.Errorf("compare: %w", &series.OptionError{Option: OptionWindow, Value: ShortDuration(o.Planned), Want: "a positive whole number of milliseconds"})
	}
	if len(o.Windows) == 0 {
		o.Windows = DefaultAAWindows
	}
	o.Windows = slices.Clone(o.Windows)
	if o.Planned != 0 && !slices.Contains(o.Windows, o.Planned) {
		o.Windows = append(o.Windows, o.Planned)
	}
	slices.Sort(o.Windows)
	if o.Planned == 0 {
		o.Planned = o.Windows[0]
	}
	if o.Alpha == 0 {
		o.Alpha = DefaultAAAlpha
	}
	if err := CheckAAAlpha(o.Alpha); err != nil && o.DetectRate == 0 && o.Power == 0 {
		return o, fmt.Errorf("compare: %w", err)
	}
	if !(o.Alpha > 0 && o.Alpha < 0.5) {
		return o, fmt.Errorf("compare: alpha %v out of range: want a level in (0, 0.5), such as 0.05", o.Alpha)
	}
	if o.Alternative < TwoSided || o.Alternative > Less {
		return o, fmt.Errorf("compare: invalid %v", o.Alternative)
	}
	if o.Test == nil {
		o.Test = MannWhitneyU
	}
	var err error
	if o.Ratio, err = o.Ratio.withDefault(); err != nil {
		return o, fmt.Errorf("compare: %w", err)
	}
	if o.SRMAlpha == 0 {
		o.SRMAlpha = DefaultSRMAlpha
	}
	if o.Power == 0 {
		o.Power = DefaultPower
	}
	if o.DetectRate == 0 {
		o.DetectRate = min(DefaultAADetectFactor*o.Alpha, 0.99)
	}
	if o.MinCoverage == 0 {
		o.MinCoverage = DefaultAAMinCoverage
	}
	if !(o.MinCoverage > 0 && o.MinCoverage <= 1) {
		return o, fmt.Errorf("compare: min coverage %v out of range: want a share in (0, 1]", o.MinCoverage)
	}
	if !(o.SRMAlpha > 0 && o.SRMAlpha < 1) {
		return o, fmt.Errorf("compare: SRM alpha %v out of range: want a level in (0, 1)", o.SRMAlpha)
	}
	return o, nil
}

// AAStatus is the verdict on one window length. The zero value,
// TooFewWindows, gives no verdict: no data is never a pass.
type AAStatus int

const (
	// TooFewWindows: not enough windows to tell a sound split from a bad
	// one (and the false positives seen do not already prove it bad).
	TooFewWindows AAStatus = iota
	// Valid: the false-positive count is consistent with alpha and there
	// were enough windows to have caught a bad split.
	Valid
	// Invalid: significantly more false positives than alpha allows, or a
	// sample-ratio mismatch.
	Invalid
)

// String returns "too-few-windows", "valid" or "invalid".
func (s AAStatus) String() string {
	switch s {
	case TooFewWindows:
		return "too-few-windows"
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	}
	return fmt.Sprintf("AAStatus(%d)", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s AAStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// AAWindow is the A/A replay at one window length.
type AAWindow struct {
	Length time.Duration
	// Windows is the number of clock-aligned windows the period spans;
	// Tested those holding enough paired points (AAOptions.MinCoverage,
	// AAMinPoints) for the comparison to run; the rest are skipped.
	Windows, Tested int
	// FalsePositives is the number of tested windows whose comparison had
	// p <= Alpha (Significant), Rate = FalsePositives/Tested, and [Low, High] its
	// Clopper-Pearson interval at confidence 1 − Alpha.
	FalsePositives  int
	Rate, Low, High float64
	// P is the one-sided exact binomial p-value of FalsePositives against
	// Alpha, P(X ≥ FalsePositives) with X ~ Binomial(Tested, Alpha): small
	// when the split makes the comparison reject more often than it should.
	P float64
	// MinWindows is MinAAWindows(Alpha, DetectRate, Power): the windows
	// needed before a length can be called valid.
	MinWindows int
	Status     AAStatus
	// ByDispersion reports a length judged Valid on its split dispersion
	// rather than on the false-positive count: counts only, with fewer
	// than MinWindows but at least AAMinDispersionWindows windows tested,
	// none a false alarm beyond what the binomial check allows, and
	// DispersionP > Alpha (see AA).
	ByDispersion bool
	// SplitSD is the standard deviation across tested windows of the log
	// ratio of the groups' window totals, log(Σ experiment / Σ control):
	// how much the split wanders at this length. SplitSDExpected (counts
	// only; NaN otherwise) is what binomial sampling alone gives,
	// the root mean of 1/(qN_w) + 1/((1−q)N_w) over the windows.
	SplitSD, SplitSDExpected float64
	// Dispersion (counts only; NaN otherwise) is the mean per-window
	// sample-ratio chi-square, Σχ²_w/W: about 1 for a clean random split.
	// DispersionP is P(χ²_W ≥ Σχ²_w).
	Dispersion, DispersionP float64
	// MDE is the smallest relative drop in the experiment's values that
	// the replayed comparison detects in at least a share Power of the
	// tested windows (a rise for the alternative Greater): the experiment's
	// A/A values are multiplied by 1 − δ and the comparison is rerun, δ
	// bisected on a log scale in [0.001, 0.95] to 1% relative. Detection
	// is the one-sided test in the change's direction at Alpha/2 (Alpha
	// when one-sided), its threshold lowered to the matching quantile of
	// the unchanged windows' p-values when the split alone already reaches
	// it more often (a wandering split): a difference the wander would show
	// anyway is not a detection. So MDE is the comparison's power on this
	// data: the split's wander, the traffic's noise and the daily cycle
	// within a window all count. NaN when fewer than 5 windows were
	// tested or the sample ratio mismatches (the groups differ before any
	// fault); 1 when even a 95% drop is not detected often enough. Where
	// the A/A windows differ consistently in one direction without an SRM
	// check (no Counts), read it with the Invalid verdict: it is not
	// meaningful there.
	MDE float64
	// MDETotals is the normal-approximation bound for a comparison of the
	// window totals, from the A/A spread alone:
	//
	//	MDETotals = 1 − exp(−(z_{1−α/2} + z_{power}) · SplitSD)
	//
	// A test of minute values against minute values (Mann-Whitney,
	// Welch) pays for the variation within the window and detects less:
	// MDE ≥ MDETotals in practice. NaN with fewer than 3 tested windows or
	// non-positive totals.
	MDETotals float64
	// Reason says why the length is Invalid ("534 of 672 windows show a
	// difference ...", or the sample-ratio mismatch); empty otherwise.
	Reason string
	// Warnings say what is weak about this length, phrased as what to do:
	// too few windows (and how much more history is needed), windows left
	// untested.
	Warnings []error
}

// AAResult is the outcome of AA.
type AAResult struct {
	// Lengths holds one AAWindow per candidate length, shortest first.
	Lengths []AAWindow
	// Planned is the length the experiment will use; Recommended is the
	// shortest Valid length, or 0 when none is.
	Planned, Recommended time.Duration
	Alpha                float64
	// Alternative is the alternative of each window's comparison.
	Alternative Alternative
	Test        string // the comparison's Result.Test
	// SRM is the sample-ratio check over the whole period with the
	// dispersion at the planned length; nil unless AAOptions.Counts.
	SRM *SRM
	// Warnings gather what the user should act on: the SRM, and the
	// planned length's Reason and warnings.
	Warnings []error
}

// Length returns the replay at window length d.
func (r AAResult) Length(d time.Duration) (AAWindow, bool) {
	for _, w := range r.Lengths {
		if w.Length == d {
			return w, true
		}
	}
	return AAWindow{}, false
}

// Status returns the verdict at the planned length.
func (r AAResult) Status() AAStatus {
	w, _ := r.Length(r.Planned)
	return w.Status
}

// String formats one line per length for people.
func (r AAResult) String() string {
	var b strings.Builder
	for _, w := range r.Lengths {
		fmt.Fprintf(&b, "%-6s %3d/%-5d false positives (%.3f [%.3f, %.3f]) %s\n",
			ShortDuration(w.Length), w.FalsePositives, w.Tested, w.Rate, w.Low, w.High, w.Status)
	}
	if r.Recommended > 0 {
		fmt.Fprintf(&b, "recommended window: %s\n", ShortDuration(r.Recommended))
	} else {
		b.WriteString("recommended window: none\n")
	}
	return b.String()
}

// ShortDuration formats d as time.Duration.String does, without zero units:
// 30m, 1h30m, 24h, 1m30s, 1.5s. series.ParseDuration reads it back.
func ShortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// ErrTooShort is returned by AA when the series share too few time points to
// tell their sampling interval. It wraps series.ErrTooLittleData.
var ErrTooShort = series.TooLittleData("too little data")

// AA replays an A/A test on pre-experiment data: experiment and control are
// the two groups' metric while nothing is injected. For each candidate
// window length it cuts the period into consecutive clock-aligned windows
// (series.Windows), runs the comparison the experiment will use on the
// time-matched points of each window, and counts how often it reports a
// difference that is not there. Within a window both groups cover the same
// minutes, so the daily cycle cancels.
//
// For each length the null hypothesis is that the comparison's
// false-positive rate is at most Alpha, tested with the one-sided exact
// binomial test P(X ≥ r), X ~ Binomial(tested, Alpha):
//
//	Invalid        P <= Alpha (Significant), or a sample-ratio mismatch (Counts)
//	Valid          otherwise, with Counts, when tested < MinAAWindows but the
//	               split's dispersion shows it sound (ByDispersion)
//	TooFewWindows  otherwise, when tested < MinAAWindows(Alpha, DetectRate, Power)
//	Valid          otherwise
//
// With Counts set, CheckSRM tests the whole period's totals against Ratio
// (a mismatch invalidates every length), and a length with too few windows
// for the count is Valid when its per-window chi-squares are no larger than
// binomial sampling gives (DispersionP > Alpha). Each length reports the
// split's dispersion and the minimum detectable relative effect MDE; the
// Recommended length is the shortest Valid one. docs/aa.md gives the
// reasons for each rule.
//
// Errors: invalid options, series that are not valid or have no
// timestamps, a group whose every value is missing or fewer than two
// shared time points (ErrTooShort), and for
// counts negative or infinite values.
func AA(experiment, control series.Series, opts AAOptions) (AAResult, error) {
	return AAContext(context.Background(), experiment, control, opts)
}

// AAContext is AA stopped early when ctx is done: the replay checks ctx
// before each window and every 256 tests of each length's search
// for the minimum detectable drop (the search is most of the work: a dozen
// bisection steps, each testing the windows again), and then returns an
// error wrapping ctx.Err() (errors.Is(err, context.DeadlineExceeded) or
// context.Canceled) and no result. Its result is otherwise AA's, to the
// bit. A server runs it under each request's deadline: at a million points
// a group AA takes seconds, and with many window lengths minutes.
func AAContext(ctx context.Context, experiment, control series.Series, opts AAOptions) (AAResult, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return AAResult{}, err
	}
	for _, s := range []struct {
		side string
		s    series.Series
	}{{"experiment", experiment}, {"control", control}} {
		if err := s.s.Validate(); err != nil {
			return AAResult{}, fmt.Errorf("compare: %s: %w", s.side, err)
		}
		if len(s.s.T) == 0 && len(s.s.V) > 0 {
			return AAResult{}, fmt.Errorf("compare: %s is a plain sample: an A/A replay needs timestamps to cut windows", s.side)
		}
		if n := s.s.Len(); n > 0 && !slices.ContainsFunc(s.s.V, func(v float64) bool { return !math.IsNaN(v) }) {
			// More history would not help: no window can be tested.
			return AAResult{}, fmt.Errorf("compare: the %s has no values: all %d of its points are missing (NaN); check its query or export: %w", s.side, n, ErrTooShort)
		}
	}
	je, jc := series.Join(experiment, control)
	step, err := je.Step()
	if err != nil {
		return AAResult{}, fmt.Errorf("compare: the groups share %d time points, need at least 2: %w", je.Len(), ErrTooShort)
	}
	res := AAResult{Planned: opts.Planned, Alpha: opts.Alpha, Alternative: opts.Alternative}
	if n := max(experiment.Len(), control.Len()); je.Len() < n*9/10 {
		res.Warnings = append(res.Warnings, fmt.Errorf("the groups share only %d of %d time points: put both on one grid first (series.Resample), or the windows test less data than there is",
			je.Len(), n))
	}
	if opts.Counts {
		srm, err := CheckSRM(experiment, control, opts.Planned, opts.Ratio, opts.SRMAlpha)
		if err != nil {
			return AAResult{}, err
		}
		res.SRM = &srm
		res.Warnings = append(res.Warnings, srm.Warnings...)
	}
	minW, err := MinAAWindows(opts.Alpha, opts.DetectRate, opts.Power)
	if err != nil {
		return AAResult{}, err
	}
	topts := Options{Alternative: opts.Alternative, Confidence: 1 - opts.Alpha, NoShift: true}
	for _, length := range opts.Windows {
		w, name, err := replay(ctx, je, jc, step, length, minW, opts, topts)
		if err != nil {
			return AAResult{}, err
		}
		if name != "" {
			res.Test = name
		}
		if res.SRM != nil && res.SRM.Mismatch {
			if w.Status != Invalid {
				w.Reason = fmt.Sprintf("%s: invalid because of the sample-ratio mismatch (experiment share %.4g%%, planned %.4g%%)",
					ShortDuration(length), 100*res.SRM.Share, 100*res.SRM.ExpectedShare)
				w.Warnings = nil // more history cannot repair a biased split
			}
			w.Status = Invalid
			// The groups differ before any fault: no drop is "detected"
			// against a biased split.
			w.MDE, w.MDETotals = math.NaN(), math.NaN()
		}
		res.Lengths = append(res.Lengths, w)
		if w.Status == Valid && res.Recommended == 0 {
			res.Recommended = length
		}
		if length == opts.Planned {
			if w.Reason != "" {
				res.Warnings = append(res.Warnings, errors.New(w.Reason))
			}
			res.Warnings = append(res.Warnings, w.Warnings...)
		}
	}
	return res, nil
}

// replay runs the A/A comparison at one window length on the joined series.
// It returns stopped's error when ctx is done.
func replay(ctx context.Context, je, jc series.Series, step, length time.Duration, minW int, opts AAOptions, topts Options) (AAWindow, string, error) {
	w := AAWindow{Length: length, MinWindows: minW, SplitSDExpected: math.NaN(), Dispersion: math.NaN(), DispersionP: math.NaN()}
	we, err := je.Windows(length)
	if err != nil {
		return w, "", fmt.Errorf("compare: %w", err)
	}
	wc, _ := jc.Windows(length)
	w.Windows = len(we)
	expected := int(length / step)
	need := max(AAMinPoints, int(math.Ceil(opts.MinCoverage*float64(expected)-1e-9)))
	q := opts.Ratio.ExperimentShare()
	var name string
	var logRatios []float64
	var chi2Sum, invN float64
	var nChi, failed int
	var firstErr error
	xe := make([]float64, 0, expected)
	xc := make([]float64, 0, expected)
	var kept []aaSample // the tested windows, for the injected-drop MDE
	// Mann-Whitney (the default test) depends on the values' order only:
	// its windows are kept sorted, and scaling by 1 ± δ keeps them sorted,
	// so the drop search's tests skip their sorts (sortFloats).
	sortKept := reflect.ValueOf(opts.Test).Pointer() == reflect.ValueOf(MannWhitneyU).Pointer()
	for i := range we {
		if err := stopped(ctx, "A/A replay"); err != nil {
			return w, "", err
		}
		xe, xc = xe[:0], xc[:0]
		var se, sc float64
		for k, v := range we[i].V {
			u := wc[i].V[k]
			if math.IsNaN(v) || math.IsNaN(u) {
				continue
			}
			xe, xc = append(xe, v), append(xc, u)
			se += v
			sc += u
		}
		if len(xe) < need {
			continue
		}
		r, err := opts.Test(xe, xc, topts)
		if err != nil {
			if errors.Is(err, ErrNonFinite) {
				return w, "", err
			}
			failed++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		name = r.Test
		w.Tested++
		k := aaSample{e: slices.Clone(xe), c: slices.Clone(xc)}
		if sortKept {
			slices.Sort(k.e)
			slices.Sort(k.c)
		}
		kept = append(kept, k)
		if Significant(r.P, opts.Alpha) {
			w.FalsePositives++
		}
		if se > 0 && sc > 0 {
			logRatios = append(logRatios, math.Log(se/sc))
		}
		if opts.Counts && se+sc > 0 {
			chi2, _, err := SampleRatioTest(se, sc, opts.Ratio)
			if err != nil {
				return w, "", err
			}
			chi2Sum += chi2
			invN += 1 / (q * (se + sc) * (1 - q))
			nChi++
		}
	}
	w.Rate, w.Low, w.High, w.P = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if w.Tested > 0 {
		w.Rate = float64(w.FalsePositives) / float64(w.Tested)
		w.Low, w.High = ClopperPearson(w.FalsePositives, w.Tested, 1-opts.Alpha)
		w.P = BinomialUpperTail(w.FalsePositives, w.Tested, opts.Alpha)
	}
	w.SplitSD, w.MDE, w.MDETotals = math.NaN(), math.NaN(), math.NaN()
	if len(logRatios) >= 3 {
		w.SplitSD = sampleSD(logRatios)
		m, err := MinDetectableEffect(w.SplitSD, opts.Alpha, opts.Power, opts.Alternative)
		if err != nil {
			return w, "", err
		}
		w.MDETotals = 1 - math.Exp(-m)
	}
	if len(kept) >= mdeMinWindows {
		if w.MDE, err = injectedMDE(ctx, kept, opts, topts); err != nil {
			return w, "", err
		}
	}
	if nChi > 0 {
		w.Dispersion = chi2Sum / float64(nChi)
		w.DispersionP = distuv.ChiSquared{K: float64(nChi)}.Survival(chi2Sum)
		w.SplitSDExpected = math.Sqrt(invN / float64(nChi))
	}

	l := ShortDuration(length)
	switch {
	case w.Tested > 0 && Significant(w.P, opts.Alpha):
		w.Status = Invalid
		w.Reason = fmt.Sprintf("%s: %d of %d windows show a difference where there is none (%.1f%%, expected %.3g%%; p = %.2g): the split is too noisy at this window length",
			l, w.FalsePositives, w.Tested, 100*w.Rate, 100*opts.Alpha, w.P)
	case w.Tested < minW && opts.Counts && w.Tested >= AAMinDispersionWindows && nChi == w.Tested && !Significant(w.DispersionP, opts.Alpha):
		// Too few windows for the false-positive count to show a sound
		// split, but the counts themselves do: every window's totals are
		// as close to the planned ratio as binomial sampling allows.
		w.Status = Valid
		w.ByDispersion = true
		w.Warnings = append(w.Warnings, fmt.Errorf("%s: judged valid on the split's dispersion (mean per-window chi-square %.3g over %d windows, p = %.2g): %d windows are too few for the false-positive count alone (need %d)",
			l, w.Dispersion, nChi, w.DispersionP, w.Tested, minW))
	case w.Tested < minW:
		w.Status = TooFewWindows
		why := fmt.Sprintf("with %d windows tested", w.Tested)
		if expected < need {
			why = fmt.Sprintf("a %s window holds %d points of %v, and at least %d are needed to test it", l, expected, step, need)
		}
		w.Warnings = append(w.Warnings, fmt.Errorf("%s: too few windows to judge (%s): need at least %d windows of %s, so that a split making %.0f%% of them false alarms is caught with %.0f%% power; collect %s more history",
			l, why, minW, l, 100*opts.DetectRate, 100*opts.Power, humanDuration(time.Duration(minW-w.Tested)*length)))
	default:
		w.Status = Valid
	}
	if skipped := w.Windows - w.Tested; skipped > 0 && w.Tested > 0 {
		msg := fmt.Sprintf("%s: %d of %d windows were not tested: they hold fewer than %d of %d paired points (the period's ends, or gaps)", l, skipped, w.Windows, need, expected)
		if failed > 0 {
			msg = fmt.Sprintf("%s: %d of %d windows were not tested (%d: the comparison failed, first: %v)", l, skipped, w.Windows, failed, firstErr)
		}
		if skipped > 2 || failed > 0 { // the two partial windows at the ends are routine
			w.Warnings = append(w.Warnings, errors.New(msg))
		}
	}
	return w, name, nil
}

// aaSample is one tested window's paired values.
type aaSample struct{ e, c []float64 }

// The injected-drop search: drops from 0.1% to 95%, bisected on a log scale
// until the bracket is within 1%, over at least 5 tested windows.
const (
	mdeMin, mdeMax = 0.001, 0.95
	mdeRelTol      = 1.01
	mdeMinWindows  = 5
)

// injectedMDE returns the smallest relative change δ in [mdeMin, mdeMax]
// that the comparison detects in at least a share opts.Power of the
// windows when the experiment's values are multiplied by 1 − δ (a drop; 1 + δ
// for the alternative Greater); mdeMin when even that is detected, 1 when
// mdeMax is not.
//
// Detection is the one-sided test in the direction of the change,
// significant at level a = Alpha/2 (two-sided) or Alpha (one-sided), with
// its threshold calibrated on the A/A windows themselves: when a share a
// of the unchanged windows are already significant at a (a split that
// wanders), the threshold is lowered to just below the a-quantile of their
// p-values, so that a "detection" the wander would have produced anyway
// does not count.
//
// It checks ctx every mdeCheckEvery tests and returns stopped's error when
// ctx is done.
func injectedMDE(ctx context.Context, kept []aaSample, opts AAOptions, topts Options) (float64, error) {
	one := topts
	one.Alternative = Less
	level, sign := opts.Alpha/2, -1.0
	switch opts.Alternative {
	case Less:
		level = opts.Alpha
	case Greater:
		one.Alternative, level, sign = Greater, opts.Alpha, 1
	}
	ps := make([]float64, 0, len(kept))
	for i, k := range kept {
		if i%mdeCheckEvery == 0 {
			if err := stopped(ctx, "A/A replay"); err != nil {
				return math.NaN(), err
			}
		}
		if r, err := opts.Test(k.e, k.c, one); err == nil {
			ps = append(ps, r.P)
		}
	}
	if len(ps) == 0 {
		return math.NaN(), nil
	}
	slices.Sort(ps)
	threshold := level
	if q := ps[max(0, int(math.Ceil(level*float64(len(ps))))-1)]; Significant(q, level) {
		// The largest float below q: Significant(p, threshold) is p < q.
		threshold = math.Nextafter(q, math.Inf(-1))
	}
	need := int(math.Ceil(opts.Power*float64(len(kept)) - 1e-9))
	buf := make([]float64, 0, len(kept[0].e))
	var err error // ctx's, once done: every later detects is false
	detects := func(delta float64) bool {
		hits, left := 0, len(kept)
		for i, k := range kept {
			if hits >= need || hits+left < need {
				break // decided either way
			}
			if i%mdeCheckEvery == 0 {
				if err = stopped(ctx, "A/A replay"); err != nil {
					return false
				}
			}
			left--
			buf = buf[:0]
			for _, v := range k.e {
				buf = append(buf, v*(1+sign*delta))
			}
			if r, err := opts.Test(buf, k.c, one); err == nil && Significant(r.P, threshold) {
				hits++
			}
		}
		return hits >= need
	}
	if !detects(mdeMax) {
		return 1, err
	}
	if detects(mdeMin) {
		return mdeMin, nil
	}
	lo, hi := mdeMin, mdeMax
	for hi/lo > mdeRelTol && err == nil {
		mid := math.Sqrt(lo * hi)
		if detects(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, err
}

// mdeCheckEvery is how many windows injectedMDE tests between looks at its
// context: a few hundred small tests, well under a millisecond.
const mdeCheckEvery = 256

// stopped returns nil while ctx is live, and once it is done an error
// saying what stopped, wrapping ctx.Err().
func stopped(ctx context.Context, what string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("compare: %s stopped: %w", what, err)
	}
	return nil
}

func sampleSD(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

// humanDuration formats a span of history in days when it is at least one,
// else as a duration: "13 days", "2h".
func humanDuration(d time.Duration) string {
	if d >= 24*time.Hour {
		days := math.Ceil(d.Hours() / 24)
		if days == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%.0f days", days)
	}
	return ShortDuration(d)
}
