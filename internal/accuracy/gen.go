package accuracy

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/gonum/stat/distuv"
)

// Shape is one data shape of the matrix: how the per-minute values of a
// metric are made. The zero value of every optional field leaves the
// feed model as it is: a throughput of 2,000 a minute per group with a
// ±30% daily cycle, noise both groups share (AR(1), 4%), each group's own
// noise (AR(1), 2%) and counting noise (normal, variance = mean), the
// model of the monitor's simulations (steadystate/monitor's feedModel).
type Shape struct {
	// Name is the shape's name in the matrix.
	Name string
	// Rho is the lag-1 autocorrelation of the AR(1) noises (shared and
	// each group's own).
	Rho float64
	// ARMA, when true, replaces the feed model by TestJudgeShapes's
	// ARMA(1,1) groups: 100 + 5·x, x_t = 0.9·x_{t−1} + e_t − 0.5·e_{t−1},
	// independent in each group, no shared noise, no counting noise (a
	// persistent level plus minute-to-minute noise).
	ARMA bool
	// Tails > 0 makes the AR(1) innovations Student t on Tails degrees of
	// freedom, scaled to unit variance (heavy tails).
	Tails float64
	// Counts > 0 replaces the feed model by independent Poisson counts
	// with this mean a minute in each group (0.2: 82% zeros).
	Counts float64
	// Spikes: each group, independently, starts a spike of +25% for five
	// minutes with probability 1% a minute (TestJudgeShapes's bursts of
	// five of its standard deviations).
	Spikes bool
	// Steps: incidents both groups share, four a day on average, each a
	// drop of 5 to 25% lasting 10 to 45 minutes (A/A stays A/A: the
	// groups move together).
	Steps bool
	// Gaps is the share of each group's points missing (NaN), at random.
	Gaps float64
	// OffGrid stamps the control at 17 s past the minute and the
	// experiment at 43 s, each with a jitter of ±3 s: no timestamp is on
	// a whole minute and the groups' stamps never coincide.
	OffGrid bool
	// DST puts the data in America/New_York over the end of daylight
	// saving (Sunday 2026-11-01, a 25-hour day), with the daily cycle on
	// the local wall clock; SpringDST over its start (Sunday 2026-03-08, a
	// 23-hour day).
	DST, SpringDST bool
}

// Shapes returns the matrix's synthetic shapes, in the order the matrix
// lists them.
func Shapes() []Shape {
	return []Shape{
		{Name: "AR(1) ρ 0.5", Rho: 0.5},
		{Name: "AR(1) ρ 0.8", Rho: 0.8},
		{Name: "AR(1) ρ 0.95", Rho: 0.95},
		{Name: "ARMA(1,1) φ 0.9 θ −0.5", ARMA: true},
		{Name: "heavy tails (t3)", Rho: 0.5, Tails: 3},
		{Name: "counts, 82% zeros", Counts: 0.2},
		{Name: "spikes", Rho: 0.5, Spikes: true},
		{Name: "step incidents", Rho: 0.5, Steps: true},
		{Name: "10% gaps", Rho: 0.5, Gaps: 0.1},
		{Name: "40% gaps", Rho: 0.5, Gaps: 0.4},
		{Name: "off-grid timestamps", Rho: 0.5, OffGrid: true},
		{Name: "daylight-saving week", Rho: 0.5, DST: true},
	}
}

// Drop is the planted effect: the experiment's level is multiplied by
// 1 − Size from minute From (inclusive) to minute To (exclusive). The
// zero Drop plants nothing.
type Drop struct {
	From, To int
	Size     float64
}

func (d Drop) at(i int) float64 {
	if d.Size != 0 && i >= d.From && i < d.To {
		return 1 - d.Size
	}
	return 1
}

// NewYork is the time zone of the daylight-saving shape and of the taxi
// data.
var NewYork = mustLoad("America/New_York")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Location is the zone whose wall clock the shape's daily cycle follows.
func (s Shape) Location() *time.Location {
	if s.DST || s.SpringDST {
		return NewYork
	}
	return time.UTC
}

// Start is the time of the shape's first minute when a run starts at
// local hour h of its reference day: 2026-11-26 (a Thursday) in UTC, the
// day daylight saving ends (2026-11-01) or starts (2026-03-08) in New
// York for the DST shapes.
func (s Shape) Start(h int) time.Time {
	switch {
	case s.DST:
		return time.Date(2026, 11, 1, h, 0, 0, 0, NewYork)
	case s.SpringDST:
		return time.Date(2026, 3, 8, h, 0, 0, 0, NewYork)
	}
	return time.Date(2026, 11, 26, h, 0, 0, 0, time.UTC)
}

