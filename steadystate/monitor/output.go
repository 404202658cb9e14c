package monitor

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
)

// decisionJSON is one line of chaosstat monitor's --format json. Its keys
// are a contract with other tools, documented in docs/commands/monitor.md:
// add keys, never rename or remove.
type decisionJSON struct {
	Time           string       `json:"time"`
	Action         string       `json:"action"`
	Cause          string       `json:"cause"`
	Reason         string       `json:"reason"`
	Looks          int          `json:"looks"`
	N              int          `json:"n"`
	PValue         format.Float `json:"p_value"`
	Alpha          format.Float `json:"alpha"`
	Difference     intervalJSON `json:"difference"`
	Relative       intervalJSON `json:"relative"`
	ControlMean    format.Float `json:"control_mean"`
	ExperimentMean format.Float `json:"experiment_mean"`
	VarianceFactor format.Float `json:"variance_factor"`
	Baseline       format.Float `json:"baseline"`
	Window         windowJSON   `json:"window"`
	Warnings       []string     `json:"warnings"`
}

// windowJSON is the restarted test that gave the p-value: start null when
// it was the whole-run test.
type windowJSON struct {
	Start *string `json:"start"`
	N     int     `json:"n"`
	intervalJSON
}

type intervalJSON struct {
	Estimate   format.Float `json:"estimate"`
	Low        format.Float `json:"low"`
	High       format.Float `json:"high"`
	Confidence format.Float `json:"confidence"`
}

func intervalOf(i Interval) intervalJSON {
	return intervalJSON{format.Float(i.Estimate), format.Float(i.Low), format.Float(i.High), format.Float(i.Confidence)}
}

// MarshalJSON writes d as one object of chaosstat monitor's --format json:
// time (RFC 3339), action, cause, reason, looks, n, p_value, alpha,
// difference and relative ({estimate, low, high, confidence}),
// control_mean, experiment_mean, variance_factor, baseline, window
// ({start, n, estimate, low, high, confidence}; start null when the
// whole-run test gave the p-value) and warnings (a list, [] when none).
// NaN and infinite numbers are null; HTML is not escaped ("p <= alpha"
// reads as it is), as in every report's JSON.
func (d Decision) MarshalJSON() ([]byte, error) {
	out := decisionJSON{
		Time: time.UnixMilli(d.T).UTC().Format(time.RFC3339Nano), Action: d.Action.String(), Cause: d.Cause.String(),
		Reason: d.Reason, Looks: d.Looks, N: d.N, PValue: format.Float(d.P), Alpha: format.Float(d.Alpha),
		Difference: intervalOf(d.Difference), Relative: intervalOf(d.Relative),
		ControlMean: format.Float(d.ControlMean), ExperimentMean: format.Float(d.ExperimentMean),
		VarianceFactor: format.Float(d.VarianceFactor), Baseline: format.Float(d.Baseline), Warnings: format.Errors(d.Warnings),
		Window: windowJSON{N: d.Window.N, intervalJSON: intervalOf(d.Window.Interval)},
	}
	if d.Window.Start != 0 {
		start := time.UnixMilli(d.Window.Start).UTC().Format(time.RFC3339Nano)
		out.Window.Start = &start
	}
	return format.Marshal(out)
}

// WriteJSON writes d as one line of chaosstat monitor --format json (JSON
// lines: MarshalJSON's object, compact, and a newline), in a single Write
// so that a consumer reading a live feed's output gets whole lines.
func (d Decision) WriteJSON(w io.Writer) error {
	b, err := d.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes d as chaosstat monitor's line for people, in a single
// Write, then a line for each warning:
//
//	2026-11-26T12:25:00Z  continue  n=26   p=0.41    exp/ctl -1.2% [-6.3%, 4.2%]  continue: ...
//
// the time of the look, the action, the complete pairs, the always-valid
// p-value, the relative change experiment/control - 1 with its confidence
// sequence, and the reason.
func (d Decision) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-8s  n=%-4d p=%-7s exp/ctl %s [%s, %s]  %s\n",
		time.UnixMilli(d.T).UTC().Format(time.RFC3339), d.Action, d.N, format.PValue(d.P),
		pct(d.Relative.Estimate), pct(d.Relative.Low), pct(d.Relative.High), d.Reason)
	for _, warn := range d.Warnings {
		fmt.Fprintf(&b, "  warning: %v\n", warn)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// pct formats a relative change as a percentage with one decimal.
func pct(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, -1):
		return "-Inf"
	case math.IsInf(x, 1):
		return "+Inf"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}
