package main

import (
	"bytes"
	"encoding/xml"
	"image"
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Golden cases of --plot that do not write a file: a bad name is a usage
// error before any work. The cases that do write are in TestPlot, since a
// golden transcript would hold the temporary directory's name.
func init() {
	cliCases = append(cliCases, plotCases...)
}

var plotCases = []cliCase{
	{
		name:   "baseline_plot_bad_extension",
		reason: "--plot takes .svg or .png: another extension is a usage error naming the file, before any data is read",
		args:   []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--plot", "thanksgiving.pdf"},
		code:   exitUsage,
	},
	{
		name:   "criteria_plot_no_extension",
		reason: "a --plot name without an extension is a usage error",
		args:   []string{"criteria", "--satisfaction", critDir + "satisfaction.csv", "--metric", "good=" + critDir + "good.csv", "--plot", "lags"},
		code:   exitUsage,
	},
	{
		name:   "compare_plot_bad_extension",
		reason: "compare --plot with a .jpg name: a usage error naming the file",
		args:   []string{"compare", "--control", taxiControl, "--experiment", taxiExperiment, "--plot", "taxi.jpg"},
		code:   exitUsage,
	},
	{
		name:   "monitor_plot_bad_extension",
		reason: "monitor --plot with a .gif name: a usage error before the replay starts",
		args:   []string{"monitor", "--control", monData + "drop_control.csv", "--experiment", monData + "drop_experiment.csv", "--plot", "stop.gif"},
		code:   exitUsage,
	},
	{
		name:   "aa_plot_health",
		reason: "--plot draws the A/A replay, which --health does not run: a usage error, not a figure of something else",
		args:   aaArgs("wandering", "--health", "--ratio", "2:2", "--plot", "health.svg"),
		code:   exitUsage,
	},
}

// plotRun is one command run with --plot.
type plotRun struct {
	name string
	args []string // without --plot
	code int
	// texts must appear in the SVG's text: the title's verdict, legend
	// entries.
	texts []string
}

var plotRuns = []plotRun{
	{
		name: "baseline",
		args: []string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--timezone", newYork},
		code: exitSignificant,
		// The baseline_taxi_thanksgiving golden: two deviations below.
		texts: []string{"The current series against the same hours of the last 4 weeks",
			"deviated: 2 deviations", "America/New_York", "current", "band: centre ± 4 spreads"},
	},
	{
		name: "baseline_json",
		args: []string{"baseline", "--history", taxiHistory, "--current", taxiOrdinary, "--timezone", newYork, "--format", "json"},
		code: exitOK,
		// An ordinary Thursday: steady, no deviation to shade.
		texts: []string{"steady: no deviation", "current"},
	},
	{
		name: "criteria",
		args: []string{"criteria", "--satisfaction", critDir + "satisfaction.csv",
			"--metric", "good=" + critDir + "good.csv", "--metric", "random_walk=" + critDir + "random_walk.csv", "--now", critNow},
		code: exitSignificant,
		// The criteria_week_text golden: good passes at +2m, the random
		// walk fails.
		texts: []string{"Does each metric move with satisfaction?", "good: PASS (best −0.991 at +2m, p < 1e-16)",
			"random_walk: FAIL correlation (best −0.0339 at −9m, p = 1)"},
	},
	{
		name: "aa",
		args: aaArgs("wandering", "--counts", "--ratio", "2:2"),
		code: exitSignificant,
		// The aa_wandering_text golden: invalid at every length up to 12h,
		// 24h valid on the split's dispersion.
		texts: []string{"A/A check: false positives per window length", "Mann-Whitney U at α = 0.05; shortest valid 24h",
			"534/672", "(planned)", "invalid", "valid", "α = 0.05"},
	},
	{
		name: "compare",
		args: []string{"compare", "--control", taxiControl, "--experiment", taxiExperiment},
		code: exitSignificant,
		// The taxi_mannwhitney_text golden: p = 1.7e-05 (scipy 1.10, method="exact").
		texts: []string{"Experiment against control", "Mann-Whitney U: p = 1.7e-05", "control (n = 48)", "experiment (n = 12)",
			"Distribution of the values"},
	},
	{
		name:  "compare_plain",
		args:  []string{"compare", "--method", "exact", "--format", "json", "--experiment", "testdata/males.csv", "--control", "testdata/females.csv"},
		code:  exitOK,
		texts: []string{"Mann-Whitney U: p = 0.111", "point", "control (n = 4)", "experiment (n = 5)"},
	},
	{
		name: "monitor",
		args: monArgs("drop", "--direction", "decrease"),
		code: exitSignificant,
		// The monitor_drop_text golden: the test stops the drop hour.
		texts: []string{"Emergency stop: is the experiment worse than the control?", "by the test", "stop (test)",
			"α = 0.05: stop when reached", "always-valid interval"},
	},
	{
		name:  "monitor_feed",
		args:  []string{"monitor", "--feed", monData + "feed.csv", "--direction", "decrease", "--format", "json"},
		code:  exitSignificant,
		texts: []string{"Emergency stop: is the experiment worse than the control?", "stop ("},
	},
}

// TestPlot runs each command with --plot FILE for an SVG and a PNG and
// checks that the plot changes nothing else (stdout, stderr and exit code
// are those of the same command without it) and that the files are the
// figure: a well-formed SVG showing the expected texts, a decodable PNG
// of the default size. The runs without --plot are those of golden cases
// (runOnce runs each once); the runs share nothing and go in parallel.
func TestPlot(t *testing.T) {
	t.Parallel()
	for _, c := range plotRuns {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runOnce(t, c.args, "")
			code0, out0, err0 := r.code, r.stdout, r.stderr
			if code0 != c.code {
				t.Fatalf("without --plot: exit %d, want %d\n%s", code0, c.code, err0)
			}
			dir := t.TempDir()
			for _, name := range []string{c.name + ".svg", c.name + ".png"} {
				file := filepath.Join(dir, name)
				var out, errOut bytes.Buffer
				code := run(append(slices.Clone(c.args), "--plot", file), bytes.NewReader(nil), &out, &errOut)
				if code != code0 || out.String() != out0 || errOut.String() != err0 {
					t.Errorf("%s: --plot changed the output: exit %d (want %d)\n--- stdout:\n%s--- stderr:\n%s", name, code, code0, out.String(), errOut.String())
				}
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasSuffix(name, ".svg") {
					texts := svgText(t, data)
					for _, want := range c.texts {
						if !strings.Contains(texts, want) {
							t.Errorf("%s: no text %q in the SVG; its texts:\n%s", name, want, texts)
						}
					}
					continue
				}
				img, kind, err := image.Decode(bytes.NewReader(data))
				if err != nil || kind != "png" {
					t.Fatalf("%s: decodes as %q: %v", name, kind, err)
				}
				if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 400 {
					t.Errorf("%s is %dx%d, want at least 600x400", name, b.Dx(), b.Dy())
				}
			}
		})
	}
}

