package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/apdex"
	"github.com/chaosstat/chaosstat/series"
)

var apdexCommand = &command{
	name:    "apdex",
	summary: "score response times by the Apdex 1.1 specification, overall or per window",
	run:     runApdex,
	usage:   apdexUsage,
}

func apdexUsage(w io.Writer) {
	io.WriteString(w, `usage: chaosstat apdex --threshold T [flags] FILE

Apdex scores how satisfied users were with the response times they got, by
the Apdex Technical Specification 1.1: a request within T seconds is
satisfied, within F = 4T tolerating, slower than F or failed frustrated, and

	Apdex_T = (satisfied + tolerating/2) / total

shown with two decimals (halves round up) and T, "0.91 [0.5]", with a "*"
when fewer than 100 requests are behind it, and rated Excellent (0.94 to
1.00), Good (0.85 to 0.93), Fair (0.70 to 0.84), Poor (0.50 to 0.69) or
Unacceptable (below 0.50). No requests is NS, never a score.

FILE is CSV with a header row naming its columns, in any order:

	duration_seconds   the response time in seconds (may be empty on a
	                   failed request)
	error              true, false, 1 or 0: failed requests are frustrated
	                   whatever their time
	timestamp          when the request happened, Unix seconds or RFC 3339;
	                   needed for --window

"-" reads stdin.

Flags:

	--threshold T      the target threshold T in seconds, such as 0.5 (required)
	--frustrated F     the frustration threshold in seconds (default 4T); a
	                   score with another F is shown as "0.91 [0.5/3.0]", as
	                   it is not comparable with the specification's
	--window LENGTH    score each window of LENGTH (such as 1m), aligned to
	                   the clock; a window without requests is NS
	--format FORMAT    text (default) or json; with --window also csv: the
	                   series "timestamp,value" (unrounded, empty when NS)
	                   that other chaosstat commands read as a satisfaction
	                   signal

Exit codes: 0 scored, 2 usage or input error, 3 no requests (NS).
`)
}

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
	if !(v > 0) || math.IsInf(v, 0) {
		return errors.New("want a positive number of seconds, such as 0.5")
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
	fs := flag.NewFlagSet("apdex", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Var(&f.threshold, "threshold", "")
	fs.Var(&f.frustrated, "frustrated", "")
	fs.Var(&f.window, "window", "")
	fs.Var(&f.format, "format", "")
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				apdexUsage(e.stdout)
				return f, exitOK, true
			}
			return f, usageError(e, "apdex", "%s", dashes(err)), true
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
	case f.frustrated.set && th.Validate() != nil:
		return f, usageError(e, "apdex", "--frustrated %s is not above --threshold %s; want F > T (or leave it out for 4T = %s)",
			f.frustrated.String(), f.threshold.String(), strconv.FormatFloat(4*f.threshold.v, 'g', -1, 64)), true
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
	th := apdex.Thresholds{T: f.threshold.v, F: f.frustrated.v}

	r, name, err := openInput(e, f.file)
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat apdex: %v\n", err)
		return exitUsage
	}
	defer r.Close()
	samples, hasTime, err := apdex.ReadCSV(r, name)
	if err != nil {
		return writeFailure(e, "apdex", "no requests (NS): ", failureCode(err), err.Error())
	}

	if f.window.d == 0 {
		s, err := apdex.FromSamples(samples, th)
		if err != nil {
			// ReadCSV returns at least one valid sample.
			return writeFailure(e, "apdex", "no requests (NS): ", failureCode(err), err.Error())
		}
		if f.format.f == "json" {
			err = writeJSON(e.stdout, newApdexJSON(s))
		} else {
			err = writeApdexText(e.stdout, name, s)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "chaosstat apdex: writing the result: %v\n", err)
			return exitUsage
		}
		return exitOK
	}

	if !hasTime {
		fmt.Fprintf(e.stderr, "chaosstat apdex: %s: no timestamp column; --window needs to know when each request happened\n", name)
		return exitUsage
	}
	ws, err := apdex.Windows(samples, th, f.window.d)
	if err != nil {
		return writeFailure(e, "apdex", "no requests (NS): ", failureCode(err), err.Error())
	}
	switch f.format.f {
	case "json":
		out := make([]apdexWindowJSON, len(ws))
		for i, w := range ws {
			out[i] = apdexWindowJSON{Timestamp: time.UnixMilli(w.Start).UTC().Format(time.RFC3339Nano), apdexJSON: newApdexJSON(w.Score)}
		}
		err = writeJSON(e.stdout, out)
	case "csv":
		var s series.Series
		if s, err = apdex.Series(ws); err == nil {
			err = series.WriteCSV(e.stdout, s)
		}
	default:
		all, _ := apdex.FromSamples(samples, th)
		err = writeApdexWindowsText(e.stdout, name, f.window.d, all, ws)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat apdex: writing the result: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// apdexJSON is one score in --format json. Its keys are a contract with
// notebooks and other tools, documented in the README: add keys, never
// rename or remove them.
type apdexJSON struct {
	Score       jsonFloat `json:"score"`   // unrounded; null when NS
	Rounded     jsonFloat `json:"rounded"` // two decimals, halves up; null when NS
	Notation    string    `json:"notation"`
	Rating      string    `json:"rating"` // "NS" when there are no requests
	Satisfied   float64   `json:"satisfied"`
	Tolerating  float64   `json:"tolerating"`
	Frustrated  float64   `json:"frustrated"` // errors included
	Errors      float64   `json:"errors"`
	Total       float64   `json:"total"`
	Threshold   float64   `json:"threshold"`
	Frustration float64   `json:"frustration"`
	SmallSample bool      `json:"small_sample"`
}

// apdexWindowJSON is one window of --window --format json.
type apdexWindowJSON struct {
	Timestamp string `json:"timestamp"` // the window's start, RFC 3339 UTC
	apdexJSON
}

func newApdexJSON(s apdex.Score) apdexJSON {
	return apdexJSON{
		Score:       jsonFloat(s.Value),
		Rounded:     jsonFloat(s.Rounded()),
		Notation:    s.Notation(),
		Rating:      s.Rating().String(),
		Satisfied:   s.Satisfied,
		Tolerating:  s.Tolerating,
		Frustrated:  s.Frustrated,
		Errors:      s.Errors,
		Total:       s.Total,
		Threshold:   s.T,
		Frustration: s.Frustration(),
		SmallSample: s.SmallGroup(),
	}
}

// thresholdsText describes T and F for people.
func thresholdsText(s apdex.Score) string {
	f := "4T"
	if s.Frustration() != 4*s.T {
		f = "not the specification's 4T"
	}
	return fmt.Sprintf("T = %s s, F = %s s (%s)", secs(s.T), secs(s.Frustration()), f)
}

func secs(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func writeApdexText(w io.Writer, name string, s apdex.Score) error {
	var b strings.Builder
	line := func(label, format string, args ...any) {
		fmt.Fprintf(&b, "%-11s %s\n", label, fmt.Sprintf(format, args...))
	}
	line("file", "%s", name)
	note := fmt.Sprintf("(%s unrounded)", strconv.FormatFloat(s.Value, 'f', 4, 64))
	if s.SmallGroup() {
		note = fmt.Sprintf("(%s unrounded; * fewer than %d requests)", strconv.FormatFloat(s.Value, 'f', 4, 64), apdex.DefaultSmallGroup)
	}
	line("apdex", "%s  %s", s.Notation(), note)
	line("rating", "%s", s.Rating())
	line("thresholds", "%s", thresholdsText(s))
	line("requests", "%s", requestsText(s))
	_, err := io.WriteString(w, b.String())
	return err
}

func requestsText(s apdex.Score) string {
	failed := ""
	if s.Errors > 0 {
		failed = fmt.Sprintf(" (%g failed)", s.Errors)
	}
	return fmt.Sprintf("%g: %g satisfied, %g tolerating, %g frustrated%s", s.Total, s.Satisfied, s.Tolerating, s.Frustrated, failed)
}

func writeApdexWindowsText(w io.Writer, name string, length time.Duration, all apdex.Score, ws []apdex.Window) error {
	var b strings.Builder
	ns := 0
	for _, x := range ws {
		if x.NoSamples() {
			ns++
		}
	}
	fmt.Fprintf(&b, "%-11s %s\n", "file", name)
	fmt.Fprintf(&b, "%-11s %s\n", "thresholds", thresholdsText(all))
	fmt.Fprintf(&b, "%-11s %d of %s, %d without requests (NS)\n", "windows", len(ws), apdex.FormatDuration(length), ns)
	fmt.Fprintf(&b, "%-11s %s %s, %s\n", "overall", all.Notation(), all.Rating(), requestsText(all))
	b.WriteString("\n")
	rows := [][]string{{"start", "apdex", "score", "rating", "total", "satisfied", "tolerating", "frustrated", "errors"}}
	for _, x := range ws {
		score := "-"
		if !x.NoSamples() {
			score = strconv.FormatFloat(x.Value, 'f', 4, 64)
		}
		rows = append(rows, []string{
			time.UnixMilli(x.Start).UTC().Format(time.RFC3339Nano), x.Notation(), score, x.Rating().String(),
			secs(x.Total), secs(x.Satisfied), secs(x.Tolerating), secs(x.Frustrated), secs(x.Errors),
		})
	}
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for _, r := range rows {
		for i, c := range r {
			switch {
			case i >= 4: // counts, right-aligned
				fmt.Fprintf(&b, "  %*s", width[i], c)
			case i == 0:
				fmt.Fprintf(&b, "%-*s", width[i], c)
			default:
				fmt.Fprintf(&b, "  %-*s", width[i], c)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
