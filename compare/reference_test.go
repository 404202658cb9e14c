package compare_test

// The conformance suite: every two-sample test against the reference
// implementations, scipy 1.10 and R 4.2.2, on the named cases of
// testdata/reference/cases.json. The expected values were produced by
// testdata/reference/gen_scipy.py (scipy.json) and gen_r.R (r.json), each
// record carrying the exact call that produced it; testdata/reference/README.md
// says how to regenerate them.
//
// Tolerances:
//   - statistics, p-values, df, Welch intervals, exact Hodges-Lehmann
//     intervals: relative 1e-9 (refTol), the accuracy we promise.
//   - p-values also pass when both are below 1e-300 (refPAtol): far-tail
//     p-values underflow to 0 or to subnormals, where the last digits mean
//     nothing (scipy's Welch p for separated_underflow_30v30 is 0).
//   - Welch t, mean difference and interval ends also pass within 1e-12
//     times the data's magnitude: a difference of two means cancels, so
//     near zero its rounding is relative to the means, not to itself.
//   - asymptotic Hodges-Lehmann bounds: R finds them with
//     uniroot(tol = 1e-4), so |ours − R| ≤ 1e-4 + 1e-9·|R| (refRootTol).

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
)

const (
	refTol     = 1e-9   // relative tolerance for every reference value
	refPAtol   = 1e-300 // p-values that underflow (see above)
	refRootTol = 1e-4   // R's uniroot tolerance in wilcox.test(conf.int = TRUE)
	refDir     = "../testdata/reference"
)

// refNum is a reference number: a JSON number, or one of the strings "NaN",
// "Inf", "-Inf" (JSON has no non-finite numbers); null (R's NA) reads as NaN.
type refNum float64

func (n *refNum) UnmarshalJSON(b []byte) error {
	s := string(b)
	switch s {
	case `"NaN"`, "null":
		*n = refNum(math.NaN())
	case `"Inf"`:
		*n = refNum(math.Inf(1))
	case `"-Inf"`:
		*n = refNum(math.Inf(-1))
	default:
		var f float64
		if err := json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("reference number %s: %w", s, err)
		}
		*n = refNum(f)
	}
	return nil
}

func (n refNum) f() float64 { return float64(n) }

func (n refNum) finite() bool { return !math.IsNaN(float64(n)) && !math.IsInf(float64(n), 0) }

type refCase struct {
	Name       string    `json:"name"`
	Reason     string    `json:"reason"`
	Experiment []float64 `json:"experiment"`
	Control    []float64 `json:"control"`
}

type refScipyRecord struct {
	Case          string   `json:"case"`
	Test          string   `json:"test"`
	Alternative   string   `json:"alternative"`
	Method        string   `json:"method"`
	MethodUsed    string   `json:"method_used"`
	Call          string   `json:"call"`
	Statistic     refNum   `json:"statistic"`
	PValue        refNum   `json:"pvalue"`
	DF            *refNum  `json:"df"`
	ScipyWarnings []string `json:"scipy_warnings"`
	ExpectWarning bool     `json:"expect_warning"`
	Undefined     string   `json:"undefined"`
	Note          string   `json:"note"`
}

type refScipySkipped struct {
	Case        string  `json:"case"`
	Test        string  `json:"test"`
	Alternative string  `json:"alternative"`
	Method      string  `json:"method"`
	Call        string  `json:"call"`
	Reason      string  `json:"reason"`
	Enumerated  *refNum `json:"enumerated_exact_pvalue"`
}

type refScipyFile struct {
	ScipyVersion string            `json:"scipy_version"`
	Records      []refScipyRecord  `json:"records"`
	Skipped      []refScipySkipped `json:"skipped"`
}

type refRRecord struct {
	Case              string   `json:"case"`
	Test              string   `json:"test"`
	Alternative       string   `json:"alternative"`
	Method            string   `json:"method"`
	ConfLevel         refNum   `json:"conf_level"`
	Call              string   `json:"call"`
	TestCall          string   `json:"test_call"`
	Error             string   `json:"error"`
	RMethod           string   `json:"r_method"`
	MethodUsed        string   `json:"method_used"`
	Warnings          []string `json:"warnings"`
	Statistic         *refNum  `json:"statistic"`
	PValue            *refNum  `json:"p_value"`
	Estimate          refNum   `json:"estimate"`
	ConfInt           []refNum `json:"conf_int"`
	ConfLevelAttr     refNum   `json:"conf_level_attr"`
	AchievedConfLevel *refNum  `json:"achieved_conf_level"`
	DF                refNum   `json:"df"`
	MeanX             refNum   `json:"mean_x"`
	MeanY             refNum   `json:"mean_y"`
	EstimateDiff      refNum   `json:"estimate_difference"`
}

