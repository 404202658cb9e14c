package compare

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// CorrelationMethod selects a correlation coefficient. The zero value is
// Spearman, the default chaosstat uses for service metrics: it sees any
// monotone relation (latency against satisfaction is rarely linear) and a
// few extreme minutes cannot make it.
type CorrelationMethod int

const (
	// Spearman's rank correlation rho: Pearson's r of the average ranks.
	Spearman CorrelationMethod = iota
	// Pearson's product-moment correlation r: the linear relation.
	Pearson
	// Kendall's tau-b: concordant minus discordant pairs, corrected for
	// ties in either variable.
	Kendall
)

var correlationMethodNames = [...]string{"spearman", "pearson", "kendall"}

// String returns "spearman", "pearson" or "kendall".
func (m CorrelationMethod) String() string {
	if m >= 0 && int(m) < len(correlationMethodNames) {
		return correlationMethodNames[m]
	}
	return fmt.Sprintf("CorrelationMethod(%d)", int(m))
}

// ParseCorrelationMethod parses "spearman", "pearson" or "kendall".
func ParseCorrelationMethod(s string) (CorrelationMethod, error) {
	for i, n := range correlationMethodNames {
		if s == n {
			return CorrelationMethod(i), nil
		}
	}
	return 0, fmt.Errorf("unknown correlation method %q: want spearman, pearson or kendall", s)
}

// MarshalText implements encoding.TextMarshaler.
func (m CorrelationMethod) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// CorrelationOptions configures a correlation test. The zero value is
// scipy's default: two-sided, Auto method, the p-value for n independent
// pairs.
type CorrelationOptions struct {
	// Alternative: TwoSided (the correlation is not zero), Greater (it is
	// positive) or Less (it is negative).
	Alternative Alternative
	// Method picks the p-value of Kendall's tau: Auto (exact when there
	// are no ties and n <= 33, as scipy), Exact or Asymptotic. Pearson's
	// and Spearman's p-values have one method each and ignore it.
	Method Method
	// EffectiveN, when positive and below the number of pairs, replaces
	// the number of pairs in the p-value: the number of independent pairs
	// that autocorrelated series are worth (see steadystate's correlation
	// criterion). Pearson and Spearman then use n_eff − 2 degrees of
	// freedom; Kendall's z is multiplied by √(n_eff/n) and is always
	// asymptotic. Zero means the pairs are independent.
	EffectiveN float64
}

// CorrelationResult is the outcome of a correlation test.
type CorrelationResult struct {
	// Test is the coefficient computed.
	Test CorrelationMethod
	// Method is how the p-value was computed: Exact (Kendall without ties,
	// small n) or Asymptotic (the t, beta or normal distribution).
	Method      Method
	Alternative Alternative
	// Coefficient is r, rho or tau-b, in [−1, 1].
	Coefficient float64
	// P is the p-value, in [0, 1].
	P float64
	// N is the number of pairs used (pairs with a missing value left out).
	N int
	// EffectiveN is the number of independent pairs the p-value assumed:
	// N unless CorrelationOptions.EffectiveN lowered it.
	EffectiveN float64
	// Warnings say where the test ran but its answer is weak.
	Warnings []error
}

// String formats the result: "spearman asymptotic: rho=0.8208 p=0.0886 n=5".
func (r CorrelationResult) String() string {
	var b strings.Builder
	sym := map[CorrelationMethod]string{Spearman: "rho", Pearson: "r", Kendall: "tau"}[r.Test]
	fmt.Fprintf(&b, "%s %s", r.Test, r.Method)
	if r.Alternative != TwoSided {
		fmt.Fprintf(&b, " (%s)", r.Alternative)
	}
	fmt.Fprintf(&b, ": %s=%.4g p=%.3g n=%d", sym, r.Coefficient, r.P, r.N)
	if r.EffectiveN < float64(r.N) {
		fmt.Fprintf(&b, " n_eff=%.1f", r.EffectiveN)
	}
	return b.String()
}

// ErrConstantInput is returned by the correlation tests when one of the
// variables takes a single value, so that no correlation is defined
// (scipy returns NaN with a ConstantInputWarning).
var ErrConstantInput = errors.New("constant input: the correlation is undefined")

