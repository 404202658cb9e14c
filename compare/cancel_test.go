package compare

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// TestAAContextStops cancels the replay from inside its comparison, at the
// first call, in the windows' pass, midway and late (a cancel after the last
// look at the context lets the replay finish), and checks that
// it stops within mdeCheckEvery more comparisons with an error wrapping
// context.Canceled. Counting comparisons instead of timing them keeps the
// test deterministic.
func TestAAContextStops(t *testing.T) {
	e, c := readAA(t, "wandering")
	opts := AAOptions{Counts: true, Planned: 30 * time.Minute, Ratio: Ratio{2, 2}}
	var calls int
	counting := func(x, y []float64, o Options) (Result, error) {
		calls++
		return MannWhitneyU(x, y, o)
	}
	opts.Test = counting
	if _, err := AA(e, c, opts); err != nil {
		t.Fatal(err)
	}
	total := calls
	if total < 4*mdeCheckEvery {
		t.Fatalf("%d comparisons in all: too few to tell a prompt stop", total)
	}
	for _, tc := range []struct {
		name     string
		cancelAt int
	}{
		{"first comparison", 1},
		{"5m windows", 2000}, // the first length's pass: 4,032 windows
		{"midway", total / 2},
		{"late", total - 2*mdeCheckEvery},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calls = 0
			o := opts
			o.Test = func(x, y []float64, to Options) (Result, error) {
				if calls++; calls == tc.cancelAt {
					cancel()
				}
				return MannWhitneyU(x, y, to)
			}
			r, err := AAContext(ctx, e, c, o)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled at comparison %d of %d: err %v, want context.Canceled", tc.cancelAt, total, err)
			}
			if r.Lengths != nil {
				t.Errorf("a stopped replay returned %d lengths", len(r.Lengths))
			}
			if after := calls - tc.cancelAt; after > mdeCheckEvery {
				t.Errorf("cancelled at comparison %d: %d more ran, want at most %d", tc.cancelAt, after, mdeCheckEvery)
			}
		})
	}
}

// TestAAContextDeadline: a context past its deadline stops the replay
// before any window, with an error wrapping context.DeadlineExceeded, and
// RunAAContext passes it on.
func TestAAContextDeadline(t *testing.T) {
	e, c := readAA(t, "wandering")
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if _, err := AAContext(ctx, e, c, AAOptions{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("AAContext: err %v, want context.DeadlineExceeded", err)
	}
	_, err := RunAAContext(ctx, Group{Series: e}, Group{Series: c}, Test{}, AAOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("RunAAContext: err %v, want context.DeadlineExceeded", err)
	}
}

// TestAAContextSameReport: with a live context the report is RunAA's, byte
// for byte.
func TestAAContextSameReport(t *testing.T) {
	e, c := readAA(t, "wandering")
	opts := AAOptions{Counts: true, Planned: 30 * time.Minute, Ratio: Ratio{2, 2}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	var want, got bytes.Buffer
	for _, run := range []struct {
		out *bytes.Buffer
		f   func() (AAReport, error)
	}{
		{&want, func() (AAReport, error) { return RunAA(Group{Series: e}, Group{Series: c}, Test{}, opts) }},
		{&got, func() (AAReport, error) { return RunAAContext(ctx, Group{Series: e}, Group{Series: c}, Test{}, opts) }},
	} {
		rep, err := run.f()
		if err != nil {
			t.Fatal(err)
		}
		if err := rep.WriteJSON(run.out); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("RunAAContext's report differs from RunAA's:\n%s\nwant\n%s", got.Bytes(), want.Bytes())
	}
}

// TestQuantileContext: a done context stops the bootstrap with an error
// wrapping its reason; a live one gives Quantile's result.
func TestQuantileContext(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, 2000), make([]float64, 2000)
	for i := range x {
		x[i], y[i] = rng.ExpFloat64(), rng.ExpFloat64()
	}
	opts := Options{Resamples: 3*quantileCheckEvery + 1}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := QuantileContext(canceled, x, y, 0.99, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v, want context.Canceled", err)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	if _, err := QuantileContext(past, x, y, 0.99, opts); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("past deadline: err %v, want context.DeadlineExceeded", err)
	}
	want, err := Quantile(x, y, 0.99, opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := QuantileContext(context.Background(), x, y, 0.99, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got.P != want.P || got.Shift != want.Shift || got.Statistic != want.Statistic {
		t.Errorf("QuantileContext = p %v %v, Quantile = p %v %v", got.P, got.Shift, want.P, want.Shift)
	}
}
