package criteria

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// crSeasonalAdjustDirect is crSeasonalAdjust as it was before commit
// bdc0877 (git show 757112b:steadystate/criteria/criteria_adjust.go), less
// its context checks, kept as the reference:
// each point's window values gathered afresh and their median taken by
// quickselect, n²/s·(2hw+1) work.
func crSeasonalAdjustDirect(x []float64, s, hw int) []float64 {
	n := len(x)
	out := make([]float64, n)
	buf := make([]float64, 0, 2*hw+1)
	for i := range out {
		out[i] = math.NaN()
		if math.IsNaN(x[i]) {
			continue
		}
		buf = buf[:0]
		for c := i % s; c < n; c += s {
			if c == i {
				continue
			}
			for k := max(0, c-hw); k <= min(n-1, c+hw); k++ {
				if !math.IsNaN(x[k]) {
					buf = append(buf, x[k])
				}
			}
		}
		if len(buf) <= hw {
			continue
		}
		out[i] = x[i] - crMedian(buf)
	}
	return out
}

// TestCrSeasonalAdjustMatchesDirect: the Fenwick-tree seasonal adjustment
// gives the direct medians' values bit for bit (NaN where they are NaN),
// on seeded series with gaps, runs of gaps, ties, negative values and
// zeros, short series (one or two seasons and a bit), seasons shorter than
// a window (overlapping windows) and half-widths from 0 up.
func TestCrSeasonalAdjustMatchesDirect(t *testing.T) {
	cases := []struct {
		name     string
		n, s, hw int
		missing  float64 // share of points missing at random
		gapRun   int     // a run of missing points this long in the middle
		levels   float64 // values rounded to this many levels (ties); 0: continuous
		wantSome bool    // expect at least one non-NaN output
	}{
		{"per-minute days, default window: what Evaluate runs", 3*1440 + 17, 1440, 15, 0, 0, 0, true},
		{"gaps at random and a run of an hour", 4*288 + 5, 288, 3, 0.2, 60, 0, true},
		{"heavy ties (5 levels), even and odd counts", 5*96 + 3, 96, 4, 0.1, 0, 5, true},
		{"two levels: nearly all ties", 3 * 50, 50, 2, 0, 0, 2, true},
		{"half-width 0: one value a season", 7 * 24, 24, 0, 0.3, 0, 0, true},
		{"season shorter than a window: windows overlap", 200, 5, 4, 0.1, 0, 10, true},
		{"season 1: every point is the same time of day", 60, 1, 2, 0.1, 0, 0, true},
		{"short: two seasons exactly", 2 * 30, 30, 3, 0, 0, 0, true},
		{"half-width beyond the series: fewer than hw+1 values, all NaN", 2 * 10, 10, 30, 0, 0, 0, false},
		{"series shorter than a season", 7, 10, 1, 0, 0, 0, false},
		{"most values missing", 6 * 40, 40, 5, 0.8, 0, 0, true},
		{"long run of gaps across a whole season", 5 * 60, 60, 4, 0.05, 70, 0, true},
	}
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for seed := range uint64(3) {
				rng := rand.New(rand.NewPCG(uint64(ci), seed))
				x := make([]float64, c.n)
				for i := range x {
					v := 10*math.Sin(2*math.Pi*float64(i)/float64(c.s)) + rng.NormFloat64()*3
					if c.levels > 0 {
						v = math.Round(v / 20 * c.levels)
					}
					x[i] = v
					if rng.Float64() < c.missing {
						x[i] = math.NaN()
					}
				}
				if c.gapRun > 0 {
					for i := c.n/2 - c.gapRun/2; i < c.n/2+c.gapRun/2 && i < c.n; i++ {
						x[max(0, i)] = math.NaN()
					}
				}
				want := crSeasonalAdjustDirect(x, c.s, c.hw)
				got, err := crSeasonalAdjust(context.Background(), x, c.s, c.hw)
				if err != nil {
					t.Fatal(err)
				}
				some := false
				for i := range want {
					// Bit for bit, NaN for NaN; a zero may differ in sign
					// only (ties of −0 and +0 are broken differently).
					same := math.Float64bits(got[i]) == math.Float64bits(want[i]) ||
						(math.IsNaN(got[i]) && math.IsNaN(want[i])) || (got[i] == 0 && want[i] == 0)
					if !same {
						t.Fatalf("seed %d: point %d of %d: %v, direct %v", seed, i, c.n, got[i], want[i])
					}
					some = some || !math.IsNaN(got[i])
				}
				if some != c.wantSome {
					t.Errorf("seed %d: some value adjusted: %v, want %v", seed, some, c.wantSome)
				}
			}
		})
	}
}

// crCountingCtx is a context that is done from its stop-th look at Err on.
type crCountingCtx struct {
	context.Context
	looks, stop int
}

func (c *crCountingCtx) Err() error {
	c.looks++
	if c.looks >= c.stop {
		return context.Canceled
	}
	return nil
}

// TestCrSeasonalAdjustContext: the seasonal adjustment looks at its
// context every crCheckEvery points, so a context done after a few looks
// stops it part way, with an error wrapping the context's.
func TestCrSeasonalAdjustContext(t *testing.T) {
	const n, s = 10 * 1440, 1440
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i % 97)
	}
	ctx := &crCountingCtx{Context: context.Background(), stop: 5}
	if _, err := crSeasonalAdjust(ctx, x, s, 15); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if want := 5; ctx.looks != want {
		t.Errorf("%d looks at the context, want %d (it stops at the first done one)", ctx.looks, want)
	}
	ctx = &crCountingCtx{Context: context.Background(), stop: n}
	if _, err := crSeasonalAdjust(ctx, x, s, 15); err != nil {
		t.Fatal(err)
	}
	if want := (n + crCheckEvery - 1) / crCheckEvery; ctx.looks != want {
		t.Errorf("%d looks at the context over %d points, want one every %d: %d", ctx.looks, n, crCheckEvery, want)
	}
}
