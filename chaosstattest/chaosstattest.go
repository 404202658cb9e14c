package chaosstattest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/workflow"
)

// TestingT is what the assertions report a failure to: *testing.T,
// *testing.B, *testing.F, the T of a testify suite (s.T()), or anything else
// with an Errorf method. It has the method set of testify's assert.TestingT,
// so a value of either interface type converts to the other.
//
// When the value also has a Helper method (as *testing.T does), the
// assertions call it, so a failure is reported at the line of the test that
// called them.
type TestingT interface {
	Errorf(format string, args ...any)
}

// RequireT is what the Require assertions need: a TestingT that can also stop
// the test at once. It has the method set of testify's require.TestingT.
type RequireT interface {
	TestingT
	FailNow()
}

// tHelper is the Helper method of *testing.T. Helper marks the function
// that calls it, so every function between the test and t.Errorf calls it
// itself, as testify does.
type tHelper interface{ Helper() }

// HypothesisHolds judges hypothesis h on data (one Data per metric, in the
// order of h.Metrics; see steadystate.Judge) and reports whether the verdict
// is steadystate.Held. Anything else fails the test: Disproved, and also
// Inconclusive, since a hypothesis that could not be judged (a metric without
// data, a marginal score) has not been shown to hold. The failure message is
// the whole verdict as steadystate.Verdict.WriteText prints it: the outcome
// and the rule that decided it, the score, and the table with one row per
// metric (test, points per group, effect with its interval, p-value, adjusted
// p-value, classification), then each metric's reason and warnings.
//
// An invalid hypothesis, or data without one entry per metric, fails the test
// with Judge's error.
func HypothesisHolds(t TestingT, h steadystate.Hypothesis, data ...steadystate.Data) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	v, err := steadystate.Judge(h, data)
	if err != nil {
		t.Errorf("chaosstattest: cannot judge hypothesis %s: %v", hypName(h), err)
		return false
	}
	return verdictHolds(t, &v, "")
}

// RequireHypothesisHolds is HypothesisHolds followed by t.FailNow() when it
// fails, for tests that cannot go on without the hypothesis.
func RequireHypothesisHolds(t RequireT, h steadystate.Hypothesis, data ...steadystate.Data) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !HypothesisHolds(t, h, data...) {
		t.FailNow()
	}
}

// HypothesisFileHolds is HypothesisHolds on a hypothesis file, the YAML (or
// JSON) file chaosstat judge reads (see steadystate.ParseHypothesis and
// examples/hypothesis/SCHEMA.md): it reads the file at path, parses it, reads
// each metric's control and experiment files (named relative to the
// hypothesis file; CSV or a saved Prometheus query_range response holding one
// series), judges the hypothesis and fails the test with the verdict table
// unless it is held.
//
// A file that holds no data gives the metric no data (it is then nodata in
// the table, which is never a pass); a file that cannot be read or parsed,
// a parse error in the hypothesis, a response with more than one series,
// or a metric whose source is a PromQL query fails the test with an error
// naming the file, line and field. A test that needs live Prometheus data
// reads it with package prom and calls HypothesisHolds.
func HypothesisFileHolds(t TestingT, path string) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	plan, data, err := LoadHypothesis(path)
	if err != nil {
		t.Errorf("chaosstattest: %v", err)
		return false
	}
	v, err := steadystate.Judge(plan.Hypothesis, data)
	if err != nil {
		t.Errorf("chaosstattest: %s: cannot judge hypothesis %s: %v", path, hypName(plan.Hypothesis), err)
		return false
	}
	return verdictHolds(t, &v, path)
}

// RequireHypothesisFileHolds is HypothesisFileHolds followed by t.FailNow()
// when it fails.
func RequireHypothesisFileHolds(t RequireT, path string) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !HypothesisFileHolds(t, path) {
		t.FailNow()
	}
}

// LoadHypothesis reads the hypothesis file at path and the data its metrics
// name, as HypothesisFileHolds does (with workflow.Load, which chaosstat
// judge uses too; a PromQL source is refused), and returns the parsed plan
// with one Data per metric, ready for steadystate.Judge: for tests that look
// at the verdict beyond held or not. Errors name the file, and for a source
// the hypothesis file's line and field ("metrics[1].experiment"), as a
// *workflow.SourceError.
func LoadHypothesis(path string) (*steadystate.Plan, []steadystate.Data, error) {
	plan, err := workflow.ReadPlan(path)
	if err != nil {
		return nil, nil, err
	}
	md, err := workflow.Load(context.Background(), plan, workflow.JudgeOptions{Queries: noQueries})
	if err != nil {
		return nil, nil, err
	}
	data := make([]steadystate.Data, len(md))
	for i, m := range md {
		data[i] = m.Data()
	}
	return plan, data, nil
}

// noQueries refuses a PromQL source, saying what a test does instead.
var noQueries = workflow.SourceFunc(func(_ context.Context, s steadystate.Source) (workflow.GroupData, error) {
	return workflow.GroupData{}, fmt.Errorf("the source is a PromQL query (%s), which a test cannot run without a Prometheus server: read the series with package prom and call HypothesisHolds, or save the query_range response to a file and name the file", s.Query)
})

