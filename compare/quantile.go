package compare

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Minimum sample sizes for Quantile, in points beyond the quantile: a
// q-quantile has about n·min(q, 1−q) points in its tail.
const (
	// MinQuantileTail is the fewest points beyond the quantile that
	// Quantile runs on: each sample needs n ≥ MinQuantileTail/min(q, 1−q)
	// (10 for the median, 100 for p95, 500 for p99); below it the error is
	// ErrSampleSize.
	MinQuantileTail = 5
	// RecommendedQuantileTail is the number of points beyond the quantile
	// at which the coverage of the interval was checked by simulation:
	// below n = RecommendedQuantileTail/min(q, 1−q) (40 for the median,
	// 400 for p95, 2000 for p99) the result carries a warning.
	RecommendedQuantileTail = 20
)

// Quantile compares the q-quantiles of experiment and control, such as the
// 95th or 99th percentile of request latencies (q = 0.95, 0.99), with a
// bootstrap. A slower tail at an unchanged median — a regression that
// Mann-Whitney does not see — shows up here.
//
// The null hypothesis is that the two population q-quantiles are equal; the
// alternative is that they differ (TwoSided), that the experiment's is
// greater (Greater) or less (Less). The estimate is
//
//	Δ̂ = Q_e(q) − Q_c(q)
//	Q(q) = x_(k) + (h − k)(x_(k+1) − x_(k)),  h = (n − 1)q, k = ⌊h⌋
//
// with x_(0) ≤ … ≤ x_(n−1) the sorted sample: the linear interpolation of R's
// type 7 and numpy's default [1]. Statistic is Δ̂; ControlLevel is Q_c(q).
//
// The interval is the percentile bootstrap [2]: each of the B =
// opts.Resamples resamples draws n_e values from the experiment and n_c
// from the control with replacement and computes Δ* the same way; the
// interval is the α/2 and 1 − α/2 quantiles (type 7) of the B values Δ*
// (one-sided: α and an infinite bound). The p-value inverts that interval —
// it is the smallest α at which the interval excludes 0:
//
//	two-sided: p = min(1, 2·min(#{Δ* ≤ 0} + 1, #{Δ* ≥ 0} + 1)/(B + 1))
//	Greater:   p = (#{Δ* ≤ 0} + 1)/(B + 1)
//	Less:      p = (#{Δ* ≥ 0} + 1)/(B + 1)
//
// (the +1 counts the observed sample among the resamples, so p is never 0
// [2, §4.4]; so the smallest p is 1/(B+1) one-sided, 2/(B+1) two-sided).
//
// The interval's bounds are order statistics of the B values Δ*, and only
// those in the tails it reads are kept: memory is O(α·B + 1), a few values
// at the resamples steadystate's judge draws (B ≈ 8/α), however high the
// confidence, and B values only at confidence 0.5. The time is still O(B).
//
// The resamples are drawn exactly but cheaply: the order statistics of a
// resample of n values are x_(⌈n·U_(i)⌉−1) for the order statistics U_(i)
// of n uniforms, so only the two order statistics the quantile reads are
// drawn, U_(k+1) ~ Beta(k+1, n−k) and the next one above it. Each resample
// costs O(1) rather than O(n log n), with the same distribution as
// resampling the data. The random numbers come from a PCG generator seeded
// with opts.Seed (DefaultSeed when zero), so the result is reproducible.
//
// Method and Shift.Method are Asymptotic: the bootstrap is justified by
// large-sample theory. opts.Method is ignored.
//
// Errors: q outside (0, 1); fewer than MinQuantileTail/min(q, 1−q) values
// in a sample (ErrSampleSize); infinite values (ErrNonFinite). Warnings:
// samples smaller than RecommendedQuantileTail/min(q, 1−q); missing values
// left out; too few resamples to reach the significance level.
//
// [1] Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical
// packages. The American Statistician 50, 361–365 (definition 7).
// [2] Davison, A. C. and Hinkley, D. V. (1997). Bootstrap Methods and their
// Application. Cambridge University Press (§5.3 percentile intervals, §4.4
// Monte Carlo p-values).
func Quantile(experiment, control []float64, q float64, opts Options) (Result, error) {
	return QuantileContext(context.Background(), experiment, control, q, opts)
}

