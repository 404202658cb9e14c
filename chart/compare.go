package chart

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/chaosstat/chaosstat/compare"
	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Compare draws a two-sample comparison to file (SVG or PNG by its
// extension) in two panels: above, both groups over time (or by point
// number when the samples have no timestamps); below, their empirical
// cumulative distributions, where a shift of the experiment shows as a
// horizontal gap between the curves and a change of spread as curves that
// cross. The title carries the test, its p-value and the shift with its
// interval from r.
//
// A group without any present value is an error wrapping ErrNoData.
func Compare(file string, control, experiment series.Series, r compare.Result, opts Options) error {
	if _, err := format(file); err != nil {
		return err
	}
	f, err := compareFigure(control, experiment, r, opts)
	if err != nil {
		return err
	}
	return f.save(file)
}

func compareFigure(control, experiment series.Series, r compare.Result, opts Options) (*figure, error) {
	opts = opts.withDefaults(DefaultHeight * 8 / 5)
	groups := []struct {
		name string
		s    series.Series
	}{{"control", control}, {"experiment", experiment}}
	for _, g := range groups {
		if len(g.s.Present()) == 0 {
			return nil, fmt.Errorf("chart: compare: the %s group has no values: %w", g.name, ErrNoData)
		}
	}
	f := &figure{width: opts.Width, height: opts.Height}
	timed := len(control.T) > 0 && len(experiment.T) > 0

	title := "Experiment against control"
	if n := cmp.Or(experiment.Name, control.Name); n != "" {
		title = n + ": experiment against control"
	}
	title += "\n" + resultLine(r)
	top := newPanel(title, "point", opts.valueLabel(control.Name))
	bottom := newPanel("Distribution of the values", opts.valueLabel(control.Name), "share of points ≤ value")
	colours := []struct{ line float64 }{{1.2}, {1.2}}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, g := range groups {
		xs := make([]float64, len(g.s.V))
		for j := range xs {
			if timed {
				xs[j] = seconds(g.s.T[j])
			} else {
				xs[j] = float64(j + 1)
			}
		}
		if len(xs) > 0 {
			lo, hi = min(lo, xs[0]), max(hi, xs[len(xs)-1])
		}
		c := palette[i]
		label := fmt.Sprintf("%s (n = %d)", g.name, len(g.s.Present()))
		if timed {
			l := addLine(top, xs, g.s.V, lineStyle(c, colours[i].line))
			f.legend(top, label, l)
		} else {
			// Points of a plain sample have an order but no time: dots,
			// not a line that suggests a trend between them.
			var pts plotter.XYs
			for j, v := range g.s.V {
				if !math.IsNaN(v) {
					pts = append(pts, plotter.XY{X: xs[j], Y: v})
				}
			}
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, fmt.Errorf("chart: compare: %w", err)
			}
			s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3.5), Shape: []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}}[i]}
			top.Add(s)
			f.legend(top, label, s)
		}

		e, err := plotter.NewLine(ecdf(g.s.Present()))
		if err != nil {
			return nil, fmt.Errorf("chart: compare: %w", err)
		}
		e.LineStyle = lineStyle(c, 1.5)
		bottom.Add(e)
		f.legend(bottom, g.name, e)
	}
	if timed {
		timeAxis(top, opts.Location, lo, hi)
	}
	headroom(top, 0.2)
	bottom.Y.Min, bottom.Y.Max = 0, 1
	bottom.Legend.Top = true
	bottom.Legend.Left = true
	top.Title.TextStyle.Font.Size = vg.Points(13)
	f.rows = [][]*plot.Plot{{top}, {bottom}}
	return f, nil
}

// resultLine is a comparison's verdict in one line: the test, p, and the
// shift with its interval.
func resultLine(r compare.Result) string {
	s := fmt.Sprintf("%s: %s", testName(r.Test), pEq(r.P))
	if !math.IsNaN(r.Shift.Estimate) {
		s += fmt.Sprintf(", shift (experiment − control) %s [%s, %s] at %g%%",
			fmtNum(r.Shift.Estimate), fmtNum(r.Shift.Low), fmtNum(r.Shift.High), 100*r.Shift.Confidence)
	}
	return s
}

// ecdf returns the empirical cumulative distribution of v (no NaN, at
// least one value) as the vertices of a step line from 0 to 1: at each
// distinct value x, a rise from the share below x to the share at or
// below it. Ties (availability at exactly 1) are one rise, not a vertex
// each.
func ecdf(values []float64) plotter.XYs {
	v := slices.Clone(values)
	slices.Sort(v)
	n := float64(len(v))
	var pts plotter.XYs
	for j := 0; j < len(v); {
		k := j + 1
		for k < len(v) && v[k] == v[j] {
			k++
		}
		pts = append(pts, plotter.XY{X: v[j], Y: float64(j) / n}, plotter.XY{X: v[j], Y: float64(k) / n})
		j = k
	}
	return pts
}
