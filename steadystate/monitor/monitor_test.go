package monitor

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/steadystate"
)

func TestMixingRatio(t *testing.T) {
	// R 4.2.2: b <- 2*log(1/0.05)/sqrt(360); pnorm(-b)/(dnorm(b)/b - pnorm(-b))
	approx.Close(t, "MixingRatio(0.05, 360)", MixingRatio(0.05, 360), 0.455400989449083, 1e-12, 0)
	// R 4.2.2: the same with alpha 0.025, the whole-run test's share.
	approx.Close(t, "MixingRatio(0.025, 360)", MixingRatio(0.025, 360), 0.578677104717365, 1e-12, 0)
}

func TestLogLambdaVector(t *testing.T) {
	// The mSPRT statistic of Johari et al. (KDD 2017), checked in R 4.2.2:
	// V=2; n=1000; t2=0.01; d=0.1; sqrt(V/(V+n*t2))*exp(n^2*t2*d^2/(2*V*(V+n*t2)))
	// = 3.27872162752639. tau^2/V = 0.005; df huge: no t correction.
	m, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "Lambda", math.Exp(m.logLambda(0.1, 1000, 2, 1e9, 0.005)), 3.27872162752639, 1e-12, 0)
	// One-sided: 2 Lambda Phi(-s z sqrt(r/(1+r))), z = 0.1 sqrt(1000/2),
	// r = 5. R 4.2.2: 2*3.27872162752639*pnorm(0.1*sqrt(500)*sqrt(5/6)) = 6.4222719449558
	md, _ := New(Config{Direction: steadystate.Increase})
	approx.Close(t, "Lambda increase", math.Exp(md.logLambda(0.1, 1000, 2, 1e9, 0.005)), 6.4222719449558, 1e-12, 0)
	// steadystate.Decrease: the same difference is in the harmless direction, R 4.2.2:
	// 2*3.27872162752639*pnorm(-0.1*sqrt(500)*sqrt(5/6)) = 0.135171310
	mdec, _ := New(Config{Direction: steadystate.Decrease})
	approx.Close(t, "Lambda decrease", math.Exp(mdec.logLambda(0.1, 1000, 2, 1e9, 0.005)), 2*3.27872162752639-6.4222719449558, 1e-9, 0)
}

