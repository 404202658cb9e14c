// Package accuracy is chaosstat's accuracy matrix (issue 14): every
// time-series method measured, through the exported API exactly as a
// user calls it, over a family of data shapes and over the real data the
// repository ships, each cell with its false-alarm rate, its power and
// the same rates of the plain method a sceptic would use instead.
//
// The shapes (Shapes; Shape.Pair for the judge and the monitor,
// Shape.History for the baseline, Shape.Criteria for the correlation
// criterion) are seeded generators: AR(1) noise with ρ 0.5, 0.8 and 0.95
// (the monitor simulations' feed model), ARMA(1,1), heavy tails (t3
// innovations), counts with many zeros, spikes, step incidents, 10% and
// 40% gaps, off-grid timestamps and a daylight-saving week in New York.
// Each can plant the effect: a 15% level drop over a stated window, or an
// incident-only relation for the criteria. LoadReal reads the NYC taxi
// and NAB series (steadystate/baseline/testdata) as A/A material: each
// ordinary day against the week before, a planted drop by binomial
// thinning for power.
//
// The methods (JudgeMethod, MonitorMethod, BaselineDefault,
// BaselineCounts, CriteriaMethod) say what they call and what counts as
// an alarm; Matrix measures cells in parallel, each seeded by its name
// (Seed), so a subset of cells draws what the full matrix drew;
// WriteSection renders the section of docs/accuracy.md that the command
//
//	go run ./internal/accuracy/cmd/accuracy
//
// rewrites between BeginMarker and EndMarker. TestMatrixReduced runs eleven
// cells at 40 to 200 runs in the ordinary test suite, with tolerances
// from the binomial standard error.
package accuracy
