package compare

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/chaosstat/chaosstat/internal/approx"
)

// TestQuantile7AgainstR checks the quantile estimator against R 4.2.2's
// quantile(type = 7), from testdata/quantile_r.json
// (testdata/gen_quantile_r.R). R forms (1−h)·a + h·b where we form
// a + h·(b − a): relative tolerance 1e-13.
func TestQuantile7AgainstR(t *testing.T) {
	b, err := os.ReadFile("testdata/quantile_r.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Q     []float64 `json:"q"`
		Cases []struct {
			Name     string    `json:"name"`
			X        []float64 `json:"x"`
			Quantile []float64 `json:"quantile"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 4 {
		t.Fatalf("%d cases, want the 4 gen_quantile_r.R writes", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		x := slices.Clone(c.X)
		slices.Sort(x)
		for i, q := range ref.Q {
			approx.Close(t, c.Name+" quantile", quantile7(x, q), c.Quantile[i], 1e-13, 1e-15)
		}
	}
}

// TestQuantileBootMatchesResampling checks that the order-statistic sampler
// draws from the same distribution as resampling the data: for a sample
// with ties and one without, at the median, p95 and p99, the quantiles
// (5%, 25%, 50%, 75%, 95%) of 20,000 draws of each agree. Tolerance: the
// ranks of the sampler's quantiles within the brute-force draws must lie
// within 0.02 of the probability (the standard error of an empirical
// quantile over 20,000 draws at p = 0.5 is 0.0035, so 0.02 is over 5 s.e.
// for two independent estimates).
func TestQuantileBootMatchesResampling(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	cont := make([]float64, 300)
	for i := range cont {
		cont[i] = r.ExpFloat64()
	}
	tied := make([]float64, 300)
	for i := range tied {
		tied[i] = float64(r.IntN(20))
	}
	const draws = 20000
	for _, tc := range []struct {
		name string
		x    []float64
	}{{"continuous", cont}, {"tied", tied}} {
		x := slices.Clone(tc.x)
		slices.Sort(x)
		for _, q := range []float64{0.5, 0.95, 0.99} {
			boot := newQuantileBoot(x, q, rand.New(rand.NewPCG(1, 1)))
			fast := make([]float64, draws)
			for i := range fast {
				fast[i] = boot.draw()
			}
			brute := make([]float64, draws)
			res := make([]float64, len(x))
			for i := range brute {
				for j := range res {
					res[j] = x[r.IntN(len(x))]
				}
				slices.Sort(res)
				brute[i] = quantile7(res, q)
			}
			slices.Sort(fast)
			slices.Sort(brute)
			for _, p := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
				v := quantile7(fast, p)
				// Where v falls in the brute-force distribution: the mid-rank
				// of v (ties split), as a probability.
				lo, _ := slices.BinarySearch(brute, v)
				hi := lo
				for hi < len(brute) && brute[hi] == v {
					hi++
				}
				loP, hiP := float64(lo)/draws, float64(hi)/draws
				if p < loP-0.02 || p > hiP+0.02 {
					t.Errorf("%s q=%v: the sampler's %v-quantile %v sits at [%.4f, %.4f] of resampling's draws", tc.name, q, p, v, loP, hiP)
				}
			}
		}
	}
}
