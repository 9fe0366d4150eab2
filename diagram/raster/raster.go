// Package raster renders a diagram.Scene to a PNG image in pure Go.
//
// Shapes are filled with golang.org/x/image/vector's anti-aliasing
// rasterizer (signed-area accumulation, as in font rasterizers); strokes are
// expanded into polygons first (each segment a rectangle, each joint and
// end a disc) whose coverages are merged by their maximum, so overlaps
// neither cancel nor darken. Text
// is set with the embedded Go fonts through golang.org/x/image/font/opentype,
// the same fonts diagram measures labels with, so text fills its label
// boxes exactly. Nothing outside the Go module is needed: no cgo, no system
// fonts.
package raster

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/strand-tn/strand/diagram"
)

// Options tune the rendering. The zero value is a good default.
type Options struct {
	// Scale is the number of pixels per scene unit; 0 means 2.
	Scale float64
	// Transparent leaves the background transparent instead of white.
	Transparent bool
}

// maxPixels bounds the image size so that a bad scene cannot exhaust memory.
const maxPixels = 64 << 20

var (
	ink       = color.RGBA{0x22, 0x22, 0x22, 0xff}
	bubbleInk = color.RGBA{0x55, 0x55, 0x55, 0xff}
)

// Render draws the scene into a new image.
func Render(s *diagram.Scene, opt Options) (*image.RGBA, error) {
	k := opt.Scale
	if k == 0 {
		k = 2
	}
	if !(k > 0) || math.IsInf(k, 0) {
		return nil, fmt.Errorf("raster: scale %v is not a positive number", opt.Scale)
	}
	b := s.Bounds
	w, h := math.Ceil(b.W*k), math.Ceil(b.H*k)
	if !(w >= 1 && h >= 1) || w*h > maxPixels {
		return nil, fmt.Errorf("raster: scene bounds %gx%g at scale %g give an image of %gx%g pixels", b.W, b.H, k, w, h)
	}
	img := image.NewRGBA(image.Rect(0, 0, int(w), int(h)))
	if !opt.Transparent {
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	}
	r := &renderer{img: img, k: k, origin: b.Min(), faces: map[faceKey]font.Face{}}
	fill := make(map[string]color.RGBA)
	for _, n := range s.Nodes {
		hex, err := diagram.ColorHex(n.Color)
		if err != nil {
			return nil, fmt.Errorf("raster: node %q: %w", n.ID, err)
		}
		fill[n.ID] = parseHex(hex)
	}
	// Bubbles at the back, then wires and stubs, then the other shapes, then text.
	for _, n := range s.Nodes {
		if n.Shape == diagram.Bubble {
			r.node(n, fill[n.ID])
		}
	}
	// Legs of one width are filled in one pass, so that where they meet (a
	// bare identity line, a bubble's leg) no seam shows.
	byWidth := map[float64][][]diagram.Point{}
	for _, wr := range s.Wires {
		byWidth[wr.Width] = append(byWidth[wr.Width], strokePolys(wr.Polyline(), wr.Width, false)...)
	}
	for _, st := range s.Stubs {
		byWidth[st.Width] = append(byWidth[st.Width], strokePolys(st.Points, st.Width, false)...)
	}
	widths := make([]float64, 0, len(byWidth))
	for w := range byWidth {
		widths = append(widths, w)
	}
	slices.Sort(widths)
	for _, w := range widths {
		r.union(byWidth[w], ink)
	}
	for _, n := range s.Nodes {
		if n.Shape != diagram.Bubble {
			r.node(n, fill[n.ID])
		}
	}
	for _, l := range s.Labels {
		if err := r.label(l); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// PNG renders the scene and writes it as a PNG.
func PNG(w io.Writer, s *diagram.Scene, opt Options) error {
	img, err := Render(s, opt)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(w, img); err != nil {
		return fmt.Errorf("raster: %w", err)
	}
	return nil
}

func parseHex(h string) color.RGBA {
	v, _ := strconv.ParseUint(h[1:], 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

type renderer struct {
	img    *image.RGBA
	k      float64
	origin diagram.Point
	faces  map[faceKey]font.Face // a font.Face is not safe for concurrent use: one set per render
}

// px maps a scene point to pixel coordinates.
func (r *renderer) px(p diagram.Point) (float32, float32) {
	return float32((p.X - r.origin.X) * r.k), float32((p.Y - r.origin.Y) * r.k)
}

// fill paints one polygon.
func (r *renderer) fill(poly []diagram.Point, c color.Color) {
	r.union([][]diagram.Point{poly}, c)
}

// union paints the union of polygons. Each is rasterized alone (with
// anti-aliasing) over its own bounding box and merged into a coverage mask
// by taking the maximum, so that where strokes overlap (joints, a leg
// continuing another) the edges are not darkened by adding coverage.
func (r *renderer) union(polys [][]diagram.Point, c color.Color) {
	b := r.img.Bounds()
	mask := image.NewAlpha(b)
	for _, poly := range polys {
		if len(poly) < 3 {
			continue
		}
		var lo, hi [2]float32
		for i, p := range poly {
			x, y := r.px(p)
			if i == 0 {
				lo, hi = [2]float32{x, y}, [2]float32{x, y}
			}
			lo = [2]float32{min(lo[0], x), min(lo[1], y)}
			hi = [2]float32{max(hi[0], x), max(hi[1], y)}
		}
		box := image.Rect(int(math.Floor(float64(lo[0])))-1, int(math.Floor(float64(lo[1])))-1,
			int(math.Ceil(float64(hi[0])))+1, int(math.Ceil(float64(hi[1])))+1).Intersect(b)
		if box.Empty() {
			continue
		}
		z := vector.NewRasterizer(box.Dx(), box.Dy())
		ox, oy := float32(box.Min.X), float32(box.Min.Y)
		for i, p := range poly {
			x, y := r.px(p)
			if i == 0 {
				z.MoveTo(x-ox, y-oy)
			} else {
				z.LineTo(x-ox, y-oy)
			}
		}
		z.ClosePath()
		cov := image.NewAlpha(image.Rect(0, 0, box.Dx(), box.Dy()))
		z.DrawOp = draw.Src
		z.Draw(cov, cov.Bounds(), image.Opaque, image.Point{})
		for y := 0; y < box.Dy(); y++ {
			row := cov.Pix[y*cov.Stride : y*cov.Stride+box.Dx()]
			dst := mask.Pix[(box.Min.Y+y-b.Min.Y)*mask.Stride+box.Min.X-b.Min.X:]
			for x, a := range row {
				dst[x] = max(dst[x], a)
			}
		}
	}
	draw.DrawMask(r.img, b, image.NewUniform(c), image.Point{}, mask, b.Min, draw.Over)
}

// disc is a polygon approximating a circle.
func disc(c diagram.Point, rad float64) []diagram.Point {
	n := max(12, int(rad*6))
	pts := make([]diagram.Point, n)
	for i := range pts {
		pts[i] = c.Add(diagram.Dir(360 * float64(i) / float64(n)).Scale(rad))
	}
	return pts
}

// stroke paints a polyline (closed when closed is true) of the given width
// with round joins and caps.
func (r *renderer) stroke(pts []diagram.Point, width float64, closed bool, c color.Color) {
	r.union(strokePolys(pts, width, closed), c)
}

// strokePolys expands a stroke into polygons: a rectangle per segment and a
// disc per vertex.
func strokePolys(pts []diagram.Point, width float64, closed bool) [][]diagram.Point {
	hw := width / 2
	var polys [][]diagram.Point
	n := len(pts)
	segs := n - 1
	if closed {
		segs = n
	}
	for i := range segs {
		a, b := pts[i], pts[(i+1)%n]
		d := b.Sub(a).Unit()
		if d == (diagram.Point{}) {
			continue
		}
		nrm := d.CW().Scale(hw)
		polys = append(polys, []diagram.Point{a.Add(nrm), b.Add(nrm), b.Sub(nrm), a.Sub(nrm)})
	}
	for _, p := range pts {
		polys = append(polys, disc(p, hw))
	}
	return polys
}

// dashed paints a closed polyline as dashes of the given length.
func (r *renderer) dashed(pts []diagram.Point, width, dash float64, c color.Color) {
	var polys [][]diagram.Point
	on, left := true, dash
	for i := range pts {
		a, b := pts[i], pts[(i+1)%len(pts)]
		for a != b {
			l := b.Sub(a).Len()
			step := math.Min(l, left)
			q := a.Lerp(b, step/l)
			if on {
				d := q.Sub(a).Unit().CW().Scale(width / 2)
				polys = append(polys, []diagram.Point{a.Add(d), q.Add(d), q.Sub(d), a.Sub(d)})
			}
			left -= step
			if left <= 1e-9 {
				on, left = !on, dash
			}
			a = q
			if step == l {
				break
			}
		}
	}
	r.union(polys, c)
}

// outline returns a node's outline as a polygon.
func outline(n diagram.Node) []diagram.Point {
	switch n.Shape {
	case diagram.Circle, diagram.Dot:
		return disc(n.Center(), math.Min(n.W, n.H)/2)
	case diagram.Triangle, diagram.Square:
		return n.Outline()
	}
	// Rounded rectangle: corner arcs of the node's radius.
	rad := n.CornerRadius()
	lo, hi := n.Min(), n.Max()
	corners := []struct {
		c     diagram.Point
		start float64
	}{
		{diagram.Pt(hi.X-rad, lo.Y+rad), 270},
		{diagram.Pt(hi.X-rad, hi.Y-rad), 0},
		{diagram.Pt(lo.X+rad, hi.Y-rad), 90},
		{diagram.Pt(lo.X+rad, lo.Y+rad), 180},
	}
	var pts []diagram.Point
	for _, c := range corners {
		for i := 0; i <= 8; i++ {
			pts = append(pts, c.c.Add(diagram.Dir(c.start+90*float64(i)/8).Scale(rad)))
		}
	}
	return pts
}

func (r *renderer) node(n diagram.Node, fill color.RGBA) {
	switch n.Shape {
	case diagram.Bare:
		return
	case diagram.Dot:
		r.fill(outline(n), ink)
		return
	case diagram.Bubble:
		r.stroke(outline(n), 1.2, true, bubbleInk)
		return
	}
	poly := outline(n)
	r.fill(poly, fill)
	if n.Dashed {
		r.dashed(poly, 1.3, 3, ink)
		return
	}
	r.stroke(poly, 1.3, true, ink)
}

type faceKey struct {
	italic bool
	size   float64
}

var (
	fontsOnce sync.Once
	fonts     [2]*opentype.Font
	fontsErr  error
)

// face returns the renderer's face of the embedded Go font (italic or not)
// at a size; the parsed fonts are shared, the faces are the renderer's own.
func (r *renderer) face(italic bool, size float64) (font.Face, error) {
	fontsOnce.Do(func() {
		for i, ttf := range [][]byte{goregular.TTF, goitalic.TTF} {
			fonts[i], fontsErr = opentype.Parse(ttf)
			if fontsErr != nil {
				return
			}
		}
	})
	if fontsErr != nil {
		return nil, fmt.Errorf("raster: embedded Go font: %w", fontsErr)
	}
	k := faceKey{italic, size}
	if f, ok := r.faces[k]; ok {
		return f, nil
	}
	idx := 0
	if italic {
		idx = 1
	}
	f, err := opentype.NewFace(fonts[idx], &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("raster: %w", err)
	}
	r.faces[k] = f
	return f, nil
}

// label sets a label's runs on its baseline; a flipped label is set into a
// scratch image and turned by 180° about its centre.
func (r *renderer) label(l diagram.Label) error {
	t, err := diagram.ParseText(l.Text)
	if err != nil {
		return fmt.Errorf("raster: %w", err)
	}
	spans, _ := t.Set(l.Size)
	dst := r.img
	origin := r.origin
	if l.Flip {
		pad := 2.0
		w, h := int(math.Ceil((l.W+2*pad)*r.k)), int(math.Ceil((l.H+2*pad)*r.k))
		dst = image.NewRGBA(image.Rect(0, 0, w, h))
		origin = l.Min().Sub(diagram.Pt(pad, pad))
	}
	x0 := l.X - l.W/2
	for _, sp := range spans {
		f, err := r.face(sp.Italic, sp.Size*r.k)
		if err != nil {
			return err
		}
		d := font.Drawer{Dst: dst, Src: image.NewUniform(ink), Face: f}
		px := (x0 + sp.X - origin.X) * r.k
		py := (l.Baseline + sp.Shift - origin.Y) * r.k
		d.Dot = fixed.Point26_6{X: fixed.Int26_6(math.Round(px * 64)), Y: fixed.Int26_6(math.Round(py * 64))}
		d.DrawString(sp.Text)
	}
	if l.Flip {
		// Rotate the scratch image by 180° about the label's centre.
		b := dst.Bounds()
		ox, oy := r.px(origin)
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				c := dst.RGBAAt(b.Dx()-1-x, b.Dy()-1-y)
				if c.A == 0 {
					continue
				}
				tx, ty := int(ox)+x, int(oy)+y
				if !(image.Point{tx, ty}.In(r.img.Bounds())) {
					continue
				}
				draw.Draw(r.img, image.Rect(tx, ty, tx+1, ty+1), image.NewUniform(c), image.Point{}, draw.Over)
			}
		}
	}
	return nil
}
