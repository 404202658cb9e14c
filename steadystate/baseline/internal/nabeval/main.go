// Command nabeval compares the week-over-week baseline with the plain
// per-slot median/MAD band on real data with labelled anomalies: the five
// Twitter-volume series of the Numenta Anomaly Benchmark and the NYC taxi
// data in steadystate/baseline/testdata. Each day from the fourth week on
// is judged against the three weeks before it by both methods; the
// program prints, as Markdown for docs/accuracy.md, each method's
// false-alarm rate on ordinary days at its default rule, the library's
// own leave-one-week-out estimate of it, and how many labelled days each
// method catches at equal false-alarm budgets (the ROC-style comparison).
// Run it from the repository's root:
//
//	go run ./steadystate/baseline/internal/nabeval
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

func main() {
	dir := flag.String("data", "steadystate/baseline/testdata", "the folder holding nab/ and nyc_taxi.csv")
	flag.Parse()
	if err := run(os.Stdout, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "nabeval:", err)
		os.Exit(1)
	}
}

// Methods are the detectors compared: the library as `chaosstat baseline
// --weeks 3` runs it, and the plain band.
func Methods() []Scorer {
	return []Scorer{Library("baseline --weeks 3", baseline.Options{Weeks: 3}), Plain, PlainBand("plain, spread ≥ 1", 1)}
}

// Budgets are the false-alarm budgets, as fractions of the negative days.
var Budgets = []float64{0.02, 0.05, 0.10, 0.15}

// Result is everything measured on one dataset.
type Result struct {
	Name                       string
	Neg, Pos, Excl             int
	Scores                     []DayScores // per method
	DefaultFlagNeg             int         // library at its default rule: negative days flagged
	DefaultFlagPos             int         // ... positive days flagged
	DefaultDevsNeg             int         // deviations on negative days
	SelfRate                   float64     // mean of the days' leave-one-week-out rate per day
	Mismatch                   int         // days where Judge and Score disagree (must be 0)
	PlainFlagNeg, PlainFlagPos int
}

