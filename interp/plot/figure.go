// Package plot draws the charts of strand's interpretability reports —
// heatmaps (attention patterns, composition scores), grids of them, and bar
// charts — as PNG (image/png, text in the Go font) and SVG from one layout.
//
// A [Figure] records axis-aligned rectangles, lines and text in pixel
// coordinates (origin top left); [Figure.PNG] rasterises them and
// [Figure.SVG] writes them as SVG elements, so the two renderings agree.
package plot

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Anchor is the horizontal alignment of text at its position.
type Anchor int

// Text anchors.
const (
	Start Anchor = iota
	Middle
	End
)

type item struct {
	kind       byte // 'r' rect, 'l' line, 't' text
	x, y, w, h float64
	fill       color.RGBA
	stroke     color.RGBA // rect outline (alpha 0: none)
	text       string
	size       float64
	anchor     Anchor
	vertical   bool // text rotated 90° counter-clockwise, reading upwards
}

// Figure is a drawing of W×H pixels on a white background.
type Figure struct {
	W, H  int
	items []item
}

// New returns an empty figure of the given size.
func New(w, h int) *Figure { return &Figure{W: w, H: h} }

// Rect fills the rectangle [x, x+w) × [y, y+h), outlined when stroke is not
// transparent.
func (f *Figure) Rect(x, y, w, h float64, fill, stroke color.Color) {
	f.items = append(f.items, item{kind: 'r', x: x, y: y, w: w, h: h, fill: rgba(fill), stroke: rgba(stroke)})
}

// HLine draws a one-pixel horizontal line from (x, y) of length w.
func (f *Figure) HLine(x, y, w float64, c color.Color) {
	f.items = append(f.items, item{kind: 'l', x: x, y: y, w: w, h: 0, fill: rgba(c)})
}

// VLine draws a one-pixel vertical line from (x, y) of length h.
func (f *Figure) VLine(x, y, h float64, c color.Color) {
	f.items = append(f.items, item{kind: 'l', x: x, y: y, w: 0, h: h, fill: rgba(c)})
}

// Text writes s with its baseline at y, anchored at x; vertical text reads
// upwards with its baseline at x and is anchored at y.
func (f *Figure) Text(x, y float64, s string, size float64, a Anchor, c color.Color, vertical bool) {
	f.items = append(f.items, item{kind: 't', x: x, y: y, text: s, size: size, anchor: a, fill: rgba(c), vertical: vertical})
}

func rgba(c color.Color) color.RGBA {
	if c == nil {
		return color.RGBA{}
	}
	return color.RGBAModel.Convert(c).(color.RGBA)
}

var (
	fontOnce sync.Once
	fontData *opentype.Font
	fontErr  error
	faces    sync.Map // float64 size → font.Face
)

// face returns the Go Regular face at size pixels (72 dpi: 1 pt = 1 px).
func face(size float64) (font.Face, error) {
	fontOnce.Do(func() { fontData, fontErr = opentype.Parse(goregular.TTF) })
	if fontErr != nil {
		return nil, fmt.Errorf("plot: %w", fontErr)
	}
	if f, ok := faces.Load(size); ok {
		return f.(font.Face), nil
	}
	f, err := opentype.NewFace(fontData, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	faces.Store(size, f)
	return f, nil
}

// TextWidth returns the advance width of s in pixels at size.
func TextWidth(s string, size float64) float64 {
	f, err := face(size)
	if err != nil {
		return 0.6 * size * float64(len([]rune(s)))
	}
	return float64(font.MeasureString(f, s)) / 64
}

// PNG encodes the figure as a PNG image.
func (f *Figure) PNG(w io.Writer) error {
	img := image.NewRGBA(image.Rect(0, 0, f.W, f.H))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, it := range f.items {
		switch it.kind {
		case 'r':
			r := pixRect(it.x, it.y, it.w, it.h)
			draw.Draw(img, r, image.NewUniform(it.fill), image.Point{}, draw.Over)
			if it.stroke.A != 0 {
				outline(img, r, it.stroke)
			}
		case 'l':
			w, h := math.Max(it.w, 1), math.Max(it.h, 1)
			draw.Draw(img, pixRect(it.x, it.y, w, h), image.NewUniform(it.fill), image.Point{}, draw.Over)
		case 't':
			if err := drawText(img, it); err != nil {
				return err
			}
		}
	}
	return png.Encode(w, img)
}

// pixRect rounds a rectangle's edges to whole pixels, so that adjacent cells
// tile without gaps or overlaps.
func pixRect(x, y, w, h float64) image.Rectangle {
	return image.Rect(int(math.Round(x)), int(math.Round(y)), int(math.Round(x+w)), int(math.Round(y+h)))
}

func outline(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	u := image.NewUniform(c)
	for _, e := range []image.Rectangle{
		image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y),
		image.Rect(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y), image.Rect(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y),
	} {
		draw.Draw(img, e, u, image.Point{}, draw.Over)
	}
}

