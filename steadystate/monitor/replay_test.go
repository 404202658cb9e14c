package monitor

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// readTestdata reads one of testdata's series files (README.md there).
func readTestdata(t *testing.T, name string) series.Series {
	t.Helper()
	s, err := series.ReadFile("testdata/"+name, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMergePoints(t *testing.T) {
	nan := math.NaN()
	ser := func(ts []int64, vs ...float64) series.Series { return series.Series{T: ts, V: vs} }
	for _, c := range []struct {
		name, reason   string
		ctl, exp, base series.Series
		want           []Point
	}{
		{
			name: "same times", reason: "the usual replay: one look per shared time",
			ctl: ser([]int64{1, 2}, 10, 11), exp: ser([]int64{1, 2}, 20, 21),
			want: []Point{{T: 1, Control: 10, Experiment: 20}, {T: 2, Control: 11, Experiment: 21}},
		},
		{
			name: "one group stops", reason: "a time only the control has is a look with the experiment missing, so the no-data rule can see it",
			ctl: ser([]int64{1, 2, 3}, 10, 11, 12), exp: ser([]int64{1}, 20),
			want: []Point{{T: 1, Control: 10, Experiment: 20}, {T: 2, Control: 11, Experiment: nan}, {T: 3, Control: 12, Experiment: nan}},
		},
		{
			name: "interleaved", reason: "times of either group are merged in order",
			ctl: ser([]int64{1, 3}, 10, 12), exp: ser([]int64{2, 3}, 21, 22),
			want: []Point{{T: 1, Control: 10, Experiment: nan}, {T: 2, Control: nan, Experiment: 21}, {T: 3, Control: 12, Experiment: 22}},
		},
		{
			name: "baseline", reason: "the baseline is taken where its time equals a look's and adds no look of its own",
			ctl: ser([]int64{2, 4}, 10, 11), exp: ser([]int64{2, 4}, 20, 21), base: ser([]int64{1, 2, 3, 5}, 7, 8, 9, 10),
			want: []Point{{T: 2, Control: 10, Experiment: 20, Baseline: 8}, {T: 4, Control: 11, Experiment: 21}},
		},
		{
			name: "empty", reason: "no times, no looks",
			want: nil,
		},
	} {
		got := MergePoints(c.ctl, c.exp, c.base)
		if !pointsEqual(got, c.want) {
			t.Errorf("%s (%s): got %v, want %v", c.name, c.reason, got, c.want)
		}
	}
}

// pointsEqual compares points with NaN equal to NaN.
func pointsEqual(a, b []Point) bool {
	if len(a) != len(b) {
		return false
	}
	same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	for i := range a {
		if a[i].T != b[i].T || !same(a[i].Control, b[i].Control) || !same(a[i].Experiment, b[i].Experiment) || !same(a[i].Baseline, b[i].Baseline) {
			return false
		}
	}
	return true
}

// TestReplay: Replay gives what feeding MergePoints' points to Add one by
// one gives, up to the first stop, with the outcome of the run; on the
// testdata's drop hour (a 15% drop from 12:20, README.md) the one-sided
// test stops it, two hours of A/A hold, and a run shorter than the burn-in
// is inconclusive.
func TestReplay(t *testing.T) {
	dropC, dropE := readTestdata(t, "drop_control.csv"), readTestdata(t, "drop_experiment.csv")
	aaC, aaE := readTestdata(t, "aa_control.csv"), readTestdata(t, "aa_experiment.csv")
	short := func(s series.Series) series.Series { return s.Window(s.T[0], s.T[5]) }
	for _, c := range []struct {
		name     string
		ctl, exp series.Series
		want     Outcome
	}{
		{"drop", dropC, dropE, Stopped},
		{"aa", aaC, aaE, Held},
		{"short", short(aaC), short(aaE), Inconclusive},
	} {
		cfg := Config{Direction: steadystate.Decrease}
		m, _ := New(cfg)
		var streamed []Decision
		run, err := m.Replay(c.ctl, c.exp, ReplayOptions{OnDecision: func(d Decision) error {
			streamed = append(streamed, d)
			return nil
		}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := addUntilStop(t, cfg, MergePoints(c.ctl, c.exp, series.Series{})) // the same by hand
		if !reflect.DeepEqual(decisionStrings(run.Decisions), decisionStrings(want)) {
			t.Errorf("%s: Replay's decisions differ from Add's", c.name)
		}
		if !reflect.DeepEqual(decisionStrings(streamed), decisionStrings(want)) {
			t.Errorf("%s: OnDecision saw %d decisions, want %d", c.name, len(streamed), len(want))
		}
		if run.Outcome != c.want {
			t.Errorf("%s: outcome %v, want %v", c.name, run.Outcome, c.want)
		}
		// LastOnly: the same run, with only its last decision kept.
		m, _ = New(cfg)
		lastOnly, err := m.Replay(c.ctl, c.exp, ReplayOptions{LastOnly: true})
		if err != nil {
			t.Fatalf("%s: LastOnly: %v", c.name, err)
		}
		if !reflect.DeepEqual(decisionStrings(lastOnly.Decisions), decisionStrings(want[len(want)-1:])) ||
			lastOnly.Outcome != run.Outcome || lastOnly.Looks != run.Looks || lastOnly.N != run.N {
			t.Errorf("%s: LastOnly kept %d decisions, outcome %v; want the last of %d, %v", c.name, len(lastOnly.Decisions), lastOnly.Outcome, len(want), run.Outcome)
		}
		last := want[len(want)-1]
		if run.Looks != last.Looks || run.N != last.N || run.MinPoints != DefaultMinPoints {
			t.Errorf("%s: run looks %d n %d min %d, want %d %d %d", c.name, run.Looks, run.N, run.MinPoints, last.Looks, last.N, DefaultMinPoints)
		}
		err = run.Err()
		if (err != nil) != (c.want == Inconclusive) {
			t.Errorf("%s: Err %v for outcome %v", c.name, err, run.Outcome)
		}
		if c.want == Inconclusive {
			// 5 looks of the short run (Window is half-open: T[0] to T[4]), all
			// complete pairs; the default burn-in of 10.
			if !errors.Is(err, ErrTooFewPairs) || err.Error() != "the run ended with 5 complete pairs, fewer than the 10 the test needs to judge" {
				t.Errorf("%s: Err %q", c.name, err)
			}
		}
	}
}

// addUntilStop feeds pts to a new monitor of cfg with Add up to the first
// stop and returns the decisions.
func addUntilStop(t *testing.T, cfg Config, pts []Point) []Decision {
	t.Helper()
	m, _ := New(cfg)
	var ds []Decision
	for _, p := range pts {
		d, err := m.Add(p)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
		if d.Action == Stop {
			break
		}
	}
	return ds
}

// decisionStrings is a comparable form of decisions (Warnings are errors).
func decisionStrings(ds []Decision) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		b, _ := d.MarshalJSON()
		out[i] = string(b)
	}
	return out
}

func TestReplayErrors(t *testing.T) {
	aaC, aaE := readTestdata(t, "aa_control.csv"), readTestdata(t, "aa_experiment.csv")
	stop := errors.New("consumer gone")
	for _, c := range []struct {
		name, reason string
		ctl, exp     series.Series
		opts         ReplayOptions
		want         string // in the error
		looks        int    // decisions in the run returned with it
	}{
		{name: "plain sample", reason: "a sample without timestamps has no times to replay",
			ctl: series.Series{V: []float64{1, 2, 3}}, exp: aaE, want: "control: has no timestamps"},
		{name: "unsorted", reason: "an invalid series is refused, not replayed out of order",
			ctl: aaC, exp: series.Series{T: []int64{2, 1}, V: []float64{1, 2}}, want: "experiment: series"},
		{name: "consumer error", reason: "an error from OnDecision ends the replay after that decision",
			ctl: aaC, exp: aaE, opts: ReplayOptions{OnDecision: func(d Decision) error {
				if d.Looks == 3 {
					return stop
				}
				return nil
			}}, want: "consumer gone", looks: 3},
	} {
		m, _ := New(Config{})
		run, err := m.Replay(c.ctl, c.exp, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s (%s): error %v, want one containing %q", c.name, c.reason, err, c.want)
		}
		if len(run.Decisions) != c.looks {
			t.Errorf("%s: %d decisions with the error, want %d", c.name, len(run.Decisions), c.looks)
		}
	}
}

// TestPrimeSeries: PrimeSeries primes as Prime does with the merged
// values, and a run whose first look is not after the history's last time
// is refused with ErrHistoryOverlap (the message the CLI prints).
func TestPrimeSeries(t *testing.T) {
	hc, he := readTestdata(t, "history_control.csv"), readTestdata(t, "history_experiment.csv")
	dropC, dropE := readTestdata(t, "drop_control.csv"), readTestdata(t, "drop_experiment.csv")
	m, _ := New(Config{Direction: steadystate.Decrease})
	if err := m.PrimeSeries(hc, he); err != nil {
		t.Fatal(err)
	}
	ref, _ := New(Config{Direction: steadystate.Decrease})
	var c, e []float64
	for _, p := range MergePoints(hc, he, series.Series{}) {
		c, e = append(c, p.Control), append(e, p.Experiment)
	}
	if err := ref.Prime(c, e); err != nil {
		t.Fatal(err)
	}
	got, err := m.Replay(dropC, dropE, ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ref.Replay(dropC, dropE, ReplayOptions{})
	if !reflect.DeepEqual(decisionStrings(got.Decisions), decisionStrings(want.Decisions)) {
		t.Error("PrimeSeries and Prime of the merged values replay differently")
	}

	// The A/A hours 12:00-13:59 as history of the drop hour from 12:00.
	m, _ = New(Config{})
	if err := m.PrimeSeries(readTestdata(t, "aa_control.csv"), readTestdata(t, "aa_experiment.csv")); err != nil {
		t.Fatal(err)
	}
	_, err = m.Replay(dropC, dropE, ReplayOptions{})
	if !errors.Is(err, ErrHistoryOverlap) || err.Error() != "the run's first look at 2026-11-26T12:00:00Z is not after the history's last time 2026-11-26T13:59:00Z: the history must come before the experiment" {
		t.Errorf("overlapping history: %v", err)
	}
	m, _ = New(Config{})
	if err := m.PrimeSeries(series.Series{V: []float64{1, 2}}, he); err == nil {
		t.Error("a plain sample as history: no error")
	}
}
