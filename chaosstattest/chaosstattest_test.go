package chaosstattest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"

	"github.com/chaosstat/chaosstat/chaosstattest"
	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
)

// fakeT records what an assertion does to its test: the messages of its
// Errorf calls, its FailNow calls and its Helper calls. Unlike a real
// testing.T it lets a test look at a failure without failing.
//
// It also checks what testing.T's Helper is for, that a failure is reported
// at the test's line: Helper marks the function that calls it, so at each
// Errorf every function of package chaosstattest on the stack must have
// called Helper; those that did not are listed in unmarked.
type fakeT struct {
	errors   []string
	failNow  int
	helper   int
	marked   map[string]bool
	unmarked []string
}

func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
	for _, fn := range callers(2) {
		if inPackage(fn) && !f.marked[fn] {
			f.unmarked = append(f.unmarked, fn)
		}
	}
}

func (f *fakeT) FailNow() { f.failNow++ }

func (f *fakeT) Helper() {
	f.helper++
	if f.marked == nil {
		f.marked = map[string]bool{}
	}
	f.marked[callers(2)[0]] = true
}

// callers returns the functions on the stack, skip frames up.
func callers(skip int) []string {
	pc := make([]uintptr, 64)
	n := runtime.Callers(skip+1, pc)
	frames := runtime.CallersFrames(pc[:n])
	var fns []string
	for {
		fr, more := frames.Next()
		fns = append(fns, fr.Function)
		if !more {
			return fns
		}
	}
}

// inPackage reports whether fn is a function of package chaosstattest
// itself (not of its tests).
func inPackage(fn string) bool {
	return strings.HasPrefix(fn, "github.com/chaosstat/chaosstat/chaosstattest.")
}

// checkHelpers fails the test when a failure would have been reported inside
// chaosstattest rather than at the caller's line.
func (f *fakeT) checkHelpers(t *testing.T) {
	t.Helper()
	if len(f.unmarked) > 0 {
		t.Errorf("functions that reached Errorf without calling Helper, so a failure would point into them: %q", f.unmarked)
	}
}

// message is the one failure message, or a test error when there is not
// exactly one. It checks the helpers too.
func (f *fakeT) message(t *testing.T) string {
	t.Helper()
	f.checkHelpers(t)
	if len(f.errors) != 1 {
		t.Fatalf("got %d Errorf calls, want 1: %q", len(f.errors), f.errors)
	}
	return f.errors[0]
}

// errorfOnly has Errorf and nothing else, like the narrowest assert.TestingT.
type errorfOnly struct{ errors []string }

func (e *errorfOnly) Errorf(format string, args ...any) {
	e.errors = append(e.errors, fmt.Sprintf(format, args...))
}

// The interfaces have testify's method sets: a value of one converts to the
// other, so anything testify accepts, chaosstattest accepts.
var (
	_ chaosstattest.TestingT = assert.TestingT(nil)
	_ assert.TestingT        = chaosstattest.TestingT(nil)
	_ chaosstattest.RequireT = require.TestingT(nil)
	_ require.TestingT       = chaosstattest.RequireT(nil)
)

// containsAll checks that msg holds each of want.
func containsAll(t *testing.T, msg string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q:\n%s", w, msg)
		}
	}
}

// hasRow checks that msg has a table line whose first cell is first and
// that holds each of cells after it, in that order.
func hasRow(t *testing.T, msg, first string, cells ...string) {
	t.Helper()
	parts := []string{"(?m)^" + regexp.QuoteMeta(first) + `\s`}
	for _, c := range cells {
		parts = append(parts, regexp.QuoteMeta(c))
	}
	re := regexp.MustCompile(strings.Join(parts, `[^\n]*?`))
	if !re.MatchString(msg) {
		t.Errorf("no table row %q with %q in:\n%s", first, cells, msg)
	}
}

