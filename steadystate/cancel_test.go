package steadystate

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/chaosstat/chaosstat/series"
)

// doneAfter is a context whose Err is nil for its first `live` calls and
// context.Canceled after: it stops a computation at a chosen look at its
// context, deterministically.
type doneAfter struct {
	context.Context
	live, calls int
}

func (c *doneAfter) Err() error {
	if c.calls++; c.calls > c.live {
		return context.Canceled
	}
	return nil
}

// TestJudgeContext: a done context stops the judging with an error
// wrapping its reason, before the first metric and inside a quantile
// test's bootstrap; a live one gives Judge's verdict.
func TestJudgeContext(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// Two metrics at 0.99999: 8·2/0.00001 = 1,600,000 resamples, so the
	// bootstrap looks at ctx 98 times.
	h := Hypothesis{Confidence: 0.99999, Metrics: []Metric{
		{Name: "mean", Test: WelchTest},
		{Name: "p99", Test: QuantileTest, Quantile: 0.99},
	}}
	x, y := judgeNormal(rng, 5000, 100, 10), judgeNormal(rng, 5000, 100, 10)
	d := Data{Control: series.Series{V: x}, Experiment: series.Series{V: y}}
	data := []Data{d, d}

	for _, c := range []struct {
		name, reason string
		live         int
	}{
		{"before", "done before the first metric", 0},
		{"bootstrap", "done at the bootstrap's second look (JudgeContext's two looks and the bootstrap's first are live)", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := &doneAfter{Context: context.Background(), live: c.live}
			v, err := JudgeContext(ctx, h, data)
			if !errors.Is(err, context.Canceled) || v.Metrics != nil {
				t.Fatalf("%s: verdict with %d metrics, err %v; want none, context.Canceled", c.reason, len(v.Metrics), err)
			}
			// JudgeContext's two looks, the bootstrap's two and the one after
			// the loop: a bootstrap that ran on would look 98 times.
			if c.live > 0 && ctx.calls > c.live+2 {
				t.Errorf("%s: %d looks at the context, want the bootstrap stopped at its first done one", c.reason, ctx.calls)
			}
		})
	}

	want, err := Judge(h, data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := JudgeContext(context.Background(), h, data)
	if err != nil {
		t.Fatal(err)
	}
	var wb, gb bytes.Buffer
	if err := want.WriteText(&wb); err != nil {
		t.Fatal(err)
	}
	if err := got.WriteText(&gb); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gb.Bytes(), wb.Bytes()) {
		t.Errorf("JudgeContext's verdict differs from Judge's:\n%s\nwant\n%s", gb.Bytes(), wb.Bytes())
	}
}
