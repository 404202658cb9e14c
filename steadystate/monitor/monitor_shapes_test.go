package monitor

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/steadystate"
	"gonum.org/v1/gonum/stat/distuv"
)

// The issue-14 simulations of the monitor's early detection (BENCHMARKS.md,
// "Early detection on other data"). By default each runs a few hundred
// replays, a few seconds; -monitor.shapes runs the 1,000 replays per cell
// BENCHMARKS.md reports, and TestMonitorEarlyFrontier.
var shapesLong = flag.Bool("monitor.shapes", false, "run the issue-14 simulations of the monitor at 1,000 replays per cell, and TestMonitorEarlyFrontier (about 40 s on 2 cores)")

// shape is a data shape of the issue-14 simulations.
type shape struct {
	name  string
	model feedModel
}

// shapes returns the project's generator (realistic) and three shapes it
// does not make, each different from it in one way a real metric is:
//
//   - ar08: the AR(1) noise with rho 0.8 (a slow drift): under the white
//     counting noise the differences' lag-1 autocorrelation is only about
//     0.3 but decays slowly, a long-run variance 3.7 times the variance;
//   - heavy: the AR(1) noise's innovations Student t on 3 df (same SD);
//   - bursts: 400 a minute, a ±60% daily cycle and traffic bursts both
//     groups share (5% of minutes start one, mean +100%, decaying by 0.7 a
//     minute): counting noise that dominates and moves with the level.
func shapes() []shape {
	ar := realistic
	ar.rho = 0.8
	heavy := realistic
	heavy.tails = 3
	bursts := realistic
	bursts.level, bursts.cycle, bursts.burstRate, bursts.burstSize = 400, 0.6, 0.05, 1
	return []shape{{"generator", realistic}, {"ar08", ar}, {"heavy", heavy}, {"bursts", bursts}}
}

// dropFrom is the minute the experiment's 15% drop starts; the monitor
// must stop within 10 minutes, at looks dropFrom..dropFrom+9.
const dropFrom = 20

// stepStat returns, for the first dropFrom+10 minutes of c and e, the
// statistic of the fixed-horizon tests at minute 30 that know where the
// drop starts: s, the mean log ratio from minute 20 minus the mean before
// it, and its HAC t with the degrees of freedom an analyst would give it:
// Newey-West (compare.LongRunVariance, two fitted levels) of the 30
// differences centred by the two means, t on n/factor - 2 df.
func stepStat(c, e []float64) (s, t, df float64) {
	return stepStatAt(c, e, dropFrom)
}

// stepStatAt is stepStat with the split at minute from (the mean from it
// minus the mean before it, over the first dropFrom+10 minutes).
func stepStatAt(c, e []float64, from int) (s, t, df float64) {
	n := dropFrom + 10
	var pre, post float64
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Log(e[i]) - math.Log(c[i])
		if i < from {
			pre += x[i] / float64(from)
		} else {
			post += x[i] / float64(n-from)
		}
	}
	for i := range x {
		x[i] -= map[bool]float64{true: pre, false: post}[i < from]
	}
	lr := compare.LongRunVariance(x, compare.LongRunOptions{BiasLevels: 2})
	s = post - pre
	return s, s / math.Sqrt(lr.Variance*(1/float64(from)+1/float64(n-from))), math.Max(float64(n)/math.Max(lr.Factor(), 1)-2, 1)
}

// aaStops returns the number of reps A/A replays of mod (six hours) the
// monitor (unprimed, Decrease) stopped, and the looks it stopped at.
func aaStops(mod feedModel, rng *rand.Rand, reps int) (int, []int) {
	n, at, _ := aaStopsPrimed(mod, 0, rng, reps)
	return n, at
}

// aaStopsPrimed is aaStops for a monitor primed with prime minutes of A/A
// history before the six hours (primed); it also returns how many of the
// stops came from a restarted test rather than the whole-run test.
func aaStopsPrimed(mod feedModel, prime int, rng *rand.Rand, reps int) (int, []int, int) {
	mod = primed(mod, prime)
	c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
	var at []int
	restarted := 0
	for range reps {
		mod.gen(rng, c, e)
		if r := replay(Config{Direction: steadystate.Decrease}, prime, c, e); r.stopAt >= 0 {
			at = append(at, r.stopAt)
			if r.restarted {
				restarted++
			}
		}
	}
	return len(at), at, restarted
}

