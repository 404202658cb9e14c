package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chaosstat/chaosstat/series"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Options are the per-figure choices. The zero Options stand for
// DefaultOptions.
type Options struct {
	// Location is the time zone whose wall clock the time axis shows; nil
	// means UTC.
	Location *time.Location
	// Unit names the metric's unit on value axes, such as "downloads/min"
	// or "ms"; empty leaves the axis as "value".
	Unit string
	// Width and Height are the size of the image; zero means the figure's
	// default (DefaultWidth by DefaultHeight, taller for two panels).
	Width, Height vg.Length
}

// DefaultOptions are the values zero Options fields stand for.
var DefaultOptions = Options{Location: time.UTC, Width: DefaultWidth, Height: DefaultHeight}

// DefaultWidth and DefaultHeight are the size of a one-panel figure: 800 by
// 480 pixels in PNG (96 dots per inch).
const (
	DefaultWidth  = 8.333 * vg.Inch
	DefaultHeight = 5 * vg.Inch
)

// DPI is the resolution of PNG output.
const DPI = 96

// ErrNoData is returned (wrapped, with what was missing) when a figure is
// asked for without anything to draw: no data is never an empty plot. It
// wraps series.ErrTooLittleData.
var ErrNoData = series.TooLittleData("nothing to plot")

// ErrFormat is returned (wrapped, naming the file) when the file's
// extension is neither .svg nor .png.
var ErrFormat = errors.New("unknown image format")

func (o Options) withDefaults(height vg.Length) Options {
	if o.Location == nil {
		o.Location = DefaultOptions.Location
	}
	if o.Width == 0 {
		o.Width = DefaultOptions.Width
	}
	if o.Height == 0 {
		o.Height = height
	}
	return o
}

// valueLabel is the label of an axis of metric values.
func (o Options) valueLabel(what string) string {
	if what == "" {
		what = "value"
	}
	if o.Unit != "" {
		return what + " (" + o.Unit + ")"
	}
	return what
}

// Okabe & Ito's colour-blind-safe palette (Okabe, M. & Ito, K. (2008).
// Color Universal Design, https://jfly.uni-koeln.de/color/).
var (
	colBlue      = color.RGBA{0x00, 0x72, 0xB2, 0xFF} // control, the band
	colOrange    = color.RGBA{0xE6, 0x9F, 0x00, 0xFF}
	colVermilion = color.RGBA{0xD5, 0x5E, 0x00, 0xFF} // experiment, harm
	colGreen     = color.RGBA{0x00, 0x9E, 0x73, 0xFF} // valid
	colSky       = color.RGBA{0x56, 0xB4, 0xE9, 0xFF}
	colPurple    = color.RGBA{0xCC, 0x79, 0xA7, 0xFF}
	colBlack     = color.RGBA{0x00, 0x00, 0x00, 0xFF}
	colGrey      = color.RGBA{0x77, 0x77, 0x77, 0xFF}
	palette      = []color.Color{colBlue, colVermilion, colGreen, colOrange, colPurple, colSky, colBlack}
)

// withAlpha returns c with opacity a in [0, 1] (premultiplied, as
// color.RGBA wants).
func withAlpha(c color.RGBA, a float64) color.RGBA {
	m := func(v uint8) uint8 { return uint8(math.Round(float64(v) * a)) }
	return color.RGBA{m(c.R), m(c.G), m(c.B), uint8(math.Round(255 * a))}
}

var dashed = []vg.Length{vg.Points(6), vg.Points(4)}

// figure is one image: rows of panels sharing the width, and the names
// of the legend entries, for the tests.
type figure struct {
	rows    [][]*plot.Plot
	width   vg.Length
	height  vg.Length
	legends []string
}

