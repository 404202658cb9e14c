package chart_test

import (
	"fmt"
	"log"
	"os"

	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/workflow"
)

// The figures of the whole method, as `chaosstat demo --out` writes them:
// workflow.Run on the demo's case study (synthetic data,
// cmd/chaosstat/demodata), then one figure per step but the cost.
func ExampleMethod() {
	in, err := workflow.ReadCaseStudy(os.DirFS("../cmd/chaosstat"), "demodata")
	if err != nil {
		log.Fatal(err)
	}
	r, err := workflow.Run(in)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "method")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	names, err := chart.Method(dir, &in, r, map[string]string{"downloads": "downloads/min"})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range names {
		fmt.Println(n)
	}
	// Output:
	// 1-criteria.svg
	// 2-aa-downloads.svg
	// 2-aa-availability.svg
	// 2-aa-apdex.svg
	// 3-baseline.svg
	// 4-judge-downloads.svg
	// 4-judge-availability.svg
	// 4-judge-apdex.svg
	// 5-monitor-downloads.svg
	// 5-monitor-availability.svg
	// 5-monitor-apdex.svg
}