// Correlate computes the correlation coefficient m of x and y with its
// p-value; see PearsonR, SpearmanRho and KendallTauB.
func Correlate(m CorrelationMethod, x, y []float64, opts CorrelationOptions) (CorrelationResult, error) {
	switch m {
	case Spearman:
		return SpearmanRho(x, y, opts)
	case Pearson:
		return PearsonR(x, y, opts)
	case Kendall:
		return KendallTauB(x, y, opts)
	}
	return CorrelationResult{}, fmt.Errorf("compare: invalid %v", m)
}

// corrBegin validates the options, drops the pairs where either value is
// missing (NaN) and checks what every coefficient needs: at least two
// pairs, finite values, neither variable constant.
func corrBegin(test CorrelationMethod, x, y []float64, opts CorrelationOptions) (xs, ys []float64, res CorrelationResult, err error) {
	if len(x) != len(y) {
		return nil, nil, res, fmt.Errorf("compare: %s: x has %d values and y %d; want pairs of equal length", test, len(x), len(y))
	}
	if opts.Alternative < TwoSided || opts.Alternative > Less {
		return nil, nil, res, fmt.Errorf("compare: invalid %v", opts.Alternative)
	}
	if opts.Method < Auto || opts.Method > Asymptotic {
		return nil, nil, res, fmt.Errorf("compare: invalid %v", opts.Method)
	}
	if math.IsNaN(opts.EffectiveN) || opts.EffectiveN < 0 {
		return nil, nil, res, fmt.Errorf("compare: %s: effective n %v: want a positive number, or 0 for independent pairs", test, opts.EffectiveN)
	}
	res = CorrelationResult{Test: test, Alternative: opts.Alternative}
	xs = make([]float64, 0, len(x))
	ys = make([]float64, 0, len(y))
	for i := range x {
		switch {
		case math.IsInf(x[i], 0):
			return nil, nil, res, fmt.Errorf("compare: %s: x[%d] is %v: %w", test, i, x[i], ErrNonFinite)
		case math.IsInf(y[i], 0):
			return nil, nil, res, fmt.Errorf("compare: %s: y[%d] is %v: %w", test, i, y[i], ErrNonFinite)
		case math.IsNaN(x[i]) || math.IsNaN(y[i]):
			continue
		}
		xs = append(xs, x[i])
		ys = append(ys, y[i])
	}
	if d := len(x) - len(xs); d > 0 {
		res.Warnings = append(res.Warnings, fmt.Errorf("%d of %d pairs have a missing (NaN) value and were left out; check the data source for gaps", d, len(x)))
	}
	n := len(xs)
	if n < 2 {
		return nil, nil, res, fmt.Errorf("compare: %s: %d complete pairs, need at least 2: %w", test, n, ErrSampleSize)
	}
	for _, v := range [2]struct {
		name string
		s    []float64
	}{{"x", xs}, {"y", ys}} {
		if slices.Min(v.s) == slices.Max(v.s) {
			return nil, nil, res, fmt.Errorf("compare: %s: every %s value is %v: %w", test, v.name, v.s[0], ErrConstantInput)
		}
	}
	res.N = n
	res.EffectiveN = float64(n)
	if opts.EffectiveN > 0 && opts.EffectiveN < float64(n) {
		res.EffectiveN = opts.EffectiveN
	}
	if n == 2 {
		res.Warnings = append(res.Warnings, errors.New("two pairs always lie on a line: the coefficient is ±1 and p = 1; collect more points"))
	}
	return xs, ys, res, nil
}

