// Prometheus judges a chaos experiment on a metric read from a Prometheus
// server (or Thanos, Mimir, Cortex, VictoriaMetrics): the experiment group
// against the control group over the same window, with the control's own
// past weeks as a baseline.
//
// Usage:
//
//	prometheus -query TEMPLATE [flags]
//
// TEMPLATE is one PromQL query for both groups, with $group where the
// group's label value goes, for example
//
//	-query 'avg(rate(http_request_duration_seconds_sum{group=$group}[5m]) / rate(http_request_duration_seconds_count{group=$group}[5m]))'
//
// $group becomes the quoted -control or -experiment value (prom.Quote), so
// a value such as `a"} or vector(1) or {x="` stays one string literal and
// cannot change the query. The query must give one series per group:
// aggregate across instances (avg, sum) in the template.
//
// The program
//
//  1. reads both groups over -start to -end at -step with prom.Client.Range,
//     which splits a long window into requests the server accepts
//     (-max-points per series) and stitches them back point for point;
//  2. reads the control over the same window 1 to -weeks weeks ago
//     (prom.Client.RangeWeeksAgo) and checks the control against that
//     week-over-week baseline (baseline.Evaluate): a control
//     outside its usual band means the run fell into an unusual period, so
//     the verdict is about that period, not a usual one;
//  3. judges the hypothesis "the experiment stays within -tolerance of the
//     control" with steadystate.Judge, whose default test for two time
//     series pairs them minute by minute with an autocorrelation-robust
//     variance (compare.TimeSeries), and prints the verdict table and a
//     line of the judged numbers at full precision.
//
// Flags, with their defaults:
//
//	-prometheus URL          the server's base URL, with a path prefix if it has one
//	                         (http://localhost:9090; Mimir: http://mimir:8080/prometheus)
//	-query TEMPLATE          required, see above
//	-control VALUE           the control group's label value (control)
//	-experiment VALUE        the experiment group's label value (experiment)
//	-start TIME, -end TIME   the window: RFC 3339, Unix seconds, now or now-DURATION
//	                         (now-1h to now, both rounded down to the step)
//	-step DURATION           the spacing of the points (1m)
//	-weeks N                 weeks of the control's history for the baseline; 0: none (4)
//	-name NAME, -unit UNIT   the metric's name and unit in the report (metric, none)
//	-direction D             the change that hurts: increase, decrease or either (either)
//	-tolerance F             the relative change allowed in that direction (0.05)
//	-bearer-token-file FILE  send "Authorization: Bearer" with the file's token, read at every request
//	-tenant ID               send X-Scope-OrgID: ID (Mimir, Cortex, Loki-style multi-tenancy)
//	-header K=V              send another header; repeatable
//	-timeout DURATION        per request (30s)
//	-max-points N            points per series per request (11000; VictoriaMetrics takes 30000)
//	-allow-partial           judge on a partial answer (a server warning) instead of failing
//
// It exits 0 when the hypothesis held, 1 when it was disproved, 2 on a usage
// error or a failed read (a bad query, a refused credential, an unreachable
// server, a timeout), and 3 when the verdict is inconclusive or a group has
// no data or the server answered only in part (as chaosstat's CLI does: no
// data is never a pass).
//
// Against a Prometheus holding prom/testdata/latency.om (the integration
// test backfills one; see README.md to do it by hand), the hour of the
// injected fault:
//
//	go run ./examples/prometheus -query 'checkout_latency_ms{group=$group}' \
//		-start 2026-02-01T12:00:00Z -end 2026-02-01T13:00:00Z -name latency -unit ms -direction increase
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
)

// Defaults of the flags.
const (
	defaultAddress   = "http://localhost:9090"
	defaultStep      = time.Minute
	defaultTolerance = 0.05
	placeholder      = "$group"
)

// Exit codes, as chaosstat's CLI uses them.
const (
	exitHeld         = 0
	exitDisproved    = 1
	exitError        = 2
	exitInconclusive = 3
)

