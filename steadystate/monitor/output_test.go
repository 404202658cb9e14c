package monitor

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/format"
)

// decisionAt1225 is a decision with every kind of field the output writes:
// infinite bounds (the burn-in's), a NaN, a reason with "<=" (which
// json.Marshal escapes and format.WriteJSON does not), a warning and a
// restarted test's window.
func decisionAt1225() Decision {
	t := time.Date(2026, 11, 26, 12, 25, 0, 0, time.UTC).UnixMilli()
	return Decision{
		Action: Stop, Cause: CauseTest, Reason: "p = 0.01 <= alpha 0.05", T: t, Looks: 26, N: 25, Alpha: 0.05, P: 0.01,
		Difference:  Interval{Estimate: -20, Low: math.Inf(-1), High: 5, Confidence: 0.95},
		Relative:    Interval{Estimate: -0.012, Low: -0.063, High: 0.042, Confidence: 0.95},
		ControlMean: 1800, ExperimentMean: 1780, VarianceFactor: math.NaN(), Baseline: math.NaN(),
		Window:   Window{Start: t - 5*60_000, N: 6, Interval: Interval{Estimate: -0.15, Low: -0.25, High: -0.03, Confidence: 0.997}},
		Warnings: []error{errors.New("a warning")},
	}
}

// TestDecisionWriteText: the line of chaosstat monitor's text output (its
// golden files testdata/golden/monitor_*_text), fields as WriteText's doc
// gives them: time, action padded to 8, n padded to 4, p padded to 7,
// percentages with one decimal, infinities as -Inf/+Inf, then one line per
// warning.
func TestDecisionWriteText(t *testing.T) {
	var b strings.Builder
	if err := decisionAt1225().WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := "2026-11-26T12:25:00Z  stop      n=25   p=0.01    exp/ctl -1.2% [-6.3%, 4.2%]  p = 0.01 <= alpha 0.05\n  warning: a warning\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
	d := Decision{T: 0, N: 1, P: 1, Reason: "burn-in", Relative: Interval{Estimate: math.NaN(), Low: math.Inf(-1), High: math.Inf(1)}}
	b.Reset()
	d.WriteText(&b)
	if want := "1970-01-01T00:00:00Z  continue  n=1    p=1       exp/ctl NaN [-Inf, +Inf]  burn-in\n"; b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

// TestDecisionJSON: the --format json line of chaosstat monitor, key by
// key as MarshalJSON's doc lists them; NaN and infinities null; the
// window's start null for the whole-run test; warnings [] when none; and
// no HTML escaping ("<=" as it is), as in every report's JSON.
func TestDecisionJSON(t *testing.T) {
	d := decisionAt1225()
	var b strings.Builder
	if err := d.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"time":"2026-11-26T12:25:00Z","action":"stop","cause":"test","reason":"p = 0.01 <= alpha 0.05","looks":26,"n":25,"p_value":0.01,"alpha":0.05,` +
		`"difference":{"estimate":-20,"low":null,"high":5,"confidence":0.95},"relative":{"estimate":-0.012,"low":-0.063,"high":0.042,"confidence":0.95},` +
		`"control_mean":1800,"experiment_mean":1780,"variance_factor":null,"baseline":null,` +
		`"window":{"start":"2026-11-26T12:20:00Z","n":6,"estimate":-0.15,"low":-0.25,"high":-0.03,"confidence":0.997},"warnings":["a warning"]}` + "\n"
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}

	b.Reset()
	if err := format.WriteJSON(&b, []Decision{d}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"reason": "p = 0.01 <= alpha 0.05"`) {
		t.Errorf("format.WriteJSON escaped the reason:\n%s", b.String())
	}

	d.Window, d.Warnings = Window{}, nil
	line, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"window":{"start":null,"n":0,`, `"warnings":[]`} {
		if !strings.Contains(string(line), part) {
			t.Errorf("%s: no %s", line, part)
		}
	}
}

// TestRunWrite: a run writes its decisions' lines, in order.
func TestRunWrite(t *testing.T) {
	a, b := decisionAt1225(), decisionAt1225()
	a.Action, a.Cause, a.Reason = Continue, NoCause, "continue"
	run := Run{Decisions: []Decision{a, b}}
	var got, want strings.Builder
	run.WriteText(&got)
	a.WriteText(&want)
	b.WriteText(&want)
	if got.String() != want.String() {
		t.Errorf("WriteText: %q, want %q", got.String(), want.String())
	}
	got.Reset()
	want.Reset()
	run.WriteJSON(&got)
	a.WriteJSON(&want)
	b.WriteJSON(&want)
	if got.String() != want.String() {
		t.Errorf("WriteJSON: %q, want %q", got.String(), want.String())
	}
}

func TestOutcomeString(t *testing.T) {
	for o, want := range map[Outcome]string{Inconclusive: "inconclusive", Held: "held", Stopped: "stopped", Outcome(7): "Outcome(7)"} {
		if o.String() != want {
			t.Errorf("%d: %q, want %q", int(o), o.String(), want)
		}
	}
}
