package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	// The time zone database is built in, so --timezone works the same on
	// a machine (or container) without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

var baselineCommand = &command{
	name:    "baseline",
	summary: "check a series against the waveform of the same hours in past weeks",
	run:     runBaseline,
	usage:   baselineUsage,
}

func baselineUsage(w io.Writer) {
	fmt.Fprintf(w, `usage: chaosstat baseline --history FILE --current FILE [flags]
       chaosstat baseline --prometheus URL --history-query Q --current-query Q
                          --start TIME [--end TIME] [--step 1m] [flags]

Baseline builds the steady state of a metric from the same times of week in
past weeks (the median across weeks, slot by slot, at the data's resolution)
and reports where the current series left the band around it: as time
intervals, each with its direction and its worst ratio to the centre.

A point is outside when it is more than Z spreads from its slot's centre (the
spread is a robust, MAD-based estimate of how far a new week strays from the
median of the past ones); a deviation needs PERSISTENCE consecutive points
outside on the same side, so a single noisy point raises nothing. The same
rule is run on the history itself, leaving one week out at a time, and the
alarms it raises there are reported as the false-alarm rate per day.

Slots follow the wall clock of --timezone: a daily cycle stays at its local
hours across a daylight-saving change. Points of the history at or after the
current series' start are ignored (with a warning), so one export of the
metric can serve as the history.

A FILE is CSV with a header row, "timestamp,value", or a ".json" file holding a
Prometheus query_range response with exactly one series. "-" reads stdin (for
one of the two files at most). The history's sampling interval must divide a
day (1m, 5m, 30m, 1h, ...).

Instead of files, either may be a PromQL range query that returns exactly one
series, read from --prometheus at --step: the current series over --start to
--end, the history over the --weeks weeks (and a day, for daylight saving)
before the current series' first point. With --current FILE and
--history-query, the history's range follows the file, and its step too
unless --step is given; --start and --end are then not given.

Flags:

	--history FILE       past weeks of the metric (required)
	--current FILE       the series to check (required)
	--history-query Q    the history: a PromQL query for --prometheus
	--current-query Q    the series to check: a PromQL query
	--weeks N            how many past weeks to build the baseline from (default %d)
	--min-weeks N        how many of them a slot needs values in to be judged
	                     (default %d, or N if smaller)
	--timezone NAME      IANA time zone whose wall clock the weekly cycle follows,
	                     such as Asia/Tokyo or America/New_York (default UTC)
	--level-adjust       scale each past week to the level of the most recent
	                     one (by the ratio of their totals) before the median
	--z Z                half-width of the band in spreads (default %g)
	--persistence N      consecutive outside points a deviation needs (default %d)
	--format FORMAT      text (default) or json
`+plotFlagUsage+`
Prometheus flags (with --history-query and --current-query):

`+promUsage+`
Exit codes: 0 steady (no deviation), 1 deviated, 2 usage or input error
(including a bad query or an unreachable server), 3 inconclusive: not enough
history, no point of the current series judged, or a partial answer from the
server.
`, baseline.DefaultWeeks, baseline.DefaultOptions.MinWeeks,
		baseline.DefaultDeviationRule.Z, baseline.DefaultDeviationRule.Persistence)
}

// positiveIntFlag is an integer flag that must be at least 1.
type positiveIntFlag struct{ n int }

func (f *positiveIntFlag) String() string { return strconv.Itoa(f.n) }
func (f *positiveIntFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fmt.Errorf("want a whole number of at least 1")
	}
	f.n = n
	return nil
}

// positiveFloatFlag is a number flag that must be positive and finite.
type positiveFloatFlag struct{ x float64 }

func (f *positiveFloatFlag) String() string { return strconv.FormatFloat(f.x, 'g', -1, 64) }
func (f *positiveFloatFlag) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return fmt.Errorf("want a positive number, such as 4")
	}
	f.x = x
	return nil
}

// timezoneFlag is the --timezone flag.
type timezoneFlag struct{ loc *time.Location }

