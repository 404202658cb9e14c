package criteria

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/chaosstat/chaosstat/compare"
)

// Component names the series on which the Deseasonalised correlation was
// measured, the one that carried it in CorrelationCriterion.Component.
type Component string

const (
	// ComponentDeseasonalised is each series' level less its seasonal
	// profile (the median of the same time of day on the other days) and
	// less its slow level (a running median over a quarter of the
	// season): what is left after removing the daily cycle and the trend.
	// Incidents and spells of minutes to hours live here.
	ComponentDeseasonalised Component = "deseasonalised"
	// ComponentLevels is each series' level less its slow level, when the
	// data span less than two seasons and no daily cycle could be removed.
	ComponentLevels Component = "levels"
	// ComponentChanges is the first difference of the deseasonalised
	// series: co-movement from one step to the next.
	ComponentChanges Component = "changes"
	// ComponentPrewhitened is the deseasonalised series filtered by the
	// autoregressive model fitted to satisfaction's (Box & Jenkins'
	// prewhitening): surprises, spikes and the edges of steps.
	ComponentPrewhitened Component = "prewhitened"
)

// Describe says in words what the component is, for the report.
func (c Component) Describe() string {
	switch c {
	case ComponentDeseasonalised:
		return "levels after removing the daily cycle and the trend"
	case ComponentLevels:
		return "levels after removing the trend (too short to remove a daily cycle)"
	case ComponentChanges:
		return "changes of the deseasonalised series"
	case ComponentPrewhitened:
		return "prewhitened residuals (surprises)"
	}
	return string(c)
}

// ComponentCorrelation is one component's correlation at the best lag by
// one coefficient.
type ComponentCorrelation struct {
	Component Component
	// Method is Options.Method, or Pearson, which is tried beside a rank
	// coefficient.
	Method compare.CorrelationMethod
	// Coefficient is in [−1, 1] (NaN when it could not be computed); P
	// its p-value corrected for autocorrelation (EffectiveN), for the lags
	// searched and for the components and coefficients tried (Bonferroni:
	// min(1, lags·tries·p)).
	Coefficient, P float64
	N              int
	EffectiveN     float64
}

// crMaxAROrder is the largest order of the prewhitening filter; AIC picks
// the order at or below it.
const crMaxAROrder = 10

