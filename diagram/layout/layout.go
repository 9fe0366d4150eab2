// Package layout turns a tensor network into a diagram.Scene: it places the
// tensors, routes the wires, points the free legs and places every label.
//
// # Input
//
// A [Graph] lists tensors ([Node]) with their legs ([Leg]); legs with equal
// names are joined, a name on three or more legs is a hyperedge (drawn as a
// copy dot), and [Graph.Free] lists the output legs in order. Function
// nodes carry the network they are applied to ([Node.Inner]) and are drawn
// as bubbles around it. A [Figure] is a sum of networks or an equation
// between sums, drawn side by side with "+", "−", coefficients and "=".
//
// # Method
//
// Each connected component is classified before it is placed, and drawn
// with a layout made for its structure:
//
//	chain   a path (matrix product, MPS): one straight row, evenly spaced
//	        outline to outline; the first free leg's tensor on the left
//	ring    a cycle (a trace): a row, the closing wire routed around it
//	grid    an R×C grid graph (a ladder, a PEPS), recognised from hop
//	        distances to two corners: rows and columns
//	star    a hub with leaves (CP, Tucker): leaves around the hub
//	tree    other trees: layers from the centre down (Reingold–Tilford),
//	        or a horizontal spine with hanging leaves for caterpillars
//	general stress majorization (Gansner, Koren and North 2004) from
//	        classical scaling, then tidied: turned so the first free leg is
//	        left of the last, chains of two-leg tensors straightened, scaled
//	        to the wire length, near-equal coordinates snapped into rows and
//	        columns, overlaps pushed apart
//
// Pinned tensors ([Node.Pin]) keep their positions; the rest of their
// component is fitted around them. Wires then get ports: a wire leaves a
// tensor toward its partner; wires between the same two tensors are drawn
// as parallel lines ordered clockwise by leg index at each end, so Tr(AB)
// comes out parallel and Tr(ABᵀ) crossed. A wire whose straight line would
// pass through a tensor is routed around on a grid by A* with bend and
// crossing costs, and its corners rounded. Free legs become short stubs in
// the clearest direction, never crossing anything; every label is placed
// where it overlaps nothing. Thickness grows with log(dimension).
//
// Layout is deterministic: the same input gives the same scene, byte for
// byte, and [Measure] reports its quality (overlaps, crossings).
package layout

import (
	"fmt"
	"math"

	"github.com/strand-tn/strand/diagram"
)

// Layout draws one network.
func Layout(g Graph, opt Options) (*diagram.Scene, error) {
	return LayoutFigure(Figure{Sides: []Sum{{Terms: []Term{{Graph: g}}}}}, opt)
}

// LayoutFigure draws a sum of networks or an equation. Node IDs are those
// of the graphs for a figure of one term, and "tK/ID" (K counting terms
// from 1 across the figure) when there are several.
func LayoutFigure(f Figure, opt Options) (*diagram.Scene, error) {
	if len(f.Sides) == 0 {
		return nil, errorf("", "figure has no sides")
	}
	if len(f.Rels) > len(f.Sides)-1 {
		return nil, errorf("", "%d relations for %d sides", len(f.Rels), len(f.Sides))
	}
	nTerms := 0
	for si, s := range f.Sides {
		if len(s.Terms) == 0 {
			return nil, errorf(fmt.Sprintf("side %d", si+1), "no terms")
		}
		nTerms += len(s.Terms)
	}
	plainGraph := nTerms == 1 && !f.Sides[0].Terms[0].Neg && f.Sides[0].Terms[0].Coef == ""
	out := &piece{}
	x := 0.0
	gap := 10.0
	k := 0
	glyph := func(text string, kind diagram.LabelKind, size float64) error {
		lb, err := diagram.PlaceLabel(text, kind, size, diagram.Point{})
		if err != nil {
			return err
		}
		if len(out.nodes)+len(out.labels) > 0 {
			x += gap
		}
		lb = lb.Move(diagram.Pt(x+lb.W/2, 0))
		lb.At = lb.Center()
		out.labels = append(out.labels, lb)
		x += lb.W
		return nil
	}
	for si, side := range f.Sides {
		if si > 0 {
			rel := "="
			if si-1 < len(f.Rels) && f.Rels[si-1] != "" {
				rel = f.Rels[si-1]
			}
			if err := glyph(rel, diagram.OpLabel, opFont); err != nil {
				return nil, errorf(fmt.Sprintf("relation %d", si), "%v", err)
			}
			x += 2 // a little more air around a relation than around a sign
		}
		sideStart := len(out.nodes)
		sideBox := diagram.Box{}
		for ti, t := range side.Terms {
			k++
			path := ""
			if !plainGraph {
				path = fmt.Sprintf("side %d term %d", si+1, ti+1)
			}
			termStart, termLabels := len(out.nodes), len(out.labels)
			sign := ""
			switch {
			case t.Neg:
				sign = "−"
			case ti > 0:
				sign = "+"
			}
			if sign != "" {
				if err := glyph(sign, diagram.OpLabel, opFont); err != nil {
					return nil, errorf(path, "%v", err)
				}
			}
			if t.Coef != "" {
				if err := glyph(t.Coef, diagram.CoefLabel, coefFont); err != nil {
					return nil, errorf(join(path, "coefficient"), "%v", err)
				}
			}
			if len(t.Graph.Nodes) == 0 && t.Coef == "" {
				return nil, errorf(path, "term has neither a network nor a coefficient")
			}
			if len(t.Graph.Nodes) > 0 {
				g := t.Graph
				if err := g.validate(path, map[string]bool{}, opt); err != nil {
					return nil, err
				}
				p, err := layoutGraph(&g, opt, path, nil)
				if err != nil {
					return nil, err
				}
				if !plainGraph {
					prefix(p, fmt.Sprintf("t%d/", k))
				}
				b := p.bounds()
				dx := x - b.Min().X
				if len(out.nodes)+len(out.labels) > 0 {
					dx += gap
				}
				p.translate(diagram.Pt(dx, -p.axis()))
				out.add(p)
				x = p.bounds().Max().X
			}
			if !plainGraph {
				tb := boxOf(out.nodes[termStart:], out.labels[termLabels:])
				out.groups = append(out.groups, diagram.Group{Kind: diagram.TermGroup, ID: fmt.Sprintf("t%d", k), Box: tb, Members: ids(out.nodes[termStart:])})
				sideBox = sideBox.Union(tb)
			}
		}
		if len(f.Sides) > 1 {
			out.groups = append(out.groups, diagram.Group{Kind: diagram.SideGroup, ID: fmt.Sprintf("s%d", si+1), Box: sideBox, Members: ids(out.nodes[sideStart:])})
		}
	}
	return finish(out), nil
}

