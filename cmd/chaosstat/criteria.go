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

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
)

var criteriaCommand = &command{
	name:    "criteria",
	summary: "judge candidate steady-state metrics on the three criteria",
	run:     runCriteria,
	usage:   criteriaUsage,
}

func criteriaUsage(w io.Writer) {
	d := steadystate.DefaultCriteriaOptions
	fmt.Fprintf(w, `usage: chaosstat criteria --satisfaction FILE --metric NAME=FILE [--metric NAME=FILE ...] [flags]

Criteria measures each candidate steady-state metric on the three criteria and
prints one row per metric, one column per criterion, PASS or FAIL with the
figure behind it:

  correlation    its changes move with customer satisfaction's: the %s
                 correlation of first differences (not levels, which share
                 trends and daily cycles by accident), searched over lags up
                 to --max-lag either way; passes when |coefficient| >= %s and
                 p < %s, p corrected for autocorrelation (effective n) and
                 for the number of lags searched (Bonferroni)
  real-time      its sampling interval <= --resolution, its delay behind
                 satisfaction (the best lag) <= --max-delay, and with --now
                 its latency (now - newest point) <= --max-latency
  measurability  completeness >= %s%% of the points expected at its own
                 sampling interval over the satisfaction series' period

A FILE is CSV "timestamp,value" (Unix seconds or RFC 3339) or a ".json" file
holding a Prometheus query_range response with exactly one series; "-" reads
stdin (for one file at most). Satisfaction is any series that measures the
customer's experience: per-minute Apdex, conversion, support contacts.

Flags:

	--satisfaction FILE     the customer-satisfaction series (required)
	--metric NAME=FILE      a candidate metric; repeat for several (at least one)
	--max-lag DURATION      the largest lag searched, both ways (default %s)
	--resolution DURATION   the largest sampling interval that is real time
	                        (default %s)
	--max-delay DURATION    the largest delay behind satisfaction that is real
	                        time (default %s)
	--max-latency DURATION  the largest data latency that is real time (default %s)
	--now TIME              the query time, RFC 3339 or Unix seconds: measures
	                        latency (not judged without it)
	--method NAME           spearman (default), pearson or kendall (tau-b)
	--differencing NAME     first (default), seasonal (change since the same
	                        time a day earlier) or levels (shown for contrast;
	                        do not judge on it)
	--min-correlation R     the smallest |coefficient| that passes (default %s)
	--alpha A               significance level of the correlation (default %s)
	--min-completeness C    the smallest share of points present, in (0, 1]
	                        (default %s)
	--format FORMAT         text (default) or json
	--plot FILE             also draw each metric's correlation against the lag
	                        to FILE: SVG or PNG by its extension

Exit codes: 0 every metric passes every criterion, 1 some criterion fails,
2 usage or input error, 3 no data or too few points to judge.
`, critTitle[d.Method], critNum(d.MinCorrelation), critNum(d.Alpha), critNum(100*d.MinCompleteness),
		critDur(d.MaxLag), critDur(d.MaxResolution), critDur(d.MaxDelay), critDur(d.MaxLatency),
		critNum(d.MinCorrelation), critNum(d.Alpha), critNum(d.MinCompleteness))
}

func critNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

var critTitle = map[compare.CorrelationMethod]string{compare.Spearman: "Spearman", compare.Pearson: "Pearson", compare.Kendall: "Kendall"}

// critDur formats a duration without zero units: 15m, 1h, 90s.
func critDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// critMetricFlag is the repeatable --metric NAME=FILE flag.
type critMetricFlag struct{ names, paths []string }

func (f *critMetricFlag) String() string { return strings.Join(f.names, ",") }
func (f *critMetricFlag) Set(s string) error {
	name, path, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	switch {
	case !ok:
		return fmt.Errorf("%q is not NAME=FILE", s)
	case name == "":
		return fmt.Errorf("%q has no metric name before the =", s)
	case path == "":
		return fmt.Errorf("%q has no file after the =", s)
	}
	for _, n := range f.names {
		if n == name {
			return fmt.Errorf("metric %q given twice", name)
		}
	}
	f.names = append(f.names, name)
	f.paths = append(f.paths, path)
	return nil
}