// dropCaught returns how many of reps replays of mod with a 15% drop from
// minute 20 the monitor stopped within 10 minutes, how many it stopped
// before the drop, and the minutes to the stop of those caught (sorted).
// keep, when not nil, is called with each replay's first 30 minutes.
func dropCaught(mod feedModel, rng *rand.Rand, reps int, keep func(c, e []float64)) (caught, early int, delays []int) {
	return dropCaughtPrimed(mod, 0, rng, reps, keep)
}

// dropCaughtPrimed is dropCaught for a monitor primed with prime minutes
// of A/A history before the run (keep then sees the history too).
func dropCaughtPrimed(mod feedModel, prime int, rng *rand.Rand, reps int, keep func(c, e []float64)) (caught, early int, delays []int) {
	mod.minutes, mod.drop, mod.dropAt = dropFrom+10, 0.15, dropFrom
	mod = primed(mod, prime)
	c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
	for range reps {
		mod.gen(rng, c, e)
		r := replay(Config{Direction: steadystate.Decrease}, prime, c, e)
		switch {
		case r.stopAt >= dropFrom:
			caught++
			delays = append(delays, r.stopAt-dropFrom+1)
		case r.stopAt >= 0:
			early++
		}
		if keep != nil {
			keep(c, e)
		}
	}
	slices.Sort(delays)
	return caught, early, delays
}

// se is the binomial standard error of a rate p over n replays.
func se(p float64, n int) float64 { return math.Sqrt(p * (1 - p) / float64(n)) }

