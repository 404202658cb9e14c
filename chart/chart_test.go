package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	_ "image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"github.com/chaosstat/chaosstat/steadystate/monitor"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// figureCase is one figure drawn from committed test data.
type figureCase struct {
	name   string
	reason string
	// build returns the figure and the function that saves it to a file.
	build func(t *testing.T) (*figure, func(file string) error)
	// title holds lines the title must show; legends the legend entries,
	// in order.
	title   []string
	legends []string
}

func readSeries(t testing.TB, path string) series.Series {
	t.Helper()
	s, err := series.ReadFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// aaResult is an A/A result with one length of each verdict, written out
// so that the figure's three styles are all drawn.
var aaResult = compare.AAResult{
	Lengths: []compare.AAWindow{
		{Length: 5 * time.Minute, Windows: 576, Tested: 576, FalsePositives: 31, Rate: 31.0 / 576, Low: 0.034, High: 0.080, Status: compare.Valid},
		{Length: 30 * time.Minute, Windows: 96, Tested: 96, FalsePositives: 40, Rate: 40.0 / 96, Low: 0.30, High: 0.54, Status: compare.Invalid},
		{Length: 24 * time.Hour, Windows: 2, Tested: 2, FalsePositives: 0, Rate: 0, Low: 0, High: 0.84, Status: compare.TooFewWindows},
	},
	Planned: 30 * time.Minute, Recommended: 5 * time.Minute, Alpha: 0.05, Test: "mannwhitney",
}

// monitorDecisions replays the monitor's drop hour
// (steadystate/monitor/testdata) until it stops.
func monitorDecisions(t *testing.T) []monitor.Decision {
	ctl := readSeries(t, "../steadystate/monitor/testdata/drop_control.csv")
	exp := readSeries(t, "../steadystate/monitor/testdata/drop_experiment.csv")
	m, err := monitor.New(monitor.Config{Direction: steadystate.Decrease})
	if err != nil {
		t.Fatal(err)
	}
	var ds []monitor.Decision
	for i := range ctl.T {
		d, err := m.Add(monitor.Point{T: ctl.T[i], Control: ctl.V[i], Experiment: exp.V[i]})
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
		if d.Action == monitor.Stop {
			return ds
		}
	}
	t.Fatal("the drop hour did not stop the monitor")
	return nil
}

func taxiBaseline(t *testing.T) (*baseline.Baseline, series.Series, *baseline.DeviationReport) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	cur := readSeries(t, "../cmd/chaosstat/testdata/baseline_taxi_2014-11-27.csv")
	cur.Name = "taxi trips"
	h := readSeries(t, "../steadystate/baseline/testdata/taxi_2014-10-23_2014-11-27.csv")
	h = h.Window(math.MinInt64, cur.T[0])
	b, err := baseline.New(h, baseline.Options{Location: ny})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := b.Check(cur, baseline.DeviationRule{})
	if err != nil {
		t.Fatal(err)
	}
	return b, cur, rep
}

