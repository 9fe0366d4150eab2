package raster_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/strand-tn/strand/diagram"
	"github.com/strand-tn/strand/diagram/layout"
	"github.com/strand-tn/strand/diagram/raster"
)

func scene(t *testing.T) *diagram.Scene {
	t.Helper()
	g := layout.Graph{
		Nodes: []layout.Node{
			{ID: "A", Color: "grey", Legs: []layout.Leg{{Name: "i"}, {Name: "j", Dim: 50}}},
			{ID: "B", Flip: true, Legs: []layout.Leg{{Name: "j", Dim: 50}, {Name: "k"}, {Name: "l"}}},
			{ID: "C", Legs: []layout.Leg{{Name: "k"}, {Name: "l"}}},
		},
		Free: []layout.FreeLeg{{Name: "i"}},
	}
	s, err := layout.Layout(g, layout.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dark(c color.Color) bool {
	r, g, b, a := c.RGBA()
	return a > 0xc000 && r < 0x6000 && g < 0x6000 && b < 0x6000
}

func TestRender(t *testing.T) {
	s := scene(t)
	const k = 3
	img, err := raster.Render(s, raster.Options{Scale: k})
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != int(math.Ceil(s.Bounds.W*k)) || b.Dy() != int(math.Ceil(s.Bounds.H*k)) {
		t.Fatalf("image %v for bounds %gx%g at scale %d", b, s.Bounds.W, s.Bounds.H, k)
	}
	px := func(p diagram.Point) color.Color { return img.At(int(p.X*k), int(p.Y*k)) }
	// Background white; the middle of a wire dark; inside A's circle, away
	// from its name, grey.
	if c := px(diagram.Pt(0.5, 0.5)); c != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("corner %v, want white", c)
	}
	w := s.Wires[0]
	if c := px(w.Points[0].Lerp(w.Points[len(w.Points)-1], 0.5)); !dark(c) {
		t.Errorf("middle of the wire %v, want ink", c)
	}
	a, _ := s.Node("A")
	if c := px(a.Center().Add(diagram.Pt(0, a.H/2-4))); c != (color.RGBA{0xd9, 0xd9, 0xd9, 0xff}) {
		t.Errorf("inside A %v, want grey", c)
	}
	// Every label leaves ink inside its box, and none outside it nearby.
	for _, l := range s.Labels {
		ink := 0
		lo, hi := l.Min(), l.Max()
		for y := int(lo.Y * k); y < int(hi.Y*k); y++ {
			for x := int(lo.X * k); x < int(hi.X*k); x++ {
				if dark(img.At(x, y)) {
					ink++
				}
			}
		}
		if ink == 0 {
			t.Errorf("label %q left no ink in its box", l.Text)
		}
	}
	transparent, err := raster.Render(s, raster.Options{Transparent: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, alpha := transparent.At(0, 0).RGBA(); alpha != 0 {
		t.Errorf("transparent background has alpha %d", alpha)
	}
}

func TestPNG(t *testing.T) {
	s := scene(t)
	var b bytes.Buffer
	if err := raster.PNG(&b, s, raster.Options{}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, int(math.Ceil(2*s.Bounds.W)), int(math.Ceil(2*s.Bounds.H))) {
		t.Errorf("PNG of size %v", img.Bounds())
	}
	// Deterministic bytes.
	var first, again bytes.Buffer
	if err := raster.PNG(&first, s, raster.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := raster.PNG(&again, s, raster.Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Error("two renderings differ")
	}
}

func TestErrors(t *testing.T) {
	s := scene(t)
	for _, opt := range []raster.Options{{Scale: -1}, {Scale: math.Inf(1)}, {Scale: 1e6}} {
		if _, err := raster.Render(s, opt); err == nil || !strings.HasPrefix(err.Error(), "raster: ") {
			t.Errorf("scale %v: %v", opt.Scale, err)
		}
	}
	s.Nodes[0].Color = "mauve"
	if _, err := raster.Render(s, raster.Options{}); err == nil {
		t.Error("unknown colour accepted")
	}
	s = scene(t)
	s.Labels[0].Text = "W_"
	if _, err := raster.Render(s, raster.Options{}); err == nil {
		t.Error("bad label markup accepted")
	}
}