// TestMonitorShapes: the monitor, unprimed and one-sided (Decrease), on
// each shape:
//
//   - the A/A false-stop rate over six hours of looks (360), held to alpha
//     0.05 + 2 binomial s.e. where it holds (generator, heavy, bursts;
//     heavy since restarted tests count from their eighth pair: 0.046
//     over 1,000 replays, 0.072 before); on ar08 it does not (0.177;
//     0.215 before the autoregressive factor of longRun and the restarted
//     tests' early looks): an open defect
//     of the variance estimate, asserted not to grow (at most
//     the 1,000-replay figure + 3 s.e.) so that a change that fixes or
//     worsens it shows;
//   - a 15% drop from minute 20 stopped within 10 minutes, asserted at
//     least the 1,000-replay figure - 3.5 s.e. of the replays run (a
//     regression guard, as TestMonitorDetectsDrop's floor), beside the
//     fixed-horizon tests at minute 30 that know where the drop starts, on
//     the same replays (stepStat): the oracle, s against its own quantile
//     over 20,000 A/A replays of the shape (the most powerful one-shot test
//     of s, which no test could beat without knowing the noise), and the
//     HAC t an analyst would run; each at alpha 0.05 and at alpha/2 times
//     the weights of the restarted tests that begin in the 10 minutes
//     after the drop (w_20 + ... + w_29 = 0.063: 0.0016), the share of
//     alpha the monitor gives harm that starts at minute 20; with their
//     A/A sizes; and the HAC t against its own quantile at that share over
//     the A/A replays (the studentized test calibrated on the shape's true
//     noise).
func TestMonitorShapes(t *testing.T) {
	reps, aaReps := 300, 200
	if *shapesLong {
		reps, aaReps = 1000, 1000
	}
	m, _ := New(Config{Direction: steadystate.Decrease})
	var share float64
	for j := dropFrom; j < dropFrom+10; j++ {
		w, _ := m.restartWeight(j)
		share += m.alpha * w / 2
	}
	// The 1,000-replay figures (BENCHMARKS.md) the assertions start from.
	aaHolds := map[string]bool{"generator": true, "ar08": false, "heavy": true, "bursts": true}
	aaMeasured := map[string]float64{"ar08": 0.177}
	detected := map[string]float64{"generator": 0.981, "ar08": 0.932, "heavy": 0.978, "bursts": 0.675}
	for i, sh := range shapes() {
		t.Run(sh.name+"_aa", func(t *testing.T) {
			t.Parallel()
			reps := aaReps
			stops, at, restarted := aaStopsPrimed(sh.model, 0, rand.New(rand.NewPCG(21, uint64(i))), reps)
			rate := float64(stops) / float64(reps)
			early := 0
			for _, a := range at {
				if a < 30 {
					early++
				}
			}
			limit := 0.05 + 2*se(0.05, reps)
			t.Logf("%s: A/A false-stop rate over 360 looks %.3f (s.e. %.3f, %d replays; alpha + 2 s.e. = %.4f); %d of the stops in the first 30 looks; %d by the whole-run test (its share of alpha 0.025), %d by a restarted test (0.025 together)",
				sh.name, rate, se(rate, reps), reps, limit, early, stops-restarted, restarted)
			if aaHolds[sh.name] && rate > limit {
				t.Errorf("%s: A/A false-stop rate %.3f > %.4f", sh.name, rate, limit)
			}
			if r := aaMeasured[sh.name]; !aaHolds[sh.name] && rate > r+3*se(r, reps) {
				t.Errorf("%s: A/A false-stop rate %.3f, above the 1,000-replay figure %.3f + 3 s.e.: the known defect got worse", sh.name, rate, r)
			}
		})
		t.Run(sh.name+"_drop", func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(22, uint64(i)))
			// The oracle's critical values and the HAC t's A/A sizes.
			const nullReps = 20000
			mod := sh.model
			mod.minutes = dropFrom + 10
			c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
			null, nullT := make([]float64, nullReps), make([]float64, nullReps)
			var size05, sizeShare int
			for k := range null {
				mod.gen(rng, c, e)
				s, tt, df := stepStat(c, e)
				null[k], nullT[k] = s, tt
				p := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(tt)
				if p <= 0.05 {
					size05++
				}
				if p <= share {
					sizeShare++
				}
			}
			slices.Sort(null)
			slices.Sort(nullT)
			crit05, critShare := null[int(0.05*nullReps)], null[int(share*nullReps)]
			critT := nullT[int(share*nullReps)]
			var or05, orShare, hac05, hacShare, calShare int
			caught, early, delays := dropCaught(sh.model, rng, reps, func(c, e []float64) {
				s, tt, df := stepStat(c, e)
				p := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.CDF(tt)
				for _, x := range []struct {
					hit bool
					n   *int
				}{{s < crit05, &or05}, {s < critShare, &orShare}, {p <= 0.05, &hac05}, {p <= share, &hacShare}, {tt < critT, &calShare}} {
					if x.hit {
						*x.n++
					}
				}
			})
			n := float64(reps)
			rate := float64(caught) / n
			t.Logf("%s: 15%% drop from minute %d stopped within 10 minutes: %.3f (s.e. %.3f, %d replays; %d stopped before the drop; median minutes to the stop %d); one-shot at minute 30: oracle %.3f at 0.05, %.3f at %.4f; HAC t %.3f at 0.05 (A/A size %.3f), %.3f at %.4f (A/A size %.4f; %d A/A replays); HAC t against its own A/A quantile %.3f at %.4f",
				sh.name, dropFrom, rate, se(rate, reps), reps, early, delays[len(delays)/2],
				float64(or05)/n, float64(orShare)/n, share, float64(hac05)/n, float64(size05)/nullReps,
				float64(hacShare)/n, share, float64(sizeShare)/nullReps, nullReps, float64(calShare)/n, share)
			if f := detected[sh.name]; rate < f-3.5*se(f, reps) {
				t.Errorf("%s: detection %.3f < %.3f - 3.5 s.e.", sh.name, rate, f)
			}
		})
	}
}