// critDurationFlag is a positive duration.
type critDurationFlag struct{ d time.Duration }

func (f *critDurationFlag) String() string { return f.d.String() }
func (f *critDurationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return fmt.Errorf("not a duration: want a number with a unit, such as 15m or 90s")
	case d <= 0:
		return fmt.Errorf("want a positive duration, such as 15m")
	case d%time.Millisecond != 0:
		return fmt.Errorf("want a whole number of milliseconds")
	}
	f.d = d
	return nil
}

// critShareFlag is a number in (0, 1].
type critShareFlag struct {
	x  float64
	lo string // what to say it is
}

func (f *critShareFlag) String() string { return critNum(f.x) }
func (f *critShareFlag) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return fmt.Errorf("not a number: want %s", f.lo)
	case x > 1 && x <= 100:
		return fmt.Errorf("out of range: the value is a fraction, %g rather than %s", x/100, s)
	case !(x > 0 && x <= 1):
		return fmt.Errorf("out of range: want %s", f.lo)
	}
	f.x = x
	return nil
}

// critTimeFlag is --now: RFC 3339 or Unix seconds.
type critTimeFlag struct{ t time.Time }

func (f *critTimeFlag) String() string {
	if f.t.IsZero() {
		return ""
	}
	return f.t.UTC().Format(time.RFC3339)
}
func (f *critTimeFlag) Set(s string) error {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		f.t = t
		return nil
	}
	sec, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(sec) || math.IsInf(sec, 0) || sec < 0 || sec > 253402300799 {
		return fmt.Errorf("not a time: want RFC 3339 (2025-11-09T00:00:00Z) or Unix seconds")
	}
	f.t = time.UnixMilli(int64(math.Round(sec * 1000)))
	return nil
}

type critFlags struct {
	satisfaction string
	metrics      critMetricFlag
	opts         steadystate.CriteriaOptions
	now          critTimeFlag
	format       formatFlag
	plot         plotFlag
}

func parseCriteriaFlags(e *env, args []string) (f critFlags, code int, done bool) {
	d := steadystate.DefaultCriteriaOptions
	maxLag, res, delay, latency := critDurationFlag{d.MaxLag}, critDurationFlag{d.MaxResolution}, critDurationFlag{d.MaxDelay}, critDurationFlag{d.MaxLatency}
	minCorr := critShareFlag{d.MinCorrelation, "a correlation in (0, 1], such as 0.5"}
	alpha := critShareFlag{d.Alpha, "a level in (0, 1), such as 0.05"}
	minComp := critShareFlag{d.MinCompleteness, "a share in (0, 1], such as 0.99"}
	method, differencing := d.Method.String(), d.Differencing.String()
	f.format.f = "text"

	fs := flag.NewFlagSet("criteria", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&f.satisfaction, "satisfaction", "", "")
	fs.Var(&f.metrics, "metric", "")
	fs.Var(&maxLag, "max-lag", "")
	fs.Var(&res, "resolution", "")
	fs.Var(&delay, "max-delay", "")
	fs.Var(&latency, "max-latency", "")
	fs.Var(&f.now, "now", "")
	fs.StringVar(&method, "method", method, "")
	fs.StringVar(&differencing, "differencing", differencing, "")
	fs.Var(&minCorr, "min-correlation", "")
	fs.Var(&alpha, "alpha", "")
	fs.Var(&minComp, "min-completeness", "")
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			criteriaUsage(e.stdout)
			return f, exitOK, true
		}
		return f, usageError(e, "criteria", "%s", dashes(err)), true
	}
	m, err := compare.ParseCorrelationMethod(method)
	if err != nil {
		return f, usageError(e, "criteria", "invalid value %q for flag --method: %v", method, err), true
	}
	dd, err := steadystate.ParseDifferencing(differencing)
	if err != nil {
		return f, usageError(e, "criteria", "invalid value %q for flag --differencing: %v", differencing, err), true
	}
	if alpha.x == 1 {
		return f, usageError(e, "criteria", "invalid value \"1\" for flag --alpha: out of range: want a level in (0, 1), such as 0.05"), true
	}
	stdin := 0
	if f.satisfaction == "-" {
		stdin++
	}
	for _, p := range f.metrics.paths {
		if p == "-" {
			stdin++
		}
	}
	switch {
	case fs.NArg() > 0:
		return f, usageError(e, "criteria", "unexpected argument %q: give metrics as --metric NAME=FILE", fs.Arg(0)), true
	case f.satisfaction == "":
		return f, usageError(e, "criteria", "missing --satisfaction FILE, the customer-satisfaction series"), true
	case len(f.metrics.names) == 0:
		return f, usageError(e, "criteria", "missing --metric NAME=FILE: give at least one candidate metric"), true
	case stdin > 1:
		return f, usageError(e, "criteria", `"-" is given %d times: at most one file can read stdin`, stdin), true
	}
	f.opts = steadystate.CriteriaOptions{
		Method: m, Differencing: dd, MaxLag: maxLag.d, MinCorrelation: minCorr.x, Alpha: alpha.x,
		MaxResolution: res.d, MaxDelay: delay.d, MaxLatency: latency.d, MinCompleteness: minComp.x,
	}
	return f, exitOK, false
}

