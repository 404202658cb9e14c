package steadystate

import (
	"flag"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
)

var shapesReport = flag.Bool("judge.shapes", false, "print the judge's rates on data shapes the project's generator does not make (issue 14; about a minute)")

// TestJudgeShapes prints, with -judge.shapes, the judge's false-alarm rate
// and power on shapes the project's generator does not make, beside the
// plain test a sceptic would use (Mann-Whitney on the values as samples):
//
//	go test ./steadystate -run TestJudgeShapes -judge.shapes -v
//
// ARMA(1,1) noise (φ 0.9, θ −0.5: a persistent level plus minute-to-minute
// noise) in each group at 60 and 240 minutes; bursts (in each group, a
// burst of +5 sd for 5 minutes starts with probability 1% a minute, on
// independent normal noise); error counts with many zeros (Poisson 0.2 a
// minute: 82% zeros), A/A and with a fault that multiplies the rate by 5
// from minute 80 to 160 of 240 and recovers. A/A metrics have tolerance 0
// and direction either (any significant change fails them); the counts'
// fault is judged with direction increase and tolerance 0.5. Seeded, the
// replications in each line; the binomial s.e. is printed. A report, not
// a check: TestJudgeFalseAlarmAR1 and TestJudgeFaultRecovery check.
func TestJudgeShapes(t *testing.T) {
	if !*shapesReport {
		t.Skip("a report, run with -judge.shapes")
	}
	rng := rand.New(rand.NewPCG(14, 14))
	arma := func(n int) []float64 { return armaGroup(rng, n) }
	bursts := func(n int) []float64 {
		x := judgeNormal(rng, n, 100, 10)
		for i := 0; i < n; i++ {
			if rng.Float64() < 0.01 {
				for j := i; j < min(n, i+5); j++ {
					x[j] += 50
				}
			}
		}
		return x
	}
	poisson := func(lambda float64) float64 {
		l, k, p := math.Exp(-lambda), 0.0, 1.0
		for {
			p *= rng.Float64()
			if p <= l {
				return k
			}
			k++
		}
	}
	counts := func(n int, fault bool) []float64 {
		x := make([]float64, n)
		for i := range x {
			lambda := 0.2
			if fault && i >= 80 && i < 160 {
				lambda = 1
			}
			x[i] = poisson(lambda)
		}
		return x
	}
	either := Metric{Name: "m"}
	for _, c := range []struct {
		name   string
		reps   int
		metric Metric
		gen    func() (exp, ctl []float64)
		want   Classification // Failing for A/A, the harmful class for a fault
	}{
		{"ARMA(1,1) A/A, 60 minutes", 4000, either, func() ([]float64, []float64) { return arma(60), arma(60) }, NoData},
		{"ARMA(1,1) A/A, 240 minutes", 2000, either, func() ([]float64, []float64) { return arma(240), arma(240) }, NoData},
		{"bursts A/A, 240 minutes", 2000, either, func() ([]float64, []float64) { return bursts(240), bursts(240) }, NoData},
		{"counts with 82% zeros A/A, 240 minutes", 2000, either, func() ([]float64, []float64) { return counts(240, false), counts(240, false) }, NoData},
		{"counts with 82% zeros, 5x from minute 80 to 160 of 240", 1000, Metric{Name: "errors", Direction: Increase, Tolerance: 0.5}, func() ([]float64, []float64) { return counts(240, true), counts(240, false) }, High},
	} {
		var hits, mw, seg, nodata int
		h := Hypothesis{Name: "shape", Metrics: []Metric{c.metric}}
		for range c.reps {
			exp, ctl := c.gen()
			v, err := Judge(h, []Data{{Control: judgeTimed(ctl), Experiment: judgeTimed(exp)}})
			if err != nil {
				t.Fatal(err)
			}
			r := v.Metrics[0]
			if (c.want == NoData && r.Classification.Failing()) || (c.want != NoData && r.Classification == c.want) {
				hits++
			}
			if r.Classification == NoData {
				nodata++
			}
			if r.Segment != nil {
				seg++
			}
			m, err := compare.MannWhitneyU(exp, ctl, compare.Options{NoShift: true})
			if err == nil && m.P <= 0.05 && (c.want == NoData || mean(exp) > mean(ctl)) {
				mw++
			}
		}
		p := float64(hits) / float64(c.reps)
		what := "false alarms"
		if c.want != NoData {
			what = "judged " + c.want.String()
		}
		t.Logf("%s, %d replications: judge %s %.4f (s.e. %.4f), nodata %.3f, segment reported %.3f; naive Mann-Whitney significant %.4f",
			c.name, c.reps, what, p, math.Sqrt(p*(1-p)/float64(c.reps)), float64(nodata)/float64(c.reps), float64(seg)/float64(c.reps), float64(mw)/float64(c.reps))
	}
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