// TestTUpper checks the t quantile against scipy over the degrees of
// freedom and tails the confidence sequences use. (gonum's
// StudentsT.Quantile is off by up to 4e-7 relative at q = 1e-9.)
func TestTUpper(t *testing.T) {
	// scipy 1.10.1: scipy.stats.t.isf(q, df)
	for _, c := range []struct{ df, q, want float64 }{
		{1, 0.1, 3.077683537207806},
		{1, 0.01, 31.820515953757607},
		{1, 0.001, 318.3088389855422},
		{1, 0.0001, 3183.098757153359},
		{1, 1e-06, 318309.88618278794},
		{1, 1e-09, 318309886.1837907},
		{1.3, 0.1, 2.425947410794574},
		{1.3, 0.01, 15.269323764121019},
		{1.3, 0.001, 89.92242898205951},
		{1.3, 0.0001, 528.594238021885},
		{1.3, 1e-06, 18263.527625272367},
		{1.3, 1e-09, 3709172.020144585},
		{2, 0.1, 1.88561808316415},
		{2, 0.01, 6.9645567187558575},
		{2, 0.001, 22.32712476997543},
		{2, 0.0001, 70.70007107496495},
		{2, 1e-06, 707.1057205259351},
		{2, 1e-09, 22360.679741406886},
		{2.7, 0.1, 1.688108175146642},
		{2.7, 0.01, 4.9698320497609325},
		{2.7, 0.001, 12.060324543089914},
		{2.7, 0.0001, 28.46469880796491},
		{2.7, 1e-06, 156.89075300913962},
		{2.7, 1e-09, 2026.4089543685016},
		{4, 0.1, 1.5332062737131438},
		{4, 0.01, 3.7469473879811375},
		{4, 0.001, 7.17318221491777},
		{4, 0.0001, 13.033671721107137},
		{4, 1e-06, 41.577854150453575},
		{4, 1e-09, 234.02761039780557},
		{8, 0.1, 1.3968153097434188},
		{8, 0.01, 2.896459442760523},
		{8, 0.001, 4.500790933725045},
		{8, 0.0001, 6.441999822604703},
		{8, 1e-06, 12.109834665879768},
		{8, 1e-09, 29.28932111822569},
		{15, 0.1, 1.3406056078504547},
		{15, 0.01, 2.6024802949954933},
		{15, 0.001, 3.7328344185334386},
		{15, 0.0001, 4.879998288424519},
		{15, 1e-06, 7.46438494180922},
		{15, 1e-09, 12.692733381697197},
		{40, 0.1, 1.3030770519445045},
		{40, 0.01, 2.423256779334857},
		{40, 0.001, 3.306877714085111},
		{40, 0.0001, 4.094207102684713},
		{40, 1e-06, 5.553969740202752},
		{40, 1e-09, 7.704012082029555},
		{50, 0.1, 1.2987136939791875},
		{50, 0.01, 2.4032719179351685},
		{50, 0.001, 3.2614090557982354},
		{50, 0.0001, 4.014047320150331},
		{50, 1e-06, 5.376673400296302},
		{50, 1e-09, 7.305270603258759},
		{100, 0.1, 1.2900747613398766},
		{100, 0.01, 2.364217365904738},
		{100, 0.001, 3.1737394889844106},
		{100, 0.0001, 3.861599790950053},
		{100, 1e-06, 5.048830877226452},
		{100, 1e-09, 6.598939820233723},
		{200, 0.1, 1.2857987939945952},
		{200, 0.01, 2.3451370822490754},
		{200, 0.001, 3.131479814073207},
		{200, 0.0001, 3.789120787853336},
		{200, 1e-06, 4.897302092364195},
		{200, 1e-09, 6.286347426851752},
		{5000, 0.1, 1.2817209053357181},
		{5000, 0.01, 2.3270939177333476},
		{5000, 0.001, 3.0918631199609816},
		{5000, 0.0001, 3.721776168336778},
		{5000, 1e-06, 4.759037953505099},
		{5000, 1e-09, 6.008912704518376},
	} {
		// Newton below df 50: the accuracy of gonum's CDF; the expansion
		// from df 50 on: 1e-4 (tUpper's doc).
		rtol := 1e-8
		if c.df >= 50 {
			rtol = 1e-4
		}
		approx.Close(t, fmt.Sprintf("tUpper(%g, %g)", c.q, c.df), tUpper(c.q, c.df), c.want, rtol, 0)
	}
}

func minute(i int) int64 {
	return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).UnixMilli()
}

func TestMonitorGuardrails(t *testing.T) {
	m, err := New(Config{Direction: steadystate.Decrease, Guardrails: append(MaxChangeGuardrails(steadystate.Decrease, 0.2, 3),
		Guardrail{Name: "floor", Of: ExperimentValue, Bound: Below, Limit: 10})})
	if err != nil {
		t.Fatal(err)
	}
	// Two points 30% down, a missing one (does not reset), then a third: stop.
	vals := []struct{ c, e float64 }{{100, 100}, {100, 70}, {100, 70}, {100, math.NaN()}, {100, 75}}
	var d Decision
	for i, v := range vals {
		d, err = m.Add(Point{T: minute(i), Control: v.c, Experiment: v.e})
		if err != nil {
			t.Fatal(err)
		}
		if i < 4 && d.Action != Continue {
			t.Fatalf("point %d: %v, want continue", i, d)
		}
	}
	if d.Action != Stop || d.Cause != CauseGuardrail || !strings.Contains(d.Reason, "drop beyond 20% of control") {
		t.Fatalf("got %v (cause %v), want a stop by the max-drop guardrail", d, d.Cause)
	}
	// Latched: a good point afterwards still says stop, with the first reason.
	d, _ = m.Add(Point{T: minute(5), Control: 100, Experiment: 100})
	if d.Action != Stop || !strings.HasPrefix(d.Reason, "stopped at 2026-11-26T12:04:00Z: guardrail") {
		t.Errorf("after the stop: %v", d)
	}

	// An absolute floor fires at once.
	m, _ = New(Config{Guardrails: []Guardrail{{Name: "floor", Of: ExperimentValue, Bound: Below, Limit: 10}}})
	d, _ = m.Add(Point{T: minute(0), Control: 100, Experiment: 5})
	if d.Action != Stop || d.Cause != CauseGuardrail {
		t.Errorf("floor: %v", d)
	}
	// Against the baseline.
	m, _ = New(Config{Guardrails: []Guardrail{{Of: RelativeToBaseline, Bound: Below, Limit: -0.25}}})
	d, _ = m.Add(Point{T: minute(0), Control: 70, Experiment: 70, Baseline: 100})
	if d.Action != Stop || d.Baseline != 100 {
		t.Errorf("baseline: %v", d)
	}
}

