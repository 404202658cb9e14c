// Command nabeval compares the week-over-week baseline with the plain
// per-slot median/MAD band on real data with labelled anomalies: the five
// Twitter-volume series of the Numenta Anomaly Benchmark and the NYC taxi
// data in steadystate/baseline/testdata. Each day from the fourth week on
// is judged against the three weeks before it by every method; the
// program prints, as Markdown for docs/accuracy.md, each method's
// false-alarm rate on ordinary days at the default rule (z 4, persistence
// 5), the library's own leave-one-week-out estimate of it, and how many
// labelled days each method catches at equal false-alarm budgets (the
// ROC-style comparison), then the same at the default rule on the data
// divided by the step (rates), exact and jittered, for the default's
// choice of the model's resolution. Run it from the repository's root:
//
//	go run ./steadystate/baseline/internal/nabeval
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

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

// Counts are the options of the counts model: the log scale, the spread
// pooled over the days and a resolution of one count. The scale (log
// rather than square root) and the pooling were chosen on AAPL alone;
// the resolution was added after CVS (mostly zeros) showed zero spreads.
var Counts = baseline.Options{Weeks: 3, LogScale: true, PoolDays: true, Resolution: 1}

// Methods are the detectors compared: the library as `chaosstat baseline
// --weeks 3` runs it (ModelAuto, which chooses the counts model on these
// data, all counts), the linear model (the default before ModelAuto), the
// counts model as given, and the plain band without and with a floor of
// one count on its spread.
func Methods() []Scorer {
	return []Scorer{
		Library("baseline (default)", baseline.Options{Weeks: 3}),
		Library("baseline, linear", baseline.Options{Weeks: 3, Model: baseline.ModelLinear}),
		Library("baseline, counts", Counts),
		Plain,
		PlainBand("plain, spread ≥ 1", 1),
	}
}

// Budgets are the false-alarm budgets, as fractions of the negative days.
var Budgets = []float64{0.02, 0.05, 0.10, 0.15}

// AtDefault is one method's answer at the default rule on one dataset.
type AtDefault struct {
	FlagNeg, FlagPos int     // negative days flagged, positive days caught
	DevsNeg          int     // deviations on negative days (library methods)
	DevsAll          int     // deviations on all judged days (library methods)
	SelfRate         float64 // mean leave-one-week-out rate a day over the judged days; NaN for the plain band
	selfN            int
	// Models counts the days by the model Judge built the band with, and
	// ResLo and ResHi bound the resolutions of the counts model's days;
	// library methods only.
	Models       map[string]int
	ResLo, ResHi float64
}

// models describes the days' models: "counts 170 days, resolution 1".
func (d AtDefault) models() string {
	var ms []string
	for k, n := range d.Models {
		m := fmt.Sprintf("%s %d days", k, n)
		if k == "counts" {
			lo, hi := fmt.Sprintf("%.4g", d.ResLo), fmt.Sprintf("%.4g", d.ResHi)
			m += ", resolution " + lo
			if hi != lo {
				m += " to " + hi
			}
		}
		ms = append(ms, m)
	}
	slices.Sort(ms)
	return strings.Join(ms, "; ")
}

// merge adds the days of e's models to d's.
func (d *AtDefault) merge(e AtDefault) {
	for k, n := range e.Models {
		if k == "counts" {
			if d.Models["counts"] == 0 || e.ResLo < d.ResLo {
				d.ResLo = e.ResLo
			}
			d.ResHi = max(d.ResHi, e.ResHi)
		}
		if d.Models == nil {
			d.Models = map[string]int{}
		}
		d.Models[k] += n
	}
}

// addModel counts a day judged with model m and resolution res.
func (d *AtDefault) addModel(m baseline.Model, res float64) {
	if d.Models == nil {
		d.Models = map[string]int{}
	}
	if m == baseline.ModelCounts {
		if d.Models["counts"] == 0 || res < d.ResLo {
			d.ResLo = res
		}
		d.ResHi = max(d.ResHi, res)
	}
	d.Models[m.String()]++
}

// Result is everything measured on one dataset.
type Result struct {
	Name           string
	Neg, Pos, Excl int
	Scores         []DayScores // per method
	Default        []AtDefault // per method
	Mismatch       int         // days on which Judge and the score disagree (must be 0)
}

