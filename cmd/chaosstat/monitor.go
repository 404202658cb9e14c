package main

import (
	"cmp"
	_ "embed"
	"errors"
	"flag"
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
	float := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	atLeast := func(lo int) func(int) bool { return func(n int) bool { return n >= lo } }
	numberFlag(fs, "alpha", &f.alpha, float, func(x float64) bool { return x > 0 && x < 1 }, "a rate in (0, 1), such as 0.05")
	numberFlag(fs, "max-drop", &f.maxDrop, float, func(x float64) bool { return x >= 0 && x < math.Inf(1) }, "a relative change >= 0, such as 0.2 for 20% (0 turns the guardrail off)")
	numberFlag(fs, "experiment-below", &f.below, float, finite, "a number")
	numberFlag(fs, "experiment-above", &f.above, float, finite, "a number")
	numberFlag(fs, "sustain", &f.sustain, strconv.Atoi, atLeast(1), "a number of points >= 1")
	numberFlag(fs, "horizon", &f.horizon, strconv.Atoi, atLeast(1), "a number of looks >= 1")
	numberFlag(fs, "min-points", &f.minPoints, strconv.Atoi, atLeast(3), "a number of pairs >= 3")
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
		{!math.IsNaN(f.below) && !math.IsNaN(f.above) && f.below >= f.above, fmt.Sprintf("--experiment-below %v is not below --experiment-above %v", f.below, f.above)},
	} {
		if c.bad {
			return f, usageError(e, "monitor", "%s", c.msg), true
		}
	}
	return f, exitOK, false
}

// numberFlag registers a flag of fs parsed by parse into dst, accepted when
// ok; otherwise the error says what is wanted.
func numberFlag[T any](fs *flag.FlagSet, name string, dst *T, parse func(string) (T, error), ok func(T) bool, want string) {
	fs.Func(name, "", func(s string) error {
		x, err := parse(s)
		if err != nil || !ok(x) {
			return errors.New("want " + want)
		}
		*dst = x
		return nil
	})
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
