package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/workflow"
)

var baselineCommand = &command{
	name:    "baseline",
	summary: "check a series against the waveform of the same hours in past weeks",
	run:     runBaseline,
	usage:   baselineUsage,
}

// baselineHelp is the usage: the defaults, then --plot's and Prometheus's lines.
//
//go:embed help/baseline.txt
var baselineHelp string

func baselineUsage(w io.Writer) {
	fmt.Fprintf(w, baselineHelp, baseline.DefaultWeeks, baseline.DefaultOptions.MinWeeks,
		baseline.DefaultDeviationRule.Z, baseline.DefaultDeviationRule.Persistence, plotFlagUsage, promUsage)
}

type baselineFlags struct {
	// The files, or the queries read through prom that replace them.
	history, current, historyQuery, currentQuery string
	prom                                         promInput
	// stepGiven says --step was given; without it a history query follows
	// a current file's own step.
	stepGiven                    bool
	weeks, minWeeks, persistence int
	loc                          *time.Location
	levelAdjust                  bool
	model                        baseline.Model
	logScale, poolDays           bool
	resolution                   float64
	z                            float64
	format                       formatFlag
	plot                         plotFlag
}

func parseBaselineFlags(e *env, args []string) (f baselineFlags, code int, done bool) {
	f.weeks, f.loc, f.format.f = baseline.DefaultWeeks, time.UTC, "text"
	// persistence stays 0 (the library's default) unless given: only an
	// explicit --persistence longer than the current series is an error.
	f.z = baseline.DefaultDeviationRule.Z
	fs := newFlagSet("baseline")
	fs.StringVar(&f.history, "history", "", "")
	fs.StringVar(&f.current, "current", "", "")
	check := func(key string) func(float64) error {
		return func(v float64) error { return baseline.CheckOption(key, v) }
	}
	fs.Func("weeks", "", optionFlag(&f.weeks, strconv.Atoi, check(baseline.OptionWeeks)))
	fs.Func("min-weeks", "", optionFlag(&f.minWeeks, strconv.Atoi, check(baseline.OptionMinWeeks)))
	fs.Func("timezone", "", func(s string) (err error) {
		f.loc, err = baseline.LoadLocation(s)
		return err
	})
	fs.BoolVar(&f.levelAdjust, "level-adjust", false, "")
	fs.Func("model", "", func(s string) (err error) {
		f.model, err = baseline.ParseModel(s)
		return wantOf(err)
	})
	fs.BoolVar(&f.logScale, "log-scale", false, "")
	fs.BoolVar(&f.poolDays, "pool-days", false, "")
	fs.Func("resolution", "", optionFlag(&f.resolution, parseFloat, check(baseline.OptionResolution)))
	fs.Func("z", "", optionFlag(&f.z, parseFloat, check(baseline.OptionZ)))
	fs.Func("persistence", "", optionFlag(&f.persistence, strconv.Atoi, check(baseline.OptionPersistence)))
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	fs.StringVar(&f.historyQuery, "history-query", "", "")
	fs.StringVar(&f.currentQuery, "current-query", "", "")
	f.prom.register(fs)
	if code, done := parseFlags(e, fs, args); done {
		return f, code, true
	}
	modelConflicts := baseline.Options{Model: f.model, LogScale: f.logScale, PoolDays: f.poolDays}.ModelConflicts()
	// --min-weeks beyond --weeks, by the library's rule.
	badOption := optionUsage(f.options().Validate())
	for _, c := range []struct {
		bad bool
		msg string
	}{
		{fs.NArg() > 0, fmt.Sprintf("unexpected argument %q: the files are given with --history and --current", fs.Arg(0))},
		{f.history != "" && f.historyQuery != "", "both --history and --history-query: give the history once"},
		{f.current != "" && f.currentQuery != "", "both --current and --current-query: give the series to check once"},
		{f.history == "" && f.historyQuery == "", "missing --history FILE (or --history-query Q), the past weeks of the metric"},
		{f.current == "" && f.currentQuery == "", "missing --current FILE (or --current-query Q), the series to check"},
		{f.history == "-" && f.current == "-", `--history and --current are both "-": at most one of them can read stdin`},
		{badOption != "", badOption},
		// The linear and the counts model set the scale and the pooling
		// themselves (baseline.Options.ModelConflicts); --log-scale and
		// --pool-days build a model by hand.
		{slices.Contains(modelConflicts, "LogScale"), fmt.Sprintf("--model %v and --log-scale: the model sets the scale itself (counts: the log scale); leave out --log-scale, or --model to build the model by hand", f.model)},
		{slices.Contains(modelConflicts, "PoolDays"), fmt.Sprintf("--model %v and --pool-days: the model sets the pooling itself (counts: over the days); leave out --pool-days, or --model to build the model by hand", f.model)},
		// The history's range follows a current file: a range given too
		// would be ignored.
		{f.prom.enabled() && f.currentQuery == "" && f.historyQuery != "" && (f.prom.start.set || f.prom.end.set),
			"--start and --end are the current series' range, which --current FILE gives: leave them out"},
	} {
		if c.bad {
			return f, usageError(e, "baseline", "%s", c.msg), true
		}
	}
	fs.Visit(func(fl *flag.Flag) { f.stepGiven = f.stepGiven || fl.Name == "step" })
	if f.prom.enabled() && f.currentQuery == "" && f.historyQuery != "" {
		f.prom.start.set, f.prom.end.set = true, true // checked below, not used
	}
	if msg := f.prom.check(fs, f.historyQuery != "" || f.currentQuery != ""); msg != "" {
		return f, usageError(e, "baseline", "%s", msg), true
	}
	return f, exitOK, false
}