// newPanel returns a plot with the house style: a title, a light grid,
// legend at the top left.
func newPanel(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	for _, st := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		st.Font.Variant = "Sans"
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.Y.Label.TextStyle.Font.Size = vg.Points(12)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Label.Font.Size = vg.Points(10)
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(6)
	p.Legend.YOffs = -vg.Points(4)
	p.Legend.ThumbnailWidth = vg.Points(24)
	p.Legend.Padding = vg.Points(2)
	p.Y.Tick.Marker = niceTicks{}
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{0xE0}
	g.Horizontal.Color = color.Gray{0xE0}
	p.Add(g)
	return p
}

// legend adds an entry to p's legend and records its name.
func (f *figure) legend(p *plot.Plot, name string, thumbs ...plot.Thumbnailer) {
	p.Legend.Add(name, thumbs...)
	f.legends = append(f.legends, name)
}

// CheckFile returns an error wrapping ErrFormat, naming file, unless its
// extension is .svg or .png (in any case), so that a caller can reject a
// bad name before any work.
func CheckFile(file string) error {
	_, err := format(file)
	return err
}

// format returns the image format of file from its extension.
func format(file string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(file)); ext {
	case ".svg":
		return "svg", nil
	case ".png":
		return "png", nil
	case "":
		return "", fmt.Errorf("chart: %s: %w: the file name has no extension; want .svg or .png", file, ErrFormat)
	default:
		return "", fmt.Errorf("chart: %s: %w %q: want .svg or .png", file, ErrFormat, ext)
	}
}