// TestMonitorShapesPrimed: the remedy the monitor's doc gives for weak
// early detection, on the same shapes: the monitor primed with the groups'
// previous 60 minutes (A/A, Monitor.Prime), the A/A false-stop rate over
// the six hours that follow and the drop from minute 20 of the live run.
// Asserted: detection at least 0.97 - 2 s.e. on the generator and heavy;
// on ar08 (0.924 since the early looks' lighter t correction, 0.915
// before it; 0.950 before the autoregressive factor of longRun, which
// sees more of ar08's true variance in the history) and bursts (0.732, 0.791
// before the early looks' cap on the degrees of freedom; even the known-variance monitor
// catches only 0.913 there) at least the 1,000-replay figure - 3.5 s.e.
// The A/A rate at most alpha + 2 s.e. on the generator, heavy (0.053 over
// 1,000 replays since restarted tests count from their eighth pair; 0.073
// before) and bursts; on ar08 the history does not mend the defect of
// TestMonitorShapes (0.111 over 1,000 replays; 0.162 before the
// autoregressive factor and the early looks), asserted not to grow by more than
// 3 s.e.
func TestMonitorShapesPrimed(t *testing.T) {
	const prime = 60
	reps := 200
	if *shapesLong {
		reps = 1000
	}
	aaMeasured := map[string]float64{"ar08": 0.111}
	detected := map[string]float64{"generator": 0.97, "heavy": 0.97, "ar08": 0.924, "bursts": 0.732}
	for i, sh := range shapes() {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			stops, _, _ := aaStopsPrimed(sh.model, prime, rand.New(rand.NewPCG(25, uint64(i))), reps)
			caught, early, delays := dropCaughtPrimed(sh.model, prime, rand.New(rand.NewPCG(26, uint64(i))), reps, nil)
			aa, det := float64(stops)/float64(reps), float64(caught)/float64(reps)
			t.Logf("%s, primed with %d minutes: A/A false-stop rate %.3f (s.e. %.3f), drop from minute 20 stopped within 10 minutes %.3f (s.e. %.3f; %d stopped before the drop; median minutes %d); %d replays each",
				sh.name, prime, aa, se(aa, reps), det, se(det, reps), early, delays[len(delays)/2], reps)
			f, k := detected[sh.name], 3.5
			if f == 0.97 {
				k = 2
			}
			if det < f-k*se(f, reps) {
				t.Errorf("%s, primed: detection %.3f < %.3f - %.1f s.e.", sh.name, det, f, k)
			}
			r, known := aaMeasured[sh.name]
			switch {
			case !known && aa > 0.05+2*se(0.05, reps):
				t.Errorf("%s, primed: A/A rate %.3f > alpha + 2 s.e.", sh.name, aa)
			case known && aa > r+3*se(r, reps):
				t.Errorf("%s, primed: A/A rate %.3f above the 1,000-replay figure %.3f + 3 s.e.", sh.name, aa, r)
			}
		})
	}
}

// TestMonitorKnownVariance: the same monitor told the true long-run
// variance of each shape's differences (knownLRV, without the t
// correction): what the test would do if the first minutes did not have to
// estimate the variance. The variance is that of the sum of the first 30
// differences over 20,000 A/A replays, divided by 30 (the long-run variance
// at the scale of the first 30 minutes). On 1,000 replays (BENCHMARKS.md)
// it stops 0.969 to 0.996 of the drops on three shapes (0.913 on bursts)
// with A/A rates of 0.007 to 0.024: the design (restarted tests, the
// split of alpha, the mixing variance) is not what misses the drop; the
// plug-in variance of 20 to 30 pairs is. Asserted: the drop rate at least
// 0.97 - 2 s.e. on the generator, ar08 and heavy (0.92 on bursts), and
// the A/A rate at most alpha + 2 s.e.
//
// knownLRV and plainMSPRT are package variables: this test does not call
// t.Parallel itself; its cases only read them and run in parallel;
// t.Cleanup resets them after they have finished.
func TestMonitorKnownVariance(t *testing.T) {
	drops, aas := 300, 200
	if *shapesLong {
		drops, aas = 1000, 1000
	}
	vs := make([]float64, len(shapes()))
	for i, sh := range shapes() {
		rng := rand.New(rand.NewPCG(23, uint64(i)))
		mod := sh.model
		mod.minutes = 30
		c, e := make([]float64, 30), make([]float64, 30)
		const k = 20000
		for range k {
			mod.gen(rng, c, e)
			var s float64
			for j := range c {
				s += math.Log(e[j] / c[j])
			}
			vs[i] += s * s / 30 / k
		}
	}
	plainMSPRT = true
	t.Cleanup(func() { plainMSPRT, knownLRV = false, 0 })
	for i, sh := range shapes() {
		t.Run(sh.name, func(t *testing.T) {
			// knownLRV differs by shape: the cases run one after another.
			knownLRV = vs[i]
			rng := rand.New(rand.NewPCG(24, uint64(i)))
			stops, _ := aaStops(sh.model, rng, aas)
			caught, _, _ := dropCaught(sh.model, rng, drops, nil)
			aa, det := float64(stops)/float64(aas), float64(caught)/float64(drops)
			t.Logf("%s: known long-run variance %.5f (sd %.4f): A/A false-stop rate %.3f (s.e. %.3f, %d replays), drop stopped within 10 minutes %.3f (s.e. %.3f, %d replays)",
				sh.name, vs[i], math.Sqrt(vs[i]), aa, se(aa, aas), aas, det, se(det, drops), drops)
			floor := 0.97
			if sh.name == "bursts" {
				floor = 0.92
			}
			if det < floor-2*se(floor, drops) {
				t.Errorf("%s: known variance: detection %.3f < %.2f - 2 s.e.", sh.name, det, floor)
			}
			if limit := 0.05 + 2*se(0.05, aas); aa > limit {
				t.Errorf("%s: known variance: A/A rate %.3f > %.4f", sh.name, aa, limit)
			}
		})
	}
}

