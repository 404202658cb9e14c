package chart

import (
	"fmt"
	"math"

	"github.com/chaosstat/chaosstat/steadystate/monitor"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// minP is the smallest p-value drawn: the log axis needs a positive floor,
// and a p below it is drawn at it.
const minP = 1e-12

// Monitor draws an emergency-stop replay to file (SVG or PNG by its
// extension) from the monitor's decisions, one per look, in two panels.
// Above, the always-valid p-value over time on a log scale with α as a
// dashed line: the test stops the experiment where the curve first
// reaches the line, and because the p-value is valid at every look at
// once, watching it continuously costs no extra false stops. Below, the
// experiment's difference from the control (relative, in percent, when
// the decisions carry it; else in the metric's units) with its
// always-valid confidence sequence. The first Stop is marked in both, with
// its cause (test, guardrail or no data).
//
// No decisions is an error wrapping ErrNoData.
func Monitor(file string, decisions []monitor.Decision, opts Options) error {
	if _, err := format(file); err != nil {
		return err
	}
	f, err := monitorFigure(decisions, opts)
	if err != nil {
		return err
	}
	return f.save(file)
}

func monitorFigure(ds []monitor.Decision, opts Options) (*figure, error) {
	if len(ds) == 0 {
		return nil, fmt.Errorf("chart: monitor: no decisions: %w", ErrNoData)
	}
	opts = opts.withDefaults(DefaultHeight * 8 / 5)
	f := &figure{width: opts.Width, height: opts.Height}
	alpha := ds[len(ds)-1].Alpha
	stop := -1
	for i, d := range ds {
		if d.Action == monitor.Stop {
			stop = i
			break
		}
	}
	relative := false
	for _, d := range ds {
		if !math.IsNaN(d.Relative.Estimate) && !math.IsInf(d.Relative.Estimate, 0) {
			relative = true
			break
		}
	}
	n := len(ds)
	xs := make([]float64, n)
	ps := make([]float64, n)
	est, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, d := range ds {
		xs[i] = seconds(d.T)
		// The axis is log10(p) on a linear scale, labelled in p: gonum's
		// LogScale places the axis label by the linear midpoint of the
		// range, which pushes the panel down.
		ps[i] = math.Log10(max(d.P, minP))
		iv, scale := d.Difference, 1.0
		if relative {
			iv, scale = d.Relative, 100
		}
		est[i], lo[i], hi[i] = scale*iv.Estimate, scale*iv.Low, scale*iv.High
		if d.N == 0 {
			est[i] = math.NaN()
		}
	}

	verdict := "never stopped"
	if stop >= 0 {
		d := ds[stop]
		when := timeOf(d.T, opts)
		switch d.Cause {
		case monitor.CauseTest:
			verdict = fmt.Sprintf("stopped at %s by the test (%s ≤ α = %g)", when, pEq(d.P), alpha)
		case monitor.CauseGuardrail:
			verdict = fmt.Sprintf("stopped at %s by a guardrail", when)
		case monitor.CauseNoData:
			verdict = fmt.Sprintf("stopped at %s: no data", when)
		default:
			verdict = fmt.Sprintf("stopped at %s (%s)", when, d.Cause)
		}
	} else {
		pmin := 1.0
		for _, d := range ds {
			pmin = min(pmin, d.P)
		}
		verdict += fmt.Sprintf(" (smallest %s > α = %g)", pEq(pmin), alpha)
	}
	top := newPanel("Emergency stop: is the experiment worse than the control?\n"+verdict,
		"time", "always-valid p-value (log scale)")
	bottomLabel := "experiment − control"
	if relative {
		bottomLabel = "experiment against control (%)"
	} else if opts.Unit != "" {
		bottomLabel += " (" + opts.Unit + ")"
	}
	bottom := newPanel(fmt.Sprintf("Difference with its two-sided %g%% always-valid confidence sequence", 100*(1-alpha)), "time", bottomLabel)

	al := hline{y: math.Log10(alpha), style: lineStyle(colVermilion, 1.2, dashed...)}
	top.Add(al)
	pl := addLine(top, xs, ps, lineStyle(colBlue, 1.6))
	f.legend(top, "p-value", pl)
	f.legend(top, fmt.Sprintf("α = %g: stop when reached", alpha), al)
	top.Y.Tick.Marker = pTicks{}
	pmin := 0.0
	for _, p := range ps {
		pmin = min(pmin, p)
	}
	lowest := min(pmin, math.Log10(alpha)) - 0.5
	top.Y.Min, top.Y.Max = lowest, 0.45*(-lowest) // room above p = 1 for the legend

	// The confidence sequence is infinite in the burn-in: draw it where
	// finite.
	for i := range lo {
		if math.IsInf(lo[i], 0) || math.IsInf(hi[i], 0) {
			lo[i], hi[i] = math.NaN(), math.NaN()
		}
	}
	var band *plotter.Polygon
	upper, lower := segments(xs, hi), segments(xs, lo)
	for k := range min(len(upper), len(lower)) {
		ring := append(plotter.XYs{}, upper[k]...)
		for j := len(lower[k]) - 1; j >= 0; j-- {
			ring = append(ring, lower[k][j])
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return nil, fmt.Errorf("chart: monitor: %w", err)
		}
		poly.Color = withAlpha(colBlue, 0.2)
		poly.LineStyle = draw.LineStyle{}
		bottom.Add(poly)
		if band == nil {
			band = poly
		}
	}
	bottom.Add(hline{y: 0, style: lineStyle(colGrey, 0.8)})
	el := addLine(bottom, xs, est, lineStyle(colBlue, 1.6))
	if el != nil {
		f.legend(bottom, "estimate", el)
	}
	if band != nil {
		f.legend(bottom, "always-valid interval", band)
	}

	if stop >= 0 {
		sl := vline{x: xs[stop], style: lineStyle(colBlack, 1.2)}
		mark, err := plotter.NewScatter(plotter.XYs{{X: xs[stop], Y: ps[stop]}})
		if err != nil {
			return nil, fmt.Errorf("chart: monitor: %w", err)
		}
		mark.GlyphStyle = draw.GlyphStyle{Color: colVermilion, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
		top.Add(sl, mark)
		bottom.Add(vline{x: xs[stop], style: lineStyle(colBlack, 1.2)})
		f.legend(top, "stop ("+ds[stop].Cause.String()+")", sl)
	}

	// The restarted test that gave the final p-value, when one did: its
	// span above, its estimate and interval below (relative scale only,
	// the scale the monitor reports it on). A harm that starts mid-run
	// shows here, where the whole-run average still dilutes it.
	last := ds[n-1]
	if stop >= 0 {
		last = ds[stop]
	}
	var win *plotter.YErrorBars
	if w := last.Window; w.Start > 0 && !math.IsNaN(w.Estimate) {
		span := spans{x: [][2]float64{{seconds(w.Start), seconds(last.T)}}, color: withAlpha(colVermilion, 0.12)}
		top.Add(span)
		f.legend(top, fmt.Sprintf("the restarted test that weighed most in p: since %s (%d pairs)", timeOf(w.Start, opts), w.N), span)
		if relative && !math.IsInf(w.Low, 0) && !math.IsInf(w.High, 0) {
			x := seconds(last.T)
			pt := plotter.XYs{{X: x, Y: 100 * w.Estimate}}
			bars, err := plotter.NewYErrorBars(struct {
				plotter.XYs
				plotter.YErrors
			}{pt, plotter.YErrors{{Low: 100 * (w.Estimate - w.Low), High: 100 * (w.High - w.Estimate)}}})
			if err != nil {
				return nil, fmt.Errorf("chart: monitor: %w", err)
			}
			bars.LineStyle = lineStyle(colVermilion, 1.6)
			bars.CapWidth = vg.Points(8)
			dot, err := plotter.NewScatter(pt)
			if err != nil {
				return nil, fmt.Errorf("chart: monitor: %w", err)
			}
			dot.GlyphStyle = draw.GlyphStyle{Color: colVermilion, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
			bottom.Add(bars, dot)
			win = bars
			f.legend(bottom, fmt.Sprintf("since %s: %s%%, its test's interval [%s%%, %s%%]", timeOf(w.Start, opts),
				fmtNum(100*w.Estimate), fmtNum(100*w.Low), fmtNum(100*w.High)), lineGlyph2{bars, dot})
		}
	}

	// Bottom range: the estimate and the finite bounds, with room for the
	// legend.
	// The interval is wide in the first looks after the burn-in; its
	// second half sets the range (the start is clipped), so that the
	// estimate stays readable.
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i := range est {
		for _, y := range []float64{est[i], lo[i], hi[i]} {
			if !math.IsNaN(y) && (y == est[i] || i >= n/2) {
				ymin, ymax = min(ymin, y), max(ymax, y)
			}
		}
	}
	if win != nil {
		w := last.Window
		ymin, ymax = min(ymin, 100*w.Low), max(ymax, 100*w.High)
	}
	if ymin <= ymax {
		ymin, ymax = min(ymin, 0), max(ymax, 0)
		bottom.Y.Min, bottom.Y.Max = ymin, ymax
		headroom(bottom, 0.3)
	}
	lo0, hi0 := xs[0], xs[n-1]
	if hi0 == lo0 {
		lo0, hi0 = lo0-60, hi0+60
	}
	hi0 += 0.02 * (hi0 - lo0) // the stop off the edge
	for _, p := range []*plot.Plot{top, bottom} {
		timeAxis(p, opts.Location, lo0, hi0)
		p.X.Min, p.X.Max = lo0, hi0
	}
	f.rows = [][]*plot.Plot{{top}, {bottom}}
	if el == nil && band == nil {
		// No complete pair, no difference: the lower panel would be empty.
		f.rows = f.rows[:1]
		if opts.Height == DefaultHeight*8/5 {
			f.height = DefaultHeight
		}
	}
	return f, nil
}

// timeOf writes Unix ms as a wall-clock time in opts.Location.
func timeOf(ms int64, opts Options) string {
	return timeIn(ms, opts).Format("15:04")
}

// pTicks marks an axis of log10(p) at the powers of ten, labelled as p
// values (0.001, 1e-06).
type pTicks struct{}

// Ticks implements plot.Ticker.
func (pTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Ceil(lo); e <= math.Floor(min(hi, 0)); e++ {
		ts = append(ts, plot.Tick{Value: e, Label: fmt.Sprintf("%g", math.Pow(10, e))})
	}
	if len(ts) > 8 {
		// Label every other power on a long axis.
		for i := range ts {
			if i%2 == 1 {
				ts[i].Label = ""
			}
		}
	}
	return ts
}

// lineGlyph2 is a legend thumbnail of error bars with a dot on them.
type lineGlyph2 struct {
	bars *plotter.YErrorBars
	dot  *plotter.Scatter
}

func (t lineGlyph2) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(t.bars.LineStyle, x, c.Min.Y, x, c.Max.Y)
	t.dot.Thumbnail(c)
}
