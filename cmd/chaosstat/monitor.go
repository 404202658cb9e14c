package main

import (
	"cmp"
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

func monitorUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat monitor --control FILE --experiment FILE [flags]
       chaosstat monitor --prometheus URL --control-query Q --experiment-query Q
                         --start TIME [--end TIME] [--step 1m] [flags]
       chaosstat monitor --feed FILE [flags]

Monitor is the emergency stop of a running experiment. It takes the control
and the experiment group's points one look at a time, as they arrive, and
prints one decision per look: continue, or stop with the reason. It exits 1
at the first stop.

The test is always valid: however many looks, an A/A run is stopped with
probability at most --alpha (a mixture sequential probability ratio test,
Johari et al. 2017, on the minute-paired log ratio of the groups, with the
autocorrelation of the differences accounted for; see monitor.Monitor).
Hard guardrails stop at once whatever the test says: the experiment more
than --max-drop worse than the control for --sustain points in a row, or
the experiment's value beyond --experiment-below / --experiment-above. A
group without a value for longer than --max-gap stops the experiment too:
the monitor cannot see it.

Input, one of:

	--control FILE --experiment FILE
	    replays two series files (CSV "timestamp,value" or a Prometheus
	    query_range ".json" file with one series) in time order, as a live
	    feed would have delivered them. The files are merged by timestamp:
	    a time that only one file has is a look at which the other group's
	    value is missing (so a group that stops reporting is seen). "-"
	    reads stdin, for one of them at most.
	--control-query Q --experiment-query Q
	    replays PromQL range queries (each returning exactly one series)
	    read from --prometheus over --start to --end at --step, as the
	    files are; either may replace its file.
	--feed FILE
	    reads a live feed, "-" for stdin: CSV lines "timestamp,control,
	    experiment" with an optional fourth column "baseline", one look per
	    line, in time order; an optional header line names the columns. A
	    decision is printed as soon as each line is read. When no line comes
	    for --max-gap of wall-clock time, monitor stops (the feed is silent).

A timestamp is Unix seconds or an RFC 3339 time; an empty or NaN value is
missing.

Flags:

	--alpha RATE         the false-stop rate over the whole run (default 0.05)
	--direction DIR      the change that hurts: either (default), decrease
	                     (throughput, availability) or increase (latency, errors)
	--max-drop FRACTION  guardrail: the experiment more than this much worse than
	                     the control (relative, in the harmful direction; 0.2 is
	                     20%) for --sustain points in a row; 0 turns it off
	                     (default 0.2)
	--sustain N          points in a row for --max-drop and the value limits
	                     (default 3)
	--experiment-below X guardrail: stop when the experiment's value is below X
	--experiment-above Y guardrail: stop when the experiment's value is above Y
	--max-gap DURATION   stop when a group has had no value for longer (default 5m)
	--scale SCALE        log_ratio (default; positive metrics with a daily cycle)
	                     or difference (metrics that can be zero)
	--horizon N          planned number of looks, for tuning the test (default 360)
	--min-points N       complete pairs before the test may stop (default 10)
	--baseline FILE      with --control/--experiment: last weeks' waveform, for
	                     the report (CSV "timestamp,value")
	--history-control FILE, --history-experiment FILE
	                     the two groups before the experiment, when they were
	                     treated alike (e.g. the previous two hours; at least 30
	                     complete pairs, all before the run's first look): they
	                     prime the test's variance and autocorrelation, so it
	                     is sharp from the first minutes, and are not evidence
	                     of harm. Recommended: without them a 15% drop from
	                     minute 20 was stopped within 10 minutes in 93% of
	                     simulated runs, with 120 minutes of history in 99%
	--format FORMAT      text (default): one line per look; json: one JSON object
	                     per line
	--plot FILE          at the end of the run, also draw the p-value over time with
	                     alpha and the stop, and the difference with its confidence
	                     sequence, to FILE: SVG or PNG by its extension

Prometheus flags (with --control-query and --experiment-query):

`+promUsage+`
Exit codes: 0 the run ended without a stop, 1 stopped (the first stop ends
the run), 2 usage or input error (file:line; a bad query or an unreachable
server), 3 no data, or too few complete pairs for the test to have judged
(fewer than --min-points), or a partial answer from the server.
`)
}

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
