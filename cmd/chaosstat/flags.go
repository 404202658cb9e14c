package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/cliflag"
	"github.com/chaosstat/chaosstat/series"
)

// The flags, errors and inputs that several commands share.

// testKind is a test --test selects: compare's table entry.
type testKind = compare.Test

// testKinds are the tests --test selects, the default first.
var testKinds = compare.Tests

// testFlag is the --test flag.
type testFlag struct{ kind *testKind }

func (f *testFlag) String() string {
	if f.kind == nil {
		return ""
	}
	return f.kind.Name
}

func (f *testFlag) Set(s string) error {
	t, err := compare.ParseTest(s)
	if err == nil {
		f.kind = &t
	}
	return err
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
	if err != nil {
		return fmt.Errorf("not a number: want a level in (0, 1), such as 0.95")
	}
	if err := compare.CheckConfidence(c); err != nil {
		return err
	}
	f.c = c
	return nil
}

// formatFlag is the --format flag: text or json; the zero value is text.
type formatFlag struct{ f string }

func (f *formatFlag) String() string { return f.f }
func (f *formatFlag) Set(s string) error {
	if s != "text" && s != "json" {
		return fmt.Errorf("unknown format %q: want text or json", s)
	}
	f.f = s
	return nil
}

// libReport is what a command prints: a library report that renders
// itself.
type libReport interface {
	WriteText(w io.Writer) error
	WriteJSON(w io.Writer) error
}

// writeLibReport writes r to stdout in the --format asked for. On failure
// it reports the error on stderr and returns false.
func writeLibReport(e *env, cmd string, f formatFlag, r libReport) bool {
	write := r.WriteText
	if f.f == "json" {
		write = r.WriteJSON
	}
	if err := write(e.stdout); err != nil {
		fmt.Fprintf(e.stderr, "chaosstat %s: writing the result: %v\n", cmd, err)
		return false
	}
	return true
}

// parseGroupFlags parses the arguments of a command that reads the two
// groups (compare, aa): register adds the command's own flags beside the
// groups' and the Prometheus flags. After the checks both commands make
// (no argument, each group once), extra, when not nil, returns the
// command's own usage message or "". It returns done when the command
// should stop with code: after -h, or on a usage error.
func parseGroupFlags(e *env, cmd string, args []string, g *groupFlags, register func(*flag.FlagSet), extra func() string) (code int, done bool) {
	fs := newFlagSet(cmd)
	g.register(fs)
	register(fs)
	if code, done := parseFlags(e, fs, args); done {
		return code, true
	}
	if fs.NArg() > 0 {
		return usageError(e, cmd, "unexpected argument %q: the files are given with --control and --experiment", fs.Arg(0)), true
	}
	msg := g.check()
	if msg == "" && extra != nil {
		msg = extra()
	}
	if msg == "" && g.control == "-" && g.experiment == "-" {
		msg = `--control and --experiment are both "-": at most one of them can read stdin`
	}
	if msg == "" {
		msg = g.prom.check(fs, g.queries())
	}
	if msg != "" {
		return usageError(e, cmd, "%s", msg), true
	}
	return exitOK, false
}

// compareError reports an error of package compare on stderr and returns
// its exit code (failureCode: exitInconclusive for too little data).
func compareError(e *env, cmd string, err error) int {
	return writeFailure(e, cmd, "inconclusive: ", failureCode(err), strings.TrimPrefix(err.Error(), "compare: "))
}

// usageError reports a usage error of command cmd on stderr, with a hint to
// the usage, and returns exitUsage.
func usageError(e *env, cmd, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "chaosstat %s: %s\nRun 'chaosstat %s -h' for usage.\n", cmd, fmt.Sprintf(format, args...), cmd)
	return exitUsage
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

// group is the sample as the library's reports name it.
func (sm sample) group() compare.Group { return compare.Group{Name: sm.name, Series: sm.s} }

// readSample reads the file of one side (series.ReadFile: exactly one
// series). A file without data is inconclusive (exitInconclusive), any
// other failure an input error.
func readSample(e *env, flagName, path string) (sample, int, error) {
	sm := sample{flag: flagName, name: path}
	if path == "-" {
		sm.name = "stdin"
	}
	s, err := series.ReadFile(path, e.stdin)
	if err != nil {
		return sm, failureCode(err), err
	}
	sm.s = s
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

// newFlagSet returns command cmd's flag set. The flag package's own
// messages are replaced by ours (parseFlags), which name the command and
// end in a usage hint.
func newFlagSet(cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args with fs, a newFlagSet. It returns done with the
// exit code after -h (the command's usage on stdout) or a usage error.
// A flag given twice is a usage error unless it is cliflag.Repeatable.
func parseFlags(e *env, fs *flag.FlagSet, args []string) (code int, done bool) {
	cliflag.Once(fs)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		lookup(fs.Name()).usage(e.stdout)
		return exitOK, true
	case err != nil:
		return usageError(e, fs.Name(), "%s", dashes(err)), true
	}
	return exitOK, false
}

// The library holds each option's rule and its wording: a value out of
// range is a *series.OptionError naming the option by its key
// ("min_weeks"), whose flag is the key with dashes (--min-weeks). The
// helpers below only put the flag's name on the library's "want ...".

// optionFlag returns the Set of a number flag whose range the library
// checks: check (baseline.CheckOption with the option's key) returns a
// *series.OptionError for a value out of range. A value that does not
// parse is checked as NaN, which no option takes, so that it gets the same
// "want ...".
func optionFlag[T int | float64](dst *T, parse func(string) (T, error), check func(float64) error) func(string) error {
	return func(s string) error {
		v, err := parse(s)
		x := math.NaN()
		if err == nil {
			x = float64(v)
		}
		if err := check(x); err != nil {
			return wantOf(err)
		}
		*dst = v
		return nil
	}
}

// parseFloat parses a float64 flag value.
func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// wantOf returns what a flag's Set returns for err: "want ..." of a
// *series.OptionError, which the flag package prefixes with the value and
// the flag; err itself otherwise.
func wantOf(err error) error {
	var oe *series.OptionError
	if errors.As(err, &oe) {
		return errors.New("want " + oe.Want)
	}
	return err
}

// optionUsage returns the usage message for a *series.OptionError in err,
// worded as the flag package words a value Set refuses, or "" when err
// holds none.
func optionUsage(err error) string {
	var oe *series.OptionError
	if !errors.As(err, &oe) {
		return ""
	}
	return fmt.Sprintf("invalid value %q for flag --%s: want %s", fmt.Sprint(oe.Value), strings.ReplaceAll(oe.Option, "_", "-"), oe.Want)
}
