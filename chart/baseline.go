package chart

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/baseline"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// Baseline draws a week-over-week check to file (SVG or PNG by its
// extension): the band the current series is judged against (each
// point's slot centre ± Z spreads, Z from rep.Rule) as a filled area, the
// centre as a dashed line, the current series over it, and each deviation
// in rep shaded across the plot's height. Slots without enough history
// (Sparse) leave a gap in the band. The time axis follows opts.Location,
// or the baseline's own when that is nil.
//
// A current series without any present value, or a nil baseline or
// report, is an error wrapping ErrNoData.
func Baseline(file string, b *baseline.Baseline, current series.Series, rep *baseline.DeviationReport, opts Options) error {
	if _, err := format(file); err != nil {
		return err
	}
	f, err := baselineFigure(b, current, rep, opts)
	if err != nil {
		return err
	}
	return f.save(file)
}

func baselineFigure(b *baseline.Baseline, current series.Series, rep *baseline.DeviationReport, opts Options) (*figure, error) {
	switch {
	case b == nil || len(b.Slots) == 0:
		return nil, fmt.Errorf("chart: baseline: no baseline: %w", ErrNoData)
	case rep == nil:
		return nil, fmt.Errorf("chart: baseline: no deviation report: %w", ErrNoData)
	case len(current.T) == 0 || len(current.Present()) == 0:
		return nil, fmt.Errorf("chart: baseline: the current series has no values with timestamps: %w", ErrNoData)
	}
	if opts.Location == nil {
		opts.Location = b.Location
	}
	opts = opts.withDefaults(DefaultHeight)
	z := rep.Rule.Z
	if !(z > 0) {
		z = baseline.DefaultDeviationRule.Z
	}
	f := &figure{width: opts.Width, height: opts.Height}

	verdict := "steady: no deviation"
	if n := len(rep.Deviations); n > 0 {
		worst := math.NaN()
		for _, d := range rep.Deviations {
			if math.IsNaN(worst) || math.Abs(math.Log(d.WorstRatio)) > math.Abs(math.Log(worst)) {
				worst = d.WorstRatio
			}
		}
		verdict = fmt.Sprintf("deviated: %d deviation%s", n, plural(n))
		if !math.IsNaN(worst) {
			verdict += fmt.Sprintf(", worst at %s%% of the centre", fmtNum(100*worst))
		}
	}
	name := current.Name
	if name == "" {
		name = "The current series"
	}
	title := fmt.Sprintf("%s against the same hours of the last %d weeks\n%s (%d of %d points outside the band)",
		name, b.WeeksWithData, verdict, rep.Outside, rep.Judged)
	p := newPanel(title, "time", opts.valueLabel(current.Name))

	xs := make([]float64, len(current.T))
	centre := make([]float64, len(xs))
	lo := make([]float64, len(xs))
	hi := make([]float64, len(xs))
	for i, t := range current.T {
		xs[i] = seconds(t)
		s, k := b.SlotAt(t)
		centre[i] = math.NaN()
		lo[i], hi[i] = b.Band(k, z) // in the series' units, also on the log scale
		if !math.IsNaN(lo[i]) {
			centre[i] = s.Center
		}
	}

	// Deviations first, under everything else.
	// Deviations first, under everything else: a faint span over the
	// interval, and below the series the area between it and the band's
	// edge, which shows how far outside it went.
	var dev spans
	dev.color = withAlpha(colVermilion, 0.10)
	for _, d := range rep.Deviations {
		dev.x = append(dev.x, [2]float64{seconds(d.Start.UnixMilli()), seconds(d.End.UnixMilli())})
	}
	if len(dev.x) > 0 {
		p.Add(dev)
	}
	var gaps []*plotter.Polygon
	for _, d := range rep.Deviations {
		edge := lo
		if d.Side == baseline.AboveBand {
			edge = hi
		}
		a, e := d.Start.UnixMilli(), d.End.UnixMilli()
		var top, bottom plotter.XYs
		flush := func() {
			if len(top) > 1 {
				ring := append(plotter.XYs{}, top...)
				for j := len(bottom) - 1; j >= 0; j-- {
					ring = append(ring, bottom[j])
				}
				if poly, err := plotter.NewPolygon(ring); err == nil {
					poly.Color = withAlpha(colVermilion, 0.55)
					poly.LineStyle = draw.LineStyle{}
					gaps = append(gaps, poly)
				}
			}
			top, bottom = nil, nil
		}
		for i, t := range current.T {
			if t < a || t >= e {
				continue
			}
			v := current.V[i]
			if math.IsNaN(v) || math.IsNaN(edge[i]) {
				flush()
				continue
			}
			w := v
			if (d.Side == baseline.BelowBand && v > edge[i]) || (d.Side == baseline.AboveBand && v < edge[i]) {
				w = edge[i] // inside the band here: no area
			}
			top = append(top, plotter.XY{X: xs[i], Y: edge[i]})
			bottom = append(bottom, plotter.XY{X: xs[i], Y: w})
		}
		flush()
	}

	// The band: one polygon per run of judged slots.
	bandColour := withAlpha(colBlue, 0.18)
	var band *plotter.Polygon
	upper, lower := segments(xs, hi), segments(xs, lo)
	for k := range min(len(upper), len(lower)) {
		ring := make(plotter.XYs, 0, len(upper[k])+len(lower[k]))
		ring = append(ring, upper[k]...)
		for j := len(lower[k]) - 1; j >= 0; j-- {
			ring = append(ring, lower[k][j])
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return nil, fmt.Errorf("chart: baseline: %w", err)
		}
		poly.Color = bandColour
		poly.LineStyle = draw.LineStyle{}
		p.Add(poly)
		if band == nil {
			band = poly
		}
	}
	for _, g := range gaps {
		p.Add(g)
	}
	cl := addLine(p, xs, centre, lineStyle(colBlue, 1, dashed...))
	cur := addLine(p, xs, current.V, lineStyle(colBlack, 1.3))

	if band != nil {
		f.legend(p, fmt.Sprintf("band: centre ± %g spreads", z), band)
	}
	if cl != nil {
		f.legend(p, fmt.Sprintf("centre: median of %d past weeks", b.WeeksWithData), cl)
	}
	f.legend(p, "current", cur)
	if len(dev.x) > 0 {
		var thumb plot.Thumbnailer = dev
		if len(gaps) > 0 {
			thumb = gaps[0]
		}
		f.legend(p, fmt.Sprintf("deviation: ≥ %d points in a row outside", rep.Rule.Persistence), thumb)
	}
	timeAxis(p, opts.Location, xs[0], xs[len(xs)-1])
	p.X.Min, p.X.Max = xs[0], xs[len(xs)-1]
	// Room above the data for the legend.
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, v := range [][]float64{lo, hi, current.V} {
		for _, y := range v {
			if !math.IsNaN(y) {
				ymin, ymax = min(ymin, y), max(ymax, y)
			}
		}
	}
	p.Y.Min, p.Y.Max = ymin, ymax
	headroom(p, 0.25)
	f.rows = [][]*plot.Plot{{p}}
	return f, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
