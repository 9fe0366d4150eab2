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
// between sums, drawn side by side with "+", "−", coefficients and "=",
// wrapping onto more lines when wide; [LayoutFigures] stacks the figures
// of a program.
//
// The adapter builds graphs from package network: [FromNetwork],
// [FromExpr], [FromStatement], [FromProgram] and, from text in any of
// strand's notations, [FromText]. It draws kinds as shapes, grouped legs
// (i l) as thick legs meeting their parts at join points, diagonal tensors
// as vectors on copy dots, shifted copy tensors δ[k q+1] with their offset,
// derivatives with a hole ([FromOptions.Hole]), and a run of assignments
// x₁ = x₀ + f(x₀), x₂ = x₁ + g(x₁), … as a transformer's residual stream.
//
// # Method
//
// Each connected component is classified before it is placed, and drawn
// with a layout made for its structure:
//
//	chain     a path (matrix product, MPS): one straight row, evenly spaced
//	          outline to outline; the first free leg's tensor on the left
//	ring      a cycle (a trace): a row, the closing wire routed around it;
//	          through copy dots and bare lines, a polygon
//	grid      an R×C grid graph (a ladder, a PEPS), recognised from hop
//	          distances to two corners: rows and columns
//	star      a hub with leaves (CP, Tucker): leaves around the hub, the
//	          holders of the first and last free legs west and east
//	tree      other trees: layers from the centre down (Reingold–Tilford),
//	          or a horizontal spine with hanging leaves for caterpillars
//	hierarchy isometries and unitaries whose tips all point up a DAG (a
//	          MERA): layers bottom to top (Sugiyama, barycentre order)
//	bus row   a path once the copy dots are taken out (attention: A x W_V
//	          W_O with the head's dot): a row, the dots over it
//	residual  copy points and "+" on a vertical stream: the stream as a
//	          straight backbone, each statement's blocks beside it
//	general   stress majorization (Gansner, Koren and North 2004) from
//	          classical scaling, then tidied: turned so the first free leg
//	          is left of the last, chains of two-leg tensors straightened,
//	          scaled to the wire length, near-equal coordinates snapped into
//	          rows and columns, overlaps pushed apart
//
// Pinned tensors ([Node.Pin]) keep their positions; the rest of their
// component is fitted around them. Wires then get ports: a wire leaves a
// tensor toward its partner; two wires between the same two tensors are
// arcs ordered clockwise by leg index at each end, so Tr(AB) comes out
// parallel and Tr(ABᵀ) crossed, and three or more a cable of parallel
// lines named once. A wire whose straight line would pass through a tensor
// is routed around on a grid by A* with bend and crossing costs, and its
// corners rounded. Free legs become short stubs in the clearest direction,
// never crossing anything; every label is placed where it overlaps
// nothing. Thickness grows with log(dimension).
//
// Layout is deterministic: the same input gives the same scene, byte for
// byte, and [Measure] reports its quality (overlaps, crossings), [Defects]
// what each defect is.
package layout

import (
	"fmt"
	"math"
	"slices"

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
	p, err := figurePiece(f, opt)
	if err != nil {
		return nil, err
	}
	return finish(p), nil
}

// LayoutFigures draws several figures, one below the other, left-aligned,
// as the statements of a program read: node IDs are those LayoutFigure
// gives, prefixed "fK/" (K counting figures from 1) when there are several
// figures.
func LayoutFigures(figs []Figure, opt Options) (*diagram.Scene, error) {
	if len(figs) == 0 {
		return nil, errorf("", "no figures")
	}
	out := &piece{}
	y := 0.0
	for k, f := range figs {
		p, err := figurePiece(f, opt)
		if err != nil {
			if len(figs) == 1 {
				return nil, err
			}
			return nil, fmt.Errorf("figure %d: %w", k+1, err)
		}
		if len(figs) > 1 {
			prefix(p, fmt.Sprintf("f%d/", k+1))
		}
		b := p.bounds()
		if k > 0 {
			y += figureGap
		}
		p.translate(diagram.Pt(-b.Min().X, y-b.Min().Y))
		y += b.H
		out.add(p)
	}
	return finish(out), nil
}

// figureGap is the space between the figures of a program.
const figureGap = 24.0