// errDisproved and errInconclusive are what run returns after printing a
// verdict that is not Held, so that main can exit with the verdict's code.
var (
	errDisproved    = errors.New("hypothesis disproved")
	errInconclusive = errors.New("hypothesis inconclusive")
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := runContext(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	code := exitCode(err)
	if err != nil && code != exitDisproved && !errors.Is(err, errInconclusive) && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "prometheus:", err)
	}
	os.Exit(code)
}

// exitCode is the exit code for what run returned.
func exitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitHeld
	case errors.Is(err, errDisproved):
		return exitDisproved
	case errors.Is(err, errInconclusive), errors.Is(err, series.ErrTooLittleData):
		// No data is never a pass, nor is a partial answer (prom's
		// ErrNoData and ErrPartial wrap series.ErrTooLittleData): like
		// chaosstat's CLI, the run is inconclusive rather than wrong.
		return exitInconclusive
	}
	return exitError
}

// run is the program, with its arguments and output passed in so that the
// test runs it in-process. Usage goes to stderr.
func run(args []string, stdout io.Writer) error {
	return runContext(context.Background(), args, stdout, os.Stderr)
}

// options are the parsed flags.
type options struct {
	client             prom.Config
	query              string
	control            string
	experiment         string
	window             prom.Range
	weeks              int
	metric             steadystate.Metric
	controlQuery       string
	experimentQuery    string
	headers            headerFlag
	start, end, tenant string
}

// headerFlag is -header K=V, repeatable.
type headerFlag map[string]string

func (h headerFlag) String() string { return "" }
func (h headerFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	h[k] = v
	return nil
}