// Evaluate judges every day of d with every method.
func Evaluate(d Dataset, methods []Scorer) (Result, error) {
	r := Result{Name: d.Name, Default: make([]AtDefault, len(methods))}
	days, err := d.Days()
	if err != nil {
		return r, err
	}
	step, err := d.Series.Step()
	if err != nil {
		return r, err
	}
	rule := baseline.DefaultDeviationRule
	for mi, m := range methods {
		s, err := ScoreDays(days, d.Location, step, m)
		if err != nil {
			return r, err
		}
		r.Scores = append(r.Scores, s)
		def := &r.Default[mi]
		def.SelfRate = math.NaN()
		if m.Opts != nil {
			def.SelfRate = 0
		}
		for i, day := range days {
			flagged := s.Score[rule.Persistence][i] > rule.Z
			if m.Opts != nil {
				o := *m.Opts
				o.Location = d.Location
				rep, err := baseline.Judge(day.History, day.Current, o, baseline.DeviationRule{})
				if err != nil {
					return r, fmt.Errorf("%s: judge %s: %w", m.Name, day.Start.Format("2006-01-02"), err)
				}
				if rep.Deviated() != flagged {
					r.Mismatch++
				}
				def.addModel(rep.Baseline.Model, rep.Baseline.Options().Resolution)
				if day.Label == Negative {
					def.DevsNeg += len(rep.Check.Deviations)
				}
				def.DevsAll += len(rep.Check.Deviations)
				if c := rep.Check.Calibration; c != nil && !math.IsNaN(c.FalseAlarmRatePerDay) {
					def.SelfRate += c.FalseAlarmRatePerDay
					def.selfN++
				}
			}
			switch day.Label {
			case Negative:
				def.FlagNeg += b2i(flagged)
			case Positive:
				def.FlagPos += b2i(flagged)
			}
		}
		if m.Opts != nil {
			def.SelfRate /= float64(def.selfN)
		}
	}
	for _, day := range days {
		switch day.Label {
		case Negative:
			r.Neg++
		case Positive:
			r.Pos++
		default:
			r.Excl++
		}
	}
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
	out := Result{Name: name, Default: make([]AtDefault, len(rs[0].Default))}
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
		out.Mismatch += r.Mismatch
		for m, d := range r.Default {
			o := &out.Default[m]
			o.FlagNeg += d.FlagNeg
			o.FlagPos += d.FlagPos
			o.DevsNeg += d.DevsNeg
			o.DevsAll += d.DevsAll
			o.SelfRate += d.SelfRate / float64(len(rs))
			o.merge(d)
		}
	}
	return out
}