// PearsonR computes Pearson's product-moment correlation of x and y and the
// p-value of the test of no correlation.
//
// The null hypothesis is that x and y are uncorrelated (and jointly
// normal); the alternative is that the correlation differs from zero
// (TwoSided), is positive (Greater) or negative (Less):
//
//	r = Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²)
//
// Under the null r is Beta(n/2−1, n/2−1) on [−1, 1], which is the same test
// as t = r√((n−2)/(1−r²)) on n−2 degrees of freedom; P comes from the beta
// distribution, as scipy 1.10's pearsonr. With two pairs r is ±1 and P = 1.
//
// Pairs with a missing value (NaN) are left out with a warning. Fewer than
// two pairs give ErrSampleSize; a constant x or y gives ErrConstantInput;
// an infinity ErrNonFinite. Statistically significant is not the same as
// strong: read Coefficient.
//
// [1] Student (1908). Probable error of a correlation coefficient.
// Biometrika 6, 302–310. [2] scipy.stats.pearsonr, scipy 1.10.
func PearsonR(x, y []float64, opts CorrelationOptions) (CorrelationResult, error) {
	xs, ys, res, err := corrBegin(Pearson, x, y, opts)
	if err != nil {
		return CorrelationResult{}, err
	}
	res.Method = Asymptotic
	if len(xs) == 2 {
		res.Coefficient = corrSign(xs[1]-xs[0]) * corrSign(ys[1]-ys[0])
		res.P = 1
		return res, nil
	}
	r, near := pearsonCoef(xs, ys)
	if near {
		res.Warnings = append(res.Warnings, errors.New("a variable is nearly constant: its deviations from the mean are at the rounding level, and r may be inaccurate"))
	}
	res.Coefficient = r
	res.P = pearsonP(r, res.EffectiveN, opts.Alternative)
	if res.EffectiveN < 3 {
		res.Warnings = append(res.Warnings, fmt.Errorf("effective n = %.3g leaves no degrees of freedom: p = 1; collect a longer series", res.EffectiveN))
	}
	return res, nil
}

func corrSign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// pearsonCoef returns Pearson's r computed as scipy 1.10 does (centred,
// each side scaled by its norm, then the dot product, clipped to [−1, 1]),
// and whether a variable is nearly constant.
func pearsonCoef(x, y []float64) (r float64, nearConstant bool) {
	mx, my := corrMean(x), corrMean(y)
	xm := make([]float64, len(x))
	ym := make([]float64, len(y))
	for i := range x {
		xm[i] = x[i] - mx
		ym[i] = y[i] - my
	}
	nx, ny := corrNorm(xm), corrNorm(ym)
	const threshold = 1e-13
	nearConstant = nx < threshold*math.Abs(mx) || ny < threshold*math.Abs(my)
	var s float64
	for i := range xm {
		s += (xm[i] / nx) * (ym[i] / ny)
	}
	return max(-1, min(1, s)), nearConstant
}

func corrMean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// corrNorm is the Euclidean norm, scaled so that it neither overflows nor
// underflows (as BLAS nrm2).
func corrNorm(x []float64) float64 {
	var scale float64
	for _, v := range x {
		scale = max(scale, math.Abs(v))
	}
	if scale == 0 {
		return 0
	}
	var s float64
	for _, v := range x {
		u := v / scale
		s += u * u
	}
	return scale * math.Sqrt(s)
}

// pearsonP is scipy's pearsonr p-value: r is Beta(n/2−1, n/2−1) on [−1, 1].
// The standardised point (|r|+1)/2 lies in [0.5, 1], so its complement is
// exact in floating point and the upper tail is I_{1−x}(ab, ab) by
// symmetry.
func pearsonP(r, n float64, alt Alternative) float64 {
	if n < 3 {
		return 1
	}
	ab := n/2 - 1
	sf := func(r float64) float64 { // P(R >= r)
		x := (r + 1) / 2
		return mathext.RegIncBeta(ab, ab, 1-x)
	}
	var p float64
	switch alt {
	case Greater:
		p = sf(r)
	case Less:
		p = sf(-r)
	default:
		p = 2 * sf(math.Abs(r))
	}
	return max(0, min(1, p))
}

