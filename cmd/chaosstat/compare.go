package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
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
	                     ks: do the distributions differ at all (Kolmogorov-Smirnov)
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

// testKind describes one of the tests --test selects.
type testKind struct {
	name  string // the --test value, and Result.Test
	title string // for people
	stat  string // the statistic's symbol
	shift string // what the shift is
	run   func(experiment, control []float64, opts compare.Options) (compare.Result, error)
}

var testKinds = []testKind{
	{"mannwhitney", "Mann-Whitney U", "U", "Hodges-Lehmann", compare.MannWhitneyU},
	{"welch", "Welch's t", "t", "difference in means", compare.WelchT},
	{"ks", "Kolmogorov-Smirnov", "D", "Hodges-Lehmann", compare.KolmogorovSmirnov},
}

// testFlag is the --test flag.
type testFlag struct{ kind *testKind }

func (f *testFlag) String() string {
	if f.kind == nil {
		return ""
	}
	return f.kind.name
}

func (f *testFlag) Set(s string) error {
	for i := range testKinds {
		if testKinds[i].name == s {
			f.kind = &testKinds[i]
			return nil
		}
	}
	return fmt.Errorf("unknown test %q: want mannwhitney, welch or ks", s)
}

// methodFlag is the --method flag.
type methodFlag struct{ m compare.Method }

func (f *methodFlag) String() string { return f.m.String() }
func (f *methodFlag) Set(s string) (err error) {
	f.m, err = compare.ParseMethod(s)
	return err
}

// alternativeFlag is the --alternative flag.
type alternativeFlag struct{ a compare.Alternative }

func (f *alternativeFlag) String() string { return f.a.String() }
func (f *alternativeFlag) Set(s string) (err error) {
	f.a, err = compare.ParseAlternative(s)
	return err
}

// confidenceFlag is the --confidence flag: a level in (0, 1).
type confidenceFlag struct{ c float64 }

func (f *confidenceFlag) String() string { return strconv.FormatFloat(f.c, 'g', -1, 64) }
func (f *confidenceFlag) Set(s string) error {
	c, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return fmt.Errorf("not a number: want a level in (0, 1), such as 0.95")
	case c >= 50 && c < 100:
		return fmt.Errorf("out of range: the level is a fraction, %g rather than %s", c/100, s)
	case !(c > 0 && c < 1):
		return fmt.Errorf("out of range: want a level in (0, 1), such as 0.95")
	}
	f.c = c
	return nil
}

// durationFlag is a flag holding a length of time as series.ParseDuration
// reads it: --window, --windows' items, --max-lag, --max-gap, --step,
// --timeout and the others.
type durationFlag struct{ d time.Duration }

func (f *durationFlag) String() string {
	if f.d == 0 {
		return ""
	}
	return compare.ShortDuration(f.d)
}

func (f *durationFlag) Set(s string) error {
	d, err := series.ParseDuration(s)
	if err != nil {
		return err
	}
	f.d = d
	return nil
}

// formatFlag is the --format flag.
type formatFlag struct{ f string }

func (f *formatFlag) String() string { return f.f }
func (f *formatFlag) Set(s string) error {
	if s != "text" && s != "json" {
		return fmt.Errorf("unknown format %q: want text or json", s)
	}
	f.f = s
	return nil
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

// usageError reports a usage error of command cmd on stderr, with a hint to
// the usage, and returns exitUsage.
func usageError(e *env, cmd, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "chaosstat %s: %s\nRun 'chaosstat %s -h' for usage.\n", cmd, fmt.Sprintf(format, args...), cmd)
	return exitUsage
}

