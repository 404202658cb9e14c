package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/prom"
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
       chaosstat criteria --prometheus URL --start TIME [--end TIME] [--step 1m]
                          --satisfaction-query Q --metric-query NAME=Q ... [flags]

Criteria measures each candidate steady-state metric on the three criteria and
prints one row per metric, one column per criterion, PASS or FAIL with the
figure behind it:

  correlation    its changes move with customer satisfaction's: the %s
                 correlation of first differences (not levels, which share
                 trends and daily cycles by accident), searched over lags up
                 to --max-lag either way; passes when |coefficient| >= %s and
                 p <= %s, p corrected for autocorrelation (effective n) and
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

Instead of a file, satisfaction and each metric may be a PromQL range query
that returns exactly one series, read from --prometheus over --start to --end
at --step. A queried metric's measurability also shows the samples the server
read to answer it (its query cost) and the number of series it returned.

Flags:

	--satisfaction FILE     the customer-satisfaction series (required)
	--metric NAME=FILE      a candidate metric; repeat for several (at least one)
	--satisfaction-query Q  the satisfaction series: a PromQL query for --prometheus
	--metric-query NAME=Q   a candidate metric from a PromQL query; repeatable,
	                        and may be mixed with --metric
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

Prometheus flags (with --satisfaction-query and --metric-query):

