package plot

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"github.com/strand-tn/strand/internal/golden"
	"image/color"
	"image/png"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

// wellFormed checks that b is one XML document with an svg root.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("root element %q", root)
	}
}

func pattern() Heatmap {
	v := [][]float64{{1, 0, 0, 0}, {0.25, 0.75, 0, 0}, {0, 0.5, 0.5, 0}, {0.1, 0.2, 0.3, 0.4}}
	return Heatmap{Title: "L0H0", Values: v, RowLabels: []string{"BOS", "a", "b", "c"}, ColLabels: []string{"BOS", "a", "b", "c"},
		XLabel: "key", YLabel: "query", Masked: CausalMask, Min: 0, Max: 1, ColorBar: true}
}

// pixels decodes the PNG of f and counts the pixels of each colour.
func pixels(t *testing.T, f *Figure) map[color.RGBA]int {
	t.Helper()
	var b bytes.Buffer
	if err := f.PNG(&b); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != f.W || r.Dy() != f.H {
		t.Fatalf("PNG is %v, figure %d×%d", r, f.W, f.H)
	}
	n := map[color.RGBA]int{}
	for y := range f.H {
		for x := range f.W {
			n[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	return n
}

func TestHeatmap(t *testing.T) {
	f := HeatmapFigure(pattern(), 320, 300)
	var svg bytes.Buffer
	if err := f.SVG(&svg); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "heatmap.svg", svg.Bytes())
	wellFormed(t, svg.Bytes())
	n := pixels(t, f)
	// Six masked cells, the value-1 cell in the darkest blue, 0.5 in the
	// middle of the scale.
	cell := n[maskGrey] / 6
	if cell < 100 {
		t.Errorf("masked area %d pixels: cells too small", n[maskGrey])
	}
	for _, c := range []struct {
		v     float64
		cells int
	}{{1, 1}, {0.5, 2}, {0.75, 1}} {
		got := n[colorAt(seqStops, c.v)]
		if got < c.cells*cell*9/10 {
			t.Errorf("value %g: %d pixels of its colour, want ≈ %d cells of %d", c.v, got, c.cells, cell)
		}
	}
	if !strings.Contains(svg.String(), `transform="rotate(-90`) || !strings.Contains(svg.String(), ">BOS</text>") {
		t.Error("SVG lacks the rotated labels")
	}
}

func TestGridAndBars(t *testing.T) {
	a, b := pattern(), pattern()
	b.Title, b.ColorBar = "L0H1", false
	g := Grid("patterns", []Heatmap{a, b}, 2, 260, 260)
	var svg bytes.Buffer
	if err := g.SVG(&svg); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "grid.svg", svg.Bytes())
	wellFormed(t, svg.Bytes())
	// Both panels have equal cells: the mask area is twice one panel's.
	if n, one := pixels(t, g)[maskGrey], pixels(t, Grid("one", []Heatmap{a}, 1, 260, 260))[maskGrey]; n != 2*one {
		t.Errorf("grid masked area %d, want 2 × %d", n, one)
	}
	bars := Bars{Title: "terms", Labels: []string{"L1H0", "direct", "L0H0→L1H0"}, Values: []float64{16, -2.5, 0}, XLabel: "mean logit"}
	f := bars.Figure(400)
	svg.Reset()
	if err := f.SVG(&svg); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "bars.svg", svg.Bytes())
	wellFormed(t, svg.Bytes())
	n := pixels(t, f)
	if n[posBar] == 0 || n[negBar] == 0 || n[posBar] < 4*n[negBar] {
		t.Errorf("bar areas: positive %d, negative %d pixels", n[posBar], n[negBar])
	}
}

func TestDiverging(t *testing.T) {
	h := Heatmap{Values: [][]float64{{-2, 1}, {0, 0.5}}, Scale: Diverging}
	lo, hi := h.rng()
	if lo != -2 || hi != 2 {
		t.Errorf("range [%g, %g], want [−2, 2]", lo, hi)
	}
	if c := h.color(0, lo, hi); c != (color.RGBA{0xff, 0xff, 0xff, 0xff}) {
		t.Errorf("zero is %v, want white", c)
	}
	if c := h.color(-2, lo, hi); c != divStops[0] {
		t.Errorf("minimum is %v", c)
	}
}

func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.125: "0.125", 16: "16.00", -2.5: "-2.50", 1234: "1234", 1e-5: "1.0e-05", 123456: "1.2e+05"} {
		if got := Format(v); got != want {
			t.Errorf("Format(%g) = %q, want %q", v, got, want)
		}
	}
}

func ExampleHeatmapFigure() {
	f := HeatmapFigure(Heatmap{
		Title:  "previous-token head",
		Values: [][]float64{{1, 0, 0}, {1, 0, 0}, {0, 1, 0}},
		Masked: CausalMask, Min: 0, Max: 1,
	}, 200, 200)
	var svg bytes.Buffer
	if err := f.SVG(&svg); err != nil {
		panic(err)
	}
	first, _, _ := strings.Cut(svg.String(), "\n")
	fmt.Println(first)
	// Output:
	// <svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200" font-family="Go, Helvetica, Arial, sans-serif">
}