// hypothesis is the instance-loss hypothesis the tests judge: downloads must
// not drop by more than 5%, availability by more than 0.1% (critical).
var hypothesis = steadystate.Hypothesis{
	Name: "instance-loss",
	Metrics: []steadystate.Metric{
		{Name: "downloads", Kind: steadystate.Business, Unit: "downloads/min", Direction: steadystate.Decrease, Tolerance: 0.05},
		{Name: "availability", Kind: steadystate.System, Direction: steadystate.Decrease, Tolerance: 0.001, Critical: true},
	},
}

func (r run) data() []steadystate.Data {
	return []steadystate.Data{
		{Control: r.downloadsC, Experiment: r.downloadsE},
		{Control: r.availabilityC, Experiment: r.availabilityE},
	}
}

func TestHypothesisHolds(t *testing.T) {
	f := &fakeT{}
	if !chaosstattest.HypothesisHolds(f, hypothesis, makeRun(1, 1).data()...) {
		t.Errorf("a fault that moved nothing: not held: %q", f.errors)
	}
	if len(f.errors) != 0 || f.failNow != 0 {
		t.Errorf("a passing assertion reported %q and called FailNow %d times", f.errors, f.failNow)
	}
	if f.helper == 0 {
		t.Error("Helper was not called: a failure would point into chaosstattest")
	}
}

// The deliberately disproved hypothesis: the experiment group lost a fifth of
// its downloads (makeRun's factor 0.8). The failure message must be the
// verdict with its table, not just "false".
func TestHypothesisHoldsDisproved(t *testing.T) {
	f := &fakeT{}
	if chaosstattest.HypothesisHolds(f, hypothesis, makeRun(1, 0.8).data()...) {
		t.Fatal("downloads 20% down: held")
	}
	if f.failNow != 0 {
		t.Errorf("the assert-style assertion called FailNow")
	}
	msg := f.message(t)
	containsAll(t, msg,
		`hypothesis "instance-loss" does not hold: the verdict is disproved`,
		"verdict     disproved",
		"score       0.5",
		"downloads: low: significantly lower",
		"availability: pass",
	)
	// The table: its header and a row per metric, with the classification.
	hasRow(t, msg, "metric", "kind", "test", "n ctl+exp", "effect (experiment - control)", "relative", "p", "adj. p", "result")
	hasRow(t, msg, "downloads", "business", "timeseries", "120+120", "downloads/min", "low")
	hasRow(t, msg, "availability", "system", "timeseries", "120+120", "pass (critical)")
	// The relative effect is the 20% cut that was made, give or take the
	// noise of two AR(1) series of sd 1.4% about their level.
	if !regexp.MustCompile(`(?m)^downloads\s.*\s-(19|20|21)\.\d% \[`).MatchString(msg) {
		t.Errorf("the downloads row does not show a drop of about 20%%:\n%s", msg)
	}
}

// A metric without data makes the verdict inconclusive, which is not held:
// no data is never a pass.
func TestHypothesisHoldsNoData(t *testing.T) {
	f := &fakeT{}
	d := makeRun(1, 1).data()
	d[0].Experiment = series.Series{}
	if chaosstattest.HypothesisHolds(f, hypothesis, d...) {
		t.Fatal("no downloads in the experiment group: held")
	}
	msg := f.message(t)
	containsAll(t, msg, "the verdict is inconclusive", "verdict     inconclusive")
	hasRow(t, msg, "downloads", "business", "-", "120+0", "nodata")
}

func TestHypothesisHoldsBadInput(t *testing.T) {
	for _, c := range []struct {
		name, reason string
		h            steadystate.Hypothesis
		data         []steadystate.Data
		want         string
	}{
		{"one data set for two metrics", "Judge needs one Data per metric, and says so",
			hypothesis, makeRun(1, 1).data()[:1], "cannot judge hypothesis \"instance-loss\""},
		{"invalid hypothesis", "a negative tolerance is a FieldError naming the field",
			steadystate.Hypothesis{Name: "x", Metrics: []steadystate.Metric{{Name: "m", Tolerance: -1}}},
			makeRun(1, 1).data()[:1], "metrics[0].tolerance"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeT{}
			if chaosstattest.HypothesisHolds(f, c.h, c.data...) {
				t.Fatalf("held on bad input (%s)", c.reason)
			}
			containsAll(t, f.message(t), c.want)
		})
	}
}