// TestMonitorEarlyFrontier (-monitor.shapes only): the unprimed detection
// rate of the drop from minute 20 against the A/A false-stop rate as the t
// correction's dfShare varies, on the generator (1,000 replays each, the
// seeds of TestMonitorShapes): each step that raises the one lowers the
// other (asserted: as dfShare falls the A/A rate does not fall by more
// than 2 s.e. of the difference, nor detection). Since the restarted tests'
// early looks dfShare 1.5 reaches 0.970 with 0.053 on the generator; it is
// not the monitor's, because on the real data it stopped 0.29 of the taxi
// A/A days (0.18 at 2) and raised every autocorrelated shape's rate
// (BENCHMARKS.md). dfShare is a package variable: the test is sequential
// and restores it.
func TestMonitorEarlyFrontier(t *testing.T) {
	if !*shapesLong {
		t.Skip("a minute of simulation: run with -monitor.shapes")
	}
	old := dfShare
	t.Cleanup(func() { dfShare = old })
	const reps = 1000
	gen := shapes()[0].model
	prevAA, prevDet := -1.0, -1.0
	for _, share := range []float64{3, 2.5, 2, 1.5, 1.25, 1} {
		dfShare = share
		stops, _ := aaStops(gen, rand.New(rand.NewPCG(21, 0)), reps)
		caught, _, _ := dropCaught(gen, rand.New(rand.NewPCG(22, 0)), reps, nil)
		aa, det := float64(stops)/reps, float64(caught)/reps
		t.Logf("dfShare %.2f: A/A false-stop rate %.3f (s.e. %.3f), drop from minute 20 stopped within 10 minutes %.3f (s.e. %.3f); %d replays each",
			share, aa, se(aa, reps), det, se(det, reps), reps)
		if prevAA >= 0 {
			if d := 2 * math.Hypot(se(aa, reps), se(prevAA, reps)); aa < prevAA-d {
				t.Errorf("dfShare %.2f: A/A rate %.3f fell from %.3f at the larger dfShare: a lighter t correction should not stop fewer A/A runs", share, aa, prevAA)
			}
			if d := 2 * math.Hypot(se(det, reps), se(prevDet, reps)); det < prevDet-d {
				t.Errorf("dfShare %.2f: detection %.3f fell from %.3f at the larger dfShare", share, det, prevDet)
			}
		}
		prevAA, prevDet = aa, det
	}
	_ = fmt.Sprint
}

// TestMonitorDropPhase: the 15% drop starting at each minute from 20 to
// 29, unprimed and primed with 60 minutes, on every shape: the share of
// replays stopped within 10 minutes of the drop, minute by minute, and
// their mean over the ten minutes (the phase-averaged detection: a fault
// does not choose where the restarted tests begin). With restarts every 10
// pairs, as before, the generator's unprimed rate ran from 0.93 (drop at
// minute 20, on a restart) down to 0.04 (minute 25), 0.43 averaged
// (BENCHMARKS.md, "Harm that starts between restarts"). Asserted, for each
// shape and priming, the phase-averaged rate at least the 4,000-replay
// figure (400 a minute, -monitor.shapes; BENCHMARKS.md) minus 3.5 s.e. and
// the worst minute at least the phase-averaged figure minus 0.1 minus 3.5
// s.e. of one minute's replays: no minute may fall back into a gap
// between restarts.
func TestMonitorDropPhase(t *testing.T) {
	reps := 40 // a minute
	if *shapesLong {
		reps = 400
	}
	// Phase-averaged figures of the -monitor.shapes run, by shape, unprimed
	// and primed with 60 minutes.
	measured := map[string][2]float64{
		"generator": {0.976, 0.984}, "ar08": {0.919, 0.900}, "heavy": {0.972, 0.977}, "bursts": {0.619, 0.746},
	}
	for i, sh := range shapes() {
		for k, prime := range []int{0, 60} {
			t.Run(fmt.Sprintf("%s_primed%d", sh.name, prime), func(t *testing.T) {
				t.Parallel()
				var avg float64
				worst := 1.0
				line := ""
				for at := 20; at < 30; at++ {
					rng := rand.New(rand.NewPCG(40+uint64(prime), uint64(at*10+i)))
					mod := sh.model
					mod.minutes, mod.drop, mod.dropAt = at+10, 0.15, at
					mod = primed(mod, prime)
					c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
					caught := 0
					for range reps {
						mod.gen(rng, c, e)
						if r := replay(Config{Direction: steadystate.Decrease}, prime, c, e); r.stopAt >= at {
							caught++
						}
					}
					p := float64(caught) / float64(reps)
					avg += p / 10
					worst = min(worst, p)
					line += fmt.Sprintf(" %.3f", p)
				}
				t.Logf("%s, primed with %d minutes: drop from minute 20..29 stopped within 10 minutes:%s; averaged %.3f (s.e. %.3f, %d replays)",
					sh.name, prime, line, avg, se(avg, 10*reps), 10*reps)
				f := measured[sh.name][k]
				if limit := f - 3.5*math.Sqrt(se(f, 10*reps)*se(f, 10*reps)+se(f, 4000)*se(f, 4000)); avg < limit {
					t.Errorf("%s, primed %d: phase-averaged detection %.3f < %.3f - 3.5 s.e. = %.3f", sh.name, prime, avg, f, limit)
				}
				if limit := f - 0.1 - 3.5*se(f-0.1, reps); worst < limit {
					t.Errorf("%s, primed %d: worst minute %.3f < %.3f: a gap between restarted tests", sh.name, prime, worst, limit)
				}
			})
		}
	}
}

