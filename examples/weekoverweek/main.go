// Weekoverweek checks one day of a business metric against the same hours of
// the weeks before it, with package steadystate's week-over-week baseline.
//
// Usage:
//
//	weekoverweek [flags] FILE
//
// FILE is one export of the metric (CSV "timestamp,value", or a saved
// Prometheus query_range response) holding the day and the weeks before it.
// The program
//
//  1. builds the baseline from the weeks before the day (baseline.New):
//     for each time-of-week slot, the median across weeks and a robust spread,
//     in the wall clock of -tz so that a daylight-saving change does not shift
//     the daily cycle;
//  2. measures the deviation rule's false-alarm rate on those weeks by leaving
//     one out at a time (Baseline.Calibrate), so that an alarm comes with the
//     rate at which the rule raises one on normal weeks;
//  3. checks the day against the band (Baseline.Check) and prints where it
//     left it, and with -table every point against its slot.
//
// Flags:
//
//	-day YYYY-MM-DD  the day to check (default: the file's last day)
//	-tz NAME         the IANA time zone of the metric's daily cycle (default UTC)
//	-weeks N         weeks of history (default 4)
//	-z Z             half-width of the band in spreads (default 4)
//	-persistence N   points in a row outside the band that make a deviation (default 5)
//	-table           print every point of the day with its slot's centre and band
//
// It exits 0 when the day stayed within the band, 1 when it deviated, 2 on a
// usage or input error, and 3 when there is not enough history to judge.
//
// On four weeks of New York taxi passengers (real data, in
// steadystate/baseline/testdata), an ordinary Thursday stays in the band and
// Thanksgiving does not:
//
//	go run ./examples/weekoverweek -tz America/New_York -day 2014-11-20 steadystate/baseline/testdata/taxi_2014-10-23_2014-11-27.csv
//	go run ./examples/weekoverweek -tz America/New_York steadystate/baseline/testdata/taxi_2014-10-23_2014-11-27.csv
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"text/tabwriter"
	"time"

	// The time zone database is built in, so -tz works on a machine
	// without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitSteady   = 0
	exitDeviated = 1
	exitUsage    = 2
	exitNoData   = 3
)

