package steadystate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// judgeRate is a Monte Carlo rate with its binomial standard error.
type judgeRate struct{ hits, n int }

func (r judgeRate) p() float64           { return float64(r.hits) / float64(r.n) }
func (r judgeRate) se(p float64) float64 { return math.Sqrt(p * (1 - p) / float64(r.n)) }

// within checks that the rate is within k binomial standard errors (at the
// expected rate) of want.
func (r judgeRate) within(t *testing.T, what string, want, k float64) {
	t.Helper()
	se := r.se(want)
	if d := math.Abs(r.p() - want); d > k*se {
		t.Errorf("%s: %d/%d = %.4f, want %.4f ± %.1f·%.4f", what, r.hits, r.n, r.p(), want, k, se)
	} else {
		t.Logf("%s: %d/%d = %.4f (want %.4f ± %.4f)", what, r.hits, r.n, r.p(), want, k*se)
	}
}

// TestJudgeFalseAlarmIndependent runs the judge on A/A data, where nothing
// changed: independent normal values, a metric with direction either and
// tolerance 0, so that any significant change fails it. The rate of
// non-passing verdicts must be alpha within 3.5 binomial standard errors
// (about ±0.012 at 4,000 replications). With five such metrics under Holm,
// the family-wise rate is that of the smallest of five p-values falling below
// alpha/5: 1 − (1 − 0.01)^5 = 0.0490 for independent metrics.
func TestJudgeFalseAlarmIndependent(t *testing.T) {
	const reps, n = 4000, 40
	for _, test := range []Test{MannWhitneyTest, WelchTest} {
		t.Run(test.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(2026, uint64(test)))
			one := judgeRate{n: reps}
			five := judgeRate{n: reps}
			for range reps {
				// One metric.
				h := Hypothesis{Name: "aa", Metrics: []Metric{{Name: "m", Test: test}}}
				d := []Data{{Control: judgeSample(judgeNormal(rng, n, 100, 10)...), Experiment: judgeSample(judgeNormal(rng, n, 100, 10)...)}}
				v, err := Judge(h, d)
				if err != nil {
					t.Fatal(err)
				}
				if v.Metrics[0].Classification != Pass {
					one.hits++
				}
				// Five metrics, Holm-corrected.
				h.Metrics, d = nil, nil
				for i := range 5 {
					h.Metrics = append(h.Metrics, Metric{Name: fmt.Sprint("m", i), Test: test})
					d = append(d, Data{Control: judgeSample(judgeNormal(rng, n, 100, 10)...), Experiment: judgeSample(judgeNormal(rng, n, 100, 10)...)})
				}
				if v, err = Judge(h, d); err != nil {
					t.Fatal(err)
				}
				for _, r := range v.Metrics {
					if r.Classification != Pass {
						five.hits++
						break
					}
				}
			}
			one.within(t, "one metric, false-alarm rate", 0.05, 3.5)
			five.within(t, "five metrics under Holm, family-wise false-alarm rate", 1-math.Pow(1-0.05/5, 5), 3.5)
		})
	}
}
