package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/chaosstat/chaosstat/apdex"
	"github.com/chaosstat/chaosstat/chart"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/prom"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/cost"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
	"github.com/chaosstat/chaosstat/workflow"
)

// TestTooLittleDataRoot lists every sentinel of the library that means
// "too little data to answer" and checks that it wraps
// series.ErrTooLittleData with its message unchanged, alone and as the
// libraries return it (wrapped with context, or as a prom.Error's Kind),
// so that failureCode maps it to exit 3. The errors after them are not too
// little data and must stay exit 2; each says why.
func TestTooLittleDataRoot(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		msg  string // the message it had before it wrapped the root
	}{
		{"series.ErrEmpty", series.ErrEmpty, "no data"},
		{"apdex.ErrNoSamples", apdex.ErrNoSamples, "no samples (NS)"},
		{"compare.ErrSampleSize", compare.ErrSampleSize, "too few points"},
		{"compare.ErrZeroVariance", compare.ErrZeroVariance, "both samples are constant"},
		{"compare.ErrTooShort", compare.ErrTooShort, "too little data"},
		{"compare.ErrNoCounts", compare.ErrNoCounts, "no counts"},
		{"prom.ErrNoData", prom.ErrNoData, "no data"},
		{"prom.ErrPartial", prom.ErrPartial, "partial response"},
		{"criteria.ErrNoData", criteria.ErrNoData, "too few points to measure the criteria"},
		{"baseline.ErrNotEnoughHistory", baseline.ErrNotEnoughHistory, "not enough history"},
		{"baseline.ErrNothingJudged", baseline.ErrNothingJudged, "no point of the current series could be judged"},
		{"cost.ErrConsumptionNoData", cost.ErrConsumptionNoData, "no minute with requests and both groups' availability"},
		{"chart.ErrNoData", chart.ErrNoData, "nothing to plot"},
		{"monitor.ErrTooFewPairs", monitor.ErrTooFewPairs, "too few complete pairs for the test to judge"},
		{"monitor.ErrSilentFeed", monitor.ErrSilentFeed, "the feed sent no point"},
		{"workflow.ErrNoSeries", workflow.ErrNoSeries, "no series"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.err.Error() != c.msg {
				t.Errorf("message %q, want %q unchanged", c.err, c.msg)
			}
			wrapped := fmt.Errorf("context: %w", c.err)
			if !errors.Is(c.err, series.ErrTooLittleData) || !errors.Is(wrapped, series.ErrTooLittleData) {
				t.Errorf("errors.Is(%s, series.ErrTooLittleData) = false", c.name)
			}
			if !errors.Is(wrapped, c.err) {
				t.Errorf("errors.Is(wrapped, %s) = false: the sentinel lost its identity", c.name)
			}
			if code := failureCode(wrapped); code != exitInconclusive {
				t.Errorf("failureCode = %d, want %d", code, exitInconclusive)
			}
		})
	}
	// prom returns its kinds inside a *prom.Error, which must pass the root on.
	for _, kind := range []error{prom.ErrNoData, prom.ErrPartial} {
		err := fmt.Errorf("read: %w", &prom.Error{Kind: kind, Op: "range", Query: "up"})
		if !errors.Is(err, series.ErrTooLittleData) || !errors.Is(err, kind) || failureCode(err) != exitInconclusive {
			t.Errorf("a *prom.Error of kind %v does not match series.ErrTooLittleData", kind)
		}
	}
	// The sentinels are distinct, root aside: errors.Is tells them apart.
	if errors.Is(series.ErrEmpty, prom.ErrNoData) || errors.Is(compare.ErrTooShort, series.ErrEmpty) {
		t.Error("two sentinels match each other")
	}

	for _, c := range []struct {
		name   string
		err    error
		reason string
	}{
		{"compare.ErrConstantDifference", compare.ErrConstantDifference, "constant paired differences are a certain difference, not a lack of data; the judge decides it by Mann-Whitney"},
		{"compare.ErrConstantInput", compare.ErrConstantInput, "a constant metric cannot track satisfaction: a finding of the criteria, not a lack of data"},
		{"compare.ErrConstantCovariate", compare.ErrConstantCovariate, "a constant covariate is the caller's choice of covariate"},
		{"compare.ErrNonFinite", compare.ErrNonFinite, "an infinite value is bad input"},
		{"compare.ErrNotAligned", compare.ErrNotAligned, "series on different grids are bad input"},
		{"apdex.ErrNoBucket", apdex.ErrNoBucket, "a histogram without a bucket at the threshold is a configuration error"},
		{"prom.ErrBadQuery", prom.ErrBadQuery, "a bad query is a usage error"},
		{"prom.ErrUnreachable", prom.ErrUnreachable, "an unreachable server is not an answer about the data"},
		{"series.ErrStep", series.ErrStep, "a step that is not whole milliseconds is a usage error"},
		{"monitor.ErrOutOfOrder", monitor.ErrOutOfOrder, "a point out of order is bad input"},
		{"monitor.ErrHistoryOverlap", monitor.ErrHistoryOverlap, "a history that overlaps the run is bad input"},
		{"workflow.ErrNoQuerySource", workflow.ErrNoQuerySource, "a query without a server is a usage error"},
	} {
		if errors.Is(c.err, series.ErrTooLittleData) || failureCode(c.err) != exitUsage {
			t.Errorf("%s wraps series.ErrTooLittleData or exits %d; want exit %d: %s", c.name, failureCode(c.err), exitUsage, c.reason)
		}
	}
}
