package monitor

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/steadystate"
)

// TestMonitorPrimeNotEvidence: the history sets the variance but is not
// evidence. A history in which the experiment ran 20% below the control
// (say, a group of different size) followed by a live run with the groups
// equal must not stop, and the decision's N and means are the live pairs'
// only. And the history's variance is used from the first look after the
// burn-in: with a quiet history the same small live drop is stopped, with a
// noisy history (the same live data) it is not.
func TestMonitorPrimeNotEvidence(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	hc, he := make([]float64, 120), make([]float64, 120)
	for i := range hc {
		hc[i] = 1000 * math.Exp(0.01*rng.NormFloat64())
		he[i] = 800 * math.Exp(0.01*rng.NormFloat64())
	}
	m, _ := New(Config{Direction: steadystate.Decrease})
	if err := m.Prime(hc, he); err != nil {
		t.Fatal(err)
	}
	var d Decision
	for i := range 60 {
		var err error
		d, err = m.Add(Point{T: minute(i), Control: 1000 * math.Exp(0.01*rng.NormFloat64()), Experiment: 1000 * math.Exp(0.01*rng.NormFloat64())})
		if err != nil {
			t.Fatal(err)
		}
		if d.Action == Stop {
			t.Fatalf("look %d: a primed A/A run stopped on the history's offset: %s", i, d.Reason)
		}
	}
	if d.N != 60 || !(d.ExperimentMean > 950) {
		t.Errorf("N %d, experiment mean %v; want the 60 live pairs only (mean near 1000)", d.N, d.ExperimentMean)
	}

	// A 2% drop in live data with 1% noise per group: the quiet history's
	// variance (sd of the log ratio 1.4%) lets it stop; a history with 10%
	// noise does not.
	live := make([][2]float64, 15)
	for i := range live {
		live[i] = [2]float64{1000 * math.Exp(0.01*rng.NormFloat64()), 980 * math.Exp(0.01*rng.NormFloat64())}
	}
	for _, c := range []struct {
		sd   float64
		stop bool
	}{{0.01, true}, {0.1, false}} {
		for i := range hc {
			hc[i] = 1000 * math.Exp(c.sd*rng.NormFloat64())
			he[i] = 1000 * math.Exp(c.sd*rng.NormFloat64())
		}
		m, _ := New(Config{Direction: steadystate.Decrease})
		if err := m.Prime(hc, he); err != nil {
			t.Fatal(err)
		}
		var d Decision
		for i, p := range live {
			d, _ = m.Add(Point{T: minute(i), Control: p[0], Experiment: p[1]})
		}
		if (d.Action == Stop) != c.stop {
			t.Errorf("history noise %.2f: %v after 15 live pairs with a 2%% drop (%s); want stop %v", c.sd, d.Action, d.Reason, c.stop)
		}
	}
}

func TestMonitorPrimeErrors(t *testing.T) {
	ok := make([]float64, 40)
	noisy := make([]float64, 40)
	for i := range ok {
		ok[i] = 100
		noisy[i] = 100 + float64(i%3)
	}
	short := noisy[:29]
	withInf := append([]float64(nil), noisy...)
	withInf[7] = math.Inf(1)
	zeros := append([]float64(nil), noisy...)
	for i := range 15 {
		zeros[i] = 0
	}
	for _, c := range []struct {
		name   string
		scale  Scale
		c, e   []float64
		want   string
		reason string
	}{
		{"lengths", LogRatio, ok, noisy[:39], "40 control values but 39 experiment", "the pairs must line up"},
		{"short", LogRatio, short, short, "29 complete pairs", "fewer than DefaultMinPrime pairs say little about the variance"},
		{"inf", LogRatio, ok, withInf, "step 8 has an infinite value", "an infinite value is bad input, not missing"},
		{"nonpositive", LogRatio, ok, zeros, "25 complete pairs (values > 0", "values <= 0 have no log ratio and are not complete"},
		{"constant", Difference, ok, ok, "do not vary", "a constant history primes nothing"},
	} {
		m, _ := New(Config{Scale: c.scale})
		err := m.Prime(c.c, c.e)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s (%s): error %v; want one containing %q", c.name, c.reason, err, c.want)
		}
		if m.nh != 0 {
			t.Errorf("%s: a failed Prime changed the monitor", c.name)
		}
	}
	m, _ := New(Config{})
	if err := m.Prime(ok, noisy); err != nil {
		t.Fatal(err)
	}
	if err := m.Prime(ok, noisy); !errors.Is(err, ErrPrimeAfterStart) {
		t.Errorf("second Prime: %v; want ErrPrimeAfterStart", err)
	}
	m, _ = New(Config{})
	m.Add(Point{T: minute(0), Control: 1, Experiment: 1})
	if err := m.Prime(ok, noisy); !errors.Is(err, ErrPrimeAfterStart) {
		t.Errorf("Prime after Add: %v; want ErrPrimeAfterStart", err)
	}
}