// figurePiece lays out one figure in its own coordinates: the sides and
// their terms left to right on one axis, a sum wrapping onto a new line,
// indented to where its side begins, before a term that would reach past
// Options.Width.
func figurePiece(f Figure, opt Options) (*piece, error) {
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
	out := &piece{}  // the lines set so far
	line := &piece{} // the line being set
	x := 0.0
	gap := 10.0
	k := 0
	empty := func(p *piece) bool { return len(p.nodes)+len(p.labels) == 0 }
	glyph := func(text string, kind diagram.LabelKind, size float64) (*diagram.Label, error) {
		lb, err := diagram.PlaceLabel(text, kind, size, diagram.Point{})
		return &lb, err
	}
	put := func(lb *diagram.Label) {
		if lb == nil {
			return
		}
		if !empty(line) {
			x += gap
		}
		l := lb.Move(diagram.Pt(x+lb.W/2, 0))
		l.At = l.Center()
		line.labels = append(line.labels, l)
		x += lb.W
	}
	flush := func() {
		if !empty(out) {
			line.translate(diagram.Pt(0, out.bounds().Max().Y+lineGap-line.bounds().Min().Y))
		}
		out.add(line)
		line = &piece{}
	}
	sideTerms := make([][]string, len(f.Sides))
	for si, side := range f.Sides {
		if si > 0 {
			rel := "="
			if si-1 < len(f.Rels) && f.Rels[si-1] != "" {
				rel = f.Rels[si-1]
			}
			lb, err := glyph(rel, diagram.OpLabel, opFont)
			if err != nil {
				return nil, errorf(fmt.Sprintf("relation %d", si), "%v", err)
			}
			put(lb)
			x += 2 // a little more air around a relation than around a sign
		}
		indent := x
		for ti, t := range side.Terms {
			k++
			path := ""
			if !plainGraph {
				path = fmt.Sprintf("side %d term %d", si+1, ti+1)
			}
			var sign, coef *diagram.Label
			var err error
			switch {
			case t.Neg:
				sign, err = glyph("−", diagram.OpLabel, opFont)
			case ti > 0:
				sign, err = glyph("+", diagram.OpLabel, opFont)
			}
			if err != nil {
				return nil, errorf(path, "%v", err)
			}
			if t.Coef != "" {
				if coef, err = glyph(t.Coef, diagram.CoefLabel, coefFont); err != nil {
					return nil, errorf(join(path, "coefficient"), "%v", err)
				}
			}
			if len(t.Graph.Nodes) == 0 && t.Coef == "" {
				return nil, errorf(path, "term has neither a network nor a coefficient")
			}
			var p *piece
			need := 0.0
			if len(t.Graph.Nodes) > 0 {
				g := t.Graph
				if err := g.validate(path, map[string]bool{}, opt); err != nil {
					return nil, err
				}
				if p, err = layoutGraph(&g, opt, path, "", nil); err != nil {
					return nil, err
				}
				if !plainGraph {
					prefix(p, fmt.Sprintf("t%d/", k))
				}
				b := p.bounds()
				p.translate(diagram.Pt(-b.Min().X, -p.axis()))
				need += b.W + gap
			}
			for _, lb := range []*diagram.Label{sign, coef} {
				if lb != nil {
					need += lb.W + gap
				}
			}
			if ti > 0 && !empty(line) && x+need > opt.width() {
				flush()
				x = indent
			}
			termNodes, termLabels := len(line.nodes), len(line.labels)
			put(sign)
			put(coef)
			if p != nil {
				if !empty(line) {
					x += gap
				}
				p.translate(diagram.Pt(x, 0))
				line.add(p)
				x = p.bounds().Max().X
			}
			if !plainGraph {
				id := fmt.Sprintf("t%d", k)
				tb := boxOf(line.nodes[termNodes:], line.labels[termLabels:])
				line.groups = append(line.groups, diagram.Group{Kind: diagram.TermGroup, ID: id, Box: tb, Members: ids(line.nodes[termNodes:])})
				sideTerms[si] = append(sideTerms[si], id)
			}
		}
	}
	flush()
	if len(f.Sides) > 1 {
		for si, terms := range sideTerms {
			side := diagram.Group{Kind: diagram.SideGroup, ID: fmt.Sprintf("s%d", si+1), Members: []string{}}
			first := true
			for _, g := range out.groups {
				if g.Kind == diagram.TermGroup && slices.Contains(terms, g.ID) {
					if first {
						side.Box, first = g.Box, false
					} else {
						side.Box = side.Box.Union(g.Box)
					}
					side.Members = append(side.Members, g.Members...)
				}
			}
			out.groups = append(out.groups, side)
		}
	}
	return out, nil
}

// lineGap is the space between the lines of a wrapped sum.
const lineGap = 16.0

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
