package monitor

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/chaosstat/chaosstat/steadystate"
	"gonum.org/v1/gonum/stat/distuv"
)

// feedModel is the per-minute data of the monitor's simulations: counts of
// a throughput metric (stream starts per minute) in a control and an
// experiment group of equal size, with a daily cycle, noise the two groups
// share (traffic bursts), noise of each group's own that is AR(1)
// autocorrelated (a slow drift of one group's users), and counting noise.
type feedModel struct {
	minutes     int     // looks, one a minute
	startMinute int     // minute of the day of the first point (720 = 12:00)
	level       float64 // mean count per minute per group over the day
	cycle       float64 // relative amplitude of the daily cycle (peak at 20:00)
	commonSD    float64 // relative SD of the shared AR(1) noise
	groupSD     float64 // relative SD of each group's own AR(1) noise
	rho         float64 // lag-1 autocorrelation of both AR(1) noises
	poisson     bool    // add counting noise, normal with variance = mean
	dropAt      int     // first minute of the experiment's drop
	drop        float64 // relative drop of the experiment from dropAt on (0.15)
	// Shapes the issue-14 simulations add (monitor_shapes_test.go); zero
	// leaves the model and its random draws as they were.
	tails     float64 // > 0: the AR(1) innovations are Student t on tails df, scaled to unit variance
	burstRate float64 // chance a minute starts a traffic burst both groups share
	burstSize float64 // a burst's mean relative size (exponential), decaying by burstDecay a minute
}

// burstDecay is the share of a shared traffic burst left a minute later.
const burstDecay = 0.7

// realistic is the model the "must show" simulations use: 2,000
// stream starts a minute per group (2% of a large service's traffic), a
// daily cycle of ±30%, shared AR(1) noise of 4% and each group's own AR(1)
// noise of 2% (rho 0.5 both), plus counting noise (2.2% at 2,000): a
// per-minute CV of 5% per group, of which the difference e - c carries the
// group-specific part, AR(1) with rho 0.5 plus white counting noise.
var realistic = feedModel{
	minutes: 360, startMinute: 12 * 60, level: 2000, cycle: 0.3,
	commonSD: 0.04, groupSD: 0.02, rho: 0.5, poisson: true,
}

// gen writes one replay of the model into c and e (length m.minutes).
func (m feedModel) gen(rng *rand.Rand, c, e []float64) {
	innov := rng.NormFloat64
	if m.tails > 0 {
		// A t variate is a normal over sqrt(chi2/df); t on df has variance
		// df/(df-2).
		scale := math.Sqrt((m.tails - 2) / m.tails)
		chi := distuv.ChiSquared{K: m.tails, Src: rng}
		innov = func() float64 { return scale * rng.NormFloat64() / math.Sqrt(chi.Rand()/m.tails) }
	}
	ar := func(prev float64, sd float64, first bool) float64 {
		if first {
			return sd * innov()
		}
		return m.rho*prev + math.Sqrt(1-m.rho*m.rho)*sd*innov()
	}
	var common, gc, ge, burst float64
	for t := range m.minutes {
		first := t == 0
		common = ar(common, m.commonSD, first)
		gc = ar(gc, m.groupSD, first)
		ge = ar(ge, m.groupSD, first)
		minute := float64(m.startMinute + t)
		mu := m.level * (1 + m.cycle*math.Sin(2*math.Pi*(minute-14*60)/1440))
		if m.burstRate > 0 {
			burst *= burstDecay
			if rng.Float64() < m.burstRate {
				burst += m.burstSize * rng.ExpFloat64()
			}
			mu *= 1 + burst
		}
		mc := mu * (1 + common) * (1 + gc)
		me := mu * (1 + common) * (1 + ge)
		if m.drop != 0 && t >= m.dropAt {
			me *= 1 - m.drop
		}
		if m.poisson {
			mc += math.Sqrt(math.Max(mc, 0)) * rng.NormFloat64()
			me += math.Sqrt(math.Max(me, 0)) * rng.NormFloat64()
		}
		c[t], e[t] = mc, me
	}
}

// replayResult is what one replay of the monitor gave.
type replayResult struct {
	stopAt    int  // index of the look that stopped the experiment, -1 for none
	restarted bool // the stop came from a restarted test (its Window has pairs), not the whole-run test
	cause     Cause
	naiveAt   int // first look at which the naive paired z-test rejected, -1 for none
	welchAt   int // first look at which Welch's t on the levels rejected, -1 for none
	covered   bool
	trueDiffs float64
}

// replay runs the monitor over one replay, primed with the first prime
// points of c and e (0: not primed; the rest are the live looks, and the
// indexes in the result count from the first live look), and beside it the naive repeated
// fixed-horizon tests an engineer might run at every look: a paired z-test
// of the mean difference (independent points assumed) and Welch's t on the
// two groups' values, each at the same alpha and in the same direction, from
// the same burn-in on.
func replay(cfg Config, prime int, c, e []float64) replayResult {
	mon, err := New(cfg)
	if err != nil {
		panic(err)
	}
	if prime > 0 {
		if err := mon.Prime(c[:prime], e[:prime]); err != nil {
			panic(err)
		}
		c, e = c[prime:], e[prime:]
	}
	res := replayResult{stopAt: -1, naiveAt: -1, welchAt: -1}
	alpha := mon.alpha
	var sc, sc2, se, se2, sd, sd2 float64
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixMilli()
	norm := distuv.UnitNormal
	for i := range c {
		d, err := mon.Add(Point{T: t0 + int64(i)*60000, Control: c[i], Experiment: e[i]})
		if err != nil {
			panic(err)
		}
		if d.Action == Stop && res.stopAt < 0 {
			res.stopAt, res.cause, res.restarted = i, d.Cause, d.Window.N > 0
		}
		sc += c[i]
		sc2 += c[i] * c[i]
		se += e[i]
		se2 += e[i] * e[i]
		x := e[i] - c[i]
		sd += x
		sd2 += x * x
		n := float64(i + 1)
		if i+1 < mon.minPoints {
			continue
		}
		// Paired z on the differences, independent points assumed.
		md := sd / n
		vd := (sd2 - n*md*md) / (n - 1)
		z := md / math.Sqrt(vd/n)
		if res.naiveAt < 0 && tailP(z, cfg.Direction, norm.CDF) <= alpha {
			res.naiveAt = i
		}
		// Welch's t on the two groups' values.
		mc, me := sc/n, se/n
		vc := (sc2 - n*mc*mc) / (n - 1)
		ve := (se2 - n*me*me) / (n - 1)
		sem := vc/n + ve/n
		t := (me - mc) / math.Sqrt(sem)
		df := sem * sem / ((vc/n)*(vc/n)/(n-1) + (ve/n)*(ve/n)/(n-1))
		st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
		if res.welchAt < 0 && tailP(t, cfg.Direction, st.CDF) <= alpha {
			res.welchAt = i
		}
	}
	return res
}

// tailP is the p-value of statistic s in the harmful direction.
func tailP(s float64, dir steadystate.Direction, cdf func(float64) float64) float64 {
	switch dir {
	case steadystate.Decrease:
		return cdf(s)
	case steadystate.Increase:
		return cdf(-s)
	}
	return 2 * cdf(-math.Abs(s))
}
