package compare

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/internal/format"
	"github.com/chaosstat/chaosstat/series"
)

// Group is one side of a comparison as a report names it.
type Group struct {
	// Name is what the report calls the group: its file, "stdin", a query.
	Name string
	// Series holds the group's values. The two-sample tests compare its
	// values only; NaN values are missing, and the report counts them.
	Series series.Series
}

// Report is a two-sample comparison ready to print: the test's Result with
// the groups it compared and the decision at alpha. WriteText and WriteJSON
// write what `chaosstat compare` prints.
type Report struct {
	// Test is the test that ran.
	Test Test
	// Result is the test's outcome.
	Result Result
	// Alpha is the significance level, 1 − Options.Confidence rounded to
	// 12 significant digits, so that 1 − 0.95 is 0.05 and not
	// 0.050000000000000044.
	Alpha float64
	// Significant is Result.Significant(): P <= Alpha (compare.Significant). Statistically significant is
	// not the same as large: read Result.Shift for the size.
	Significant bool
	// Experiment and Control are the groups compared.
	Experiment, Control Group
	// Warnings are the result's warnings and those of the request (an
	// option the test ignores). A caller that read the groups may put its
	// own warnings about the data ahead of them; the report prints them
	// all.
	Warnings []error
}

// Run runs test on the experiment's and the control's values with opts and
// returns the report. The zero Test is DefaultTest; a Test with only a Name
// is looked up in Tests.
//
// The errors are the test's: ErrSampleSize when a group has too few values,
// ErrZeroVariance (Welch) when both are constant, ErrNonFinite for an
// infinite value, and invalid options.
func Run(experiment, control Group, test Test, opts Options) (Report, error) {
	test, err := test.orDefault()
	if err != nil {
		return Report{}, fmt.Errorf("compare: %w", err)
	}
	r, err := test.Func(experiment.Series.V, control.Series.V, opts)
	if err != nil {
		return Report{}, err
	}
	if math.IsNaN(r.P) {
		// Never a silent "no significant difference": no p-value is no
		// answer (issue 13: Welch on values near the float64 maximum).
		return Report{}, fmt.Errorf("compare: %s gave no p-value (NaN) on these samples: check them for values that overflow", test.Name)
	}
	rep := Report{Test: test, Result: r, Experiment: experiment, Control: control}
	rep.Warnings = append(rep.Warnings, r.Warnings...)
	if test.Name == "welch" && opts.Method == Exact {
		rep.Warnings = append(rep.Warnings, errors.New("Welch's t has no exact method: --method exact was ignored; use --test mannwhitney for an exact p-value"))
	}
	// The one rule (Significant), at the alpha the report shows
	// (AlphaFromConfidence: 1 - 0.95 is exactly 0.05).
	rep.Alpha, rep.Significant = r.Alpha(), r.Significant()
	return rep, nil
}

// reportJSON is the JSON of a Report, `chaosstat compare --format json`.
// Its keys are a contract with notebooks and other tools, documented in
// docs/commands/compare.md: add keys, never rename or remove them.
type reportJSON struct {
	Test        string       `json:"test"`
	Method      string       `json:"method"`
	Alternative string       `json:"alternative"`
	Statistic   format.Float `json:"statistic"`
	DF          format.Float `json:"df"` // welch only; null otherwise
	PValue      format.Float `json:"p_value"`
	Alpha       format.Float `json:"alpha"`
	Significant bool         `json:"significant"`
	NExperiment int          `json:"n_experiment"`
	NControl    int          `json:"n_control"`
	Shift       shiftJSON    `json:"shift"`
	Warnings    []string     `json:"warnings"` // [] when there are none, never null
}

type shiftJSON struct {
	Estimate   format.Float `json:"estimate"`
	Low        format.Float `json:"low"`  // null for -Inf (alternative less)
	High       format.Float `json:"high"` // null for +Inf (alternative greater)
	Confidence format.Float `json:"confidence"`
}

// MarshalJSON writes the report as `chaosstat compare --format json` does.
func (p Report) MarshalJSON() ([]byte, error) {
	r := p.Result
	df := r.DF
	if p.Test.Name != "welch" && p.Test.Name != "brunnermunzel" {
		df = math.NaN()
	}
	return format.Marshal(reportJSON{
		Test:        r.Test,
		Method:      r.Method.String(),
		Alternative: r.Alternative.String(),
		Statistic:   format.Float(r.Statistic),
		DF:          format.Float(df),
		PValue:      format.Float(r.P),
		Alpha:       format.Float(p.Alpha),
		Significant: p.Significant,
		NExperiment: r.NExperiment,
		NControl:    r.NControl,
		Shift: shiftJSON{
			Estimate:   format.Float(r.Shift.Estimate),
			Low:        format.Float(r.Shift.Low),
			High:       format.Float(r.Shift.High),
			Confidence: format.Float(r.Shift.Confidence),
		},
		Warnings: format.Errors(p.Warnings),
	})
}