// SpearmanRho computes Spearman's rank correlation of x and y and the
// p-value of the test of no correlation.
//
// rho is Pearson's r of the ranks of x and of y, ties given their average
// rank. The null hypothesis is that x and y are independent; the
// alternative is that rho differs from zero (TwoSided), is positive
// (Greater) or negative (Less). As scipy 1.10's spearmanr, P treats
//
//	t = rho √((n−2) / ((1+rho)(1−rho)))
//
// as Student's t on n−2 degrees of freedom, which is asymptotic: for small
// n a permutation test is more accurate. With two pairs rho is ±1 and P = 1
// (scipy returns NaN; two points carry no evidence, as pearsonr says).
//
// Errors as for PearsonR.
//
// [1] Spearman, C. (1904). The proof and measurement of association between
// two things. Am. J. Psychol. 15, 72–101. [2] scipy.stats.spearmanr,
// scipy 1.10.
func SpearmanRho(x, y []float64, opts CorrelationOptions) (CorrelationResult, error) {
	xs, ys, res, err := corrBegin(Spearman, x, y, opts)
	if err != nil {
		return CorrelationResult{}, err
	}
	res.Method = Asymptotic
	if len(xs) == 2 {
		res.Coefficient = corrSign(xs[1]-xs[0]) * corrSign(ys[1]-ys[0])
		res.P = 1
		return res, nil
	}
	rs := spearmanCoef(xs, ys)
	res.Coefficient = rs
	res.P = spearmanP(rs, res.EffectiveN, opts.Alternative)
	if res.EffectiveN < 3 {
		res.Warnings = append(res.Warnings, fmt.Errorf("effective n = %.3g leaves no degrees of freedom: p = 1; collect a longer series", res.EffectiveN))
	}
	return res, nil
}

