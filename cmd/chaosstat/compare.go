package main

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
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

//go:embed help/compare.txt
var compareHelp string

func compareUsage(w io.Writer) { fmt.Fprintf(w, compareHelp, promUsage) }

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
