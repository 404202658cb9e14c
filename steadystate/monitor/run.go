package monitor

import (
	"fmt"
	"io"

	"github.com/chaosstat/chaosstat/series"
)

// Outcome is how a monitored run ended. The zero value is Inconclusive:
// no data is never a pass.
type Outcome int

const (
	// Inconclusive: the run ended without a stop before the test could
	// judge: fewer complete pairs than Config.MinPoints (or no look at
	// all). Run.Err says so.
	Inconclusive Outcome = iota
	// Held: the run ended without a stop after the test had judged; no
	// harm was detected.
	Held
	// Stopped: a rule stopped the run; the last decision says which
	// (Decision.Cause) and why (Decision.Reason).
	Stopped
	// Interrupted: Follow's context was cancelled (a signal, a caller's
	// deadline) before the feed ended or a rule stopped the run; the last
	// decision is the state then.
	Interrupted
)

var outcomeNames = []string{"inconclusive", "held", "stopped", "interrupted"}

// String returns "inconclusive", "held", "stopped" or "interrupted".
func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
	return outcomeNames[o]
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// ErrTooFewPairs (which wraps series.ErrTooLittleData) is wrapped by
// Run.Err when a run ended without a stop
// before the test had the complete pairs it needs to judge.
var ErrTooFewPairs = series.TooLittleData("too few complete pairs for the test to judge")

// TooFewPairsError is Run.Err of an Inconclusive run: the run ended with N
// complete pairs, fewer than the MinPoints the test needs. It wraps
// ErrTooFewPairs.
type TooFewPairsError struct {
	N, MinPoints int
}

func (e *TooFewPairsError) Error() string {
	return fmt.Sprintf("the run ended with %d complete pairs, fewer than the %d the test needs to judge", e.N, e.MinPoints)
}

// Unwrap returns ErrTooFewPairs.
func (e *TooFewPairsError) Unwrap() error { return ErrTooFewPairs }

// Run is a monitored run, as Monitor.Replay and Monitor.Follow return it:
// the decisions of its looks and how it ended.
type Run struct {
	// Decisions are the looks' decisions in time order; the last is the
	// stop when the run stopped (the first stop ends a run). Follow keeps
	// only the last unless FollowOptions.Keep; Replay keeps every one
	// unless ReplayOptions.LastOnly.
	Decisions []Decision
	// Outcome is how the run ended.
	Outcome Outcome
	// Looks and N are the last decision's: the points fed, and the
	// complete pairs the test used.
	Looks, N int
	// MinPoints is the burn-in of the monitor that ran (Config.MinPoints
	// or its default).
	MinPoints int
}

// Err returns nil unless the run is Inconclusive, then a
// *TooFewPairsError (errors.Is ErrTooFewPairs).
func (r Run) Err() error {
	if r.Outcome != Inconclusive {
		return nil
	}
	return &TooFewPairsError{N: r.N, MinPoints: r.MinPoints}
}

// WriteText writes every decision kept with Decision.WriteText: the text
// of chaosstat monitor.
func (r Run) WriteText(w io.Writer) error {
	for _, d := range r.Decisions {
		if err := d.WriteText(w); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes every decision kept with Decision.WriteJSON, one JSON
// object a line: the output of chaosstat monitor --format json.
func (r Run) WriteJSON(w io.Writer) error {
	for _, d := range r.Decisions {
		if err := d.WriteJSON(w); err != nil {
			return err
		}
	}
	return nil
}

// record adds d to the run; keep false keeps only the last decision.
func (r *Run) record(d Decision, keep bool) {
	if keep {
		r.Decisions = append(r.Decisions, d)
	} else {
		r.Decisions = append(r.Decisions[:0], d)
	}
	r.Looks, r.N = d.Looks, d.N
	switch {
	case d.Action == Stop:
		r.Outcome = Stopped
	case d.N >= r.MinPoints:
		r.Outcome = Held
	default:
		r.Outcome = Inconclusive
	}
}

// emit records d and hands it to onDecision, if any.
func (r *Run) emit(d Decision, keep bool, onDecision func(Decision) error) error {
	r.record(d, keep)
	if onDecision != nil {
		return onDecision(d)
	}
	return nil
}
