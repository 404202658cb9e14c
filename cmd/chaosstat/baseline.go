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
	"github.com/chaosstat/chaosstat/steadystate"
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
`, steadystate.DefaultBaselineWeeks, steadystate.DefaultBaselineOptions.MinWeeks,
		steadystate.DefaultDeviationRule.Z, steadystate.DefaultDeviationRule.Persistence)
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
	f.weeks.n = steadystate.DefaultBaselineWeeks
	f.timezone.loc = time.UTC
	f.z.x = steadystate.DefaultDeviationRule.Z
	f.persistence.n = steadystate.DefaultDeviationRule.Persistence
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
	var readWarnings []string
	var files [2]sample
	var failure inputFailure
	// The current series first: the history's range ends where it starts.
	for _, i := range []int{1, 0} {
		side := []struct{ flag, path, query string }{{"history", f.history, f.historyQuery}, {"current", f.current, f.currentQuery}}[i]
		var (
			s    sample
			code int
			err  error
		)
		switch {
		case side.query != "" && i == 1:
			var warns []string
			s = sample{flag: side.flag, name: side.query}
			s.s, warns, code, err = f.prom.readQuery(context.Background(), client, side.query)
			side.flag += "-query"
			readWarnings = append(readWarnings, warns...)
		case side.query != "":
			// The --weeks weeks before the current series' first point,
			// and a day more: a week of local time across a
			// daylight-saving change is an hour longer than 168 hours,
			// and NewBaseline keeps only the last --weeks weeks anyway.
			var warns []string
			start := time.UnixMilli(files[1].s.T[0])
			step := f.prom.step.d
			if f.currentQuery == "" && !f.stepGiven {
				// The history at the current file's resolution.
				if st, err := files[1].s.Step(); err == nil && st > 0 && st%time.Millisecond == 0 {
					step = st
				}
			}
			r := prom.Range{Start: start.Add(-time.Duration(f.weeks.n)*7*24*time.Hour - 24*time.Hour), End: start.Add(-step), Step: step}
			res, rerr := client.Range(context.Background(), side.query, r)
			s = sample{flag: side.flag, name: side.query}
			s.s, warns, _, code, err = oneSeries(side.query, r, res, rerr)
			side.flag += "-query"
			readWarnings = append(readWarnings, warns...)
		default:
			s, code, err = readSample(e, side.flag, side.path)
		}
		if err == nil && len(s.s.T) == 0 {
			code, err = exitUsage, fmt.Errorf("%s: has no timestamps (a single value column); a baseline needs a \"timestamp,value\" header", s.name)
		}
		if err != nil {
			// A history query needs the current series' start: after a
			// failure of the current series it cannot be read.
			if failure.add(code, fmt.Sprintf("--%s: %v", side.flag, err)) || (i == 1 && f.historyQuery != "") {
				break
			}
			continue
		}
		files[i] = s
	}
	if code, failed := failure.report(e, "baseline", "inconclusive: "); failed {
		return code
	}
	hist, cur := files[0], files[1]

	var warnings []string
	history := hist.s
	if start := cur.s.T[0]; history.T[len(history.T)-1] >= start {
		cut := history.Window(math.MinInt64, start)
		if n := history.Len() - cut.Len(); n > 0 {
			warnings = append(warnings, fmt.Sprintf("%d points of the history at or after the current series' start (%s) were ignored",
				n, time.UnixMilli(start).In(f.timezone.loc).Format(time.RFC3339)))
		}
		history = cut
	}

	opts := steadystate.BaselineOptions{Weeks: f.weeks.n, MinWeeks: f.minWeeks.n, Location: f.timezone.loc, LevelAdjust: f.levelAdjust}
	if opts.MinWeeks == 0 {
		opts.MinWeeks = min(steadystate.DefaultBaselineOptions.MinWeeks, opts.Weeks)
	}
	rule := steadystate.DeviationRule{Z: f.z.x, Persistence: f.persistence.n}
	b, err := steadystate.NewBaseline(history, opts)
	if err != nil {
		return baselineError(e, "--history "+hist.name, err)
	}
	rep, err := b.Check(cur.s, rule)
	if err != nil {
		return baselineError(e, "--current "+cur.name, err)
	}
	rep.AddCalibration(b.Calibrate(rule))
	for _, w := range rep.Warnings {
		warnings = append(warnings, w.Error())
	}
	warnings = append(warnings, readWarnings...)

	out := baselineReport{b: b, rep: rep, hist: hist, cur: cur, warnings: warnings}
	if f.format.f == "json" {
		err = out.writeJSON(e.stdout)
	} else {
		err = out.writeText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat baseline: writing the result: %v\n", err)
		return exitUsage
	}
	if code, failed := writePlot(e, "baseline", f.plot, func(file string) error {
		return chart.Baseline(file, b, cur.s, rep, chart.Options{Location: f.timezone.loc})
	}); failed {
		return code
	}
	if rep.Deviated() {
		return exitSignificant
	}
	return exitOK
}

// baselineError reports an error of the steadystate package: too little
// data (too little history, nothing judged) is inconclusive, anything else
// bad input.
func baselineError(e *env, what string, err error) int {
	return writeFailure(e, "baseline", "inconclusive: ", failureCode(err), what+": "+strings.TrimPrefix(err.Error(), "steadystate: "))
}

type baselineReport struct {
	b         *steadystate.Baseline
	rep       *steadystate.DeviationReport
	hist, cur sample
	warnings  []string
}

func (p *baselineReport) verdict() string {
	if p.rep.Deviated() {
		return "deviated"
	}
	return "steady"
}

// jsonBaseline is the --format json output of baseline. Its keys are a
// contract documented in the README: add keys, never rename or remove them.
type jsonBaseline struct {
	Verdict              string          `json:"verdict"` // "steady" or "deviated"
	Deviations           []jsonDeviation `json:"deviations"`
	FractionOutside      jsonFloat       `json:"fraction_outside"`
	FalseAlarmRatePerDay jsonFloat       `json:"false_alarm_rate_per_day"` // null when not measured
	FalseAlarmUpper95    jsonFloat       `json:"false_alarm_rate_upper_95"`
	FalseAlarmDays       jsonFloat       `json:"false_alarm_days"`
	Judged               int             `json:"judged"`
	Outside              int             `json:"outside"`
	Missing              int             `json:"missing"`
	Unjudged             int             `json:"unjudged"`
	Weeks                int             `json:"weeks"`
	WeeksWithData        int             `json:"weeks_with_data"`
	StepSeconds          float64         `json:"step_seconds"`
	Timezone             string          `json:"timezone"`
	Z                    float64         `json:"z"`
	Persistence          int             `json:"persistence"`
	Warnings             []string        `json:"warnings"` // [] when there are none, never null
}

type jsonDeviation struct {
	Start      string    `json:"start"` // RFC 3339 in the --timezone
	End        string    `json:"end"`   // exclusive: last outside point + one step
	Direction  string    `json:"direction"`
	WorstRatio jsonFloat `json:"worst_ratio"` // null when the centre is 0
	Points     int       `json:"points"`
}

func (p *baselineReport) writeJSON(w io.Writer) error {
	r := p.rep
	out := jsonBaseline{
		Verdict:              p.verdict(),
		Deviations:           []jsonDeviation{},
		FractionOutside:      jsonFloat(r.FractionOutside()),
		FalseAlarmRatePerDay: jsonFloat(math.NaN()),
		FalseAlarmUpper95:    jsonFloat(math.NaN()),
		FalseAlarmDays:       jsonFloat(math.NaN()),
		Judged:               r.Judged,
		Outside:              r.Outside,
		Missing:              r.Missing,
		Unjudged:             r.Unjudged,
		Weeks:                p.b.Weeks,
		WeeksWithData:        p.b.WeeksWithData,
		StepSeconds:          p.b.Step.Seconds(),
		Timezone:             p.b.Location.String(),
		Z:                    r.Rule.Z,
		Persistence:          r.Rule.Persistence,
		Warnings:             p.warnings,
	}
	if c := r.Calibration; c != nil {
		out.FalseAlarmRatePerDay = jsonFloat(c.FalseAlarmRatePerDay)
		out.FalseAlarmUpper95 = jsonFloat(c.Upper95)
		out.FalseAlarmDays = jsonFloat(c.Days)
	}
	for _, d := range r.Deviations {
		out.Deviations = append(out.Deviations, jsonDeviation{
			Start: d.Start.Format(time.RFC3339), End: d.End.Format(time.RFC3339),
			Direction: d.Side.String(), WorstRatio: jsonFloat(d.WorstRatio), Points: d.Points,
		})
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return writeJSON(w, out)
}

func (p *baselineReport) writeText(w io.Writer) error {
	r, bl := p.rep, p.b
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-11s %s\n", label, fmt.Sprintf(format, args...))
	}
	line("history", "%s  %d of %d weeks with data, %s to %s, step %v",
		p.hist.name, bl.WeeksWithData, bl.Weeks, bl.Start.Format(time.RFC3339), bl.End.Format(time.RFC3339), bl.Step)
	n := fmt.Sprintf("%d points judged", r.Judged)
	if r.Missing > 0 {
		n += fmt.Sprintf(", %d missing", r.Missing)
	}
	if r.Unjudged > 0 {
		n += fmt.Sprintf(", %d in slots without enough history", r.Unjudged)
	}
	line("current", "%s  %s", p.cur.name, n)
	line("rule", "outside centre ± %g spreads for %d consecutive points; slots in %s", r.Rule.Z, r.Rule.Persistence, bl.Location)
	line("outside", "%d of %d points (%.2f%%)", r.Outside, r.Judged, 100*r.FractionOutside())
	for i, d := range r.Deviations {
		label := ""
		if i == 0 {
			label = "deviations"
		}
		ratio := "n/a (centre 0)"
		if !math.IsNaN(d.WorstRatio) {
			ratio = strconv.FormatFloat(d.WorstRatio, 'f', 3, 64)
		}
		line(label, "%-5s %s to %s  %d points outside, worst ratio %s",
			d.Side, d.Start.Format(time.RFC3339), d.End.Format(time.RFC3339), d.Points, ratio)
	}
	if c := r.Calibration; c != nil {
		line("false alarm", "%.3g a day on the history (%d in %.4g days, leave one week out; 95%% upper bound %.3g a day)",
			c.FalseAlarmRatePerDay, c.Alarms, c.Days, c.Upper95)
	} else {
		line("false alarm", "not measured")
	}
	verdict := "steady: no deviation from the baseline"
	if r.Deviated() {
		verdict = fmt.Sprintf("deviated: %d deviation", len(r.Deviations))
		if len(r.Deviations) > 1 {
			verdict += "s"
		}
	}
	line("verdict", "%s", verdict)
	writeWarnings(&b, "warnings", 11, p.warnings)
	_, err := io.WriteString(w, b.String())
	return err
}