func TestMonitorNoData(t *testing.T) {
	m, _ := New(Config{MaxGap: 5 * time.Minute})
	for i := range 3 {
		if d, _ := m.Add(Point{T: minute(i), Control: 100, Experiment: 100}); d.Action != Continue {
			t.Fatalf("%v", d)
		}
	}
	// The experiment goes silent (NaN) while the control keeps coming: the
	// sixth silent minute is beyond the 5-minute gap.
	var d Decision
	for i := 3; i <= 8; i++ {
		d, _ = m.Add(Point{T: minute(i), Control: 100, Experiment: math.NaN()})
		if i < 8 && d.Action != Continue {
			t.Fatalf("minute %d: %v", i, d)
		}
	}
	if d.Action != Stop || d.Cause != CauseNoData || !strings.Contains(d.Reason, "no experiment data for 6m0s") {
		t.Fatalf("got %v", d)
	}
	if d.Looks != 9 || d.N != 3 {
		t.Errorf("looks %d n %d, want 9 and 3", d.Looks, d.N)
	}

	// A feed that stops altogether: Check at a later time says so.
	m, _ = New(Config{})
	m.Add(Point{T: minute(0), Control: 1, Experiment: 1})
	if d := m.Check(minute(5)); d.Action != Continue {
		t.Errorf("5 minutes: %v", d)
	}
	if d := m.Check(minute(6)); d.Action != Stop || d.Cause != CauseNoData || !strings.Contains(d.Reason, "no experiment data for 6m0s") || !strings.Contains(d.Reason, "no control data for 6m0s") {
		t.Errorf("6 minutes: %v", d)
	}
}

func TestMonitorErrors(t *testing.T) {
	m, _ := New(Config{})
	m.Add(Point{T: minute(1), Control: 1, Experiment: 1})
	if _, err := m.Add(Point{T: minute(1), Control: 1, Experiment: 1}); !errors.Is(err, ErrOutOfOrder) {
		t.Errorf("same time: %v", err)
	}
	if _, err := m.Add(Point{T: minute(2), Control: math.Inf(1), Experiment: 1}); err == nil {
		t.Errorf("infinite value: no error")
	}
	for _, c := range []struct {
		cfg   Config
		field string
	}{
		{Config{Alpha: 1}, "alpha"},
		{Config{Alpha: -0.1}, "alpha"},
		{Config{Horizon: -1}, "horizon"},
		{Config{MinPoints: 2}, "min_points"},
		{Config{Direction: 7}, "direction"},
		{Config{Scale: 3}, "scale"},
		{Config{Guardrails: []Guardrail{{Limit: math.NaN()}}}, "guardrails[0].limit"},
		{Config{Guardrails: []Guardrail{{Bound: 4}}}, "guardrails[0].bound"},
		{Config{Guardrails: []Guardrail{{For: -1}}}, "guardrails[0].for"},
		// LimitGuardrails(5, 3, 1): below 5 or above 3 covers every value.
		{Config{Guardrails: LimitGuardrails(5, 3, 1)}, "guardrails[1].limit"},
		{Config{Guardrails: LimitGuardrails(4, 4, 1)}, "guardrails[1].limit"},
		// The same crossing, Above first, after a guardrail on another quantity.
		{Config{Guardrails: append(MaxChangeGuardrails(steadystate.Decrease, 0.2, 3),
			Guardrail{Of: ExperimentValue, Bound: Above, Limit: 1}, Guardrail{Of: ExperimentValue, Bound: Below, Limit: 2})}, "guardrails[2].limit"},
	} {
		_, err := New(c.cfg)
		var fe *steadystate.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: error %v, want one for field %s", c.cfg, err, c.field)
		}
	}
	// Limits that leave a band, and a Below and an Above on different
	// quantities whatever their limits, are fine.
	for _, gs := range [][]Guardrail{LimitGuardrails(3, 5, 1), append(MaxChangeGuardrails(steadystate.Either, 0.2, 3), LimitGuardrails(-1, -2, 1)[0])} {
		if _, err := New(Config{Guardrails: gs}); err != nil {
			t.Errorf("%+v: %v", gs, err)
		}
	}
}

