package diagram

import (
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Label text is measured with the Go fonts (Bigelow & Holmes, 2016), which
// are embedded here and in the raster renderer, so a PNG's text fills its
// label boxes exactly. They cover Latin, Greek, †, ↑, − and the other
// symbols of tensor names; SVG names them first in its font list.
//
// Scripts are set at ScriptScale of the size, subscripts lowered by
// SubShift and superscripts raised by SuperShift (fractions of the size).
const (
	ScriptScale = 0.7
	SubShift    = 0.22
	SuperShift  = 0.4
)

// metricsPPEM is the pixels-per-em the fonts are measured at; results are
// divided by it to give fractions of an em.
const metricsPPEM = 1024

type glyphMetrics struct {
	adv, top, bottom float64 // advance; ink extent above and below the baseline (ems)
}

type face struct {
	mu    sync.Mutex
	f     *sfnt.Font
	buf   sfnt.Buffer
	cache map[rune]glyphMetrics
}

var faces = sync.OnceValue(func() [2]*face {
	parse := func(ttf []byte) *face {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			// The fonts are compiled into the binary: failing to parse them
			// is a broken build, not bad input.
			panic("diagram: embedded Go font: " + err.Error())
		}
		return &face{f: f, cache: map[rune]glyphMetrics{}}
	}
	return [2]*face{parse(goregular.TTF), parse(goitalic.TTF)}
})

func (fc *face) glyph(r rune) glyphMetrics {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if m, ok := fc.cache[r]; ok {
		return m
	}
	var m glyphMetrics
	idx, err := fc.f.GlyphIndex(&fc.buf, r)
	if err == nil {
		b, adv, err := fc.f.GlyphBounds(&fc.buf, idx, fixed.I(metricsPPEM), font.HintingNone)
		if err == nil {
			m = glyphMetrics{
				adv:    float64(adv) / 64 / metricsPPEM,
				top:    -float64(b.Min.Y) / 64 / metricsPPEM,
				bottom: float64(b.Max.Y) / 64 / metricsPPEM,
			}
			if b.Empty() { // a space
				m.top, m.bottom = 0, 0
			}
		}
	}
	fc.cache[r] = m
	return m
}

// Span is a run placed on the line: X is its left edge from the start of
// the text, Shift its baseline offset (positive down) and Size its font size.
type Span struct {
	Run
	X, Shift, Size float64
}

// Extent is the size of set text: its advance width and its ink extent above
// (Ascent) and below (Descent) the baseline.
type Extent struct {
	W, Ascent, Descent float64
}

// Set places the runs of t at font size size and returns the spans and the
// extent of the whole. The ascent is at least the x-height and the descent
// at least zero, so short labels ("a", "-") still get a usable box.
func (t Text) Set(size float64) ([]Span, Extent) {
	fs := faces()
	spans := make([]Span, 0, len(t))
	ext := Extent{Ascent: 0.53 * size}
	x := 0.0
	for _, r := range t {
		sz, shift := size, 0.0
		switch r.Script {
		case Sub:
			sz, shift = size*ScriptScale, size*SubShift
		case Super:
			sz, shift = size*ScriptScale, -size*SuperShift
		}
		fc := fs[0]
		if r.Italic {
			fc = fs[1]
		}
		spans = append(spans, Span{r, x, shift, sz})
		for _, c := range r.Text {
			m := fc.glyph(c)
			x += m.adv * sz
			ext.Ascent = math.Max(ext.Ascent, m.top*sz-shift)
			ext.Descent = math.Max(ext.Descent, m.bottom*sz+shift)
		}
	}
	ext.W = x
	return spans, ext
}
