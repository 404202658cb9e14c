// Command chaostool plays a chaos tool that imports chaosstat: after a run
// of an experiment it hands chaosstat its metrics and prints the answer, as
// a tool that runs probes would. It uses chaosstat's exported API only
// (package workflow and those it returns), and each of its commands prints
// exactly what the chaosstat command of the same name prints with
// --format json, with the same exit code:
//
//	go run ./examples/chaostool judge examples/hypothesis/hypothesis.yaml
//	go run ./examples/chaostool monitor --control FILE --experiment FILE
//
// are chaosstat judge --hypothesis examples/hypothesis/hypothesis.yaml
// --format json and chaosstat monitor --control FILE --experiment FILE
// --format json. Exit codes are the CLI's: 0 held, 1 disproved, 2 bad input,
// 3 inconclusive.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/chaosstat/chaosstat/series"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usage lists the commands.
const usage = `usage: chaostool judge HYPOTHESIS_FILE
       chaostool monitor --control FILE --experiment FILE [--direction DIR]
`

// run runs the command args[0] with the rest of args and returns the exit
// code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	// Each command is a case here and a file of its own: runJudge in
	// judge.go, and so on.
	switch args[0] {
	case "judge":
		return runJudge(args[1:], stdout, stderr)
	case "monitor":
		return runMonitor(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "chaostool: unknown command %q\n%s", args[0], usage)
	return 2
}

// exitCode is the CLI's exit code for an error: 3 (inconclusive) when
// there is too little data to answer, which every such error of chaosstat
// says by wrapping series.ErrTooLittleData (a partial answer from the
// server, too few pairs), else 2 (bad input).
func exitCode(err error) int {
	if errors.Is(err, series.ErrTooLittleData) {
		return 3
	}
	return 2
}