func criteriaInputs(t *testing.T) (series.Series, []criteria.Candidate, criteria.Report) {
	sat := readSeries(t, "../steadystate/criteria/testdata/satisfaction.csv")
	var cands []criteria.Candidate
	for _, n := range []string{"good", "random_walk"} {
		cands = append(cands, criteria.Candidate{Name: n, Series: readSeries(t, "../steadystate/criteria/testdata/"+n+".csv")})
	}
	rep, err := criteria.EvaluateAll(sat, cands, time.Time{}, criteria.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sat, cands, rep
}

var figureCases = []figureCase{
	{
		name:   "compare",
		reason: "Thanksgiving against four Thursdays (testdata/taxi_*): two panels, two groups each",
		build: func(t *testing.T) (*figure, func(string) error) {
			c := readSeries(t, "../testdata/taxi_control.csv")
			e := readSeries(t, "../testdata/taxi_experiment.csv")
			r, err := compare.MannWhitneyU(e.Values(), c.Values(), compare.Options{})
			if err != nil {
				t.Fatal(err)
			}
			f, err := compareFigure(c, e, r, Options{})
			return mustFigure(t, f, err), func(file string) error { return Compare(file, c, e, r, Options{}) }
		},
		// scipy 1.10 mannwhitneyu(method="exact") of these files gives p = 1.7e-05 (the
		// compare command's golden taxi_mannwhitney_text says the same).
		title:   []string{"Experiment against control", "Mann-Whitney U: p = 1.7e-05", "Distribution of the values"},
		legends: []string{"control (n = 48)", "control", "experiment (n = 12)", "experiment"},
	},
	{
		name:   "aa",
		reason: "one window length of each verdict: three point styles, α, the planned length named",
		build: func(t *testing.T) (*figure, func(string) error) {
			f, err := aaFigure(aaResult, Options{})
			return mustFigure(t, f, err), func(file string) error { return AA(file, aaResult, Options{}) }
		},
		title:   []string{"A/A check: false positives per window length", "Mann-Whitney U at α = 0.05; shortest valid 5m", "(planned)", "40/96"},
		legends: []string{"valid", "invalid", "too few windows to tell", "α = 0.05"},
	},
	{
		name:   "baseline",
		reason: "Thanksgiving 2014 against four Thursdays of NYC taxi trips: two deviations below the band",
		build: func(t *testing.T) (*figure, func(string) error) {
			b, cur, rep := taxiBaseline(t)
			if len(rep.Deviations) != 2 {
				t.Fatalf("%d deviations, the baseline command's golden shows 2", len(rep.Deviations))
			}
			f, err := baselineFigure(b, cur, rep, Options{})
			return mustFigure(t, f, err), func(file string) error { return Baseline(file, b, cur, rep, Options{}) }
		},
		title:   []string{"taxi trips against the same hours of the last 4 weeks", "deviated: 2 deviations", "America/New_York"},
		legends: []string{"band: centre ± 4 spreads", "centre: median of 4 past weeks", "current", "deviation: ≥ 5 points in a row outside"},
	},
	{
		name:   "criteria",
		reason: "a metric that follows satisfaction two minutes late and a random walk (steadystate/criteria/testdata)",
		build: func(t *testing.T) (*figure, func(string) error) {
			sat, cands, rep := criteriaInputs(t)
			f, err := criteriaFigure(sat, cands, rep, Options{})
			return mustFigure(t, f, err), func(file string) error { return Criteria(file, sat, cands, rep, Options{}) }
		},
		title: []string{"Does each metric move with satisfaction?"},
		// The criteria command's golden for these files reports good's
		// Pearson −0.991 (deseasonalised levels) at +2m and random_walk failing.
		legends: []string{"good: PASS (best −0.991 at +2m, p < 1e-16)", "random_walk: FAIL correlation (best −0.0339 at −9m, p = 1)",
			"±0.5, the least |coefficient| that passes"},
	},
	{
		name:   "monitor",
		reason: "the drop hour of steadystate/monitor/testdata, replayed until the test stops it",
		build: func(t *testing.T) (*figure, func(string) error) {
			ds := monitorDecisions(t)
			f, err := monitorFigure(ds, Options{})
			return mustFigure(t, f, err), func(file string) error { return Monitor(file, ds, Options{}) }
		},
		title: []string{"Emergency stop: is the experiment worse than the control?", "stopped at 12:26 by the test"},
		// The monitor_drop_text golden: stopped at 12:26 by the restarted
		// tests, the one that weighed most restarted at 12:19,
		// experiment/control −13.2% over its 8 pairs.
		legends: []string{"p-value", "α = 0.05: stop when reached", "estimate", "always-valid interval", "stop (test)",
			"the restarted test that weighed most in p: since 12:19 (8 pairs)", "since 12:19: −13.2%, its test's interval [−24.4%, −0.447%]"},
	},
}

// plainCases are figures of data without timestamps or with unusual
// endings; they are drawn like figureCases.
var plainCases = []figureCase{
	{
		name:   "compare_plain",
		reason: "plain samples without timestamps (cmd/chaosstat/testdata/males.csv, females.csv): the upper panel is by point number",
		build: func(t *testing.T) (*figure, func(string) error) {
			e := readSeries(t, "../cmd/chaosstat/testdata/males.csv")
			c := readSeries(t, "../cmd/chaosstat/testdata/females.csv")
			r, err := compare.MannWhitneyU(e.Values(), c.Values(), compare.Options{})
			if err != nil {
				t.Fatal(err)
			}
			f, err := compareFigure(c, e, r, Options{})
			return mustFigure(t, f, err), func(file string) error { return Compare(file, c, e, r, Options{}) }
		},
		// scipy 1.10: mannwhitneyu of these vectors gives p = 0.1111
		// (the compare golden males_females_exact_json).
		title:   []string{"Mann-Whitney U: p = 0.111", "point"},
		legends: []string{"control (n = 4)", "control", "experiment (n = 5)", "experiment"}, // females.csv holds 4 values, males.csv 5
	},
	{
		name:   "monitor_no_data",
		reason: "a stop for lack of data says so in the title; the p-value stays at 1",
		build: func(t *testing.T) (*figure, func(string) error) {
			t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC).UnixMilli()
			nan := monitor.Interval{Estimate: math.NaN(), Low: math.Inf(-1), High: math.Inf(1)}
			var ds []monitor.Decision
			for i := range 7 {
				d := monitor.Decision{T: t0 + int64(i)*60_000, Looks: i + 1, N: i, Alpha: 0.05, P: 1, Difference: nan, Relative: nan}
				if i == 6 {
					d.Action, d.Cause = monitor.Stop, monitor.CauseNoData
				}
				ds = append(ds, d)
			}
			f, err := monitorFigure(ds, Options{})
			return mustFigure(t, f, err), func(file string) error { return Monitor(file, ds, Options{}) }
		},
		title:   []string{"stopped at 12:06: no data"},
		legends: []string{"p-value", "α = 0.05: stop when reached", "stop (no_data)"}, // no pair, no estimate
	},
	{
		name:   "monitor_aa",
		reason: "two hours of an A/A split (steadystate/monitor/testdata/aa_*.csv): never stopped, the smallest p in the title",
		build: func(t *testing.T) (*figure, func(string) error) {
			ctl := readSeries(t, "../steadystate/monitor/testdata/aa_control.csv")
			exp := readSeries(t, "../steadystate/monitor/testdata/aa_experiment.csv")
			m, err := monitor.New(monitor.Config{Direction: steadystate.Decrease})
			if err != nil {
				t.Fatal(err)
			}
			var ds []monitor.Decision
			for i := range ctl.T {
				d, err := m.Add(monitor.Point{T: ctl.T[i], Control: ctl.V[i], Experiment: exp.V[i]})
				if err != nil {
					t.Fatal(err)
				}
				ds = append(ds, d)
			}
			f, err := monitorFigure(ds, Options{})
			return mustFigure(t, f, err), func(file string) error { return Monitor(file, ds, Options{}) }
		},
		title:   []string{"never stopped (smallest p = "},
		legends: []string{"p-value", "α = 0.05: stop when reached", "estimate", "always-valid interval"},
	},
}

