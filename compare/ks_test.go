package compare

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// The expected values below were produced by Debian's scipy 1.10.1, run as
// /usr/bin/python3, and each carries the call that produced it. Calls that
// name lattice or widen used these helpers, which compute the same float64
// values as ksLattice and ksWiden (one integer product, one correctly
// rounded division, one addition):
//
//	def lattice(n, a, mod, off):
//	    return [((i * a) % mod) / mod + off for i in range(1, n + 1)]
//	def widen(xs, k):
//	    return [(v - 0.5) * k + 0.5 for v in xs]
//
// chaosstat's Greater is scipy's alternative='less' and Less is 'greater'
// (see KolmogorovSmirnov), so each Greater row quotes a 'less' call.

// ksLattice returns n distinct points ((i·a) mod p)/p + off, i = 1..n, spread
// evenly over [off, off+1) in a scrambled order when p is a prime above n.
func ksLattice(n, a, p int, off float64) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64((i+1)*a%p)/float64(p) + off
	}
	return xs
}

// ksWiden stretches xs about 0.5 by the factor k: a change of spread at the
// same median.
func ksWiden(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, v := range xs {
		out[i] = (v-0.5)*k + 0.5
	}
	return out
}

// ksWant is one scipy call on a data set: the alternative and method asked
// for, the method scipy ended up using, and its D and p.
type ksWant struct {
	alt    Alternative
	method Method
	used   Method
	d, p   float64
}

