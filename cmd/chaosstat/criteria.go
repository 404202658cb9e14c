package main

import (
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/workflow"
)

var criteriaCommand = &command{
	name:    "criteria",
	summary: "judge candidate steady-state metrics on the three criteria",
	run:     runCriteria,
	usage:   criteriaUsage,
}

// criteriaHelp is the usage; its verbs take the defaults, then the
// Prometheus flags' lines.
//
//go:embed help/criteria.txt
var criteriaHelp string

func criteriaUsage(w io.Writer) {
	d := criteria.DefaultOptions
	fmt.Fprintf(w, criteriaHelp, critTitle[d.Method], critNum(d.MinCorrelation), critNum(d.Alpha), critNum(100*d.MinCompleteness),
		compare.ShortDuration(d.MaxLag), compare.ShortDuration(d.MaxResolution), compare.ShortDuration(d.MaxDelay), compare.ShortDuration(d.MaxLatency),
		critNum(d.MinCorrelation), critNum(d.Alpha), critNum(d.MinCompleteness), promUsage)
}

func critNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

var critTitle = map[compare.CorrelationMethod]string{compare.Spearman: "Spearman", compare.Pearson: "Pearson", compare.Kendall: "Kendall"}

// critMetric is one --metric NAME=FILE or --metric-query NAME=QUERY.
type critMetric struct {
	name, path string
	query      bool
}

// critMetricFlag is --metric, or --metric-query when query: both add to
// one list, which keeps the metrics in the order given.
type critMetricFlag struct {
	list  *[]critMetric
	query bool
}

func (f critMetricFlag) String() string { return "" }

func (critMetricFlag) Repeatable() {} // cliflag.Repeatable: one candidate each

func (f critMetricFlag) Set(s string) error {
	what := map[bool]string{false: "file", true: "query"}[f.query]
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
	for _, m := range *f.list {
		if m.name == name && m.query != f.query {
			return fmt.Errorf("metric %q given both as --metric and as --metric-query: give its data once", name)
		} else if m.name == name {
			return fmt.Errorf("metric %q given twice", name)
		}
	}
	*f.list = append(*f.list, critMetric{name, path, f.query})
	return nil
}

type critFlags struct {
	satisfaction string
	// satisfactionQuery replaces the file with a query read through prom.
	satisfactionQuery string
	prom              promInput
	metrics           []critMetric
	opts              criteria.Options
	now               promTimeFlag // --now, read as --start and --end are
	format            formatFlag
	plot              plotFlag
}

func parseCriteriaFlags(e *env, args []string) (f critFlags, code int, done bool) {
	f.opts, f.format.f = criteria.DefaultOptions, "text"
	o := &f.opts
	maxLag, res, delay, latency := durationFlag{o.MaxLag}, durationFlag{o.MaxResolution}, durationFlag{o.MaxDelay}, durationFlag{o.MaxLatency}
	method, differencing := o.Method.String(), o.Differencing.String()
	fs := newFlagSet("criteria")
	fs.StringVar(&f.satisfaction, "satisfaction", "", "")
	fs.Var(critMetricFlag{&f.metrics, false}, "metric", "")
	fs.StringVar(&f.satisfactionQuery, "satisfaction-query", "", "")
	fs.Var(critMetricFlag{&f.metrics, true}, "metric-query", "")
	f.prom.register(fs)
	fs.Var(&maxLag, "max-lag", "")
	fs.Var(&res, "resolution", "")
	fs.Var(&delay, "max-delay", "")
	fs.Var(&latency, "max-latency", "")
	fs.Var(&f.now, "now", "")
	fs.StringVar(&method, "method", method, "")
	fs.StringVar(&differencing, "differencing", differencing, "")
	check := func(key string) func(float64) error {
		return func(v float64) error { return criteria.CheckOption(key, v) }
	}
	fs.Func("min-correlation", "", optionFlag(&o.MinCorrelation, parseFloat, check(criteria.OptionMinCorrelation)))
	fs.Func("alpha", "", optionFlag(&o.Alpha, parseFloat, check(criteria.OptionAlpha)))
	fs.Func("min-completeness", "", optionFlag(&o.MinCompleteness, parseFloat, check(criteria.OptionMinCompleteness)))
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	if code, done := parseFlags(e, fs, args); done {
		return f, code, true
	}
	o.MaxLag, o.MaxResolution, o.MaxDelay, o.MaxLatency = maxLag.d, res.d, delay.d, latency.d
	var errM, errD error
	o.Method, errM = compare.ParseCorrelationMethod(method)
	o.Differencing, errD = criteria.ParseDifferencing(differencing)
	stdin, haveQuery := 0, f.satisfactionQuery != ""
	if f.satisfaction == "-" {
		stdin++
	}
	for _, m := range f.metrics {
		if m.path == "-" && !m.query {
			stdin++
		}
		haveQuery = haveQuery || m.query
	}
	for _, c := range []struct {
		bad bool
		msg string
	}{
		{errM != nil, fmt.Sprintf("invalid value %q for flag --method: %v", method, errM)},
		{errD != nil, fmt.Sprintf("invalid value %q for flag --differencing: %v", differencing, errD)},
		{fs.NArg() > 0, fmt.Sprintf("unexpected argument %q: give metrics as --metric NAME=FILE", fs.Arg(0))},
		{f.satisfaction != "" && f.satisfactionQuery != "", "both --satisfaction and --satisfaction-query: give the satisfaction series once"},
		{f.satisfaction == "" && f.satisfactionQuery == "", "missing --satisfaction FILE (or --satisfaction-query Q), the customer-satisfaction series"},
		{len(f.metrics) == 0, "missing --metric NAME=FILE (or --metric-query NAME=Q): give at least one candidate metric"},
		{stdin > 1, fmt.Sprintf(`"-" is given %d times: at most one file can read stdin`, stdin)},
		{true, f.prom.check(fs, haveQuery)},
	} {
		if c.bad && c.msg != "" {
			return f, usageError(e, "criteria", "%s", c.msg), true
		}
	}
	return f, exitOK, false
}