func TestRequireHypothesisHolds(t *testing.T) {
	f := &fakeT{}
	chaosstattest.RequireHypothesisHolds(f, hypothesis, makeRun(1, 1).data()...)
	if f.failNow != 0 || len(f.errors) != 0 {
		t.Errorf("held: FailNow %d, errors %q", f.failNow, f.errors)
	}
	f = &fakeT{}
	chaosstattest.RequireHypothesisHolds(f, hypothesis, makeRun(1, 0.8).data()...)
	if f.failNow != 1 {
		t.Errorf("disproved: FailNow called %d times, want 1", f.failNow)
	}
	hasRow(t, f.message(t), "downloads", "business", "timeseries", "low")
}

// writeCSV writes s to dir/name.
func writeCSV(t *testing.T, dir, name string, s series.Series) {
	t.Helper()
	fh, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := series.WriteCSV(fh, s); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
}

const hypothesisYAML = `name: instance-loss
metrics:
  - name: downloads
    kind: business
    unit: downloads/min
    control: data/downloads-control.csv
    experiment: data/downloads-experiment.csv
    direction: decrease
    tolerance: 0.05
  - name: availability
    kind: system
    control: data/availability-control.csv
    experiment: data/availability-experiment.csv
    direction: decrease
    tolerance: 0.001
    critical: true
`

// writeRun writes the hypothesis file and r's four series to a new
// directory and returns the hypothesis file's path.
func writeRun(t *testing.T, r run, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeCSV(t, dir, "data/downloads-control.csv", r.downloadsC)
	writeCSV(t, dir, "data/downloads-experiment.csv", r.downloadsE)
	writeCSV(t, dir, "data/availability-control.csv", r.availabilityC)
	writeCSV(t, dir, "data/availability-experiment.csv", r.availabilityE)
	path := filepath.Join(dir, "hypothesis.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHypothesisFileHolds(t *testing.T) {
	path := writeRun(t, makeRun(1, 1), hypothesisYAML)
	f := &fakeT{}
	if !chaosstattest.HypothesisFileHolds(f, path) {
		t.Fatalf("a fault that moved nothing: not held: %q", f.errors)
	}
	if f.helper == 0 {
		t.Error("Helper was not called")
	}

	// The file reads the same data as the Go hypothesis above, so the
	// verdicts agree, the file's in every figure.
	plan, data, err := chaosstattest.LoadHypothesis(path)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := steadystate.Judge(plan.Hypothesis, data)
	if err != nil {
		t.Fatal(err)
	}
	inGo, err := steadystate.Judge(hypothesis, makeRun(1, 1).data())
	if err != nil {
		t.Fatal(err)
	}
	var a, b strings.Builder
	if err := fromFile.WriteText(&a); err != nil {
		t.Fatal(err)
	}
	if err := inGo.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("the file's verdict:\n%s\ndiffers from the Go hypothesis's:\n%s", a.String(), b.String())
	}
}

func TestHypothesisFileHoldsDisproved(t *testing.T) {
	path := writeRun(t, makeRun(1, 0.8), hypothesisYAML)
	f := &fakeT{}
	if chaosstattest.HypothesisFileHolds(f, path) {
		t.Fatal("downloads 20% down: held")
	}
	msg := f.message(t)
	containsAll(t, msg, path+`: hypothesis "instance-loss" does not hold: the verdict is disproved`, "verdict     disproved")
	hasRow(t, msg, "downloads", "business", "timeseries", "120+120", "low")
	hasRow(t, msg, "availability", "system", "timeseries", "120+120", "pass (critical)")

	f = &fakeT{}
	chaosstattest.RequireHypothesisFileHolds(f, path)
	if f.failNow != 1 || len(f.errors) != 1 {
		t.Errorf("Require: FailNow %d times and %d errors, want 1 and 1", f.failNow, len(f.errors))
	}
}

