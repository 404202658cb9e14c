package compare

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
)

// HealthReport is the sample-ratio check of an experiment period ready to
// print: ExperimentHealth's result with the groups it checked. WriteText
// and WriteJSON write what `chaosstat aa --health` prints.
type HealthReport struct {
	// SRM is the check of the run's counts, overall and per window.
	SRM SRM
	// Experiment and Control are the groups checked.
	Experiment, Control Group
}

// RunHealth checks the split of the two groups' counts over the experiment
// period (ExperimentHealth): overall and per window of the given length,
// against ratio at alpha (zero means DefaultRatio and DefaultSRMAlpha).
//
// The errors are CheckSRM's: ErrNoCounts when there is no traffic, a
// negative or infinite count, an invalid window, ratio or alpha.
func RunHealth(experiment, control Group, window time.Duration, ratio Ratio, alpha float64) (HealthReport, error) {
	h, err := ExperimentHealth(experiment.Series, control.Series, window, ratio, alpha)
	if err != nil {
		return HealthReport{}, err
	}
	return HealthReport{SRM: h, Experiment: experiment, Control: control}, nil
}

// Healthy reports that the split matches the plan: no sample-ratio
// mismatch, so the run may be judged.
func (p HealthReport) Healthy() bool { return !p.SRM.Mismatch }

// WriteText writes the check for people, as `chaosstat aa --health` does:
// the experiment's share against the plan, the dispersion of the windows,
// the flagged windows, the verdict and the warnings.
func (p HealthReport) WriteText(w io.Writer) error {
	h := p.SRM
	var b strings.Builder
	verdict := "healthy: the split matches the plan"
	if h.Mismatch {
		verdict = "UNHEALTHY: sample-ratio mismatch; do not judge this run"
	}
	fmt.Fprintf(&b, "experiment health: %s (experiment) against %s (control)\n", p.Experiment.Name, p.Control.Name)
	fmt.Fprintf(&b, "experiment share %s, planned %s (%s): chi-square %s, p = %s (alpha %s)\n",
		format.Share(h.Share), format.Share(h.ExpectedShare), h.Ratio, format.Num(h.ChiSquare), format.PValue(h.P),
		strconv.FormatFloat(h.Alpha, 'g', -1, 64))
	fmt.Fprintf(&b, "dispersion at %s: %s over %d windows (about 1 for a random split)\n",
		ShortDuration(h.Window), orDash(h.Dispersion, sig3), h.Windows)
	for _, w := range h.Flagged {
		fmt.Fprintf(&b, "flagged window %s: experiment %s, control %s, p = %s\n",
			rfc3339(w.Start), format.Num(w.Experiment), format.Num(w.Control), format.PValue(w.P))
	}
	fmt.Fprintf(&b, "verdict: %s\n", verdict)
	format.Warnings(&b, "warnings:", 9, format.Errors(h.Warnings))
	_, err := io.WriteString(w, b.String())
	return err
}

// rfc3339 formats Unix milliseconds as an RFC 3339 time in UTC.
func rfc3339(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339) }

// healthJSON is the JSON of a HealthReport, `chaosstat aa --health --format
// json`: a contract documented in docs/commands/aa.md.
type healthJSON struct {
	Healthy  bool                `json:"healthy"`
	SRM      SRM                 `json:"srm"`
	Flagged  []flaggedWindowJSON `json:"flagged_windows"`
	Warnings []string            `json:"warnings"`
}

type flaggedWindowJSON struct {
	Start      string       `json:"start"`
	Experiment format.Float `json:"experiment"`
	Control    format.Float `json:"control"`
	ChiSquare  format.Float `json:"chi_square"`
	PValue     format.Float `json:"p_value"`
}

// MarshalJSON writes the check as `chaosstat aa --health --format json`
// does.
func (p HealthReport) MarshalJSON() ([]byte, error) {
	h := p.SRM
	out := healthJSON{Healthy: p.Healthy(), SRM: h, Flagged: []flaggedWindowJSON{}, Warnings: format.Errors(h.Warnings)}
	for _, w := range h.Flagged {
		out.Flagged = append(out.Flagged, flaggedWindowJSON{rfc3339(w.Start),
			format.Float(w.Experiment), format.Float(w.Control), format.Float(w.ChiSquare), format.Float(w.P)})
	}
	return format.Marshal(out)
}

// WriteJSON writes the check's JSON document to w.
func (p HealthReport) WriteJSON(w io.Writer) error { return format.WriteJSON(w, p) }
