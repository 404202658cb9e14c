package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/chaosstat/chaosstat/compare"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// AA draws an A/A check to file (SVG or PNG by its extension): for each
// window length, the share of windows in which the comparison found a
// difference where there is none, with its Clopper-Pearson interval at
// confidence 1 − α as error bars, and α as a dashed line, which a sound
// split's rates scatter around. The points are coloured by verdict: valid,
// invalid (significantly above α, or a sample-ratio mismatch), or too few
// windows to tell; each is labelled with its count of false positives
// over windows tested. The planned length is named on the axis.
//
// A result without any tested window is an error wrapping ErrNoData.
func AA(file string, r compare.AAResult, opts Options) error {
	if _, err := format(file); err != nil {
		return err
	}
	f, err := aaFigure(r, opts)
	if err != nil {
		return err
	}
	return f.save(file)
}

func aaFigure(r compare.AAResult, opts Options) (*figure, error) {
	opts = opts.withDefaults(DefaultHeight)
	tested := 0
	for _, w := range r.Lengths {
		tested += w.Tested
	}
	if tested == 0 {
		return nil, fmt.Errorf("chart: aa: no window of any length was tested: %w", ErrNoData)
	}
	f := &figure{width: opts.Width, height: opts.Height}
	rec := "none valid"
	if r.Recommended > 0 {
		rec = "shortest valid " + compare.ShortDuration(r.Recommended)
	}
	if r.SRM != nil && r.SRM.Mismatch {
		rec += fmt.Sprintf("\nsample-ratio mismatch: the experiment got %.2f%% of the traffic, planned %.2f%%", 100*r.SRM.Share, 100*r.SRM.ExpectedShare)
	}
	title := fmt.Sprintf("A/A check: false positives per window length\n%s at α = %g; %s", testName(r.Test), r.Alpha, rec)
	p := newPanel(title, "window length", fmt.Sprintf("false positives (%% of windows with p ≤ %g)", r.Alpha))

	styles := []struct {
		status compare.AAStatus
		name   string
		glyph  draw.GlyphStyle
	}{
		{compare.Valid, "valid", draw.GlyphStyle{Color: colGreen, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}},
		{compare.Invalid, "invalid", draw.GlyphStyle{Color: colVermilion, Radius: vg.Points(4.5), Shape: draw.BoxGlyph{}}},
		{compare.TooFewWindows, "too few windows to tell", draw.GlyphStyle{Color: colGrey, Radius: vg.Points(4), Shape: draw.RingGlyph{}}},
	}
	var names []string
	var labels plotter.XYLabels
	top := r.Alpha
	for i, w := range r.Lengths {
		name := compare.ShortDuration(w.Length)
		if w.Length == r.Planned {
			name += "\n(planned)"
		}
		names = append(names, name)
		if w.Tested > 0 {
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(i), Y: w.High})
			labels.Labels = append(labels.Labels, fmt.Sprintf("%d/%d", w.FalsePositives, w.Tested))
			top = max(top, w.High)
		}
	}
	alpha := hline{y: r.Alpha, style: lineStyle(colBlack, 1, dashed...)}
	p.Add(alpha)
	for _, st := range styles {
		var pts plotter.XYs
		var errs plotter.YErrors
		for i, w := range r.Lengths {
			if w.Status != st.status || w.Tested == 0 || math.IsNaN(w.Rate) {
				continue
			}
			pts = append(pts, plotter.XY{X: float64(i), Y: w.Rate})
			errs = append(errs, struct{ Low, High float64 }{w.Rate - w.Low, w.High - w.Rate})
		}
		if len(pts) == 0 {
			continue
		}
		bars, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{pts, errs})
		if err != nil {
			return nil, fmt.Errorf("chart: aa: %w", err)
		}
		bars.LineStyle = lineStyle(st.glyph.Color, 1.2)
		bars.CapWidth = vg.Points(8)
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("chart: aa: %w", err)
		}
		sc.GlyphStyle = st.glyph
		p.Add(bars, sc)
		f.legend(p, st.name, sc)
	}
	f.legend(p, fmt.Sprintf("α = %g", r.Alpha), alpha)
	if len(labels.XYs) > 0 {
		l, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, fmt.Errorf("chart: aa: %w", err)
		}
		for i := range l.TextStyle {
			l.TextStyle[i].Font.Variant = "Sans"
			l.TextStyle[i].Font.Size = vg.Points(8)
			l.TextStyle[i].XAlign = -0.5
			l.TextStyle[i].Color = colGrey
		}
		l.Offset = vg.Point{Y: vg.Points(6)}
		p.Add(l)
	}
	p.NominalX(names...)
	p.X.Tick.Label.Font.Variant = "Sans"
	p.X.Min, p.X.Max = -0.6, float64(len(r.Lengths))-0.4
	// Room above the highest interval for its label and the legend (one
	// line per entry, at the top right).
	p.Y.Min, p.Y.Max = 0, min(1, top)*1.08+0.06*float64(len(f.legends))
	p.Legend.Top, p.Legend.Left = true, false
	p.Legend.XOffs = -vg.Points(6)
	p.Y.Tick.Marker = percentTicks{}
	f.rows = [][]*plot.Plot{{p}}
	return f, nil
}

// testName is a comparison's name for people.
func testName(t string) string {
	if n, ok := map[string]string{"mannwhitney": "Mann-Whitney U", "welch": "Welch's t", "ks": "Kolmogorov-Smirnov",
		"timeseries": "paired time series", "quantile": "quantile"}[t]; ok {
		return n
	}
	return t
}

// percentTicks labels a [0, 1] axis in percent.
type percentTicks struct{}

// Ticks implements plot.Ticker.
func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, t := range (niceTicks{}).Ticks(lo, min(hi, 1)) {
		t.Label = strconv.FormatFloat(math.Round(100*t.Value*1e6)/1e6, 'f', -1, 64) + "%"
		ts = append(ts, t)
	}
	return ts
}