func mustFigure(t *testing.T, f *figure, err error) *figure {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// svgTexts returns the text of every <text> element of an SVG document,
// failing the test when it is not well-formed XML with an <svg> root.
func svgTexts(t *testing.T, data []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var texts []string
	var in bool
	var cur strings.Builder
	root := ""
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
			if tok.Name.Local == "text" {
				in = true
				cur.Reset()
			}
		case xml.CharData:
			if in {
				cur.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				in = false
				texts = append(texts, cur.String())
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return texts
}

func count(xs []string, x string) int {
	n := 0
	for _, s := range xs {
		if s == x {
			n++
		}
	}
	return n
}

// TestFigures draws every figure to SVG and PNG and checks what a reader
// would: the SVG parses and shows the title and each legend entry, and the
// PNG decodes to an image of the default size with something drawn on it.
func TestFigures(t *testing.T) {
	for _, c := range append(slices.Clone(figureCases), plainCases...) {
		t.Run(c.name, func(t *testing.T) {
			f, save := c.build(t)
			if got, want := strings.Join(f.legends, " | "), strings.Join(c.legends, " | "); got != want {
				t.Errorf("legend entries\n got %s\nwant %s", got, want)
			}
			dir := t.TempDir()
			svg := filepath.Join(dir, c.name+".svg")
			if err := save(svg); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(svg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(data, []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")) {
				t.Error("the SVG's text does not fall back to Arial, which has Liberation Sans's metrics")
			}
			texts := svgTexts(t, data)
			all := strings.Join(texts, "\n")
			for _, want := range c.title {
				if !strings.Contains(all, want) {
					t.Errorf("the SVG has no text %q; its texts:\n%s", want, all)
				}
			}
			for _, l := range c.legends {
				// Each entry once; a legend that names the same thing
				// twice in one panel would read as two series.
				if n := count(texts, l); n < 1 || n > count(c.legends, l) {
					t.Errorf("legend entry %q appears %d times in the SVG, want %d", l, n, count(c.legends, l))
				}
			}

			png := filepath.Join(dir, c.name+".PNG") // the extension in any case
			if err := save(png); err != nil {
				t.Fatal(err)
			}
			checkPNG(t, png, int(math.Round(float64(f.width/vg.Inch)*DPI)), int(math.Round(float64(f.height/vg.Inch)*DPI)))
		})
	}
}

// checkPNG decodes file and checks its size and that a fair share of it
// is drawn on (not white) in more than a few colours.
func checkPNG(t *testing.T, file string, w, h int) {
	t.Helper()
	r, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	img, kind, err := image.Decode(r)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if kind != "png" {
		t.Errorf("%s decodes as %s", file, kind)
	}
	b := img.Bounds()
	if b.Dx() < w-1 || b.Dx() > w+1 || b.Dy() < h-1 || b.Dy() > h+1 {
		t.Errorf("%s is %dx%d, want %dx%d", file, b.Dx(), b.Dy(), w, h)
	}
	colours := map[color.RGBA]bool{}
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colours[c] = true
			if c != (color.RGBA{255, 255, 255, 255}) {
				inked++
			}
		}
	}
	// Text, axes and a series ink a few percent of an 800x480 figure at
	// least; a blank or transparent image inks none.
	if share := float64(inked) / float64((b.Dx()/2)*(b.Dy()/2)); share < 0.02 {
		t.Errorf("%s: only %.1f%% of the pixels are drawn on", file, 100*share)
	}
	if len(colours) < 10 {
		t.Errorf("%s: %d colours, want the palette, grey and antialiasing", file, len(colours))
	}
}

// TestBadExtension: a file that is neither .svg nor .png is an error that
// names it, and nothing is written.
func TestBadExtension(t *testing.T) {
	dir := t.TempDir()
	b, cur, rep := taxiBaseline(t)
	for _, name := range []string{"plot.pdf", "plot", "plot.svg.txt"} {
		file := filepath.Join(dir, name)
		err := Baseline(file, b, cur, rep, Options{})
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: got %v, want ErrFormat naming the file", name, err)
		}
		if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was written", name)
		}
	}
}

