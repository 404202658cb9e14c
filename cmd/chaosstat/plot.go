package main

import (
	"errors"
	"strings"

	"github.com/chaosstat/chaosstat/chart"
)

// plotFlag is the --plot flag: a file name ending in .svg or .png, checked
// when the flag is parsed so that a bad name fails before any work.
type plotFlag struct{ file string }

func (f *plotFlag) String() string { return f.file }
func (f *plotFlag) Set(s string) error {
	if err := chart.CheckFile(s); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "chart: "))
	}
	f.file = s
	return nil
}

// plotFlagUsage is the --plot line of a command's usage.
const plotFlagUsage = `	--plot FILE          also draw the result to FILE: SVG or PNG by its extension
`

// writePlot draws the figure with draw when --plot was given. The verdict
// has been written by then; a figure that cannot be written is a failure,
// reported on stderr, since the user asked for it: exit 2, or exit 3 when
// there is nothing to draw (chart.ErrNoData wraps series.ErrTooLittleData).
func writePlot(e *env, cmd string, f plotFlag, draw func(file string) error) (code int, failed bool) {
	if f.file == "" {
		return exitOK, false
	}
	if err := draw(f.file); err != nil {
		return writeFailure(e, cmd, "inconclusive: ", failureCode(err), "--plot: "+strings.TrimPrefix(err.Error(), "chart: ")), true
	}
	return exitOK, false
}
