package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
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
autocorrelation of the differences accounted for; see steadystate.Monitor).
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
	baseline, feed              string
	histControl, histExperiment string
	histEnd                     int64 // the history's last time, Unix ms
	alpha                       float64
	direction                   steadystate.Direction
	maxDrop                     float64
	sustain                     int
	below, above                float64 // NaN: not set
	maxGap                      time.Duration
	scale                       steadystate.Scale
	horizon, minPoints          int
	format                      formatFlag
	plot                        plotFlag
}

// parseFunc adapts a parse function to flag.Value.
type parseFunc func(string) error

func (f parseFunc) String() string     { return "" }
func (f parseFunc) Set(s string) error { return f(s) }

func parseMonitorFlags(e *env, args []string) (f monitorFlags, code int, done bool) {
	f.alpha = steadystate.DefaultMonitorAlpha
	f.maxDrop = 0.2
	f.sustain = 3
	f.below, f.above = math.NaN(), math.NaN()
	f.maxGap = steadystate.DefaultMaxGap
	f.horizon = steadystate.DefaultMonitorHorizon
	f.minPoints = steadystate.DefaultMonitorMinPoints
	f.format.f = "text"

	fs := flag.NewFlagSet("monitor", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	f.groupFlags.register(fs)
	fs.StringVar(&f.baseline, "baseline", "", "")
	fs.StringVar(&f.feed, "feed", "", "")
	fs.StringVar(&f.histControl, "history-control", "", "")
	fs.StringVar(&f.histExperiment, "history-experiment", "", "")
	number := func(dst *float64, ok func(float64) bool, want string) parseFunc {
		return func(s string) error {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || !ok(x) {
				return errors.New("want " + want)
			}
			*dst = x
			return nil
		}
	}
	count := func(dst *int, lo int, want string) parseFunc {
		return func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n < lo {
				return errors.New("want " + want)
			}
			*dst = n
			return nil
		}
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	fs.Var(number(&f.alpha, func(x float64) bool { return x > 0 && x < 1 }, "a rate in (0, 1), such as 0.05"), "alpha", "")
	fs.Var(number(&f.maxDrop, func(x float64) bool { return x >= 0 && x < math.Inf(1) }, "a relative change >= 0, such as 0.2 for 20% (0 turns the guardrail off)"), "max-drop", "")
	fs.Var(number(&f.below, finite, "a number"), "experiment-below", "")
	fs.Var(number(&f.above, finite, "a number"), "experiment-above", "")
	fs.Var(count(&f.sustain, 1, "a number of points >= 1"), "sustain", "")
	fs.Var(count(&f.horizon, 1, "a number of looks >= 1"), "horizon", "")
	fs.Var(count(&f.minPoints, 3, "a number of pairs >= 3"), "min-points", "")
	fs.Var(parseFunc(func(s string) (err error) {
		f.direction, err = steadystate.ParseDirection(s)
		return err
	}), "direction", "")
	fs.Var(parseFunc(func(s string) (err error) {
		f.scale, err = steadystate.ParseScale(s)
		return err
	}), "scale", "")
	fs.Var(parseFunc(func(s string) (err error) {
		f.maxGap, err = series.ParseDuration(s)
		return err
	}), "max-gap", "")
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			monitorUsage(e.stdout)
			return f, exitOK, true
		}
		return f, usageError(e, "monitor", "%s", dashes(err)), true
	}
	files := f.control != "" || f.experiment != "" || f.queries()
	groupsMsg := ""
	if files {
		groupsMsg = f.groupFlags.check()
	}
	switch {
	case fs.NArg() > 0:
		return f, usageError(e, "monitor", "unexpected argument %q: the input is given with --control and --experiment, or --feed", fs.Arg(0)), true
	case files && f.feed != "":
		return f, usageError(e, "monitor", "--feed and --control/--experiment (files or queries) both given: read either the two groups or one feed"), true
	case !files && f.feed == "":
		return f, usageError(e, "monitor", "no input: give --control FILE --experiment FILE, or --feed - for a live feed on stdin"), true
	case groupsMsg != "":
		return f, usageError(e, "monitor", "%s", groupsMsg), true
	case f.feed != "" && f.baseline != "":
		return f, usageError(e, "monitor", "--baseline is for --control/--experiment; a feed carries the baseline in its fourth column"), true
	}
	if msg := f.prom.check(fs, f.queries()); msg != "" {
		return f, usageError(e, "monitor", "%s", msg), true
	}
	if (f.histControl == "") != (f.histExperiment == "") {
		return f, usageError(e, "monitor", "give both --history-control and --history-experiment, or neither"), true
	}
	stdins := 0
	for _, p := range []string{f.control, f.experiment, f.baseline, f.histControl, f.histExperiment} {
		if p == "-" {
			stdins++
		}
	}
	if stdins > 1 {
		return f, usageError(e, "monitor", `more than one of --control, --experiment and --baseline is "-": at most one can read stdin`), true
	}
	if !math.IsNaN(f.below) && !math.IsNaN(f.above) && f.below >= f.above {
		return f, usageError(e, "monitor", "--experiment-below %v is not below --experiment-above %v", f.below, f.above), true
	}
	return f, exitOK, false
}

