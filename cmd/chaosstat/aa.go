package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
)

var aaCommand = &command{
	name:    "aa",
	summary: "check on pre-experiment data that the split is valid at the planned window",
	run:     runAA,
	usage:   aaUsage,
}

func aaUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat aa --control FILE --experiment FILE [flags]
       chaosstat aa --prometheus URL --control-query Q --experiment-query Q
                    --start TIME [--end TIME] [--step 1m] [flags]

Aa replays an A/A test on data from before the experiment, when nothing is
injected: it cuts the period into consecutive clock-aligned windows of each
candidate length, runs the comparison the experiment will use in every
window, and counts how often it reports a difference that is not there.

A length is invalid when the false positives are significantly more than
alpha allows (one-sided exact binomial test), too few to judge when there
are fewer windows than needed to catch a split that makes 4 x alpha of the
windows false alarms with 80% power, and valid otherwise. The recommended
window is the shortest valid length. Each length also reports how much the
per-window split wanders and the minimum detectable drop: the smallest drop
that, injected into the A/A data, the comparison finds in 80% of the windows.

With --counts (requests, downloads per interval) the split is also checked
for a sample-ratio mismatch: a chi-square test of the groups' totals
against --ratio at alpha 0.001, with the dispersion of the per-window split
(about 1 for a clean random split). A mismatch invalidates every length.

--health checks the experiment period instead: only the sample-ratio test
of the run's counts (overall and per --window), so a run whose traffic
stopped reaching a group is flagged rather than judged.

FILEs are time series (CSV "timestamp,value" or a Prometheus query_range
".json" file with one series) on the same grid, e.g. one point per minute.
Instead of a file, either group may be a PromQL range query that returns
exactly one series, read from --prometheus over --start to --end at --step.

Flags:

	--control FILE       the control group's data (required)
	--experiment FILE    the experiment group's data (required)
	--control-query Q    the control group's data: a PromQL query for --prometheus
	--experiment-query Q the experiment group's data: a PromQL query
	--window DURATION    the window length the experiment will use (default 30m)
	--windows LIST       candidate lengths, comma-separated
	                     (default 5m,10m,30m,1h,2h,6h,12h,24h; --window is added)
	--alpha LEVEL        significance level of each window's comparison (default 0.05)
	--test NAME          the experiment's comparison: mannwhitney (default), welch or ks
	--counts             the values are counts: check the sample ratio
	--ratio C:E          the planned split, control:experiment (default 1:1; 2:2 is the same)
	--health             check the experiment period's sample ratio only (implies --counts)
	--format FORMAT      text (default) or json
	--plot FILE          also draw the false-positive rate per window length with its
	                     interval and alpha to FILE: SVG or PNG by its extension
	                     (not with --health)

Prometheus flags (with --control-query and --experiment-query):