%s
Exit codes: 0 every metric passes every criterion, 1 some criterion fails,
2 usage or input error (including a bad query or an unreachable server), 3 no
data or too few points to judge, or a partial answer from the server.
`, critTitle[d.Method], critNum(d.MinCorrelation), critNum(d.Alpha), critNum(100*d.MinCompleteness),
		compare.ShortDuration(d.MaxLag), compare.ShortDuration(d.MaxResolution), compare.ShortDuration(d.MaxDelay), compare.ShortDuration(d.MaxLatency),
		critNum(d.MinCorrelation), critNum(d.Alpha), critNum(d.MinCompleteness), promUsage)
}

func critNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

var critTitle = map[compare.CorrelationMethod]string{compare.Spearman: "Spearman", compare.Pearson: "Pearson", compare.Kendall: "Kendall"}

// critMetricFlag is the repeatable --metric NAME=FILE flag; with
// critMetricQueryFlag, --metric-query NAME=QUERY, it keeps the metrics in
// the order given. queries[i] says whether paths[i] is a query.
type critMetricFlag struct {
	names, paths []string
	queries      []bool
}

func (f *critMetricFlag) String() string     { return strings.Join(f.names, ",") }
func (f *critMetricFlag) Set(s string) error { return f.add(s, false) }

func (f *critMetricFlag) add(s string, query bool) error {
	what := "file"
	if query {
		what = "query"
	}
	name, path, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	switch {
	case !ok:
		return fmt.Errorf("%q is not NAME=%s", s, strings.ToUpper(what))
	case name == "":
		return fmt.Errorf("%q has no metric name before the =", s)
	case path == "":
		return fmt.Errorf("%q has no %s after the =", s, what)
	}
	for i, n := range f.names {
		if n == name {
			if f.queries[i] != query {
				return fmt.Errorf("metric %q given both as --metric and as --metric-query: give its data once", name)
			}
			return fmt.Errorf("metric %q given twice", name)
		}
	}
	f.names = append(f.names, name)
	f.paths = append(f.paths, path)
	f.queries = append(f.queries, query)
	return nil
}

// critMetricQueryFlag is --metric-query NAME=QUERY.
type critMetricQueryFlag struct{ f *critMetricFlag }

func (q critMetricQueryFlag) String() string {
	if q.f == nil {
		return ""
	}
	return q.f.String()
}
func (q critMetricQueryFlag) Set(s string) error { return q.f.add(s, true) }

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
	ms, err := series.ParseTime(s)
	if err != nil {
		return err
	}
	f.t = time.UnixMilli(ms).UTC()
	return nil
}

type critFlags struct {
	satisfaction string
	// satisfactionQuery replaces the file with a query read through prom.
	satisfactionQuery string
	prom              promInput
	metrics           critMetricFlag
	opts              steadystate.CriteriaOptions
	now               critTimeFlag
	format            formatFlag
	plot              plotFlag
}

func parseCriteriaFlags(e *env, args []string) (f critFlags, code int, done bool) {
	d := steadystate.DefaultCriteriaOptions
	maxLag, res, delay, latency := durationFlag{d.MaxLag}, durationFlag{d.MaxResolution}, durationFlag{d.MaxDelay}, durationFlag{d.MaxLatency}
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
	fs.StringVar(&f.satisfactionQuery, "satisfaction-query", "", "")
	fs.Var(critMetricQueryFlag{&f.metrics}, "metric-query", "")
	f.prom.register(fs)
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
	haveQuery := f.satisfactionQuery != ""
	for i, p := range f.metrics.paths {
		if p == "-" && !f.metrics.queries[i] {
			stdin++
		}
		haveQuery = haveQuery || f.metrics.queries[i]
	}
	switch {
	case fs.NArg() > 0:
		return f, usageError(e, "criteria", "unexpected argument %q: give metrics as --metric NAME=FILE", fs.Arg(0)), true
	case f.satisfaction != "" && f.satisfactionQuery != "":
		return f, usageError(e, "criteria", "both --satisfaction and --satisfaction-query: give the satisfaction series once"), true
	case f.satisfaction == "" && f.satisfactionQuery == "":
		return f, usageError(e, "criteria", "missing --satisfaction FILE (or --satisfaction-query Q), the customer-satisfaction series"), true
	case len(f.metrics.names) == 0:
		return f, usageError(e, "criteria", "missing --metric NAME=FILE (or --metric-query NAME=Q): give at least one candidate metric"), true
	case stdin > 1:
		return f, usageError(e, "criteria", `"-" is given %d times: at most one file can read stdin`, stdin), true
	}
	if msg := f.prom.check(fs, haveQuery); msg != "" {
		return f, usageError(e, "criteria", "%s", msg), true
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
		return writeFailure(e, "criteria", "inconclusive: ", code, fmt.Sprintf(format, args...))
	}
	// The server's statistics give each queried metric's cost: the
	// samples it read.
	f.prom.serverStats = true
	client, err := f.prom.clientIfEnabled()
	if err != nil {
		return fail(exitUsage, "--prometheus: %v", err)
	}
	var readWarnings []string
	// query reads q; flag names it in messages.
	query := func(flag, q string) (sample, prom.Stats, int, error) {
		s, warns, stats, code, err := f.prom.readQueryStats(context.Background(), client, q)
		for _, w := range warns {
			readWarnings = append(readWarnings, flag+": "+w)
		}
		return sample{flag: flag, name: q, s: s}, stats, code, err
	}
	// An input error is reported rather than an input without data
	// (inputFailure): after a read without data, the others are read.
	var failure inputFailure
	var sat sample
	if f.satisfactionQuery != "" {
		if sat, _, code, err = query("satisfaction-query", f.satisfactionQuery); err != nil && failure.add(code, fmt.Sprintf("--satisfaction-query: %v", err)) {
			return fail(code, "--satisfaction-query: %v", err)
		}
	} else if sat, code, err = readSample(e, "satisfaction", f.satisfaction); err != nil && failure.add(code, fmt.Sprintf("--satisfaction: %v", err)) {
		return fail(code, "--satisfaction: %v", err)
	}
	var cands []steadystate.Candidate
	for i, name := range f.metrics.names {
		if f.metrics.queries[i] {
			m, stats, code, err := query("metric-query "+name, f.metrics.paths[i])
			if err != nil {
				if failure.add(code, fmt.Sprintf("--metric-query %s: %v", name, err)) {
					return fail(code, "--metric-query %s: %v", name, err)
				}
				continue
			}
			c := steadystate.Candidate{Name: name, Series: m.s, SeriesCount: stats.Series}
			if stats.Samples > 0 {
				c.QuerySamples = stats.Samples
			}
			cands = append(cands, c)
			continue
		}
		m, code, err := readSample(e, "metric", f.metrics.paths[i])
		if err != nil {
			if failure.add(code, fmt.Sprintf("--metric %s: %v", name, err)) {
				return fail(code, "--metric %s: %v", name, err)
			}
			continue
		}
		if len(m.s.T) == 0 {
			return fail(exitUsage, "--metric %s: %s has a single value column; the criteria need \"timestamp,value\"", name, m.name)
		}
		cands = append(cands, steadystate.Candidate{Name: name, Series: m.s})
	}
	if code, failed := failure.report(e, "criteria", "inconclusive: "); failed {
		return code
	}
	for _, w := range readWarnings {
		fmt.Fprintf(e.stderr, "chaosstat criteria: warning: --%s\n", w)
	}
	if len(sat.s.T) == 0 {
		return fail(exitUsage, "--satisfaction: %s has a single value column; the criteria need \"timestamp,value\"", sat.name)
	}
	rep, err := steadystate.EvaluateAllCriteria(sat.s, cands, f.now.t, f.opts)
	if err != nil {
		return fail(failureCode(err), "%s", strings.TrimPrefix(err.Error(), "criteria: "))
	}
	if f.format.f == "json" {
		if err := writeJSON(e.stdout, rep); err != nil {
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
		critWriteCost(e.stdout, cands)
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

// critWriteCost lists the cost of the metrics read by query (the JSON has
// it in measurability's series and query_samples); nothing when none was.
func critWriteCost(w io.Writer, cands []steadystate.Candidate) {
	head := false
	for _, c := range cands {
		if c.SeriesCount == 0 {
			continue
		}
		if !head {
			fmt.Fprintf(w, "\nquery cost (the server's statistics):\n")
			head = true
		}
		samples := "samples read unknown"
		if c.QuerySamples > 0 {
			samples = fmt.Sprintf("%d samples read", c.QuerySamples)
		}
		fmt.Fprintf(w, "  %s: %d series returned, %s\n", c.Name, c.SeriesCount, samples)
	}
}