// QuantileContext is Quantile stopped early when ctx is done: it checks ctx
// before the resampling and every 16,384 resamples (a few milliseconds of
// work), and then returns an error wrapping ctx.Err() (errors.Is(err,
// context.DeadlineExceeded) or context.Canceled) and no result. Otherwise
// its result is Quantile's, to the bit: the resamples are the same.
func QuantileContext(ctx context.Context, experiment, control []float64, q float64, opts Options) (Result, error) {
	if !(q > 0 && q < 1) {
		return Result{}, fmt.Errorf("compare: quantile %v out of range: want a level in (0, 1), such as 0.99 for p99", q)
	}
	tail := min(q, 1-q)
	minN := int(math.Ceil(MinQuantileTail/tail - 1e-9))
	opts, s, res, err := begin("quantile", experiment, control, opts, 1)
	if err != nil {
		return Result{}, err
	}
	for _, g := range []struct {
		side string
		n    int
	}{{"experiment", len(s.x)}, {"control", len(s.y)}} {
		if g.n < minN {
			return Result{}, fmt.Errorf("compare: the %s has %d values; the %v-quantile needs at least %d (%d beyond the quantile) for a bootstrap: %w", g.side, g.n, q, minN, MinQuantileTail, ErrSampleSize)
		}
	}
	if rec := int(math.Ceil(RecommendedQuantileTail/tail - 1e-9)); min(len(s.x), len(s.y)) < rec {
		res.Warnings = append(res.Warnings, fmt.Errorf("%d+%d values: the bootstrap interval of the %v-quantile was checked for %d values or more per group; collect more", len(s.x), len(s.y), q, rec))
	}
	x, y := s.x, s.y
	sortPair(x, y)
	est := quantile7(x, q)
	ctl := quantile7(y, q)
	res.Method = Asymptotic
	res.Statistic = est - ctl
	res.ControlLevel = ctl

	B := opts.Resamples
	if err := stopped(ctx, "quantile bootstrap"); err != nil {
		return Result{}, err // before the B deltas' memory, possibly large
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	bx, by := newQuantileBoot(x, q, rng), newQuantileBoot(y, q, rng)
	// The interval reads at most two order statistics of the B values Δ*
	// in each tail: keep only the smallest and largest that it reads, not
	// all B (80 million at confidence 0.9999999 in steadystate's judge).
	alpha := 1 - opts.Confidence
	var lo, hi tailKeeper
	if !opts.NoShift {
		switch opts.Alternative {
		case Greater:
			lo = newTailKeeper(B, alpha, false)
		case Less:
			hi = newTailKeeper(B, 1-alpha, true)
		default:
			lo, hi = newTailKeeper(B, alpha/2, false), newTailKeeper(B, 1-alpha/2, true)
		}
	}
	var le, ge int
	for i := range B {
		if i%quantileCheckEvery == 0 {
			if err := stopped(ctx, "quantile bootstrap"); err != nil {
				return Result{}, err
			}
		}
		d := bx.draw() - by.draw()
		lo.add(d)
		hi.add(d)
		if d <= 0 {
			le++
		}
		if d >= 0 {
			ge++
		}
	}
	fb := float64(B + 1)
	switch opts.Alternative {
	case Greater:
		res.P = float64(le+1) / fb
	case Less:
		res.P = float64(ge+1) / fb
	default:
		res.P = 2 * float64(min(le, ge)+1) / fb
	}
	res.P = clamp01(res.P)
	minP := 1 / fb
	if opts.Alternative == TwoSided {
		minP = 2 / fb
	}
	if a := AlphaFromConfidence(opts.Confidence); !Significant(minP, a) {
		res.Warnings = append(res.Warnings, fmt.Errorf("with %d resamples the smallest p-value is %.3g, above alpha %.3g: raise Resamples", B, minP, a))
	}
	if opts.NoShift {
		res.Shift = nanShift(opts.Confidence)
		return res, nil
	}
	sh := Shift{Estimate: res.Statistic, Low: math.Inf(-1), High: math.Inf(1), Confidence: opts.Confidence, Method: Asymptotic}
	switch opts.Alternative {
	case Greater:
		sh.Low = lo.quantile7()
	case Less:
		sh.High = hi.quantile7()
	default:
		sh.Low, sh.High = lo.quantile7(), hi.quantile7()
	}
	res.Shift = sh
	return res, nil
}

// quantileCheckEvery is how many resamples QuantileContext draws between
// looks at its context: a resample is a Beta variate or two, about 0.3 µs,
// so a look every few milliseconds.
const quantileCheckEvery = 1 << 14

// quantile7 returns the q-quantile of the sorted, non-empty xs by linear
// interpolation between order statistics (R type 7, numpy "linear").
func quantile7(xs []float64, q float64) float64 {
	h := float64(len(xs)-1) * q
	k := int(math.Floor(h))
	if k >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	f := h - float64(k)
	if f == 0 {
		return xs[k]
	}
	return xs[k] + f*(xs[k+1]-xs[k])
}

// quantileBoot draws the type-7 q-quantile of bootstrap resamples of a
// sorted sample without forming the resamples (see Quantile).
type quantileBoot struct {
	x    []float64
	k    int     // 0-based index of the lower order statistic
	frac float64 // interpolation weight of the upper one
	beta distuv.Beta
	rng  *rand.Rand
}

func newQuantileBoot(sorted []float64, q float64, rng *rand.Rand) *quantileBoot {
	n := len(sorted)
	h := float64(n-1) * q
	k := min(int(math.Floor(h)), n-1)
	return &quantileBoot{
		x: sorted, k: k, frac: h - float64(k), rng: rng,
		// U_(k+1) (1-based) of n uniforms is Beta(k+1, n−k).
		beta: distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k), Src: rng},
	}
}

