package main

import (
	"errors"
	"flag"
	"io"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
)

var compareCommand = &command{
	name:    "compare",
	summary: "test whether the experiment group's metric differs from the control's",
	run:     runCompare,
	usage:   compareUsage,
}

func compareUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat compare --control FILE --experiment FILE [flags]
       chaosstat compare --prometheus URL --control-query Q --experiment-query Q
                         --start TIME [--end TIME] [--step 1m] [flags]

Compare tests whether the experiment group's metric differs from the control
group's, and says by how much: the shift, experiment - control, with its
confidence interval, in the units of the data.

A FILE is CSV with a header row, "timestamp,value" or a single "value" column,
or a ".json" file holding a Prometheus query_range response with exactly one
series. "-" reads stdin (for one of the two files at most). Only the values
are compared; empty or NaN cells are missing and left out, with a warning.

Instead of a file, either side may be a PromQL range query that returns
exactly one series, read from --prometheus over --start to --end at --step
(split into requests the server accepts and stitched back, point for point).

The tests treat the values as independent. Points of one metric close in time
usually are not, and then a test rejects more often than alpha says: prefer
values aggregated over windows to raw scrapes.

Flags:

	--control FILE       the control group's data (or --control-query)
	--experiment FILE    the experiment group's data (or --experiment-query)
	--control-query Q    the control group's data: a PromQL query for --prometheus
	--experiment-query Q the experiment group's data: a PromQL query
	--test NAME          mannwhitney (default): does one group tend to be larger;
	                     welch: do the means differ (Welch's t);
	                     ks: do the distributions differ at all (Kolmogorov-Smirnov);
	                     brunnermunzel: does one tend to be larger, shapes free
	--method NAME        auto (default), exact or asymptotic p-value
	--alternative ALT    two-sided (default), greater (the experiment is higher)
	                     or less (the experiment is lower)
	--confidence LEVEL   confidence level of the interval, in (0, 1); the test's
	                     significance level is alpha = 1 - LEVEL (default 0.95)
	--format FORMAT      text (default) or json
	--plot FILE          also draw both groups over time and their distributions
	                     to FILE: SVG or PNG by its extension

Prometheus flags (with --control-query and --experiment-query):

`+promUsage+`
Exit codes: 0 no significant difference (p > alpha), 1 significant difference
(p <= alpha), 2 usage or input error (including a bad query or an unreachable
server), 3 inconclusive (no data or too few points, or a partial answer from
the server).
`)
}

// compareFlags holds the parsed flags of compare.
type compareFlags struct {
	groupFlags
	test        testFlag
	method      methodFlag
	alternative alternativeFlag
	confidence  confidenceFlag
	format      formatFlag
	plot        plotFlag
}

// parseCompareFlags parses the arguments of compare. It returns done when
// the command should stop with code: after -h, or on a usage error.
func parseCompareFlags(e *env, args []string) (f compareFlags, code int, done bool) {
	f.test.kind = &testKinds[0]
	f.confidence.c = compare.DefaultConfidence
	code, done = parseGroupFlags(e, "compare", args, &f.groupFlags, func(fs *flag.FlagSet) {
		fs.Var(&f.test, "test", "")
		fs.Var(&f.method, "method", "")
		fs.Var(&f.alternative, "alternative", "")
		fs.Var(&f.confidence, "confidence", "")
		fs.Var(&f.format, "format", "")
		fs.Var(&f.plot, "plot", "")
	}, nil)
	return f, code, done
}

func runCompare(e *env, args []string) int {
	f, code, done := parseCompareFlags(e, args)
	if done {
		return code
	}
	var readWarnings []error
	sides, code, ok := f.read(e, groupRead{cmd: "compare", noData: "inconclusive: ", warn: func(_, w string) {
		readWarnings = append(readWarnings, errors.New(w))
	}}, f.experimentInput(), f.controlInput())
	if !ok {
		return code
	}
	exp, ctl := sides[0], sides[1]

	opts := compare.Options{Alternative: f.alternative.a, Method: f.method.m, Confidence: f.confidence.c}
	rep, err := compare.Run(exp.group(), ctl.group(), *f.test.kind, opts)
	if err != nil {
		return compareError(e, "compare", err)
	}
	rep.Warnings = append(readWarnings, rep.Warnings...)
	if !writeLibReport(e, "compare", f.format, rep) {
		return exitUsage
	}
	if code, failed := writePlot(e, "compare", f.plot, func(file string) error {
		return chart.Compare(file, ctl.s, exp.s, rep.Result, chart.Options{})
	}); failed {
		return code
	}
	if rep.Significant {
		return exitSignificant
	}
	return exitOK
}