// config returns the monitor's configuration from the flags.
func (f *monitorFlags) config() steadystate.MonitorConfig {
	cfg := steadystate.MonitorConfig{
		Alpha: f.alpha, Direction: f.direction, Scale: f.scale, Horizon: f.horizon,
		MinPoints: f.minPoints, MaxGap: f.maxGap,
	}
	if f.maxDrop > 0 {
		cfg.Guardrails = steadystate.MaxChangeGuardrails(f.direction, f.maxDrop, f.sustain)
	}
	if !math.IsNaN(f.below) {
		cfg.Guardrails = append(cfg.Guardrails, steadystate.Guardrail{Name: "experiment below limit", Of: steadystate.ExperimentValue, Bound: steadystate.Below, Limit: f.below, For: f.sustain})
	}
	if !math.IsNaN(f.above) {
		cfg.Guardrails = append(cfg.Guardrails, steadystate.Guardrail{Name: "experiment above limit", Of: steadystate.ExperimentValue, Bound: steadystate.Above, Limit: f.above, For: f.sustain})
	}
	return cfg
}

func runMonitor(e *env, args []string) int {
	f, code, done := parseMonitorFlags(e, args)
	if done {
		return code
	}
	m, err := steadystate.NewMonitor(f.config())
	if err != nil {
		return usageError(e, "monitor", "%v", err)
	}
	if f.histControl != "" {
		if code := primeMonitor(e, &f, m); code != exitOK {
			return code
		}
	}
	out := &monitorOutput{w: e.stdout, json: f.format.f == "json", keep: f.plot.file != ""}
	if f.feed != "" {
		code = runFeed(e, f, m, out)
	} else {
		code = runReplay(e, f, m, out)
	}
	if code == exitOK || code == exitSignificant {
		if c, failed := writePlot(e, "monitor", f.plot, func(file string) error {
			return chart.Monitor(file, out.decisions, chart.Options{})
		}); failed {
			return c
		}
	}
	return code
}

// primeMonitor primes m with --history-control and --history-experiment,
// merged by timestamp, and records the history's last time in f.
func primeMonitor(e *env, f *monitorFlags, m *steadystate.Monitor) int {
	var sides [2]series.Series
	var failure inputFailure
	for i, side := range []struct{ flag, path string }{{"history-control", f.histControl}, {"history-experiment", f.histExperiment}} {
		s, code, err := readSample(e, side.flag, side.path)
		if err == nil && len(s.s.T) == 0 {
			code, err = exitUsage, fmt.Errorf("%s: has no timestamps; the history is a time series (CSV \"timestamp,value\")", s.name)
		}
		if err != nil {
			if failure.add(code, fmt.Sprintf("--%s: %v", side.flag, err)) {
				break
			}
			continue
		}
		sides[i] = s.s
	}
	if code, failed := failure.report(e, "monitor", "no data: "); failed {
		return code
	}
	pts := mergePoints(sides[0], sides[1], series.Series{})
	c, x := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		c[i], x[i] = p.Control, p.Experiment
	}
	if err := m.Prime(c, x); err != nil {
		fmt.Fprintf(e.stderr, "chaosstat monitor: --history-control/--history-experiment (%s, %s): %v\n", f.histControl, f.histExperiment, err)
		return exitUsage
	}
	f.histEnd = pts[len(pts)-1].T
	return exitOK
}

