package main

import (
	"cmp"
	_ "embed"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
)

var monitorCommand = &command{
	name:    "monitor",
	summary: "watch a running experiment and stop it when the experiment group is hurt",
	run:     runMonitor,
	usage:   monitorUsage,
}

//go:embed help/monitor.txt
var monitorHelp string

func monitorUsage(w io.Writer) { fmt.Fprintf(w, monitorHelp, promUsage) }

// monitorFlags holds the parsed flags of monitor.
type monitorFlags struct {
	groupFlags
	baseline, feed               string
	histControl, histExperiment  string
	alpha, maxDrop, below, above float64 // below, above: NaN when not set
	direction                    steadystate.Direction
	sustain, horizon, minPoints  int
	maxGap                       time.Duration
	scale                        monitor.Scale
	format                       formatFlag
	plot                         plotFlag
}

func parseMonitorFlags(e *env, args []string) (f monitorFlags, code int, done bool) {
	f = monitorFlags{alpha: monitor.DefaultAlpha, maxDrop: monitor.DefaultMaxDrop, sustain: monitor.DefaultSustain, below: math.NaN(), above: math.NaN(),
		maxGap: monitor.DefaultMaxGap, horizon: monitor.DefaultHorizon, minPoints: monitor.DefaultMinPoints, format: formatFlag{"text"}}
	fs := newFlagSet("monitor")
	f.groupFlags.register(fs)
	fs.StringVar(&f.baseline, "baseline", "", "")
	fs.StringVar(&f.feed, "feed", "", "")
	fs.StringVar(&f.histControl, "history-control", "", "")
	fs.StringVar(&f.histExperiment, "history-experiment", "", "")
	check := func(key string) func(float64) error {
		return func(v float64) error { return monitor.CheckOption(key, v) }
	}
	for _, n := range []struct {
		flag, key string
		dst       *float64
	}{{"alpha", monitor.OptionAlpha, &f.alpha}, {"max-drop", monitor.OptionMaxDrop, &f.maxDrop},
		{"experiment-below", monitor.OptionExperimentBelow, &f.below}, {"experiment-above", monitor.OptionExperimentAbove, &f.above}} {
		fs.Func(n.flag, "", optionFlag(n.dst, parseFloat, check(n.key)))
	}
	for _, n := range []struct {
		flag, key string
		dst       *int
	}{{"sustain", monitor.OptionSustain, &f.sustain}, {"horizon", monitor.OptionHorizon, &f.horizon}, {"min-points", monitor.OptionMinPoints, &f.minPoints}} {
		fs.Func(n.flag, "", optionFlag(n.dst, strconv.Atoi, check(n.key)))
	}
	fs.Func("direction", "", func(s string) (err error) { f.direction, err = steadystate.ParseDirection(s); return err })
	fs.Func("scale", "", func(s string) (err error) { f.scale, err = monitor.ParseScale(s); return err })
	fs.Func("max-gap", "", func(s string) (err error) { f.maxGap, err = series.ParseDuration(s); return err })
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	if code, done := parseFlags(e, fs, args); done {
		return f, code, true
	}
	files := f.control != "" || f.experiment != "" || f.queries()
	stdins := 0
	for _, p := range []string{f.control, f.experiment, f.baseline, f.histControl, f.histExperiment} {
		if p == "-" {
			stdins++
		}
	}
	// --experiment-below not under --experiment-above, by the library's rule.
	badLimits := optionUsage(monitor.CheckRuleGuardrails(f.maxDrop, f.sustain, f.below, f.above))
	// The checks in order: the first that fails is the message.
	for _, c := range []struct {
		bad bool
		msg string
	}{
		{fs.NArg() > 0, fmt.Sprintf("unexpected argument %q: the input is given with --control and --experiment, or --feed", fs.Arg(0))},
		{files && f.feed != "", "--feed and --control/--experiment (files or queries) both given: read either the two groups or one feed"},
		{!files && f.feed == "", "no input: give --control FILE --experiment FILE, or --feed - for a live feed on stdin"},
		{files && f.groupFlags.check() != "", f.groupFlags.check()},
		{f.feed != "" && f.baseline != "", "--baseline is for --control/--experiment; a feed carries the baseline in its fourth column"},
		{f.prom.check(fs, f.queries()) != "", f.prom.check(fs, f.queries())},
		{(f.histControl == "") != (f.histExperiment == ""), "give both --history-control and --history-experiment, or neither"},
		{stdins > 1, `more than one of --control, --experiment and --baseline is "-": at most one can read stdin`},
		{badLimits != "", badLimits},
	} {
		if c.bad {
			return f, usageError(e, "monitor", "%s", c.msg), true
		}
	}
	return f, exitOK, false
}

