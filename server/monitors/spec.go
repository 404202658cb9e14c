package monitors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

// Spec is a monitor's definition: the body of POST /v1/monitors, whose keys
// are chaosstat monitor's flag names in snake_case. It is stored as given
// (with the defaults filled in) in the monitor's state file.
type Spec struct {
	// Name is a label for people and the metrics' name label; optional.
	Name string `json:"name"`
	// ControlQuery and ExperimentQuery are PromQL queries that return one
	// series each (required).
	ControlQuery    string `json:"control_query"`
	ExperimentQuery string `json:"experiment_query"`
	// Direction is the change that hurts: either (default), decrease or
	// increase.
	Direction string `json:"direction"`
	// Alpha is the false-stop rate over the whole run (default 0.05).
	Alpha float64 `json:"alpha"`
	// MaxDrop, Sustain, ExperimentBelow and ExperimentAbove are the
	// guardrails, as the command's flags: max_drop defaults to 0.2 (0 turns
	// it off), sustain to 3; the limits are off when absent (null).
	MaxDrop         *float64 `json:"max_drop"`
	Sustain         int      `json:"sustain"`
	ExperimentBelow *float64 `json:"experiment_below"`
	ExperimentAbove *float64 `json:"experiment_above"`
	// Scale, Horizon and MinPoints are the test's, as the flags.
	Scale     string `json:"scale"`
	Horizon   int    `json:"horizon"`
	MinPoints int    `json:"min_points"`
	// Step is the time between looks, a duration ("1m"; default 1m, at
	// least Config.MinStep). The looks lie on the Unix-epoch grid of Step.
	Step string `json:"step"`
	// MaxGap is how long the monitor may go without a complete look (both
	// groups' values) before its health is 503 no_data (default 3 steps;
	// at least one step). Unlike the command's --max-gap this is not a
	// stop: the health is 200 again once data arrives.
	MaxGap string `json:"max_gap"`
	// HistoryStart, when given (RFC 3339, Unix seconds or now-8h), primes
	// the test with the groups' values from it to the first look
	// (monitor.PrimeSeries; at least 30 complete looks), as the command's
	// --history-control and --history-experiment do.
	HistoryStart string `json:"history_start"`
}

// specKeys are the keys of Spec's JSON, for the unknown-key error.
var specKeys = func() map[string]bool {
	keys := map[string]bool{}
	var s Spec
	b, _ := json.Marshal(s)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for k := range m {
		keys[k] = true
	}
	return keys
}()

// FieldError is a request error that names the key at fault.
type FieldError struct {
	Field, Msg string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// parsed is a Spec turned into what the poller needs.
type parsed struct {
	cfg          monitor.Config
	step, maxGap time.Duration
	historyStart time.Time // zero: no priming
}

// decodeSpec reads a request body into a Spec: a JSON object of known keys,
// each of its type. The error is a *FieldError naming the key.
func decodeSpec(body []byte) (Spec, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return Spec{}, &FieldError{Field: "body", Msg: "not a JSON object: " + err.Error()}
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !specKeys[k] {
			known := make([]string, 0, len(specKeys))
			for k := range specKeys {
				known = append(known, k)
			}
			sort.Strings(known)
			return Spec{}, &FieldError{Field: k, Msg: "unknown key; the keys are " + strings.Join(known, ", ")}
		}
	}
	var s Spec
	for _, k := range keys {
		// Decode each key alone, so that a wrong type names its key.
		one, _ := json.Marshal(map[string]json.RawMessage{k: raw[k]})
		d := json.NewDecoder(bytes.NewReader(one))
		if err := d.Decode(&s); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return Spec{}, &FieldError{Field: k, Msg: fmt.Sprintf("want a %s, not a JSON %s", te.Type, te.Value)}
			}
			return Spec{}, &FieldError{Field: k, Msg: err.Error()}
		}
	}
	return s, nil
}

