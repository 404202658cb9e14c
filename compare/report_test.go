package compare_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
	"github.com/chaosstat/chaosstat/series"
)

// The published vectors of cmd/chaosstat/testdata/males.csv and
// females.csv (scipy 1.10 mannwhitneyu(males, females, method='exact'):
// U = 17, p = 0.1111111111111111).
var (
	males   = compare.Group{Name: "testdata/males.csv", Series: series.Series{V: []float64{19, 22, 16, 29, 24}}}
	females = compare.Group{Name: "testdata/females.csv", Series: series.Series{V: []float64{20, 11, 17, 12}}}
)

// readGroup reads a series file of the repository as a group named by its
// path, as `chaosstat compare` names it.
func readGroup(t *testing.T, path string) compare.Group {
	t.Helper()
	s, err := series.ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return compare.Group{Name: path, Series: s}
}

// TestRun checks Run's decision and verdict against the golden files of
// `chaosstat compare` (cmd/chaosstat/testdata/golden/NAME.golden), which
// ran the same data with the same flags.
func TestRun(t *testing.T) {
	taxiC, taxiE := readGroup(t, "../testdata/taxi_control.csv"), readGroup(t, "../testdata/taxi_experiment.csv")
	nov13, nov20 := readGroup(t, "../testdata/taxi_2014-11-13.csv"), readGroup(t, "../testdata/taxi_2014-11-20.csv")
	exact := "Welch's t has no exact method: --method exact was ignored; use --test mannwhitney for an exact p-value"
	for _, c := range []struct {
		name, golden     string
		experiment       compare.Group
		control          compare.Group
		test             compare.Test
		opts             compare.Options
		wantTest         string
		wantAlpha        float64
		wantSignificant  bool
		wantVerdict      string
		wantWarningsLast string
	}{
		{"zero Test is Mann-Whitney", "males_females_exact_json", males, females, compare.Test{}, compare.Options{Method: compare.Exact},
			"mannwhitney", 0.05, false, "no significant difference at alpha 0.05 (p = 0.111)", ""},
		{"the request for an exact Welch is a warning", "welch_method_exact_text", males, females, compare.Test{Name: "welch"}, compare.Options{Method: compare.Exact},
			"welch", 0.05, false, "no significant difference at alpha 0.05 (p = 0.0568)", exact},
		{"the sign of U - n1n2/2 says lower", "taxi_confidence_99_text", taxiE, taxiC, compare.DefaultTest, compare.Options{Confidence: 0.99},
			"mannwhitney", 0.01, true, "experiment is lower than control: p = 1.7e-05 < alpha 0.01", ""},
		{"the sign of t says lower", "taxi_welch_text", taxiE, taxiC, compare.Tests[1], compare.Options{},
			"welch", 0.05, true, "experiment is lower than control: p = 2.6e-12 < alpha 0.05", ""},
		{"one-sided less says lower", "taxi_less_text", taxiE, taxiC, compare.Test{}, compare.Options{Alternative: compare.Less},
			"mannwhitney", 0.05, true, "experiment is lower than control: p = 8.5e-06 < alpha 0.05", ""},
		{"greater, not significant", "taxi_greater_welch_text", taxiE, taxiC, compare.Test{Name: "welch"}, compare.Options{Alternative: compare.Greater},
			"welch", 0.05, false, "experiment is not significantly higher than control at alpha 0.05 (p = 1)", ""},
		{"Kolmogorov-Smirnov has no direction", "taxi_ks_text", taxiE, taxiC, compare.Test{Name: "ks"}, compare.Options{},
			"ks", 0.05, true, "experiment's distribution differs from control's: p = 6.8e-07 < alpha 0.05", ""},
		{"Kolmogorov-Smirnov, not significant", "thursdays_ks_text", nov20, nov13, compare.Test{Name: "ks"}, compare.Options{},
			"ks", 0.05, false, "no significant difference at alpha 0.05 (p = 0.536)", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep, err := compare.Run(c.experiment, c.control, c.test, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Test.Name != c.wantTest || rep.Result.Test != c.wantTest {
				t.Errorf("test %q (result %q), want %q", rep.Test.Name, rep.Result.Test, c.wantTest)
			}
			if rep.Alpha != c.wantAlpha || rep.Significant != c.wantSignificant {
				t.Errorf("alpha %v significant %v, want %v %v (%s)", rep.Alpha, rep.Significant, c.wantAlpha, c.wantSignificant, c.golden)
			}
			if got := rep.Verdict(); got != c.wantVerdict {
				t.Errorf("verdict %q, want %q (%s)", got, c.wantVerdict, c.golden)
			}
			last := ""
			if n := len(rep.Warnings); n > 0 {
				last = rep.Warnings[n-1].Error()
			}
			if last != c.wantWarningsLast {
				t.Errorf("last warning %q, want %q", last, c.wantWarningsLast)
			}
		})
	}
}