// config returns the monitor's configuration from the flags.
func (f *monitorFlags) config() monitor.Config {
	return monitor.Config{Alpha: f.alpha, Direction: f.direction, Scale: f.scale, Horizon: f.horizon, MinPoints: f.minPoints, MaxGap: f.maxGap,
		Guardrails: monitor.RuleGuardrails(f.direction, f.maxDrop, f.sustain, f.below, f.above)}
}

func runMonitor(e *env, args []string) int {
	f, code, done := parseMonitorFlags(e, args)
	if done {
		return code
	}
	m, err := monitor.New(f.config())
	if err != nil {
		return usageError(e, "monitor", "%v", err)
	}
	if code := primeMonitor(e, f, m); code != exitOK {
		return code
	}
	// Each decision is written as it is made, in one Write, so that a live
	// consumer reads whole lines as they come.
	writeLine := monitor.Decision.WriteText
	if f.format.f == "json" {
		writeLine = monitor.Decision.WriteJSON
	}
	write := func(d monitor.Decision) error {
		if err := writeLine(d, e.stdout); err != nil {
			return fmt.Errorf("writing: %v", err)
		}
		return nil
	}
	var run monitor.Run
	if f.feed != "" {
		r, name, ferr := openInput(e, f.feed)
		if ferr != nil {
			fmt.Fprintf(e.stderr, "chaosstat monitor: --feed: %v\n", ferr)
			return exitUsage
		}
		defer r.Close()
		// --plot needs every decision; without it a feed runs in constant memory.
		run, err = m.Follow(e.ctx, monitor.NewFeedReader(r, name), monitor.FollowOptions{Silence: f.maxGap, Keep: f.plot.file != "", OnDecision: write})
	} else {
		sides, code, ok := f.read(e, groupRead{cmd: "monitor", noData: "no data: ",
			noTimes: `%s: has no timestamps; monitor replays time series (CSV "timestamp,value")`},
			f.controlInput(), f.experimentInput(), groupInput{flag: "baseline", path: f.baseline})
		if !ok {
			return code
		}
		run, err = m.Replay(sides[0].s, sides[1].s, monitor.ReplayOptions{Baseline: sides[2].s, OnDecision: write, LastOnly: f.plot.file == ""})
	}
	if run.Outcome == monitor.Interrupted {
		return exitUsage // runContext reports the signal and its exit code
	}
	if err = cmp.Or(err, run.Err()); err != nil {
		return writeFailure(e, "monitor", "no data: ", failureCode(err), err.Error())
	}
	plot := func(file string) error { return chart.Monitor(file, run.Decisions, chart.Options{}) }
	if c, failed := writePlot(e, "monitor", f.plot, plot); failed {
		return c
	}
	return map[monitor.Outcome]int{monitor.Held: exitOK, monitor.Stopped: exitSignificant}[run.Outcome]
}

// primeMonitor primes m with the --history-* files, when given.
func primeMonitor(e *env, f monitorFlags, m *monitor.Monitor) int {
	if f.histControl == "" {
		return exitOK
	}
	var sides [2]series.Series
	read := func(i int, flag, path string) func() error {
		return func() error {
			s, _, err := readSample(e, flag, path)
			if err == nil && len(s.s.T) == 0 {
				err = fmt.Errorf("%s: has no timestamps; the history is a time series (CSV \"timestamp,value\")", s.name)
			}
			if err != nil {
				return fmt.Errorf("--%s: %w", flag, err)
			}
			sides[i] = s.s
			return nil
		}
	}
	if err := series.ReadEach(read(0, "history-control", f.histControl), read(1, "history-experiment", f.histExperiment)); err != nil {
		return writeFailure(e, "monitor", "no data: ", failureCode(err), err.Error())
	}
	if err := m.PrimeSeries(sides[0], sides[1]); err != nil {
		fmt.Fprintf(e.stderr, "chaosstat monitor: --history-control/--history-experiment (%s, %s): %v\n", f.histControl, f.histExperiment, err)
		return exitUsage
	}
	return exitOK
}