func (f *timezoneFlag) String() string {
	if f.loc == nil {
		return "UTC"
	}
	return f.loc.String()
}
func (f *timezoneFlag) Set(s string) error {
	if s == "" || strings.EqualFold(s, "local") {
		return fmt.Errorf("want an IANA time zone name, such as Europe/Berlin (the machine's local zone is not allowed: results would depend on where chaosstat runs)")
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return fmt.Errorf("unknown time zone %q: want an IANA name such as Asia/Tokyo or America/New_York", s)
	}
	f.loc = loc
	return nil
}

type baselineFlags struct {
	history, current string
	// historyQuery and currentQuery replace the files with queries read
	// through prom.
	historyQuery, currentQuery string
	prom                       promInput
	// stepGiven says --step was given; without it a history query follows
	// a current file's own step.
	stepGiven       bool
	weeks, minWeeks positiveIntFlag
	timezone        timezoneFlag
	levelAdjust     bool
	z               positiveFloatFlag
	persistence     positiveIntFlag
	format          formatFlag
	plot            plotFlag
}

func parseBaselineFlags(e *env, args []string) (f baselineFlags, code int, done bool) {
	f.weeks.n = baseline.DefaultWeeks
	f.timezone.loc = time.UTC
	f.z.x = baseline.DefaultDeviationRule.Z
	f.persistence.n = baseline.DefaultDeviationRule.Persistence
	f.format.f = "text"

	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&f.history, "history", "", "")
	fs.StringVar(&f.current, "current", "", "")
	fs.Var(&f.weeks, "weeks", "")
	fs.Var(&f.minWeeks, "min-weeks", "")
	fs.Var(&f.timezone, "timezone", "")
	fs.BoolVar(&f.levelAdjust, "level-adjust", false, "")
	fs.Var(&f.z, "z", "")
	fs.Var(&f.persistence, "persistence", "")
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	fs.StringVar(&f.historyQuery, "history-query", "", "")
	fs.StringVar(&f.currentQuery, "current-query", "", "")
	f.prom.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			baselineUsage(e.stdout)
			return f, exitOK, true
		}
		return f, usageError(e, "baseline", "%s", dashes(err)), true
	}
	switch {
	case fs.NArg() > 0:
		return f, usageError(e, "baseline", "unexpected argument %q: the files are given with --history and --current", fs.Arg(0)), true
	case f.history != "" && f.historyQuery != "":
		return f, usageError(e, "baseline", "both --history and --history-query: give the history once"), true
	case f.current != "" && f.currentQuery != "":
		return f, usageError(e, "baseline", "both --current and --current-query: give the series to check once"), true
	case f.history == "" && f.historyQuery == "":
		return f, usageError(e, "baseline", "missing --history FILE (or --history-query Q), the past weeks of the metric"), true
	case f.current == "" && f.currentQuery == "":
		return f, usageError(e, "baseline", "missing --current FILE (or --current-query Q), the series to check"), true
	case f.history == "-" && f.current == "-":
		return f, usageError(e, "baseline", `--history and --current are both "-": at most one of them can read stdin`), true
	case f.minWeeks.n > f.weeks.n:
		return f, usageError(e, "baseline", "--min-weeks %d is more than --weeks %d", f.minWeeks.n, f.weeks.n), true
	}
	fs.Visit(func(fl *flag.Flag) { f.stepGiven = f.stepGiven || fl.Name == "step" })
	if f.prom.enabled() && f.currentQuery == "" && f.historyQuery != "" {
		// The history's range follows the current file: a range given
		// too would be ignored.
		if f.prom.start.set || f.prom.end.set {
			return f, usageError(e, "baseline", "--start and --end are the current series' range, which --current FILE gives: leave them out"), true
		}
		f.prom.start.set, f.prom.end.set = true, true // checked below, not used
	}
	if msg := f.prom.check(fs, f.historyQuery != "" || f.currentQuery != ""); msg != "" {
		return f, usageError(e, "baseline", "%s", msg), true
	}
	return f, exitOK, false
}