// run is the program, with its arguments and outputs passed in so that the
// test runs it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("weekoverweek", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		day         = fs.String("day", "", "the day to check, YYYY-MM-DD (default: the file's last day)")
		tz          = fs.String("tz", "UTC", "IANA time zone of the metric's daily cycle")
		weeks       = fs.Int("weeks", baseline.DefaultWeeks, "weeks of history")
		z           = fs.Float64("z", baseline.DefaultDeviationRule.Z, "half-width of the band in spreads")
		persistence = fs.Int("persistence", baseline.DefaultDeviationRule.Persistence, "points in a row outside the band that make a deviation")
		table       = fs.Bool("table", false, "print every point of the day against its slot")
	)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: weekoverweek [flags] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "weekoverweek: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	if *weeks < 1 || *persistence < 1 || !(*z > 0) {
		return fail("-weeks and -persistence must be at least 1, and -z positive")
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fail("-tz: %v", err)
	}
	all, err := series.ReadFile(fs.Arg(0), nil)
	if err != nil {
		return fail("%v", err)
	}
	if len(all.T) == 0 {
		return fail("%s: a plain sample has no times; the baseline needs a time series", fs.Arg(0))
	}

	// The day, in the metric's time zone, and the weeks before it.
	var from time.Time
	if *day == "" {
		last := time.UnixMilli(all.T[len(all.T)-1]).In(loc)
		from = time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, loc)
	} else if from, err = time.ParseInLocation("2006-01-02", *day, loc); err != nil {
		return fail("-day: want YYYY-MM-DD: %v", err)
	}
	to := from.AddDate(0, 0, 1) // the next midnight: 23 or 25 hours away on a DST day
	current := all.Between(from, to)
	history := all.Between(from.AddDate(0, 0, -7**weeks), from)
	if current.Len() == 0 {
		return fail("%s holds no point on %s", fs.Arg(0), from.Format("2006-01-02"))
	}

	// 1. The baseline.
	b, err := baseline.New(history, baseline.Options{Weeks: *weeks, Location: loc})
	if errors.Is(err, series.ErrTooLittleData) { // baseline.ErrNotEnoughHistory
		fmt.Fprintf(stderr, "weekoverweek: %v\n", err)
		return exitNoData
	}
	if err != nil {
		return fail("%v", err)
	}
	// 2. The false-alarm rate of the rule on the history, and 3. the check.
	rule := baseline.DeviationRule{Z: *z, Persistence: *persistence}
	rep, err := b.Check(current, rule)
	if errors.Is(err, series.ErrTooLittleData) { // baseline.ErrNothingJudged
		fmt.Fprintf(stderr, "weekoverweek: %v\n", err)
		return exitNoData
	}
	if err != nil {
		return fail("%v", err)
	}
	rep.AddCalibration(b.Calibrate(rule))

	fmt.Fprintf(stdout, "week-over-week check of %s (%s) against the %d weeks before it\n", from.Format("Monday 2006-01-02"), loc, b.Weeks)
	fmt.Fprintf(stdout, "baseline   %d of %d weeks with data, %s to %s, a slot every %s\n",
		b.WeeksWithData, b.Weeks, b.Start.In(loc).Format("2006-01-02"), b.End.In(loc).Format("2006-01-02"), compare.ShortDuration(b.Step))
	fmt.Fprintf(stdout, "rule       outside the centre ± %g spreads for %d points in a row\n", rep.Rule.Z, rep.Rule.Persistence)
	fmt.Fprintf(stdout, "model      %v (%s)\n", b.Model, b.ModelReason)
	fmt.Fprintf(stdout, "judged     %d points, %d outside the band (%.1f%%)\n", rep.Judged, rep.Outside, 100*rep.FractionOutside())
	for _, d := range rep.Deviations {
		fmt.Fprintf(stdout, "deviation  %s %s to %s, %d points, worst %.2f × the centre\n",
			d.Side, clock(d.Start, from, loc), clock(d.End, from, loc), d.Points, d.WorstRatio)
	}
	if c := rep.Calibration; c != nil {
		fmt.Fprintf(stdout, "history    the rule raises %.2f false alarms a day on the history (%d in %.0f days, leaving one week out; 95%% upper bound %.2f)\n",
			c.FalseAlarmRatePerDay, c.Alarms, c.Days, c.Upper95)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stdout, "warning    %v\n", w)
	}
	verdict, code := "steady: the day stayed within the band", exitSteady
	if rep.Deviated() {
		verdict, code = fmt.Sprintf("deviated: %d deviations", len(rep.Deviations)), exitDeviated
	}
	fmt.Fprintf(stdout, "verdict    %s\n", verdict)

	if *table {
		fmt.Fprintln(stdout)
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "time\tvalue\tcentre\tband low\tband high\t")
		for i, t := range current.T {
			slot, s := b.SlotAt(t)
			lo, hi := b.Band(s, rep.Rule.Z) // a factor around the centre on the counts model's log scale
			mark := ""
			switch v := current.V[i]; {
			case math.IsNaN(v):
				mark = "missing"
			case slot.Sparse:
				mark = "not judged"
			case v < lo:
				mark = "below"
			case v > hi:
				mark = "above"
			}
			if mark != "" {
				mark = "  " + mark
			}
			fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.0f\t%s\n", time.UnixMilli(t).In(loc).Format("15:04"), current.V[i], slot.Center, lo, hi, mark)
		}
		tw.Flush()
	}
	return code
}

// clock formats t as the time of day on the day starting at from, "24:00"
// for the day's end.
func clock(t, from time.Time, loc *time.Location) string {
	if !t.Before(from.AddDate(0, 0, 1)) {
		return "24:00"
	}
	return t.In(loc).Format("15:04")
}
