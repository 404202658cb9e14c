package workflow_test

import (
	"fmt"
	"log"
	"os"

	"github.com/chaosstat/chaosstat/workflow"
)

// ExampleRun runs the whole method on the case study of `chaosstat demo`
// (synthetic data, cmd/chaosstat/demodata) and prints its headline. A chaos
// tool fills workflow.Inputs with its own series instead.
func ExampleRun() {
	in, err := workflow.ReadCaseStudy(os.DirFS("../cmd/chaosstat"), "demodata")
	if err != nil {
		log.Fatal(err)
	}
	r, err := workflow.Run(in)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("judged at %v: %s\n", r.Window, r.Judge.Verdict.Outcome)
	if err := r.WriteSummary(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// judged at 24h0m0s: held
	// 1 criteria        meet all three: downloads, apdex; fail some: availability
	// 2 split at 30m    downloads invalid, availability valid, apdex invalid; judged at 24h
	// 3 baseline        the control's day is steady
	// 4 hypothesis      held (score 1)
	// 5 emergency stop  would have stopped the run: downloads at 12:40, availability at 17:30 (fires on fault-free days too: downloads, apdex)
	// 6 cost            2235.92 EUR; 0.0198% of the month's error budget spent
}
