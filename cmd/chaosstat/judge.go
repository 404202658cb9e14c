package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/workflow"
)

var judgeCommand = &command{name: "judge", summary: "judge a steady-state hypothesis: held, disproved or inconclusive",
	run: runJudge, usage: judgeUsage}

func judgeUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat judge --hypothesis FILE [--format text|json]
       chaosstat judge --hypothesis FILE --prometheus URL --start TIME [--end TIME]
                       [--step 1m] [flags]

Judge reads a steady-state hypothesis (YAML or JSON; see
examples/hypothesis/SCHEMA.md) and the control and experiment data of each of
its metrics, named in it relative to the hypothesis file, and says whether
the hypothesis held.

Each metric is classified pass, high, low, nodata or error. It is high or low
only when the change is statistically significant after the correction across
metrics AND larger than its tolerance in the direction that hurts. Two time
series are paired minute by minute and tested with an autocorrelation-robust
variance; plain samples with Mann-Whitney (or the metric's test: welch, ks,
quantile, timeseries). The metrics' scores combine by group and weight into the
verdict: held, disproved (also when a critical metric fails) or inconclusive
(no data is never held). The output is the table that explains it.

Data files are CSV with a header row, "timestamp,value" or a single "value"
column, or ".json" files holding a Prometheus query_range response with one
series. A file with no data makes its metric nodata.

A group may instead give {query: PROMQL}, a range query that returns exactly
one series: it is read from --prometheus over --start to --end at --step, the
window judged. A query that returns no series makes its metric nodata; one
that returns several is an error.

Flags:

	--hypothesis FILE    the hypothesis file (required); "-" reads it from stdin,
	                     its data files then relative to the working directory
	--format FORMAT      text (default) or json

Prometheus flags (for the hypothesis's query: sources):

`+promUsage+`
Exit codes: 0 held, 1 disproved, 2 usage or input error (the message names the
file and line; also a bad query or an unreachable server), 3 inconclusive (no
data, a marginal score, a partial answer from the server).
`)
}

func runJudge(e *env, args []string) int {
	var hypothesis string
	var pi promInput
	format := formatFlag{f: "text"}
	fs := newFlagSet("judge")
	fs.StringVar(&hypothesis, "hypothesis", "", "")
	fs.Var(&format, "format", "")
	pi.register(fs)
	if code, done := parseFlags(e, fs, args); done {
		return code
	}
	switch {
	case fs.NArg() > 0:
		return usageError(e, "judge", "unexpected argument %q: the file is given with --hypothesis", fs.Arg(0))
	case hypothesis == "":
		return usageError(e, "judge", "missing --hypothesis FILE, the hypothesis to judge")
	}
	r, name, err := openInput(e, hypothesis)
	var b []byte
	if err == nil {
		b, err = io.ReadAll(r)
		r.Close()
	}
	var plan *steadystate.Plan
	if err == nil {
		plan, err = steadystate.ParseHypothesis(b, name)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat judge: %v\n", err)
		return exitUsage
	}
	// The Prometheus flags are checked against the plan; a query without
	// --prometheus is left to workflow, whose error names its line.
	haveQuery := workflow.HasQueries(plan)
	if msg := pi.check(fs, haveQuery); msg != "" && (pi.enabled() || !haveQuery) {
		if !haveQuery && pi.enabled() {
			msg = fmt.Sprintf("--prometheus is given but %s has no query source: all its data comes from files", plan.File)
		}
		return usageError(e, "judge", "%s", msg)
	}
	var opts workflow.JudgeOptions
	if pi.enabled() {
		client, err := pi.client()
		if err != nil {
			fmt.Fprintf(e.stderr, "chaosstat judge: --prometheus: %v\n", err)
			return exitUsage
		}
		opts.Queries = workflow.PromSource{Client: client, Range: pi.timeRange(), AllowPartialName: "--allow-partial"}
	}
	rep, err := workflow.JudgePlan(e.ctx, plan, opts)
	var se *workflow.SourceError
	switch {
	case errors.Is(err, workflow.ErrNoQuerySource) && errors.As(err, &se):
		fmt.Fprintf(e.stderr, "chaosstat judge: %s:%d: %s: a PromQL query (%s) needs --prometheus URL, the server to send it to, and --start TIME, the start of the window judged\n",
			se.File, se.Line, se.Field, se.Source.Query)
		return exitUsage
	case err != nil:
		return writeFailure(e, "judge", "inconclusive: ", failureCode(err), err.Error())
	}
	if format.f == "json" {
		err = rep.WriteJSON(e.stdout)
	} else {
		for _, w := range rep.ReadWarnings() {
			fmt.Fprintf(e.stderr, "chaosstat judge: warning: %v\n", w)
		}
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat judge: writing the verdict: %v\n", err)
		return exitUsage
	}
	return [...]int{steadystate.Held: exitOK, steadystate.Disproved: exitSignificant, steadystate.Inconclusive: exitInconclusive}[rep.Verdict.Outcome]
}