// TestMonitorLogRatioNonPositive: on the log-ratio scale a zero is left out
// of the test with a warning, and counts as missing for the no-data rule:
// an experiment whose throughput falls to zero is stopped after MaxGap even
// without a guardrail.
func TestMonitorLogRatioNonPositive(t *testing.T) {
	m, _ := New(Config{})
	d, _ := m.Add(Point{T: minute(0), Control: 100, Experiment: 100})
	for i := 1; i <= 6; i++ {
		d, _ = m.Add(Point{T: minute(i), Control: 100, Experiment: 0})
		if i < 6 && d.Action != Continue {
			t.Fatalf("minute %d: %v", i, d)
		}
	}
	if d.N != 1 || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Error(), "6 pairs with a value <= 0") {
		t.Errorf("got n=%d warnings %v", d.N, d.Warnings)
	}
	if d.Action != Stop || d.Cause != CauseNoData || !strings.Contains(d.Reason, "values <= 0 count as missing") {
		t.Errorf("got %v", d)
	}
	// On the difference scale a zero is a value like any other.
	m, _ = New(Config{Scale: Difference})
	for i := 0; i <= 6; i++ {
		d, _ = m.Add(Point{T: minute(i), Control: 100, Experiment: 0})
	}
	if d.N != 7 || d.Cause == CauseNoData {
		t.Errorf("difference scale: %v", d)
	}
}

// TestMonitorBurnIn: no test stop before MinPoints pairs, however large the
// difference, and P is 1 until then.
func TestMonitorBurnIn(t *testing.T) {
	m, _ := New(Config{MinPoints: 5, Direction: steadystate.Decrease})
	for i := range 5 {
		d, _ := m.Add(Point{T: minute(i), Control: 100 + float64(i%2), Experiment: 50 + float64(i%3)})
		if i < 4 && (d.Action != Continue || d.P != 1 || !strings.HasPrefix(d.Reason, "burn-in")) {
			t.Fatalf("point %d: %v", i, d)
		}
		if i == 4 && (d.Action != Stop || d.Cause != CauseTest) {
			t.Fatalf("after the burn-in: %v", d)
		}
		// The whole-run test decided: no restarted window.
		if i == 4 && (d.Window.Start != 0 || !math.IsNaN(d.Window.Estimate)) {
			t.Errorf("window %+v, want none", d.Window)
		}
	}
}

// The simulations of the "must show", on the realistic model (see
// feedModel): a throughput metric, harm is a decrease.
const replays = 1000

