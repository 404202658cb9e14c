package steadystate

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/chaosstat/chaosstat/internal/format"
)

// WriteText writes the verdict for people: the outcome and the rule that
// decided it, the score, and the table that explains it, one row per metric
// (kind, test, points per group, effect with its interval in the metric's
// units and relative to the control, p-value, adjusted p-value,
// classification), followed by each metric's reason and warnings.
func (v *Verdict) WriteText(w io.Writer) error {
	var b strings.Builder
	h := v.Hypothesis
	name := h.Name
	if name == "" {
		name = "(unnamed)"
	}
	t := h.thresholds()
	fmt.Fprintf(&b, "hypothesis  %s\n", name)
	fmt.Fprintf(&b, "verdict     %s: %s\n", v.Outcome, v.Reason)
	fmt.Fprintf(&b, "score       %s (held at >= %s, disproved below %s)\n", jfmtScore(v.Score), jfmtG(t.Pass), jfmtG(t.Marginal))
	if len(v.Groups) > 1 {
		for i, g := range v.Groups {
			label := ""
			if i == 0 {
				label = "groups"
			}
			fmt.Fprintf(&b, "%-11s %s %s (weight %s, %s of %s passing)\n", label, g.Name, jfmtScore(g.Score), jfmtG(g.Weight), jfmtG(g.Passing), jfmtG(g.Judged))
		}
	}
	tested := 0
	for _, r := range v.Metrics {
		if !math.IsNaN(r.P) {
			tested++
		}
	}
	fmt.Fprintf(&b, "tests       two-sided at alpha %s, p-values adjusted by %s across %s\n\n", jfmtG(v.Alpha), h.Correction, jPlural(tested, "tested metric"))

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tkind\ttest\tn ctl+exp\teffect (experiment - control)\trelative\tp\tadj. p\tresult")
	for _, r := range v.Metrics {
		m := r.Metric
		kind := string(m.Kind)
		if kind == "" {
			kind = "-"
		}
		test := r.Test
		if test == "" {
			test = "-"
		}
		eff, rel, p, adj := "-", "-", "-", "-"
		if !math.IsNaN(r.Effect.Estimate) {
			eff = jfmtSig(r.Effect.Estimate, 3)
			if !math.IsNaN(r.Effect.Low) {
				eff += " [" + jfmtSig(r.Effect.Low, 3) + ", " + jfmtSig(r.Effect.High, 3) + "]"
			}
			if m.Unit != "" {
				eff += " " + m.Unit
			}
			rel = jfmtPercent(r.Effect.Relative, true)
			if !math.IsNaN(r.Effect.RelativeLow) {
				rel += " [" + jfmtPercent(r.Effect.RelativeLow, true) + ", " + jfmtPercent(r.Effect.RelativeHigh, true) + "]"
			}
		}
		if !math.IsNaN(r.P) {
			p, adj = format.PValue(r.P), format.PValue(r.AdjustedP)
		}
		class := r.Classification.String()
		if m.Critical {
			class += " (critical)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d+%d\t%s\t%s\t%s\t%s\t%s\n", m.Name, kind, test, r.NControl, r.NExperiment, eff, rel, p, adj, class)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	for _, r := range v.Metrics {
		fmt.Fprintf(&b, "%s: %s: %s\n", r.Metric.Name, r.Classification, r.Reason)
		if r.Effect.Measure != "" {
			fmt.Fprintf(&b, "  effect: %s", r.Effect.Measure)
			if !math.IsNaN(r.Effect.ControlLevel) {
				fmt.Fprintf(&b, ", relative to the control's level %s", strings.TrimPrefix(jfmtNum(r.Effect.ControlLevel), "+"))
			}
			b.WriteString("\n")
		}
		if !math.IsNaN(r.Autocorrelation) {
			fmt.Fprintf(&b, "  lag-1 autocorrelation of the paired differences %.3f: the %d pairs are worth about %.3g independent points\n", r.Autocorrelation, r.NControl, r.EffectiveN)
		}
		if r.HistoryMinutes > 0 {
			fmt.Fprintf(&b, "  variance from %s minutes of history before the experiment\n", jfmtG(format.RoundSig(r.HistoryMinutes, 4)))
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  warning: %v\n", w)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jfmtScore formats a score with three significant digits, "none" for NaN.
func jfmtScore(s float64) string {
	if math.IsNaN(s) {
		return "none"
	}
	return strconv.FormatFloat(s, 'g', 3, 64)
}

// jfmtG formats a configuration number as short as it goes.
func jfmtG(x float64) string {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return strconv.FormatFloat(y, 'g', -1, 64)
}

// jfmtPercent formats a relative change as a percentage: one decimal, with a
// sign when signed; "+Inf%" past a zero control.
func jfmtPercent(x float64, signed bool) string {
	pct := 100 * x
	switch {
	case math.IsNaN(pct):
		return "n/a"
	case math.IsInf(pct, 1):
		return "+Inf%"
	case math.IsInf(pct, -1):
		return "-Inf%"
	}
	format := "%.1f%%"
	if math.Abs(pct) >= 1000 {
		format = "%.0f%%"
	} else if pct != 0 && math.Abs(pct) < 0.1 {
		format = "%.2g%%"
	}
	if signed {
		format = "%+" + format[1:]
	}
	return fmt.Sprintf(format, pct)
}

// jfmtNum formats a number in the data's units: five significant digits,
// with a sign, without an exponent for ordinary magnitudes.
func jfmtNum(x float64) string { return jfmtSig(x, 5) }

// jfmtSig formats a number with sig significant digits (format.Sig), with
// a sign.
func jfmtSig(x float64, sig int) string {
	if x > 0 {
		return "+" + format.Sig(x, sig)
	}
	return format.Sig(x, sig)
}

// jfmtEffectShort formats an effect in one phrase for a reason:
// "+12.1% [+8.1%, +16.0%] (+0.012 [+0.0081, +0.016])".
func jfmtEffectShort(e Effect) string {
	s := jfmtPercent(e.Relative, true)
	if !math.IsNaN(e.RelativeLow) {
		s += " [" + jfmtPercent(e.RelativeLow, true) + ", " + jfmtPercent(e.RelativeHigh, true) + "]"
	}
	s += " (" + jfmtNum(e.Estimate)
	if !math.IsNaN(e.Low) {
		s += " [" + jfmtNum(e.Low) + ", " + jfmtNum(e.High) + "]"
	}
	return s + ")"
}

// String formats the verdict in one line: "disproved (score 0.5): critical
// metric errors is high: ...". WriteText gives the table behind it.
func (v Verdict) String() string {
	return fmt.Sprintf("%s (score %s): %s", v.Outcome, jfmtScore(v.Score), v.Reason)
}

// String formats a metric's judgement in one line:
// "latency: high +12.1% [+8.1%, +16.0%] (+12.1 [+8.1, +16]) p=0.00012 adj=0.00036 n=240+240 timeseries".
func (r MetricResult) String() string {
	s := r.Metric.Name + ": " + r.Classification.String()
	if math.IsNaN(r.P) {
		return s + ": " + r.Reason
	}
	return fmt.Sprintf("%s %s p=%s adj=%s n=%d+%d %s", s, jfmtEffectShort(r.Effect), format.PValue(r.P), format.PValue(r.AdjustedP), r.NControl, r.NExperiment, r.Test)
}
