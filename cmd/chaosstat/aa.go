package main

import (
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

Aa checks, on data from before the experiment, that the split is valid at
the planned window: it replays an A/A test (no fault anywhere) in consecutive
clock-aligned windows of each candidate length, runs the experiment's
comparison in every window and counts the differences found that are not there.

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

	--control FILE       the control group's data (or --control-query)
	--experiment FILE    the experiment group's data (or --experiment-query)
	--control-query Q    the control group's data: a PromQL query for --prometheus
	--experiment-query Q the experiment group's data: a PromQL query
	--window DURATION    the window length the experiment will use (default 30m)
	--windows LIST       candidate lengths, comma-separated
	                     (default 5m,10m,30m,1h,2h,6h,12h,24h; --window is added)
	--alpha LEVEL        significance level of each window's comparison and of the binomial test, in (0, 0.5) (default 0.05)
	--test NAME          the experiment's comparison: mannwhitney (default), welch, ks or brunnermunzel
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
	if err != nil {
		return fmt.Errorf("alpha %q: want a level in (0, 0.5), such as 0.05", s)
	}
	if err := compare.CheckAAAlpha(a); err != nil {
		return err
	}
	f.a = a
	return nil
}

type aaFlags struct {
	groupFlags
	window         durationFlag
	windows        aaDurationsFlag
	alpha          aaAlphaFlag
	test           testFlag
	counts, health bool
	ratio          compare.Ratio
	format         formatFlag
	plot           plotFlag
}

func parseAAFlags(e *env, args []string) (f aaFlags, code int, done bool) {
	f.window.d = compare.DefaultAAPlanned
	f.alpha.a = compare.DefaultAAAlpha
	f.test.kind = &testKinds[0]
	code, done = parseGroupFlags(e, "aa", args, &f.groupFlags, func(fs *flag.FlagSet) {
		fs.Var(&f.window, "window", "")
		fs.Var(&f.windows, "windows", "")
		fs.Var(&f.alpha, "alpha", "")
		fs.Var(&f.test, "test", "")
		fs.BoolVar(&f.counts, "counts", false, "")
		fs.BoolVar(&f.health, "health", false, "")
		fs.TextVar(&f.ratio, "ratio", compare.DefaultRatio, "")
		fs.Var(&f.format, "format", "")
		fs.Var(&f.plot, "plot", "")
	}, func() string {
		if f.health && f.plot.file != "" {
			return "--plot draws the A/A replay, which --health does not run"
		}
		return ""
	})
	return f, code, done
}

func runAA(e *env, args []string) int {
	f, code, done := parseAAFlags(e, args)
	if done {
		return code
	}
	sides, code, ok := f.read(e, groupRead{cmd: "aa", noData: "inconclusive: ",
		check: compare.CheckAAInput},
		f.experimentInput(), f.controlInput())
	if !ok {
		return code
	}
	exp, ctl := sides[0].group(), sides[1].group()
	if f.health {
		return runHealth(e, f, exp, ctl)
	}
	opts := compare.AAOptions{Windows: f.windows.d, Planned: f.window.d, Alpha: f.alpha.a, Counts: f.counts, Ratio: f.ratio}
	rep, err := compare.RunAA(exp, ctl, *f.test.kind, opts)
	switch {
	case err != nil:
		return compareError(e, "aa", err)
	case !writeLibReport(e, "aa", f.format, rep):
		return exitUsage
	}
	if code, failed := writePlot(e, "aa", f.plot, func(file string) error {
		return chart.AA(file, rep.Result, chart.Options{})
	}); failed {
		return code
	}
	return aaExit[rep.Result.Status()]
}

// aaExit is the exit code of each verdict at the planned window.
var aaExit = map[compare.AAStatus]int{compare.Valid: exitOK, compare.Invalid: exitSignificant, compare.TooFewWindows: exitInconclusive}

// runHealth is aa --health: the sample-ratio check of the experiment period.
func runHealth(e *env, f aaFlags, exp, ctl compare.Group) int {
	h, err := compare.RunHealth(exp, ctl, f.window.d, f.ratio, 0)
	switch {
	case err != nil:
		return compareError(e, "aa", err)
	case !writeLibReport(e, "aa", f.format, h):
		return exitUsage
	case !h.Healthy():
		return exitSignificant
	}
	return exitOK
}