// check fills in s's defaults and validates it against the manager's
// limits; now is the time of the request (for history_start's now-2h).
// The error is a *FieldError naming the key.
func (s *Spec) check(now time.Time, minStep time.Duration) (parsed, error) {
	var p parsed
	bad := func(field, format string, args ...any) error {
		return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(s.ControlQuery) == "" {
		return p, bad("control_query", "missing: the control group's PromQL query, returning one series")
	}
	if strings.TrimSpace(s.ExperimentQuery) == "" {
		return p, bad("experiment_query", "missing: the experiment group's PromQL query, returning one series")
	}
	if len(s.Name) > 200 {
		return p, bad("name", "%d bytes: want at most 200", len(s.Name))
	}
	if s.Direction == "" {
		s.Direction = steadystate.Either.String()
	}
	dir, err := steadystate.ParseDirection(s.Direction)
	if err != nil {
		return p, bad("direction", "%v", err)
	}
	if s.Scale == "" {
		s.Scale = monitor.LogRatio.String()
	}
	scale, err := monitor.ParseScale(s.Scale)
	if err != nil {
		return p, bad("scale", "%v", err)
	}
	// The settings' rules and wording are the library's; the key is ours.
	option := func(err error) error {
		var oe *series.OptionError
		if errors.As(err, &oe) {
			return bad(oe.Option, "%v: want %s", oe.Value, oe.Want)
		}
		return err
	}
	if s.Alpha == 0 {
		s.Alpha = monitor.DefaultAlpha
	}
	if err := monitor.CheckOption(monitor.OptionAlpha, s.Alpha); err != nil {
		return p, option(err)
	}
	if s.MaxDrop == nil {
		d := monitor.DefaultMaxDrop
		s.MaxDrop = &d
	}
	if s.Sustain == 0 {
		s.Sustain = monitor.DefaultSustain
	}
	below, above := math.NaN(), math.NaN() // off when absent
	if s.ExperimentBelow != nil {
		below = *s.ExperimentBelow
	}
	if s.ExperimentAbove != nil {
		above = *s.ExperimentAbove
	}
	if err := monitor.CheckRuleGuardrails(*s.MaxDrop, s.Sustain, below, above); err != nil {
		return p, option(err)
	}
	if s.Horizon == 0 {
		s.Horizon = monitor.DefaultHorizon
	}
	if err := monitor.CheckOption(monitor.OptionHorizon, float64(s.Horizon)); err != nil {
		return p, option(err)
	}
	if s.MinPoints == 0 {
		s.MinPoints = monitor.DefaultMinPoints
	}
	if err := monitor.CheckOption(monitor.OptionMinPoints, float64(s.MinPoints)); err != nil {
		return p, option(err)
	}
	if s.Step == "" {
		s.Step = "1m"
	}
	if p.step, err = series.ParseDuration(s.Step); err != nil {
		return p, bad("step", "%v", err)
	}
	if p.step < minStep {
		return p, bad("step", "%v: want at least %v", p.step, minStep)
	}
	if s.MaxGap == "" {
		s.MaxGap = (DefaultGapSteps * p.step).String()
	}
	if p.maxGap, err = series.ParseDuration(s.MaxGap); err != nil {
		return p, bad("max_gap", "%v", err)
	}
	if p.maxGap < p.step {
		return p, bad("max_gap", "%v: want at least one step (%v)", p.maxGap, p.step)
	}
	if s.HistoryStart != "" {
		if p.historyStart, err = series.ParseTimeAt(s.HistoryStart, now); err != nil {
			return p, bad("history_start", "%v", err)
		}
		if !p.historyStart.Before(now) {
			return p, bad("history_start", "%s is not before now: want the start of the history before the experiment, such as now-2h", s.HistoryStart)
		}
	}
	// As cmd/chaosstat's monitor builds it from the same flags
	// (RuleGuardrails).
	p.cfg = monitor.Config{Alpha: s.Alpha, Direction: dir, Scale: scale, Horizon: s.Horizon, MinPoints: s.MinPoints,
		// The monitor's own no-data rule stops for good; here a gap is a
		// 503 that ends when data returns (the gap rule, doc.go).
		MaxGap: -1}
	p.cfg.Guardrails = monitor.RuleGuardrails(dir, *s.MaxDrop, s.Sustain, below, above)
	if _, err := monitor.New(p.cfg); err != nil {
		var fe *steadystate.FieldError
		if errors.As(err, &fe) {
			return p, bad(fe.Field, "%s", fe.Msg)
		}
		return p, bad("body", "%v", err)
	}
	return p, nil
}
