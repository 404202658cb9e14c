package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/workflow"
)

var judgeCommand = &command{name: "judge", summary: "judge a steady-state hypothesis: held, disproved or inconclusive",
	run: runJudge, usage: judgeUsage}

//go:embed help/judge.txt
var judgeHelp string

func judgeUsage(w io.Writer) { fmt.Fprintf(w, judgeHelp, promUsage) }

func runJudge(e *env, args []string) int {
	var hypothesis string
	var history time.Duration
	historyFlag := "" // as given, for messages
	var pi promInput
	format := formatFlag{f: "text"}
	fs := newFlagSet("judge")
	fs.StringVar(&hypothesis, "hypothesis", "", "")
	fs.Var(&format, "format", "")
	fs.Func("history", "", func(v string) (err error) {
		if history, err = time.ParseDuration(v); err != nil {
			return errors.New("want a duration with its unit, such as 4h or 90m")
		}
		historyFlag = v
		return nil
	})
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
	opts := workflow.JudgeOptions{History: history}
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
	var oe *series.OptionError
	switch {
	case errors.Is(err, workflow.ErrNoQuerySource) && errors.As(err, &se):
		fmt.Fprintf(e.stderr, "chaosstat judge: %s:%d: %s: a PromQL query (%s) needs --prometheus URL, the server to send it to, and --start TIME, the start of the window judged\n",
			se.File, se.Line, se.Field, se.Source.Query)
		return exitUsage
	case errors.As(err, &oe) && oe.Option == workflow.OptionHistory:
		// workflow checks --history against the plan and the source.
		return usageError(e, "judge", "invalid value %q for flag --history: want %s", historyFlag, oe.Want)
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
