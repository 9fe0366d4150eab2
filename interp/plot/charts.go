package plot

import (
	"image/color"
	"math"
	"slices"
	"strconv"
)

// Scale maps a value to a colour.
type Scale int

// Colour scales.
const (
	// Sequential runs from white (Min) to dark blue (Max), for attention
	// patterns and other non-negative quantities.
	Sequential Scale = iota
	// Diverging runs from red (negative) through white (0) to blue
	// (positive), symmetric about zero, for signed quantities such as
	// baselined composition scores (matplotlib's and plotly's RdBu).
	Diverging
)

var (
	black     = color.RGBA{0x22, 0x22, 0x22, 0xff}
	grey      = color.RGBA{0x66, 0x66, 0x66, 0xff}
	maskGrey  = color.RGBA{0xee, 0xee, 0xee, 0xff}
	frame     = color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
	seqStops  = []color.RGBA{{0xff, 0xff, 0xff, 0xff}, {0xc6, 0xdb, 0xef, 0xff}, {0x6b, 0xae, 0xd6, 0xff}, {0x21, 0x71, 0xb5, 0xff}, {0x08, 0x30, 0x6b, 0xff}}
	divStops  = []color.RGBA{{0x67, 0x00, 0x1f, 0xff}, {0xd6, 0x60, 0x4d, 0xff}, {0xfd, 0xdb, 0xc7, 0xff}, {0xff, 0xff, 0xff, 0xff}, {0xd1, 0xe5, 0xf0, 0xff}, {0x43, 0x93, 0xc3, 0xff}, {0x05, 0x30, 0x61, 0xff}}
	posBar    = color.RGBA{0x21, 0x71, 0xb5, 0xff}
	negBar    = color.RGBA{0xd6, 0x60, 0x4d, 0xff}
	titleSize = 15.0
	labelSize = 12.0
	tickSize  = 10.0
)

// colorAt interpolates the scale's stops at t ∈ [0, 1].
func colorAt(stops []color.RGBA, t float64) color.RGBA {
	if math.IsNaN(t) {
		return maskGrey
	}
	t = math.Min(math.Max(t, 0), 1) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	f := t - float64(i)
	lerp := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + f*(float64(b)-float64(a)))) }
	a, b := stops[i], stops[i+1]
	return color.RGBA{lerp(a.R, b.R), lerp(a.G, b.G), lerp(a.B, b.B), 0xff}
}

// Heatmap is a matrix drawn as coloured cells: row i top to bottom, column j
// left to right.
type Heatmap struct {
	Title          string
	Values         [][]float64
	RowLabels      []string // optional, one per row
	ColLabels      []string // optional, one per column
	XLabel, YLabel string
	// Masked cells are drawn light grey whatever their value (e.g. the
	// upper triangle of a causal attention pattern).
	Masked func(i, j int) bool
	Scale  Scale
	// Min and Max fix the colour range; both zero means the data's range
	// (Sequential from min(0, data) to the maximum; Diverging ±max |v|).
	Min, Max float64
	ColorBar bool
	// reserveBar keeps the colour bar's space free without drawing it, so
	// that the panels of a grid have equal cells.
	reserveBar bool
	// Annotate writes each unmasked value in its cell when cells are large
	// enough to hold it.
	Annotate bool
}

// CausalMask masks the cells above the diagonal (key after query).
func CausalMask(i, j int) bool { return j > i }