func runBaseline(e *env, args []string) int {
	f, code, done := parseBaselineFlags(e, args)
	if done {
		return code
	}
	client, err := f.prom.clientIfEnabled()
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat baseline: --prometheus: %v\n", err)
		return exitUsage
	}
	// The current series first: the history's range ends where it starts.
	cur, curWarns, code := f.read(e, client, "current", f.current, f.currentQuery, nil)
	if code != exitOK {
		return code
	}
	hist, histWarns, code := f.read(e, client, "history", f.history, f.historyQuery, &cur)
	if code != exitOK {
		return code
	}
	opts := baseline.Options{Weeks: f.weeks.n, MinWeeks: f.minWeeks.n, Location: f.timezone.loc, LevelAdjust: f.levelAdjust}
	rep, err := baseline.Judge(hist.s, cur.s, opts, baseline.DeviationRule{Z: f.z.x, Persistence: f.persistence.n})
	if err != nil {
		var in *baseline.InputError
		what := ""
		if errors.As(err, &in) {
			what = map[string]string{"history": "--history " + hist.name, "current": "--current " + cur.name}[in.Input] + ": "
		}
		msg := strings.TrimPrefix(err.Error(), "steadystate: ")
		if errors.Is(err, baseline.ErrNotEnoughHistory) || errors.Is(err, baseline.ErrNothingJudged) {
			fmt.Fprintf(e.stderr, "chaosstat baseline: inconclusive: %s%s\n", what, msg)
			return exitInconclusive
		}
		fmt.Fprintf(e.stderr, "chaosstat baseline: %s%s\n", what, msg)
		return exitUsage
	}
	rep.History, rep.Current = hist.name, cur.name
	for _, w := range append(curWarns, histWarns...) {
		rep.Warnings = append(rep.Warnings, errors.New(w))
	}
	if f.format.f == "json" {
		err = rep.WriteJSON(e.stdout)
	} else {
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat baseline: writing the result: %v\n", err)
		return exitUsage
	}
	if code, failed := writePlot(e, "baseline", f.plot, func(file string) error {
		return chart.Baseline(file, rep.Baseline, cur.s, rep.Check, chart.Options{Location: f.timezone.loc})
	}); failed {
		return code
	}
	if rep.Deviated() {
		return exitSignificant
	}
	return exitOK
}

// read reads one of the two series, side "history" or "current", from its
// file or its query; the history's query over the range before cur. It
// reports an error itself and returns its exit code.
func (f *baselineFlags) read(e *env, client *prom.Client, side, path, query string, cur *sample) (s sample, warns []string, code int) {
	var err error
	what := "--" + side
	switch {
	case query != "" && cur == nil:
		what += "-query"
		s = sample{flag: side, name: query}
		s.s, warns, code, err = f.prom.readQuery(context.Background(), client, query)
	case query != "":
		what += "-query"
		step := f.prom.step.d
		if f.currentQuery == "" && !f.stepGiven {
			// The history at the current file's resolution.
			if st, err := cur.s.Step(); err == nil && st > 0 && st%time.Millisecond == 0 {
				step = st
			}
		}
		r := prom.Range{Step: step}
		if r.Start, r.End, err = baseline.HistoryRange(cur.s, f.weeks.n, step); err == nil {
			res, rerr := client.Range(context.Background(), query, r)
			s = sample{flag: side, name: query}
			s.s, warns, _, code, err = oneSeries(query, r, res, rerr)
		}
	default:
		s, code, err = readSample(e, side, path)
	}
	if err == nil && len(s.s.T) == 0 {
		code, err = exitUsage, fmt.Errorf("%s: has no timestamps (a single value column); a baseline needs a \"timestamp,value\" header", s.name)
	}
	if err != nil {
		inconclusive := ""
		if code == exitInconclusive {
			inconclusive = "inconclusive: "
		}
		fmt.Fprintf(e.stderr, "chaosstat baseline: %s%s: %v\n", inconclusive, what, err)
		return s, nil, max(code, exitUsage) // exitUsage or exitInconclusive
	}
	return s, warns, exitOK
}
