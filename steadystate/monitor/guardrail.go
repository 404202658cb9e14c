package monitor

import (
	"fmt"
	"math"
	"strconv"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// Quantity is what a Guardrail watches, point by point.
type Quantity int

const (
	// ExperimentValue: the experiment group's value, in the metric's units
	// (stream starts per minute, error ratio).
	ExperimentValue Quantity = iota
	// RelativeToControl: experiment / control - 1 at the same time; -0.2 is
	// a drop of 20% against the control.
	RelativeToControl
	// RelativeToBaseline: experiment / baseline - 1, against the
	// Point's Baseline (last weeks' waveform at the same time).
	RelativeToBaseline
)

var quantityNames = []string{"experiment", "relative_to_control", "relative_to_baseline"}

// String returns "experiment", "relative_to_control" or
// "relative_to_baseline".
func (q Quantity) String() string {
	if q < 0 || int(q) >= len(quantityNames) {
		return fmt.Sprintf("Quantity(%d)", int(q))
	}
	return quantityNames[q]
}

// Bound says which side of a Guardrail's limit is out of bounds. The zero
// value is Below.
type Bound int

const (
	// Below: the guardrail fires when the quantity is below the limit.
	Below Bound = iota
	// Above: the guardrail fires when the quantity is above the limit.
	Above
)

// String returns "below" or "above".
func (b Bound) String() string {
	switch b {
	case Below:
		return "below"
	case Above:
		return "above"
	}
	return fmt.Sprintf("Bound(%d)", int(b))
}

// Guardrail is a hard limit, like an existing alert rule: it stops the
// experiment as soon as the watched quantity has been beyond the limit for
// For consecutive points, whatever the statistics say. Guardrails catch
// gross harm at once; the always-valid test catches smaller harm with a
// known false-stop rate. A guardrail has no error guarantee: set its limits
// where a breach is worth stopping for even when it is noise.
//
// A point where the quantity cannot be computed (a missing value, a control
// or baseline of zero) neither counts towards For nor resets the count.
type Guardrail struct {
	// Name is shown in the stop reason ("error ratio", "max drop").
	Name string
	// Of is the quantity watched.
	Of Quantity
	// Bound says whether being Below or Above Limit is a breach.
	Bound Bound
	// Limit is the threshold, in the units of Of: the metric's units for
	// ExperimentValue, a relative change (-0.2 for a 20% drop) otherwise.
	Limit float64
	// For is the number of consecutive breaching points that fire the
	// guardrail; 0 means 1 (at once).
	For int
}

// String describes the rule: `max drop: relative_to_control below -0.2 for 3 points`.
func (g Guardrail) String() string {
	f := max(g.For, 1)
	pts := "points"
	if f == 1 {
		pts = "point"
	}
	name := g.Name
	if name == "" {
		name = "guardrail"
	}
	return fmt.Sprintf("%s: %s %s %s for %d %s", name, g.Of, g.Bound, strconv.FormatFloat(g.Limit, 'g', -1, 64), f, pts)
}

// MaxChangeGuardrails returns the guardrails for "the experiment is more
// than maxChange worse than the control for sustain consecutive points", the
// rule of thumb of an on-call engineer: for steadystate.Decrease a drop below
// -maxChange relative to the control, for steadystate.Increase a rise above +maxChange,
// for steadystate.Either both. maxChange must be positive (0.2 for 20%).
func MaxChangeGuardrails(dir steadystate.Direction, maxChange float64, sustain int) []Guardrail {
	pct := strconv.FormatFloat(100*maxChange, 'g', -1, 64) + "%"
	drop := Guardrail{Name: "drop beyond " + pct + " of control", Of: RelativeToControl, Bound: Below, Limit: -maxChange, For: sustain}
	rise := Guardrail{Name: "rise beyond " + pct + " of control", Of: RelativeToControl, Bound: Above, Limit: maxChange, For: sustain}
	switch dir {
	case steadystate.Decrease:
		return []Guardrail{drop}
	case steadystate.Increase:
		return []Guardrail{rise}
	}
	return []Guardrail{drop, rise}
}

// LimitGuardrails returns the guardrails for "the experiment's value is
// below below, or above above, for sustain consecutive points", like an
// alert rule on an absolute level (stream starts under 1,700 a minute, an
// error ratio over 0.05); NaN leaves that side out. They are named
// "experiment below limit" and "experiment above limit".
func LimitGuardrails(below, above float64, sustain int) []Guardrail {
	var gs []Guardrail
	if !math.IsNaN(below) {
		gs = append(gs, Guardrail{Name: "experiment below limit", Of: ExperimentValue, Bound: Below, Limit: below, For: sustain})
	}
	if !math.IsNaN(above) {
		gs = append(gs, Guardrail{Name: "experiment above limit", Of: ExperimentValue, Bound: Above, Limit: above, For: sustain})
	}
	return gs
}

// quantity returns what a guardrail watches at point p, NaN when it cannot
// be computed.
func quantity(q Quantity, p Point) float64 {
	switch q {
	case ExperimentValue:
		return p.Experiment
	case RelativeToControl:
		if p.Control == 0 {
			return math.NaN()
		}
		return p.Experiment/p.Control - 1
	case RelativeToBaseline:
		if p.Baseline == 0 {
			return math.NaN()
		}
		return p.Experiment/p.Baseline - 1
	}
	return math.NaN()
}

// Defaults of the guardrails of chaosstat monitor (--max-drop, --sustain)
// and of server/monitors' POST (max_drop, sustain).
const (
	DefaultMaxDrop = 0.2
	DefaultSustain = 3
)

// RuleGuardrails returns the guardrails that chaosstat monitor's flags
// --max-drop, --sustain, --experiment-below and --experiment-above set up,
// and server/monitors' keys of the same names: MaxChangeGuardrails for
// maxDrop > 0 (0 turns it off), then LimitGuardrails(below, above) (NaN
// leaves a side out), each for sustain consecutive points. One function, so
// that the command and the server build the same rules from the same
// settings.
//
// CheckRuleGuardrails checks the settings first.
func RuleGuardrails(dir steadystate.Direction, maxDrop float64, sustain int, below, above float64) []Guardrail {
	var gs []Guardrail
	if maxDrop > 0 {
		gs = MaxChangeGuardrails(dir, maxDrop, sustain)
	}
	return append(gs, LimitGuardrails(below, above, sustain)...)
}

// CheckRuleGuardrails returns a *series.OptionError naming the first of
// RuleGuardrails' settings out of range, by CheckOption (OptionMaxDrop,
// OptionSustain, OptionExperimentBelow, OptionExperimentAbove; a NaN limit
// is off and not checked), or a below limit that is not under the above
// one: every value would breach one of them, and the monitor would stop on
// every run (New refuses such guardrails too).
func CheckRuleGuardrails(maxDrop float64, sustain int, below, above float64) error {
	if err := CheckOption(OptionMaxDrop, maxDrop); err != nil {
		return err
	}
	if err := CheckOption(OptionSustain, float64(sustain)); err != nil {
		return err
	}
	for _, l := range []struct {
		key string
		v   float64
	}{{OptionExperimentBelow, below}, {OptionExperimentAbove, above}} {
		if math.IsNaN(l.v) {
			continue
		}
		if err := CheckOption(l.key, l.v); err != nil {
			return err
		}
	}
	if below >= above { // false when either is NaN
		return &series.OptionError{Option: OptionExperimentBelow, Value: below,
			Want: fmt.Sprintf("a number under the upper limit, %v, or every value breaches one of the two", above)}
	}
	return nil
}