// TestMonitorFalseStopRate: on 1,000 A/A replays of six hours with a look a
// minute (360 looks), the monitor stops at most alpha of them, within
// binomial error: the tolerance is 2 binomial standard errors,
// sqrt(0.05*0.95/1000) = 0.0069, so the rate must be <= 0.0638; for the
// one-sided test (harm is a decrease) and the two-sided one. Beside it, the
// naive repeated fixed-horizon tests at every look from the same burn-in
// on (a paired z-test of the differences taken as independent, Welch's t on
// the two groups' values), at the same alpha and sidedness, on the same
// replays: the test asserts the paired z stops at least 0.3 of them (the
// autocorrelation and 350 looks), and reports Welch's. The Difference scale
// is checked too, on 500 replays of the model without its daily cycle (the
// case it is for; tolerance 0.05 + 2 sqrt(0.05*0.95/500) = 0.0695). And the
// monitor primed with 120 and with 60 minutes of A/A history before the
// six hours (Monitor.Prime; the model's same process from 10:00 and 11:00),
// under the same limit.
func TestMonitorFalseStopRate(t *testing.T) {
	flat := realistic
	flat.cycle = 0
	for _, c := range []struct {
		dir   steadystate.Direction
		scale Scale
		model feedModel
		reps  int
		prime int
	}{
		{steadystate.Decrease, LogRatio, realistic, replays, 0},
		{steadystate.Either, LogRatio, realistic, replays, 0},
		{steadystate.Decrease, Difference, flat, 500, 0},
		{steadystate.Either, Difference, flat, 500, 0},
		{steadystate.Decrease, LogRatio, realistic, replays, 120},
		{steadystate.Either, LogRatio, realistic, replays, 120},
		{steadystate.Decrease, LogRatio, realistic, replays, 60},
		{steadystate.Either, LogRatio, realistic, replays, 60},
	} {
		// Each case has its own generator and buffers: the cases run in
		// parallel (each alone in its goroutine, as before).
		t.Run(fmt.Sprintf("%v_%v_primed%d", c.dir, c.scale, c.prime), func(t *testing.T) {
			t.Parallel()
			cfg := Config{Direction: c.dir, Scale: c.scale}
			rng := rand.New(rand.NewPCG(1, 2))
			mod := primed(c.model, c.prime)
			cv, ev := make([]float64, mod.minutes), make([]float64, mod.minutes)
			var stops, naive, welch int
			for range c.reps {
				mod.gen(rng, cv, ev)
				r := replay(cfg, c.prime, cv, ev)
				if r.stopAt >= 0 {
					stops++
				}
				if r.naiveAt >= 0 {
					naive++
				}
				if r.welchAt >= 0 {
					welch++
				}
			}
			n := float64(c.reps)
			rate := float64(stops) / n
			limit := 0.05 + 2*math.Sqrt(0.05*0.95/n)
			t.Logf("%v, %v, primed with %d minutes: A/A false-stop rate: monitor %.3f, naive paired z at every look %.3f, naive Welch at every look %.3f (alpha 0.05, %d replays)",
				c.dir, c.scale, c.prime, rate, float64(naive)/n, float64(welch)/n, c.reps)
			if rate > limit {
				t.Errorf("%v, %v, primed with %d minutes: monitor false-stop rate %.3f > alpha 0.05 + 2 SE (%.4f)", c.dir, c.scale, c.prime, rate, limit)
			}
			if float64(naive)/n < 0.3 {
				t.Errorf("%v, %v: naive paired z stopped %.3f of A/A replays; the point of the comparison is that it is far above alpha", c.dir, c.scale, float64(naive)/n)
			}
		})
	}
}

// primed returns the model m of a six-hour run from 12:00 preceded by prime
// minutes of pre-experiment history (A/A, the same model: the history runs
// from 12:00 - prime minutes), with a drop (if any) moved by prime.
func primed(m feedModel, prime int) feedModel {
	m.startMinute -= prime
	m.minutes += prime
	m.dropAt += prime
	return m
}