// at returns the resample value whose uniform is u: x_(⌈n·u⌉−1).
func (b *quantileBoot) at(u float64) float64 {
	n := len(b.x)
	i := int(math.Ceil(float64(n)*u)) - 1
	return b.x[max(0, min(n-1, i))]
}

func (b *quantileBoot) draw() float64 {
	n := len(b.x)
	u := b.beta.Rand()
	lo := b.at(u)
	if b.frac == 0 || b.k+1 >= n {
		return lo
	}
	// The next order statistic: the smallest of the n−k−1 uniforms above u,
	// u + (1−u)·(1 − V^{1/(n−k−1)}) with V uniform on (0, 1].
	v := 1 - b.rng.Float64()
	u2 := u + (1-u)*(-math.Expm1(math.Log(v)/float64(n-b.k-1)))
	hi := b.at(u2)
	return lo + b.frac*(hi-lo)
}

// tailKeeper keeps the values a type-7 quantile of a stream reads: the
// p-quantile of n values (quantile7) reads the order statistics k and k+1,
// k = ⌊(n − 1)p⌋, so the k+2 smallest values suffice for a low quantile
// and the n − k largest for a high one. It holds them in a heap whose top
// is the kept value nearest the middle, so a value that falls outside
// the tail costs one comparison. The zero tailKeeper keeps nothing.
type tailKeeper struct {
	n    int     // number of values the stream will hold
	p    float64 // the quantile wanted
	m    int     // values kept
	high bool    // keep the largest rather than the smallest
	heap []float64
}

func newTailKeeper(n int, p float64, high bool) tailKeeper {
	k := int(math.Floor(float64(n-1) * p))
	m := min(n, k+2)
	if high {
		m = max(1, n-k)
	}
	return tailKeeper{n: n, p: p, m: m, high: high, heap: make([]float64, 0, min(m, 1<<16))}
}

// outer reports whether a lies further into the kept tail than b, in the
// order slices.Sort gives float64s (NaN first).
func (t *tailKeeper) outer(a, b float64) bool {
	if t.high {
		return floatLess(b, a)
	}
	return floatLess(a, b)
}

// floatLess is the order of slices.Sort on float64: NaN below everything.
func floatLess(a, b float64) bool { return a < b || (a != a && b == b) }

// add offers v to the keeper.
func (t *tailKeeper) add(v float64) {
	if t.m == 0 {
		return
	}
	h := t.heap
	if len(h) < t.m {
		h = append(h, v)
		// Sift up: the root is the kept value furthest from the tail.
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !t.outer(h[p], h[i]) {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		t.heap = h
		return
	}
	if !t.outer(v, h[0]) {
		return
	}
	h[0] = v
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(h) {
			break
		}
		if c+1 < len(h) && t.outer(h[c], h[c+1]) {
			c++
		}
		if !t.outer(h[i], h[c]) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// quantile7 returns quantile7 of the n values offered, which must all have
// been; it sorts the kept values.
func (t *tailKeeper) quantile7() float64 {
	slices.SortFunc(t.heap, func(a, b float64) int {
		switch {
		case floatLess(a, b):
			return -1
		case floatLess(b, a):
			return 1
		}
		return 0
	})
	// at returns the i-th smallest of the n values, kept by the tail.
	off := 0
	if t.high {
		off = t.n - len(t.heap)
	}
	at := func(i int) float64 { return t.heap[i-off] }
	// As quantile7, on the order statistics at reads.
	h := float64(t.n-1) * t.p
	k := int(math.Floor(h))
	if k >= t.n-1 {
		return at(t.n - 1)
	}
	f := h - float64(k)
	if f == 0 {
		return at(k)
	}
	return at(k) + f*(at(k+1)-at(k))
}