type refRFile struct {
	RVersion string `json:"r_version"`
	Inputs   []struct {
		Case       string   `json:"case"`
		Experiment []refNum `json:"experiment"`
		Control    []refNum `json:"control"`
	} `json:"inputs"`
	Records []refRRecord `json:"records"`
}

func refLoad(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(refDir, name))
	if err != nil {
		t.Fatalf("reading reference file: %v (regenerate with testdata/reference/gen_scipy.py and gen_r.R)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func refLoadCases(t *testing.T) map[string]refCase {
	t.Helper()
	var f struct {
		Cases []refCase `json:"cases"`
	}
	refLoad(t, "cases.json", &f)
	if len(f.Cases) == 0 {
		t.Fatal("cases.json holds no cases")
	}
	m := make(map[string]refCase, len(f.Cases))
	for _, c := range f.Cases {
		if _, dup := m[c.Name]; dup {
			t.Fatalf("cases.json: case %q twice", c.Name)
		}
		if c.Reason == "" {
			t.Fatalf("cases.json: case %q has no reason", c.Name)
		}
		m[c.Name] = c
	}
	return m
}

func refCaseOf(t *testing.T, cases map[string]refCase, name string) refCase {
	t.Helper()
	c, ok := cases[name]
	if !ok {
		t.Fatalf("record names case %q, which cases.json does not hold", name)
	}
	return c
}

func refAlternative(t *testing.T, s string) compare.Alternative {
	t.Helper()
	a, err := compare.ParseAlternative(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func refMethod(t *testing.T, s string) compare.Method {
	t.Helper()
	m, err := compare.ParseMethod(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// refScale is the magnitude of the data: the largest absolute value.
func refScale(c refCase) float64 {
	s := 0.0
	for _, v := range c.Experiment {
		s = math.Max(s, math.Abs(v))
	}
	for _, v := range c.Control {
		s = math.Max(s, math.Abs(v))
	}
	return s
}

// refDiffs returns all experiment − control differences, sorted: the brute
// force from which the Hodges-Lehmann estimator is defined.
func refDiffs(c refCase) []float64 {
	d := make([]float64, 0, len(c.Experiment)*len(c.Control))
	for _, x := range c.Experiment {
		for _, y := range c.Control {
			d = append(d, x-y)
		}
	}
	slices.Sort(d)
	return d
}

// refMiddle returns the lower and upper middle of sorted d (equal when len(d)
// is odd) and the median, computed the way R's median does: the mean of the
// two middle values.
func refMiddle(d []float64) (lo, hi, med float64) {
	n := len(d)
	if n%2 == 1 {
		return d[n/2], d[n/2], d[n/2]
	}
	lo, hi = d[n/2-1], d[n/2]
	return lo, hi, (lo + hi) / 2
}

func refWarnings(ws []error) string {
	if len(ws) == 0 {
		return "none"
	}
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.Error()
	}
	return strings.Join(s, "; ")
}

// refCheckCommon checks the fields every Result must fill, so a field left
// unset is caught.
func refCheckCommon(t *testing.T, res compare.Result, c refCase, test string, opts compare.Options) {
	t.Helper()
	if res.Test != test {
		t.Errorf("Test = %q, want %q", res.Test, test)
	}
	if res.Alternative != opts.Alternative {
		t.Errorf("Alternative = %v, want %v", res.Alternative, opts.Alternative)
	}
	if res.NExperiment != len(c.Experiment) || res.NControl != len(c.Control) {
		t.Errorf("n = %d+%d, want %d+%d", res.NExperiment, res.NControl, len(c.Experiment), len(c.Control))
	}
	want := opts.Confidence
	if want == 0 {
		want = compare.DefaultConfidence
	}
	if res.Confidence != want {
		t.Errorf("Confidence = %v, want %v (the level asked for)", res.Confidence, want)
	}
	if !(res.P >= 0 && res.P <= 1) {
		t.Errorf("P = %v, outside [0, 1]", res.P)
	}
}

func TestReferenceScipy(t *testing.T) {
	cases := refLoadCases(t)
	var f refScipyFile
	refLoad(t, "scipy.json", &f)
	if !strings.HasPrefix(f.ScipyVersion, "1.10.") {
		t.Fatalf("scipy.json comes from scipy %s, want 1.10", f.ScipyVersion)
	}
	if len(f.Records) == 0 {
		t.Fatal("scipy.json holds no records")
	}
	for _, rec := range f.Records {
		method := rec.Method
		if method == "" {
			method = "-" // ttest_ind has no method
		}
		name := fmt.Sprintf("%s/%s/%s/%s", rec.Case, rec.Test, rec.Alternative, method)
		t.Run(name, func(t *testing.T) {
			c := refCaseOf(t, cases, rec.Case)
			opts := compare.Options{Alternative: refAlternative(t, rec.Alternative)}
			if rec.Method != "" {
				opts.Method = refMethod(t, rec.Method)
			}
			var (
				res  compare.Result
				err  error
				test string
			)
			switch rec.Test {
			case "mannwhitneyu":
				// scipy's method, not chaosstat's choice: chaosstat's
				// Auto is exact wherever that is affordable and its
				// Exact handles ties, where scipy is asymptotic
				// (exact_ties_test.go checks those against R and the
				// enumeration of every arrangement).
				test = "mannwhitney"
				opts.Method = refMethod(t, rec.MethodUsed)
				res, err = compare.MannWhitneyU(c.Experiment, c.Control, opts)
			case "ttest_ind":
				test = "welch"
				res, err = compare.WelchT(c.Experiment, c.Control, opts)
			case "ks_2samp":
				test = "ks"
				res, err = compare.KolmogorovSmirnov(c.Experiment, c.Control, opts)
			default:
				t.Fatalf("unknown test %q in scipy.json", rec.Test)
			}
			// scipy 1.10: <rec.Call> with x = experiment, y = control.
			if rec.Undefined != "" {
				// scipy answers NaN or ±Inf here (e.g. Welch with n = 1 or
				// with both groups constant): no number to match, but no
				// silent answer either.
				if err == nil && len(res.Warnings) == 0 {
					t.Errorf("scipy 1.10 %s gives statistic %v, p %v (%s); chaosstat answered statistic %v, p %v with neither an error nor a warning",
						rec.Call, rec.Statistic.f(), rec.PValue.f(), rec.Undefined, res.Statistic, res.P)
				}
				return
			}
			if err != nil {
				t.Fatalf("chaosstat failed where scipy 1.10 %s answers statistic %v, p %v: %v",
					rec.Call, rec.Statistic.f(), rec.PValue.f(), err)
			}
			refCheckCommon(t, res, c, test, opts)
			what := func(field string) string { return fmt.Sprintf("%s vs scipy 1.10 %s", field, rec.Call) }
			statAtol := 0.0
			if rec.Test == "ttest_ind" {
				statAtol = 1e-12 // t near 0: the mean difference cancels
			}
			approx.Close(t, what("Statistic"), res.Statistic, rec.Statistic.f(), refTol, statAtol)
			if rec.Test == "ks_2samp" && res.Method == compare.Exact && refHasTies(c) {
				// scipy's exact branch ignores ties and is conservative:
				// chaosstat's exact p-value with ties (R 4.2.2's psmirnov,
				// exact_ties_test.go) is at most scipy's.
				if res.P > rec.PValue.f()*(1+1e-12) {
					t.Errorf("%s: exact p with ties %v above scipy's tie-ignoring value", what("P"), res.P)
				}
			} else {
				approx.Close(t, what("P"), res.P, rec.PValue.f(), refTol, refPAtol)
			}
			if rec.Test == "ttest_ind" {
				if rec.DF == nil {
					t.Fatal("ttest_ind record without df")
				}
				// df: Welch-Satterthwaite, computed by gen_scipy.py since
				// scipy 1.10 does not return it.
				approx.Close(t, what("DF"), res.DF, rec.DF.f(), refTol, 0)
			} else {
				if res.Method.String() != rec.MethodUsed {
					t.Errorf("Method = %v, want %s (asked %s; %s)", res.Method, rec.MethodUsed, rec.Method, rec.Note)
				}
			}
			if rec.ExpectWarning && rec.Test != "mannwhitneyu" && len(res.Warnings) == 0 {
				t.Errorf("no warning, want one saying why %s was used instead of %s (%s)", rec.MethodUsed, rec.Method, rec.Note)
			}
		})
	}
	// Where scipy gave up on an exact computation there is no scipy value;
	// when gen_scipy.py could enumerate the exact distribution, check that.
	for _, sk := range f.Skipped {
		name := fmt.Sprintf("%s/%s/%s/%s/skipped-by-scipy", sk.Case, sk.Test, sk.Alternative, sk.Method)
		t.Run(name, func(t *testing.T) {
			t.Logf("scipy 1.10 %s: %s", sk.Call, sk.Reason)
			if sk.Enumerated == nil {
				return
			}
			if sk.Test != "ks_2samp" {
				t.Fatalf("unexpected skipped test %q", sk.Test)
			}
			c := refCaseOf(t, cases, sk.Case)
			opts := compare.Options{Alternative: refAlternative(t, sk.Alternative), Method: refMethod(t, sk.Method)}
			res, err := compare.KolmogorovSmirnov(c.Experiment, c.Control, opts)
			if err != nil {
				t.Fatalf("KolmogorovSmirnov: %v", err)
			}
			// The exact p-value by enumerating every split (gen_scipy.py).
			approx.Close(t, "P vs the enumerated exact p-value", res.P, sk.Enumerated.f(), refTol, refPAtol)
			if res.Method != compare.Exact && len(res.Warnings) == 0 {
				t.Errorf("Method = %v without a warning; an exact request answered otherwise must say why", res.Method)
			}
		})
	}
}

func TestReferenceR(t *testing.T) {
	cases := refLoadCases(t)
	var f refRFile
	refLoad(t, "r.json", &f)
	if !strings.HasPrefix(f.RVersion, "R version 4.2.2") {
		t.Fatalf("r.json comes from %s, want R 4.2.2", f.RVersion)
	}
	if len(f.Records) == 0 {
		t.Fatal("r.json holds no records")
	}
	// R computed on exactly the doubles of cases.json: gen_r.R echoes the
	// inputs as it parsed them.
	if len(f.Inputs) != len(cases) {
		t.Fatalf("r.json echoes %d cases, cases.json holds %d: regenerate r.json", len(f.Inputs), len(cases))
	}
	for _, in := range f.Inputs {
		c := refCaseOf(t, cases, in.Case)
		same := func(got []refNum, want []float64) bool {
			return len(got) == len(want) && slices.EqualFunc(got, want, func(g refNum, w float64) bool {
				return math.Float64bits(g.f()) == math.Float64bits(w)
			})
		}
		if !same(in.Experiment, c.Experiment) || !same(in.Control, c.Control) {
			t.Fatalf("case %s: R read other numbers than cases.json holds: regenerate r.json", in.Case)
		}
	}

	diffs := map[string][]float64{}
	for _, rec := range f.Records {
		var name string
		switch rec.Test {
		case "wilcox.test":
			name = fmt.Sprintf("%s/%s/%s/%s/%v", rec.Case, rec.Test, rec.Alternative, rec.Method, rec.ConfLevel.f())
		case "t.test":
			name = fmt.Sprintf("%s/%s/%s/%v", rec.Case, rec.Test, rec.Alternative, rec.ConfLevel.f())
		default:
			t.Fatalf("unknown test %q in r.json", rec.Test)
		}
		t.Run(name, func(t *testing.T) {
			c := refCaseOf(t, cases, rec.Case)
			opts := compare.Options{Alternative: refAlternative(t, rec.Alternative), Confidence: rec.ConfLevel.f()}
			if rec.Test == "t.test" {
				refCheckTTest(t, rec, c, opts)
				return
			}
			d, ok := diffs[rec.Case]
			if !ok {
				d = refDiffs(c)
				diffs[rec.Case] = d
			}
			refCheckWilcox(t, rec, c, opts, d)
		})
	}
}

// refCheckTTest checks WelchT against R 4.2.2's
// t.test(x, y, alternative = a, var.equal = FALSE, conf.level = c).
func refCheckTTest(t *testing.T, rec refRRecord, c refCase, opts compare.Options) {
	t.Helper()
	res, err := compare.WelchT(c.Experiment, c.Control, opts)
	if rec.Error != "" {
		// R refuses (n < 2, or both groups constant): so must we.
		if err == nil {
			t.Errorf("R 4.2.2 %s fails (%q); WelchT answered %v", rec.Call, rec.Error, res)
		}
		return
	}
	if err != nil {
		t.Fatalf("WelchT failed where R 4.2.2 %s answers: %v", rec.Call, err)
	}
	refCheckCommon(t, res, c, "welch", opts)
	what := func(field string) string { return fmt.Sprintf("%s vs R 4.2.2 %s", field, rec.Call) }
	atol := 1e-12 * refScale(c) // the mean difference cancels near zero
	if rec.Statistic == nil || rec.PValue == nil {
		t.Fatal("t.test record without statistic or p-value")
	}
	approx.Close(t, what("Statistic"), res.Statistic, rec.Statistic.f(), refTol, 1e-12)
	approx.Close(t, what("DF"), res.DF, rec.DF.f(), refTol, 0)
	approx.Close(t, what("P"), res.P, rec.PValue.f(), refTol, refPAtol)
	approx.Close(t, what("Shift.Estimate (mean x − mean y)"), res.Shift.Estimate, rec.EstimateDiff.f(), refTol, atol)
	if len(rec.ConfInt) != 2 {
		t.Fatalf("conf_int has %d values", len(rec.ConfInt))
	}
	approx.Close(t, what("Shift.Low"), res.Shift.Low, rec.ConfInt[0].f(), refTol, atol)
	approx.Close(t, what("Shift.High"), res.Shift.High, rec.ConfInt[1].f(), refTol, atol)
	approx.Close(t, what("Shift.Confidence"), res.Shift.Confidence, rec.ConfLevelAttr.f(), refTol, 0)
}

// refCheckWilcox checks MannWhitneyU and HodgesLehmann against R 4.2.2's
// wilcox.test(x, y, alternative = a, exact = e, correct = TRUE,
// conf.int = TRUE, conf.level = c). d are the sorted differences x_i − y_j.
func refCheckWilcox(t *testing.T, rec refRRecord, c refCase, opts compare.Options, d []float64) {
	t.Helper()
	_ = refMethod(t, rec.Method) // a record names a method chaosstat knows
	if rec.MethodUsed == "" {
		// R failed even without conf.int: nothing to compare.
		t.Fatalf("R 4.2.2 %s: no result (%s)", rec.Call, rec.Error)
	}
	used := refMethod(t, rec.MethodUsed)
	// R warned that the exact interval misses the level asked for:
	// chaosstat must warn as well.
	shortLevel := slices.Contains(rec.Warnings, "Requested conf.level not achievable")

	// The test. R's W is U of x, scipy's statistic. R's default method
	// (exact = NULL: exact iff both n < 50 and no ties) is not MannWhitneyU's
	// Auto (exact when affordable, with or without ties), and R's exact
	// branch refuses ties where MannWhitneyU's handles them, so the records
	// ask MannWhitneyU and HodgesLehmann for the method R used
	// (exact_ties_test.go checks the exact method with ties).
	mwOpts := opts
	mwOpts.Method = used
	call := rec.Call
	if rec.Error != "" {
		call = rec.TestCall // R refused the interval; this is the test alone
	}
	what := func(field string) string { return fmt.Sprintf("%s vs R 4.2.2 %s", field, call) }
	res, err := compare.MannWhitneyU(c.Experiment, c.Control, mwOpts)
	if rec.Statistic == nil || rec.PValue == nil {
		t.Fatal("wilcox.test record without statistic or p-value")
	}
	if !rec.PValue.finite() {
		// R's p-value is NaN when every value is tied (0/0): no number to
		// match, but no silent answer either.
		if err == nil && len(res.Warnings) == 0 {
			t.Errorf("R 4.2.2 %s gives p = %v; MannWhitneyU answered p = %v with neither an error nor a warning", call, rec.PValue.f(), res.P)
		}
	} else if err != nil {
		t.Errorf("MannWhitneyU failed where R 4.2.2 %s answers W = %v, p = %v: %v", call, rec.Statistic.f(), rec.PValue.f(), err)
	} else {
		refCheckCommon(t, res, c, "mannwhitney", mwOpts)
		approx.Close(t, what("MannWhitneyU Statistic"), res.Statistic, rec.Statistic.f(), refTol, 0)
		approx.Close(t, what("MannWhitneyU P"), res.P, rec.PValue.f(), refTol, refPAtol)
		if res.Method != used {
			t.Errorf("MannWhitneyU Method = %v, want %v (R: %s)", res.Method, used, rec.RMethod)
		}
	}

	// The shift, from HodgesLehmann directly and as MannWhitneyU reports it.
	hlOpts := opts
	hlOpts.Method = used
	sh, warns, hlErr := compare.HodgesLehmann(c.Experiment, c.Control, hlOpts)
	_, _, med := refMiddle(d)
	if rec.Error != "" {
		// R refuses the interval (one point each, or every shifted value
		// tied); the Hodges-Lehmann estimate is still defined.
		if hlErr != nil {
			t.Logf("HodgesLehmann fails, as R 4.2.2 %s does (%q): %v", rec.Call, rec.Error, hlErr)
			return
		}
		approx.Close(t, "HodgesLehmann Estimate vs the median of all x_i − y_j (R refused: "+rec.Error+")", sh.Estimate, med, refTol, 0)
		return
	}
	if hlErr != nil {
		t.Fatalf("HodgesLehmann failed where R 4.2.2 %s answers %v %v: %v", rec.Call, rec.Estimate.f(), rec.ConfInt, hlErr)
	}
	if used == compare.Asymptotic {
		refCheckRPlateau(t, rec, d)
	}
	refCheckShift(t, "HodgesLehmann", sh, rec, d, used)
	if shortLevel && len(warns) == 0 {
		t.Errorf("HodgesLehmann: no warning, but R warns %q", rec.Warnings)
	}
	if err == nil && rec.PValue.finite() {
		refCheckShift(t, "MannWhitneyU Shift", res.Shift, rec, d, used)
	}
}

// refCheckShift checks a Hodges-Lehmann shift against R's estimate and
// conf.int.
func refCheckShift(t *testing.T, who string, sh compare.Shift, rec refRRecord, d []float64, used compare.Method) {
	t.Helper()
	what := func(field string) string { return fmt.Sprintf("%s %s vs R 4.2.2 %s", who, field, rec.Call) }
	if sh.Method != used {
		t.Errorf("%s Method = %v, want %v (R: %s)", who, sh.Method, used, rec.RMethod)
	}
	if len(rec.ConfInt) != 2 {
		t.Fatalf("conf_int has %d values", len(rec.ConfInt))
	}
	lowR, highR := rec.ConfInt[0].f(), rec.ConfInt[1].f()
	// R's attr(conf.int, "conf.level"): the level asked for, or the level
	// achieved when an exact interval falls short by more than alpha/2.
	approx.Close(t, what("Confidence"), sh.Confidence, rec.ConfLevelAttr.f(), refTol, 0)
	_, _, med := refMiddle(d)
	if used == compare.Exact {
		// R's exact branch: estimate median(d), bounds order statistics of d.
		approx.Close(t, what("Estimate"), sh.Estimate, rec.Estimate.f(), refTol, 0)
		approx.Close(t, what("Low"), sh.Low, lowR, refTol, 0)
		approx.Close(t, what("High"), sh.High, highR, refTol, 0)
		return
	}
	// R's asymptotic branch finds each bound as a root of a step function
	// with uniroot(tol = 1e-4).
	rootClose := func(field string, got, want float64) {
		t.Helper()
		if !approx.Equal(got, want, 0, refRootTol+refTol*math.Abs(want)) {
			t.Errorf("%s = %v, want %v within R's uniroot tolerance 1e-4 + 1e-9·|R| (diff %.3g)", what(field), got, want, math.Abs(got-want))
		}
	}
	rootClose("Low", sh.Low, lowR)
	rootClose("High", sh.High, highR)
	// The estimate. R takes a root of the standardized statistic W(d), a step
	// function that is zero on the whole plateau between the two middle
	// differences, and returns an arbitrary point of it. chaosstat returns the
	// Hodges-Lehmann estimator, the median of all x_i − y_j, which lies on
	// that plateau: check ours against the brute force, and R's against the
	// plateau.
	approx.Close(t, who+" Estimate vs the median of all x_i − y_j", sh.Estimate, med, refTol, 0)
}

// refCheckRPlateau checks that R's asymptotic estimate lies on the plateau
// between the two middle differences (within uniroot's tolerance), where
// refCheckShift's argument says it must: otherwise comparing our median with
// R's estimate this way would be wrong.
func refCheckRPlateau(t *testing.T, rec refRRecord, d []float64) {
	t.Helper()
	lo, hi, _ := refMiddle(d)
	if est := rec.Estimate.f(); !(est >= lo-refRootTol && est <= hi+refRootTol) {
		t.Errorf("R 4.2.2 %s estimate %v outside [%v, %v] ± 1e-4, the middle differences: the plateau argument is wrong", rec.Call, est, lo, hi)
	}
}

// refHasTies reports whether the pooled samples of c hold a value twice.
func refHasTies(c refCase) bool {
	seen := map[float64]bool{}
	for _, v := range append(slices.Clone(c.Experiment), c.Control...) {
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}
