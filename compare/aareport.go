package compare

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/internal/format"
)

// AAReport is an A/A replay ready to print: AA's result with the groups it
// replayed and the comparison it ran. WriteText and WriteJSON write what
// `chaosstat aa` prints; Recommendation says which window to use.
type AAReport struct {
	// Result is the replay.
	Result AAResult
	// Test is the comparison replayed in each window.
	Test Test
	// Experiment and Control are the groups replayed.
	Experiment, Control Group
}

// RunAA replays the A/A test of the two groups (AA) with test as each
// window's comparison and returns the report. The zero Test is DefaultTest;
// a Test with only a Name is looked up in Tests. The test is given here,
// with the name and title the report prints, so opts.Test must be nil.
//
// The errors are AA's: ErrTooShort when the groups share fewer than two
// time points, ErrNoCounts (with opts.Counts) when they carry no traffic,
// invalid options or series.
func RunAA(experiment, control Group, test Test, opts AAOptions) (AAReport, error) {
	return RunAAContext(context.Background(), experiment, control, test, opts)
}

// RunAAContext is RunAA stopped early when ctx is done (see AAContext): the
// error then wraps ctx.Err().
func RunAAContext(ctx context.Context, experiment, control Group, test Test, opts AAOptions) (AAReport, error) {
	if opts.Test != nil {
		return AAReport{}, errors.New("compare: RunAA takes the comparison as its test argument: leave AAOptions.Test nil")
	}
	test, err := test.orDefault()
	if err != nil {
		return AAReport{}, fmt.Errorf("compare: %w", err)
	}
	opts.Test = test.Func
	r, err := AAContext(ctx, experiment.Series, control.Series, opts)
	if err != nil {
		return AAReport{}, err
	}
	return AAReport{Result: r, Test: test, Experiment: experiment, Control: control}, nil
}

// Warnings are what the report lists for the user to act on: the result's
// warnings (the SRM, the planned length's reason and warnings) and then
// each other length's own.
func (p AAReport) Warnings() []error {
	out := append([]error(nil), p.Result.Warnings...)
	for _, w := range p.Result.Lengths {
		if w.Length != p.Result.Planned {
			out = append(out, w.Warnings...)
		}
	}
	return out
}

// Recommendation says in words which window length to use and what it can
// detect: the recommended (shortest valid) length with its minimum
// detectable drop, and what the planned length gives up; or why no length
// is valid.
func (p AAReport) Recommendation() string {
	r := p.Result
	planned, _ := r.Length(r.Planned)
	if r.Recommended == 0 {
		s := "recommended window: none of the lengths tried is valid"
		if r.SRM != nil && r.SRM.Mismatch {
			s += ": fix the sample-ratio mismatch first"
		} else if planned.MDE == planned.MDE {
			s += fmt.Sprintf("; at the planned %s nothing under %s is detectable", ShortDuration(r.Planned), FormatMDE(planned.MDE))
		}
		return s
	}
	rec, _ := r.Length(r.Recommended)
	s := fmt.Sprintf("recommended window: %s, the shortest valid length", ShortDuration(r.Recommended))
	switch {
	case rec.MDE != rec.MDE:
	case rec.MDE >= 1:
		s += fmt.Sprintf("; at %s not even a 95%% drop is detectable", ShortDuration(rec.Length))
	default:
		s += fmt.Sprintf("; at %s a drop of %s is detectable (80%% power)", ShortDuration(rec.Length), format.Share(rec.MDE))
	}
	if r.Recommended != r.Planned && planned.MDE == planned.MDE {
		s += fmt.Sprintf("; at the planned %s nothing under %s is", ShortDuration(r.Planned), FormatMDE(planned.MDE))
		if planned.Status != Valid {
			s += fmt.Sprintf(", and the comparison is %s there", planned.Status)
		}
	}
	return s
}

// FormatMDE formats a minimum detectable drop (AAWindow.MDE) as a
// percentage with three significant digits: ">95%" when not even the
// largest drop searched is detectable (MDE 1), "-" when not computed.
func FormatMDE(mde float64) string {
	if mde >= 1 {
		return ">95%"
	}
	return format.Share(mde)
}

// WriteText writes the report for people, as `chaosstat aa` does: a table
// of the window lengths, the sample-ratio check, the verdict at the
// planned length, the recommendation and the warnings.
func (p AAReport) WriteText(w io.Writer) error {
	r := p.Result
	var b strings.Builder
	fmt.Fprintf(&b, "A/A replay: %s (experiment, %d points) against %s (control, %d points)\n",
		p.Experiment.Name, p.Experiment.Series.Len(), p.Control.Name, p.Control.Series.Len())
	minWindows := 0
	if len(r.Lengths) > 0 {
		minWindows = r.Lengths[0].MinWindows
	}
	fmt.Fprintf(&b, "comparison: %s, %s, alpha %s in each window; a length needs %d windows to be judged\n\n",
		p.Test.Title, r.Alternative, strconv.FormatFloat(r.Alpha, 'g', -1, 64), minWindows)
	fmt.Fprintf(&b, "%-7s %7s %7s %8s %17s  %12s  %13s  %12s  %9s  %s\n",
		"window", "tested", "false+", "rate", "interval", "p (binomial)", "split sd (ln)", "random split", "min. drop", "verdict")
	for _, l := range r.Lengths {
		iv := "-"
		if l.Tested > 0 {
			iv = "[" + format.Share(l.Low) + ", " + format.Share(l.High) + "]"
		}
		name := ShortDuration(l.Length)
		if l.Length == r.Planned {
			name += "*"
		}
		fmt.Fprintf(&b, "%-7s %7d %7d %8s %17s  %12s  %13s  %12s  %9s  %s\n",
			name, l.Tested, l.FalsePositives, format.Share(l.Rate), iv, orDash(l.P, format.PValue),
			orDash(l.SplitSD, fixed4), orDash(l.SplitSDExpected, fixed4), FormatMDE(l.MDE), l.Status)
	}
	b.WriteString(aaLegend)
	if s := r.SRM; s != nil {
		verdict := "no mismatch"
		if s.Mismatch {
			verdict = "MISMATCH"
		}
		fmt.Fprintf(&b, "sample ratio: the experiment got %s of the two groups' counts, planned %s (%s):\n",
			format.Share(s.Share), format.Share(s.ExpectedShare), s.Ratio)
		fmt.Fprintf(&b, "  chi-square %s, p = %s: %s at alpha %s; dispersion at %s %s over %d windows (about 1 for a random split)\n\n",
			format.Num(s.ChiSquare), format.PValue(s.P), verdict, strconv.FormatFloat(s.Alpha, 'g', -1, 64),
			ShortDuration(s.Window), orDash(s.Dispersion, sig3), s.Windows)
	}
	planned, _ := r.Length(r.Planned)
	fmt.Fprintf(&b, "planned window %s: %s\n", ShortDuration(r.Planned), planned.Status)
	b.WriteString(p.Recommendation() + "\n")
	format.Warnings(&b, "warnings:", 9, format.Errors(p.Warnings()))
	_, err := io.WriteString(w, b.String())
	return err
}

