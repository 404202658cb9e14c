package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
)

// Report is the result of Judge: a current series checked against the
// baseline of its history, with what `chaosstat baseline` prints. WriteText
// gives the command's text and MarshalJSON its --format json document.
type Report struct {
	// History and Current name the two series in the text: a file, a
	// query. Judge sets them to the series' Identity ("" for a CSV
	// series, which the text then leaves out).
	History, Current string
	// Baseline is the baseline built from the history.
	Baseline *Baseline
	// Check is the current series against the band, with the rule's
	// false-alarm rate on the history in Check.Calibration (nil when the
	// history was too short to measure it).
	Check *DeviationReport
	// Warnings say where the answer is weak, as what to do: history
	// points dropped for overlapping the current series, then
	// Check.Warnings. A caller appends its own (a partial answer from a
	// server) before writing the report.
	Warnings []error
}

// Deviated reports whether the current series left the band.
func (r Report) Deviated() bool { return r.Check.Deviated() }

// Verdict is "deviated" when the current series left the band, else
// "steady".
func (r Report) Verdict() string {
	if r.Deviated() {
		return "deviated"
	}
	return "steady"
}

// jsonReport is the --format json document of `chaosstat baseline`. Its
// keys are a contract documented in docs/commands/baseline.md: add keys,
// never rename or remove them.
type jsonReport struct {
	Verdict              string          `json:"verdict"` // "steady" or "deviated"
	Deviations           []jsonDeviation `json:"deviations"`
	FractionOutside      format.Float    `json:"fraction_outside"`
	FalseAlarmRatePerDay format.Float    `json:"false_alarm_rate_per_day"` // null when not measured
	FalseAlarmUpper95    format.Float    `json:"false_alarm_rate_upper_95"`
	FalseAlarmDays       format.Float    `json:"false_alarm_days"`
	Judged               int             `json:"judged"`
	Outside              int             `json:"outside"`
	Missing              int             `json:"missing"`
	Unjudged             int             `json:"unjudged"`
	Weeks                int             `json:"weeks"`
	WeeksWithData        int             `json:"weeks_with_data"`
	StepSeconds          float64         `json:"step_seconds"`
	Timezone             string          `json:"timezone"`
	Z                    float64         `json:"z"`
	Persistence          int             `json:"persistence"`
	Model                string          `json:"model"`        // "linear", "counts" or "custom"
	ModelReason          string          `json:"model_reason"` // why: "given" or "auto: ..."
	LevelAdjust          bool            `json:"level_adjust"`
	LogScale             bool            `json:"log_scale"`
	PoolDays             bool            `json:"pool_days"`
	Resolution           float64         `json:"resolution"` // 0: no floor
	Warnings             []string        `json:"warnings"`   // [] when there are none, never null
}

type jsonDeviation struct {
	Start      string       `json:"start"` // RFC 3339 in the baseline's time zone
	End        string       `json:"end"`   // exclusive: last outside point + one step
	Direction  string       `json:"direction"`
	WorstRatio format.Float `json:"worst_ratio"` // null when the centre is 0
	Points     int          `json:"points"`
}

// MarshalJSON writes the report as `chaosstat baseline --format json` does:
// {verdict, deviations: [{start, end, direction, worst_ratio, points}],
// fraction_outside, false_alarm_rate_per_day, false_alarm_rate_upper_95,
// false_alarm_days, judged, outside, missing, unjudged, weeks,
// weeks_with_data, step_seconds, timezone, z, persistence, model,
// model_reason, level_adjust, log_scale, pool_days, resolution, warnings}.
// The false-alarm figures are null when they were not measured; model is
// the model the band was built with (Baseline.Model), and log_scale,
// pool_days and resolution are its settings, as chosen.
func (r Report) MarshalJSON() ([]byte, error) {
	c, b := r.Check, r.Baseline
	out := jsonReport{
		Verdict:              r.Verdict(),
		Deviations:           []jsonDeviation{},
		FractionOutside:      format.Float(c.FractionOutside()),
		FalseAlarmRatePerDay: format.Float(math.NaN()),
		FalseAlarmUpper95:    format.Float(math.NaN()),
		FalseAlarmDays:       format.Float(math.NaN()),
		Judged:               c.Judged,
		Outside:              c.Outside,
		Missing:              c.Missing,
		Unjudged:             c.Unjudged,
		Weeks:                b.Weeks,
		WeeksWithData:        b.WeeksWithData,
		StepSeconds:          b.Step.Seconds(),
		Timezone:             b.Location.String(),
		Z:                    c.Rule.Z,
		Persistence:          c.Rule.Persistence,
		Model:                b.Model.String(),
		ModelReason:          b.ModelReason,
		LevelAdjust:          b.opts.LevelAdjust,
		LogScale:             b.opts.LogScale,
		PoolDays:             b.opts.PoolDays,
		Resolution:           b.opts.Resolution,
		Warnings:             r.warnings(),
	}
	if cal := c.Calibration; cal != nil {
		out.FalseAlarmRatePerDay = format.Float(cal.FalseAlarmRatePerDay)
		out.FalseAlarmUpper95 = format.Float(cal.Upper95)
		out.FalseAlarmDays = format.Float(cal.Days)
	}
	for _, d := range c.Deviations {
		out.Deviations = append(out.Deviations, jsonDeviation{
			Start: d.Start.Format(time.RFC3339), End: d.End.Format(time.RFC3339),
			Direction: d.Side.String(), WorstRatio: format.Float(d.WorstRatio), Points: d.Points,
		})
	}
	return json.Marshal(out)
}

