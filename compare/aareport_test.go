package compare_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
)

// goldenStdout returns the stdout that the golden file
// cmd/chaosstat/testdata/golden/NAME.golden records for `chaosstat`: the
// bytes a report must write to be the command's output.
func goldenStdout(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../cmd/chaosstat/testdata/golden/" + name + ".golden")
	if err != nil {
		t.Fatal(err)
	}
	_, out, ok := strings.Cut(string(b), "-- stdout --\n")
	out, _, ok2 := strings.Cut(out, "-- stderr --\n")
	if !ok || !ok2 {
		t.Fatalf("%s.golden has no stdout section", name)
	}
	return out
}

// report is what the library's reports have in common.
type report interface {
	WriteText(w io.Writer) error
	WriteJSON(w io.Writer) error
}

// checkGolden checks that rep writes the stdout of the golden file, in
// JSON or as text.
func checkGolden(t *testing.T, golden string, rep report, json bool) {
	t.Helper()
	var b bytes.Buffer
	write := rep.WriteText
	if json {
		write = rep.WriteJSON
	}
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	if want := goldenStdout(t, golden); b.String() != want {
		t.Errorf("got:\n%s\nwant (%s.golden):\n%s", b.String(), golden, want)
	}
}

// aaGroups reads the two groups of a variant of testdata/aa (gen.go there
// made them; README.md says what each is), named as the golden files of
// cmd/chaosstat name them.
func aaGroups(t *testing.T, variant string) (experiment, control compare.Group) {
	t.Helper()
	experiment = readGroup(t, "testdata/aa/"+variant+"_experiment.csv")
	control = readGroup(t, "testdata/aa/"+variant+"_control.csv")
	experiment.Name = "../../compare/testdata/aa/" + variant + "_experiment.csv"
	control.Name = "../../compare/testdata/aa/" + variant + "_control.csv"
	return experiment, control
}

// TestAAReportOutput checks that RunAA and the report's writers give the
// bytes `chaosstat aa` printed for the same data and flags (the golden
// file's command line, in the comment of each case).
func TestAAReportOutput(t *testing.T) {
	for _, c := range []struct {
		golden, variant string
		test            compare.Test
		opts            compare.AAOptions
		json            bool
	}{
		// --test welch --alpha 0.01 --windows 30m,6h
		{"aa_welch_alpha_text", "clean", compare.Test{Name: "welch"},
			compare.AAOptions{Windows: []time.Duration{30 * time.Minute, 6 * time.Hour}, Planned: 30 * time.Minute, Alpha: 0.01}, false},
		// --windows 1h,12h --window 2h --format json
		{"aa_windows_no_counts_json", "wandering", compare.Test{},
			compare.AAOptions{Windows: []time.Duration{time.Hour, 12 * time.Hour}, Planned: 2 * time.Hour}, true},
	} {
		t.Run(c.golden, func(t *testing.T) {
			e, ctl := aaGroups(t, c.variant)
			rep, err := compare.RunAA(e, ctl, c.test, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.golden, rep, c.json)
		})
	}
}