func TestHypothesisFileHoldsBadInput(t *testing.T) {
	for _, c := range []struct {
		name, reason string
		// edit turns the hypothesis file into the bad one, or its
		// directory's data; it returns the path to assert on.
		edit func(t *testing.T, path string) string
		want []string
	}{
		{"missing file", "os.ReadFile's error names the path",
			func(t *testing.T, path string) string { return path + ".missing" },
			[]string{"hypothesis.yaml.missing", "no such file"}},
		{"misspelt key", "ParseHypothesis names the line and field, with a suggestion",
			func(t *testing.T, path string) string {
				rewrite(t, path, "    tolerance: 0.05\n", "    tolerence: 0.05\n")
				return path
			},
			[]string{"hypothesis.yaml:9: metrics[0]", `unknown field "tolerence"`, `did you mean "tolerance"`}},
		{"missing data file", "the source's line and field, then the file",
			func(t *testing.T, path string) string {
				if err := os.Remove(filepath.Join(filepath.Dir(path), "data", "downloads-experiment.csv")); err != nil {
					t.Fatal(err)
				}
				return path
			},
			[]string{"hypothesis.yaml:7: metrics[0].experiment:", "downloads-experiment.csv", "no such file"}},
		{"bad CSV", "the reader's error names the data file and line",
			func(t *testing.T, path string) string {
				f := filepath.Join(filepath.Dir(path), "data", "availability-control.csv")
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, append(b, []byte("yesterday,1\n")...), 0o644); err != nil {
					t.Fatal(err)
				}
				return path
			},
			[]string{"metrics[1].control:", "availability-control.csv:122"}},
		{"PromQL source", "a test has no Prometheus to run the query on, and says what to do instead",
			func(t *testing.T, path string) string {
				rewrite(t, path, "experiment: data/downloads-experiment.csv", "experiment: {query: 'sum(rate(downloads_total[1m]))'}")
				return path
			},
			[]string{"metrics[0].experiment:", "PromQL query", "sum(rate(downloads_total[1m]))", "package prom"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := c.edit(t, writeRun(t, makeRun(1, 1), hypothesisYAML))
			f := &fakeT{}
			if chaosstattest.HypothesisFileHolds(f, path) {
				t.Fatalf("held on bad input (%s)", c.reason)
			}
			containsAll(t, f.message(t), c.want...)
		})
	}
}

// An empty data file is no data, not an error: the metric is nodata and the
// hypothesis is not held.
func TestHypothesisFileHoldsEmptyFile(t *testing.T) {
	path := writeRun(t, makeRun(1, 1), hypothesisYAML)
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "data", "downloads-experiment.csv"), []byte("timestamp,value\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &fakeT{}
	if chaosstattest.HypothesisFileHolds(f, path) {
		t.Fatal("an empty experiment file: held")
	}
	msg := f.message(t)
	containsAll(t, msg, "verdict     inconclusive")
	hasRow(t, msg, "downloads", "business", "-", "120+0", "nodata")
}