// spearmanCoef is rho: the covariance of the ranks over the product of
// their standard deviations (numpy's corrcoef), clipped to [−1, 1].
func spearmanCoef(x, y []float64) float64 {
	rx, ry := AverageRanks(x), AverageRanks(y)
	mx, my := corrMean(rx), corrMean(ry)
	var sxy, sxx, syy float64
	for i := range rx {
		dx, dy := rx[i]-mx, ry[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return max(-1, min(1, sxy/math.Sqrt(sxx)/math.Sqrt(syy)))
}

// spearmanP is scipy's spearmanr p-value: Student's t on n−2 df.
func spearmanP(rs, n float64, alt Alternative) float64 {
	dof := n - 2
	if dof <= 0 {
		return 1
	}
	t := rs * math.Sqrt(max(0, dof/((rs+1)*(1-rs))))
	var p float64
	switch alt {
	case Greater:
		p = corrStdtr(dof, -t)
	case Less:
		p = corrStdtr(dof, t)
	default:
		p = 2 * corrStdtr(dof, -math.Abs(t))
	}
	return max(0, min(1, p))
}

// corrStdtr is Student's t CDF with df degrees of freedom at t (cephes
// stdtr), from the regularised incomplete beta function so that both tails
// keep their relative accuracy.
func corrStdtr(df, t float64) float64 {
	switch {
	case math.IsInf(t, -1):
		return 0
	case math.IsInf(t, 1):
		return 1
	case t == 0:
		return 0.5
	}
	tail := 0.5 * mathext.RegIncBeta(df/2, 0.5, df/(df+t*t))
	if t < 0 {
		return tail
	}
	return 1 - tail
}

// AverageRanks returns the ranks of x, 1 to n, ties given the average of
// the ranks they span (scipy's rankdata(method='average')): the values
// Spearman's rho correlates. x must hold no NaN.
func AverageRanks(x []float64) []float64 {
	type vi struct {
		v float64
		i int
	}
	p := make([]vi, len(x))
	for i, v := range x {
		p[i] = vi{v, i}
	}
	slices.SortFunc(p, func(a, b vi) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(p); {
		j := i + 1
		for j < len(p) && p[j].v == p[i].v {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1 .. j
		for k := i; k < j; k++ {
			r[p[k].i] = avg
		}
		i = j
	}
	return r
}

// KendallTauB computes Kendall's tau-b of x and y and the p-value of the
// test of no association.
//
// Over all pairs of points, C counts the concordant pairs (x and y order
// them alike), D the discordant ones, T the pairs tied in x only and U
// those tied in y only:
//
//	tau-b = (C − D) / √((C + D + T)(C + D + U))
//
// (gonum's stat.Kendall is tau-a, (C − D)/(n(n−1)/2), which ties pull
// toward zero). The counts take O(n log n) time (Knight 1966). The null
// hypothesis is that x and y are independent; the alternative is that tau
// differs from zero (TwoSided), is positive (Greater) or negative (Less).
// As scipy 1.10's kendalltau with method='auto', P is exact (Kendall's
// distribution of the number of inversions) when neither variable has ties
// and n <= 33 or at most one pair is discordant (or concordant), and
// otherwise from the normal approximation to C − D with the tie-corrected
// variance
//
//	Var = [n(n−1)(2n+5) − Σt(t−1)(2t+5) − Σu(u−1)(2u+5)]/18
//	      + Σt(t−1)Σu(u−1) / (2n(n−1))
//	      + Σt(t−1)(t−2)Σu(u−1)(u−2) / (9n(n−1)(n−2))
//
// (t, u the sizes of the groups of tied x and of tied y). Method Exact with
// ties is an error, as in scipy. With two pairs the asymptotic P is 1
// (scipy's divides by n − 2 and returns NaN).
//
// Errors as for PearsonR.
//
// [1] Kendall, M. G. (1970). Rank Correlation Methods, 4th ed. Griffin.
// [2] Knight, W. R. (1966). A computer method for calculating Kendall's tau
// with ungrouped data. JASA 61, 436–439. [3] scipy.stats.kendalltau,
// scipy 1.10.
func KendallTauB(x, y []float64, opts CorrelationOptions) (CorrelationResult, error) {
	xs, ys, res, err := corrBegin(Kendall, x, y, opts)
	if err != nil {
		return CorrelationResult{}, err
	}
	k := kendallCount(xs, ys)
	n := int64(len(xs))
	conMinusDis := float64(k.tot - k.xtie - k.ytie + k.ntie - 2*k.dis)
	tau := conMinusDis / math.Sqrt(float64(k.tot-k.xtie)) / math.Sqrt(float64(k.tot-k.ytie))
	res.Coefficient = max(-1, min(1, tau))

	ties := k.xtie != 0 || k.ytie != 0
	reduced := res.EffectiveN < float64(n)
	method := opts.Method
	switch {
	case method == Exact && ties:
		return CorrelationResult{}, fmt.Errorf("compare: kendall: ties found (%d pairs tied in x, %d in y); the exact method needs untied data, use auto or asymptotic", k.xtie, k.ytie)
	case method == Exact && reduced:
		method = Asymptotic
		res.Warnings = append(res.Warnings, errors.New("the exact distribution assumes independent pairs: with an effective n the p-value is asymptotic"))
	case method == Auto:
		method = Asymptotic
		if !ties && !reduced && (n <= 33 || min(k.dis, k.tot-k.dis) <= 1) {
			method = Exact
		}
	}
	res.Method = method
	if method == Exact {
		res.P = kendallPExact(n, k.tot-k.dis, opts.Alternative)
		return res, nil
	}
	if n == 2 {
		res.P = 1 // scipy: NaN (the variance divides by n − 2)
		return res, nil
	}
	nf := float64(n)
	m := nf * (nf - 1)
	v := (m*(2*nf+5)-k.x1-k.y1)/18 + (2*float64(k.xtie)*float64(k.ytie))/m + k.x0*k.y0/(9*m*(nf-2))
	z := conMinusDis / math.Sqrt(v)
	if reduced {
		z *= math.Sqrt(res.EffectiveN / nf)
	}
	std := distuv.UnitNormal
	switch opts.Alternative {
	case Greater:
		res.P = std.CDF(-z)
	case Less:
		res.P = std.CDF(z)
	default:
		res.P = 2 * std.CDF(-math.Abs(z))
	}
	res.P = max(0, min(1, res.P))
	return res, nil
}

// kendallCounts are the pair counts of Kendall's tau-b, as scipy names them.
type kendallCounts struct {
	tot, xtie, ytie, ntie, dis int64   // all pairs; tied in x; in y; in both; discordant
	x0, x1, y0, y1             float64 // Σt(t−1)(t−2) and Σt(t−1)(2t+5) over tie groups
}

// kendallCount counts the pairs in O(n log n): sort by (x, y), count the
// strict inversions of y in that order by merge sort (the discordant
// pairs; pairs tied in x are in y order and so never inversions), and read
// the tie groups of x and (x, y) from the first sort and those of y from
// the merge-sorted y.
func kendallCount(x, y []float64) kendallCounts {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(x[a], x[b]); c != 0 {
			return c
		}
		return cmp.Compare(y[a], y[b])
	})
	var k kendallCounts
	k.tot = int64(n) * int64(n-1) / 2
	group := func(cnt int64, t *int64, s0, s1 *float64) {
		if cnt > 1 {
			*t += cnt * (cnt - 1) / 2
			c := float64(cnt)
			*s0 += c * (c - 1) * (c - 2)
			*s1 += c * (c - 1) * (2*c + 5)
		}
	}
	var unused0, unused1 float64
	for i := 0; i < n; {
		j := i + 1
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		group(int64(j-i), &k.xtie, &k.x0, &k.x1)
		for a := i; a < j; {
			b := a + 1
			for b < j && y[idx[b]] == y[idx[a]] {
				b++
			}
			group(int64(b-a), &k.ntie, &unused0, &unused1)
			a = b
		}
		i = j
	}
	ys := make([]float64, n)
	for i, j := range idx {
		ys[i] = y[j]
	}
	k.dis = kendallInversions(ys, make([]float64, n))
	for i := 0; i < n; {
		j := i + 1
		for j < n && ys[j] == ys[i] {
			j++
		}
		group(int64(j-i), &k.ytie, &k.y0, &k.y1)
		i = j
	}
	return k
}

// kendallInversions sorts a ascending (bottom-up merge sort, buf as
// scratch of the same length) and returns the number of pairs i < j with
// a[i] > a[j].
func kendallInversions(a, buf []float64) int64 {
	n := len(a)
	var inv int64
	src, dst := a, buf
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			i, j, o := lo, mid, lo
			for i < mid && j < hi {
				if src[j] < src[i] {
					inv += int64(mid - i)
					dst[o] = src[j]
					j++
				} else {
					dst[o] = src[i]
					i++
				}
				o++
			}
			o += copy(dst[o:], src[i:mid])
			copy(dst[o:], src[j:hi])
		}
		src, dst = dst, src
	}
	if n > 0 && &src[0] != &a[0] {
		copy(a, src)
	}
	return inv
}