// TestRunErrors checks that Run returns the tests' sentinel errors, on
// which the CLI decides exit 3, and rejects an unknown test.
func TestRunErrors(t *testing.T) {
	none := compare.Group{Name: "none", Series: series.Series{V: []float64{math.NaN(), math.NaN()}}}
	flat := compare.Group{Name: "flat", Series: series.Series{V: []float64{3, 3, 3}}}
	for _, c := range []struct {
		name                 string
		experiment, control  compare.Group
		test                 compare.Test
		want                 error
		wantMessageContained string
	}{
		{"no value left: too few", none, females, compare.Test{}, compare.ErrSampleSize, ""},
		{"both constant: Welch's t is undefined", flat, flat, compare.Test{Name: "welch"}, compare.ErrZeroVariance, ""},
		{"an unknown name", males, females, compare.Test{Name: "student"}, nil, `unknown test "student"`},
	} {
		_, err := compare.Run(c.experiment, c.control, c.test, compare.Options{})
		switch {
		case err == nil:
			t.Errorf("%s: no error", c.name)
		case c.want != nil && !errors.Is(err, c.want):
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		case !strings.Contains(err.Error(), c.wantMessageContained):
			t.Errorf("%s: %v, want it to say %q", c.name, err, c.wantMessageContained)
		}
	}
}

// TestReportWriteText checks the whole text of two reports against the
// stdout of their golden files.
func TestReportWriteText(t *testing.T) {
	taxiC, taxiE := readGroup(t, "../testdata/taxi_control.csv"), readGroup(t, "../testdata/taxi_experiment.csv")
	gaps := readGroup(t, "../cmd/chaosstat/testdata/thanksgiving_gaps.csv")
	for _, c := range []struct {
		name, golden        string
		experiment, control compare.Group
		test                compare.Test
		opts                compare.Options
		want                string
	}{
		{"welch", "welch_method_exact_text", males, females, compare.Test{Name: "welch"}, compare.Options{Method: compare.Exact}, `experiment  testdata/males.csv    n = 5
control     testdata/females.csv  n = 4
test        Welch's t, two-sided, asymptotic p-value
statistic   t = 2.2831, df = 6.929
p-value     0.0568
shift       7 [-0.26492, 14.265] at 95% confidence (experiment - control in the data's units, difference in means)
verdict     no significant difference at alpha 0.05 (p = 0.0568)
warnings    Welch's t has no exact method: --method exact was ignored; use --test mannwhitney for an exact p-value
`},
		{"ks", "taxi_ks_text", taxiE, taxiC, compare.Test{Name: "ks"}, compare.Options{}, `experiment  ../testdata/taxi_experiment.csv  n = 12
control     ../testdata/taxi_control.csv     n = 48
test        Kolmogorov-Smirnov, two-sided, exact p-value
statistic   D = 0.8125
p-value     6.8e-07
shift       -3841 [-4559, -2719] at 95% confidence (experiment - control in the data's units, Hodges-Lehmann, exact interval)
verdict     experiment's distribution differs from control's: p = 6.8e-07 < alpha 0.05
`},
		{"missing values counted", "missing_values_text", gaps, taxiC, compare.Test{}, compare.Options{}, `experiment  ../cmd/chaosstat/testdata/thanksgiving_gaps.csv  n = 9 (3 missing)
control     ../testdata/taxi_control.csv                     n = 48
test        Mann-Whitney U, two-sided, exact p-value
statistic   U = 53
p-value     0.00012
shift       -3943.5 [-4708, -2686] at 95% confidence (experiment - control in the data's units, Hodges-Lehmann, exact interval)
verdict     experiment is lower than control: p = 0.00012 < alpha 0.05
warnings    3 of 12 experiment values are missing (NaN) and were left out; check the data source for gaps
`},
	} {
		rep, err := compare.Run(c.experiment, c.control, c.test, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := rep.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s: WriteText:\n%s\nwant (%s.golden, names relative to compare/):\n%s", c.name, b.String(), c.golden, c.want)
		}
	}
}