// options returns the baseline's options as the flags give them.
func (f *baselineFlags) options() baseline.Options {
	return baseline.Options{Weeks: f.weeks, MinWeeks: f.minWeeks, Location: f.loc, LevelAdjust: f.levelAdjust,
		Model: f.model, LogScale: f.logScale, PoolDays: f.poolDays, Resolution: f.resolution}
}

func runBaseline(e *env, args []string) int {
	f, code, done := parseBaselineFlags(e, args)
	if done {
		return code
	}
	client, err := f.prom.clientIfEnabled()
	if err != nil {
		return e.fail("baseline", exitUsage, "--prometheus: %v", err)
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
	rep, err := baseline.Judge(hist.s, cur.s, f.options(), baseline.DeviationRule{Z: f.z, Persistence: f.persistence})
	if err != nil {
		code, msg := failureCode(err), strings.TrimPrefix(err.Error(), "steadystate: ")
		if in := (*baseline.InputError)(nil); errors.As(err, &in) {
			msg = "--" + in.Input + " " + map[string]string{"history": hist.name, "current": cur.name}[in.Input] + ": " + msg
		}
		return e.fail("baseline", code, "%s", msg)
	}
	rep.History, rep.Current = hist.name, cur.name
	for _, w := range append(curWarns, histWarns...) {
		rep.Warnings = append(rep.Warnings, errors.New(w))
	}
	write := rep.WriteText
	if f.format.f == "json" {
		write = rep.WriteJSON
	}
	if err := write(e.stdout); err != nil {
		return e.fail("baseline", exitUsage, "writing the result: %v", err)
	}
	if code, failed := writePlot(e, "baseline", f.plot, func(file string) error {
		return chart.Baseline(file, rep.Baseline, cur.s, rep.Check, chart.Options{Location: f.loc})
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
	s = sample{flag: side, name: query}
	switch {
	case query == "":
		s, code, err = readSample(e, side, path)
	case cur == nil:
		s.s, warns, code, err = f.prom.readQuery(e.ctx, client, query)
	default:
		// A current file without --step: the history at its step.
		step := f.prom.step.d
		if f.currentQuery == "" && !f.stepGiven {
			step = 0
		}
		var r prom.Range
		if r, err = workflow.BaselineHistoryRange(cur.s, f.weeks, step); err == nil {
			res, rerr := client.Range(e.ctx, query, r)
			s.s, warns, _, code, err = oneSeries(query, r, res, rerr)
		}
	}
	if err == nil {
		if err = baseline.CheckInput(s.name, s.s); err != nil {
			code = exitUsage
		}
	}
	if query != "" {
		side += "-query"
	}
	if err != nil {
		return s, nil, e.fail("baseline", max(code, exitUsage), "--%s: %v", side, err)
	}
	return s, warns, exitOK
}