// Evaluate judges every day of d with every method.
func Evaluate(d Dataset) (Result, error) {
	r := Result{Name: d.Name}
	days, err := d.Days()
	if err != nil {
		return r, err
	}
	step, err := d.Series.Step()
	if err != nil {
		return r, err
	}
	for _, m := range Methods() {
		s, err := ScoreDays(days, d.Location, step, m)
		if err != nil {
			return r, err
		}
		r.Scores = append(r.Scores, s)
	}
	rule := baseline.DefaultDeviationRule
	nSelf := 0
	for i, day := range days {
		rep, err := baseline.Judge(day.History, day.Current, baseline.Options{Weeks: 3, Location: d.Location}, baseline.DeviationRule{})
		if err != nil {
			return r, fmt.Errorf("judge %s: %w", day.Start.Format("2006-01-02"), err)
		}
		flagged := rep.Deviated()
		if flagged != (r.Scores[0].Score[rule.Persistence][i] > rule.Z) {
			r.Mismatch++
		}
		plain := r.Scores[1].Score[rule.Persistence][i] > rule.Z
		switch day.Label {
		case Negative:
			r.Neg++
			r.DefaultFlagNeg += b2i(flagged)
			r.PlainFlagNeg += b2i(plain)
			r.DefaultDevsNeg += len(rep.Check.Deviations)
		case Positive:
			r.Pos++
			r.DefaultFlagPos += b2i(flagged)
			r.PlainFlagPos += b2i(plain)
		default:
			r.Excl++
		}
		if c := rep.Check.Calibration; c != nil && !math.IsNaN(c.FalseAlarmRatePerDay) {
			r.SelfRate += c.FalseAlarmRatePerDay
			nSelf++
		}
	}
	r.SelfRate /= float64(nSelf)
	return r, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pool concatenates the day scores of several results, method by method.
func pool(rs []Result, name string) Result {
	out := Result{Name: name}
	for m := range rs[0].Scores {
		ds := DayScores{Score: map[int][]float64{}}
		for _, r := range rs {
			ds.Labels = append(ds.Labels, r.Scores[m].Labels...)
			for _, p := range Persistences {
				ds.Score[p] = append(ds.Score[p], r.Scores[m].Score[p]...)
			}
		}
		out.Scores = append(out.Scores, ds)
	}
	for _, r := range rs {
		out.Neg += r.Neg
		out.Pos += r.Pos
		out.Excl += r.Excl
		out.DefaultFlagNeg += r.DefaultFlagNeg
		out.DefaultFlagPos += r.DefaultFlagPos
		out.DefaultDevsNeg += r.DefaultDevsNeg
		out.PlainFlagNeg += r.PlainFlagNeg
		out.PlainFlagPos += r.PlainFlagPos
		out.Mismatch += r.Mismatch
		out.SelfRate += r.SelfRate / float64(len(rs))
	}
	return out
}

func run(w io.Writer, dir string) error {
	var nab []Result
	for _, name := range NABFiles {
		d, err := LoadNAB(dir, name)
		if err != nil {
			return err
		}
		r, err := Evaluate(d)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		nab = append(nab, r)
	}
	taxi, err := LoadTaxi(dir)
	if err != nil {
		return err
	}
	tr, err := Evaluate(taxi)
	if err != nil {
		return fmt.Errorf("taxi: %w", err)
	}
	all := append(append([]Result{}, nab...), pool(nab, "NAB pooled"), tr)
	methods := Methods()

	fmt.Fprintf(w, "At the default rule (z %g, persistence %d): negative days flagged, positive days caught,\n", baseline.DefaultDeviationRule.Z, baseline.DefaultDeviationRule.Persistence)
	fmt.Fprintf(w, "the library's deviations per negative day and its own leave-one-week-out estimate (the mean over the judged days).\n\n")
	fmt.Fprintf(w, "| series | days (neg / pos / left out) | %s: neg flagged | pos caught | deviations a neg day | self-reported a day | %s at z 4, p 5: neg flagged | pos caught |\n", methods[0].Name, methods[1].Name)
	fmt.Fprintf(w, "|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range all {
		fmt.Fprintf(w, "| %s | %d / %d / %d | %d (%.0f%%) | %d of %d | %.3f | %.3f | %d (%.0f%%) | %d of %d |\n", r.Name, r.Neg, r.Pos, r.Excl,
			r.DefaultFlagNeg, pct(r.DefaultFlagNeg, r.Neg), r.DefaultFlagPos, r.Pos,
			float64(r.DefaultDevsNeg)/float64(r.Neg), r.SelfRate,
			r.PlainFlagNeg, pct(r.PlainFlagNeg, r.Neg), r.PlainFlagPos, r.Pos)
	}
	mis := 0
	for _, r := range all {
		mis += r.Mismatch
	}
	fmt.Fprintf(w, "\nDays on which Judge's verdict and the score sweep disagree: %d (must be 0).\n\n", mis)

	fmt.Fprintf(w, "At equal false-alarm budgets: positive days caught (of the series' positives) when each method's\n")
	fmt.Fprintf(w, "threshold z is the lowest that flags at most the budget's number of negative days; pooled rows use\n")
	fmt.Fprintf(w, "one threshold for all five series. p is the persistence in points.\n\n")
	head := []string{"series", "budget (neg days)"}
	for _, m := range methods {
		for _, p := range Persistences {
			head = append(head, fmt.Sprintf("%s, p %d", m.Name, p))
		}
	}
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
	for _, r := range all {
		for _, b := range Budgets {
			allowed := int(math.Floor(b*float64(r.Neg) + 1e-9))
			row := []string{r.Name, fmt.Sprintf("%.0f%% (%d of %d)", 100*b, allowed, r.Neg)}
			for m := range methods {
				for _, p := range Persistences {
					neg, pos := r.Scores[m].Split(p)
					_, fp, tp := AtBudget(neg, pos, allowed)
					row = append(row, fmt.Sprintf("%d of %d (fp %d)", tp, len(pos), fp))
				}
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
	}
	return nil
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(b) }

var _ = time.UTC
