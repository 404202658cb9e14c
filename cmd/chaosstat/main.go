// Command chaosstat runs the statistics of a chaos experiment from the
// command line: it reads the control group's and the experiment group's
// metric from files and says whether, and by how much, the experiment
// differs.
//
// Usage:
//
//	chaosstat COMMAND [flags]
//
// The commands:
//
//	compare   test whether the experiment group's metric differs from the control's
//	aa        check on pre-experiment data that the split is valid at the planned window
//	apdex     score response times by the Apdex 1.1 specification, overall or per window
//	judge     judge a steady-state hypothesis: held, disproved or inconclusive
//	baseline  check a series against the waveform of the same hours in past weeks
//	criteria  judge candidate steady-state metrics on the three criteria
//	monitor   watch a running experiment and stop it when the experiment group is hurt
//	serve     serve the analyses over HTTP, for chaos tools that probe a URL
//	demo      run the whole method on an embedded synthetic case study, step by step
//	help      show the usage of chaosstat or of one command
//	version   print chaosstat's version
//
// For example, the same six hours of four ordinary Thursdays against
// Thanksgiving afternoon, from the NYC taxi data shipped in the repository:
//
//	chaosstat compare --control testdata/taxi_control.csv --experiment testdata/taxi_experiment.csv
//
// Input files are CSV with a header row, "timestamp,value" or a single
// "value" column, or a saved Prometheus query_range response (a ".json"
// file holding one series); "-" reads stdin. Output is text for people
// (--format text, the default) or JSON for notebooks and other tools
// (--format json), whose keys the repository's README documents.
//
// Exit codes, for chaos tools that run chaosstat as a probe:
//
//	0  no significant difference (p > alpha)
//	1  significant difference (p <= alpha)
//	2  usage or input error; stderr names the flag, or the file and line
//	3  inconclusive: no data, or too little to run the test
//	130, 143  interrupted by SIGINT, SIGTERM: reads in flight are
//	   cancelled and nothing is written to stdout, except by monitor,
//	   which writes its last decision
package main

import (
	"context"
	"os"

	"github.com/chaosstat/chaosstat/internal/interrupt"
)

func main() {
	ctx, stop := interrupt.NotifyContext(context.Background())
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