func TestKSMatchesScipy(t *testing.T) {
	published := []float64{1.01, 2.01}
	publishedControl := []float64{1, 2, 3, 4}
	counts := []float64{3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6}
	countsControl := []float64{2, 3, 3, 1, 4, 2, 3, 2, 5, 3}
	cases := []struct {
		name, reason        string
		experiment, control []float64
		want                []ksWant
	}{
		{
			name:       "published",
			reason:     "scipy's ks_2samp test vector, D = 0.5, p = 14/15; unequal sizes reach the two-sided inside recursion and the one-sided path count",
			experiment: published, control: publishedControl,
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='two-sided', method='exact') -> D=0.5, p=0.9333333333333332
				{TwoSided, Exact, Exact, 0.5, 0.9333333333333332},
				// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='less', method='exact') -> D=0.25, p=0.8
				{Greater, Exact, Exact, 0.25, 0.8},
				// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='greater', method='exact') -> D=0.5, p=0.5333333333333333
				{Less, Exact, Exact, 0.5, 0.5333333333333333},
				// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='two-sided', method='asymp') -> D=0.5, p=1.0
				{TwoSided, Asymptotic, Asymptotic, 0.5, 1.0},
				// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='less', method='asymp') -> D=0.25, p=0.6778095780054503
				{Greater, Asymptotic, Asymptotic, 0.25, 0.6778095780054503},
				// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='greater', method='asymp') -> D=0.5, p=0.32919298780790557
				{Less, Asymptotic, Asymptotic, 0.5, 0.32919298780790557},
				// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='two-sided', method='auto') -> D=0.5, p=0.9333333333333332
				{TwoSided, Auto, Exact, 0.5, 0.9333333333333332},
			},
		},
		{
			name:       "one-vs-one",
			reason:     "the smallest samples: n1 = n2 = 1, the one-sided exact product with h = n and the Hodges formula at D = 1 (two-sided asymptotic is left out: round(1/2) = 0 and scipy's kstwo.sf(1, 0) is NaN)",
			experiment: []float64{2}, control: []float64{1},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([2.0], [1.0], alternative='two-sided', method='exact') -> D=1.0, p=1.0
				{TwoSided, Exact, Exact, 1.0, 1.0},
				// scipy 1.10.1: ks_2samp([2.0], [1.0], alternative='less', method='exact') -> D=1.0, p=0.5
				{Greater, Exact, Exact, 1.0, 0.5},
				// scipy 1.10.1: ks_2samp([2.0], [1.0], alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([2.0], [1.0], alternative='less', method='asymp') -> D=1.0, p=0.13533528323661267
				{Greater, Asymptotic, Asymptotic, 1.0, 0.13533528323661267},
				// scipy 1.10.1: ks_2samp([2.0], [1.0], alternative='greater', method='asymp') -> D=0.0, p=1.0
				{Less, Asymptotic, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "one-vs-three",
			reason:     "n1 = 1: the lattice is thirds, and the asymptotic two-sided branch runs kstwo at n = round(3/4) = 1",
			experiment: []float64{3}, control: []float64{1, 2, 4},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([3.0], [1.0, 2.0, 4.0], alternative='two-sided', method='exact') -> D=0.6666666666666666, p=1.0
				{TwoSided, Exact, Exact, 0.6666666666666666, 1.0},
				// scipy 1.10.1: ks_2samp([3.0], [1.0, 2.0, 4.0], alternative='less', method='exact') -> D=0.6666666666666666, p=0.5
				{Greater, Exact, Exact, 0.6666666666666666, 0.5},
				// scipy 1.10.1: ks_2samp([3.0], [1.0, 2.0, 4.0], alternative='greater', method='exact') -> D=0.3333333333333333, p=0.75
				{Less, Exact, Exact, 0.3333333333333333, 0.75},
				// scipy 1.10.1: ks_2samp([3.0], [1.0, 2.0, 4.0], alternative='two-sided', method='asymp') -> D=0.6666666666666666, p=0.6666666666666667
				{TwoSided, Asymptotic, Asymptotic, 0.6666666666666666, 0.6666666666666667},
				// scipy 1.10.1: ks_2samp([3.0], [1.0, 2.0, 4.0], alternative='less', method='asymp') -> D=0.6666666666666666, p=0.29457482831010734
				{Greater, Asymptotic, Asymptotic, 0.6666666666666666, 0.29457482831010734},
				// scipy 1.10.1: ks_2samp([3.0], [1.0, 2.0, 4.0], alternative='greater', method='asymp') -> D=0.33333333333333337, p=0.6411803884299545
				{Less, Asymptotic, Asymptotic, 0.33333333333333337, 0.6411803884299545},
			},
		},
		{
			name:       "two-vs-three",
			reason:     "tiny unequal sizes with a crossing: both one-sided statistics are non-zero",
			experiment: []float64{0.5, 2.5}, control: []float64{1, 2, 3},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([0.5, 2.5], [1.0, 2.0, 3.0], alternative='two-sided', method='exact') -> D=0.5, p=0.9
				{TwoSided, Exact, Exact, 0.5, 0.9},
				// scipy 1.10.1: ks_2samp([0.5, 2.5], [1.0, 2.0, 3.0], alternative='less', method='exact') -> D=0.16666666666666666, p=0.8
				{Greater, Exact, Exact, 0.16666666666666666, 0.8},
				// scipy 1.10.1: ks_2samp([0.5, 2.5], [1.0, 2.0, 3.0], alternative='greater', method='exact') -> D=0.5, p=0.5
				{Less, Exact, Exact, 0.5, 0.5},
				// scipy 1.10.1: ks_2samp([0.5, 2.5], [1.0, 2.0, 3.0], alternative='two-sided', method='asymp') -> D=0.5, p=1.0
				{TwoSided, Asymptotic, Asymptotic, 0.5, 1.0},
				// scipy 1.10.1: ks_2samp([0.5, 2.5], [1.0, 2.0, 3.0], alternative='less', method='asymp') -> D=0.16666666666666663, p=0.8007374029168081
				{Greater, Asymptotic, Asymptotic, 0.16666666666666663, 0.8007374029168081},
				// scipy 1.10.1: ks_2samp([0.5, 2.5], [1.0, 2.0, 3.0], alternative='greater', method='asymp') -> D=0.5, p=0.3441537868654125
				{Less, Asymptotic, Asymptotic, 0.5, 0.3441537868654125},
			},
		},
		{
			name:       "three-vs-three",
			reason:     "n1 = n2 = 3: the two-sided reflection sum and the one-sided product formula",
			experiment: []float64{1.5, 2.5, 3.5}, control: []float64{1, 2, 3},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([1.5, 2.5, 3.5], [1.0, 2.0, 3.0], alternative='two-sided', method='exact') -> D=0.3333333333333333, p=1.0
				{TwoSided, Exact, Exact, 0.3333333333333333, 1.0},
				// scipy 1.10.1: ks_2samp([1.5, 2.5, 3.5], [1.0, 2.0, 3.0], alternative='less', method='exact') -> D=0.3333333333333333, p=0.75
				{Greater, Exact, Exact, 0.3333333333333333, 0.75},
				// scipy 1.10.1: ks_2samp([1.5, 2.5, 3.5], [1.0, 2.0, 3.0], alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([1.5, 2.5, 3.5], [1.0, 2.0, 3.0], alternative='two-sided', method='asymp') -> D=0.33333333333333337, p=0.9444444444444444
				{TwoSided, Asymptotic, Asymptotic, 0.33333333333333337, 0.9444444444444444},
				// scipy 1.10.1: ks_2samp([1.5, 2.5, 3.5], [1.0, 2.0, 3.0], alternative='less', method='asymp') -> D=0.33333333333333337, p=0.513417119032592
				{Greater, Asymptotic, Asymptotic, 0.33333333333333337, 0.513417119032592},
				// scipy 1.10.1: ks_2samp([1.5, 2.5, 3.5], [1.0, 2.0, 3.0], alternative='greater', method='asymp') -> D=0.0, p=1.0
				{Less, Asymptotic, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "eight-vs-eight",
			reason:     "equal sizes with h = 4 > 1: several alternating terms of the two-sided reflection sum",
			experiment: []float64{0.9, 1.8, 2.7, 3.3, 4.2, 5.6, 6.1, 7.4},
			control:    []float64{0.1, 0.4, 0.7, 1.2, 1.3, 2.2, 3.1, 4.0},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([0.9, 1.8, 2.7, 3.3, 4.2, 5.6, 6.1, 7.4], [0.1, 0.4, 0.7, 1.2, 1.3, 2.2, 3.1, 4.0], alternative='two-sided', method='exact') -> D=0.5, p=0.2826728826728826
				{TwoSided, Exact, Exact, 0.5, 0.2826728826728826},
				// scipy 1.10.1: ks_2samp([0.9, 1.8, 2.7, 3.3, 4.2, 5.6, 6.1, 7.4], [0.1, 0.4, 0.7, 1.2, 1.3, 2.2, 3.1, 4.0], alternative='less', method='exact') -> D=0.5, p=0.14141414141414138
				{Greater, Exact, Exact, 0.5, 0.14141414141414138},
				// scipy 1.10.1: ks_2samp([0.9, 1.8, 2.7, 3.3, 4.2, 5.6, 6.1, 7.4], [0.1, 0.4, 0.7, 1.2, 1.3, 2.2, 3.1, 4.0], alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([0.9, 1.8, 2.7, 3.3, 4.2, 5.6, 6.1, 7.4], [0.1, 0.4, 0.7, 1.2, 1.3, 2.2, 3.1, 4.0], alternative='two-sided', method='asymp') -> D=0.5, p=0.1875
				{TwoSided, Asymptotic, Asymptotic, 0.5, 0.1875},
				// scipy 1.10.1: ks_2samp([0.9, 1.8, 2.7, 3.3, 4.2, 5.6, 6.1, 7.4], [0.1, 0.4, 0.7, 1.2, 1.3, 2.2, 3.1, 4.0], alternative='less', method='asymp') -> D=0.5, p=0.0820849986238988
				{Greater, Asymptotic, Asymptotic, 0.5, 0.0820849986238988},
				// scipy 1.10.1: ks_2samp([0.9, 1.8, 2.7, 3.3, 4.2, 5.6, 6.1, 7.4], [0.1, 0.4, 0.7, 1.2, 1.3, 2.2, 3.1, 4.0], alternative='greater', method='asymp') -> D=0.0, p=1.0
				{Less, Asymptotic, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "seven-vs-eleven",
			reason:     "coprime unequal sizes: the lattice 1/77, a D that is not a simple fraction",
			experiment: []float64{2.3, 4.1, 3.3, 5.9, 1.7, 4.4, 6.2},
			control:    []float64{1.1, 2.0, 0.4, 3.6, 2.8, 1.5, 0.9, 3.0, 2.4, 4.8, 1.9},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([2.3, 4.1, 3.3, 5.9, 1.7, 4.4, 6.2], [1.1, 2.0, 0.4, 3.6, 2.8, 1.5, 0.9, 3.0, 2.4, 4.8, 1.9], alternative='two-sided', method='exact') -> D=0.5324675324675324, p=0.13436400201106086
				{TwoSided, Exact, Exact, 0.5324675324675324, 0.13436400201106086},
				// scipy 1.10.1: ks_2samp([2.3, 4.1, 3.3, 5.9, 1.7, 4.4, 6.2], [1.1, 2.0, 0.4, 3.6, 2.8, 1.5, 0.9, 3.0, 2.4, 4.8, 1.9], alternative='less', method='exact') -> D=0.5324675324675324, p=0.06718200100553041
				{Greater, Exact, Exact, 0.5324675324675324, 0.06718200100553041},
				// scipy 1.10.1: ks_2samp([2.3, 4.1, 3.3, 5.9, 1.7, 4.4, 6.2], [1.1, 2.0, 0.4, 3.6, 2.8, 1.5, 0.9, 3.0, 2.4, 4.8, 1.9], alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([2.3, 4.1, 3.3, 5.9, 1.7, 4.4, 6.2], [1.1, 2.0, 0.4, 3.6, 2.8, 1.5, 0.9, 3.0, 2.4, 4.8, 1.9], alternative='two-sided', method='asymp') -> D=0.5324675324675325, p=0.13940877476290023
				{TwoSided, Asymptotic, Asymptotic, 0.5324675324675325, 0.13940877476290023},
				// scipy 1.10.1: ks_2samp([2.3, 4.1, 3.3, 5.9, 1.7, 4.4, 6.2], [1.1, 2.0, 0.4, 3.6, 2.8, 1.5, 0.9, 3.0, 2.4, 4.8, 1.9], alternative='less', method='asymp') -> D=0.5324675324675325, p=0.05400325703839599
				{Greater, Asymptotic, Asymptotic, 0.5324675324675325, 0.05400325703839599},
				// scipy 1.10.1: ks_2samp([2.3, 4.1, 3.3, 5.9, 1.7, 4.4, 6.2], [1.1, 2.0, 0.4, 3.6, 2.8, 1.5, 0.9, 3.0, 2.4, 4.8, 1.9], alternative='greater', method='asymp') -> D=0.0, p=1.0
				{Less, Asymptotic, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "spread",
			reason:     "a wider experiment at about the same median: the distribution functions cross, so every alternative has its own D",
			experiment: []float64{-3.0, -1.5, -0.2, 0.1, 0.4, 1.7, 2.9, 3.5},
			control:    []float64{-1.0, -0.6, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.3},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([-3.0, -1.5, -0.2, 0.1, 0.4, 1.7, 2.9, 3.5], [-1.0, -0.6, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.3], alternative='two-sided', method='exact') -> D=0.375, p=0.5027972027972029
				{TwoSided, Exact, Exact, 0.375, 0.5027972027972029},
				// scipy 1.10.1: ks_2samp([-3.0, -1.5, -0.2, 0.1, 0.4, 1.7, 2.9, 3.5], [-1.0, -0.6, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.3], alternative='less', method='exact') -> D=0.375, p=0.2545454545454545
				{Greater, Exact, Exact, 0.375, 0.2545454545454545},
				// scipy 1.10.1: ks_2samp([-3.0, -1.5, -0.2, 0.1, 0.4, 1.7, 2.9, 3.5], [-1.0, -0.6, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.3], alternative='greater', method='exact') -> D=0.25, p=0.509090909090909
				{Less, Exact, Exact, 0.25, 0.509090909090909},
				// scipy 1.10.1: ks_2samp([-3.0, -1.5, -0.2, 0.1, 0.4, 1.7, 2.9, 3.5], [-1.0, -0.6, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.3], alternative='two-sided', method='asymp') -> D=0.375, p=0.51953125
				{TwoSided, Asymptotic, Asymptotic, 0.375, 0.51953125},
				// scipy 1.10.1: ks_2samp([-3.0, -1.5, -0.2, 0.1, 0.4, 1.7, 2.9, 3.5], [-1.0, -0.6, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.3], alternative='less', method='asymp') -> D=0.375, p=0.21038343558799166
				{Greater, Asymptotic, Asymptotic, 0.375, 0.21038343558799166},
				// scipy 1.10.1: ks_2samp([-3.0, -1.5, -0.2, 0.1, 0.4, 1.7, 2.9, 3.5], [-1.0, -0.6, -0.3, 0.0, 0.2, 0.5, 0.8, 1.1, 1.3], alternative='greater', method='asymp') -> D=0.25, p=0.4609296715465369
				{Less, Asymptotic, Asymptotic, 0.25, 0.4609296715465369},
			},
		},
		{
			name:       "integer-counts",
			reason:     "heavy ties within and across samples (per-window counts): D is read after each tie group, as scipy's searchsorted(side='right') does",
			experiment: counts, control: countsControl,
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6], [2, 3, 3, 1, 4, 2, 3, 2, 5, 3], alternative='two-sided', method='exact') -> D=0.55, p=0.048886098421702134
				{TwoSided, Exact, Exact, 0.55, 0.048886098421702134},
				// scipy 1.10.1: ks_2samp([3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6], [2, 3, 3, 1, 4, 2, 3, 2, 5, 3], alternative='less', method='exact') -> D=0.55, p=0.024443049210851067
				{Greater, Exact, Exact, 0.55, 0.024443049210851067},
				// scipy 1.10.1: ks_2samp([3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6], [2, 3, 3, 1, 4, 2, 3, 2, 5, 3], alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6], [2, 3, 3, 1, 4, 2, 3, 2, 5, 3], alternative='two-sided', method='asymp') -> D=0.55, p=0.059696249999999965
				{TwoSided, Asymptotic, Asymptotic, 0.55, 0.059696249999999965},
				// scipy 1.10.1: ks_2samp([3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6], [2, 3, 3, 1, 4, 2, 3, 2, 5, 3], alternative='less', method='asymp') -> D=0.55, p=0.0216373707194931
				{Greater, Asymptotic, Asymptotic, 0.55, 0.0216373707194931},
				// scipy 1.10.1: ks_2samp([3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6], [2, 3, 3, 1, 4, 2, 3, 2, 5, 3], alternative='greater', method='asymp') -> D=0.0, p=1.0
				{Less, Asymptotic, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "identical",
			reason:     "the same sample twice: D = 0 and p = 1 under every alternative and method (h = 0 short-cuts the exact branch)",
			experiment: []float64{1, 2, 3, 4}, control: []float64{1, 2, 3, 4},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], alternative='two-sided', method='exact') -> D=0.0, p=1.0
				{TwoSided, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], alternative='less', method='exact') -> D=0.0, p=1.0
				{Greater, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], alternative='two-sided', method='asymp') -> D=0.0, p=1.0
				{TwoSided, Asymptotic, Asymptotic, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], alternative='less', method='asymp') -> D=0.0, p=1.0
				{Greater, Asymptotic, Asymptotic, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], alternative='greater', method='asymp') -> D=0.0, p=1.0
				{Less, Asymptotic, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "all-equal",
			reason:     "every value the same, with different sizes: one tie group, D = 0",
			experiment: []float64{5, 5, 5}, control: []float64{5, 5},
			want: []ksWant{
				// scipy 1.10.1: ks_2samp([5.0, 5.0, 5.0], [5.0, 5.0], alternative='two-sided', method='exact') -> D=0.0, p=1.0
				{TwoSided, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([5.0, 5.0, 5.0], [5.0, 5.0], alternative='less', method='exact') -> D=0.0, p=1.0
				{Greater, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([5.0, 5.0, 5.0], [5.0, 5.0], alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([5.0, 5.0, 5.0], [5.0, 5.0], alternative='two-sided', method='asymp') -> D=0.0, p=1.0
				{TwoSided, Asymptotic, Asymptotic, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([5.0, 5.0, 5.0], [5.0, 5.0], alternative='less', method='asymp') -> D=0.0, p=1.0
				{Greater, Asymptotic, Asymptotic, 0.0, 1.0},
				// scipy 1.10.1: ks_2samp([5.0, 5.0, 5.0], [5.0, 5.0], alternative='greater', method='asymp') -> D=0.0, p=1.0
				{Less, Asymptotic, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "exact-falls-back",
			reason:     "one-sided exact at 500 vs 600: Hodges' path count overflows, so scipy (and we) switch to the asymptotic formula with a warning; two-sided exact succeeds",
			experiment: ksLattice(500, 389, 1009, 0.05), control: ksLattice(600, 613, 1013, 0),
			want: []ksWant{
				// scipy 1.10.1: ks_2samp(lattice(500, 389, 1009, 0.05), lattice(600, 613, 1013, 0), alternative='two-sided', method='exact') -> D=0.06233333333333333, p=0.2297438469123738
				{TwoSided, Exact, Exact, 0.06233333333333333, 0.2297438469123738},
				// scipy 1.10.1: ks_2samp(lattice(500, 389, 1009, 0.05), lattice(600, 613, 1013, 0), alternative='less', method='exact') -> D=0.06233333333333333, p=0.11306665377194784 [warns: ks_2samp: Exact calculation unsuccessful. Switching to method=asymp.]
				{Greater, Exact, Asymptotic, 0.06233333333333333, 0.11306665377194784},
				// scipy 1.10.1: ks_2samp(lattice(500, 389, 1009, 0.05), lattice(600, 613, 1013, 0), alternative='greater', method='exact') -> D=0.0, p=1.0
				{Less, Exact, Exact, 0.0, 1.0},
			},
		},
		{
			name:       "auto-at-limit",
			reason:     "max(n1, n2) = 10000 is still exact under Auto (scipy's MAX_AUTO_N); the inside recursion over a 10000-step path",
			experiment: ksLattice(10000, 7919, 10007, 0.02), control: ksLattice(300, 613, 1013, 0),
			want: []ksWant{
				// scipy 1.10.1: ks_2samp(lattice(10000, 7919, 10007, 0.02), lattice(300, 613, 1013, 0), alternative='two-sided', method='auto') -> D=0.028933333333333332, p=0.9619191025594019
				{TwoSided, Auto, Exact, 0.028933333333333332, 0.9619191025594019},
			},
		},
		{
			name:       "large-shift",
			reason:     "20000 vs 15000 is above MAX_AUTO_N, so Auto is asymptotic: kstwo at n = round(20000·15000/35000) = 8571 and Hodges' one-sided formula",
			experiment: ksLattice(20000, 7919, 20011, 0.01), control: ksLattice(15000, 104729, 15013, 0),
			want: []ksWant{
				// scipy 1.10.1: ks_2samp(lattice(20000, 7919, 20011, 0.01), lattice(15000, 104729, 15013, 0), alternative='two-sided', method='auto') -> D=0.010066666666666668, p=0.3478280528947816
				{TwoSided, Auto, Asymptotic, 0.010066666666666668, 0.3478280528947816},
				// scipy 1.10.1: ks_2samp(lattice(20000, 7919, 20011, 0.01), lattice(15000, 104729, 15013, 0), alternative='less', method='auto') -> D=0.010066666666666668, p=0.1743298038824626
				{Greater, Auto, Asymptotic, 0.010066666666666668, 0.1743298038824626},
				// scipy 1.10.1: ks_2samp(lattice(20000, 7919, 20011, 0.01), lattice(15000, 104729, 15013, 0), alternative='greater', method='auto') -> D=0.0, p=1.0
				{Less, Auto, Asymptotic, 0.0, 1.0},
			},
		},
		{
			name:       "large-spread",
			reason:     "20000 vs 15000 with a 3% wider experiment: both one-sided statistics non-zero in the asymptotic regime",
			experiment: ksWiden(ksLattice(20000, 7919, 20011, 0), 1.03), control: ksLattice(15000, 104729, 15013, 0),
			want: []ksWant{
				// scipy 1.10.1: ks_2samp(widen(lattice(20000, 7919, 20011, 0), 1.03), lattice(15000, 104729, 15013, 0), alternative='two-sided', method='auto') -> D=0.014633333333333387, p=0.05041850307219642
				{TwoSided, Auto, Asymptotic, 0.014633333333333387, 0.05041850307219642},
				// scipy 1.10.1: ks_2samp(widen(lattice(20000, 7919, 20011, 0), 1.03), lattice(15000, 104729, 15013, 0), alternative='less', method='auto') -> D=0.014633333333333387, p=0.025101875904331463
				{Greater, Auto, Asymptotic, 0.014633333333333387, 0.025101875904331463},
				// scipy 1.10.1: ks_2samp(widen(lattice(20000, 7919, 20011, 0), 1.03), lattice(15000, 104729, 15013, 0), alternative='greater', method='auto') -> D=0.014633333333333333, p=0.025101875904332133
				{Less, Auto, Asymptotic, 0.014633333333333333, 0.025101875904332133},
			},
		},
		{
			name:       "lcm-too-large",
			reason:     "Exact asked at 50000 vs 49999: lcm(n1, n2) ≥ 2^31 − 1, so scipy refuses before trying and uses the asymptotic distribution",
			experiment: ksLattice(50000, 7919, 50021, 0.005), control: ksLattice(49999, 104729, 50023, 0),
			want: []ksWant{
				// scipy 1.10.1: ks_2samp(lattice(50000, 7919, 50021, 0.005), lattice(49999, 104729, 50023, 0), alternative='two-sided', method='exact') -> D=0.005036936738734732, p=0.5482785980727081 [warns: Exact ks_2samp calculation not possible with samples sizes 50000 and 49999. Switching to 'asymp'.]
				{TwoSided, Exact, Asymptotic, 0.005036936738734732, 0.5482785980727081},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, w := range c.want {
				opts := Options{Alternative: w.alt, Method: w.method, NoShift: len(c.experiment) > 1000}
				r, err := KolmogorovSmirnov(c.experiment, c.control, opts)
				if err != nil {
					t.Fatalf("%v %v: %v (%s)", w.alt, w.method, err, c.reason)
				}
				what := c.name + " " + w.alt.String() + " " + w.method.String()
				approx.Close(t, what+" D", r.Statistic, w.d, 1e-9, 0)
				if hasTies(c.experiment, c.control) && r.Method == Exact {
					// scipy's exact branch ignores ties and is
					// conservative; chaosstat's is exact with ties.
					if r.P > w.p*(1+1e-12) {
						t.Errorf("%s: exact p with ties %v above scipy's tie-ignoring %v", what, r.P, w.p)
					}
					continue
				}
				approx.Close(t, what+" p", r.P, w.p, 1e-9, 0)
				if r.Method != w.used {
					t.Errorf("%s: method %v, want %v (%s)", what, r.Method, w.used, c.reason)
				}
				if w.used != w.method && w.method != Auto && !hasWarning(r.Warnings, "asymptotic") {
					t.Errorf("%s: fell back to %v without a warning saying so: %v", what, r.Method, r.Warnings)
				}
				if r.Test != "ks" || r.Alternative != w.alt || !math.IsNaN(r.DF) || r.Confidence != DefaultConfidence ||
					r.NExperiment != len(c.experiment) || r.NControl != len(c.control) {
					t.Errorf("%s: result fields %+v", what, r)
				}
			}
		})
	}
}

func hasWarning(warnings []error, substr string) bool {
	for _, w := range warnings {
		if strings.Contains(w.Error(), substr) {
			return true
		}
	}
	return false
}

// TestKSDirection pins the mapping to scipy's alternatives on shifted
// samples: an experiment shifted up has its distribution function below the
// control's, which scipy calls 'less', and chaosstat calls Greater.
func TestKSDirection(t *testing.T) {
	control := ksLattice(40, 389, 1009, 0)
	up := ksLattice(40, 389, 1009, 0.4)
	down := ksLattice(40, 389, 1009, -0.4)
	cases := []struct {
		name, reason string
		experiment   []float64
		alt          Alternative
		d, p         float64
	}{
		// scipy 1.10.1: ks_2samp(lattice(40, 389, 1009, 0.4), lattice(40, 389, 1009, 0), alternative='less', method='auto') -> D=0.45, p=0.0002519718104851406
		{"up-greater", "experiment shifted up: Greater rejects", up, Greater, 0.45, 0.0002519718104851406},
		// scipy 1.10.1: ks_2samp(lattice(40, 389, 1009, 0.4), lattice(40, 389, 1009, 0), alternative='greater', method='auto') -> D=0.0, p=1.0
		{"up-less", "experiment shifted up: Less sees nothing", up, Less, 0.0, 1.0},
		// scipy 1.10.1: ks_2samp(lattice(40, 389, 1009, 0.4), lattice(40, 389, 1009, 0), alternative='two-sided', method='auto') -> D=0.45, p=0.0005039436209702519
		{"up-two-sided", "two-sided is twice the one-sided p for equal sizes here", up, TwoSided, 0.45, 0.0005039436209702519},
		// scipy 1.10.1: ks_2samp(lattice(40, 389, 1009, -0.4), lattice(40, 389, 1009, 0), alternative='greater', method='auto') -> D=0.45, p=0.0002519718104851406
		{"down-less", "experiment shifted down: Less rejects", down, Less, 0.45, 0.0002519718104851406},
		// scipy 1.10.1: ks_2samp(lattice(40, 389, 1009, -0.4), lattice(40, 389, 1009, 0), alternative='less', method='auto') -> D=0.0, p=1.0
		{"down-greater", "experiment shifted down: Greater sees nothing", down, Greater, 0.0, 1.0},
	}
	for _, c := range cases {
		r, err := KolmogorovSmirnov(c.experiment, control, Options{Alternative: c.alt})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		approx.Close(t, c.name+" D", r.Statistic, c.d, 1e-9, 0)
		approx.Close(t, c.name+" p", r.P, c.p, 1e-9, 0)
		if wantSig := c.d > 0; r.Significant() != wantSig {
			t.Errorf("%s: significant %v, want %v (%s)", c.name, r.Significant(), wantSig, c.reason)
		}
		// Swapping the samples swaps Greater and Less.
		swapped := map[Alternative]Alternative{TwoSided: TwoSided, Greater: Less, Less: Greater}[c.alt]
		s, err := KolmogorovSmirnov(control, c.experiment, Options{Alternative: swapped, NoShift: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.Statistic != r.Statistic || s.P != r.P {
			t.Errorf("%s: swapped samples with %v give D=%v p=%v, want D=%v p=%v", c.name, swapped, s.Statistic, s.P, r.Statistic, r.P)
		}
	}
}

// TestKSCleaning: missing values are dropped with a warning; infinities and
// empty samples are errors, never an answer.
func TestKSCleaning(t *testing.T) {
	nan := math.NaN()
	// scipy 1.10.1: ks_2samp([1.01, 2.01], [1.0, 2.0, 3.0, 4.0], alternative='two-sided', method='exact') -> D=0.5, p=0.9333333333333332
	r, err := KolmogorovSmirnov([]float64{1.01, nan, 2.01}, []float64{nan, 1, 2, 3, 4, nan}, Options{NoShift: true})
	if err != nil {
		t.Fatal(err)
	}
	approx.Close(t, "D with NaNs dropped", r.Statistic, 0.5, 1e-9, 0)
	approx.Close(t, "p with NaNs dropped", r.P, 0.9333333333333332, 1e-9, 0)
	if r.NExperiment != 2 || r.NControl != 4 {
		t.Errorf("n = %d+%d, want 2+4 after dropping NaN", r.NExperiment, r.NControl)
	}
	if !hasWarning(r.Warnings, "1 of 3 experiment values are missing") || !hasWarning(r.Warnings, "2 of 6 control values are missing") {
		t.Errorf("warnings %q: want one per side counting the missing values", r.Warnings)
	}

	errCases := []struct {
		name, reason        string
		experiment, control []float64
		opts                Options
		want                error
	}{
		{"inf-experiment", "+Inf has no place in an empirical distribution function", []float64{1, math.Inf(1)}, []float64{1, 2}, Options{}, ErrNonFinite},
		{"inf-control", "-Inf on the control side too", []float64{1, 2}, []float64{math.Inf(-1), 2}, Options{}, ErrNonFinite},
		{"empty-experiment", "no data is never a pass", nil, []float64{1, 2}, Options{}, ErrSampleSize},
		{"all-nan-control", "all missing is empty", []float64{1, 2}, []float64{nan, nan}, Options{}, ErrSampleSize},
		{"bad-confidence", "a confidence of 1.5 is a caller's mistake", []float64{1, 2}, []float64{3, 4}, Options{Confidence: 1.5}, nil},
	}
	for _, c := range errCases {
		_, err := KolmogorovSmirnov(c.experiment, c.control, c.opts)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: error %v, want %v (%s)", c.name, err, c.want, c.reason)
		}
	}
}

// TestKSWarnings: ties make the p-value conservative and say so; untied data
// runs silently.
func TestKSWarnings(t *testing.T) {
	counts := []float64{3, 5, 2, 4, 4, 6, 3, 5, 7, 4, 5, 6}
	countsControl := []float64{2, 3, 3, 1, 4, 2, 3, 2, 5, 3}
	r, err := KolmogorovSmirnov(counts, countsControl, Options{NoShift: true, Method: Asymptotic})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(r.Warnings, "conservative") {
		t.Errorf("integer counts, asymptotic: warnings %q, want one saying the p-value is conservative", r.Warnings)
	}
	// The exact p-value accounts for the ties: nothing to warn about.
	r, err = KolmogorovSmirnov(counts, countsControl, Options{NoShift: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != Exact || hasWarning(r.Warnings, "conservative") {
		t.Errorf("integer counts, auto: method %v warnings %q, want exact without a warning", r.Method, r.Warnings)
	}
	r, err = KolmogorovSmirnov([]float64{2.3, 4.1, 3.3, 5.9}, []float64{1.1, 2.0, 0.4, 3.6, 2.8}, Options{NoShift: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("untied continuous data: warnings %q, want none", r.Warnings)
	}
}

// TestKSTwoSF checks the one-sample distribution that the asymptotic
// two-sided test uses (scipy's kstwo.sf, i.e. kolmogn(n, x, cdf=False)) at
// one or two points in every branch scipy's _kolmogn takes for the survival
// function. t = n·x.
func TestKSTwoSF(t *testing.T) {
	cases := []struct {
		branch string
		n      int
		x, sf  float64
	}{
		{"x >= 1", 5, 1.0, 0.0},     // scipy 1.10.1: kstwo.sf(1.0, 5) -> 0.0
		{"t <= 1/2", 10, 0.05, 1.0}, // scipy 1.10.1: kstwo.sf(0.05, 10) -> 1.0
		{"Ruben-Gambino product, 1/2 < t <= 1, n <= 140", 10, 0.08, 0.9999978058034054}, // scipy 1.10.1: kstwo.sf(0.08, 10) -> 0.9999978058034054
		{"Ruben-Gambino product, n = 1", 1, 0.7, 0.6000000000000001},                    // scipy 1.10.1: kstwo.sf(0.7, 1) -> 0.6000000000000001
		{"Ruben-Gambino Stirling, 1/2 < t <= 1, n > 140", 1000, 0.0008, 1.0},            // scipy 1.10.1: kstwo.sf(0.0008, 1000) -> 1.0
		{"Ruben-Gambino upper tail, t >= n-1", 10, 0.95, 1.9531250000000172e-13},        // scipy 1.10.1: kstwo.sf(0.95, 10) -> 1.9531250000000172e-13
		{"2*smirnov, x >= 1/2", 10, 0.6, 0.0005681672000000003},                         // scipy 1.10.1: kstwo.sf(0.6, 10) -> 0.0005681672000000003
		{"2*smirnov, x >= 1/2, n = 300", 300, 0.5, 7.063417378483843e-70},               // scipy 1.10.1: kstwo.sf(0.5, 300) -> 7.063417378483843e-70
		{"Durbin matrix, n <= 140, n x^2 <= 0.754693", 100, 0.08, 0.5182193645480672},   // scipy 1.10.1: kstwo.sf(0.08, 100) -> 0.5182193645480672
		{"Durbin matrix, n = 2", 2, 0.3, 0.98},                                          // scipy 1.10.1: kstwo.sf(0.3, 2) -> 0.98
		{"Pomeranz, n <= 140, n x^2 <= 4", 100, 0.15, 0.019839242125641813},             // scipy 1.10.1: kstwo.sf(0.15, 100) -> 0.019839242125641813
		{"Pomeranz, n = 140", 140, 0.16, 0.0013440163244194184},                         // scipy 1.10.1: kstwo.sf(0.16, 140) -> 0.0013440163244194184
		{"2*smirnov, n <= 140, n x^2 > 4", 100, 0.25, 5.408871776434847e-06},            // scipy 1.10.1: kstwo.sf(0.25, 100) -> 5.408871776434847e-06
		{"2*smirnov, n <= 140, far tail", 100, 0.45, 5.324995419657099e-19},             // scipy 1.10.1: kstwo.sf(0.45, 100) -> 5.324995419657099e-19
		{"zero, n > 140, n x^2 >= 370", 2000, 0.45, 0.0},                                // scipy 1.10.1: kstwo.sf(0.45, 2000) -> 0.0
		{"2*smirnov, n > 140, n x^2 >= 2.2", 1000, 0.05, 0.013012074781090332},          // scipy 1.10.1: kstwo.sf(0.05, 1000) -> 0.013012074781090332
		{"2*smirnov, n > 140, deep tail", 10000, 0.1, 1.6633113315950355e-87},           // scipy 1.10.1: kstwo.sf(0.1, 10000) -> 1.6633113315950355e-87
		{"2*smirnov, n = 10^6", 1000000, 0.002, 0.0006700277103670718},                  // scipy 1.10.1: kstwo.sf(0.002, 1000000) -> 0.0006700277103670718
		{"Durbin matrix, n > 140, n x^1.5 <= 1.4", 1000, 0.012, 0.9984464668620097},     // scipy 1.10.1: kstwo.sf(0.012, 1000) -> 0.9984464668620097
		{"Durbin matrix, n = 150", 150, 0.044, 0.9210729270405793},                      // scipy 1.10.1: kstwo.sf(0.044, 150) -> 0.9210729270405793
		{"Durbin matrix, n = 100000", 100000, 0.00058, 0.999999999999998},               // scipy 1.10.1: kstwo.sf(0.00058, 100000) -> 0.999999999999998
		{"Pelz-Good, n > 140, n x^1.5 > 1.4", 1000, 0.03, 0.3226902143914636},           // scipy 1.10.1: kstwo.sf(0.03, 1000) -> 0.3226902143914636
		{"Pelz-Good, n = 141", 141, 0.1, 0.11128445516467944},                           // scipy 1.10.1: kstwo.sf(0.1, 141) -> 0.11128445516467944
		{"Pelz-Good, n > 100000", 200000, 0.002, 0.39995085369038097},                   // scipy 1.10.1: kstwo.sf(0.002, 200000) -> 0.39995085369038097
	}
	for _, c := range cases {
		approx.Close(t, c.branch, kolmogorovSF(c.n, c.x), c.sf, 1e-9, 0)
	}
}