// TestMonitorPlainMSPRT: the check of whether a primed monitor could do
// without the t correction (the plain mSPRT of Johari et al., the z
// statistic taken as normal with the plug-in variance): on the A/A replays
// of TestMonitorFalseStopRate (same seed), primed with 120 minutes it holds
// alpha within binomial error (asserted, the same 2-SE limit), but primed
// with 60 minutes the two-sided rate exceeds it (measured 0.105; asserted
// above the limit, since that is the reason the correction stays: the
// restarted tests' extreme thresholds need a variance estimated from more
// than about 60 effective-size-reduced pairs). With the correction both
// hold (TestMonitorFalseStopRate).
//
// plainMSPRT is a package variable: this test must not call t.Parallel
// itself (another test would run with the switch on), but its cases, which
// only read it, run in parallel; t.Cleanup, not defer, turns it off after
// they have finished.
func TestMonitorPlainMSPRT(t *testing.T) {
	plainMSPRT = true
	t.Cleanup(func() { plainMSPRT = false })
	limit := 0.05 + 2*math.Sqrt(0.05*0.95/replays)
	for _, c := range []struct {
		dir   steadystate.Direction
		prime int
		holds bool
	}{{steadystate.Decrease, 120, true}, {steadystate.Either, 120, true}, {steadystate.Either, 60, false}} {
		t.Run(fmt.Sprintf("%v_primed%d", c.dir, c.prime), func(t *testing.T) {
			t.Parallel()
			mod := primed(realistic, c.prime)
			rng := rand.New(rand.NewPCG(1, 2))
			cv, ev := make([]float64, mod.minutes), make([]float64, mod.minutes)
			stops := 0
			for range replays {
				mod.gen(rng, cv, ev)
				if replay(Config{Direction: c.dir}, c.prime, cv, ev).stopAt >= 0 {
					stops++
				}
			}
			rate := float64(stops) / replays
			t.Logf("%v, primed with %d minutes, plain mSPRT (no t correction): A/A false-stop rate %.3f (limit %.4f)", c.dir, c.prime, rate, limit)
			if (rate <= limit) != c.holds {
				t.Errorf("%v, primed with %d minutes: plain mSPRT A/A rate %.3f; expected it %s the limit %.4f", c.dir, c.prime, rate, map[bool]string{true: "within", false: "above"}[c.holds], limit)
			}
		})
	}
}

// TestMonitorCoverage: the confidence sequence of the relative change
// covers the true change at every look at once in at least 1 - alpha of the
// runs, within binomial error (500 replays each; a miss is a run in which
// some look's interval, after the burn-in, excludes the truth; tolerance
// 0.05 + 2 sqrt(0.05*0.95/500) = 0.0695): A/A (truth 0) and a constant 5%
// drop of the experiment from the first minute (truth -0.05 exactly, on
// the log-ratio scale exp(log 0.95) - 1); each unprimed and primed with 120
// minutes of A/A history (the drop starting with the live looks).
func TestMonitorCoverage(t *testing.T) {
	for _, cc := range []struct {
		drop  float64
		prime int
	}{{0, 0}, {0.05, 0}, {0, 120}, {0.05, 120}} {
		t.Run(fmt.Sprintf("drop%.2f_primed%d", cc.drop, cc.prime), func(t *testing.T) {
			t.Parallel()
			drop := cc.drop
			mod := realistic
			mod.drop, mod.dropAt = drop, 0
			mod = primed(mod, cc.prime)
			rng := rand.New(rand.NewPCG(7, 8))
			c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
			const reps = 500
			miss := 0
			for range reps {
				mod.gen(rng, c, e)
				m, _ := New(Config{})
				// The drop of a primed run starts with the live looks; the
				// history is A/A.
				hc, he := c[:cc.prime], e[:cc.prime]
				if cc.prime > 0 {
					for i := range he {
						he[i] /= 1 - drop
					}
					if err := m.Prime(hc, he); err != nil {
						t.Fatal(err)
					}
				}
				c, e := c[cc.prime:], e[cc.prime:]
				for i := range c {
					d, err := m.Add(Point{T: minute(i), Control: c[i], Experiment: e[i]})
					if err != nil {
						t.Fatal(err)
					}
					if d.Relative.Low > -drop || d.Relative.High < -drop {
						miss++
						break
					}
				}
			}
			rate := float64(miss) / reps
			t.Logf("drop %.2f, primed with %d minutes: the confidence sequence missed the truth at some look in %.3f of %d runs", drop, cc.prime, rate, reps)
			if limit := 0.05 + 2*math.Sqrt(0.05*0.95/reps); rate > limit {
				t.Errorf("drop %.2f: miss rate %.3f > %.4f", drop, rate, limit)
			}
		})
	}
}