// parseCompareFlags parses the arguments of compare. It returns done when
// the command should stop with code: after -h, or on a usage error.
func parseCompareFlags(e *env, args []string) (f compareFlags, code int, done bool) {
	f.test.kind = &testKinds[0]
	f.confidence.c = compare.DefaultConfidence
	f.format.f = "text"

	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	// The flag package's own messages are replaced by ours, which name the
	// command and end in a usage hint; -h prints the usage to stdout.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	f.groupFlags.register(fs)
	fs.Var(&f.test, "test", "")
	fs.Var(&f.method, "method", "")
	fs.Var(&f.alternative, "alternative", "")
	fs.Var(&f.confidence, "confidence", "")
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			compareUsage(e.stdout)
			return f, exitOK, true
		}
		return f, usageError(e, "compare", "%s", dashes(err)), true
	}
	groupsMsg := f.groupFlags.check()
	switch {
	case fs.NArg() > 0:
		return f, usageError(e, "compare", "unexpected argument %q: the files are given with --control and --experiment", fs.Arg(0)), true
	case groupsMsg != "":
		return f, usageError(e, "compare", "%s", groupsMsg), true
	case f.control == "-" && f.experiment == "-":
		return f, usageError(e, "compare", `--control and --experiment are both "-": at most one of them can read stdin`), true
	}
	if msg := f.prom.check(fs, f.queries()); msg != "" {
		return f, usageError(e, "compare", "%s", msg), true
	}
	return f, exitOK, false
}

// dashes rewrites the flag package's "-name" in a parse error as "--name",
// the spelling the usage shows (the flag package accepts both).
func dashes(err error) string {
	msg := err.Error()
	for _, p := range []string{"for flag -", "not defined: -", "needs an argument: -"} {
		msg = strings.Replace(msg, p, p+"-", 1)
	}
	return msg
}

// sample is one side of a comparison as read from its file.
type sample struct {
	flag string // "control" or "experiment"
	name string // the file name, "stdin" for "-"
	s    series.Series
}

// readSample reads the file of one side. A file without data is
// inconclusive (exitInconclusive), any other failure an input error
// (failureCode).
func readSample(e *env, flagName, path string) (sample, int, error) {
	sm := sample{flag: flagName, name: path}
	if path == "-" {
		sm.name = "stdin"
	}
	all, err := series.ReadFileAll(path, e.stdin)
	if err != nil {
		return sm, failureCode(err), err
	}
	if len(all) != 1 {
		ids := make([]string, 0, 4)
		for _, s := range all[:min(len(all), 3)] {
			ids = append(ids, identity(s))
		}
		if len(all) > 3 {
			ids = append(ids, "...")
		}
		return sm, exitUsage, fmt.Errorf("%s: holds %d series (%s); want exactly one: narrow the query to one series, with a label matcher or an aggregation such as sum(...)",
			sm.name, len(all), strings.Join(ids, ", "))
	}
	sm.s = all[0]
	return sm, exitOK, nil
}

// openInput opens the file at path for reading, "-" being stdin (which
// closing leaves open), and returns its name for messages: the path, or
// "stdin" for "-".
func openInput(e *env, path string) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(e.stdin), "stdin", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, err
	}
	return f, path, nil
}

func runCompare(e *env, args []string) int {
	f, code, done := parseCompareFlags(e, args)
	if done {
		return code
	}
	var readWarnings []string
	sides, code, ok := f.read(e, groupRead{cmd: "compare", noData: "inconclusive: ", warn: func(_, w string) {
		readWarnings = append(readWarnings, w)
	}}, f.experimentInput(), f.controlInput())
	if !ok {
		return code
	}
	exp, ctl := sides[0], sides[1]

	kind := f.test.kind
	opts := compare.Options{Alternative: f.alternative.a, Method: f.method.m, Confidence: f.confidence.c}
	r, err := kind.run(exp.s.V, ctl.s.V, opts)
	if err != nil {
		return writeFailure(e, "compare", "inconclusive: ", failureCode(err), strings.TrimPrefix(err.Error(), "compare: "))
	}

	warnings := readWarnings
	for _, w := range r.Warnings {
		warnings = append(warnings, w.Error())
	}
	if kind.name == "welch" && f.method.m == compare.Exact {
		warnings = append(warnings, "Welch's t has no exact method: --method exact was ignored; use --test mannwhitney for an exact p-value")
	}

	// The library's alpha (1 - 0.95 is 0.05) and rule (p <= alpha) decide
	// significance and the exit code, against the alpha shown.
	alpha, significant := r.Alpha(), r.Significant()

	out := report{kind: kind, r: r, alpha: alpha, significant: significant, warnings: warnings, exp: exp, ctl: ctl}
	if f.format.f == "json" {
		err = out.writeJSON(e.stdout)
	} else {
		err = out.writeText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat compare: writing the result: %v\n", err)
		return exitUsage
	}
	if code, failed := writePlot(e, "compare", f.plot, func(file string) error {
		return chart.Compare(file, ctl.s, exp.s, r, chart.Options{})
	}); failed {
		return code
	}
	if significant {
		return exitSignificant
	}
	return exitOK
}

