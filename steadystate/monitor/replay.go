package monitor

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/series"
)

// ReplayOptions are the optional inputs of Monitor.Replay.
type ReplayOptions struct {
	// Baseline is last weeks' waveform, for the RelativeToBaseline
	// guardrail and the report: each look's Point.Baseline is its value
	// at the look's time, none where it has no point then.
	Baseline series.Series
	// OnDecision, when not nil, is called with each decision as it is
	// made, before the next point is fed (a command prints it); an error
	// from it ends the replay and Replay returns it.
	OnDecision func(Decision) error
	// LastOnly keeps only the last decision in Run.Decisions (OnDecision
	// still sees every one), so that a long replay whose decisions are
	// printed as they come needs no memory for them; by default every
	// decision is kept, for a chart.
	LastOnly bool
}

// Replay feeds m the two groups' series merged by timestamp (MergePoints),
// one look per time either group has, in time order, as a live feed would
// have delivered them, until the first stop. It returns the run: every
// look's decision (the last only, with opts.LastOnly) and the Outcome (Stopped, Held, or Inconclusive when the
// series ended before the test could judge; Run.Err). A primed monitor
// (Prime, PrimeSeries) replays as primed.
//
// It returns an error, with the run so far, for a series that is invalid
// or a plain sample without timestamps, for a look Add refuses (a first
// look not after the history's end: ErrHistoryOverlap) and for an error
// from opts.OnDecision. Replay does not read files: series.ReadFile does.
func (m *Monitor) Replay(control, experiment series.Series, opts ReplayOptions) (Run, error) {
	run := Run{MinPoints: m.minPoints}
	for _, s := range []struct {
		name string
		s    series.Series
	}{{"control", control}, {"experiment", experiment}, {"baseline", opts.Baseline}} {
		if err := s.s.Validate(); err != nil {
			return run, fmt.Errorf("%s: %w", s.name, err)
		}
		if len(s.s.T) == 0 && len(s.s.V) > 0 {
			return run, fmt.Errorf("%s: has no timestamps; the monitor replays time series", s.name)
		}
	}
	var err error
	mergePoints(control, experiment, opts.Baseline, func(p Point) bool {
		var d Decision
		if d, err = m.Add(p); err != nil {
			return false
		}
		err = run.emit(d, !opts.LastOnly, opts.OnDecision)
		return err == nil && d.Action != Stop
	})
	return run, err
}

// MergePoints merges the groups' series by timestamp into the looks of a
// replay: one Point per time either control or experiment has, in time
// order, NaN for the group without a value then (so that a group that
// stops reporting is seen, and the no-data rule can fire). The baseline is
// taken where its time equals a look's; it adds no look. The series must
// be sorted by time (series.Series.Validate).
func MergePoints(control, experiment, baseline series.Series) []Point {
	var pts []Point
	mergePoints(control, experiment, baseline, func(p Point) bool {
		pts = append(pts, p)
		return true
	})
	return pts
}

// mergePoints hands yield the points of MergePoints one at a time, until
// yield returns false.
func mergePoints(ctl, exp, base series.Series, yield func(Point) bool) {
	i, j, k := 0, 0, 0
	for i < len(ctl.T) || j < len(exp.T) {
		t := int64(math.MaxInt64)
		if i < len(ctl.T) {
			t = ctl.T[i]
		}
		if j < len(exp.T) && exp.T[j] < t {
			t = exp.T[j]
		}
		p := Point{T: t, Control: math.NaN(), Experiment: math.NaN()}
		if i < len(ctl.T) && ctl.T[i] == t {
			p.Control = ctl.V[i]
			i++
		}
		if j < len(exp.T) && exp.T[j] == t {
			p.Experiment = exp.V[j]
			j++
		}
		for k < len(base.T) && base.T[k] < t {
			k++
		}
		if k < len(base.T) && base.T[k] == t {
			p.Baseline = base.V[k]
		}
		if !yield(p) {
			return
		}
	}
}