func drawText(img *image.RGBA, it item) error {
	fc, err := face(it.size)
	if err != nil {
		return err
	}
	m := fc.Metrics()
	asc, desc := m.Ascent.Ceil(), m.Descent.Ceil()
	width := font.MeasureString(fc, it.text).Ceil()
	// Render horizontally into an alpha mask, baseline at asc.
	mask := image.NewAlpha(image.Rect(0, 0, width+2, asc+desc))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: fc, Dot: fixed.P(0, asc)}
	d.DrawString(it.text)
	shift := map[Anchor]float64{Start: 0, Middle: float64(width) / 2, End: float64(width)}[it.anchor]
	src := image.NewUniform(it.fill)
	if !it.vertical {
		x0, y0 := int(math.Round(it.x-shift)), int(math.Round(it.y))-asc
		draw.DrawMask(img, mask.Bounds().Add(image.Pt(x0, y0)), src, image.Point{}, mask, image.Point{}, draw.Over)
		return nil
	}
	// Rotate the mask 90° counter-clockwise: (u, v) → (v, W−1−u).
	b := mask.Bounds()
	rot := image.NewAlpha(image.Rect(0, 0, b.Dy(), b.Dx()))
	for v := range b.Dy() {
		for u := range b.Dx() {
			rot.SetAlpha(v, b.Dx()-1-u, mask.AlphaAt(u, v))
		}
	}
	x0, y0 := int(math.Round(it.x))-asc, int(math.Round(it.y+shift))-b.Dx()
	draw.DrawMask(img, rot.Bounds().Add(image.Pt(x0, y0)), src, image.Point{}, rot, image.Point{}, draw.Over)
	return nil
}

// SVG writes the figure as an SVG document.
func (f *Figure) SVG(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"Go, Helvetica, Arial, sans-serif\">\n", f.W, f.H, f.W, f.H)
	fmt.Fprintf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", f.W, f.H)
	for _, it := range f.items {
		switch it.kind {
		case 'r':
			r := pixRect(it.x, it.y, it.w, it.h)
			fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"%s", r.Min.X, r.Min.Y, r.Dx(), r.Dy(), hex(it.fill), opacity("fill", it.fill))
			if it.stroke.A != 0 {
				fmt.Fprintf(b, " stroke=\"%s\" stroke-width=\"1\"", hex(it.stroke))
			}
			b.WriteString("/>\n")
		case 'l':
			w, h := math.Max(it.w, 1), math.Max(it.h, 1)
			r := pixRect(it.x, it.y, w, h)
			fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", r.Min.X, r.Min.Y, r.Dx(), r.Dy(), hex(it.fill))
		case 't':
			anchor := [...]string{"start", "middle", "end"}[it.anchor]
			x, y := math.Round(it.x*10)/10, math.Round(it.y*10)/10
			rot := ""
			if it.vertical {
				rot = fmt.Sprintf(" transform=\"rotate(-90 %g %g)\"", x, y)
			}
			fmt.Fprintf(b, "<text x=\"%g\" y=\"%g\" font-size=\"%g\" text-anchor=\"%s\" fill=\"%s\"%s>%s</text>\n",
				x, y, it.size, anchor, hex(it.fill), rot, escape(it.text))
		}
	}
	b.WriteString("</svg>\n")
	return b.Flush()
}

func hex(c color.RGBA) string {
	if c.A == 0 {
		return "none"
	}
	// Un-premultiply for the SVG colour.
	r, g, bl := int(c.R)*255/int(c.A), int(c.G)*255/int(c.A), int(c.B)*255/int(c.A)
	return fmt.Sprintf("#%02x%02x%02x", r, g, bl)
}

func opacity(attr string, c color.RGBA) string {
	if c.A == 0 || c.A == 255 {
		return ""
	}
	return fmt.Sprintf(" %s-opacity=\"%.3f\"", attr, float64(c.A)/255)
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func escape(s string) string { return escaper.Replace(s) }