func rewrite(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// countsOpts replays the A/A test the way an experiment on 2%:2% download
// counts would: Mann-Whitney per window, with the sample-ratio checks.
var countsOpts = compare.AAOptions{Counts: true, Ratio: compare.Ratio{Control: 2, Experiment: 2}}

func TestSplitValid(t *testing.T) {
	// A day of a clean random split: 48 windows of 30 minutes, more than
	// the 27 MinAAWindows(0.05, 0.2, 0.8) needs.
	e, c := makeSplit(1, 24, 0)
	f := &fakeT{}
	if !chaosstattest.SplitValid(f, e, c, 30*time.Minute, countsOpts) {
		t.Fatalf("a clean split: not valid: %q", f.errors)
	}
	if f.helper == 0 {
		t.Error("Helper was not called")
	}
}

func TestSplitValidInvalid(t *testing.T) {
	// The share wanders by 5% (log scale) from one half hour to the next:
	// per-window comparisons see it as a difference.
	e, c := makeSplit(1, 24, 0.05)
	f := &fakeT{}
	if chaosstattest.SplitValid(f, e, c, 30*time.Minute, countsOpts) {
		t.Fatal("a wandering split: valid at 30m")
	}
	msg := f.message(t)
	containsAll(t, msg,
		"the split is not valid at 30m: invalid",
		"A/A replay (mannwhitney at alpha 0.05 per window)",
		"recommended window:",
		"sample ratio:",
	)
	// The table: one line per window length, with the planned one invalid.
	for _, d := range compare.DefaultAAWindows {
		hasRow(t, msg, compare.ShortDuration(d), "false positives")
	}
	hasRow(t, msg, "30m", "/48", "false positives", "invalid")

	f = &fakeT{}
	chaosstattest.RequireSplitValid(f, e, c, 30*time.Minute, countsOpts)
	if f.failNow != 1 {
		t.Errorf("Require: FailNow called %d times, want 1", f.failNow)
	}
}

// Two hours hold four 30-minute windows: too few to show a split sound,
// which is not valid.
func TestSplitValidTooFewWindows(t *testing.T) {
	e, c := makeSplit(1, 2, 0)
	f := &fakeT{}
	if chaosstattest.SplitValid(f, e, c, 30*time.Minute, countsOpts) {
		t.Fatal("four windows: valid")
	}
	msg := f.message(t)
	containsAll(t, msg, "the split is not valid at 30m: too-few-windows")
	hasRow(t, msg, "30m", "/4", "false positives", "too-few-windows")
}

func TestSplitValidBadInput(t *testing.T) {
	e, c := makeSplit(1, 24, 0)
	for _, tc := range []struct {
		name, reason string
		e, c         series.Series
		opts         compare.AAOptions
		want         string
	}{
		{"planned differs", "a Planned other than the window would make the assertion check another length",
			e, c, compare.AAOptions{Planned: time.Hour}, "opts.Planned (1h) differs from the window asked about (30m)"},
		{"plain samples", "A/A windows need timestamps; AA's error says so",
			series.Series{V: e.V}, series.Series{V: c.V}, compare.AAOptions{}, "cannot replay the A/A test"},
		{"bad alpha", "AA validates its options",
			e, c, compare.AAOptions{Alpha: 2}, "cannot replay the A/A test"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeT{}
			if chaosstattest.SplitValid(f, tc.e, tc.c, 30*time.Minute, tc.opts) {
				t.Fatalf("valid on bad input (%s)", tc.reason)
			}
			containsAll(t, f.message(t), tc.want)
		})
	}
}

func TestMeetsCriteria(t *testing.T) {
	sat, errs, _ := criteriaData(1)
	now := time.UnixMilli(sat.T[len(sat.T)-1]).Add(20 * time.Second)
	f := &fakeT{}
	if !chaosstattest.MeetsCriteria(f, criteria.Candidate{Name: "error_ratio", Series: errs}, sat, now, criteria.Options{}) {
		t.Fatalf("an error ratio that follows satisfaction: fails: %q", f.errors)
	}
	if f.helper == 0 {
		t.Error("Helper was not called")
	}
}

func TestMeetsCriteriaFails(t *testing.T) {
	sat, _, drift := criteriaData(1)
	now := time.UnixMilli(sat.T[len(sat.T)-1]).Add(20 * time.Second)
	f := &fakeT{}
	if chaosstattest.MeetsCriteria(f, criteria.Candidate{Name: "queue_depth", Series: drift}, sat, now, criteria.Options{}) {
		t.Fatal("a drifting queue depth: meets the criteria")
	}
	msg := f.message(t)
	containsAll(t, msg,
		"metric queue_depth does not meet the criteria: it fails correlation",
		"correlation: |spearman, or pearson on levels,| >= 0.5",
	)
	hasRow(t, msg, "metric", "correlation", "real-time", "measurability", "verdict")
	hasRow(t, msg, "queue_depth", "FAIL", "PASS every 1m", "PASS 100.0% complete", "FAIL")

	// Data older than MaxLatency fails real time, with its age in the row.
	f = &fakeT{}
	sat, errs, _ := criteriaData(1)
	late := now.Add(time.Hour)
	chaosstattest.RequireMeetsCriteria(f, criteria.Candidate{Name: "error_ratio", Series: errs}, sat, late, criteria.Options{})
	if f.failNow != 1 {
		t.Errorf("Require: FailNow called %d times, want 1", f.failNow)
	}
	msg = f.message(t)
	containsAll(t, msg, "it fails real-time")
	hasRow(t, msg, "error_ratio", "PASS", "FAIL every 1m", "old", "FAIL")
}