// kendallPExact is scipy 1.10's _kendall_p_exact: the p-value of c
// concordant pairs among n untied points, from the number of permutations
// of n with each count of inversions (Kendall 1970).
func kendallPExact(n, c int64, alt Alternative) float64 {
	half := n * (n - 1) / 2
	inRightTail := c >= half-c
	c = min(c, half-c)
	var prob, mass float64
	switch {
	case n <= 1:
		prob, mass = 1, 1
	case n == 2:
		prob, mass = 1, 0.5
	case c == 0:
		if n < 171 {
			prob = 2 / kendallFactorial(n)
		}
		mass = prob / 2
	case c == 1:
		if n < 172 {
			prob = 2 / kendallFactorial(n-1)
		}
		mass = float64(n-1) / kendallFactorial(n)
	case 4*c == n*(n-1) && alt == TwoSided:
		prob = 1
	case n < 171:
		cnt := kendallMahonian(n, c, false)
		prob = 2 * kendallSum(cnt) / kendallFactorial(n)
		mass = cnt[c] / kendallFactorial(n)
	default:
		cnt := kendallMahonian(n, c, true)
		prob = kendallSum(cnt)
		mass = cnt[c] / 2
	}
	if alt != TwoSided {
		if inRightTail == (alt == Greater) {
			prob /= 2
		} else {
			prob = 1 - prob/2 + mass
		}
	}
	return max(0, min(1, prob))
}

// kendallMahonian returns the number of permutations of n with k
// inversions for k = 0..c (c >= 1), built up one element at a time as
// scipy does; scaled divides by j at each step (the result is then twice
// the probabilities), for n ≥ 171, where n! overflows.
func kendallMahonian(n, c int64, scaled bool) []float64 {
	v := make([]float64, c+1)
	v[0], v[1] = 1, 1
	for j := int64(3); j <= n; j++ {
		for i := int64(1); i <= c; i++ {
			v[i] += v[i-1]
		}
		if scaled {
			for i := range v {
				v[i] /= float64(j)
			}
		}
		if j <= c {
			for i := c - j; i >= 0; i-- {
				v[j+i] -= v[i]
			}
		}
	}
	return v
}

func kendallSum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

func kendallFactorial(n int64) float64 {
	f := 1.0
	for i := int64(2); i <= n; i++ {
		f *= float64(i)
	}
	return f
}