// identity returns a series' name and labels in PromQL notation,
// name{k="v", ...}, or "" when it has neither (as a CSV file).
func identity(s series.Series) string {
	if len(s.Labels) == 0 {
		return s.Name
	}
	keys := slices.Sorted(maps.Keys(s.Labels))
	labels := make([]string, len(keys))
	for i, k := range keys {
		labels[i] = k + "=" + strconv.Quote(s.Labels[k])
	}
	return s.Name + "{" + strings.Join(labels, ", ") + "}"
}

// roundSig rounds x to digits significant digits.
func roundSig(x float64, digits int) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	return y
}

// report is a comparison ready to print.
type report struct {
	kind        *testKind
	r           compare.Result
	alpha       float64
	significant bool
	warnings    []string
	exp, ctl    sample
}

// writeJSON writes v to w as indented JSON and a newline: the --format
// json output of every command.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// jsonFloat is a float64 that is written as JSON null when it is NaN or
// infinite, which JSON numbers cannot be.
type jsonFloat float64

func (x jsonFloat) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// jsonResult is the --format json output. Its keys are a contract with
// notebooks and other tools, documented in the README: add keys, never
// rename or remove them.
type jsonResult struct {
	Test        string    `json:"test"`
	Method      string    `json:"method"`
	Alternative string    `json:"alternative"`
	Statistic   jsonFloat `json:"statistic"`
	DF          jsonFloat `json:"df"` // welch only; null otherwise
	PValue      jsonFloat `json:"p_value"`
	Alpha       jsonFloat `json:"alpha"`
	Significant bool      `json:"significant"`
	NExperiment int       `json:"n_experiment"`
	NControl    int       `json:"n_control"`
	Shift       jsonShift `json:"shift"`
	Warnings    []string  `json:"warnings"` // [] when there are none, never null
}

type jsonShift struct {
	Estimate   jsonFloat `json:"estimate"`
	Low        jsonFloat `json:"low"`  // null for -Inf (alternative less)
	High       jsonFloat `json:"high"` // null for +Inf (alternative greater)
	Confidence jsonFloat `json:"confidence"`
}

