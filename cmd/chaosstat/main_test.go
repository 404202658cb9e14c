package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/internal/approx"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden with the current output")

// Sample data shipped at the top of the repository (see testdata/README.md
// there): Thanksgiving afternoon against four ordinary Thursday afternoons,
// and two ordinary Thursdays a week apart.
const (
	taxiControl    = "../../testdata/taxi_control.csv"
	taxiExperiment = "../../testdata/taxi_experiment.csv"
	taxiNov13      = "../../testdata/taxi_2014-11-13.csv"
	taxiNov20      = "../../testdata/taxi_2014-11-20.csv"
)

type cliCase struct {
	name   string
	reason string
	args   []string
	stdin  string // a file whose content is stdin; "" for none
	code   int
}

// cliCases holds every golden case. Each command's own test file adds its
// cases in an init function (cliCases = append(cliCases, ...)), so the
// commands' tables live beside their tests.
var cliCases = []cliCase{
	// Successful comparisons.
	{
		name:   "taxi_mannwhitney_text",
		reason: "the README's first command: Thanksgiving is far below ordinary Thursdays, so exit 1",
		args:   []string{"compare", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "taxi_mannwhitney_json",
		reason: "the same comparison for notebooks: every JSON key, df null, warnings []",
		args:   []string{"compare", "--control", taxiControl, "--experiment", taxiExperiment, "--format", "json"},
		code:   exitSignificant,
	},
	{
		name:   "taxi_welch_text",
		reason: "Welch's t prints df and a mean-difference interval",
		args:   []string{"compare", "--test", "welch", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "taxi_welch_json",
		reason: "df is a number for welch",
		args:   []string{"compare", "--test", "welch", "--format", "json", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "taxi_ks_text",
		reason: "Kolmogorov-Smirnov: D and a Hodges-Lehmann shift",
		args:   []string{"compare", "--test", "ks", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "taxi_ks_json",
		reason: "Kolmogorov-Smirnov for notebooks",
		args:   []string{"compare", "--test", "ks", "--format", "json", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "taxi_brunnermunzel_text",
		reason: "Brunner-Munzel (issue 15): W with its df, the relative effect, the direction from W's sign",
		args:   []string{"compare", "--test", "brunnermunzel", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "thursdays_brunnermunzel_json",
		reason: "Brunner-Munzel in JSON, not significant: df and the relative effect's interval (scipy 1.10 brunnermunzel: W = 1.158 the other way, p = 0.26188)",
		args:   []string{"compare", "--test", "brunnermunzel", "--format", "json", "--control", taxiNov13, "--experiment", taxiNov20},
		code:   exitOK,
	},
	{
		name:   "thursdays_mannwhitney_text",
		reason: "two ordinary Thursdays do not differ: the verdict in words and exit 0",
		args:   []string{"compare", "--control", taxiNov13, "--experiment", taxiNov20},
		code:   exitOK,
	},
	{
		name:   "thursdays_mannwhitney_json",
		reason: "a non-significant result in JSON: significant false",
		args:   []string{"compare", "--control", taxiNov13, "--experiment", taxiNov20, "--format", "json"},
		code:   exitOK,
	},
	{
		name:   "thursdays_welch_text",
		reason: "non-significant Welch",
		args:   []string{"compare", "--test", "welch", "--control", taxiNov13, "--experiment", taxiNov20},
		code:   exitOK,
	},
	{
		name:   "thursdays_ks_text",
		reason: "non-significant Kolmogorov-Smirnov: the two-sided verdict without a direction",
		args:   []string{"compare", "--test", "ks", "--control", taxiNov13, "--experiment", taxiNov20},
		code:   exitOK,
	},
	{
		name:   "taxi_less_json",
		reason: "one-sided (less): the interval's low end is -Inf, written as null",
		args:   []string{"compare", "--alternative", "less", "--format", "json", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "taxi_less_text",
		reason: "one-sided (less) for people: (-Inf, high]",
		args:   []string{"compare", "--alternative", "less", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "taxi_greater_json",
		reason: "one-sided the wrong way (greater): p near 1, exit 0, high is null",
		args:   []string{"compare", "--alternative", "greater", "--format", "json", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitOK,
	},
	{
		name:   "taxi_greater_welch_text",
		reason: "one-sided verdict in words when not significant; [low, +Inf)",
		args:   []string{"compare", "--test", "welch", "--alternative", "greater", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitOK,
	},
	{
		name:   "taxi_confidence_99_text",
		reason: "--confidence sets alpha = 0.01 and the interval's level",
		args:   []string{"compare", "--confidence", "0.99", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitSignificant,
	},
	{
		name:   "males_females_exact_json",
		reason: "single value column, --method exact on the published vector (scipy 1.10: U = 17, p = 0.1111111111111111)",
		args:   []string{"compare", "--method", "exact", "--format", "json", "--experiment", "testdata/males.csv", "--control", "testdata/females.csv"},
		code:   exitOK,
	},
	{
		name:   "welch_method_exact_text",
		reason: "welch has no exact method: the request is ignored with a warning",
		args:   []string{"compare", "--test", "welch", "--method", "exact", "--experiment", "testdata/males.csv", "--control", "testdata/females.csv"},
		code:   exitOK,
	},
	{
		name:   "stdin_experiment_text",
		reason: `"-" reads the experiment from stdin; the output calls it stdin`,
		args:   []string{"compare", "--control", taxiControl, "--experiment", "-"},
		stdin:  taxiExperiment,
		code:   exitSignificant,
	},
	{
		name:   "stdin_prometheus_json",
		reason: "stdin holding a Prometheus response is recognised by its content, not a file name",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "-", "--format", "json"},
		stdin:  "testdata/thanksgiving.json",
		code:   exitSignificant,
	},
	{
		name:   "prometheus_json_text",
		reason: "a saved query_range response gives the same answer as the CSV of the same values",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "testdata/thanksgiving.json"},
		code:   exitSignificant,
	},
	{
		name:   "missing_values_text",
		reason: "empty and NaN cells are left out, with a warning and the count beside n",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "testdata/thanksgiving_gaps.csv"},
		code:   exitSignificant,
	},
	{
		name:   "missing_values_json",
		reason: "the missing-values warning in JSON",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "testdata/thanksgiving_gaps.csv", "--format", "json"},
		code:   exitSignificant,
	},

	// Input errors: exit 2, the file (and line) named on stderr.
	{
		name:   "missing_file",
		reason: "a file that does not exist is an input error naming the flag and the file",
		args:   []string{"compare", "--control", "testdata/no_such_file.csv", "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "bad_value",
		reason: "a bad cell is an input error with file:line and the column",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "testdata/bad_value.csv"},
		code:   exitUsage,
	},
	{
		name:   "input_error_before_no_data",
		reason: "an input error outranks no data: the experiment (read first) has no rows, the control a bad cell: exit 2 naming the bad cell",
		args:   []string{"compare", "--control", "testdata/bad_value.csv", "--experiment", "testdata/header_only.csv"},
		code:   exitUsage,
	},
	{
		name:   "repeated_flag",
		reason: "a single-valued flag given twice is a usage error naming it: the last value used to win silently (--control a --control b compared b)",
		args:   []string{"compare", "--control", "testdata/header_only.csv", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "two_series_json",
		reason: "a Prometheus response with two series is ambiguous: exit 2, saying how many it holds",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "testdata/two_series.json"},
		code:   exitUsage,
	},

	// No data or too little: exit 3, inconclusive.
	{
		name:   "header_only",
		reason: "a file with a header but no rows has no data: inconclusive, never a pass",
		args:   []string{"compare", "--control", "testdata/header_only.csv", "--experiment", taxiExperiment},
		code:   exitInconclusive,
	},
	{
		name:   "zero_bytes",
		reason: "an empty file (a probe that wrote nothing) is no data as well",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "testdata/zero_bytes.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "all_missing",
		reason: "a file whose every value is missing leaves nothing to compare",
		args:   []string{"compare", "--control", taxiControl, "--experiment", "testdata/all_missing.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "welch_one_value",
		reason: "Welch needs two values a side (compare.ErrSampleSize)",
		args:   []string{"compare", "--test", "welch", "--control", taxiControl, "--experiment", "testdata/one_value.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "welch_zero_variance",
		reason: "two constant samples leave Welch's t undefined: inconclusive, with a pointer to mannwhitney",
		args:   []string{"compare", "--test", "welch", "--control", "testdata/constant_5.csv", "--experiment", "testdata/constant_7.csv"},
		code:   exitInconclusive,
	},
	{
		name:   "compare_p_at_alpha",
		reason: "p exactly alpha is significant (p <= alpha), as in the library: 1,2,3 against 4,5,6, exact, one-sided, p = 1/C(6,3) = 0.05",
		args:   []string{"compare", "--method", "exact", "--alternative", "less", "--control", "testdata/high_3.csv", "--experiment", "testdata/low_3.csv"},
		code:   exitSignificant,
	},

	// Usage errors: exit 2, one line naming the flag and a usage hint.
	{
		name:   "no_args",
		reason: "chaosstat alone prints the usage on stderr and fails",
		args:   nil,
		code:   exitUsage,
	},
	{
		name:   "unknown_command",
		reason: "a misspelt command is named",
		args:   []string{"comapre"},
		code:   exitUsage,
	},
	{
		name:   "confidence_out_of_range",
		reason: "--confidence 1.5 is not a level",
		args:   []string{"compare", "--confidence", "1.5", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "confidence_one",
		reason: "--confidence 1 would make alpha 0: no test could ever be significant",
		args:   []string{"compare", "--confidence", "1", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "flag_needs_argument",
		reason: "a flag at the end without its value",
		args:   []string{"compare", "--experiment", taxiExperiment, "--control"},
		code:   exitUsage,
	},
	{
		name:   "confidence_percent",
		reason: "--confidence 95 is the common mistake: the message suggests 0.95",
		args:   []string{"compare", "--confidence", "95", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "unknown_test",
		reason: "--test foo lists the tests there are",
		args:   []string{"compare", "--test", "foo", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "unknown_method",
		reason: "--method foo lists the methods",
		args:   []string{"compare", "--method", "foo", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "unknown_alternative",
		reason: "--alternative foo lists the alternatives",
		args:   []string{"compare", "--alternative", "bigger", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "unknown_format",
		reason: "--format foo lists the formats",
		args:   []string{"compare", "--format", "yaml", "--control", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "unknown_flag",
		reason: "an unknown flag is named",
		args:   []string{"compare", "--controll", taxiControl, "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "missing_control",
		reason: "--control is required",
		args:   []string{"compare", "--experiment", taxiExperiment},
		code:   exitUsage,
	},
	{
		name:   "missing_experiment",
		reason: "--experiment is required",
		args:   []string{"compare", "--control", taxiControl},
		code:   exitUsage,
	},
	{
		name:   "positional_args",
		reason: "files given without flags are refused rather than guessed",
		args:   []string{"compare", "--control", taxiControl, "--experiment", taxiExperiment, "extra.csv"},
		code:   exitUsage,
	},
	{
		name:   "both_stdin",
		reason: "stdin can feed only one side",
		args:   []string{"compare", "--control", "-", "--experiment", "-"},
		code:   exitUsage,
	},

	// Help.
	{
		name:   "help",
		reason: "chaosstat help lists the commands on stdout",
		args:   []string{"help"},
		code:   exitOK,
	},
	{
		name:   "compare_help",
		reason: "compare -h prints the flags on stdout and succeeds",
		args:   []string{"compare", "-h"},
		code:   exitOK,
	},
	{
		name:   "help_compare",
		reason: "help compare is compare -h",
		args:   []string{"help", "compare"},
		code:   exitOK,
	},
	{
		name:   "help_unknown",
		reason: "help for a command that does not exist",
		args:   []string{"help", "frobnicate"},
		code:   exitUsage,
	},
}

// ran holds each command line's run, so that a command line runs once per
// test binary: TestGolden, the JSON contract tests, TestPlot (its runs
// without --plot) and the demo tests read the output of the same command
// lines, and under -race one run of the demo takes seconds. A command's
// output depends only on its arguments, its stdin and the files it reads,
// none of which a test changes; a command line that writes a file names a
// new one (t.TempDir), and so runs anew.
var ran sync.Map // command line and stdin file, NUL-separated → *ranLine

// ranLine is one command line's run.
type ranLine struct {
	once           sync.Once
	code           int
	stdout, stderr string
	err            error // reading the stdin file
}

// runOnce runs the command line args with the content of the file stdin
// (none if "") in-process, the first time it is asked for, and returns that
// run.
func runOnce(t *testing.T, args []string, stdin string) *ranLine {
	t.Helper()
	v, _ := ran.LoadOrStore(strings.Join(append(slices.Clone(args), "<"+stdin), "\x00"), &ranLine{})
	r := v.(*ranLine)
	r.once.Do(func() {
		var in []byte
		if stdin != "" {
			if in, r.err = os.ReadFile(stdin); r.err != nil {
				return
			}
		}
		var out, errOut bytes.Buffer
		r.code = run(args, bytes.NewReader(in), &out, &errOut)
		r.stdout, r.stderr = out.String(), errOut.String()
	})
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r
}

// runCase runs one case in-process (once: runOnce) and returns its
// transcript: the command line, the exit code, stdout and stderr.
func runCase(t *testing.T, c cliCase) (transcript string, code int, stdout string) {
	t.Helper()
	r := runOnce(t, c.args, c.stdin)
	code = r.code

	var b strings.Builder
	b.WriteString("# " + c.reason + "\n")
	b.WriteString("$ chaosstat " + strings.Join(c.args, " "))
	if c.stdin != "" {
		b.WriteString(" < " + c.stdin)
	}
	b.WriteString("\n")
	b.WriteString("-- exit --\n")
	b.WriteString(strconv.Itoa(code) + "\n")
	b.WriteString("-- stdout --\n")
	b.WriteString(r.stdout)
	b.WriteString("-- stderr --\n")
	b.WriteString(r.stderr)
	return b.String(), code, r.stdout
}

// TestGolden runs every case and compares its transcript with
// testdata/golden/NAME.golden. Run go test ./cmd/chaosstat -update to
// rewrite them, then read the diff. The cases run in parallel: run shares
// nothing between calls (and under -race that is checked). So do the other
// slow tests of the package (the demo's, the plots', the JSON contracts', the
// Prometheus ones): a test that changes the process's state (t.Setenv, a
// package variable) must not call t.Parallel.
func TestGolden(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, c := range cliCases {
		if names[c.name] {
			t.Fatalf("two cases named %s", c.name)
		}
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, code, _ := runCase(t, c)
			if code != c.code {
				t.Errorf("exit code %d, want %d (%s)\n%s", code, c.code, c.reason, got)
			}
			path := filepath.Join("testdata", "golden", c.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/chaosstat -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run go test ./cmd/chaosstat -update and read the diff)\n--- got:\n%s--- want:\n%s", path, got, want)
			}
		})
	}
	if !*update {
		// Every golden file belongs to a case: a renamed case leaves none behind.
		files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.golden"))
		for _, f := range files {
			if !names[strings.TrimSuffix(filepath.Base(f), ".golden")] {
				t.Errorf("%s has no case; delete it", f)
			}
		}
	}
}

// jsonKeys are the keys of --format json, as the README documents them.
var (
	jsonKeys  = []string{"alpha", "alternative", "df", "method", "n_control", "n_experiment", "p_value", "shift", "significant", "statistic", "test", "warnings"}
	shiftKeys = []string{"confidence", "estimate", "high", "low"}
)

// TestJSONContract checks the documented JSON contract of compare on every
// compare JSON case (other commands test their own):
// exactly the documented keys with their types, df a number only for welch,
// an interval bound null exactly when it is infinite (one-sided
// alternatives), warnings a list, and significant agreeing with the exit
// code.
func TestJSONContract(t *testing.T) {
	n := 0
	for _, c := range cliCases {
		if len(c.args) == 0 || c.args[0] != "compare" || !slices.Contains(c.args, "json") || c.code > exitSignificant {
			continue
		}
		n++
		t.Run(c.name, func(t *testing.T) {
			_, code, stdout := runCase(t, c)
			var m map[string]any
			if err := json.Unmarshal([]byte(stdout), &m); err != nil {
				t.Fatalf("output is not a JSON object: %v\n%s", err, stdout)
			}
			if got := sortedKeys(m); !slices.Equal(got, jsonKeys) {
				t.Errorf("keys %v, want %v", got, jsonKeys)
			}
			shift, ok := m["shift"].(map[string]any)
			if !ok {
				t.Fatalf("shift is %T, want an object", m["shift"])
			}
			if got := sortedKeys(shift); !slices.Equal(got, shiftKeys) {
				t.Errorf("shift keys %v, want %v", got, shiftKeys)
			}
			for _, k := range []string{"test", "method", "alternative"} {
				if _, ok := m[k].(string); !ok {
					t.Errorf("%s is %T, want a string", k, m[k])
				}
			}
			for _, k := range []string{"statistic", "p_value", "alpha", "n_experiment", "n_control"} {
				if _, ok := m[k].(float64); !ok {
					t.Errorf("%s is %T, want a number", k, m[k])
				}
			}
			for _, k := range []string{"estimate", "confidence"} {
				if _, ok := shift[k].(float64); !ok {
					t.Errorf("shift.%s is %T, want a number", k, shift[k])
				}
			}
			if _, ok := m["warnings"].([]any); !ok {
				t.Errorf("warnings is %T, want a list", m["warnings"])
			}
			_, dfNumber := m["df"].(float64)
			// Brunner-Munzel has df with its t distribution (auto), none with the normal.
			wantNumber := m["test"] == "welch" || (m["test"] == "brunnermunzel" && m["method"] == "asymptotic" && dfNumber)
			if dfNumber != wantNumber || (!dfNumber && m["df"] != nil) {
				t.Errorf("df is %v for test %v: want a number for welch and brunnermunzel (t), null otherwise", m["df"], m["test"])
			}
			alt := m["alternative"]
			for _, b := range []struct {
				key      string
				infinite bool
			}{{"low", alt == "less"}, {"high", alt == "greater"}} {
				_, isNumber := shift[b.key].(float64)
				switch {
				case b.infinite && shift[b.key] != nil:
					t.Errorf("shift.%s is %v for alternative %v, want null (infinite)", b.key, shift[b.key], alt)
				case !b.infinite && !isNumber:
					t.Errorf("shift.%s is %v for alternative %v, want a number", b.key, shift[b.key], alt)
				}
			}
			if sig := m["significant"] == true; sig != (code == exitSignificant) {
				t.Errorf("significant = %v but exit code %d", m["significant"], code)
			}
			if p, a := m["p_value"].(float64), m["alpha"].(float64); (p < a) != (code == exitSignificant) {
				t.Errorf("p_value %v, alpha %v, but exit code %d", p, a, code)
			}
		})
	}
	if n < 5 {
		t.Errorf("only %d JSON cases", n)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestReferenceValues checks the numbers the CLI prints for the shipped taxi
// data against scipy and R, end to end: files read, values passed through,
// JSON written at full precision.
func TestReferenceValues(t *testing.T) {
	nan := math.NaN()
	inf := math.Inf(1)
	cases := []struct {
		name, reason string
		args         []string
		stat, df, p  float64
		est, lo, hi  float64
	}{
		{
			name:   "mannwhitney",
			reason: "default test on the README's data",
			args:   []string{"--control", taxiControl, "--experiment", taxiExperiment},
			// scipy 1.10: mannwhitneyu(thanksgiving, thursdays, method='exact') → U = 72, p = 1.7000004027147874e-05
			// (no ties: Auto is exact at 12+48, where scipy's auto is asymptotic).
			// R 4.2.2: wilcox.test(thanksgiving, thursdays, conf.int = TRUE) → -3841 [-4559, -2719] (exact interval).
			stat: 72, df: nan, p: 1.7000004027147874e-05,
			est: -3841, lo: -4559, hi: -2719,
		},
		{
			name:   "mannwhitney_less",
			reason: "one-sided p and the interval's open end",
			args:   []string{"--alternative", "less", "--control", taxiControl, "--experiment", taxiExperiment},
			// scipy 1.10: mannwhitneyu(..., alternative="less", method='exact') → p = 8.500002013573937e-06.
			// R 4.2.2: wilcox.test(..., alternative = "less", conf.int = TRUE) → (-Inf, -2844].
			stat: 72, df: nan, p: 8.500002013573937e-06,
			est: -3841, lo: -inf, hi: -2844,
		},
		{
			name:   "welch",
			reason: "Welch's t, df and the interval of the mean difference",
			args:   []string{"--test", "welch", "--control", taxiControl, "--experiment", taxiExperiment},
			// scipy 1.10: ttest_ind(thanksgiving, thursdays, equal_var=False) → t = -8.981387604979526, p = 2.5583344221884533e-12.
			// R 4.2.2: t.test(thanksgiving, thursdays) → df = 54.2371879639193,
			// CI [-3953.34323462761, -2510.57343203906], mean difference 13819.5 - 17051.458333.
			stat: -8.981387604979526, df: 54.2371879639193, p: 2.5583344221884533e-12,
			est: 13819.5 - 17051.458333333333, lo: -3953.34323462761, hi: -2510.57343203906,
		},
		{
			name:   "ks",
			reason: "Kolmogorov-Smirnov's D and p, with the Hodges-Lehmann shift",
			args:   []string{"--test", "ks", "--control", taxiControl, "--experiment", taxiExperiment},
			// scipy 1.10: ks_2samp(thanksgiving, thursdays) → D = 0.8125, p = 6.782792015131454e-07.
			stat: 0.8125, df: nan, p: 6.782792015131454e-07,
			est: -3841, lo: -4559, hi: -2719,
		},
		{
			name:   "ks_less",
			reason: "chaosstat's less (experiment lower) is scipy's alternative='greater' for ks_2samp",
			args:   []string{"--test", "ks", "--alternative", "less", "--control", taxiControl, "--experiment", taxiExperiment},
			// scipy 1.10: ks_2samp(thanksgiving, thursdays, alternative="greater") → D = 0.8125, p = 3.3913960075657256e-07.
			stat: 0.8125, df: nan, p: 3.3913960075657256e-07,
			est: -3841, lo: -inf, hi: -2844,
		},
		{
			name:   "thursdays",
			reason: "the non-significant pair",
			args:   []string{"--control", taxiNov13, "--experiment", taxiNov20},
			// scipy 1.10: mannwhitneyu(nov20, nov13, method='exact') → U = 52, p = 0.2656695841512102.
			// R 4.2.2: wilcox.test(nov20, nov13, conf.int = TRUE) → -724 [-2391, 903].
			stat: 52, df: nan, p: 0.2656695841512102,
			est: -724, lo: -2391, hi: 903,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"compare", "--format", "json"}, c.args...)
			_, _, stdout := runCase(t, cliCase{name: c.name, reason: c.reason, args: args})
			var got struct {
				Statistic float64
				DF        *float64
				P         float64 `json:"p_value"`
				Shift     struct{ Estimate, Low, High *float64 }
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			orInf := func(p *float64, inf float64) float64 {
				if p == nil {
					return inf
				}
				return *p
			}
			approx.Close(t, "statistic", got.Statistic, c.stat, 1e-12, 0)
			approx.Close(t, "df", orInf(got.DF, nan), c.df, 1e-12, 0)
			approx.Close(t, "p_value", got.P, c.p, 1e-9, 0)
			approx.Close(t, "shift.estimate", orInf(got.Shift.Estimate, nan), c.est, 1e-12, 0)
			approx.Close(t, "shift.low", orInf(got.Shift.Low, -inf), c.lo, 1e-12, 0)
			approx.Close(t, "shift.high", orInf(got.Shift.High, inf), c.hi, 1e-12, 0)
		})
	}
}

// TestVersion checks version apart from the golden files, since its output
// depends on how the binary was built.
func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"version"}, nil, &out, &errOut); code != exitOK || errOut.Len() > 0 {
		t.Errorf("chaosstat version: exit %d, stderr %q", code, errOut.String())
	}
	if got := out.String(); !strings.HasPrefix(got, "chaosstat ") || strings.Count(got, "\n") != 1 {
		t.Errorf("chaosstat version printed %q, want one line \"chaosstat VERSION\"", got)
	}
	out.Reset()
	if code := run([]string{"version", "extra"}, nil, &out, &errOut); code != exitUsage || out.Len() > 0 {
		t.Errorf("chaosstat version extra: exit %d, want %d and nothing on stdout", code, exitUsage)
	}
	out.Reset()
	if code := run([]string{"--help"}, nil, &out, &errOut); code != exitOK || !strings.Contains(out.String(), "Commands:") {
		t.Errorf("chaosstat --help: exit %d, stdout %q; want the usage and exit 0", code, out.String())
	}
}

// TestCompareAtAlpha: at p exactly alpha, chaosstat compare decides as the
// library does (compare.Significant: p <= alpha), in the exit code and in
// the JSON. The p-values come from enumeration, not from the code under
// test: one of the C(6,3) = 20 arrangements of 1..6 puts every experiment
// value below every control value, so one-sided p = 1/20 = 0.05 and
// two-sided p = 2/20 = 0.1.
func TestCompareAtAlpha(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		alpha float64 // = p
		opts  compare.Options
	}{
		{"less at 95%", []string{"--alternative", "less"}, 1.0 / 20, compare.Options{Method: compare.Exact, Alternative: compare.Less}},
		{"two-sided at 90%", []string{"--confidence", "0.9"}, 2.0 / 20, compare.Options{Method: compare.Exact, Confidence: 0.9}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lib, err := compare.MannWhitneyU([]float64{1, 2, 3}, []float64{4, 5, 6}, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if lib.P != c.alpha || lib.Alpha() != c.alpha || !lib.Significant() {
				t.Fatalf("library: p = %.17g, alpha = %.17g, significant %v; want p = alpha = %v, significant", lib.P, lib.Alpha(), lib.Significant(), c.alpha)
			}
			args := append([]string{"compare", "--format", "json", "--method", "exact",
				"--control", "testdata/high_3.csv", "--experiment", "testdata/low_3.csv"}, c.args...)
			var out, errOut bytes.Buffer
			code := run(args, nil, &out, &errOut)
			if code != exitSignificant {
				t.Errorf("exit %d, want %d (significant, as the library says); stderr %s", code, exitSignificant, errOut.String())
			}
			var got struct {
				P           float64 `json:"p_value"`
				Alpha       float64 `json:"alpha"`
				Significant bool    `json:"significant"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if got.P != lib.P || got.Alpha != lib.Alpha() || !got.Significant {
				t.Errorf("JSON p = %v, alpha = %v, significant %v; want the library's %v, %v, true", got.P, got.Alpha, got.Significant, lib.P, lib.Alpha())
			}
		})
	}
}