func runCriteria(e *env, args []string) int {
	f, code, done := parseCriteriaFlags(e, args)
	if done {
		return code
	}
	// The server's statistics give each queried metric's cost: the
	// samples it read.
	f.prom.serverStats = true
	client, err := f.prom.clientIfEnabled()
	if err != nil {
		return e.fail("criteria", exitUsage, "--prometheus: %v", err)
	}
	var warns []string
	// read reads a file, or a query with its cost; flag names it in
	// messages.
	read := func(flag, path string, query bool) (s sample, stats prom.Stats, err error) {
		if !query {
			s, _, err = readSample(e, flag, path)
			return s, stats, err
		}
		var ws []string
		s = sample{flag: flag, name: path}
		s.s, ws, stats, _, err = f.prom.readQueryStats(e.ctx, client, path)
		for _, w := range ws {
			warns = append(warns, flag+": "+w)
		}
		return s, stats, err
	}
	// An input error (exit 2) outranks no data (exit 3): after a read
	// without data the others are read too.
	var sat sample
	satFlag := map[bool]string{false: "satisfaction", true: "satisfaction-query"}[f.satisfactionQuery != ""]
	reads := []func() error{func() (err error) {
		if sat, _, err = read(satFlag, f.satisfaction+f.satisfactionQuery, f.satisfactionQuery != ""); err != nil {
			return fmt.Errorf("--%s: %w", satFlag, err)
		}
		return nil
	}}
	var cands []criteria.Candidate
	for _, m := range f.metrics {
		reads = append(reads, func() error {
			flag := map[bool]string{false: "metric ", true: "metric-query "}[m.query] + m.name
			s, stats, err := read(flag, m.path, m.query)
			if err == nil {
				err = inputError(criteria.CheckInput(s.name, s.s))
			}
			if err != nil {
				return fmt.Errorf("--%s: %w", flag, err)
			}
			cands = append(cands, workflow.Candidate(m.name, s.s, stats))
			return nil
		})
	}
	if err := series.ReadEach(reads...); err != nil {
		return e.fail("criteria", failureCode(err), "%s", err.Error())
	}
	for _, w := range warns {
		fmt.Fprintf(e.stderr, "chaosstat criteria: warning: --%s\n", w)
	}
	if err := criteria.CheckInput(sat.name, sat.s); err != nil {
		return e.fail("criteria", exitUsage, "--satisfaction: %v", err)
	}
	rep, err := criteria.EvaluateAll(sat.s, cands, f.now.t, f.opts)
	if err != nil {
		return e.fail("criteria", failureCode(err), "%s", strings.TrimPrefix(err.Error(), "criteria: "))
	}
	rep.Satisfaction.Name = sat.name
	write := rep.WriteText
	if f.format.f == "json" {
		write = rep.WriteJSON
	}
	if err := write(e.stdout); err != nil {
		return e.fail("criteria", exitUsage, "writing the result: %v", err)
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