// TestNoData: each figure refuses to draw nothing.
func TestNoData(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.svg")
	b, cur, rep := taxiBaseline(t)
	sat, cands, crit := criteriaInputs(t)
	nan := series.Series{T: []int64{0, 60_000}, V: []float64{math.NaN(), math.NaN()}}
	cases := []struct {
		name string
		err  error
	}{
		{"compare, empty control", Compare(file, series.Series{}, cur, compare.Result{}, Options{})},
		{"compare, all-missing experiment", Compare(file, cur, nan, compare.Result{}, Options{})},
		{"aa, no lengths", AA(file, compare.AAResult{Alpha: 0.05}, Options{})},
		{"aa, nothing tested", AA(file, compare.AAResult{Alpha: 0.05, Lengths: []compare.AAWindow{{Length: time.Hour}}}, Options{})},
		{"baseline, nil baseline", Baseline(file, nil, cur, rep, Options{})},
		{"baseline, nil report", Baseline(file, b, cur, nil, Options{})},
		{"baseline, all-missing current", Baseline(file, b, nan, rep, Options{})},
		{"criteria, no metrics", Criteria(file, sat, cands, criteria.Report{}, Options{})},
		{"criteria, a metric without its series", Criteria(file, sat, cands[:1], crit, Options{})},
		{"monitor, no decisions", Monitor(file, nil, Options{})},
	}
	for _, c := range cases {
		if !errors.Is(c.err, ErrNoData) {
			t.Errorf("%s: got %v, want ErrNoData", c.name, c.err)
		}
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Error("a figure without data was written")
	}
}

