// Package svg renders a diagram.Scene as a standalone SVG document.
//
// The output is meant to be read and edited by people: one element per
// shape, wire, stub and label, grouped in layers (bubbles, wires, stubs,
// tensors, labels), styled by CSS classes named after the kind of each
// thing (".tensor.isometry", ".wire", ".label.leg", …) in one <style>
// block, with a <title> on every tensor and leg for hover text. Numbers
// are written with at most two decimals, and the same scene always gives
// the same bytes.
//
// Text is positioned run by run from the metrics of package diagram (the
// Go fonts), which the style names first; with another sans-serif font the
// runs still start where they should.
package svg

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/strand-tn/strand/diagram"
)

// Options tune the output. The zero value is a good default.
type Options struct {
	// Scale multiplies the width and height attributes (the viewBox keeps
	// scene units); 0 means 1.
	Scale float64
	// NoStyle leaves out the <style> block, for pages that style the
	// classes themselves.
	NoStyle bool
}

// style is the default look: black ink, white tensors, grey bubbles.
const style = `text{font-family:Go,"Helvetica Neue",Helvetica,Arial,sans-serif;fill:#222}
.it{font-style:italic}
.wire,.stub{fill:none;stroke:#222;stroke-linecap:round;stroke-linejoin:round}
.tensor>circle,.tensor>rect,.tensor>polygon{fill:#fff;stroke:#222;stroke-width:1.3}
.tensor.delta>circle{fill:#222;stroke:none}
.tensor.hole>circle{stroke-dasharray:3 2.5}
.tensor.function>rect{fill:none;stroke:#555;stroke-width:1.2}
`

// Render writes the scene as an SVG document.
func Render(w io.Writer, s *diagram.Scene, opt Options) error {
	k := opt.Scale
	if k == 0 {
		k = 1
	}
	if !(k > 0) || math.IsInf(k, 0) {
		return fmt.Errorf("svg: scale %v is not a positive number", opt.Scale)
	}
	bw := bufio.NewWriter(w)
	b := s.Bounds
	lo := b.Min()
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="%s" height="%s">`+"\n",
		num(lo.X), num(lo.Y), num(b.W), num(b.H), num(b.W*k), num(b.H*k))
	if !opt.NoStyle {
		bw.WriteString("<style>\n" + style)
		for _, c := range diagram.Palette {
			fmt.Fprintf(bw, ".tensor.fill-%s>*{fill:%s}\n", c.Name, c.Hex)
		}
		bw.WriteString("</style>\n")
	}
	for _, n := range s.Nodes {
		if _, err := diagram.ColorHex(n.Color); err != nil {
			return fmt.Errorf("svg: node %q: %w", n.ID, err)
		}
	}
	bw.WriteString(`<g class="bubbles">` + "\n")
	for _, n := range s.Nodes {
		if n.Shape == diagram.Bubble {
			node(bw, n)
		}
	}
	bw.WriteString("</g>\n" + `<g class="wires">` + "\n")
	for _, wr := range s.Wires {
		fmt.Fprintf(bw, `<path class="wire" data-leg="%s" d="%s" stroke-width="%s"><title>%s</title></path>`+"\n",
			esc(wr.Leg), pathData(wr.Points, wr.Curve), num(wr.Width), esc(wr.Title))
	}
	bw.WriteString("</g>\n" + `<g class="stubs">` + "\n")
	for _, st := range s.Stubs {
		fmt.Fprintf(bw, `<path class="stub" data-leg="%s" d="%s" stroke-width="%s"><title>%s</title></path>`+"\n",
			esc(st.Leg), pathData(st.Points, false), num(st.Width), esc(st.Title))
	}
	bw.WriteString("</g>\n" + `<g class="tensors">` + "\n")
	for _, n := range s.Nodes {
		if n.Shape != diagram.Bubble {
			node(bw, n)
		}
	}
	bw.WriteString("</g>\n" + `<g class="labels">` + "\n")
	for _, l := range s.Labels {
		if err := label(bw, l); err != nil {
			return err
		}
	}
	bw.WriteString("</g>\n</svg>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	return nil
}

// num formats a number with at most two decimals and no "-0".
func num(x float64) string {
	r := math.Round(x*100) / 100
	if r == 0 {
		return "0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func pt(p diagram.Point) string { return num(p.X) + " " + num(p.Y) }

// pathData writes a polyline as "M … L …" and a Bézier chain as "M … C …".
func pathData(pts []diagram.Point, curve bool) string {
	if len(pts) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("M" + pt(pts[0]))
	if curve && len(pts) >= 4 && (len(pts)-1)%3 == 0 {
		for i := 1; i+2 < len(pts); i += 3 {
			b.WriteString("C" + pt(pts[i]) + " " + pt(pts[i+1]) + " " + pt(pts[i+2]))
		}
		return b.String()
	}
	for _, p := range pts[1:] {
		b.WriteString("L" + pt(p))
	}
	return b.String()
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func esc(s string) string { return escaper.Replace(s) }

func node(w *bufio.Writer, n diagram.Node) {
	class := "tensor " + string(n.Kind)
	if n.Color != "" {
		class += " fill-" + n.Color
	}
	fmt.Fprintf(w, `<g class="%s" data-id="%s"><title>%s</title>`, esc(class), esc(n.ID), esc(n.Title))
	switch n.Shape {
	case diagram.Circle, diagram.Dot:
		fmt.Fprintf(w, `<circle cx="%s" cy="%s" r="%s"/>`, num(n.X), num(n.Y), num(math.Min(n.W, n.H)/2))
	case diagram.Triangle, diagram.Square:
		var ps []string
		for _, p := range n.Outline() {
			ps = append(ps, num(p.X)+","+num(p.Y))
		}
		fmt.Fprintf(w, `<polygon points="%s"/>`, strings.Join(ps, " "))
	case diagram.RoundBox, diagram.Bubble:
		lo := n.Min()
		fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" rx="%s"/>`,
			num(lo.X), num(lo.Y), num(n.W), num(n.H), num(n.CornerRadius()))
	}
	w.WriteString("</g>\n")
}

// label writes a text element with one tspan per run, each placed at its
// own x and baseline.
func label(w *bufio.Writer, l diagram.Label) error {
	t, err := diagram.ParseText(l.Text)
	if err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	spans, _ := t.Set(l.Size)
	x0 := l.X - l.W/2
	fmt.Fprintf(w, `<text class="label %s" x="%s" y="%s" font-size="%s"`, l.Kind, num(x0), num(l.Baseline), num(l.Size))
	if l.Flip {
		fmt.Fprintf(w, ` transform="rotate(180 %s %s)"`, num(l.X), num(l.Y))
	}
	w.WriteString(">")
	for _, sp := range spans {
		w.WriteString("<tspan")
		if sp.Italic {
			w.WriteString(` class="it"`)
		}
		fmt.Fprintf(w, ` x="%s" y="%s"`, num(x0+sp.X), num(l.Baseline+sp.Shift))
		if sp.Size != l.Size {
			fmt.Fprintf(w, ` font-size="%s"`, num(sp.Size))
		}
		fmt.Fprintf(w, ">%s</tspan>", esc(sp.Text))
	}
	w.WriteString("</text>\n")
	return nil
}