// Datasets loads the five NAB series and the taxi data from dir.
func Datasets(dir string) ([]Dataset, error) {
	var out []Dataset
	for _, name := range NABFiles {
		d, err := LoadNAB(dir, name)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	taxi, err := LoadTaxi(dir)
	if err != nil {
		return nil, err
	}
	return append(out, taxi), nil
}

func run(w io.Writer, dir string) error {
	sets, err := Datasets(dir)
	if err != nil {
		return err
	}
	methods := Methods()
	var rs []Result
	for _, d := range sets {
		r, err := Evaluate(d, methods)
		if err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		rs = append(rs, r)
	}
	nab := rs[:len(NABFiles)]
	all := append(append(append([]Result{}, nab...), pool(nab, "NAB pooled")), rs[len(NABFiles):]...)

	rule := baseline.DefaultDeviationRule
	fmt.Fprintf(w, "At the default rule (z %g, persistence %d): negative days flagged and positive days caught; for the\n", rule.Z, rule.Persistence)
	fmt.Fprintf(w, "library's methods the deviations a negative day, the deviations a day over all judged days (which the history\n")
	fmt.Fprintf(w, "that the calibration sees is made of) and the mean of the days' own leave-one-week-out rate a day.\n\n")
	fmt.Fprintf(w, "| series | days (neg / pos / left out) | method | neg flagged | pos caught | deviations a neg day | deviations a day | self-reported a day |\n")
	fmt.Fprintf(w, "|---|---|---|---:|---:|---:|---:|---:|\n")
	for _, r := range all {
		for m, d := range r.Default {
			dev, all, self := "", "", ""
			if methods[m].Opts != nil {
				dev, self = fmt.Sprintf("%.3f", float64(d.DevsNeg)/float64(r.Neg)), fmt.Sprintf("%.3f", d.SelfRate)
				all = fmt.Sprintf("%.3f", float64(d.DevsAll)/float64(r.Neg+r.Pos+r.Excl))
			}
			fmt.Fprintf(w, "| %s | %d / %d / %d | %s | %d (%.0f%%) | %d of %d | %s | %s | %s |\n", r.Name, r.Neg, r.Pos, r.Excl,
				methods[m].Name, d.FlagNeg, pct(d.FlagNeg, r.Neg), d.FlagPos, r.Pos, dev, all, self)
		}
	}
	mis := 0
	for _, r := range all {
		mis += r.Mismatch
	}
	fmt.Fprintf(w, "\nDays on which baseline.Judge's verdict and the score sweep disagree: %d (must be 0).\n\n", mis)

	fmt.Fprintf(w, "At equal false-alarm budgets: positive days caught, and negative days flagged (fp), when each method's\n")
	fmt.Fprintf(w, "threshold z is the lowest that flags at most the budget's number of negative days; the pooled rows use\n")
	fmt.Fprintf(w, "one threshold for all five NAB series, the rows after them each series' own, summed. p is the persistence\n")
	fmt.Fprintf(w, "in points.\n\n")
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
					row = append(row, fmt.Sprintf("%d of %d (%d)", tp, len(pos), fp))
				}
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
		if r.Name != "NAB pooled" {
			continue
		}
		// The same budgets with each series' own threshold, summed: what a
		// team that tunes each metric's band on its own data gets.
		for _, b := range Budgets {
			row := []string{"NAB, each its own threshold (sum)", fmt.Sprintf("%.0f%%", 100*b)}
			for m := range methods {
				for _, p := range Persistences {
					tps, fps, pos := 0, 0, 0
					for _, rn := range nab {
						neg, ps := rn.Scores[m].Split(p)
						_, fp, tp := AtBudget(neg, ps, int(math.Floor(b*float64(rn.Neg)+1e-9)))
						tps, fps, pos = tps+tp, fps+fp, pos+len(ps)
					}
					row = append(row, fmt.Sprintf("%d of %d (%d)", tps, pos, fps))
				}
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
	}
	if err := runRates(w, sets); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nInjected events on the real negative days: each negative day judged as it is (the negatives) and with one\n")
	fmt.Fprintf(w, "event injected at a seeded random start (the positives). Detection rate among the injected days ± its\n")
	fmt.Fprintf(w, "binomial standard error, at equal budgets of the same days uninjected.\n\n")
	return runInjected(w, sets, methods)
}

// RateMethods are the detectors run on the data as rates: the default,
// the linear model, and the counts model with a resolution of one event
// a step (1/step seconds), which on a rate of counts is the counts model
// exactly.
func RateMethods(step float64) []Scorer {
	return []Scorer{
		Library("baseline (default)", baseline.Options{Weeks: 3}),
		Library("baseline, linear", baseline.Options{Weeks: 3, Model: baseline.ModelLinear}),
		Library("baseline, counts, one event a step", baseline.Options{Weeks: 3, Model: baseline.ModelCounts, Resolution: 1 / step}),
	}
}

// runRates judges every day of the data divided by the step (a per-second
// rate, as Prometheus's rate() gives) at the default rule.
func runRates(w io.Writer, sets []Dataset) error {
	var all []Result
	var methods []Scorer
	for _, jitter := range []float64{0, 0.01} {
		var rs []Result
		for i, d := range sets {
			rd, err := Rates(d)
			if err != nil {
				return err
			}
			if jitter > 0 {
				rd = Jitter(rd, jitter, uint64(i))
			}
			step, _ := d.Series.Step()
			methods = RateMethods(step.Seconds())
			r, err := Evaluate(rd, methods)
			if err != nil {
				return fmt.Errorf("%s: %w", rd.Name, err)
			}
			rs = append(rs, r)
		}
		nab := rs[:len(NABFiles)]
		name := strings.Replace(nab[0].Name, "AAPL", "NAB pooled", 1)
		all = append(append(append(all, nab...), pool(nab, name)), rs[len(NABFiles):]...)
	}
	fmt.Fprintf(w, "\nThe same data as rates: every value divided by the step in seconds (tweets and passengers a second),\n")
	fmt.Fprintf(w, "and the rates each multiplied by 1 + 0.01·U, U uniform on [−1, 1) (seeded), as a rate that is not a\n")
	fmt.Fprintf(w, "multiple of one event a step; at the default rule, with the models the default chose and the days each.\n\n")
	fmt.Fprintf(w, "| series | method | neg flagged | pos caught | deviations a day | self-reported a day | models |\n")
	fmt.Fprintf(w, "|---|---|---:|---:|---:|---:|---|\n")
	for _, r := range all {
		for m, d := range r.Default {
			fmt.Fprintf(w, "| %s | %s | %d of %d (%.0f%%) | %d of %d | %.3f | %.3f | %s |\n", r.Name, methods[m].Name,
				d.FlagNeg, r.Neg, pct(d.FlagNeg, r.Neg), d.FlagPos, r.Pos, float64(d.DevsAll)/float64(r.Neg+r.Pos+r.Excl), d.SelfRate, d.models())
		}
	}
	return nil
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(b) }
