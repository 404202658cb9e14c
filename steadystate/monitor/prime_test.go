package monitor

import (
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

// TestPrimeHistoryChange: a history whose groups were not alike for all
// of it (the experiment 6% higher over its second half) is warned of in
// every decision, with the change's time through PrimeSeries and its step
// through Prime; the testdata's clean history is not. What such a history
// costs the monitor is measured in internal/accuracy
// (TestMonitorPrimedHistoryChange).
func TestPrimeHistoryChange(t *testing.T) {
	hc, he := readTestdata(t, "history_control.csv"), readTestdata(t, "history_experiment.csv")
	dropC, dropE := readTestdata(t, "drop_control.csv"), readTestdata(t, "drop_experiment.csv")
	stepped := he
	stepped.V = append([]float64(nil), he.V...)
	for i := len(stepped.V) / 2; i < len(stepped.V); i++ {
		stepped.V[i] *= 1.06
	}
	warned := func(h series.Series, slices bool) string {
		t.Helper()
		m, _ := New(Config{Direction: steadystate.Decrease})
		if slices {
			var c, e []float64
			for _, p := range MergePoints(hc, h, series.Series{}) {
				c, e = append(c, p.Control), append(e, p.Experiment)
			}
			if err := m.Prime(c, e); err != nil {
				t.Fatal(err)
			}
		} else if err := m.PrimeSeries(hc, h); err != nil {
			t.Fatal(err)
		}
		run, err := m.Replay(dropC, dropE, ReplayOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var w string
		for i, d := range run.Decisions {
			var got string
			for _, e := range d.Warnings {
				if strings.Contains(e.Error(), "the history's differences") {
					got = e.Error()
				}
			}
			if i == 0 {
				w = got
			} else if got != w {
				t.Errorf("decision %d carries %q, the first %q: want the same in every decision", i, got, w)
				break
			}
		}
		return w
	}
	if w := warned(he, false); w != "" {
		t.Errorf("the testdata's clean history: warned %q", w)
	}
	// The shift's date is estimated (least squares), so only its form is
	// checked: a time, not a step number.
	w := warned(stepped, false)
	for _, want := range []string{"shift from", "to +6.", " at 2026-11-26T", "prime with a history of alike groups"} {
		if !strings.Contains(w, want) {
			t.Errorf("a history stepped 6%% from %s: warning %q, want it to contain %q", fmtMilli(he.T[len(he.T)/2]), w, want)
		}
	}
	if w := warned(stepped, true); !strings.Contains(w, "at step ") {
		t.Errorf("the same through Prime: warning %q, want the step named", w)
	}
	t.Logf("PrimeSeries: %s", w)
}