// afterHistory returns an error when a run's first look at t is not after
// the history's last time.
func (f *monitorFlags) afterHistory(t int64) error {
	if f.histControl == "" || t > f.histEnd {
		return nil
	}
	return fmt.Errorf("the run's first look at %s is not after the history's last time %s: the history must come before the experiment",
		time.UnixMilli(t).UTC().Format(time.RFC3339), time.UnixMilli(f.histEnd).UTC().Format(time.RFC3339))
}

// runReplay replays --control and --experiment (and --baseline) merged by
// timestamp.
func runReplay(e *env, f monitorFlags, m *steadystate.Monitor, out *monitorOutput) int {
	sides, code, ok := f.read(e, groupRead{cmd: "monitor", noData: "no data: ",
		noTimes: `%s: has no timestamps; monitor replays time series (CSV "timestamp,value")`},
		f.controlInput(), f.experimentInput(), groupInput{flag: "baseline", path: f.baseline})
	if !ok {
		return code
	}
	points := mergePoints(sides[0].s, sides[1].s, sides[2].s)
	if len(points) > 0 {
		if err := f.afterHistory(points[0].T); err != nil {
			fmt.Fprintf(e.stderr, "chaosstat monitor: %v\n", err)
			return exitUsage
		}
	}
	for _, p := range points {
		d, err := m.Add(p)
		if err != nil {
			fmt.Fprintf(e.stderr, "chaosstat monitor: %v\n", err)
			return exitUsage
		}
		if code, end := out.decision(e, d); end {
			return code
		}
	}
	return out.end(e, f.minPoints)
}

// mergePoints merges the series by timestamp into the looks of a replay: one
// point per time any of control and experiment has, NaN for the group
// without a value then. The baseline is taken where its time matches.
func mergePoints(ctl, exp, base series.Series) []steadystate.MonitorPoint {
	var pts []steadystate.MonitorPoint
	i, j, k := 0, 0, 0
	for i < len(ctl.T) || j < len(exp.T) {
		t := int64(math.MaxInt64)
		if i < len(ctl.T) {
			t = ctl.T[i]
		}
		if j < len(exp.T) && exp.T[j] < t {
			t = exp.T[j]
		}
		p := steadystate.MonitorPoint{T: t, Control: math.NaN(), Experiment: math.NaN()}
		if i < len(ctl.T) && ctl.T[i] == t {
			p.Control = ctl.V[i]
			i++
		}
		if j < len(exp.T) && exp.T[j] == t {
			p.Experiment = exp.V[j]
			j++
		}
		for k < len(base.T) && base.T[k] < t {
			k++
		}
		if k < len(base.T) && base.T[k] == t {
			p.Baseline = base.V[k]
		}
		pts = append(pts, p)
	}
	return pts
}

// feedLine is one line of a live feed, or the error that ended it.
type feedLine struct {
	p    steadystate.MonitorPoint
	line int
	err  error
	done bool
}

// runFeed reads a live feed line by line, with a wall-clock watchdog of
// --max-gap.
func runFeed(e *env, f monitorFlags, m *steadystate.Monitor, out *monitorOutput) int {
	r, name, err := openInput(e, f.feed)
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat monitor: --feed: %v\n", err)
		return exitUsage
	}
	defer r.Close()
	lines := make(chan feedLine)
	quit := make(chan struct{})
	defer close(quit)
	go readFeed(r, name, lines, quit)
	var last int64
	started := false
	for {
		timer := time.NewTimer(f.maxGap)
		select {
		case l := <-lines:
			timer.Stop()
			if l.err != nil {
				fmt.Fprintf(e.stderr, "chaosstat monitor: %v\n", l.err)
				return exitUsage
			}
			if l.done {
				return out.end(e, f.minPoints)
			}
			if err := f.afterHistory(l.p.T); err != nil && !started {
				fmt.Fprintf(e.stderr, "chaosstat monitor: %s:%d: timestamp: %v\n", name, l.line, err)
				return exitUsage
			}
			d, err := m.Add(l.p)
			if err != nil {
				fmt.Fprintf(e.stderr, "chaosstat monitor: %s:%d: timestamp: %v\n", name, l.line, err)
				return exitUsage
			}
			last, started = l.p.T, true
			if code, end := out.decision(e, d); end {
				return code
			}
		case <-timer.C:
			// The feed is silent: look at the time the next point is
			// overdue by, in the data's clock.
			if !started {
				fmt.Fprintf(e.stderr, "chaosstat monitor: no data: %s sent no point in %v\n", name, f.maxGap)
				return exitInconclusive
			}
			d := m.Check(last + f.maxGap.Milliseconds() + 1)
			d.Reason += fmt.Sprintf(" (%s sent nothing for %v of wall-clock time)", name, f.maxGap)
			code, _ := out.decision(e, d)
			return code
		}
	}
}

