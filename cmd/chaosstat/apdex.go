package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/chaosstat/chaosstat/apdex"
	"github.com/chaosstat/chaosstat/series"
)

var apdexCommand = &command{
	name:    "apdex",
	summary: "score response times by the Apdex 1.1 specification, overall or per window",
	run:     runApdex,
	usage:   apdexUsage,
}

//go:embed help/apdex.txt
var apdexHelp string

func apdexUsage(w io.Writer) { io.WriteString(w, apdexHelp) }

// secondsFlag is a flag holding a time in seconds, given as a number.
type secondsFlag struct {
	v   float64
	set bool
}

func (f *secondsFlag) String() string {
	if !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *secondsFlag) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if d, derr := series.ParseDuration(s); derr == nil {
			return fmt.Errorf("give seconds as a number, %s rather than %s", strconv.FormatFloat(d.Seconds(), 'g', -1, 64), s)
		}
		return errors.New("not a number of seconds, such as 0.5")
	}
	// Seconds are positive and finite, as the library's threshold T is.
	if err := (apdex.Thresholds{T: v}).Validate(); err != nil {
		return wantOf(err)
	}
	f.v, f.set = v, true
	return nil
}

// apdexFormatFlag is the --format flag of apdex, which has csv too.
type apdexFormatFlag struct{ f string }

func (f *apdexFormatFlag) String() string { return f.f }
func (f *apdexFormatFlag) Set(s string) error {
	if s != "text" && s != "json" && s != "csv" {
		return fmt.Errorf("unknown format %q: want text, json or csv", s)
	}
	f.f = s
	return nil
}

type apdexFlags struct {
	threshold, frustrated secondsFlag
	window                durationFlag
	format                apdexFormatFlag
	file                  string
}

// parseApdexFlags parses the arguments of apdex: flags before or after the
// one FILE. It returns done when the command should stop with code.
func parseApdexFlags(e *env, args []string) (f apdexFlags, code int, done bool) {
	f.format.f = "text"
	fs := newFlagSet("apdex")
	fs.Var(&f.threshold, "threshold", "")
	fs.Var(&f.frustrated, "frustrated", "")
	fs.Var(&f.window, "window", "")
	fs.Var(&f.format, "format", "")
	var files []string
	for {
		if code, done := parseFlags(e, fs, args); done {
			return f, code, true
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	th := apdex.Thresholds{T: f.threshold.v, F: f.frustrated.v}
	switch {
	case !f.threshold.set:
		return f, usageError(e, "apdex", "missing --threshold T, the target threshold in seconds (such as 0.5)"), true
	case len(files) == 0:
		return f, usageError(e, "apdex", `missing FILE, a CSV file with the columns duration_seconds and error ("-" for stdin)`), true
	case len(files) > 1:
		return f, usageError(e, "apdex", "want one FILE, got %d: %s", len(files), strings.Join(files, " ")), true
	case th.Validate() != nil: // --frustrated not above --threshold, by the library's rule
		return f, usageError(e, "apdex", "%s", optionUsage(th.Validate())), true
	case f.format.f == "csv" && f.window.d == 0:
		return f, usageError(e, "apdex", "--format csv writes the series of window scores; it needs --window"), true
	}
	f.file = files[0]
	return f, exitOK, false
}

func runApdex(e *env, args []string) int {
	f, code, done := parseApdexFlags(e, args)
	if done {
		return code
	}
	r, name, err := openInput(e, f.file)
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat apdex: %v\n", err)
		return exitUsage
	}
	defer r.Close()
	samples, hasTime, err := apdex.ReadCSV(r, name)
	switch {
	case failureCode(err) == exitInconclusive:
		return writeFailure(e, "apdex", "no requests (NS): ", exitInconclusive, err.Error())
	case err == nil:
		if werr := apdex.CheckWindow(f.window.d, hasTime); werr != nil {
			err = fmt.Errorf("%s: --window %s: %w", name, &f.window, werr)
		}
	}
	var rep *apdex.Report
	if err == nil {
		rep, err = apdex.NewReport(samples, apdex.Thresholds{T: f.threshold.v, F: f.frustrated.v}, f.window.d)
	}
	if err != nil {
		return writeFailure(e, "apdex", "no requests (NS): ", failureCode(err), err.Error())
	}
	rep.Name = name
	switch f.format.f {
	case "json":
		err = rep.WriteJSON(e.stdout)
	case "csv":
		err = rep.WriteCSV(e.stdout)
	default:
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat apdex: writing the result: %v\n", err)
		return exitUsage
	}
	return exitOK
}