// ids lists the IDs of the nodes not inside a bubble.
func ids(nodes []diagram.Node) []string {
	var out []string
	for _, n := range nodes {
		if n.Parent == "" {
			out = append(out, n.ID)
		}
	}
	return out
}

// boxOf is the box of some nodes and labels.
func boxOf(nodes []diagram.Node, labels []diagram.Label) diagram.Box {
	var b diagram.Box
	for _, n := range nodes {
		b = b.Union(n.Box)
	}
	for _, l := range labels {
		b = b.Union(l.Box)
	}
	return b
}

// prefix makes a term's node IDs unique in a figure.
func prefix(p *piece, pre string) {
	for i := range p.nodes {
		p.nodes[i].ID = pre + p.nodes[i].ID
		if p.nodes[i].Parent != "" {
			p.nodes[i].Parent = pre + p.nodes[i].Parent
		}
	}
	for i := range p.wires {
		p.wires[i].From = pre + p.wires[i].From
		p.wires[i].To = pre + p.wires[i].To
	}
	for i := range p.stubs {
		p.stubs[i].Node = pre + p.stubs[i].Node
	}
	for i := range p.labels {
		if p.labels[i].Owner != "" {
			p.labels[i].Owner = pre + p.labels[i].Owner
		}
	}
	for i := range p.groups {
		p.groups[i].ID = pre + p.groups[i].ID
		for k := range p.groups[i].Members {
			p.groups[i].Members[k] = pre + p.groups[i].Members[k]
		}
	}
}

const margin = 6.0

// finish moves the drawing so its bounds start at (0, 0) with a margin,
// rounds every number to 1/100 of a unit and names the coordinates.
func finish(p *piece) *diagram.Scene {
	b := p.bounds().Inflate(margin)
	p.translate(b.Min().Scale(-1))
	s := &diagram.Scene{
		Nodes: p.nodes, Wires: p.wires, Stubs: p.stubs, Labels: p.labels, Groups: p.groups,
	}
	for i := range s.Nodes {
		s.Nodes[i].Box = roundBox(s.Nodes[i].Box)
		s.Coords = append(s.Coords, diagram.Coord{Name: s.Nodes[i].ID, At: s.Nodes[i].Center()})
	}
	for i := range s.Wires {
		w := &s.Wires[i]
		w.Points = roundPts(w.Points)
		w.Width = round(w.Width)
		for k := 1; k < len(w.Points)-1; k++ {
			s.Coords = append(s.Coords, diagram.Coord{Name: fmt.Sprintf("w%d.%d", i+1, k), At: w.Points[k]})
		}
	}
	for i := range s.Stubs {
		s.Stubs[i].Points = roundPts(s.Stubs[i].Points)
		s.Stubs[i].Width = round(s.Stubs[i].Width)
	}
	for i := range s.Labels {
		l := &s.Labels[i]
		l.Box = roundBox(l.Box)
		l.Baseline = round(l.Baseline)
		l.At = roundPt(l.At)
	}
	for i := range s.Groups {
		s.Groups[i].Box = roundBox(s.Groups[i].Box)
	}
	s.Bounds = roundBox(diagram.Box{X: b.W / 2, Y: b.H / 2, W: b.W, H: b.H})
	return s
}

func round(x float64) float64 {
	r := math.Round(x*100) / 100
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

func roundPt(p diagram.Point) diagram.Point { return diagram.Pt(round(p.X), round(p.Y)) }

func roundPts(pts []diagram.Point) []diagram.Point {
	out := make([]diagram.Point, len(pts))
	for i, p := range pts {
		out[i] = roundPt(p)
	}
	return out
}

func roundBox(b diagram.Box) diagram.Box {
	return diagram.Box{X: round(b.X), Y: round(b.Y), W: round(b.W), H: round(b.H)}
}
