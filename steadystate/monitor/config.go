package monitor

import (
	"fmt"
	"math"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// Scale is the scale on which the monitor pairs the groups. The zero value is
// LogRatio.
type Scale int

const (
	// LogRatio tests d_t = log(e_t / c_t): the relative change, for
	// positive metrics whose noise grows with their level (counts and
	// rates with a daily cycle). A pair with a value <= 0 is left out of
	// the test, with a warning.
	LogRatio Scale = iota
	// Difference tests d_t = e_t - c_t, in the metric's units: for metrics
	// that can be zero or negative, and whose noise does not follow the
	// level.
	Difference
)

// String returns "log_ratio" or "difference".
func (s Scale) String() string {
	switch s {
	case LogRatio:
		return "log_ratio"
	case Difference:
		return "difference"
	}
	return fmt.Sprintf("Scale(%d)", int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Scale) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseScale parses "log_ratio" or "difference".
func ParseScale(s string) (Scale, error) {
	switch s {
	case "log_ratio":
		return LogRatio, nil
	case "difference":
		return Difference, nil
	}
	return 0, fmt.Errorf("unknown scale %q: want log_ratio or difference", s)
}

// Defaults of Config, used where a field is zero.
const (
	// DefaultAlpha is the false-stop rate the test allows over the
	// whole run, however many looks.
	DefaultAlpha = 0.05
	// DefaultHorizon is the planned run length in looks the mixing
	// variance is tuned for: six hours of one-minute points.
	DefaultHorizon = 360
	// DefaultMinPoints is the burn-in: the number of complete pairs
	// before the test may stop the experiment (guardrails and the no-data
	// rule act from the first point). The plug-in variance needs them; see
	// Monitor.
	DefaultMinPoints = 10
	// DefaultMaxGap is how long a group's feed may go without a value
	// before the monitor stops the experiment as blind.
	DefaultMaxGap = 5 * time.Minute
)

// Config configures a Monitor. Its zero value is usable: two-sided,
// alpha 0.05, tuned for six hours of one-minute looks, no guardrails.
type Config struct {
	// Alpha is the false-stop rate of the test over the whole run, in
	// (0, 1); 0 means DefaultAlpha.
	Alpha float64
	// steadystate.Direction is the change that hurts: steadystate.Decrease for throughput (stream
	// starts, availability), steadystate.Increase for latency or errors, steadystate.Either (the
	// zero value) for both. The test is one-sided for steadystate.Decrease and
	// steadystate.Increase.
	Direction steadystate.Direction
	// Scale is the scale the groups are compared on; the zero value is
	// LogRatio.
	Scale Scale
	// Horizon is the planned number of looks (points), for tuning the
	// mixing variance; 0 means DefaultHorizon. The test stays valid
	// beyond it, only less sensitive.
	Horizon int
	// MinPoints is the number of complete pairs before the test may stop
	// the experiment; 0 means DefaultMinPoints. At least 3.
	MinPoints int
	// MaxGap is the longest time either group may go without a value
	// before the monitor stops the experiment (CauseNoData); 0 means
	// DefaultMaxGap. It must be longer than the feed's step. Negative
	// disables the rule (the decision then says how long the feed has
	// been silent, and continues).
	MaxGap time.Duration
	// Guardrails are the hard limits, checked at every point.
	Guardrails []Guardrail
}

// The keys a *series.OptionError names the monitor's settings by: Config's
// Alpha, Horizon and MinPoints, and RuleGuardrails' maxDrop, sustain, below
// and above. They are server/monitors' JSON keys and, with dashes,
// chaosstat monitor's flags (--min-points, --experiment-below).
const (
	OptionAlpha           = "alpha"
	OptionHorizon         = "horizon"
	OptionMinPoints       = "min_points"
	OptionMaxDrop         = "max_drop"
	OptionSustain         = "sustain"
	OptionExperimentBelow = "experiment_below"
	OptionExperimentAbove = "experiment_above"
)

// CheckOption returns a *series.OptionError unless v is a value that the
// setting named key (one of the Option keys) may be given: alpha in
// (0, 1); horizon and sustain whole numbers >= 1, min_points >= 3;
// max_drop a relative change >= 0 (0 turns the guardrail off); the
// experiment's limits finite numbers. Unlike in Config, where 0 stands for
// the default, a given 0 is out of range where the default is not 0, as
// it is for a flag: front ends that take the settings one at a time check
// each with it, and New checks Config's with it. It panics for another
// key.
func CheckOption(key string, v float64) error {
	whole := func(lo float64) bool { return v >= lo && v == math.Trunc(v) && !math.IsInf(v, 0) }
	var ok bool
	var want string
	switch key {
	case OptionAlpha:
		ok, want = v > 0 && v < 1, "a rate in (0, 1), such as 0.05"
	case OptionHorizon:
		ok, want = whole(1), "a number of looks >= 1"
	case OptionMinPoints:
		ok, want = whole(3), "a number of pairs >= 3"
	case OptionMaxDrop:
		ok, want = v >= 0 && !math.IsInf(v, 0), "a relative change >= 0, such as 0.2 for 20% (0 turns the guardrail off)"
	case OptionSustain:
		ok, want = whole(1), "a number of points >= 1"
	case OptionExperimentBelow, OptionExperimentAbove:
		ok, want = !math.IsNaN(v) && !math.IsInf(v, 0), "a number"
	default:
		panic("monitor.CheckOption: unknown option " + key)
	}
	if ok {
		return nil
	}
	return &series.OptionError{Option: key, Value: v, Want: want}
}
