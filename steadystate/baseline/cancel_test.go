package baseline

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// TestCalibrateContext: a done context stops the calibration before the
// first week left out, with an error wrapping its reason, and JudgeContext
// passes it on instead of turning it into a warning; a live context gives
// Calibrate's result.
func TestCalibrateContext(t *testing.T) {
	// Eight weeks: fewer than heldOutMinWeeks, so every week is a rebuild.
	h := synthHistory(t, 8, time.Minute)
	b, err := New(h, Options{Weeks: 8})
	if err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if c, err := b.CalibrateContext(canceled, DeviationRule{}); !errors.Is(err, context.Canceled) || c != nil {
		t.Errorf("cancelled: %v, err %v; want nil, context.Canceled", c, err)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	if _, err := b.CalibrateContext(past, DeviationRule{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("past its deadline: err %v, want context.DeadlineExceeded", err)
	}

	want, err := b.Calibrate(DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.CalibrateContext(context.Background(), DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("CalibrateContext = %+v, Calibrate = %+v", got, want)
	}

	// The last day as current: Judge cuts it off the history.
	n := len(h.T)
	cur := series.Series{T: h.T[n-1440:], V: h.V[n-1440:]}
	if rep, err := JudgeContext(canceled, h, cur, Options{Weeks: 8}, DeviationRule{}); !errors.Is(err, context.Canceled) || rep != nil {
		t.Errorf("JudgeContext cancelled: report %v, err %v; want nil, context.Canceled", rep != nil, err)
	}
}