// TestMonitorFamilyFixedHorizon: the best fixed-horizon tests an analyst
// could run without knowing the noise, against which the issue asks to
// show why 0.97 within 10 minutes is or is not reachable. Each is a
// one-shot HAC t at minute 30 (stepStatAt: the mean after a split minus
// the mean before it, Newey-West with two levels) with one critical value
// that must hold its level on every shape of a family: the lowest of the
// shapes' own lower share-quantiles over 20,000 A/A replays each. share is
// alpha/2 (w_20 + ... + w_29) = 0.0016, the monitor's alpha for harm that
// starts in minutes 20 to 29. The family is the shapes on which the monitor
// holds alpha (generator, heavy, bursts); the critical value with ar08
// added is logged too. Two tests:
//
//   - told the start: the split at minute 20, where the drop starts;
//   - not told the start within the window: the smallest t over the splits
//     at minutes 20 to 27 (a scan; at least three minutes after the split).
//
// Their power on each shape's drop replays is what no test can beat that
// must be valid on the whole family and spends the monitor's alpha for
// this window at one look; the monitor's restarted tests spend it over
// every look of their windows (BENCHMARKS.md compares the two). Asserted: on
// 20,000 fresh A/A replays of each family shape each test's size is at
// most share + 3 s.e. (the critical value was set on other replays).
func TestMonitorFamilyFixedHorizon(t *testing.T) {
	m, _ := New(Config{Direction: steadystate.Decrease})
	var share float64
	for j := dropFrom; j < dropFrom+10; j++ {
		w, _ := m.restartWeight(j)
		share += m.alpha * w / 2
	}
	const nullReps, dropReps = 20000, 1000
	all := shapes()
	tests := []struct {
		name string
		stat func(c, e []float64) float64
	}{
		{"told the start", func(c, e []float64) float64 { _, t, _ := stepStat(c, e); return t }},
		{"a scan over splits 20 to 27", func(c, e []float64) float64 {
			lo := math.Inf(1)
			for from := dropFrom; from <= dropFrom+7; from++ {
				_, t, _ := stepStatAt(c, e, from)
				lo = min(lo, t)
			}
			return lo
		}},
	}
	for k, tc := range tests {
		draw := func(mod feedModel, seed uint64, reps int) []float64 {
			rng := rand.New(rand.NewPCG(seed, uint64(k)))
			mod.minutes = dropFrom + 10
			c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
			ts := make([]float64, reps)
			for r := range ts {
				mod.gen(rng, c, e)
				ts[r] = tc.stat(c, e)
			}
			return ts
		}
		crit := make([]float64, len(all))
		fc, fcAR := math.Inf(1), math.Inf(1)
		for i, sh := range all {
			ts := draw(sh.model, 27+uint64(10*i), nullReps)
			slices.Sort(ts)
			crit[i] = ts[int(share*nullReps)]
			fcAR = min(fcAR, crit[i])
			if sh.name != "ar08" {
				fc = min(fc, crit[i])
			}
		}
		line := ""
		for i, sh := range all {
			mod := sh.model
			mod.drop, mod.dropAt = 0.15, dropFrom
			var hit, hitAR int
			for _, x := range draw(mod, 28+uint64(10*i), dropReps) {
				if x < fc {
					hit++
				}
				if x < fcAR {
					hitAR++
				}
			}
			line += fmt.Sprintf(" %s %.3f (%.3f with ar08 in the family; own critical value %.2f);", sh.name, float64(hit)/dropReps, float64(hitAR)/dropReps, crit[i])
			if sh.name == "ar08" {
				continue
			}
			aa := 0
			for _, x := range draw(sh.model, 29+uint64(10*i), nullReps) {
				if x < fc {
					aa++
				}
			}
			if size := float64(aa) / nullReps; size > share+3*se(share, nullReps) {
				t.Errorf("%s, %s: the family test's size on fresh A/A replays %.4f > %.4f + 3 s.e.", tc.name, sh.name, size, share)
			}
		}
		t.Logf("one-shot HAC t at minute 30, %s, critical value %.2f for generator, heavy, bursts (%.2f with ar08), share %.4f: 15%% drop from minute 20 caught:%s",
			tc.name, fc, fcAR, share, line)
	}
}