// TestSegments: a gap in the data is a gap in the line.
func TestSegments(t *testing.T) {
	xs := []float64{0, 60, 120, 180, 240, 900, 960, 1020}
	ys := []float64{1, 2, math.NaN(), 4, 5, 6, 7, 8}
	got := segments(xs, ys)
	// {0,60}, then NaN breaks; {180,240}; then 660 s > 2 × the median step
	// of 60 s breaks again; {900,960,1020}.
	want := []int{2, 2, 3}
	if len(got) != len(want) {
		t.Fatalf("%d segments, want %d: %v", len(got), len(want), got)
	}
	for i, s := range got {
		if len(s) != want[i] {
			t.Errorf("segment %d has %d points, want %d", i, len(s), want[i])
		}
	}
}

// TestClockTicks: the time axis is marked at round wall-clock times of the
// zone, across a daylight-saving change too.
func TestClockTicks(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"an hour: every 10 minutes", time.Date(2026, 11, 26, 12, 3, 0, 0, ny), time.Date(2026, 11, 26, 13, 3, 0, 0, ny),
			[]string{"12:10", "12:20", "12:30", "12:40", "12:50", "13:00"}},
		{"a day: every 3 hours", time.Date(2014, 11, 27, 0, 0, 0, 0, ny), time.Date(2014, 11, 27, 23, 30, 0, 0, ny),
			[]string{"00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00"}},
		// At 2026-11-01 02:00 EDT the clocks go back to 01:00 EST: nine
		// hours pass, and the marks stay on even wall-clock hours.
		{"the night daylight saving ends", time.Date(2026, 10, 31, 22, 0, 0, 0, ny), time.Date(2026, 11, 1, 6, 0, 0, 0, ny),
			[]string{"22:00", "Sun 1 Nov", "02:00", "04:00", "06:00"}},
		{"four weeks: weekly, from Monday", time.Date(2014, 10, 30, 0, 0, 0, 0, ny), time.Date(2014, 11, 27, 0, 0, 0, 0, ny),
			[]string{"Mon 3 Nov", "Mon 10 Nov", "Mon 17 Nov", "Mon 24 Nov"}},
	}
	for _, c := range cases {
		ts := clockTicks{loc: ny}.Ticks(float64(c.from.Unix()), float64(c.to.Unix()))
		var got []string
		for _, tk := range ts {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: ticks %q, want %q", c.name, got, c.want)
		}
	}
}

// TestFmtNum: numbers in titles and legends, to three significant digits
// without exponents in the usual range.
func TestFmtNum(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{-3841.2, "−3840"}, {0.0464, "0.0464"}, {-0.6975, "−0.698"}, {12.345, "12.3"}, {1, "1.00"},
		{2e-7, "2e-07"}, {math.Inf(1), "∞"}, {math.Inf(-1), "−∞"}, {0, "0"},
	} {
		if got := fmtNum(c.x); got != c.want {
			t.Errorf("fmtNum(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}

// TestNiceTicks: value axes at round numbers, labelled with the decimals the step needs and
// no floating-point residue (0.6, not 0.6000000000000001).
func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 1, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{2000, 35500, "5000 10000 15000 20000 25000 30000 35000"},
		{-12, 9, "−10 −5 0 5"},
		{0.01, 0.035, "0.010 0.015 0.020 0.025 0.030 0.035"},
	} {
		var got []string
		for _, tk := range (niceTicks{}).Ticks(c.lo, c.hi) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("[%v, %v]: %q, want %q", c.lo, c.hi, strings.Join(got, " "), c.want)
		}
	}
}

// TestECDF: one rise per distinct value, from the share below it to the
// share at or below it.
func TestECDF(t *testing.T) {
	got := ecdf([]float64{3, 1, 1, 2})
	want := plotter.XYs{{X: 1, Y: 0}, {X: 1, Y: 0.5}, {X: 2, Y: 0.5}, {X: 2, Y: 0.75}, {X: 3, Y: 0.75}, {X: 3, Y: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("ecdf = %v, want %v", got, want)
	}
}
