package train

import (
	"image/color"
	"math"
	"strconv"

	"github.com/strand-tn/strand/interp/plot"
)

// series is one line of a chart: points (X[i], Y[i]) in increasing X.
type series struct {
	Name  string
	X, Y  []float64
	Color color.RGBA
	Width float64 // pixels; 0 means 2
}

// chart is a line chart on linear axes.
type chart struct {
	Title, XLabel, YLabel string
	XMax, YMin, YMax      float64 // the x axis runs from 0
	Series                []series
	// Refs are horizontal reference lines (value, label), drawn dotted.
	Refs []ref
	// Legend is the width kept for the legend right of the plot; 0 means
	// what the series' names need (legendWidth). Charts stacked in one
	// figure share the widest, so that their x axes align.
	Legend float64
}

type ref struct {
	Y     float64
	Label string
}

var (
	ink       = color.RGBA{0x22, 0x22, 0x22, 0xff}
	muted     = color.RGBA{0x66, 0x66, 0x66, 0xff}
	gridLine  = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	frameGrey = color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
	// palette is Tableau 10, the colours of matplotlib's default cycle.
	palette = []color.RGBA{{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xd6, 0x27, 0x28, 0xff},
		{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff}, {0xbc, 0xbd, 0x22, 0xff}, {0x17, 0xbe, 0xcf, 0xff}}
)

// draw renders the chart into the rectangle (x, y, w, h) of f: title,
// frame, grid and ticks, the series as connected lines (each pixel column
// a vertical run, so a dense series draws as the band it fills), the
// reference lines and a legend in the top right corner.
func (c *chart) draw(f *plot.Figure, x, y, w, h float64) {
	const title, label, tick = 14.0, 12.0, legendSize
	legend := c.Legend
	if legend == 0 {
		legend = c.legendWidth()
	}
	f.Text(x+w/2, y+title+4, c.Title, title, plot.Middle, ink, false)
	left, top := x+62, y+title+18
	right, bottom := x+w-12-legend, y+h-label-30
	pw, ph := right-left, bottom-top
	px := func(v float64) float64 { return left + pw*v/c.XMax }
	py := func(v float64) float64 { return bottom - ph*(v-c.YMin)/(c.YMax-c.YMin) }
	for _, t := range ticks(0, c.XMax) {
		f.VLine(px(t), top, ph, gridLine)
		f.Text(px(t), bottom+tick+5, strconv.FormatFloat(t, 'f', -1, 64), tick, plot.Middle, muted, false)
	}
	for _, t := range ticks(c.YMin, c.YMax) {
		f.HLine(left, py(t), pw, gridLine)
		f.Text(left-5, py(t)+tick*0.35, strconv.FormatFloat(t, 'f', -1, 64), tick, plot.End, muted, false)
	}
	f.Text(left+pw/2, y+h-8, c.XLabel, label, plot.Middle, ink, false)
	f.Text(x+label+2, top+ph/2, c.YLabel, label, plot.Middle, ink, true)
	for _, r := range c.Refs {
		for xx := left; xx < right; xx += 6 {
			f.HLine(xx, py(r.Y), math.Min(3, right-xx), muted)
		}
		f.Text(right-4, py(r.Y)-4, r.Label, tick, plot.End, muted, false)
	}
	for _, s := range c.Series {
		lw := s.Width
		if lw == 0 {
			lw = 2
		}
		for _, r := range s.runs(px, py, top, bottom) {
			f.Rect(r.x0, r.lo-lw/2, r.x1-r.x0, r.hi-r.lo+lw, s.Color, nil)
		}
	}
	f.Rect(left, top, pw, ph, nil, frameGrey)
	for i, s := range c.Series {
		yy := top + 8 + 16*float64(i)
		f.Rect(right+14, yy-4, 16, 3, s.Color, nil)
		f.Text(right+36, yy, s.Name, tick, plot.Start, ink, false)
	}
}

// legendWidth returns the width the legend needs.
func (c *chart) legendWidth() float64 {
	w := 0.0
	for _, s := range c.Series {
		w = math.Max(w, plot.TextWidth(s.Name, legendSize)+44)
	}
	return w
}

// legendSize is the size of the legend's text (and of the ticks).
const legendSize = 10.0

// run is a stretch of pixel columns [x0, x1) over which a series covers
// the rows [lo, hi].
type run struct{ x0, x1, lo, hi float64 }

// runs rasterises the series' polyline into pixel columns: each column
// gets the range of rows the segments cross in it (so a series denser than
// the pixels draws as the band it fills), and neighbouring columns with the
// same range merge into one run.
func (s *series) runs(px, py func(float64) float64, top, bottom float64) []run {
	cols := map[int][2]float64{}
	first, last := math.MaxInt, math.MinInt
	clamp := func(v float64) float64 { return math.Min(math.Max(py(v), top), bottom) }
	for i := 1; i < len(s.X); i++ {
		x0, x1 := px(s.X[i-1]), px(s.X[i])
		y0, y1 := clamp(s.Y[i-1]), clamp(s.Y[i])
		for col := int(math.Floor(x0)); col == int(math.Floor(x0)) || float64(col) < x1; col++ {
			// The segment's rows over the column [col, col+1] ∩ [x0, x1].
			a, b := math.Max(float64(col), x0), math.Min(float64(col+1), x1)
			ya, yb := y0, y1
			if x1 > x0 {
				ya, yb = y0+(y1-y0)*(a-x0)/(x1-x0), y0+(y1-y0)*(b-x0)/(x1-x0)
			}
			lo, hi := math.Min(ya, yb), math.Max(ya, yb)
			if r, ok := cols[col]; ok {
				lo, hi = math.Min(lo, r[0]), math.Max(hi, r[1])
			}
			cols[col] = [2]float64{lo, hi}
			first, last = min(first, col), max(last, col)
		}
	}
	var out []run
	for col := first; col <= last; col++ {
		r, ok := cols[col]
		if !ok {
			continue
		}
		lo, hi := math.Round(r[0]*2)/2, math.Round(r[1]*2)/2
		if n := len(out); n > 0 && out[n-1].x1 == float64(col) && out[n-1].lo == lo && out[n-1].hi == hi {
			out[n-1].x1++
			continue
		}
		out = append(out, run{float64(col), float64(col + 1), lo, hi})
	}
	return out
}

// ticks returns about five round tick values in [lo, hi]: the multiples
// of a step of 1, 2, 2.5 or 5 times a power of ten, each computed as
// k·num/den in integers so that 0.6 prints as 0.6.
func ticks(lo, hi float64) []float64 {
	if !(hi > lo) {
		return []float64{lo}
	}
	raw := (hi - lo) / 5
	e := int(math.Floor(math.Log10(raw)))
	mult := 1.0
	for _, m := range []float64{2, 2.5, 5, 10} {
		if raw > mult*math.Pow10(e) {
			mult = m
		}
	}
	// step = num/den with num and den whole: mult·10^e, mult·2 whole for 2.5.
	num, den := mult*2*math.Pow10(max(e, 0)), 2*math.Pow10(max(-e, 0))
	var out []float64
	for k := math.Ceil(lo * den / num); k*num/den <= hi+math.Abs(hi)*1e-12; k++ {
		out = append(out, k*num/den)
	}
	return out
}