// save draws f to file, SVG or PNG by the file's extension.
func (f *figure) save(file string) error {
	kind, err := format(file)
	if err != nil {
		return err
	}
	var c interface {
		vg.CanvasWriterTo
	}
	switch kind {
	case "svg":
		c = vgsvg.New(f.width, f.height)
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(DPI))}
	}
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if len(f.rows) == 1 && len(f.rows[0]) == 1 {
		f.rows[0][0].Draw(dc)
	} else {
		t := draw.Tiles{Rows: len(f.rows), Cols: len(f.rows[0]), PadY: vg.Points(10), PadX: vg.Points(10),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
		canvases := plot.Align(f.rows, t, dc)
		for i, row := range f.rows {
			for j, p := range row {
				if p != nil {
					p.Draw(canvases[i][j])
				}
			}
		}
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("chart: drawing %s: %w", file, err)
	}
	data := buf.Bytes()
	if kind == "svg" {
		// The text was measured with Liberation Sans, which few browsers
		// have; Arial and Helvetica have the same metrics, so the layout
		// holds where they stand in (rather than the browser's serif).
		data = bytes.ReplaceAll(data, []byte("font-family:Liberation Sans;"),
			[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

// seconds returns Unix milliseconds as Unix seconds, the time axis' unit.
func seconds(ms int64) float64 { return float64(ms) / 1000 }

// segments splits the points (xs[i], ys[i]) at missing values (NaN) and
// at gaps in x longer than twice the usual spacing (the median), so a gap
// in the data is a gap in the line, never a line drawn across it.
func segments(xs, ys []float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	gap := math.Inf(1)
	if len(xs) > 2 {
		d := make([]float64, 0, len(xs)-1)
		for i := 1; i < len(xs); i++ {
			d = append(d, xs[i]-xs[i-1])
		}
		slices.Sort(d)
		gap = 2 * d[len(d)/2]
	}
	for i := range xs {
		if math.IsNaN(ys[i]) || math.IsInf(ys[i], 0) || math.IsNaN(xs[i]) {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		if len(cur) > 0 && xs[i]-cur[len(cur)-1].X > gap {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, plotter.XY{X: xs[i], Y: ys[i]})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// addLine adds the points as one or more line segments of one style and
// returns the first (for the legend), or nil when there are none.
func addLine(p *plot.Plot, xs, ys []float64, style draw.LineStyle) *plotter.Line {
	var first *plotter.Line
	for _, seg := range segments(xs, ys) {
		l, err := plotter.NewLine(seg)
		if err != nil {
			continue
		}
		l.LineStyle = style
		if len(seg) == 1 {
			// A lone point between gaps would be invisible as a line.
			s, _ := plotter.NewScatter(seg)
			s.GlyphStyle = draw.GlyphStyle{Color: style.Color, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
			p.Add(s)
		}
		p.Add(l)
		if first == nil {
			first = l
		}
	}
	return first
}

func lineStyle(c color.Color, width float64, dashes ...vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dashes}
}

// hline is a horizontal line across the whole plot at y.
type hline struct {
	y     float64
	style draw.LineStyle
}

func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

func (h hline) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// vline is a vertical line across the whole plot at x.
type vline struct {
	x     float64
	style draw.LineStyle
}

func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x := tx(v.x)
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

func (v vline) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// spans shades vertical bands [x0, x1) over the whole height of the plot.
type spans struct {
	x     [][2]float64
	color color.Color
}

func (s spans) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	for _, x := range s.x {
		x0, x1 := tx(x[0]), tx(x[1])
		if x1-x0 < vg.Points(2) {
			x1 = x0 + vg.Points(2) // a short deviation must still show
		}
		x0, x1 = max(x0, c.Min.X), min(x1, c.Max.X)
		if x1 <= x0 {
			continue
		}
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x1, Y: c.Max.Y}}
		c.SetColor(s.color)
		c.Fill(r.Path())
	}
}

func (s spans) Thumbnail(c *draw.Canvas) {
	c.SetColor(s.color)
	c.Fill(c.Rectangle.Path())
}

// clockTicks marks the time axis (Unix seconds) at round wall-clock times
// in a time zone: every 5 minutes, 15, 30, an hour, 3, 6, 12, a day, ...,
// whichever gives at most maxTicks marks.
type clockTicks struct {
	loc *time.Location
}

const maxTicks = 8

var tickSteps = []time.Duration{
	time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
}

// Ticks implements plot.Ticker.
func (t clockTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	span := time.Duration((hi - lo) * float64(time.Second))
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/s <= maxTicks {
			step = s
			break
		}
	}
	start := time.Unix(int64(math.Floor(lo)), 0).In(t.loc)
	day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, t.loc)
	multiDay := span > 24*time.Hour || time.Unix(int64(hi), 0).In(t.loc).Day() != start.Day()
	var ticks []plot.Tick
	var next func(time.Time) time.Time
	if step >= 24*time.Hour {
		days := int(step / (24 * time.Hour))
		if days == 7 || days == 14 || days == 28 {
			// Weeks start on Monday.
			for day.Weekday() != time.Monday {
				day = day.AddDate(0, 0, -1)
			}
		}
		next = func(x time.Time) time.Time { return x.AddDate(0, 0, days) }
	} else if step >= time.Hour {
		// Whole hours of the wall clock, across a daylight-saving change
		// too: 00:00, 02:00, 04:00 on the night the clocks go back.
		hours := int(step / time.Hour)
		next = func(x time.Time) time.Time {
			return time.Date(x.Year(), x.Month(), x.Day(), x.Hour()+hours, 0, 0, 0, t.loc)
		}
	} else {
		next = func(x time.Time) time.Time { return x.Add(step) }
	}
	for x := day; !x.After(time.Unix(int64(math.Ceil(hi)), 0)); {
		v := float64(x.UnixMilli()) / 1000
		if v >= lo && v <= hi {
			ticks = append(ticks, plot.Tick{Value: v, Label: t.label(x, step, multiDay)})
		}
		n := next(x)
		if !n.After(x) {
			n = x.Add(step)
		}
		x = n
	}
	return ticks
}

func (t clockTicks) label(x time.Time, step time.Duration, multiDay bool) string {
	switch {
	case step >= 24*time.Hour:
		return x.Format("Mon 2 Jan")
	case multiDay && x.Hour() == 0 && x.Minute() == 0:
		return x.Format("Mon 2 Jan")
	case multiDay:
		return x.Format("15:04")
	case step < time.Minute:
		return x.Format("15:04:05")
	default:
		return x.Format("15:04")
	}
}

// timeAxis sets p's x axis to show Unix seconds as wall-clock times in loc
// and returns its label: the date (when the data is within a day) and
// the zone.
func timeAxis(p *plot.Plot, loc *time.Location, lo, hi float64) {
	p.X.Tick.Marker = clockTicks{loc: loc}
	a, b := time.Unix(int64(lo), 0).In(loc), time.Unix(int64(hi), 0).In(loc)
	zone := loc.String()
	if a.Format("2006-01-02") == b.Format("2006-01-02") {
		p.X.Label.Text = fmt.Sprintf("time of day on %s (%s)", a.Format("Mon 2 Jan 2006"), zone)
	} else {
		p.X.Label.Text = fmt.Sprintf("time, %s to %s (%s)", a.Format("2 Jan"), b.Format("2 Jan 2006"), zone)
	}
}

// timeIn returns Unix ms as a time in opts.Location (UTC when nil).
func timeIn(ms int64, opts Options) time.Time {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	return time.UnixMilli(ms).In(loc)
}

// fmtP writes a p-value for a title: 3 significant digits, "< 1e-16"
// below that.
func fmtP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "n/a"
	case p < 1e-16:
		return "< 1e-16"
	case p < 0.001:
		return fmt.Sprintf("%.2g", p)
	default:
		return fmt.Sprintf("%.3g", p)
	}
}