// WriteJSON writes the report's JSON document to w, indented, as the
// command prints it.
func (r Report) WriteJSON(w io.Writer) error { return format.WriteJSON(w, r) }

// warnings returns the warnings' texts, [] when there are none.
func (r Report) warnings() []string {
	ws := make([]string, len(r.Warnings))
	for i, w := range r.Warnings {
		ws[i] = w.Error()
	}
	return ws
}

// WriteText writes the report as `chaosstat baseline` prints it: one
// labelled line each for the history, the current series, the rule, the
// points outside, every deviation, the false-alarm rate on the history and
// the verdict, then the warnings.
func (r Report) WriteText(w io.Writer) error {
	c, bl := r.Check, r.Baseline
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-11s %s\n", label, fmt.Sprintf(format, args...))
	}
	named := func(name string) string {
		if name == "" {
			return ""
		}
		return name + "  "
	}
	line("history", "%s%d of %d weeks with data, %s to %s, step %v",
		named(r.History), bl.WeeksWithData, bl.Weeks, bl.Start.Format(time.RFC3339), bl.End.Format(time.RFC3339), bl.Step)
	n := fmt.Sprintf("%d points judged", c.Judged)
	if c.Missing > 0 {
		n += fmt.Sprintf(", %d missing", c.Missing)
	}
	if c.Unjudged > 0 {
		n += fmt.Sprintf(", %d in slots without enough history", c.Unjudged)
	}
	line("current", "%s%s", named(r.Current), n)
	line("rule", "outside centre ± %g spreads for %d consecutive points; slots in %s%s", c.Rule.Z, c.Rule.Persistence, bl.Location, bl.modelText())
	line("outside", "%d of %d points (%.2f%%)", c.Outside, c.Judged, 100*c.FractionOutside())
	for i, d := range c.Deviations {
		label := ""
		if i == 0 {
			label = "deviations"
		}
		ratio := "n/a (centre 0)"
		if !math.IsNaN(d.WorstRatio) {
			ratio = strconv.FormatFloat(d.WorstRatio, 'f', 3, 64)
		}
		line(label, "%-5s %s to %s  %d points outside, worst ratio %s",
			d.Side, d.Start.Format(time.RFC3339), d.End.Format(time.RFC3339), d.Points, ratio)
	}
	if cal := c.Calibration; cal != nil {
		line("false alarm", "%.3g a day on the history (%d in %.4g days, leave one week out; 95%% upper bound %.3g a day)",
			cal.FalseAlarmRatePerDay, cal.Alarms, cal.Days, cal.Upper95)
	} else {
		line("false alarm", "not measured")
	}
	verdict := "steady: no deviation from the baseline"
	if c.Deviated() {
		verdict = fmt.Sprintf("deviated: %s", blPlural(len(c.Deviations), "deviation"))
	}
	line("verdict", "%s", verdict)
	format.Warnings(&b, "warnings", 11, r.warnings())
	_, err := io.WriteString(w, b.String())
	return err
}

// modelText describes the model and the options that change what the band
// is, for the report's rule line.
func (b *Baseline) modelText() string {
	parts := []string{fmt.Sprintf("model %v (%s)", b.Model, b.ModelReason)}
	if b.opts.LevelAdjust {
		parts = append(parts, "weeks scaled to the last one's level")
	}
	if b.opts.LogScale {
		if u := b.opts.logUnit(); u == 1 {
			parts = append(parts, "judged on log(1 + value)")
		} else {
			parts = append(parts, fmt.Sprintf("judged on log(1 + value/%.4g)", u))
		}
	}
	if b.opts.PoolDays {
		parts = append(parts, "spread pooled over the days of the week")
	}
	if b.opts.Resolution > 0 {
		parts = append(parts, fmt.Sprintf("spread at least %.4g", b.opts.Resolution))
	}
	return "; " + strings.Join(parts, ", ")
}