// TestAAReportRecommendation checks the recommendation against the golden
// files' "recommended window" lines for the branches the data reach, and
// hand-made results for the others (the expected words are the report's,
// the numbers the inputs').
func TestAAReportRecommendation(t *testing.T) {
	e, ctl := aaGroups(t, "mismatch")
	// aa_mismatch_text: --counts --ratio 2:2, every length invalid.
	mismatch, err := compare.RunAA(e, ctl, compare.Test{}, compare.AAOptions{
		Windows: []time.Duration{30 * time.Minute}, Planned: 30 * time.Minute, Counts: true, Ratio: compare.Ratio{Control: 2, Experiment: 2}})
	if err != nil {
		t.Fatal(err)
	}
	length := func(d time.Duration, s compare.AAStatus, mde float64) compare.AAWindow {
		return compare.AAWindow{Length: d, Status: s, MDE: mde}
	}
	result := func(planned, recommended time.Duration, ls ...compare.AAWindow) compare.AAReport {
		return compare.AAReport{Result: compare.AAResult{Planned: planned, Recommended: recommended, Lengths: ls}}
	}
	h, m30 := time.Hour, 30*time.Minute
	for _, c := range []struct {
		name   string
		report compare.AAReport
		want   string
	}{
		{"a mismatch: fix it first (aa_mismatch_text)", mismatch,
			"recommended window: none of the lengths tried is valid: fix the sample-ratio mismatch first"},
		{"none valid: what the planned length can detect (aa_wandering_24h_nocounts_text)",
			result(24*h, 0, length(24*h, compare.TooFewWindows, 0.0464)),
			"recommended window: none of the lengths tried is valid; at the planned 24h nothing under 4.64% is detectable"},
		{"none valid, no MDE", result(m30, 0, length(m30, compare.Invalid, math.NaN())),
			"recommended window: none of the lengths tried is valid"},
		{"the planned length is recommended (aa_wandering4w_24h_json's text)", result(24*h, 24*h, length(24*h, compare.Valid, 0.0464)),
			"recommended window: 24h, the shortest valid length; at 24h a drop of 4.64% is detectable (80% power)"},
		{"a shorter one than planned, the planned valid too (aa_clean_text)",
			result(m30, 5*time.Minute, length(5*time.Minute, compare.Valid, 0.14), length(m30, compare.Valid, 0.0476)),
			"recommended window: 5m, the shortest valid length; at 5m a drop of 14% is detectable (80% power); at the planned 30m nothing under 4.76% is"},
		{"a longer one, the planned invalid (aa_wandering_text)",
			result(m30, 24*h, length(m30, compare.Invalid, 0.306), length(24*h, compare.Valid, 0.0464)),
			"recommended window: 24h, the shortest valid length; at 24h a drop of 4.64% is detectable (80% power); at the planned 30m nothing under 30.6% is, and the comparison is invalid there"},
		{"the recommended length detects no drop", result(h, h, length(h, compare.Valid, 1)),
			"recommended window: 1h, the shortest valid length; at 1h not even a 95% drop is detectable"},
		{"the recommended length has no MDE", result(h, h, length(h, compare.Valid, math.NaN())),
			"recommended window: 1h, the shortest valid length"},
	} {
		if got := c.report.Recommendation(); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestAAReportWarnings checks the order of the warnings: the result's (the
// planned length's) first, then each other length's.
func TestAAReportWarnings(t *testing.T) {
	w := func(s string) []error { return []error{errors.New(s)} }
	rep := compare.AAReport{Result: compare.AAResult{
		Planned:  time.Hour,
		Warnings: w("planned"),
		Lengths: []compare.AAWindow{
			{Length: 30 * time.Minute, Warnings: w("30m")},
			{Length: time.Hour, Warnings: w("planned")},
			{Length: 2 * time.Hour, Warnings: w("2h")},
		},
	}}
	var got []string
	for _, e := range rep.Warnings() {
		got = append(got, e.Error())
	}
	if strings.Join(got, ",") != "planned,30m,2h" {
		t.Errorf("warnings %v, want [planned 30m 2h]: the planned length's once, from the result", got)
	}
}

// TestRunAAErrors checks that the test is given once, and that AA's
// sentinel errors come through.
func TestRunAAErrors(t *testing.T) {
	e, ctl := aaGroups(t, "health")
	if _, err := compare.RunAA(e, ctl, compare.Test{}, compare.AAOptions{Test: compare.WelchT}); err == nil {
		t.Error("RunAA with AAOptions.Test set: no error")
	}
	if _, err := compare.RunAA(e, ctl, compare.Test{Name: "student"}, compare.AAOptions{}); err == nil {
		t.Error("RunAA with an unknown test: no error")
	}
	short := e
	short.Series = short.Series.Window(short.Series.T[0], short.Series.T[0]+1)
	if _, err := compare.RunAA(short, ctl, compare.Test{}, compare.AAOptions{}); !errors.Is(err, compare.ErrTooShort) {
		t.Errorf("one shared point: %v, want ErrTooShort", err)
	}
}

// TestHealthReportOutput checks RunHealth and the report's writers against
// the golden files of `chaosstat aa --health`.
func TestHealthReportOutput(t *testing.T) {
	for _, c := range []struct {
		golden, experiment string
		ratio              compare.Ratio
		json, healthy      bool
	}{
		// --health --ratio 2:2
		{"aa_health_text", "health", compare.Ratio{Control: 2, Experiment: 2}, false, true},
		// --health --format json: the experiment lost its traffic for 30 minutes
		{"aa_health_outage_json", "health_outage", compare.Ratio{}, true, false},
	} {
		t.Run(c.golden, func(t *testing.T) {
			e := readGroup(t, "testdata/aa/"+c.experiment+"_experiment.csv")
			e.Name = "../../compare/testdata/aa/" + c.experiment + "_experiment.csv"
			_, ctl := aaGroups(t, "health")
			rep, err := compare.RunHealth(e, ctl, 30*time.Minute, c.ratio, 0)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Healthy() != c.healthy {
				t.Errorf("healthy %v, want %v", rep.Healthy(), c.healthy)
			}
			checkGolden(t, c.golden, rep, c.json)
		})
	}
}

// TestFormatMDE checks the MDE column of aa_wandering_text.golden (">95%",
// "30.6%") and a length without one.
func TestFormatMDE(t *testing.T) {
	for x, want := range map[float64]string{1: ">95%", 0.306: "30.6%", 0.0464: "4.64%", math.NaN(): "-"} {
		if got := compare.FormatMDE(x); got != want {
			t.Errorf("FormatMDE(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestRatioText checks that a Ratio reads and writes itself as --ratio
// does (aa_bad_ratio.golden: "2" is not a ratio).
func TestRatioText(t *testing.T) {
	var r compare.Ratio
	if err := r.UnmarshalText([]byte("2:2")); err != nil || r != (compare.Ratio{Control: 2, Experiment: 2}) {
		t.Errorf("UnmarshalText(2:2) = %v, %v", r, err)
	}
	if b, _ := r.MarshalText(); string(b) != "2:2" {
		t.Errorf("MarshalText = %s, want 2:2", b)
	}
	if err := r.UnmarshalText([]byte("2")); err == nil || r.Control != 2 {
		t.Errorf("UnmarshalText(2) = %v, %v: want an error and the ratio unchanged", r, err)
	}
}
