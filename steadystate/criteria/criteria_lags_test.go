package criteria_test

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// TestCorrelationLagsMatchCriteria checks that the lag curve is the one the
// criterion searched: its peak in absolute value is the criterion's best
// lag, with the same coefficient and corrected p, for every method and
// differencing, on the seeded data of testdata/criteria (gen.go).
func TestCorrelationLagsMatchCriteria(t *testing.T) {
	sat, err := series.ReadFile("testdata/satisfaction.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"good.csv", "good_gappy.csv", "good_hourly.csv", "random_walk.csv"} {
		m, err := series.ReadFile("testdata/"+file, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, method := range []compare.CorrelationMethod{compare.Spearman, compare.Pearson, compare.Kendall} {
			for _, diff := range []criteria.Differencing{criteria.FirstDifference, criteria.Levels} {
				opts := criteria.Options{Method: method, Differencing: diff}
				res, err := criteria.Evaluate(sat, criteria.Candidate{Name: file, Series: m}, time.Time{}, opts)
				if err != nil {
					t.Fatal(err)
				}
				lags, err := criteria.CorrelationLags(sat, m, opts)
				if err != nil {
					t.Fatalf("%s %v %v: %v", file, method, diff, err)
				}
				cc := res.Correlation
				if len(lags) != cc.LagsSearched {
					t.Errorf("%s %v %v: %d lags, criterion searched %d", file, method, diff, len(lags), cc.LagsSearched)
				}
				best := -1
				for i, l := range lags {
					if math.IsNaN(l.Coefficient) {
						continue
					}
					if best < 0 || math.Abs(l.Coefficient) > math.Abs(lags[best].Coefficient) ||
						(math.Abs(l.Coefficient) == math.Abs(lags[best].Coefficient) && abs(l.Lag) < abs(lags[best].Lag)) {
						best = i
					}
				}
				if best < 0 {
					t.Fatalf("%s %v %v: no coefficient at any lag", file, method, diff)
				}
				// The same computation; Spearman's coefficients differ from
				// the criterion's in the 14th digit between the two calls
				// (seen: -0.9927263013712843 against ...928), so a relative
				// 1e-9.
				got := lags[best]
				if got.Lag != cc.Lag || got.N != cc.N {
					t.Errorf("%s %v %v: peak at %v with %d pairs, criterion lag %v with %d", file, method, diff, got.Lag, got.N, cc.Lag, cc.N)
				}
				what := fmt.Sprintf("%s %v %v", file, method, diff)
				approx.Close(t, what+" coefficient", got.Coefficient, cc.Coefficient, 1e-9, 0)
				approx.Close(t, what+" p", got.P, cc.P, 1e-9, 0)
			}
		}
	}
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// TestCorrelationLagsErrors: too little data is ErrNoData, as for
// the criteria; a plain sample is an error.
func TestCorrelationLagsErrors(t *testing.T) {
	sat, err := series.ReadFile("testdata/satisfaction_short.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	short := series.Series{T: sat.T[:5], V: sat.V[:5]}
	if _, err := criteria.CorrelationLags(short, sat, criteria.Options{}); !errors.Is(err, criteria.ErrNoData) {
		t.Errorf("5 points: got %v, want ErrNoData", err)
	}
	if _, err := criteria.CorrelationLags(sat, series.Series{V: sat.V}, criteria.Options{}); err == nil {
		t.Error("a plain sample: no error")
	}
}

// TestCorrelationLagsDeseasonalised: for the deseasonalised criterion the
// curve is the prewhitened cross-correlation whose peak chose the lag: its
// peak is the criterion's Lag, PrewhitenedCoefficient and PrewhitenedP
// (the judged Coefficient is a component's, which may differ).
func TestCorrelationLagsDeseasonalised(t *testing.T) {
	sat, err := series.ReadFile("testdata/satisfaction.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"good.csv", "good_gappy.csv", "random_walk.csv"} {
		m, err := series.ReadFile("testdata/"+file, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := criteria.Evaluate(sat, criteria.Candidate{Name: file, Series: m}, time.Time{}, criteria.Options{})
		if err != nil {
			t.Fatal(err)
		}
		lags, err := criteria.CorrelationLags(sat, m, criteria.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cc := res.Correlation
		best := -1
		for i, l := range lags {
			if !math.IsNaN(l.Coefficient) && (best < 0 || math.Abs(l.Coefficient) > math.Abs(lags[best].Coefficient)) {
				best = i
			}
		}
		if best < 0 || len(lags) != cc.LagsSearched {
			t.Fatalf("%s: %d lags, best %d", file, len(lags), best)
		}
		got := lags[best]
		if got.Lag != cc.Lag || got.Coefficient != cc.PrewhitenedCoefficient || got.P != cc.PrewhitenedP {
			t.Errorf("%s: peak %+v; criterion lag %v, prewhitened %v p %v", file, got, cc.Lag, cc.PrewhitenedCoefficient, cc.PrewhitenedP)
		}
	}
}