// TestReportWriteJSON checks the JSON document against the golden file
// males_females_exact_json, whose numbers are scipy 1.10's (U = 17,
// p = 0.1111111111111111) and R 4.2.2's wilcox.test(conf.int=TRUE)
// (estimate 7, [-1, 17]).
func TestReportWriteJSON(t *testing.T) {
	rep, err := compare.Run(males, females, compare.Test{}, compare.Options{Method: compare.Exact})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	want := `{
  "test": "mannwhitney",
  "method": "exact",
  "alternative": "two-sided",
  "statistic": 17,
  "df": null,
  "p_value": 0.1111111111111111,
  "alpha": 0.05,
  "significant": false,
  "n_experiment": 5,
  "n_control": 4,
  "shift": {
    "estimate": 7,
    "low": -1,
    "high": 17,
    "confidence": 0.95
  },
  "warnings": []
}
`
	if b.String() != want {
		t.Errorf("WriteJSON:\n%s\nwant:\n%s", b.String(), want)
	}
	approx.Close(t, "p", rep.Result.P, 1.0/9, 1e-12, 0) // scipy: 0.1111111111111111 = 1/9
}

// TestParseTest checks the names --test accepts and the message of any
// other.
func TestParseTest(t *testing.T) {
	for _, c := range []struct{ name, title, symbol string }{
		{"mannwhitney", "Mann-Whitney U", "U"},
		{"welch", "Welch's t", "t"},
		{"ks", "Kolmogorov-Smirnov", "D"},
	} {
		got, err := compare.ParseTest(c.name)
		if err != nil || got.Name != c.name || got.Title != c.title || got.Symbol != c.symbol || got.Func == nil {
			t.Errorf("ParseTest(%q) = %+v, %v", c.name, got, err)
		}
		if got.String() != c.name {
			t.Errorf("String() = %q, want %q", got.String(), c.name)
		}
	}
	if compare.DefaultTest.Name != "mannwhitney" {
		t.Errorf("DefaultTest is %s, want mannwhitney", compare.DefaultTest)
	}
	_, err := compare.ParseTest("ttest")
	if want := `unknown test "ttest": want mannwhitney, welch, ks or brunnermunzel`; err == nil || err.Error() != want {
		t.Errorf("ParseTest(ttest) error %v, want %q", err, want)
	}
}

// TestReportNotComputedShift checks the text of a result without a shift
// (Options.NoShift) and that df is null in JSON for a test other than
// Welch.
func TestReportNotComputedShift(t *testing.T) {
	rep, err := compare.Run(males, females, compare.Test{}, compare.Options{NoShift: true})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(rep.Result.Shift.Estimate) {
		t.Fatalf("shift %v with NoShift", rep.Result.Shift)
	}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\nshift       not computed\n") {
		t.Errorf("no 'not computed' shift line in\n%s", b.String())
	}
}
