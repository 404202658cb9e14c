package monitor_test

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// TestRuleGuardrails: the command's and the server's guardrails are the
// max-change rules (none for a max drop of 0) then the limits.
func TestRuleGuardrails(t *testing.T) {
	want := append(monitor.MaxChangeGuardrails(steadystate.Decrease, 0.2, 3), monitor.LimitGuardrails(1, math.NaN(), 3)...)
	if got := monitor.RuleGuardrails(steadystate.Decrease, 0.2, 3, 1, math.NaN()); !reflect.DeepEqual(got, want) {
		t.Errorf("RuleGuardrails: %v; want %v", got, want)
	}
	if got := monitor.RuleGuardrails(steadystate.Either, 0, 2, math.NaN(), 5); !reflect.DeepEqual(got, monitor.LimitGuardrails(math.NaN(), 5, 2)) {
		t.Errorf("RuleGuardrails without a max drop: %v; want the limit only", got)
	}
}

// TestCheckRuleGuardrails: the settings of RuleGuardrails out of range are
// a *series.OptionError naming the setting by its key, the flag's and the
// server's name, so that a Go caller gets the same rule without either.
func TestCheckRuleGuardrails(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name, reason string
		maxDrop      float64
		sustain      int
		below, above float64
		option       string // "" for valid
	}{
		{"defaults", "the command's defaults, no limits", monitor.DefaultMaxDrop, monitor.DefaultSustain, nan, nan, ""},
		{"off", "a max drop of 0 turns the guardrail off", 0, 1, nan, nan, ""},
		{"band", "limits that leave a band", 0.2, 3, 1, 2, ""},
		{"max_drop", "a negative max drop", -0.1, 3, nan, nan, monitor.OptionMaxDrop},
		{"max_drop_inf", "an infinite max drop", math.Inf(1), 3, nan, nan, monitor.OptionMaxDrop},
		{"sustain", "a sustain of 0 points", 0.2, 0, nan, nan, monitor.OptionSustain},
		{"below_inf", "an infinite below limit", 0.2, 3, math.Inf(-1), nan, monitor.OptionExperimentBelow},
		{"above_inf", "an infinite above limit", 0.2, 3, nan, math.Inf(1), monitor.OptionExperimentAbove},
		{"crossing", "below 5 or above 3 covers every value", 0.2, 3, 5, 3, monitor.OptionExperimentBelow},
		{"meeting", "below 4 or above 4 covers every value but 4", 0.2, 3, 4, 4, monitor.OptionExperimentBelow},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := monitor.CheckRuleGuardrails(c.maxDrop, c.sustain, c.below, c.above)
			var oe *series.OptionError
			switch {
			case c.option == "" && err != nil:
				t.Errorf("%v, want nil (%s)", err, c.reason)
			case c.option != "" && (!errors.As(err, &oe) || oe.Option != c.option):
				t.Errorf("%v, want a *series.OptionError naming %s (%s)", err, c.option, c.reason)
			}
			if c.option == "" {
				// What passes makes guardrails New takes.
				gs := monitor.RuleGuardrails(steadystate.Either, c.maxDrop, c.sustain, c.below, c.above)
				if _, err := monitor.New(monitor.Config{Guardrails: gs}); err != nil {
					t.Errorf("New: %v", err)
				}
			}
		})
	}
}

// TestCheckOption: a value given for a setting, as a flag gives it, is
// checked without the 0 that stands for the default in Config; New words
// its errors the same way.
func TestCheckOption(t *testing.T) {
	for _, c := range []struct {
		key string
		v   float64
		ok  bool
		why string
	}{
		{monitor.OptionAlpha, 0.05, true, "the default"},
		{monitor.OptionAlpha, 0, false, "a given 0 is no rate"},
		{monitor.OptionAlpha, 1, false, "a rate below 1"},
		{monitor.OptionHorizon, 1, true, "one look"},
		{monitor.OptionHorizon, 0, false, "a given 0 looks"},
		{monitor.OptionMinPoints, 2, false, "the variance needs 3 pairs"},
		{monitor.OptionMinPoints, 3.5, false, "pairs are whole"},
		{monitor.OptionMaxDrop, 0, true, "0 turns the guardrail off"},
		{monitor.OptionSustain, 1, true, "at once"},
		{monitor.OptionExperimentAbove, math.NaN(), false, "not a number"},
	} {
		err := monitor.CheckOption(c.key, c.v)
		var oe *series.OptionError
		if (err == nil) != c.ok || (err != nil && (!errors.As(err, &oe) || oe.Option != c.key)) {
			t.Errorf("CheckOption(%q, %v) = %v, want ok %v (%s)", c.key, c.v, err, c.ok, c.why)
		}
	}
	var fe *steadystate.FieldError
	if _, err := monitor.New(monitor.Config{Alpha: 5}); !errors.As(err, &fe) || err.Error() != "alpha: 5: want a rate in (0, 1), such as 0.05" {
		t.Errorf("New with alpha 5: %v, want CheckOption's wording on the field", err)
	}
}