// TestMonitorPrimeLongDrift: how much history mends ar08, the slow drift
// on which the monitor's variance factor is too small until about 200
// pairs (BENCHMARKS.md, "The early looks' degrees of freedom": median 1.9
// at 60 pairs, 3.4 at 240, truth 3.7). The A/A false-stop rate over the
// six hours after priming with 60, 120, 240 and 480 minutes, and the drop
// from minute 20 of the live run caught within 10 minutes. Asserted: with
// 240 minutes or more the A/A rate is at most alpha + 2 s.e. With
// -monitor.shapes (1,000 replays each): A/A 0.109, 0.062, 0.037 and 0.021
// for 60 to 480 minutes; the drop 0.916, 0.881, 0.887 and 0.900.
func TestMonitorPrimeLongDrift(t *testing.T) {
	reps := 150
	primes := []int{240}
	if *shapesLong {
		reps, primes = 1000, []int{60, 120, 240, 480}
	}
	ar08 := shapes()[1]
	if ar08.name != "ar08" {
		t.Fatalf("shapes()[1] is %s, want ar08", ar08.name)
	}
	for _, prime := range primes {
		t.Run(fmt.Sprintf("primed%d", prime), func(t *testing.T) {
			t.Parallel()
			stops, _, _ := aaStopsPrimed(ar08.model, prime, rand.New(rand.NewPCG(91, uint64(prime))), reps)
			caught, _, _ := dropCaughtPrimed(ar08.model, prime, rand.New(rand.NewPCG(92, uint64(prime))), reps, nil)
			aa, det := float64(stops)/float64(reps), float64(caught)/float64(reps)
			t.Logf("ar08 primed with %d minutes: A/A false-stop rate %.3f (s.e. %.3f), drop from minute 20 caught within 10 minutes %.3f (s.e. %.3f); %d replays each",
				prime, aa, se(aa, reps), det, se(det, reps), reps)
			if limit := 0.05 + 2*se(0.05, reps); prime >= 240 && aa > limit {
				t.Errorf("primed with %d minutes: A/A false-stop rate %.3f > alpha + 2 s.e. = %.4f", prime, aa, limit)
			}
		})
	}
}

var (
	apartReport = flag.Bool("monitor.apart", false, "print the A/A stops of the early looks' lighter t correction by where it applies (earlyApart; a few minutes)")
	shareReport = flag.Bool("monitor.share", false, "print the A/A stops and slow-harm detection of heavier mixture t corrections (dfShare; about a minute)")
)

// TestMonitorEarlyApart prints, with -monitor.apart, the check behind
// earlyApart on seeds no figure was tuned on: 3,000 unprimed A/A replays
// a shape (PCG(31, i)), all stops and those in the first 30 looks, with
// the early looks' lighter share never used (+Inf: the rule before), used
// at every look (0) and from N >= 2n and 3n (the monitor):
//
//	go test ./steadystate/monitor -run TestMonitorEarlyApart -monitor.apart -v
//
// A report, not a check (BENCHMARKS.md, "The early looks' degrees of
// freedom").
func TestMonitorEarlyApart(t *testing.T) {
	if !*apartReport {
		t.Skip("a report, run with -monitor.apart")
	}
	old := earlyApart
	t.Cleanup(func() { earlyApart = old })
	const reps = 3000
	for _, apart := range []float64{math.Inf(1), 0, 2, 3} {
		earlyApart = apart
		line := fmt.Sprintf("earlyApart %v:", apart)
		for i, sh := range shapes() {
			stops, at, _ := aaStopsPrimed(sh.model, 0, rand.New(rand.NewPCG(31, uint64(i))), reps)
			early := 0
			for _, a := range at {
				if a < 30 {
					early++
				}
			}
			line += fmt.Sprintf(" %s %.3f (%d in the first 30 looks);", sh.name, float64(stops)/reps, early)
		}
		t.Log(line)
	}
}