// pEq writes "p = 0.012", or "p < 1e-16".
func pEq(p float64) string {
	s := fmtP(p)
	if strings.HasPrefix(s, "<") {
		return "p " + s
	}
	return "p = " + s
}

// fmtNum writes a number to 3 significant digits without an exponent
// between 0.001 and a million (−3841 as −3840, not −3.84e+03), ∞ for
// infinities, and a true minus sign.
func fmtNum(x float64) string {
	var s string
	switch a := math.Abs(x); {
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "−∞"
	case math.IsNaN(x):
		return "n/a"
	case a == 0:
		s = "0"
	case a >= 1e-3 && a < 1e6:
		mag := int(math.Floor(math.Log10(a)))
		if mag >= 2 {
			p := math.Pow(10, float64(mag-2))
			s = strconv.FormatFloat(math.Round(x/p)*p, 'f', 0, 64)
		} else {
			s = strconv.FormatFloat(x, 'f', 2-mag, 64)
		}
	default:
		s = fmt.Sprintf("%.3g", x)
	}
	if strings.HasPrefix(s, "-") {
		s = "−" + s[1:]
	}
	return s
}

// headroom raises p's y maximum by a share of its range, so the legend
// at the top does not cover the data.
func headroom(p *plot.Plot, share float64) {
	lo, hi := p.Y.Min, p.Y.Max
	if hi > lo {
		p.Y.Max = hi + share*(hi-lo)
	}
}

// niceTicks marks a value axis at 1, 2, 2.5 or 5 times a power of ten,
// whichever gives 4 to 8 labelled marks (5000, 10000, ..., 35000 rather
// than 5000, 20000, 35000), with a true minus sign.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	mag := math.Pow(10, math.Floor(math.Log10(hi-lo)))
	var step float64
	for _, f := range []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10} {
		step = f * mag
		if (hi-lo)/step <= 8 {
			break
		}
	}
	// The decimals the step needs: 0.25 two, 0.5 one, 5000 none.
	dec := 0
	for s := step; dec < 12 && math.Abs(s-math.Round(s)) > 1e-9*s; s *= 10 {
		dec++
	}
	var ts []plot.Tick
	for i := math.Ceil(lo / step); i*step <= hi; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		label := strconv.FormatFloat(v, 'f', dec, 64)
		if math.Abs(v) >= 1e7 || (v != 0 && math.Abs(v) < 1e-4) {
			label = strconv.FormatFloat(v, 'g', 4, 64)
		}
		if strings.HasPrefix(label, "-") {
			label = "−" + label[1:]
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}