// aaLegend explains the columns of the A/A table under it.
const aaLegend = `(* the planned window; tested: windows compared; false+: those with p <= alpha, a difference
 where there is none; rate: their share, interval: its Clopper-Pearson interval at 1 - alpha;
 p (binomial): one-sided exact binomial p-value of false+ against alpha; split sd (ln): standard
 deviation across windows of ln(experiment total / control total), about the relative wander of the
 split (0.13: about 13%); random split: the same for a random split of these counts (--counts);
 min. drop: the minimum detectable effect, the smallest relative drop the comparison finds in 80%
 of the windows when injected into the A/A data)

`

// orDash formats x with f, or as "-" when it is NaN (not computed).
func orDash(x float64, f func(float64) string) string {
	if x != x {
		return "-"
	}
	return f(x)
}

func fixed4(x float64) string { return fmt.Sprintf("%.4f", x) }
func sig3(x float64) string   { return fmt.Sprintf("%.3g", x) }

// aaJSON is the JSON of an AAReport, `chaosstat aa --format json`. Its keys
// are a contract documented in docs/commands/aa.md: add keys, never
// rename or remove them.
type aaJSON struct {
	Valid             bool            `json:"valid"`
	Status            string          `json:"status"`
	PlannedWindow     format.Duration `json:"planned_window"`
	RecommendedWindow format.Duration `json:"recommended_window"`
	Alpha             format.Float    `json:"alpha"`
	Test              string          `json:"test"`
	MinWindows        int             `json:"min_windows"`
	Windows           []aaWindowJSON  `json:"windows"`
	SRM               *SRM            `json:"srm"`
	Warnings          []string        `json:"warnings"`
}

type aaWindowJSON struct {
	Window            format.Duration `json:"window"`
	WindowsInPeriod   int             `json:"windows"`
	WindowsTested     int             `json:"windows_tested"`
	FalsePositives    int             `json:"false_positives"`
	FalsePositiveRate format.Float    `json:"false_positive_rate"`
	FPRLow            format.Float    `json:"fpr_low"`
	FPRHigh           format.Float    `json:"fpr_high"`
	PValue            format.Float    `json:"p_value"`
	Valid             bool            `json:"valid"`
	Status            string          `json:"status"`
	SplitSD           format.Float    `json:"split_sd"`
	SplitSDBinomial   format.Float    `json:"split_sd_binomial"`
	Dispersion        format.Float    `json:"dispersion"`
	MDERelative       format.Float    `json:"mde_relative"`
	MDETotals         format.Float    `json:"mde_totals"`
}

// MarshalJSON writes the report as `chaosstat aa --format json` does.
func (p AAReport) MarshalJSON() ([]byte, error) {
	r := p.Result
	out := aaJSON{
		Valid:             r.Status() == Valid,
		Status:            r.Status().String(),
		PlannedWindow:     format.Duration(r.Planned),
		RecommendedWindow: format.Duration(r.Recommended),
		Alpha:             format.Float(r.Alpha),
		Test:              r.Test,
		Windows:           []aaWindowJSON{},
		SRM:               r.SRM,
		Warnings:          format.Errors(p.Warnings()),
	}
	if out.Test == "" { // no window was tested
		out.Test = p.Test.Name
	}
	for _, l := range r.Lengths {
		out.MinWindows = l.MinWindows
		out.Windows = append(out.Windows, aaWindowJSON{
			Window: format.Duration(l.Length), WindowsInPeriod: l.Windows, WindowsTested: l.Tested,
			FalsePositives: l.FalsePositives, FalsePositiveRate: format.Float(l.Rate),
			FPRLow: format.Float(l.Low), FPRHigh: format.Float(l.High), PValue: format.Float(l.P),
			Valid: l.Status == Valid, Status: l.Status.String(),
			SplitSD: format.Float(l.SplitSD), SplitSDBinomial: format.Float(l.SplitSDExpected),
			Dispersion: format.Float(l.Dispersion), MDERelative: format.Float(l.MDE), MDETotals: format.Float(l.MDETotals),
		})
	}
	return format.Marshal(out)
}

// WriteJSON writes the report's JSON document to w.
func (p AAReport) WriteJSON(w io.Writer) error { return format.WriteJSON(w, p) }