// crSeasonalAdjust returns x less its seasonal profile: at each i, the
// median of x at i + j·s + w over the other seasons j ≠ 0 and |w| <= hw
// steps (a window that keeps an incident on another day from setting the
// profile). NaN where x is missing or fewer than hw+1 such values exist.
// The caller makes sure the data span at least two seasons.
//
// The values at the points of one time of day p = i mod s, all seasons
// together, form one multiset T(p) (each window counted once, overlaps
// twice); point i's is T(p) less its own window W(i). T(p+1) is T(p) with
// every window slid one step, two changes a season, so T is kept in a
// Fenwick tree of counts over the ranks of x's values and updated as p
// runs from 0 to s−1, each window's ranks kept sorted beside it, and
// point i's median is read off T with W(i)'s ranks subtracted on the way
// down. Its work is O(n·(log n + hw))
// (it was n²/s·(2hw+1) values, minutes at a million points), and its result
// is the one the direct medians give, to the bit but the sign of a zero
// median (TestCrSeasonalAdjustMatchesDirect). It checks ctx every
// crCheckEvery points and returns crStopped's error when ctx is done.
func crSeasonalAdjust(ctx context.Context, x []float64, s, hw int) ([]float64, error) {
	n := len(x)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	// The ranks: sorted[r] is the r-th smallest present value (ties in
	// time order), rank[i] x[i]'s r, −1 where x[i] is missing.
	order := make([]int32, 0, n)
	for i, v := range x {
		if !math.IsNaN(v) {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(i, j int32) int {
		if c := cmp.Compare(x[i], x[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	sorted := make([]float64, len(order))
	rank := make([]int32, n)
	for i := range rank {
		rank[i] = -1
	}
	for r, i := range order {
		sorted[r], rank[i] = x[i], int32(r)
	}
	t := newCrCountTree(len(order))
	// wins[j] holds the ranks of the window around p + j·s, sorted, as p
	// runs: point i's own window, to subtract from T(p).
	wins := make([][]int32, (n+s-1)/s)
	for j := range wins {
		c := j * s
		w := make([]int32, 0, 2*hw+1)
		for k := max(0, c-hw); k <= min(n-1, c+hw); k++ {
			if rank[k] >= 0 {
				w = append(w, rank[k])
				t.add(rank[k], 1) // T(0)
			}
		}
		slices.Sort(w)
		wins[j] = w
	}
	done := 0
	for p := 0; p < s && p < n; p++ {
		if p > 0 {
			// T(p−1) to T(p): each window c ≡ p−1 slides to c+1, the
			// last one drops out if c+1 is past the end.
			for j, c := 0, p-1; c < n; j, c = j+1, c+s {
				if c+1 >= n {
					for _, r := range wins[j] {
						t.add(r, -1)
					}
					wins[j] = wins[j][:0]
					continue
				}
				if k := c - hw; k >= 0 && rank[k] >= 0 {
					t.add(rank[k], -1)
					wins[j] = crSortedRemove(wins[j], rank[k])
				}
				if k := c + 1 + hw; k < n && rank[k] >= 0 {
					t.add(rank[k], 1)
					wins[j] = crSortedInsert(wins[j], rank[k])
				}
			}
		}
		for j, i := 0, p; i < n; j, i = j+1, i+s {
			if done%crCheckEvery == 0 {
				if err := crStopped(ctx); err != nil {
					return nil, err
				}
			}
			done++
			if rank[i] < 0 {
				continue
			}
			own := wins[j]
			m := int(t.total) - len(own)
			if m <= hw {
				continue
			}
			med := sorted[t.kth(m/2, own)]
			if m%2 == 0 {
				med = (sorted[t.kth(m/2-1, own)] + med) / 2
			}
			out[i] = x[i] - med
		}
	}
	return out, nil
}

// crSortedRemove removes r, present, from the sorted w.
func crSortedRemove(w []int32, r int32) []int32 {
	k, _ := slices.BinarySearch(w, r)
	return slices.Delete(w, k, k+1)
}

// crSortedInsert inserts r, absent (ranks are distinct), into the sorted w.
func crSortedInsert(w []int32, r int32) []int32 {
	k, _ := slices.BinarySearch(w, r)
	return slices.Insert(w, k, r)
}

// crCountTree is a Fenwick (binary indexed) tree of counts over ranks
// 0..len−1 (Fenwick 1994, Software: Practice and Experience 24(3)).
type crCountTree struct {
	c     []int32 // c[j] counts the ranks in (j − lowbit(j), j], 1-based
	total int32
	top   int // the largest power of two <= len
}

func newCrCountTree(m int) *crCountTree {
	top := 1
	for top*2 <= m {
		top *= 2
	}
	return &crCountTree{c: make([]int32, m+1), top: top}
}

// add adds d to the count of rank r.
func (t *crCountTree) add(r, d int32) {
	t.total += d
	for j := int(r) + 1; j < len(t.c); j += j & -j {
		t.c[j] += d
	}
}

// kth returns the rank of the k-th smallest (0-based) element of the
// counted multiset less the ranks in less (sorted, each counted in t).
func (t *crCountTree) kth(k int, less []int32) int {
	pos, want := 0, int32(k+1) // pos ranks below are fewer than want
	below := 0                 // the elements of less with rank < pos
	for step := t.top; step > 0; step /= 2 {
		next := pos + step
		if next >= len(t.c) {
			continue
		}
		j := below
		for j < len(less) && int(less[j]) < next {
			j++
		}
		if cnt := t.c[next] - int32(j-below); cnt < want {
			pos, want, below = next, want-cnt, j
		}
	}
	return pos // 0-based: the ranks 0..pos−1 hold k elements or fewer
}

// crCheckEvery is how many points crSeasonalAdjust adjusts between looks at
// its context.
const crCheckEvery = 64

// crRemoveSlow returns x less a running median over ±hw steps, computed at
// knots every `every` steps and interpolated linearly between them: the
// trend and the slow level (a weekly cycle, a weekend) that neither the
// daily profile nor the relation explains.
func crRemoveSlow(x []float64, hw, every int) []float64 {
	n := len(x)
	every = max(1, every)
	var knots []int
	var level []float64
	buf := make([]float64, 0, 2*hw+1)
	for c := 0; c < n+every-1; c += every {
		c := min(c, n-1)
		buf = buf[:0]
		for k := max(0, c-hw); k <= min(n-1, c+hw); k++ {
			if !math.IsNaN(x[k]) {
				buf = append(buf, x[k])
			}
		}
		if len(buf) > 0 {
			knots, level = append(knots, c), append(level, crMedian(buf))
		}
		if c == n-1 {
			break
		}
	}
	out := make([]float64, n)
	j := 0
	for i, v := range x {
		switch {
		case math.IsNaN(v) || len(knots) == 0:
			out[i] = math.NaN()
			continue
		case i <= knots[0]:
			out[i] = v - level[0]
			continue
		case i >= knots[len(knots)-1]:
			out[i] = v - level[len(level)-1]
			continue
		}
		for knots[j+1] < i {
			j++
		}
		f := float64(i-knots[j]) / float64(knots[j+1]-knots[j])
		out[i] = v - (level[j] + f*(level[j+1]-level[j]))
	}
	return out
}

// crMedian returns the median of buf (no NaN), reordering it: the k-th
// smallest by quickselect, O(len) on average where a sort is O(n log n)
// (the seasonal profile takes one median per point).
func crMedian(buf []float64) float64 {
	m := len(buf) / 2
	hi := crSelect(buf, m)
	if len(buf)%2 == 1 {
		return hi
	}
	// The (m−1)-th smallest is the largest of those left below m.
	return (slices.Max(buf[:m]) + hi) / 2
}

// crSelect reorders x so that x[k] is its k-th smallest value (0-based),
// with no larger value before it and no smaller after, and returns it
// (Hoare's selection, median-of-three pivots).
func crSelect(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}

// crARFit fits an autoregressive model to x (NaN missing) by Yule–Walker
// (the Levinson–Durbin recursion on crACF's autocorrelations) and returns
// the coefficients φ_1..φ_p of the order p <= pmax with the smallest AIC,
// n·log σ²_p + 2p (Brockwell & Davis 2016, Introduction to Time Series and
// Forecasting, 3rd ed., §2.5.3 and §5.1.1; Akaike 1974).
func crARFit(x []float64, pmax int) []float64 {
	r := crACF(x, false)
	if r == nil {
		return nil
	}
	n := 0
	for _, v := range x {
		if !math.IsNaN(v) {
			n++
		}
	}
	pmax = min(pmax, len(r)-1)
	phi := make([]float64, 0, pmax)
	best, bestAIC := []float64(nil), 0.0 // order 0: σ² = 1 (r_0), AIC 0
	v := 1.0
	for p := 1; p <= pmax; p++ {
		// Levinson–Durbin: the new partial autocorrelation, then update.
		num := r[p]
		for j := 1; j < p; j++ {
			num -= phi[j-1] * r[p-j]
		}
		k := num / v
		if math.IsNaN(k) || math.Abs(k) >= 1 {
			break
		}
		next := make([]float64, p)
		for j := 1; j < p; j++ {
			next[j-1] = phi[j-1] - k*phi[p-j-1]
		}
		next[p-1] = k
		phi = next
		v *= 1 - k*k
		if aic := float64(n)*math.Log(v) + 2*float64(p); aic < bestAIC {
			best, bestAIC = phi, aic
		}
	}
	return best
}

// crPrewhiten applies the filter e_t = x_t − Σ_j φ_j x_{t−j} to x. Gaps of
// up to maxFill steps are filled by linear interpolation for the filter
// only, so that one missing point does not cost the p+1 residuals that
// need it; a residual is NaN where x_t itself is missing or the filter
// reaches into a longer gap.
func crPrewhiten(x, phi []float64, maxFill int) []float64 {
	n := len(x)
	f := make([]float64, n)
	copy(f, x)
	last := -1 // the last present index
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		if last >= 0 && i-last > 1 && i-last-1 <= maxFill {
			for k := last + 1; k < i; k++ {
				w := float64(k-last) / float64(i-last)
				f[k] = x[last] + w*(v-x[last])
			}
		}
		last = i
	}
	out := make([]float64, n)
	for t := range out {
		out[t] = math.NaN()
		if math.IsNaN(x[t]) || t < len(phi) {
			continue
		}
		e := f[t]
		for j, p := range phi {
			e -= p * f[t-j-1]
		}
		out[t] = e // NaN when the filter reached an unfilled gap
	}
	return out
}

// crDeseasonalise lays out the components of one series on the grid:
// deseasonalised (or detrended) levels, their changes; season is the
// number of steps in a season, 0 when the data are too short for one.
// It returns crStopped's error when ctx is done.
func crDeseasonalise(ctx context.Context, x []float64, season, hw, slowHW, slowEvery int) (levels, changes []float64, err error) {
	levels = x
	if season > 0 {
		if levels, err = crSeasonalAdjust(ctx, x, season, hw); err != nil {
			return nil, nil, err
		}
	}
	levels = crRemoveSlow(levels, slowHW, slowEvery)
	return levels, crDiff(levels, 1), nil
}

// crAdjusted is the Deseasonalised criterion (see Evaluate). H0: the
// metric is independent of satisfaction once both have lost their daily
// cycle and slow level; H1: they are related at some lag within ±K steps,
// in either direction (two-sided). The lag k̂ maximises |r_w(k)|, Pearson's
// r of the prewhitened series w = φ(B)·x, φ fitted to satisfaction (Box,
// Jenkins, Reinsel & Ljung 2015, Time Series Analysis, 5th ed., §12.2:
// with satisfaction's residuals close to white, r_w(k) is near zero except
// where the metric responds). At k̂, each component c (deseasonalised
// levels, their changes, surprises) and coefficient m gives a p-value with
// its own effective n (crEffectiveShareSeasonal), and
//
//	P = min(1, (2K+1)·T·min_{c,m} p_{c,m})
//
// over the T pairs tried (Bonferroni; the pair judged is the carrier: one
// that passes before one that fails, then the smaller p). The coefficient
// is in [−1, 1]; its sign says whether the metric rises with satisfaction.
// Statistically significant is not the same as large: MinCorrelation
// bounds the size. BENCHMARKS.md has its detection and false-pass rates.
//
// It returns crStopped's error when ctx is done.
func crAdjusted(ctx context.Context, pr crPair, opts Options, cc CorrelationCriterion) (CorrelationCriterion, []error, error) {
	var warnings []error
	K, n := pr.K, pr.n
	core := func(x []float64) []float64 { return x[K : n-K] }
	if !pr.seasonRemoved {
		warnings = append(warnings, fmt.Errorf("the data span less than two %s seasons: no daily cycle was removed, only the trend; a cycle the two series share can make or hide a correlation: use a longer period", compare.ShortDuration(opts.Season)))
	}
	cc.AROrder, cc.SeasonRemoved = len(pr.phi), pr.seasonRemoved
	// The lag: Pearson's cross-correlation of the prewhitened series
	// (Box & Jenkins): with satisfaction's residuals close to white, the
	// cross-correlation is sharp at the lag the metric follows by.
	lags, wShare, err := crPrewhitenedCCF(ctx, pr)
	if err := crStopped(ctx); err != nil {
		return cc, nil, err
	}
	if err != nil {
		warnings = append(warnings, err)
		return cc, warnings, nil
	}
	best := -1
	for i, l := range lags {
		if math.IsNaN(l.Coefficient) {
			continue
		}
		if best < 0 || math.Abs(l.Coefficient) > math.Abs(lags[best].Coefficient) ||
			(math.Abs(l.Coefficient) == math.Abs(lags[best].Coefficient) && crAbs(i-K) < crAbs(best-K)) {
			best = i
		}
	}
	if best < 0 {
		warnings = append(warnings, fmt.Errorf("no correlation could be computed: need at least %d pairs of prewhitened values at some lag", MinPoints))
		return cc, warnings, nil
	}
	k := best - K
	cc.Lag = time.Duration(k) * pr.grid
	cc.PrewhitenedCoefficient, cc.PrewhitenedP = lags[best].Coefficient, lags[best].P

	// Each component at that lag, with opts.Method.
	type comp struct {
		name Component
		a, b []float64
	}
	lvl := ComponentDeseasonalised
	if !pr.seasonRemoved {
		lvl = ComponentLevels
	}
	comps := []comp{{lvl, pr.ad, pr.bd}, {ComponentChanges, pr.ac, pr.bc}, {ComponentPrewhitened, pr.aw, pr.bw}}
	// The effective shares, each computed once: a share is four FFTs
	// of twice the series' length, and its ranks two sorts.
	type shareKey struct {
		ci    int
		ranks bool
	}
	type shareVal struct {
		sh  float64
		err error
	}
	shares := map[shareKey]shareVal{{2, false}: {wShare, nil}} // the prewhitened CCF's
	shareOf := func(ci int, ranks bool) (float64, error) {
		k := shareKey{ci, ranks}
		v, ok := shares[k]
		if !ok {
			v.sh, v.err = crEffectiveShareSeasonal(core(comps[ci].a), core(comps[ci].b), ranks, pr.season, pr.hw)
			shares[k] = v
		}
		return v.sh, v.err
	}
	// Each component by opts.Method and the deseasonalised levels, when
	// that is a rank coefficient, by Pearson's r too: ranks ignore the
	// size of a change, and a relation that shows only in a dozen
	// incidents lives in their size. Not the changes' and surprises'
	// Pearson r: there an incident is two extreme values, and a few
	// chance coincidences of extremes make r's tails far heavier than its
	// test assumes (BENCHMARKS.md: their p-values were the most liberal).
	methodsOf := func(ci int) []compare.CorrelationMethod {
		if ci == 0 && opts.Method != compare.Pearson {
			return []compare.CorrelationMethod{opts.Method, compare.Pearson}
		}
		return []compare.CorrelationMethod{opts.Method}
	}
	tries := 0
	for ci := range comps {
		tries += len(methodsOf(ci))
	}
	bonf := float64(cc.LagsSearched * tries)
	pass := func(c ComponentCorrelation) bool {
		return math.Abs(c.Coefficient) >= opts.MinCorrelation && compare.Significant(c.P, opts.Alpha)
	}
	carry, carryComp := -1, 0
	for ci, c := range comps {
		x, y := crLagPairs(c.a, c.b, K, k)
		for _, m := range methodsOf(ci) {
			cr := ComponentCorrelation{Component: c.name, Method: m, Coefficient: math.NaN(), P: 1, N: len(x), EffectiveN: math.NaN()}
			if len(x) >= MinPoints {
				sh, err := shareOf(ci, m != compare.Pearson)
				if err == nil {
					r, err := compare.Correlate(m, x, y, compare.CorrelationOptions{EffectiveN: sh * float64(len(x))})
					if err == nil {
						cr.Coefficient, cr.P, cr.EffectiveN = r.Coefficient, min(1, bonf*r.P), r.EffectiveN
					}
				}
			}
			cc.Components = append(cc.Components, cr)
			if math.IsNaN(cr.Coefficient) {
				continue
			}
			// The carrier: a passing one before a failing one, then the
			// smaller p, then the larger |coefficient|.
			if carry >= 0 {
				old := cc.Components[carry]
				switch {
				case pass(old) && !pass(cr):
					continue
				case pass(old) == pass(cr) && (cr.P > old.P || (cr.P == old.P && math.Abs(cr.Coefficient) <= math.Abs(old.Coefficient))):
					continue
				}
			}
			carry, carryComp = len(cc.Components)-1, ci
		}
	}
	if carry < 0 {
		warnings = append(warnings, fmt.Errorf("no correlation: a series does not change over the pairs at the best lag"))
		return cc, warnings, nil
	}
	carryX, carryY := crLagPairs(comps[carryComp].a, comps[carryComp].b, K, k)
	var carryShare [2]float64
	for i, ranks := range []bool{false, true} {
		carryShare[i], _ = shareOf(carryComp, ranks)
	}
	c := cc.Components[carry]
	cc.Component, cc.Method = c.Component, c.Method
	cc.Coefficient, cc.P, cc.N, cc.EffectiveN = c.Coefficient, c.P, c.N, c.EffectiveN
	cc.Pass = math.Abs(cc.Coefficient) >= opts.MinCorrelation && compare.Significant(cc.P, opts.Alpha)
	for _, m := range []compare.CorrelationMethod{compare.Spearman, compare.Pearson, compare.Kendall} {
		if m == cc.Method {
			cc.Methods = append(cc.Methods, MethodCorrelation{Method: m, Coefficient: cc.Coefficient, P: cc.P})
			continue
		}
		sh := carryShare[0]
		if m != compare.Pearson {
			sh = carryShare[1]
		}
		r, err := compare.Correlate(m, carryX, carryY, compare.CorrelationOptions{EffectiveN: sh * float64(len(carryX))})
		if err != nil {
			continue
		}
		cc.Methods = append(cc.Methods, MethodCorrelation{Method: m, Coefficient: r.Coefficient, P: min(1, bonf*r.P)})
	}
	switch {
	case cc.Pass:
	case math.Abs(cc.Coefficient) < opts.MinCorrelation && compare.Significant(cc.P, opts.Alpha):
		warnings = append(warnings, fmt.Errorf("the correlation of its %s, %.2f, is significant but weaker than %.2f: it moves with satisfaction too loosely to stand for it", cc.Component.Describe(), cc.Coefficient, opts.MinCorrelation))
	default:
		warnings = append(warnings, fmt.Errorf("neither its deseasonalised levels, their changes nor its surprises correlate with satisfaction's (best: %s %s %.2f, p = %.3g at %s, the prewhitened peak): it does not track customer experience",
			cc.Component, cc.Method, cc.Coefficient, cc.P, crSignedDur(cc.Lag)))
	}
	if cc.EffectiveN < 30 {
		warnings = append(warnings, fmt.Errorf("the pairs are worth %.0f independent ones: the p-value is rough; use a longer period", cc.EffectiveN))
	}
	return cc, warnings, nil
}

// crLagPairs returns the pairs (a[i], b[i+k]) with both present, i over
// the overlap [K, len(a)−K).
func crLagPairs(a, b []float64, K, k int) (x, y []float64) {
	return crLagPairsTo(nil, nil, a, b, K, k)
}

// crLagPairsTo is crLagPairs appending to x[:0] and y[:0], for a loop over
// lags that reuses its buffers.
func crLagPairsTo(x, y, a, b []float64, K, k int) ([]float64, []float64) {
	x, y = x[:0], y[:0]
	for i := K; i < len(a)-K; i++ {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i+k]) {
			x, y = append(x, a[i]), append(y, b[i+k])
		}
	}
	return x, y
}

// crPrewhitenedCCF returns Pearson's correlation of the prewhitened series
// at every lag −K..K, each p corrected for autocorrelation (the residuals'
// effective n, close to n when the filter whitened satisfaction) and for
// the lags searched, and the effective share used. It returns crStopped's
// error when ctx is done.
func crPrewhitenedCCF(ctx context.Context, pr crPair) ([]LagCorrelation, float64, error) {
	K, n := pr.K, pr.n
	share, err := crEffectiveShareSeasonal(pr.aw[K:n-K], pr.bw[K:n-K], false, pr.season, pr.hw)
	if err != nil {
		return nil, 0, err
	}
	// 2K+1 lags, each O(n): K = MaxLag/grid, which crAlign keeps below
	// the overlap. The pairs' buffers are reused (PearsonR copies them).
	out := make([]LagCorrelation, 0, 2*K+1)
	x, y := make([]float64, 0, n-2*K), make([]float64, 0, n-2*K)
	for k := -K; k <= K; k++ {
		if err := crStopped(ctx); err != nil {
			return nil, 0, err
		}
		x, y = crLagPairsTo(x, y, pr.aw, pr.bw, K, k)
		lc := LagCorrelation{Lag: time.Duration(k) * pr.grid, Coefficient: math.NaN(), P: math.NaN(), N: len(x)}
		if len(x) >= MinPoints {
			if r, err := compare.PearsonR(x, y, compare.CorrelationOptions{EffectiveN: share * float64(len(x))}); err == nil {
				lc.Coefficient, lc.P = r.Coefficient, min(1, float64(2*K+1)*r.P)
			}
		}
		out = append(out, lc)
	}
	return out, share, nil
}

// crAdjust fills pr's Deseasonalised components from its levels.
// It returns crStopped's error when ctx is done.
func crAdjust(ctx context.Context, pr *crPair, opts Options) error {
	g := pr.grid
	season := 0
	if opts.Season%g == 0 && time.Duration(pr.n-2*pr.K)*g >= 2*opts.Season {
		season = int(opts.Season / g)
	}
	pr.seasonRemoved = season > 0
	hw := int(crProfileWindow / g)
	pr.season, pr.hw = season, hw
	// The slow level: a running median over ±Season/8 (±3h for a day),
	// at knots every Season/48 (30 minutes).
	slowHW, every := max(1, int(opts.Season/8/g)), max(1, int(opts.Season/48/g))
	var err error
	if pr.ad, pr.ac, err = crDeseasonalise(ctx, pr.av, season, hw, slowHW, every); err != nil {
		return err
	}
	if pr.bd, pr.bc, err = crDeseasonalise(ctx, pr.bv, season, hw, slowHW, every); err != nil {
		return err
	}
	pr.phi = crARFit(pr.ad[pr.K:pr.n-pr.K], crMaxAROrder)
	maxFill := max(crMaxAROrder, len(pr.phi))
	pr.aw, pr.bw = crPrewhiten(pr.ad, pr.phi, maxFill), crPrewhiten(pr.bd, pr.phi, maxFill)
	return nil
}

// crProfileWindow is the half-width of the window of the seasonal profile
// around the same time on other days.
const crProfileWindow = 15 * time.Minute
