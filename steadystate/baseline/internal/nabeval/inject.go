package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
)

// Event is an anomaly injected into a real ordinary day: for Duration
// from a seeded random start, each count x becomes Apply(x).
type Event struct {
	Name     string
	Duration time.Duration
	Apply    func(x float64, rng *rand.Rand) float64
}

// Events are the injected anomalies: a surge doubling the counts and a
// drop keeping each counted item with probability 1/2 (binomial
// thinning, so the result is still a count), both for three hours.
var Events = []Event{
	{"surge ×2, 3 h", 3 * time.Hour, func(x float64, _ *rand.Rand) float64 { return 2 * x }},
	{"drop to 50%, 3 h", 3 * time.Hour, func(x float64, rng *rand.Rand) float64 {
		k := 0.0
		for range int(x) {
			if rng.IntN(2) == 0 {
				k++
			}
		}
		return k + (x - math.Floor(x)) // a non-integer part (none in these data) kept
	}},
}

// Inject returns day with ev applied, at a start drawn from rng so that
// the event lies within the day.
func Inject(day Day, ev Event, rng *rand.Rand) Day {
	c := day.Current
	step, _ := c.Step()
	n := int(ev.Duration / step)
	i0 := rng.IntN(max(1, c.Len()-n+1))
	out := day
	out.Current = series.Series{T: c.T, V: slices.Clone(c.V)}
	for i := i0; i < min(c.Len(), i0+n); i++ {
		if !math.IsNaN(c.V[i]) {
			out.Current.V[i] = ev.Apply(c.V[i], rng)
		}
	}
	out.Label = Positive
	return out
}

// injectScores scores every negative day of d as it is (negatives) and
// with ev injected (positives), seeded by the dataset and the day.
func injectScores(d Dataset, ev Event, sc Scorer, seed uint64) (DayScores, error) {
	days, err := d.Days()
	if err != nil {
		return DayScores{}, err
	}
	step, err := d.Series.Step()
	if err != nil {
		return DayScores{}, err
	}
	var both []Day
	for i, day := range days {
		if day.Label != Negative {
			continue
		}
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		both = append(both, day, Inject(day, ev, rng))
	}
	return ScoreDays(both, d.Location, step, sc)
}

// runInjected writes the detection rates of injected events on the real
// ordinary days at equal false-alarm budgets, with binomial standard
// errors: the NAB series pooled under one threshold, and the taxi data.
func runInjected(w io.Writer, sets []Dataset, methods []Scorer) error {
	groups := []struct {
		name string
		sets []Dataset
	}{{"NAB pooled", sets[:len(NABFiles)]}, {"NYC taxi", sets[len(NABFiles):]}}
	head := []string{"data", "event", "budget"}
	for _, m := range methods {
		for _, p := range Persistences {
			head = append(head, fmt.Sprintf("%s, p %d", m.Name, p))
		}
	}
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
	for _, g := range groups {
		for ei, ev := range Events {
			scores := make([]DayScores, len(methods))
			for mi, m := range methods {
				for si, d := range g.sets {
					s, err := injectScores(d, ev, m, uint64(1000*ei+si+1))
					if err != nil {
						return err
					}
					scores[mi].Labels = append(scores[mi].Labels, s.Labels...)
					if scores[mi].Score == nil {
						scores[mi].Score = map[int][]float64{}
					}
					for _, p := range Persistences {
						scores[mi].Score[p] = append(scores[mi].Score[p], s.Score[p]...)
					}
				}
			}
			for _, b := range Budgets[:3] {
				row := []string{g.name, ev.Name, ""}
				for mi := range methods {
					for _, p := range Persistences {
						neg, pos := scores[mi].Split(p)
						allowed := int(math.Floor(b*float64(len(neg)) + 1e-9))
						row[2] = fmt.Sprintf("%.0f%% (%d of %d)", 100*b, allowed, len(neg))
						_, _, tp := AtBudget(neg, pos, allowed)
						r := float64(tp) / float64(len(pos))
						row = append(row, fmt.Sprintf("%.2f ± %.2f", r, math.Sqrt(r*(1-r)/float64(len(pos)))))
					}
				}
				fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
			}
		}
	}
	return nil
}
