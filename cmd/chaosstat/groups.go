package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/chaosstat/chaosstat/series"
)

// groupFlags are the inputs of a command that reads the control and the
// experiment group: each a file (--control, --experiment) or a PromQL range
// query that replaces it (--control-query, --experiment-query), read
// through prom. compare, aa and monitor embed it, so that the flags, their
// checks and the read say the same in all three.
type groupFlags struct {
	control, experiment string
	// controlQuery and experimentQuery replace the files with queries
	// read through prom.
	controlQuery, experimentQuery string
	prom                          promInput
}

// register adds the groups' flags and the Prometheus flags to fs.
func (g *groupFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&g.control, "control", "", "")
	fs.StringVar(&g.experiment, "experiment", "", "")
	fs.StringVar(&g.controlQuery, "control-query", "", "")
	fs.StringVar(&g.experimentQuery, "experiment-query", "", "")
	g.prom.register(fs)
}

// queries reports whether either group is a query.
func (g *groupFlags) queries() bool { return g.controlQuery != "" || g.experimentQuery != "" }

// check returns a usage message when a group is given both as a file and
// as a query, or not at all; "" when each is given once.
func (g *groupFlags) check() string {
	switch {
	case g.control != "" && g.controlQuery != "":
		return "both --control and --control-query: give the control group's data once"
	case g.experiment != "" && g.experimentQuery != "":
		return "both --experiment and --experiment-query: give the experiment group's data once"
	case g.control == "" && g.controlQuery == "":
		return "missing --control FILE (or --control-query Q), the control group's data"
	case g.experiment == "" && g.experimentQuery == "":
		return "missing --experiment FILE (or --experiment-query Q), the experiment group's data"
	}
	return ""
}

// groupInput is one input to read: a file, or a query that replaces it.
type groupInput struct{ flag, path, query string }

// controlInput and experimentInput are the groups' inputs.
func (g *groupFlags) controlInput() groupInput {
	return groupInput{"control", g.control, g.controlQuery}
}

func (g *groupFlags) experimentInput() groupInput {
	return groupInput{"experiment", g.experiment, g.experimentQuery}
}

// groupRead says how a command reports what read finds.
type groupRead struct {
	cmd string // the command, for messages
	// noData prefixes the message of a read without data (exitInconclusive).
	noData string
	// noTimes, when not "", makes an input without timestamps an error
	// exitUsage: a format of the input's name.
	noTimes string
	// check, when not nil, makes an input it refuses an error exitUsage:
	// the library's check of the input (compare.CheckAAInput).
	check func(name string, s series.Series) error
	// warn takes a query's warnings; nil writes them to stderr.
	warn func(flag, w string)
}

// read reads ins in their order (an input with neither file nor query is
// left a zero sample) with the client that --prometheus gives. On failure
// it writes the error to stderr and returns ok false with the exit code;
// an input error is reported rather than an input without data
// (series.ReadEach).
func (g *groupFlags) read(e *env, how groupRead, ins ...groupInput) (out []sample, code int, ok bool) {
	client, err := g.prom.clientIfEnabled()
	if err != nil {
		fmt.Fprintf(e.stderr, "chaosstat %s: --prometheus: %v\n", how.cmd, err)
		return nil, exitUsage, false
	}
	out = make([]sample, len(ins))
	reads := make([]func() error, len(ins))
	for i, in := range ins {
		reads[i] = func() (err error) {
			var s sample
			switch {
			case in.query != "":
				var warns []string
				s = sample{flag: in.flag, name: in.query}
				s.s, warns, _, err = g.prom.readQuery(e.ctx, client, in.query)
				in.flag += "-query"
				for _, w := range warns {
					if how.warn != nil {
						how.warn(in.flag, w)
					} else {
						fmt.Fprintf(e.stderr, "chaosstat %s: warning: --%s: %s\n", how.cmd, in.flag, w)
					}
				}
			case in.path == "":
				return nil
			default:
				s, _, err = readSample(e, in.flag, in.path)
			}
			if err == nil && how.noTimes != "" && len(s.s.T) == 0 {
				err = fmt.Errorf(how.noTimes, s.name)
			}
			if err == nil && how.check != nil {
				err = inputError(how.check(s.name, s.s))
			}
			if err != nil {
				return fmt.Errorf("--%s: %w", in.flag, err)
			}
			out[i] = s
			return nil
		}
	}
	if err := series.ReadEach(reads...); err != nil {
		return nil, writeFailure(e, how.cmd, how.noData, failureCode(err), err.Error()), false
	}
	return out, exitOK, true
}

// inputError is err, a library check's refusal of an input, as an input
// error (exit 2) whatever it wraps; nil for nil.
func inputError(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(err.Error())
}
