package workflow_test

import (
	"context"
	"fmt"

	"github.com/chaosstat/chaosstat/workflow"
)

// ExampleJudgeFile judges the repository's example hypothesis, five metrics
// read from CSV files beside it, as chaosstat judge does; rep.WriteJSON
// would write its --format json output, rep.WriteText its table.
func ExampleJudgeFile() {
	rep, err := workflow.JudgeFile(context.Background(), "../examples/hypothesis/hypothesis.yaml", workflow.JudgeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("verdict:", rep.Verdict.Outcome)
	for i, m := range rep.Verdict.Metrics {
		fmt.Printf("%-24s %-5s %s\n", m.Metric.Name, m.Classification, rep.Data[i].Experiment.Name)
	}
	// Output:
	// verdict: disproved
	// latency_p99_seconds      pass  ../examples/hypothesis/data/latency-experiment.csv
	// errors_per_minute        high  ../examples/hypothesis/data/errors-experiment.csv
	// downloads_per_minute     pass  ../examples/hypothesis/data/downloads-experiment.csv
	// apdex                    pass  ../examples/hypothesis/data/apdex-experiment.csv
	// stream_starts_per_minute pass  ../examples/hypothesis/data/streams-experiment.csv
}