func (p *report) writeJSON(w io.Writer) error {
	r := p.r
	df := r.DF
	if p.kind.name != "welch" {
		df = math.NaN()
	}
	out := jsonResult{
		Test:        r.Test,
		Method:      r.Method.String(),
		Alternative: r.Alternative.String(),
		Statistic:   jsonFloat(r.Statistic),
		DF:          jsonFloat(df),
		PValue:      jsonFloat(r.P),
		Alpha:       jsonFloat(p.alpha),
		Significant: p.significant,
		NExperiment: r.NExperiment,
		NControl:    r.NControl,
		Shift: jsonShift{
			Estimate:   jsonFloat(r.Shift.Estimate),
			Low:        jsonFloat(r.Shift.Low),
			High:       jsonFloat(r.Shift.High),
			Confidence: jsonFloat(r.Shift.Confidence),
		},
		Warnings: p.warnings,
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return writeJSON(w, out)
}

func (p *report) writeText(w io.Writer) error {
	r := p.r
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-11s %s\n", label, fmt.Sprintf(format, args...))
	}
	width := max(len(p.exp.name), len(p.ctl.name))
	for _, sd := range []struct {
		sample
		n int
	}{{p.exp, r.NExperiment}, {p.ctl, r.NControl}} {
		n := fmt.Sprintf("n = %d", sd.n)
		if missing := sd.s.Len() - sd.n; missing > 0 {
			n += fmt.Sprintf(" (%d missing)", missing)
		}
		if id := identity(sd.s); id != "" && id != sd.name {
			n += "  " + id
		}
		line(sd.flag, "%-*s  %s", width, sd.name, n)
	}
	line("test", "%s, %s, %s p-value", p.kind.title, r.Alternative, r.Method)
	stat := fmt.Sprintf("%s = %s", p.kind.stat, num(r.Statistic))
	if p.kind.name == "welch" {
		stat += fmt.Sprintf(", df = %.4g", r.DF)
	}
	line("statistic", "%s", stat)
	line("p-value", "%s", pvalue(r.P))
	if math.IsNaN(r.Shift.Estimate) {
		line("shift", "not computed")
	} else {
		how := p.kind.shift
		if p.kind.name != "welch" {
			how += ", " + r.Shift.Method.String() + " interval"
		}
		line("shift", "%s %s at %s confidence (experiment - control, %s)",
			num(r.Shift.Estimate), interval(r.Shift), percent(r.Shift.Confidence), how)
	}
	line("verdict", "%s", p.verdict())
	writeWarnings(&b, "warnings", 11, p.warnings)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeWarnings writes ws to b one a line, after a column width wide that
// holds label on the first line and is blank on the others.
func writeWarnings(b *strings.Builder, label string, width int, ws []string) {
	for i, w := range ws {
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(b, "%-*s %s\n", width, label, w)
	}
}

// verdict says in words what the comparison found.
func (p *report) verdict() string {
	r := p.r
	alpha := strconv.FormatFloat(p.alpha, 'g', -1, 64)
	if p.significant {
		rel := "<"
		if r.P == p.alpha {
			rel = "<="
		}
		return fmt.Sprintf("%s: p = %s %s alpha %s", p.direction(), pvalue(r.P), rel, alpha)
	}
	switch r.Alternative {
	case compare.Greater:
		return fmt.Sprintf("experiment is not significantly higher than control at alpha %s (p = %s)", alpha, pvalue(r.P))
	case compare.Less:
		return fmt.Sprintf("experiment is not significantly lower than control at alpha %s (p = %s)", alpha, pvalue(r.P))
	}
	return fmt.Sprintf("no significant difference at alpha %s (p = %s)", alpha, pvalue(r.P))
}

// direction says which way a significant difference goes.
func (p *report) direction() string {
	const higher, lower = "experiment is higher than control", "experiment is lower than control"
	r := p.r
	switch r.Alternative {
	case compare.Greater:
		return higher
	case compare.Less:
		return lower
	}
	var sign float64
	switch p.kind.name {
	case "mannwhitney":
		sign = r.Statistic - float64(r.NExperiment)*float64(r.NControl)/2
	case "welch":
		sign = r.Statistic
	}
	switch {
	case sign > 0:
		return higher
	case sign < 0:
		return lower
	}
	// Kolmogorov-Smirnov: a change of shape or spread is a difference too.
	return "experiment's distribution differs from control's"
}

// num formats a number of the data's units for people: five significant
// digits, without an exponent for ordinary magnitudes.
func num(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	case x == 0:
		return "0"
	}
	e := int(math.Floor(math.Log10(math.Abs(x))))
	if e >= 15 || e < -4 {
		return strconv.FormatFloat(x, 'g', 5, 64)
	}
	s := strconv.FormatFloat(x, 'f', max(0, 4-e), 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// pvalue formats a p-value: three significant digits, two below 0.001.
func pvalue(p float64) string {
	if p < 0.001 {
		return strconv.FormatFloat(p, 'g', 2, 64)
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// interval formats a shift's interval, open at an infinite end.
func interval(s compare.Shift) string {
	lo, hi := "[", "]"
	if math.IsInf(s.Low, -1) {
		lo = "("
	}
	if math.IsInf(s.High, 1) {
		hi = ")"
	}
	return lo + num(s.Low) + ", " + num(s.High) + hi
}

// percent formats a confidence level as a percentage: 0.95 is "95%".
func percent(c float64) string {
	return strconv.FormatFloat(roundSig(100*c, 6), 'g', -1, 64) + "%"
}