// TestMonitorDetectsDrop: a 15% drop of the experiment from minute 20 is
// stopped within 10 minutes (at looks 20..29), on the realistic model. The
// issue asks for 95% of replays. The monitor as an on-call engineer runs it,
// primed with the groups' previous 120 minutes (A/A, Monitor.Prime), is
// held to 0.95 (measured 0.989 one-sided, 0.994 two-sided; 60 minutes of
// history, also held to 0.95: 0.990 and 0.982). Unprimed, the first 20
// minutes give a poor plug-in variance: measured 0.981 one-sided with this
// seed (0.904 before the restarted tests' early looks, 0.960 before their
// lighter t correction once the variance rests on three times the mean's
// pairs, earlyDFOf), held to that minus 3.5 binomial standard errors
// (sqrt(0.981*0.019/1000) = 0.0043): 0.966. Issue 14's target of 0.97 is
// shown by TestMonitorDropPhase's phase average (0.976 over 4,000 replays,
// s.e. 0.0024, with -monitor.shapes), not asserted here. The same
// drop from minute 200, unprimed (200 minutes of live data for the
// variance), is held to 0.95 (measured 0.966). The unprimed two-sided rates are logged beside them.
func TestMonitorDetectsDrop(t *testing.T) {
	for _, c := range []struct {
		dir   steadystate.Direction
		at    int
		prime int
		floor float64
	}{
		{steadystate.Decrease, 20, 0, 0.966}, {steadystate.Either, 20, 0, 0}, {steadystate.Decrease, 200, 0, 0.95}, {steadystate.Either, 200, 0, 0},
		{steadystate.Decrease, 20, 120, 0.95}, {steadystate.Either, 20, 120, 0.95}, {steadystate.Decrease, 20, 60, 0.95}, {steadystate.Either, 20, 60, 0.95},
	} {
		t.Run(fmt.Sprintf("%v_at%d_primed%d", c.dir, c.at, c.prime), func(t *testing.T) {
			t.Parallel()
			cfg := Config{Direction: c.dir}
			rng := rand.New(rand.NewPCG(5, 6))
			mod := realistic
			mod.minutes, mod.drop, mod.dropAt = c.at+10, 0.15, c.at
			mod = primed(mod, c.prime)
			cv, ev := make([]float64, mod.minutes), make([]float64, mod.minutes)
			var caught, early int
			delays := make([]int, 0, replays)
			for range replays {
				mod.gen(rng, cv, ev)
				r := replay(cfg, c.prime, cv, ev)
				switch {
				case r.stopAt >= c.at:
					caught++
					delays = append(delays, r.stopAt-c.at+1)
				case r.stopAt >= 0:
					early++
				}
			}
			slices.Sort(delays)
			rate := float64(caught) / replays
			t.Logf("%v, primed with %d minutes: 15%% drop from minute %d stopped within 10 minutes: %.3f of %d replays (%d stopped before the drop; median minutes to the stop when caught: %d)",
				c.dir, c.prime, c.at, rate, replays, early, delays[len(delays)/2])
			if rate < c.floor {
				t.Errorf("%v, primed with %d minutes, drop from minute %d: detection rate %.3f < %.3f", c.dir, c.prime, c.at, rate, c.floor)
			}
		})
	}
}

// TestLimitGuardrails: NaN leaves a side out; each side is an
// ExperimentValue guardrail with the sustain, named for the reason.
func TestLimitGuardrails(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		below, above float64
		want         []string
	}{
		{nan, nan, nil},
		{1700, nan, []string{"experiment below limit: experiment below 1700 for 3 points"}},
		{nan, 0.05, []string{"experiment above limit: experiment above 0.05 for 3 points"}},
		{1, 2, []string{"experiment below limit: experiment below 1 for 3 points", "experiment above limit: experiment above 2 for 3 points"}},
	} {
		var got []string
		for _, g := range LimitGuardrails(c.below, c.above, 3) {
			got = append(got, g.String())
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("LimitGuardrails(%v, %v, 3) = %q, want %q", c.below, c.above, got, c.want)
		}
	}
}