func (h *Heatmap) rng() (lo, hi float64) {
	if h.Min != 0 || h.Max != 0 {
		return h.Min, h.Max
	}
	for i, row := range h.Values {
		for j, v := range row {
			if (h.Masked != nil && h.Masked(i, j)) || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if h.Scale == Diverging {
		m := math.Max(-lo, hi)
		lo, hi = -m, m
	}
	if hi == lo {
		hi = lo + 1
	}
	return lo, hi
}

func (h *Heatmap) cellColor(i, j int, lo, hi float64) color.RGBA {
	if h.Masked != nil && h.Masked(i, j) {
		return maskGrey
	}
	return h.color(h.Values[i][j], lo, hi)
}

func (h *Heatmap) color(v, lo, hi float64) color.RGBA {
	stops := seqStops
	if h.Scale == Diverging {
		stops = divStops
	}
	return colorAt(stops, (v-lo)/(hi-lo))
}

// Draw lays the heatmap out in the box (x, y, w, h) of f: title on top, the
// y label and row labels on the left, column labels and x label below, the
// colour bar on the right; cells are square, as large as the box allows.
func (h *Heatmap) Draw(f *Figure, x, y, w, ht float64) {
	rows := len(h.Values)
	cols := 0
	if rows > 0 {
		cols = len(h.Values[0])
	}
	top := y
	if h.Title != "" {
		f.Text(x+w/2, y+titleSize, h.Title, titleSize, Middle, black, false)
		top += titleSize + 8
	}
	left := x
	if h.YLabel != "" {
		left += labelSize + 6
	}
	left += maxWidth(h.RowLabels, tickSize) + 4
	colLabelH := 0.0
	if len(h.ColLabels) > 0 {
		colLabelH = maxWidth(h.ColLabels, tickSize) + 4
	}
	bottom := y + ht - colLabelH
	if h.XLabel != "" {
		bottom -= labelSize + 8
	}
	right := x + w
	if h.ColorBar || h.reserveBar {
		right -= 16 + 6 + TextWidth("−0.000", tickSize) + 4
	}
	gw, gh := right-left, bottom-top
	if rows == 0 || cols == 0 || gw <= 0 || gh <= 0 {
		return
	}
	cell := math.Min(gw/float64(cols), gh/float64(rows))
	gw, gh = cell*float64(cols), cell*float64(rows)
	lo, hi := h.rng()
	for i, row := range h.Values {
		// Runs of equal colour become one rectangle (smaller SVG).
		for j := 0; j < len(row); {
			c := h.cellColor(i, j, lo, hi)
			k := j + 1
			for k < len(row) && h.cellColor(i, k, lo, hi) == c {
				k++
			}
			f.Rect(left+float64(j)*cell, top+float64(i)*cell, float64(k-j)*cell, cell, c, nil)
			j = k
		}
	}
	if h.Annotate && cell >= 4*tickSize {
		for i, row := range h.Values {
			for j, v := range row {
				if h.Masked != nil && h.Masked(i, j) {
					continue
				}
				ink := black
				if c := h.color(v, lo, hi); int(c.R)+int(c.G)+int(c.B) < 3*128 {
					ink = color.RGBA{0xff, 0xff, 0xff, 0xff}
				}
				f.Text(left+(float64(j)+0.5)*cell, top+(float64(i)+0.5)*cell+tickSize*0.35, Format(v), tickSize, Middle, ink, false)
			}
		}
	}
	f.Rect(left, top, gw, gh, color.Transparent, frame)
	step := labelStep(cell, tickSize)
	for i, s := range h.RowLabels {
		if i%step == 0 {
			f.Text(left-4, top+(float64(i)+0.5)*cell+tickSize*0.35, s, tickSize, End, grey, false)
		}
	}
	for j, s := range h.ColLabels {
		if j%step == 0 {
			f.Text(left+(float64(j)+0.5)*cell+tickSize*0.35, top+gh+4, s, tickSize, End, grey, true)
		}
	}
	if h.YLabel != "" {
		f.Text(x+labelSize, top+gh/2, h.YLabel, labelSize, Middle, grey, true)
	}
	if h.XLabel != "" {
		f.Text(left+gw/2, top+gh+colLabelH+labelSize+4, h.XLabel, labelSize, Middle, grey, false)
	}
	if h.ColorBar {
		colorBar(f, left+gw+6, top, 16, gh, h, lo, hi)
	}
}

// labelStep returns k such that every k-th label fits in cells of size cell.
func labelStep(cell, size float64) int {
	return max(1, int(math.Ceil((size+2)/cell)))
}

func maxWidth(labels []string, size float64) float64 {
	w := 0.0
	for _, s := range labels {
		w = math.Max(w, TextWidth(s, size))
	}
	return w
}

func colorBar(f *Figure, x, y, w, h float64, hm *Heatmap, lo, hi float64) {
	const n = 64
	for i := range n {
		v := hi - (hi-lo)*(float64(i)+0.5)/n
		f.Rect(x, y+h*float64(i)/n, w, h/n+0.5, hm.color(v, lo, hi), nil)
	}
	f.Rect(x, y, w, h, color.Transparent, frame)
	for _, t := range []float64{hi, (lo + hi) / 2, lo} {
		ty := y + h*(hi-t)/(hi-lo)
		f.HLine(x+w, ty, 3, grey)
		f.Text(x+w+5, ty+tickSize*0.35, Format(t), tickSize, Start, grey, false)
	}
}

// Format renders a value compactly for ticks and bar labels.
func Format(v float64) string {
	switch a := math.Abs(v); {
	case v == 0:
		return "0"
	case a >= 1e4 || a < 1e-3:
		return strconv.FormatFloat(v, 'e', 1, 64)
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// HeatmapFigure returns a figure of w×h pixels holding one heatmap.
func HeatmapFigure(h Heatmap, w, ht int) *Figure {
	f := New(w, ht)
	h.Draw(f, 10, 10, float64(w-20), float64(ht-20))
	return f
}

// Grid returns a figure with the heatmaps in a grid of the given number of
// columns, each panel pw×ph pixels, under an overall title. When some panels
// have a colour bar, all panels keep room for one, so that equal-sized
// matrices get equal cells.
func Grid(title string, panels []Heatmap, columns, pw, ph int) *Figure {
	columns = max(1, min(columns, len(panels)))
	rows := (len(panels) + columns - 1) / columns
	head := 0
	if title != "" {
		head = int(titleSize) + 16
	}
	bar := slices.ContainsFunc(panels, func(h Heatmap) bool { return h.ColorBar })
	f := New(columns*pw+20, rows*ph+head+20)
	if title != "" {
		f.Text(float64(f.W)/2, 10+titleSize, title, titleSize+1, Middle, black, false)
	}
	for i, p := range panels {
		r, c := i/columns, i%columns
		p.reserveBar = bar
		p.Draw(f, float64(10+c*pw), float64(10+head+r*ph), float64(pw-12), float64(ph-12))
	}
	return f
}

// Bars is a horizontal bar chart: one bar per label, positive values blue to
// the right of zero and negative ones red to the left.
type Bars struct {
	Title  string
	Labels []string
	Values []float64
	XLabel string
}

// Figure draws the bar chart w pixels wide, its height set by the number of bars.
func (b Bars) Figure(w int) *Figure {
	const rowH, pad = 20.0, 10.0
	head := 0.0
	if b.Title != "" {
		head = titleSize + 12
	}
	foot := 24.0
	if b.XLabel != "" {
		foot += labelSize + 6
	}
	h := int(pad + head + rowH*float64(len(b.Values)) + foot + pad)
	f := New(w, h)
	if b.Title != "" {
		f.Text(float64(w)/2, pad+titleSize, b.Title, titleSize, Middle, black, false)
	}
	lo, hi := 0.0, 0.0
	for _, v := range b.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo == hi {
		hi = 1
	}
	valueW := 0.0
	for _, v := range b.Values {
		valueW = math.Max(valueW, TextWidth(Format(v), tickSize))
	}
	left := pad + maxWidth(b.Labels, labelSize) + 8
	right := float64(w) - pad - valueW - 6
	if lo < 0 {
		left += valueW + 6
	}
	top := pad + head
	xOf := func(v float64) float64 { return left + (right-left)*(v-lo)/(hi-lo) }
	for i, v := range b.Values {
		yy := top + rowH*float64(i)
		x0, x1 := xOf(math.Min(v, 0)), xOf(math.Max(v, 0))
		c, tx, a := posBar, x1+4, Start
		if v < 0 {
			c, tx, a = negBar, x0-4, End
		}
		f.Rect(x0, yy+3, math.Max(x1-x0, 1), rowH-6, c, nil)
		f.Text(tx, yy+rowH/2+tickSize*0.35, Format(v), tickSize, a, grey, false)
		if i < len(b.Labels) {
			lx := left - 8
			if lo < 0 {
				lx = pad + maxWidth(b.Labels, labelSize)
			}
			f.Text(lx, yy+rowH/2+labelSize*0.35, b.Labels[i], labelSize, End, black, false)
		}
	}
	axisY := top + rowH*float64(len(b.Values))
	f.VLine(xOf(0), top, axisY-top, grey)
	f.HLine(left, axisY, right-left, grey)
	for _, t := range []float64{lo, (lo + hi) / 2, hi} {
		f.VLine(xOf(t), axisY, 4, grey)
		f.Text(xOf(t), axisY+6+tickSize, Format(t), tickSize, Middle, grey, false)
	}
	if b.XLabel != "" {
		f.Text((left+right)/2, axisY+24+labelSize, b.XLabel, labelSize, Middle, grey, false)
	}
	return f
}