`+promUsage+`
Exit codes: 0 valid at the planned window (with --health: no mismatch),
1 invalid or a sample-ratio mismatch, 2 usage or input error (including a bad
query or an unreachable server), 3 not enough history to judge the planned
window (or no data, or a partial answer from the server).
`)
}

// aaDurationsFlag is the --windows flag: a comma-separated list of durations.
type aaDurationsFlag struct{ d []time.Duration }

func (f *aaDurationsFlag) String() string {
	s := make([]string, len(f.d))
	for i, d := range f.d {
		s[i] = compare.ShortDuration(d)
	}
	return strings.Join(s, ",")
}

func (f *aaDurationsFlag) Set(s string) error {
	f.d = f.d[:0]
	for _, p := range strings.Split(s, ",") {
		d, err := series.ParseDuration(strings.TrimSpace(p))
		if err != nil {
			return err
		}
		f.d = append(f.d, d)
	}
	return nil
}

// aaAlphaFlag is the --alpha flag: a level in (0, 0.5).
type aaAlphaFlag struct{ a float64 }

func (f *aaAlphaFlag) String() string { return strconv.FormatFloat(f.a, 'g', -1, 64) }
func (f *aaAlphaFlag) Set(s string) error {
	a, err := strconv.ParseFloat(s, 64)
	if err != nil || !(a > 0 && a < 0.5) {
		return fmt.Errorf("alpha %q: want a level in (0, 0.5), such as 0.05", s)
	}
	f.a = a
	return nil
}

// aaRatioFlag is the --ratio flag.
type aaRatioFlag struct{ r compare.Ratio }

func (f *aaRatioFlag) String() string { return f.r.String() }
func (f *aaRatioFlag) Set(s string) (err error) {
	f.r, err = compare.ParseRatio(s)
	return err
}

type aaFlags struct {
	groupFlags
	window         durationFlag
	windows        aaDurationsFlag
	alpha          aaAlphaFlag
	test           testFlag
	counts, health bool
	ratio          aaRatioFlag
	format         formatFlag
	plot           plotFlag
}

func parseAAFlags(e *env, args []string) (f aaFlags, code int, done bool) {
	f.window.d = 30 * time.Minute
	f.alpha.a = compare.DefaultAAAlpha
	f.test.kind = &testKinds[0]
	f.ratio.r = compare.DefaultRatio
	f.format.f = "text"
	fs := flag.NewFlagSet("aa", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	f.groupFlags.register(fs)
	fs.Var(&f.window, "window", "")
	fs.Var(&f.windows, "windows", "")
	fs.Var(&f.alpha, "alpha", "")
	fs.Var(&f.test, "test", "")
	fs.BoolVar(&f.counts, "counts", false, "")
	fs.BoolVar(&f.health, "health", false, "")
	fs.Var(&f.ratio, "ratio", "")
	fs.Var(&f.format, "format", "")
	fs.Var(&f.plot, "plot", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			aaUsage(e.stdout)
			return f, exitOK, true
		}
		return f, usageError(e, "aa", "%s", dashes(err)), true
	}
	groupsMsg := f.groupFlags.check()
	switch {
	case fs.NArg() > 0:
		return f, usageError(e, "aa", "unexpected argument %q: the files are given with --control and --experiment", fs.Arg(0)), true
	case groupsMsg != "":
		return f, usageError(e, "aa", "%s", groupsMsg), true
	case f.health && f.plot.file != "":
		return f, usageError(e, "aa", "--plot draws the A/A replay, which --health does not run"), true
	case f.control == "-" && f.experiment == "-":
		return f, usageError(e, "aa", `--control and --experiment are both "-": at most one of them can read stdin`), true
	}
	if msg := f.prom.check(fs, f.queries()); msg != "" {
		return f, usageError(e, "aa", "%s", msg), true
	}
	return f, exitOK, false
}

func runAA(e *env, args []string) int {
	f, code, done := parseAAFlags(e, args)
	if done {
		return code
	}
	sides, code, ok := f.read(e, groupRead{cmd: "aa", noData: "inconclusive: ",
		noTimes: `%s has no timestamps: the A/A replay cuts time windows, so it needs a "timestamp,value" file`},
		f.experimentInput(), f.controlInput())
	if !ok {
		return code
	}
	exp, ctl := sides[0], sides[1]
	if f.health {
		return runHealth(e, f, exp, ctl)
	}

	opts := compare.AAOptions{
		Windows: f.windows.d,
		Planned: f.window.d,
		Alpha:   f.alpha.a,
		Test:    f.test.kind.run,
		Counts:  f.counts,
		Ratio:   f.ratio.r,
	}
	r, err := compare.AA(exp.s, ctl.s, opts)
	if err != nil {
		return aaError(e, err)
	}
	out := aaReport{f: f, r: r, exp: exp, ctl: ctl}
	if f.format.f == "json" {
		err = out.writeJSON(e.stdout)
	} else {
		err = out.writeText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat aa: writing the result: %v\n", err)
		return exitUsage
	}
	if code, failed := writePlot(e, "aa", f.plot, func(file string) error {
		return chart.AA(file, r, chart.Options{})
	}); failed {
		return code
	}
	switch r.Status() {
	case compare.Valid:
		return exitOK
	case compare.Invalid:
		return exitSignificant
	}
	return exitInconclusive
}

func aaError(e *env, err error) int {
	return writeFailure(e, "aa", "inconclusive: ", failureCode(err), strings.TrimPrefix(err.Error(), "compare: "))
}

type aaReport struct {
	f        aaFlags
	r        compare.AAResult
	exp, ctl sample
}

// aaJSONDuration is a duration written as a Go duration string ("30m0s"),
// or null when zero.
type aaJSONDuration time.Duration

func (d aaJSONDuration) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return []byte("null"), nil
	}
	return json.Marshal(time.Duration(d).String())
}

// aaJSON is the --format json output of aa. Its keys are a contract
// documented in the README: add keys, never rename or remove them.
type aaJSON struct {
	Valid             bool           `json:"valid"`
	Status            string         `json:"status"`
	PlannedWindow     aaJSONDuration `json:"planned_window"`
	RecommendedWindow aaJSONDuration `json:"recommended_window"`
	Alpha             jsonFloat      `json:"alpha"`
	Test              string         `json:"test"`
	MinWindows        int            `json:"min_windows"`
	Windows           []aaJSONWindow `json:"windows"`
	SRM               *aaJSONSRM     `json:"srm"`
	Warnings          []string       `json:"warnings"`
}

type aaJSONWindow struct {
	Window            aaJSONDuration `json:"window"`
	WindowsInPeriod   int            `json:"windows"`
	WindowsTested     int            `json:"windows_tested"`
	FalsePositives    int            `json:"false_positives"`
	FalsePositiveRate jsonFloat      `json:"false_positive_rate"`
	FPRLow            jsonFloat      `json:"fpr_low"`
	FPRHigh           jsonFloat      `json:"fpr_high"`
	PValue            jsonFloat      `json:"p_value"`
	Valid             bool           `json:"valid"`
	Status            string         `json:"status"`
	SplitSD           jsonFloat      `json:"split_sd"`
	SplitSDBinomial   jsonFloat      `json:"split_sd_binomial"`
	Dispersion        jsonFloat      `json:"dispersion"`
	MDERelative       jsonFloat      `json:"mde_relative"`
	MDETotals         jsonFloat      `json:"mde_totals"`
}

type aaJSONSRM struct {
	ChiSquare        jsonFloat      `json:"chi_square"`
	PValue           jsonFloat      `json:"p_value"`
	Dispersion       jsonFloat      `json:"dispersion"`
	DispersionPValue jsonFloat      `json:"dispersion_p_value"`
	Mismatch         bool           `json:"mismatch"`
	Alpha            jsonFloat      `json:"alpha"`
	Ratio            string         `json:"ratio"`
	ExperimentTotal  jsonFloat      `json:"experiment_total"`
	ControlTotal     jsonFloat      `json:"control_total"`
	ExperimentShare  jsonFloat      `json:"experiment_share"`
	ExpectedShare    jsonFloat      `json:"expected_share"`
	Window           aaJSONDuration `json:"window"`
	Windows          int            `json:"windows"`
}

func aaJSONSRMOf(s *compare.SRM) *aaJSONSRM {
	if s == nil {
		return nil
	}
	return &aaJSONSRM{
		ChiSquare: jsonFloat(s.ChiSquare), PValue: jsonFloat(s.P),
		Dispersion: jsonFloat(s.Dispersion), DispersionPValue: jsonFloat(s.DispersionP),
		Mismatch: s.Mismatch, Alpha: jsonFloat(s.Alpha), Ratio: s.Ratio.String(),
		ExperimentTotal: jsonFloat(s.Experiment), ControlTotal: jsonFloat(s.Control),
		ExperimentShare: jsonFloat(s.Share), ExpectedShare: jsonFloat(s.ExpectedShare),
		Window: aaJSONDuration(s.Window), Windows: s.Windows,
	}
}

func aaStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// warnings are the result's warnings and, for every length other than the
// planned one (whose warnings the result carries), the length's own.
func (p *aaReport) warnings() []string {
	out := aaStrings(p.r.Warnings)
	for _, w := range p.r.Lengths {
		if w.Length != p.r.Planned {
			out = append(out, aaStrings(w.Warnings)...)
		}
	}
	return out
}

func (p *aaReport) writeJSON(w io.Writer) error {
	r := p.r
	out := aaJSON{
		Valid:             r.Status() == compare.Valid,
		Status:            r.Status().String(),
		PlannedWindow:     aaJSONDuration(r.Planned),
		RecommendedWindow: aaJSONDuration(r.Recommended),
		Alpha:             jsonFloat(r.Alpha),
		Test:              r.Test,
		Windows:           []aaJSONWindow{},
		SRM:               aaJSONSRMOf(r.SRM),
		Warnings:          p.warnings(),
	}
	if out.Test == "" {
		out.Test = p.f.test.kind.name
	}
	for _, l := range r.Lengths {
		out.MinWindows = l.MinWindows
		out.Windows = append(out.Windows, aaJSONWindow{
			Window: aaJSONDuration(l.Length), WindowsInPeriod: l.Windows, WindowsTested: l.Tested,
			FalsePositives: l.FalsePositives, FalsePositiveRate: jsonFloat(l.Rate),
			FPRLow: jsonFloat(l.Low), FPRHigh: jsonFloat(l.High), PValue: jsonFloat(l.P),
			Valid: l.Status == compare.Valid, Status: l.Status.String(),
			SplitSD: jsonFloat(l.SplitSD), SplitSDBinomial: jsonFloat(l.SplitSDExpected),
			Dispersion: jsonFloat(l.Dispersion), MDERelative: jsonFloat(l.MDE), MDETotals: jsonFloat(l.MDETotals),
		})
	}
	return writeJSON(w, out)
}

// pct formats a share as a percentage with up to three significant digits.
func aaPct(x float64) string {
	if x != x {
		return "-"
	}
	return strconv.FormatFloat(roundSig(100*x, 3), 'f', -1, 64) + "%"
}

// aaMDE formats a minimum detectable drop; 1 means not even 95%.
func aaMDE(x float64) string {
	if x >= 1 {
		return ">95%"
	}
	return aaPct(x)
}

func aaFmt(x float64, format string) string {
	if x != x {
		return "-"
	}
	return fmt.Sprintf(format, x)
}

func (p *aaReport) writeText(w io.Writer) error {
	r := p.r
	var b strings.Builder
	fmt.Fprintf(&b, "A/A replay: %s (experiment, %d points) against %s (control, %d points)\n",
		p.exp.name, p.exp.s.Len(), p.ctl.name, p.ctl.s.Len())
	fmt.Fprintf(&b, "comparison: %s, %s, alpha %s in each window; a length needs %d windows to be judged\n\n",
		p.f.test.kind.title, "two-sided", strconv.FormatFloat(r.Alpha, 'g', -1, 64), r.Lengths[0].MinWindows)
	fmt.Fprintf(&b, "%-7s %7s %7s %8s %17s %9s %9s %10s %11s  %s\n",
		"window", "tested", "false+", "rate", "interval", "binom p", "split sd", "binomial", "MDE (drop)", "verdict")
	for _, l := range r.Lengths {
		iv := "-"
		if l.Tested > 0 {
			iv = "[" + aaPct(l.Low) + ", " + aaPct(l.High) + "]"
		}
		name := compare.ShortDuration(l.Length)
		if l.Length == r.Planned {
			name += "*"
		}
		fmt.Fprintf(&b, "%-7s %7d %7d %8s %17s %9s %9s %10s %11s  %s\n",
			name, l.Tested, l.FalsePositives, aaPct(l.Rate), iv, aaPValue(l.P),
			aaFmt(l.SplitSD, "%.4f"), aaFmt(l.SplitSDExpected, "%.4f"), aaMDE(l.MDE), l.Status)
	}
	b.WriteString("(* the planned window; interval: Clopper-Pearson at 1 - alpha; split sd: of log(experiment/control)\n per window, binomial: what a random split gives; MDE: the smallest drop the comparison finds in 80%\n of the windows, injected into the A/A data)\n\n")
	if s := r.SRM; s != nil {
		verdict := "no mismatch"
		if s.Mismatch {
			verdict = "MISMATCH"
		}
		fmt.Fprintf(&b, "sample ratio: the experiment got %s of the two groups' counts, planned %s (%s):\n",
			aaPct(s.Share), aaPct(s.ExpectedShare), s.Ratio)
		fmt.Fprintf(&b, "  chi-square %s, p = %s: %s at alpha %s; dispersion at %s %s over %d windows (about 1 for a random split)\n\n",
			num(s.ChiSquare), pvalue(s.P), verdict, strconv.FormatFloat(s.Alpha, 'g', -1, 64),
			compare.ShortDuration(s.Window), aaFmt(s.Dispersion, "%.3g"), s.Windows)
	}
	planned, _ := r.Length(r.Planned)
	fmt.Fprintf(&b, "planned window %s: %s\n", compare.ShortDuration(r.Planned), planned.Status)
	b.WriteString(p.recommendation(planned))
	writeWarnings(&b, "warnings:", 9, p.warnings())
	_, err := io.WriteString(w, b.String())
	return err
}

func aaPValue(p float64) string {
	if p != p {
		return "-"
	}
	return pvalue(p)
}

// recommendation says in words which window to use and what it can detect.
func (p *aaReport) recommendation(planned compare.AAWindow) string {
	r := p.r
	mde := func(l compare.AAWindow) string {
		if l.MDE != l.MDE {
			return ""
		}
		if l.MDE >= 1 {
			return fmt.Sprintf("; at %s not even a 95%% drop is detectable", compare.ShortDuration(l.Length))
		}
		return fmt.Sprintf("; at %s a drop of %s is detectable (80%% power)", compare.ShortDuration(l.Length), aaPct(l.MDE))
	}
	if r.Recommended == 0 {
		s := "recommended window: none of the lengths tried is valid"
		if r.SRM != nil && r.SRM.Mismatch {
			s += ": fix the sample-ratio mismatch first"
		} else if planned.MDE == planned.MDE {
			s += fmt.Sprintf("; at the planned %s nothing under %s is detectable", compare.ShortDuration(r.Planned), aaMDE(planned.MDE))
		}
		return s + "\n"
	}
	rec, _ := r.Length(r.Recommended)
	s := fmt.Sprintf("recommended window: %s, the shortest valid length%s", compare.ShortDuration(r.Recommended), mde(rec))
	if r.Recommended != r.Planned && planned.MDE == planned.MDE {
		s += fmt.Sprintf("; at the planned %s nothing under %s is", compare.ShortDuration(r.Planned), aaMDE(planned.MDE))
		if planned.Status != compare.Valid {
			s += fmt.Sprintf(", and the comparison is %s there", planned.Status)
		}
	}
	return s + "\n"
}

// runHealth is aa --health: the sample-ratio check of the experiment period.
func runHealth(e *env, f aaFlags, exp, ctl sample) int {
	h, err := compare.ExperimentHealth(exp.s, ctl.s, f.window.d, f.ratio.r, 0)
	if err != nil {
		return aaError(e, err)
	}
	if f.format.f == "json" {
		type flagged struct {
			Start      string    `json:"start"`
			Experiment jsonFloat `json:"experiment"`
			Control    jsonFloat `json:"control"`
			ChiSquare  jsonFloat `json:"chi_square"`
			PValue     jsonFloat `json:"p_value"`
		}
		out := struct {
			Healthy  bool       `json:"healthy"`
			SRM      *aaJSONSRM `json:"srm"`
			Flagged  []flagged  `json:"flagged_windows"`
			Warnings []string   `json:"warnings"`
		}{Healthy: !h.Mismatch, SRM: aaJSONSRMOf(&h), Flagged: []flagged{}, Warnings: aaStrings(h.Warnings)}
		for _, w := range h.Flagged {
			out.Flagged = append(out.Flagged, flagged{time.UnixMilli(w.Start).UTC().Format(time.RFC3339),
				jsonFloat(w.Experiment), jsonFloat(w.Control), jsonFloat(w.ChiSquare), jsonFloat(w.P)})
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return aaError(e, err)
		}
		e.stdout.Write(append(b, '\n'))
	} else {
		var b strings.Builder
		verdict := "healthy: the split matches the plan"
		if h.Mismatch {
			verdict = "UNHEALTHY: sample-ratio mismatch; do not judge this run"
		}
		fmt.Fprintf(&b, "experiment health: %s (experiment) against %s (control)\n", exp.name, ctl.name)
		fmt.Fprintf(&b, "experiment share %s, planned %s (%s): chi-square %s, p = %s (alpha %s)\n",
			aaPct(h.Share), aaPct(h.ExpectedShare), h.Ratio, num(h.ChiSquare), pvalue(h.P), strconv.FormatFloat(h.Alpha, 'g', -1, 64))
		fmt.Fprintf(&b, "dispersion at %s: %s over %d windows (about 1 for a random split)\n",
			compare.ShortDuration(h.Window), aaFmt(h.Dispersion, "%.3g"), h.Windows)
		for _, w := range h.Flagged {
			fmt.Fprintf(&b, "flagged window %s: experiment %s, control %s, p = %s\n",
				time.UnixMilli(w.Start).UTC().Format(time.RFC3339), num(w.Experiment), num(w.Control), pvalue(w.P))
		}
		fmt.Fprintf(&b, "verdict: %s\n", verdict)
		writeWarnings(&b, "warnings:", 9, aaStrings(h.Warnings))
		io.WriteString(e.stdout, b.String())
	}
	if h.Mismatch {
		return exitSignificant
	}
	return exitOK
}