// TestMonitorMixtureShare prints, with -monitor.share, what a heavier t
// correction (dfShare) buys and costs now that the early looks past
// N = 3n take their own: 600 unprimed A/A replays a shape (the seeds of
// TestMonitorShapes), and 400 replays of the realistic model with a 7%
// drop from minute 100 (caught within 30 and 60 minutes) and a 5% drop
// (within 120), the slow harm only the mixtures catch:
//
//	go test ./steadystate/monitor -run TestMonitorMixtureShare -monitor.share -v
//
// A report, not a check (BENCHMARKS.md, "The early looks' degrees of
// freedom").
func TestMonitorMixtureShare(t *testing.T) {
	if !*shareReport {
		t.Skip("a report, run with -monitor.share")
	}
	old := dfShare
	t.Cleanup(func() { dfShare = old })
	for _, share := range []float64{2, 2.5, 3} {
		dfShare = share
		line := fmt.Sprintf("dfShare %.1f: A/A", share)
		for i, sh := range shapes() {
			stops, _, _ := aaStopsPrimed(sh.model, 0, rand.New(rand.NewPCG(21, uint64(i))), 600)
			line += fmt.Sprintf(" %s %.3f", sh.name, float64(stops)/600)
		}
		for _, c := range []struct {
			drop   float64
			within int
		}{{0.07, 30}, {0.07, 60}, {0.05, 120}} {
			mod := realistic
			mod.minutes, mod.drop, mod.dropAt = 100+c.within, c.drop, 100
			rng := rand.New(rand.NewPCG(33, 1))
			cv, ev := make([]float64, mod.minutes), make([]float64, mod.minutes)
			caught := 0
			for range 400 {
				mod.gen(rng, cv, ev)
				if r := replay(Config{Direction: steadystate.Decrease}, 0, cv, ev); r.stopAt >= 100 {
					caught++
				}
			}
			line += fmt.Sprintf("; %.0f%% drop within %d min %.3f", 100*c.drop, c.within, float64(caught)/400)
		}
		t.Log(line)
	}
}

// TestMonitorFactorByLength prints, with -monitor.shapes, the variance
// factor the monitor uses (longRun: the largest of the AR(1), Newey-West
// and autoregressive factors) on unprimed ar08 A/A runs after 30, 60,
// 120, 240 and 360 pairs, against the truth 3.7: why ar08's false stops
// need a history (BENCHMARKS.md, "The early looks' degrees of freedom").
// 300 seeded runs. A report, not a check.
func TestMonitorFactorByLength(t *testing.T) {
	if !*shapesLong {
		t.Skip("a report, run with -monitor.shapes")
	}
	mod := shapes()[1].model
	mod.minutes = 360
	rng := rand.New(rand.NewPCG(77, 1))
	lengths := []int{30, 60, 120, 240, 360}
	factors := make([][]float64, len(lengths))
	c, e := make([]float64, mod.minutes), make([]float64, mod.minutes)
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixMilli()
	for range 300 {
		mod.gen(rng, c, e)
		m, err := New(Config{Direction: steadystate.Decrease})
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for i := range c {
			if _, err := m.Add(Point{T: t0 + int64(i)*60000, Control: c[i], Experiment: e[i]}); err != nil {
				t.Fatal(err)
			}
			if k < len(lengths) && i+1 == lengths[k] {
				_, f, _ := m.longRun(1)
				factors[k] = append(factors[k], f)
				k++
			}
		}
	}
	for k, n := range lengths {
		slices.Sort(factors[k])
		t.Logf("ar08, %d pairs: the monitor's variance factor median %.2f, 10%% quantile %.2f (truth 3.7; 300 runs)", n, factors[k][len(factors[k])/2], factors[k][len(factors[k])/10])
	}
}