// parse reads the flags into options; now is the time "now" means.
func parse(args []string, stderr io.Writer, now time.Time) (*options, error) {
	fs := flag.NewFlagSet("prometheus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{headers: headerFlag{}}
	step, direction := defaultStep, fs.String("direction", "either", "the change that hurts: increase, decrease or either")
	fs.Func("step", "spacing of the points (default "+defaultStep.String()+")", func(s string) (err error) {
		step, err = series.ParseDuration(s)
		return err
	})
	fs.StringVar(&o.client.Address, "prometheus", defaultAddress, "the server's base URL, with a path prefix if it has one (Mimir: http://mimir:8080/prometheus)")
	fs.StringVar(&o.query, "query", "", "PromQL for both groups, with "+placeholder+" where the group's label value goes (required)")
	fs.StringVar(&o.control, "control", "control", "the control group's label value")
	fs.StringVar(&o.experiment, "experiment", "experiment", "the experiment group's label value")
	fs.StringVar(&o.start, "start", "now-1h", "start of the window: RFC 3339, Unix seconds, now or now-DURATION")
	fs.StringVar(&o.end, "end", "now", "end of the window, inclusive")
	fs.IntVar(&o.weeks, "weeks", baseline.DefaultWeeks, "weeks of the control's history for the baseline; 0 for none")
	fs.StringVar(&o.metric.Name, "name", "metric", "the metric's name in the report")
	fs.StringVar(&o.metric.Unit, "unit", "", "the metric's unit in the report")
	fs.Float64Var(&o.metric.Tolerance, "tolerance", defaultTolerance, "relative change allowed in the harmful direction")
	fs.StringVar(&o.client.BearerTokenFile, "bearer-token-file", "", "file holding a bearer token, read at every request")
	fs.StringVar(&o.tenant, "tenant", "", "tenant ID sent as X-Scope-OrgID (Mimir, Cortex)")
	fs.Var(o.headers, "header", "extra header NAME=VALUE; repeatable")
	o.client.Timeout = prom.DefaultTimeout
	fs.Func("timeout", "timeout of each request (default "+prom.DefaultTimeout.String()+")", func(s string) (err error) {
		o.client.Timeout, err = series.ParseDuration(s)
		return err
	})
	fs.IntVar(&o.client.MaxPoints, "max-points", prom.DefaultMaxPoints, "points per series per request (VictoriaMetrics takes 30000)")
	fs.BoolVar(&o.client.AllowPartial, "allow-partial", false, "judge on a partial answer (a server warning) instead of failing")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: prometheus -query TEMPLATE [flags]")
		fmt.Fprintln(stderr, "Judges the experiment group against the control group on a metric read from Prometheus.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	usage := func(format string, a ...any) (*options, error) {
		return nil, fmt.Errorf("usage: "+format+" (see -help)", a...)
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case o.query == "":
		return usage("-query is required, e.g. -query 'checkout_latency_ms{group=%s}'", placeholder)
	case !strings.Contains(o.query, placeholder):
		return usage("-query %q has no %s: both groups would read the same series", o.query, placeholder)
	case o.control == o.experiment:
		return usage("-control and -experiment are both %q", o.control)
	case o.weeks < 0:
		return usage("-weeks %d: want 0 or more", o.weeks)
	case !(o.metric.Tolerance >= 0) || math.IsInf(o.metric.Tolerance, 0):
		return usage("-tolerance %v: want a number >= 0", o.metric.Tolerance)
	case o.client.MaxPoints < 2:
		return usage("-max-points %d: want 2 or more", o.client.MaxPoints)
	}
	d, err := steadystate.ParseDirection(*direction)
	if err != nil {
		return usage("-direction: %v", err)
	}
	o.metric.Direction = d
	start, err := parseTime(o.start, now, step)
	if err != nil {
		return usage("-start %v", err)
	}
	end, err := parseTime(o.end, now, step)
	if err != nil {
		return usage("-end %v", err)
	}
	if !start.Before(end) {
		return usage("-start %s is not before -end %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	o.window = prom.Range{Start: start, End: end, Step: step}
	if o.tenant != "" {
		o.headers["X-Scope-OrgID"] = o.tenant
	}
	if len(o.headers) > 0 {
		o.client.Headers = o.headers
	}
	o.controlQuery = groupQuery(o.query, o.control)
	o.experimentQuery = groupQuery(o.query, o.experiment)
	return o, nil
}

// groupQuery puts value, quoted as a PromQL string literal, where the
// template says $group.
func groupQuery(template, value string) string {
	return strings.ReplaceAll(template, placeholder, prom.Quote(value))
}

// parseTime reads a -start or -end value with series.ParseTimeAt. "now"
// and now-DURATION are rounded down to the step, so that two runs in the
// same minute read the same points; an explicit time is taken as given.
func parseTime(s string, now time.Time, step time.Duration) (time.Time, error) {
	t, err := series.ParseTimeAt(s, now)
	if err == nil && (s == "now" || strings.HasPrefix(s, "now-")) {
		t = t.Truncate(step)
	}
	return t, err
}

// runContext is run with a context, so that an interrupt stops the reads.
func runContext(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr, time.Now())
	if err != nil {
		return err
	}
	client, err := prom.New(o.client)
	if err != nil {
		return err
	}

	// 1. Both groups over the window.
	w := o.window
	fmt.Fprintf(stdout, "server      %s\n", redactURL(o.client.Address))
	fmt.Fprintf(stdout, "window      %s to %s, a point every %s\n", w.Start.UTC().Format(time.RFC3339), w.End.UTC().Format(time.RFC3339), compare.ShortDuration(w.Step))
	control, ctlStats, err := readOne(ctx, stdout, client, o.controlQuery, w, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "control     %s: %s\n", o.controlQuery, describeRead(control, ctlStats, w))
	experiment, expStats, err := readOne(ctx, stdout, client, o.experimentQuery, w, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "experiment  %s: %s\n", o.experimentQuery, describeRead(experiment, expStats, w))

	// 2. The control against the same window of past weeks.
	if o.weeks > 0 {
		if err := checkBaseline(ctx, stdout, client, o, control); err != nil {
			return err
		}
	}

	// 3. The verdict.
	fmt.Fprintln(stdout)
	v, err := judge(o.metric, control, experiment)
	if err != nil {
		return err
	}
	if err := writeVerdict(stdout, v); err != nil {
		return err
	}
	switch v.Outcome {
	case steadystate.Held:
		return nil
	case steadystate.Disproved:
		return errDisproved
	}
	return errInconclusive
}

// readOne reads query over r, weeks weeks back when weeks > 0, and returns
// its one series. No series is an empty series for a week ago (the history
// may not reach back so far) and an error for the window itself: no data is
// never a pass. The server's warnings, returned only under -allow-partial,
// are printed to stdout, with the report they weaken.
func readOne(ctx context.Context, stdout io.Writer, c *prom.Client, query string, r prom.Range, weeks int) (series.Series, prom.Stats, error) {
	var (
		res *prom.RangeResult
		err error
	)
	if weeks == 0 {
		res, err = c.Range(ctx, query, r)
	} else {
		res, err = c.RangeWeeksAgo(ctx, query, r, weeks)
	}
	if err != nil {
		return series.Series{}, prom.Stats{}, err
	}
	switch n := len(res.Series); {
	case n == 0 && weeks > 0:
		return series.Series{}, res.Stats, nil
	case n == 0:
		return series.Series{}, res.Stats, fmt.Errorf("%s: %w from %s to %s", query, prom.ErrNoData, r.Start.UTC().Format(time.RFC3339), r.End.UTC().Format(time.RFC3339))
	case n > 1:
		return series.Series{}, res.Stats, fmt.Errorf("%s: %d series, want one per group: aggregate them in the query, e.g. avg(...) or sum(...), or narrow the selector (the first two: %s, %s)",
			query, n, seriesName(res.Series[0]), seriesName(res.Series[1]))
	}
	s := res.Series[0]
	for _, warn := range res.Warnings { // only with -allow-partial
		fmt.Fprintf(stdout, "warning     %s: partial answer: %s\n", query, warn)
	}
	return s, res.Stats, nil
}

func seriesName(s series.Series) string {
	var b strings.Builder
	b.WriteString(s.Name)
	b.WriteString("{")
	first := true
	for _, k := range slices.Sorted(maps.Keys(s.Labels)) {
		if !first {
			b.WriteString(",")
		}
		first = false
		b.WriteString(k + "=" + prom.Quote(s.Labels[k]))
	}
	b.WriteString("}")
	return b.String()
}

// describeRead says how much of the window a read covered and what it
// took: "61 of 61 points in 1 request".
func describeRead(s series.Series, st prom.Stats, r prom.Range) string {
	return fmt.Sprintf("%d of %d points in %s", s.Len(), r.Points(), plural(st.Requests, "request"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// redactURL drops anything after the host and path that could hold a
// secret (prom.New refuses credentials in the URL; a query string could).
func redactURL(address string) string {
	u, err := url.Parse(address)
	if err != nil {
		return address
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// checkBaseline reads the control over the window 1 to o.weeks weeks ago,
// lays each week back where it was, and checks the current control against
// the week-over-week band those weeks make.
func checkBaseline(ctx context.Context, stdout io.Writer, c *prom.Client, o *options, control series.Series) error {
	var weeks []series.Series // oldest first
	requests := 0
	for k := o.weeks; k >= 1; k-- {
		s, st, err := readOne(ctx, stdout, c, o.controlQuery, o.window, k)
		if err != nil {
			return fmt.Errorf("baseline, %d weeks ago: %w", k, err)
		}
		requests += st.Requests
		if s.Len() > 0 {
			// RangeWeeksAgo lays the week over the current one; the
			// baseline wants it back at its own time.
			weeks = append(weeks, s.Shift(-time.Duration(k)*prom.Week))
		}
	}
	history := concat(weeks)
	fmt.Fprintf(stdout, "baseline    the control's window 1 to %d weeks ago: %d of %d weeks with data, %s\n", o.weeks, len(weeks), o.weeks, plural(requests, "request"))
	rep, err := baseline.Evaluate(history, control, baseline.Options{Weeks: o.weeks}, baseline.DeviationRule{})
	if errors.Is(err, series.ErrTooLittleData) { // too little history, or nothing to judge
		fmt.Fprintf(stdout, "            not checked: %v\n", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	fmt.Fprintf(stdout, "            %d points judged, %d outside the centre ± %g spreads (%.1f%%)", rep.Judged, rep.Outside, rep.Rule.Z, 100*rep.FractionOutside())
	if rep.Deviated() {
		fmt.Fprintf(stdout, "; the control deviated from its usual weeks %s: the verdict below is about an unusual period\n", plural(len(rep.Deviations), "time"))
	} else {
		fmt.Fprintf(stdout, "; the control is as usual for this time of week\n")
	}
	for _, d := range rep.Deviations {
		fmt.Fprintf(stdout, "            deviation %s %s to %s, %d points, worst %.2f × the centre\n",
			d.Side, d.Start.UTC().Format(time.RFC3339), d.End.UTC().Format(time.RFC3339), d.Points, d.WorstRatio)
	}
	if c := rep.Calibration; c != nil {
		fmt.Fprintf(stdout, "            on the past weeks themselves the rule raised %d false alarms in %.3g days (leaving one week out; 95%% upper bound %.3g a day)\n",
			c.Alarms, c.Days, c.Upper95)
	}
	for _, w := range rep.Warnings {
		// The history holds only the window of each past week, so every
		// other time-of-week slot is sparse; the baseline's warning
		// listing them says nothing about this run. A point of the
		// window in a sparse slot has its own warning, kept.
		if strings.Contains(w.Error(), sparseSlotsWarning) {
			continue
		}
		fmt.Fprintf(stdout, "            warning: %v\n", w)
	}
	return nil
}

// sparseSlotsWarning is part of the text of steadystate's warning about
// time-of-week slots with too few weeks of data.
const sparseSlotsWarning = "weeks of data (or too few residuals), not judged"

// concat joins series that follow one another in time into one.
func concat(parts []series.Series) series.Series {
	var out series.Series
	for i, p := range parts {
		if i == 0 {
			out.Name, out.Labels = p.Name, p.Labels
		}
		out.T = append(out.T, p.T...)
		out.V = append(out.V, p.V...)
	}
	return out
}

// hypothesis is the one-metric hypothesis judged.
func hypothesis(m steadystate.Metric) steadystate.Hypothesis {
	return steadystate.Hypothesis{Name: m.Name + " stays within tolerance of the control", Metrics: []steadystate.Metric{m}}
}

// judge judges the hypothesis on the two groups. The test sees only the
// series' times and values, so the same data read from CSV files gives the
// same verdict, number for number.
func judge(m steadystate.Metric, control, experiment series.Series) (steadystate.Verdict, error) {
	return steadystate.Judge(hypothesis(m), []steadystate.Data{{Control: control, Experiment: experiment}})
}

// writeVerdict prints the verdict table and the judged numbers at full
// precision (shortest representation that reads back to the same float64),
// for scripts and for the test.
func writeVerdict(w io.Writer, v steadystate.Verdict) error {
	if err := v.WriteText(w); err != nil {
		return err
	}
	for _, r := range v.Metrics {
		e := r.Effect
		_, err := fmt.Fprintf(w, "numbers     %s: %s effect=%s low=%s high=%s relative=%s control=%s p=%s adjusted_p=%s n=%d+%d effective_n=%s autocorrelation=%s\n",
			r.Metric.Name, r.Classification, g(e.Estimate), g(e.Low), g(e.High), g(e.Relative), g(e.ControlLevel),
			g(r.P), g(r.AdjustedP), r.NControl, r.NExperiment, g(r.EffectiveN), g(r.Autocorrelation))
		if err != nil {
			return err
		}
	}
	return nil
}

func g(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
