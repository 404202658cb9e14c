package main

import (
	"encoding/json"
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

Flags:

	--history FILE       past weeks of the metric (required)
	--current FILE       the series to check (required)
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
Exit codes: 0 steady (no deviation), 1 deviated, 2 usage or input error,
3 inconclusive: not enough history, or no point of the current series judged.
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
	weeks, minWeeks  positiveIntFlag
	timezone         timezoneFlag
	levelAdjust      bool
	z                positiveFloatFlag
	persistence      positiveIntFlag
	format           formatFlag
	plot             plotFlag
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
	case f.history == "":
		return f, usageError(e, "baseline", "missing --history FILE, the past weeks of the metric"), true
	case f.current == "":
		return f, usageError(e, "baseline", "missing --current FILE, the series to check"), true
	case f.history == "-" && f.current == "-":
		return f, usageError(e, "baseline", `--history and --current are both "-": at most one of them can read stdin`), true
	case f.minWeeks.n > f.weeks.n:
		return f, usageError(e, "baseline", "--min-weeks %d is more than --weeks %d", f.minWeeks.n, f.weeks.n), true
	}
	return f, exitOK, false
}

func runBaseline(e *env, args []string) int {
	f, code, done := parseBaselineFlags(e, args)
	if done {
		return code
	}
	var files [2]sample
	for i, side := range []struct{ flag, path string }{{"history", f.history}, {"current", f.current}} {
		s, code, err := readSample(e, side.flag, side.path)
		if err == nil && len(s.s.T) == 0 {
			code, err = exitUsage, fmt.Errorf("%s: has no timestamps (a single value column); a baseline needs a \"timestamp,value\" header", s.name)
		}
		if err != nil {
			inconclusive := ""
			if code == exitInconclusive {
				inconclusive = "inconclusive: "
			}
			fmt.Fprintf(e.stderr, "chaosstat baseline: %s--%s: %v\n", inconclusive, side.flag, err)
			return code
		}
		files[i] = s
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
// history or nothing judged is inconclusive, anything else bad input.
func baselineError(e *env, what string, err error) int {
	msg := strings.TrimPrefix(err.Error(), "steadystate: ")
	if errors.Is(err, steadystate.ErrNotEnoughHistory) || errors.Is(err, steadystate.ErrNothingJudged) {
		fmt.Fprintf(e.stderr, "chaosstat baseline: inconclusive: %s: %s\n", what, msg)
		return exitInconclusive
	}
	fmt.Fprintf(e.stderr, "chaosstat baseline: %s: %s\n", what, msg)
	return exitUsage
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
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
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
	for i, w := range p.warnings {
		label := ""
		if i == 0 {
			label = "warnings"
		}
		line(label, "%s", w)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