// WriteJSON writes the report's JSON document to w.
func (p Report) WriteJSON(w io.Writer) error { return format.WriteJSON(w, p) }

// WriteText writes the report for people, as `chaosstat compare` does: the
// groups, the test, the statistic, the p-value, the shift with its
// interval, the verdict in words and the warnings.
func (p Report) WriteText(w io.Writer) error {
	r := p.Result
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-11s %s\n", label, fmt.Sprintf(format, args...))
	}
	width := max(len(p.Experiment.Name), len(p.Control.Name))
	for _, sd := range []struct {
		label string
		g     Group
		n     int
	}{{"experiment", p.Experiment, r.NExperiment}, {"control", p.Control, r.NControl}} {
		n := fmt.Sprintf("n = %d", sd.n)
		if missing := sd.g.Series.Len() - sd.n; missing > 0 {
			n += fmt.Sprintf(" (%d missing)", missing)
		}
		if id := sd.g.Series.Identity(); id != "" && id != sd.g.Name {
			n += "  " + id
		}
		line(sd.label, "%-*s  %s", width, sd.g.Name, n)
	}
	line("test", "%s, %s, %s p-value", p.Test.Title, r.Alternative, r.Method)
	stat := fmt.Sprintf("%s = %s", p.Test.Symbol, format.Num(r.Statistic))
	if (p.Test.Name == "welch" || p.Test.Name == "brunnermunzel") && !math.IsNaN(r.DF) {
		stat += fmt.Sprintf(", df = %.4g", r.DF)
	}
	line("statistic", "%s", stat)
	line("p-value", "%s", format.PValue(r.P))
	if math.IsNaN(r.Shift.Estimate) {
		line("shift", "not computed")
	} else {
		how := p.Test.Shift
		if p.Test.Name != "welch" {
			how += ", " + r.Shift.Method.String() + " interval"
		}
		what := "experiment - control in the data's units, "
		if p.Test.Name == "brunnermunzel" {
			what = "" // a probability, not a difference
		}
		line("shift", "%s %s at %s confidence (%s%s)",
			format.Num(r.Shift.Estimate), format.Interval(r.Shift.Low, r.Shift.High), format.Percent(r.Shift.Confidence), what, how)
	}
	line("verdict", "%s", p.Verdict())
	format.Warnings(&b, "warnings", 11, format.Errors(p.Warnings))
	_, err := io.WriteString(w, b.String())
	return err
}

// Verdict says in words what the comparison found: "experiment is lower
// than control: p = 1.2e-05 < alpha 0.05", or "no significant difference
// at alpha 0.05 (p = 0.42)".
func (p Report) Verdict() string {
	r := p.Result
	alpha := strconv.FormatFloat(p.Alpha, 'g', -1, 64)
	if p.Significant {
		rel := "<"
		if r.P == p.Alpha {
			rel = "<="
		}
		return fmt.Sprintf("%s: p = %s %s alpha %s", p.direction(), format.PValue(r.P), rel, alpha)
	}
	switch r.Alternative {
	case Greater:
		return fmt.Sprintf("experiment is not significantly higher than control at alpha %s (p = %s)", alpha, format.PValue(r.P))
	case Less:
		return fmt.Sprintf("experiment is not significantly lower than control at alpha %s (p = %s)", alpha, format.PValue(r.P))
	}
	return fmt.Sprintf("no significant difference at alpha %s (p = %s)", alpha, format.PValue(r.P))
}

// direction says which way a significant difference goes: the one-sided
// alternative's, else the sign of the statistic's departure from its null
// centre (U − nₑn꜀/2 for Mann-Whitney, t for Welch, W for Brunner-Munzel).
func (p Report) direction() string {
	const higher, lower = "experiment is higher than control", "experiment is lower than control"
	r := p.Result
	switch r.Alternative {
	case Greater:
		return higher
	case Less:
		return lower
	}
	var sign float64
	switch p.Test.Name {
	case "mannwhitney":
		sign = r.Statistic - float64(r.NExperiment)*float64(r.NControl)/2
	case "welch", "brunnermunzel":
		sign = r.Statistic
	}
	switch {
	case sign > 0:
		return higher
	case sign < 0:
		return lower
	}
	// Kolmogorov-Smirnov: a change of shape or spread is a difference too.
	return "experiment's distribution differs from control's"
}
