package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"github.com/chaosstat/chaosstat/steadystate/criteria"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Criteria draws the correlation criterion of a criteria report to file
// (SVG or PNG by its extension): for each candidate metric, the
// correlation of its changes with satisfaction's against the lag
// (criteria.CorrelationLags, with rep.Options), the best lag marked
// and the ±MinCorrelation a metric must reach drawn as dashed lines. A
// metric that stands for customer experience shows a peak beyond the
// lines, near lag zero; one that does not, a flat curve near zero. The
// legend gives each metric's verdict on all three criteria.
//
// candidates are matched to rep.Metrics by name. A report without
// metrics, or a metric without its candidate, is an error wrapping
// ErrNoData.
func Criteria(file string, satisfaction series.Series, candidates []criteria.Candidate, rep criteria.Report, opts Options) error {
	if _, err := format(file); err != nil {
		return err
	}
	f, err := criteriaFigure(satisfaction, candidates, rep, opts)
	if err != nil {
		return err
	}
	return f.save(file)
}

func criteriaFigure(satisfaction series.Series, candidates []criteria.Candidate, rep criteria.Report, opts Options) (*figure, error) {
	opts = opts.withDefaults(DefaultHeight)
	if len(rep.Metrics) == 0 {
		return nil, fmt.Errorf("chart: criteria: the report has no metrics: %w", ErrNoData)
	}
	byName := map[string]criteria.Candidate{}
	for _, c := range candidates {
		byName[c.Name] = c
	}
	o := rep.Options
	unit, unitName := time.Minute, "minutes"
	if o.MaxLag > 3*time.Hour {
		unit, unitName = time.Hour, "hours"
	} else if o.MaxLag < 5*time.Minute {
		unit, unitName = time.Second, "seconds"
	}
	f := &figure{width: opts.Width, height: opts.Height}
	// The curve is CorrelationLags': for Deseasonalised, Pearson's
	// cross-correlation of the prewhitened series, whose peak chose the lag.
	curveMethod := methodName(o.Method.String())
	if o.Differencing == criteria.Deseasonalised {
		curveMethod = methodName("pearson")
	}
	title := fmt.Sprintf("Does each metric move with satisfaction?\n%s correlation of %s, against the lag",
		curveMethod, diffWords(o.Differencing))
	p := newPanel(title, fmt.Sprintf("lag of the metric behind satisfaction (%s; negative: the metric leads)", unitName),
		fmt.Sprintf("%s coefficient", curveMethod))
	thr := lineStyle(colGrey, 1, dashed...)
	p.Add(hline{y: o.MinCorrelation, style: thr}, hline{y: -o.MinCorrelation, style: thr}, hline{y: 0, style: lineStyle(colGrey, 0.6)})
	for i, m := range rep.Metrics {
		c, ok := byName[m.Name]
		if !ok {
			return nil, fmt.Errorf("chart: criteria: metric %q has no candidate series: %w", m.Name, ErrNoData)
		}
		lags, err := criteria.CorrelationLags(satisfaction, c.Series, o)
		if err != nil {
			return nil, fmt.Errorf("chart: criteria: metric %q: %w", m.Name, err)
		}
		xs := make([]float64, len(lags))
		ys := make([]float64, len(lags))
		for j, l := range lags {
			xs[j], ys[j] = float64(l.Lag)/float64(unit), l.Coefficient
		}
		col := palette[i%len(palette)]
		l := addLine(p, xs, ys, lineStyle(col, 1.6))
		if l == nil {
			return nil, fmt.Errorf("chart: criteria: metric %q: no coefficient at any lag: %w", m.Name, ErrNoData)
		}
		l.LineStyle.Dashes = metricDashes[i%len(metricDashes)]
		verdict := "PASS"
		if !m.Pass {
			var failed []string
			for _, cr := range []struct {
				pass bool
				name string
			}{{m.Correlation.Pass, "correlation"}, {m.RealTime.Pass, "real time"}, {m.Measurability.Pass, "measurability"}} {
				if !cr.pass {
					failed = append(failed, cr.name)
				}
			}
			verdict = "FAIL " + strings.Join(failed, ", ")
		}
		label := fmt.Sprintf("%s: %s", m.Name, verdict)
		cc := m.Correlation
		var thumb plot.Thumbnailer = l
		if !math.IsNaN(cc.Coefficient) {
			// The marker sits on the curve (its peak for Deseasonalised);
			// the legend gives the coefficient judged at that lag.
			y := cc.Coefficient
			if o.Differencing == criteria.Deseasonalised && !math.IsNaN(cc.PrewhitenedCoefficient) {
				y = cc.PrewhitenedCoefficient
			}
			best, err := plotter.NewScatter(plotter.XYs{{X: float64(cc.Lag) / float64(unit), Y: y}})
			if err != nil {
				return nil, fmt.Errorf("chart: criteria: %w", err)
			}
			best.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}
			p.Add(best)
			label += fmt.Sprintf(" (best %s at %s, %s)", fmtNum(cc.Coefficient), signedDur(cc.Lag), pEq(cc.P))
			thumb = lineGlyph{l, best}
		}
		f.legend(p, label, thumb)
	}
	f.legend(p, fmt.Sprintf("±%g, the least |coefficient| that passes", o.MinCorrelation), hline{style: thr})
	// Room above 1 for the legend, one line per entry.
	p.Y.Min, p.Y.Max = -1, 1.1+0.13*float64(len(rep.Metrics)+1)
	p.X.Tick.Marker = stepTicks{}
	p.Y.Tick.Marker = plot.ConstantTicks{{Value: -1, Label: "−1"}, {Value: -0.5, Label: "−0.5"}, {Value: 0, Label: "0"},
		{Value: 0.5, Label: "0.5"}, {Value: 1, Label: "1"}}
	f.rows = [][]*plot.Plot{{p}}
	return f, nil
}

var metricDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)}}

// lineGlyph is a legend thumbnail of a line with a marker on it.
type lineGlyph struct {
	l *plotter.Line
	s *plotter.Scatter
}

func (t lineGlyph) Thumbnail(c *draw.Canvas) {
	t.l.Thumbnail(c)
	t.s.Thumbnail(c)
}

func methodName(m string) string {
	switch m {
	case "spearman":
		return "Spearman"
	case "pearson":
		return "Pearson"
	case "kendall":
		return "Kendall tau-b"
	}
	return m
}

func diffWords(d criteria.Differencing) string {
	switch d {
	case criteria.FirstDifference:
		return "changes from one step to the next"
	case criteria.SeasonalDifference:
		return "changes since a season earlier"
	case criteria.Deseasonalised:
		return "the prewhitened series (daily cycle and trend removed)"
	}
	return "levels (not changes)"
}

// signedDur writes a lag with its sign: +2m, −30s, 0.
func signedDur(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < 0:
		return "−" + shortDur(-d)
	}
	return "+" + shortDur(d)
}

func shortDur(d time.Duration) string {
	s := d.String()
	for _, z := range []struct{ suf, trim string }{{"m0s", "0s"}, {"h0m", "0m"}} {
		if len(s) > len(z.suf) && s[len(s)-len(z.suf):] == z.suf {
			s = s[:len(s)-len(z.trim)]
		}
	}
	return s
}

// stepTicks marks an axis at whole multiples of 1, 2, 5, 10, 15, 30 or 60,
// whichever gives at most 13 marks, with a true minus sign.
type stepTicks struct{}

// Ticks implements plot.Ticker.
func (stepTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: fmtNum(lo)}}
	}
	step := 60.0
	for _, s := range []float64{1, 2, 5, 10, 15, 30, 60} {
		if (hi-lo)/s <= 12 {
			step = s
			break
		}
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), "-", "−", 1)})
	}
	return ts
}