func runCriteria(e *env, args []string) int {
	f, code, done := parseCriteriaFlags(e, args)
	if done {
		return code
	}
	fail := func(code int, format string, args ...any) int {
		prefix := ""
		if code == exitInconclusive {
			prefix = "inconclusive: "
		}
		fmt.Fprintf(e.stderr, "chaosstat criteria: %s%s\n", prefix, fmt.Sprintf(format, args...))
		return code
	}
	sat, code, err := readSample(e, "satisfaction", f.satisfaction)
	if err != nil {
		return fail(code, "--satisfaction: %v", err)
	}
	var cands []steadystate.Candidate
	for i, name := range f.metrics.names {
		m, code, err := readSample(e, "metric", f.metrics.paths[i])
		if err != nil {
			return fail(code, "--metric %s: %v", name, err)
		}
		if len(m.s.T) == 0 {
			return fail(exitUsage, "--metric %s: %s has a single value column; the criteria need \"timestamp,value\"", name, m.name)
		}
		cands = append(cands, steadystate.Candidate{Name: name, Series: m.s})
	}
	if len(sat.s.T) == 0 {
		return fail(exitUsage, "--satisfaction: %s has a single value column; the criteria need \"timestamp,value\"", sat.name)
	}
	rep, err := steadystate.EvaluateAllCriteria(sat.s, cands, f.now.t, f.opts)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "criteria: ")
		if errors.Is(err, steadystate.ErrCriteriaNoData) {
			return fail(exitInconclusive, "%s", msg)
		}
		return fail(exitUsage, "%s", msg)
	}
	if f.format.f == "json" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			_, err = e.stdout.Write(append(b, '\n'))
		}
		if err != nil {
			return fail(exitUsage, "writing the result: %v", err)
		}
	} else {
		fmt.Fprintf(e.stdout, "satisfaction: %s, %s\n", sat.name, critSpan(sat.s))
		if !f.now.t.IsZero() {
			fmt.Fprintf(e.stdout, "query time: %s\n", f.now.t.UTC().Format(time.RFC3339))
		}
		fmt.Fprintln(e.stdout)
		if err := rep.WriteText(e.stdout); err != nil {
			return fail(exitUsage, "writing the result: %v", err)
		}
	}
	if code, failed := writePlot(e, "criteria", f.plot, func(file string) error {
		return chart.Criteria(file, sat.s, cands, rep, chart.Options{})
	}); failed {
		return code
	}
	if rep.Pass() {
		return exitOK
	}
	return exitSignificant
}

// critSpan describes a series' extent: "10080 points from ... to ...".
func critSpan(s series.Series) string {
	return fmt.Sprintf("%d points from %s to %s", len(s.T),
		time.UnixMilli(s.T[0]).UTC().Format(time.RFC3339), time.UnixMilli(s.T[len(s.T)-1]).UTC().Format(time.RFC3339))
}