// Transition is the instant of the DST shapes' clock change (06:00 UTC
// on 2026-11-01, when 02:00 EDT becomes 01:00 EST; 07:00 UTC on
// 2026-03-08, when 02:00 EST becomes 03:00 EDT), the zero time for the
// other shapes.
func (s Shape) Transition() time.Time {
	switch {
	case s.DST:
		return time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	case s.SpringDST:
		return time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// runStart is the first minute of a run of the judge or the monitor: the
// reference day's local hour h, or for the DST shapes before minutes
// before the clock change, so that the run spans it.
func (s Shape) runStart(h int, before time.Duration) time.Time {
	if t := s.Transition(); !t.IsZero() {
		return t.Add(-before)
	}
	return s.Start(h)
}

// noise is one of the model's noise processes, stepped a minute at a time.
type noise struct {
	rng   *rand.Rand
	rho   float64
	sd    float64
	innov func() float64
	x     float64
	first bool
}

func (s Shape) innovations(rng *rand.Rand) func() float64 {
	if s.Tails <= 0 {
		return rng.NormFloat64
	}
	// A t variate is a normal over sqrt(chi2/df); t on df has variance
	// df/(df-2).
	scale := math.Sqrt((s.Tails - 2) / s.Tails)
	chi := distuv.ChiSquared{K: s.Tails, Src: rng}
	return func() float64 { return scale * rng.NormFloat64() / math.Sqrt(chi.Rand()/s.Tails) }
}

func (s Shape) newNoise(rng *rand.Rand, innov func() float64, sd float64) *noise {
	return &noise{rng: rng, rho: s.Rho, sd: sd, innov: innov, first: true}
}

func (n *noise) next() float64 {
	if n.first {
		n.first = false
		n.x = n.sd * n.innov()
	} else {
		n.x = n.rho*n.x + math.Sqrt(1-n.rho*n.rho)*n.sd*n.innov()
	}
	return n.x
}

// arma is the ARMA(1,1) process of the ARMA shape, burnt in 300 steps.
type arma struct {
	rng     *rand.Rand
	x, prev float64
}

func newARMA(rng *rand.Rand) *arma {
	a := &arma{rng: rng}
	for range 300 {
		a.next()
	}
	return a
}

func (a *arma) next() float64 {
	e := a.rng.NormFloat64()
	a.x = 0.9*a.x + e - 0.5*a.prev
	a.prev = e
	return a.x
}

// poisson draws a Poisson variate with mean lambda (Knuth's method, for
// the small means of the counts shape and of thinning).
func poisson(rng *rand.Rand, lambda float64) float64 {
	if lambda > 30 {
		return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64()))
	}
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// cycle is the daily cycle's factor at time t: 1 ± 0.3, peak at 20:00 on
// the wall clock of loc (the feed model's).
func cycle(t time.Time, loc *time.Location) float64 {
	l := t.In(loc)
	minute := float64(l.Hour()*60 + l.Minute())
	return 1 + 0.3*math.Sin(2*math.Pi*(minute-14*60)/1440)
}

// Pair draws a control and an experiment of the shape, one point a minute
// for minutes minutes from start, with drop planted in the experiment
// (minutes counted from start). Missing points are NaN.
func (s Shape) Pair(rng *rand.Rand, start time.Time, minutes int, drop Drop) (ctl, exp series.Series) {
	ctl = series.Series{Name: "control", T: make([]int64, minutes), V: make([]float64, minutes)}
	exp = series.Series{Name: "experiment", T: make([]int64, minutes), V: make([]float64, minutes)}
	loc := s.Location()
	t0 := start.UnixMilli()
	for i := range minutes {
		ctl.T[i], exp.T[i] = t0+int64(i)*60_000, t0+int64(i)*60_000
	}
	switch {
	case s.ARMA:
		a, b := newARMA(rng), newARMA(rng)
		for i := range minutes {
			ctl.V[i] = 100 + 5*a.next()
			exp.V[i] = (100 + 5*b.next()) * drop.at(i)
		}
	case s.Counts > 0:
		for i := range minutes {
			ctl.V[i] = poisson(rng, s.Counts)
			exp.V[i] = poisson(rng, s.Counts*drop.at(i))
		}
	default:
		innov := s.innovations(rng)
		common, gc, ge := s.newNoise(rng, innov, 0.04), s.newNoise(rng, innov, 0.02), s.newNoise(rng, innov, 0.02)
		var spikeC, spikeE, incident int
		var incDepth float64
		for i := range minutes {
			mu := 2000 * cycle(time.UnixMilli(ctl.T[i]), loc) * (1 + common.next())
			mc, me := mu*(1+gc.next()), mu*(1+ge.next())
			if s.Spikes {
				if rng.Float64() < 0.01 {
					spikeC = 5
				}
				if rng.Float64() < 0.01 {
					spikeE = 5
				}
				if spikeC > 0 {
					mc *= 1.25
					spikeC--
				}
				if spikeE > 0 {
					me *= 1.25
					spikeE--
				}
			}
			if s.Steps {
				if incident == 0 && rng.Float64() < 4.0/1440 {
					incident = 10 + rng.IntN(36)
					incDepth = 0.05 + 0.2*rng.Float64()
				}
				if incident > 0 {
					mc *= 1 - incDepth
					me *= 1 - incDepth
					incident--
				}
			}
			me *= drop.at(i)
			mc += math.Sqrt(math.Max(mc, 0)) * rng.NormFloat64()
			me += math.Sqrt(math.Max(me, 0)) * rng.NormFloat64()
			ctl.V[i], exp.V[i] = mc, me
		}
	}
	if s.Gaps > 0 {
		for i := range minutes {
			if rng.Float64() < s.Gaps {
				ctl.V[i] = math.NaN()
			}
			if rng.Float64() < s.Gaps {
				exp.V[i] = math.NaN()
			}
		}
	}
	if s.OffGrid {
		for i := range minutes {
			ctl.T[i] += 17_000 + rng.Int64N(6_001) - 3_000
			exp.T[i] += 43_000 + rng.Int64N(6_001) - 3_000
		}
	}
	return ctl, exp
}

// History draws one metric of the shape as the baseline sees it: weeks
// weeks of history, one point every step, before a current day (the
// shape's reference day, midnight to midnight on its wall clock: 25 hours
// for DST, 23 for SpringDST), with drop planted in the current day
// (minutes counted from its local midnight). The weekly cycle: Saturday
// and Sunday at 80% of the weekdays' level. The shape's noise and
// counting noise are as in Pair's control; the shared and the group
// noise are one series' noise, so its AR(1) noise has the feed model's
// 4.5% (√(4² + 2²)).
func (s Shape) History(rng *rand.Rand, weeks int, step time.Duration, drop Drop) (history, current series.Series) {
	loc := s.Location()
	dayStart := s.Start(0)
	dayEnd := time.Date(dayStart.Year(), dayStart.Month(), dayStart.Day()+1, 0, 0, 0, 0, loc)
	from := dayStart.AddDate(0, 0, -7*weeks)
	stepMs := step.Milliseconds()
	n := int(dayEnd.Sub(from).Milliseconds() / stepMs)
	all := series.Series{T: make([]int64, n), V: make([]float64, n)}
	off := int64(0)
	if s.OffGrid {
		off = 17_000
	}
	for i := range n {
		all.T[i] = from.UnixMilli() + int64(i)*stepMs + off
	}
	curFrom := dayStart.UnixMilli()
	week := func(t time.Time) float64 {
		switch t.In(loc).Weekday() {
		case time.Saturday, time.Sunday:
			return 0.8
		}
		return 1
	}
	minuteOf := func(t int64) int { return int((t - off - curFrom) / 60_000) }
	switch {
	case s.ARMA:
		a := newARMA(rng)
		for i := range n {
			all.V[i] = (100 + 5*a.next()) * week(time.UnixMilli(all.T[i]))
		}
	case s.Counts > 0:
		for i := range n {
			lam := s.Counts * float64(stepMs) / 60_000
			all.V[i] = poisson(rng, lam*week(time.UnixMilli(all.T[i])))
		}
	default:
		innov := s.innovations(rng)
		g := s.newNoise(rng, innov, math.Sqrt(0.04*0.04+0.02*0.02))
		perStep := float64(stepMs) / 60_000
		spike, incident := 0, 0
		var incDepth float64
		for i := range n {
			t := time.UnixMilli(all.T[i])
			m := 2000 * perStep * cycle(t, loc) * week(t) * (1 + g.next())
			if s.Spikes {
				if rng.Float64() < 0.01 {
					spike = 5
				}
				if spike > 0 {
					m *= 1.25
					spike--
				}
			}
			if s.Steps {
				if incident == 0 && rng.Float64() < 4.0/1440*perStep {
					incident = int(float64(10+rng.IntN(36)) / perStep)
					incDepth = 0.05 + 0.2*rng.Float64()
				}
				if incident > 0 {
					m *= 1 - incDepth
					incident--
				}
			}
			all.V[i] = m + math.Sqrt(math.Max(m, 0))*rng.NormFloat64()
		}
	}
	for i := range n {
		if all.T[i] >= curFrom {
			all.V[i] = math.Round(all.V[i]*drop.at(minuteOf(all.T[i]))*1e6) / 1e6
		}
		if s.Gaps > 0 && rng.Float64() < s.Gaps {
			all.V[i] = math.NaN()
		}
	}
	history = all.Window(math.MinInt64, curFrom)
	current = all.Window(curFrom, dayEnd.UnixMilli()+off)
	history.Name, current.Name = "history", "current"
	return history, current
}

// Criteria draws a satisfaction series and a candidate metric of the
// shape for the correlation criterion: three days a minute from the
// shape's reference day (the steadystate/criteria shape tests' model).
// Satisfaction is a per-minute Apdex, 0.96 − 0.06·load(t) + u(t) +
// N(0, 0.004²) − inc(t): a daily load cycle (0 at 03:00 on the shape's
// wall clock, 1 at 15:00), slow fluctuations u (AR(1), φ 0.9, sd 0.014)
// and incidents inc (four a day of 10 to 45 minutes that drop it by 0.05
// to 0.25; eight a day of 1 to 3 minutes for Spikes). The metric is a
// throughput, 700 + 400·(load − 0.5) + v(t) + N(0, 15²) (its cycle runs
// opposite to satisfaction's), with v the shape's noise: AR(1) with
// ρ = Rho and sd 28 (Student t innovations for Tails), the ARMA(1,1)
// process times 20 for ARMA, or, for Counts, an error count: Poisson
// with mean Counts a minute. related plants the incident-only relation:
// the metric loses 1000·inc(t − 2) (the count gains 5·inc(t − 2) a
// minute); unrelated, it has incidents of its own (Steps: twice as many).
// Gaps leaves that share of the metric's points out (NaN); OffGrid
// stamps the metric 17 s ± 3 s past the minute.
func (s Shape) Criteria(rng *rand.Rand, related bool) (sat, metric series.Series) {
	const days, lag = 3, 2
	n := days * 1440
	start := s.Start(0)
	loc := s.Location()
	events := func(count int) []float64 {
		inc := make([]float64, n)
		lo, hi := 10, 45
		if s.Spikes {
			count, lo, hi = 2*count, 1, 3
		}
		for range count {
			at := rng.IntN(n)
			length := lo + rng.IntN(hi-lo+1)
			depth := 0.05 + 0.2*rng.Float64()
			for i := at; i < min(n, at+length); i++ {
				inc[i] = max(inc[i], depth)
			}
		}
		return inc
	}
	inc := events(4 * days)
	own := events(4 * days)
	if s.Steps {
		own = events(8 * days)
	}
	innov := s.innovations(rng)
	v := s.newNoise(rng, innov, 28)
	var a *arma
	if s.ARMA {
		a = newARMA(rng)
	}
	var u float64
	sat = series.Series{Name: "satisfaction", T: make([]int64, n), V: make([]float64, n)}
	metric = series.Series{Name: "metric", T: make([]int64, n), V: make([]float64, n)}
	for i := range n {
		t := start.Add(time.Duration(i) * time.Minute)
		l := t.In(loc)
		hour := float64(l.Hour()) + float64(l.Minute())/60
		load := 0.5 - 0.5*math.Cos(2*math.Pi*(hour-3)/24)
		u = 0.9*u + 0.006*rng.NormFloat64()
		sat.T[i], metric.T[i] = t.UnixMilli(), t.UnixMilli()
		sat.V[i] = 0.96 - 0.06*load + u + 0.004*rng.NormFloat64() - inc[i]
		past := 0.0
		if i >= lag {
			past = inc[i-lag]
		}
		var m float64
		switch {
		case s.Counts > 0:
			lam := s.Counts
			if related {
				lam += 5 * past
			} else {
				lam += 5 * own[i]
			}
			m = poisson(rng, lam)
		default:
			noise := 0.0
			if a != nil {
				noise = 20 * a.next()
			} else {
				noise = v.next()
			}
			m = 700 + 400*(load-0.5) + noise + 15*rng.NormFloat64()
			if related {
				m -= 1000 * past
			} else {
				m -= 1000 * own[i]
			}
		}
		if s.Gaps > 0 && rng.Float64() < s.Gaps {
			m = math.NaN()
		}
		metric.V[i] = m
		if s.OffGrid {
			metric.T[i] += 17_000 + rng.Int64N(6_001) - 3_000
		}
	}
	return sat, metric
}