// verdictHolds reports whether v is held, and otherwise fails t with the
// verdict's text.
func verdictHolds(t TestingT, v *steadystate.Verdict, file string) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if v.Outcome == steadystate.Held {
		return true
	}
	var b strings.Builder
	if file != "" {
		b.WriteString(file + ": ")
	}
	fmt.Fprintf(&b, "hypothesis %s does not hold: the verdict is %s\n\n", hypName(v.Hypothesis), v.Outcome)
	if err := v.WriteText(&b); err != nil {
		fmt.Fprintf(&b, "(writing the verdict: %v)\n", err)
	}
	t.Errorf("chaosstattest: %s", b.String())
	return false
}

func hypName(h steadystate.Hypothesis) string {
	if h.Name == "" {
		return "(unnamed)"
	}
	return fmt.Sprintf("%q", h.Name)
}

// SplitValid replays an A/A test on pre-experiment data of the two groups
// (compare.AA, called as AA(experiment, control, opts) with opts.Planned set
// to window) and reports whether the split is compare.Valid at the window
// length the experiment will be judged at. An Invalid split (its comparisons
// find more differences than alpha allows, or for counts a sample-ratio
// mismatch) fails the test, and so does TooFewWindows: a split that has not
// been shown sound is not valid. The failure message is the replay's table,
// one line per window length with its false positives, their rate and
// interval, and its status, then the recommended window, the reason the
// planned length failed, and the replay's warnings.
//
// opts is as for compare.AA (the zero value replays a two-sided Mann-Whitney
// test at alpha 0.05; set Counts and Ratio for counts such as downloads).
// Its Planned field must be zero or equal to window. Bad input (series
// without timestamps, invalid options, too little data) fails the test with
// AA's error.
func SplitValid(t TestingT, experiment, control series.Series, window time.Duration, opts compare.AAOptions) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if opts.Planned != 0 && opts.Planned != window {
		t.Errorf("chaosstattest: SplitValid: opts.Planned (%s) differs from the window asked about (%s); leave it zero",
			compare.ShortDuration(opts.Planned), compare.ShortDuration(window))
		return false
	}
	opts.Planned = window
	r, err := compare.AA(experiment, control, opts)
	if err != nil {
		t.Errorf("chaosstattest: cannot replay the A/A test: %v", err)
		return false
	}
	w, ok := r.Length(window)
	if !ok {
		// AA adds the planned length to the candidates, so this means a
		// change in AA, not in the data.
		t.Errorf("chaosstattest: the A/A replay has no result at the window %s", compare.ShortDuration(window))
		return false
	}
	if w.Status == compare.Valid {
		return true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "the split is not valid at %s: %s\n\nA/A replay (%s at alpha %g per window):\n", compare.ShortDuration(window), w.Status, r.Test, r.Alpha)
	b.WriteString(r.String())
	if r.SRM != nil {
		fmt.Fprintf(&b, "sample ratio: %v\n", r.SRM)
	}
	for _, e := range r.Warnings {
		fmt.Fprintf(&b, "warning: %v\n", e)
	}
	t.Errorf("chaosstattest: %s", b.String())
	return false
}

// RequireSplitValid is SplitValid followed by t.FailNow() when it fails.
func RequireSplitValid(t RequireT, experiment, control series.Series, window time.Duration, opts compare.AAOptions) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !SplitValid(t, experiment, control, window, opts) {
		t.FailNow()
	}
}

// MeetsCriteria measures the candidate steady-state metric against the
// satisfaction series on the three criteria (criteria.Evaluate:
// it correlates with satisfaction, it is available in real time, it is
// complete to measure) and reports whether it passes all three. A failure
// prints the criteria table as criteria.Report.WriteTable does: the
// metric's row with PASS or FAIL and the figure behind each criterion, the
// thresholds, and the metric's warnings.
//
// now is the query time the data latency is measured at; the zero time
// leaves latency unjudged. opts are the thresholds (the zero value means
// criteria.DefaultOptions). Too little data
// (criteria.ErrNoData) or a series that cannot be measured fails
// the test with the error: no data is never a pass.
func MeetsCriteria(t TestingT, metric criteria.Candidate, satisfaction series.Series, now time.Time, opts criteria.Options) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	rep, err := criteria.EvaluateAll(satisfaction, []criteria.Candidate{metric}, now, opts)
	if err != nil {
		t.Errorf("chaosstattest: cannot measure the criteria of %s: %v", metric.Name, err)
		return false
	}
	if rep.Pass() {
		return true
	}
	var failed []string
	for _, r := range rep.Metrics {
		if !r.Correlation.Pass {
			failed = append(failed, "correlation")
		}
		if !r.RealTime.Pass {
			failed = append(failed, "real-time")
		}
		if !r.Measurability.Pass {
			failed = append(failed, "measurability")
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "metric %s does not meet the criteria", metric.Name)
	if len(failed) > 0 {
		fmt.Fprintf(&b, ": it fails %s", strings.Join(failed, ", "))
	}
	b.WriteString("\n\n")
	if err := rep.WriteTable(&b); err != nil {
		fmt.Fprintf(&b, "(writing the criteria: %v)\n", err)
	}
	t.Errorf("chaosstattest: %s", b.String())
	return false
}

// RequireMeetsCriteria is MeetsCriteria followed by t.FailNow() when it
// fails.
func RequireMeetsCriteria(t RequireT, metric criteria.Candidate, satisfaction series.Series, now time.Time, opts criteria.Options) {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !MeetsCriteria(t, metric, satisfaction, now, opts) {
		t.FailNow()
	}
}