// readFeed parses the feed's lines and sends them on lines until the input
// ends, an error, or quit.
func readFeed(r io.Reader, name string, lines chan<- feedLine, quit <-chan struct{}) {
	send := func(l feedLine) bool {
		select {
		case lines <- l:
			return true
		case <-quit:
			return false
		}
	}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if line == 1 && strings.EqualFold(fields[0], "timestamp") {
			want := []string{"timestamp", "control", "experiment", "baseline"}
			ok := len(fields) == 3 || len(fields) == 4
			for i := 0; ok && i < len(fields); i++ {
				ok = strings.EqualFold(fields[i], want[i])
			}
			if !ok {
				send(feedLine{err: fmt.Errorf("%s:%d: header: %q; want timestamp,control,experiment[,baseline]", name, line, text)})
				return
			}
			continue
		}
		p, err := parseFeedLine(fields)
		if err != nil {
			send(feedLine{err: fmt.Errorf("%s:%d: %v", name, line, err)})
			return
		}
		if !send(feedLine{p: p, line: line}) {
			return
		}
	}
	if err := sc.Err(); err != nil {
		send(feedLine{err: fmt.Errorf("%s: reading: %v", name, err)})
		return
	}
	send(feedLine{done: true})
}

// parseFeedLine parses the fields of one feed line.
func parseFeedLine(fields []string) (steadystate.MonitorPoint, error) {
	p := steadystate.MonitorPoint{}
	if len(fields) != 3 && len(fields) != 4 {
		return p, fmt.Errorf("%d fields, want 3 or 4 (timestamp,control,experiment[,baseline])", len(fields))
	}
	t, err := series.ParseTime(fields[0])
	if err != nil {
		return p, fmt.Errorf("timestamp: %v", err)
	}
	p.T = t
	names := []string{"control", "experiment", "baseline"}
	dst := []*float64{&p.Control, &p.Experiment, &p.Baseline}
	for i, s := range fields[1:] {
		if s == "" || strings.EqualFold(s, "nan") {
			*dst[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(v, 0) {
			return p, fmt.Errorf("%s: %q is not a number (empty or NaN for missing)", names[i], s)
		}
		*dst[i] = v
	}
	return p, nil
}

// monitorOutput writes decisions, one line each, as they are made.
type monitorOutput struct {
	w       io.Writer
	json    bool
	lastN   int
	decided bool
	// decisions are those written, kept for --plot only (keep): a live
	// feed without it runs for as long as it likes in constant memory.
	keep      bool
	decisions []steadystate.Decision
}

// decision writes d and says whether the run ends (at a stop) with which
// exit code.
func (o *monitorOutput) decision(e *env, d steadystate.Decision) (code int, end bool) {
	o.lastN = d.N
	if o.keep {
		o.decisions = append(o.decisions, d)
	}
	var line string
	if o.json {
		b, err := json.Marshal(monitorJSONOf(d))
		if err != nil {
			fmt.Fprintf(e.stderr, "chaosstat monitor: %v\n", err)
			return exitUsage, true
		}
		line = string(b) + "\n"
	} else {
		line = monitorText(d)
	}
	// One Write per line: a live consumer reads whole lines as they come.
	if _, err := io.WriteString(o.w, line); err != nil {
		fmt.Fprintf(e.stderr, "chaosstat monitor: writing: %v\n", err)
		return exitUsage, true
	}
	if d.Action == steadystate.Stop {
		return exitSignificant, true
	}
	return exitOK, false
}

// end is the exit of a run that ended without a stop.
func (o *monitorOutput) end(e *env, minPoints int) int {
	if o.lastN < minPoints {
		fmt.Fprintf(e.stderr, "chaosstat monitor: no data: the run ended with %d complete pairs, fewer than the %d the test needs to judge\n", o.lastN, minPoints)
		return exitInconclusive
	}
	return exitOK
}

// monitorJSON is one line of --format json. Its keys are a contract with
// other tools, documented in the README: add keys, never rename or remove.
type monitorJSON struct {
	Time           string          `json:"time"`
	Action         string          `json:"action"`
	Cause          string          `json:"cause"`
	Reason         string          `json:"reason"`
	Looks          int             `json:"looks"`
	N              int             `json:"n"`
	PValue         jsonFloat       `json:"p_value"`
	Alpha          jsonFloat       `json:"alpha"`
	Difference     monitorInterval `json:"difference"`
	Relative       monitorInterval `json:"relative"`
	ControlMean    jsonFloat       `json:"control_mean"`
	ExperimentMean jsonFloat       `json:"experiment_mean"`
	VarianceFactor jsonFloat       `json:"variance_factor"`
	Baseline       jsonFloat       `json:"baseline"`
	Window         monitorWindow   `json:"window"`
	Warnings       []string        `json:"warnings"`
}

// monitorWindow is the restarted test that gave the p-value: start null
// when it was the whole-run test.
type monitorWindow struct {
	Start      *string   `json:"start"`
	N          int       `json:"n"`
	Estimate   jsonFloat `json:"estimate"`
	Low        jsonFloat `json:"low"`
	High       jsonFloat `json:"high"`
	Confidence jsonFloat `json:"confidence"`
}

type monitorInterval struct {
	Estimate   jsonFloat `json:"estimate"`
	Low        jsonFloat `json:"low"`
	High       jsonFloat `json:"high"`
	Confidence jsonFloat `json:"confidence"`
}

func intervalJSON(i steadystate.Interval) monitorInterval {
	return monitorInterval{jsonFloat(i.Estimate), jsonFloat(i.Low), jsonFloat(i.High), jsonFloat(i.Confidence)}
}

func monitorJSONOf(d steadystate.Decision) monitorJSON {
	w := make([]string, len(d.Warnings))
	for i, err := range d.Warnings {
		w[i] = err.Error()
	}
	out := monitorJSON{
		Time: time.UnixMilli(d.T).UTC().Format(time.RFC3339Nano), Action: d.Action.String(), Cause: d.Cause.String(),
		Reason: d.Reason, Looks: d.Looks, N: d.N, PValue: jsonFloat(d.P), Alpha: jsonFloat(d.Alpha),
		Difference: intervalJSON(d.Difference), Relative: intervalJSON(d.Relative),
		ControlMean: jsonFloat(d.ControlMean), ExperimentMean: jsonFloat(d.ExperimentMean),
		VarianceFactor: jsonFloat(d.VarianceFactor), Baseline: jsonFloat(d.Baseline), Warnings: w,
		Window: monitorWindow{N: d.Window.N, Estimate: jsonFloat(d.Window.Estimate), Low: jsonFloat(d.Window.Low),
			High: jsonFloat(d.Window.High), Confidence: jsonFloat(d.Window.Confidence)},
	}
	if d.Window.Start != 0 {
		start := time.UnixMilli(d.Window.Start).UTC().Format(time.RFC3339Nano)
		out.Window.Start = &start
	}
	return out
}

// monitorText is one look for people:
//
//	2026-11-26T12:25:00Z  continue  n=26  p=0.41  exp/ctl -1.2% [-6.3%, +4.2%]  continue: ...
func monitorText(d steadystate.Decision) string {
	pct := func(x float64) string {
		switch {
		case math.IsNaN(x):
			return "NaN"
		case math.IsInf(x, -1):
			return "-Inf"
		case math.IsInf(x, 1):
			return "+Inf"
		}
		return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-8s  n=%-4d p=%-7s exp/ctl %s [%s, %s]  %s\n",
		time.UnixMilli(d.T).UTC().Format(time.RFC3339), d.Action, d.N, pvalue(d.P),
		pct(d.Relative.Estimate), pct(d.Relative.Low), pct(d.Relative.High), d.Reason)
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "  warning: %v\n", w)
	}
	return b.String()
}
