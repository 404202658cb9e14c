package main

import (
	_ "embed"
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

//go:embed help/aa.txt
var aaHelp string

func aaUsage(w io.Writer) { fmt.Fprintf(w, aaHelp, promUsage) }

// aaDurationsFlag is the --windows flag: a comma-separated list of
// durations, checked by compare.CheckAAWindows.
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
	// The library's rule: each length a whole number of ms, given once.
	return wantOf(compare.CheckAAWindows(f.d))
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
