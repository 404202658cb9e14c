package main

import (
	"context"
	"fmt"
	"io"

	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/workflow"
)

// runJudge judges the hypothesis file args[0] on the data files it names
// and writes the report as JSON: the verdict, and per metric its
// classification, p-values, effect and the files it was judged on.
func runJudge(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, "usage: chaostool judge HYPOTHESIS_FILE\n")
		return 2
	}
	rep, err := workflow.JudgeFile(context.Background(), args[0], workflow.JudgeOptions{})
	if err != nil {
		fmt.Fprintf(stderr, "chaostool judge: %v\n", err)
		return exitCode(err)
	}
	if err := rep.WriteJSON(stdout); err != nil {
		fmt.Fprintf(stderr, "chaostool judge: %v\n", err)
		return 2
	}
	switch rep.Verdict.Outcome {
	case steadystate.Held:
		return 0
	case steadystate.Disproved:
		return 1
	}
	return 3
}
