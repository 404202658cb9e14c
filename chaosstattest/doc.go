// Package chaosstattest holds assertions for Go tests of chaos experiments:
// that a steady-state hypothesis holds on recorded series, that the split of
// traffic into control and experiment groups is valid at the window the
// experiment is judged at, and that a metric meets the three criteria of a
// steady-state metric. A failure prints the table that explains it, the same
// table the chaosstat command prints, not just "false".
//
// The assertions take a TestingT, anything with an Errorf method: *testing.T,
// the T of a testify suite (suite.Suite's s.T()), or a value of testify's
// assert.TestingT. Like testify's assert package they report the failure,
// return false and let the test go on; the Require variants call FailNow
// after a failure, like testify's require package. They call t.Helper() when
// t has it, so the failure points at the line of the test.
//
// The workflow of a hypothesis unit test (examples/gotest is a complete one):
//
//  1. Record the two groups' metrics during a run of the experiment (export
//     them from Prometheus as CSV, or save the query_range responses) and
//     commit them beside the test, with the hypothesis file chaosstat judge
//     reads.
//  2. Before the fault, check that the split is sound at the window the run
//     is judged at: SplitValid on pre-experiment data (an A/A replay,
//     compare.AA). And check that each metric is worth judging: MeetsCriteria
//     against a satisfaction signal (criteria.Evaluate).
//  3. Assert that the hypothesis holds on the recording: HypothesisFileHolds
//     on the file, or HypothesisHolds on a steadystate.Hypothesis built in Go
//     with the series in hand. Disproved fails the test, and so does
//     inconclusive: no data is never a pass.
//
// For example, examples/gotest asserts
//
//	func TestInstanceLossHypothesisHolds(t *testing.T) {
//		chaosstattest.HypothesisFileHolds(t, "testdata/hypothesis.yaml")
//	}
//
// and when the experiment group serves 10% fewer downloads, the test fails
// with the verdict (abridged here; the test output has every column):
//
//	instance_loss_test.go:32: chaosstattest: testdata/hypothesis.yaml: hypothesis "instance-loss" does not hold: the verdict is disproved
//
//	hypothesis  instance-loss
//	verdict     disproved: score 0.667 is below the marginal threshold 0.75: failing: downloads_per_minute low
//	score       0.667 (held at >= 0.95, disproved below 0.75)
//	tests       two-sided at alpha 0.05, p-values adjusted by holm across 3 tested metrics
//
//	metric                test        effect (experiment - control)    relative                    adj. p   result
//	downloads_per_minute  timeseries  -97 [-107, -87.5] downloads/min  -10.5% [-11.5%, -9.4%]      4.2e-15  low
//	availability          timeseries  -0.00027 [-0.000689, +0.000148]  -0.027% [-0.069%, +0.015%]  0.391    pass (critical)
//	apdex                 timeseries  -0.00047 [-0.00291, +0.00197]    -0.05% [-0.3%, +0.2%]       0.687    pass
//
// Unlike the statistics packages (series, compare, steadystate), which never
// read files, this package is a test helper: HypothesisFileHolds and
// LoadHypothesis read the hypothesis file and the data files it names, as a
// test reads its testdata, with package workflow's loader. It judges nothing
// itself; every verdict is steadystate's or compare's.
package chaosstattest