// Too little data is an error, never a pass.
func TestMeetsCriteriaNoData(t *testing.T) {
	sat, errs, _ := criteriaData(1)
	short := series.Series{T: errs.T[:5], V: errs.V[:5]}
	f := &fakeT{}
	if chaosstattest.MeetsCriteria(f, criteria.Candidate{Name: "error_ratio", Series: short}, sat, time.Time{}, criteria.Options{}) {
		t.Fatal("five points: meets the criteria")
	}
	containsAll(t, f.message(t), "cannot measure the criteria of error_ratio", "too few points")
}

// The narrowest TestingT, Errorf alone, is enough: no Helper, no FailNow.
func TestErrorfOnly(t *testing.T) {
	e := &errorfOnly{}
	if chaosstattest.HypothesisHolds(e, hypothesis, makeRun(1, 0.8).data()...) {
		t.Fatal("downloads 20% down: held")
	}
	if len(e.errors) != 1 || !strings.Contains(e.errors[0], "verdict     disproved") {
		t.Errorf("got %q", e.errors)
	}
}

// With a real *testing.T the assertions pass where they should, and a
// failure would be reported at the caller's line (Helper).
func TestWithTestingT(t *testing.T) {
	chaosstattest.RequireHypothesisHolds(t, hypothesis, makeRun(1, 1).data()...)
	chaosstattest.HypothesisFileHolds(t, writeRun(t, makeRun(1, 1), hypothesisYAML))
	e, c := makeSplit(1, 24, 0)
	chaosstattest.SplitValid(t, e, c, 30*time.Minute, countsOpts)
	sat, errs, _ := criteriaData(1)
	chaosstattest.MeetsCriteria(t, criteria.Candidate{Name: "error_ratio", Series: errs}, sat, time.Time{}, criteria.Options{})
}

// experimentSuite is a testify suite, the way a team that already uses
// testify would write its experiment's tests: the assertions take s.T().
type experimentSuite struct {
	suite.Suite
	run run
}

func (s *experimentSuite) SetupSuite() { s.run = makeRun(1, 1) }

func (s *experimentSuite) TestSplit() {
	e, c := makeSplit(1, 24, 0)
	chaosstattest.RequireSplitValid(s.T(), e, c, 30*time.Minute, countsOpts)
}

func (s *experimentSuite) TestCriteria() {
	sat, errs, _ := criteriaData(1)
	s.True(chaosstattest.MeetsCriteria(s.T(), criteria.Candidate{Name: "error_ratio", Series: errs}, sat, time.Time{}, criteria.Options{}))
}

func (s *experimentSuite) TestHypothesis() {
	s.True(chaosstattest.HypothesisHolds(s.T(), hypothesis, s.run.data()...))
	chaosstattest.RequireHypothesisFileHolds(s.T(), writeRun(s.T(), s.run, hypothesisYAML))
}

// A failure inside a suite: the suite's T is swapped for the recorder only
// for the assertion, so the suite itself does not fail.
func (s *experimentSuite) TestDisprovedInSuite() {
	f := &fakeT{}
	s.False(chaosstattest.HypothesisHolds(f, hypothesis, makeRun(1, 0.8).data()...))
	s.Require().Len(f.errors, 1)
	s.Contains(f.errors[0], "verdict     disproved")
	s.Regexp(`(?m)^downloads\s+business\s+timeseries\s+120\+120\s+.*\slow$`, f.errors[0])
}

func TestSuite(t *testing.T) {
	suite.Run(t, new(experimentSuite))
}