// TestPlotNotWrittenWithoutVerdict: an input error or no data writes no
// figure.
func TestPlotNotWrittenWithoutVerdict(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.svg")
	for _, args := range [][]string{
		{"baseline", "--history", taxiHistory, "--current", "testdata/all_missing.csv", "--timezone", newYork, "--plot", file},
		{"criteria", "--satisfaction", critDir + "satisfaction_short.csv", "--metric", "good=" + critDir + "good.csv", "--plot", file},
		{"monitor", "--feed", "testdata/monitor_short_feed.csv", "--plot", file},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, bytes.NewReader(nil), &out, &errOut); code == exitOK || code == exitSignificant {
			t.Errorf("%s: exit %d, want an error", args[0], code)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("%s wrote a figure without a verdict", args[0])
		}
	}
}

// TestPlotUnwritable: a figure that cannot be written is exit 2 with the
// file named on stderr, and nothing on stdout: exit 2 never comes with a
// report (a pipeline reading stdout would take it for an answer).
func TestPlotUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "no_such_dir", "x.svg")
	var out, errOut bytes.Buffer
	code := run([]string{"baseline", "--history", taxiHistory, "--current", taxiThanks, "--plot", file}, bytes.NewReader(nil), &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), file) || out.Len() != 0 {
		t.Errorf("exit %d, stderr %q, stdout %d bytes; want 2 naming %s and nothing on stdout", code, errOut.String(), out.Len(), file)
	}
}

// svgText returns the text of an SVG document's <text> elements, one a
// line, failing the test unless it is well-formed XML with an <svg> root.
func svgText(t *testing.T, data []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var b strings.Builder
	root, in := "", false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			in = tok.Name.Local == "text"
		case xml.CharData:
			if in {
				b.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				in = false
				b.WriteByte('\n')
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return b.String()
}
