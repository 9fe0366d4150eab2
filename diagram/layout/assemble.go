package layout

import (
	"fmt"
	"math"
	"slices"

	"github.com/strand-tn/strand/diagram"
)

// piece is a finished part of a scene in its own coordinates: a component,
// a graph, a bubble's inside, a term.
type piece struct {
	nodes  []diagram.Node
	wires  []diagram.Wire
	stubs  []diagram.Stub
	labels []diagram.Label
	groups []diagram.Group
	// ports maps a bubble inside's free legs to where they reach the
	// contour, relative to the bubble's centre.
	ports map[string]port
}

type port struct{ at, dir diagram.Point }

// add appends q to p, renumbering q's label references.
func (p *piece) add(q *piece) {
	nw, ns := len(p.wires), len(p.stubs)
	for _, l := range q.labels {
		if l.Wire > 0 {
			l.Wire += nw
		}
		if l.Stub > 0 {
			l.Stub += ns
		}
		p.labels = append(p.labels, l)
	}
	p.nodes = append(p.nodes, q.nodes...)
	p.wires = append(p.wires, q.wires...)
	p.stubs = append(p.stubs, q.stubs...)
	p.groups = append(p.groups, q.groups...)
}

// translate moves everything by d.
func (p *piece) translate(d diagram.Point) {
	for i := range p.nodes {
		p.nodes[i].Box = p.nodes[i].Box.Translate(d)
	}
	for i := range p.wires {
		p.wires[i].Points = shift(p.wires[i].Points, d)
	}
	for i := range p.stubs {
		p.stubs[i].Points = shift(p.stubs[i].Points, d)
	}
	for i := range p.labels {
		p.labels[i] = p.labels[i].Move(p.labels[i].Center().Add(d))
		p.labels[i].At = p.labels[i].At.Add(d)
	}
	for i := range p.groups {
		p.groups[i].Box = p.groups[i].Box.Translate(d)
	}
}

func shift(pts []diagram.Point, d diagram.Point) []diagram.Point {
	out := make([]diagram.Point, len(pts))
	for i, q := range pts {
		out[i] = q.Add(d)
	}
	return out
}

// bounds is the box holding everything drawn.
func (p *piece) bounds() diagram.Box {
	var b diagram.Box
	first := true
	add := func(c diagram.Box) {
		if first {
			b, first = c, false
		} else {
			b = b.Union(c)
		}
	}
	for _, nd := range p.nodes {
		add(nd.Box)
	}
	for _, w := range p.wires {
		add(diagram.BoundsOf(w.Polyline()).Inflate(w.Width / 2))
	}
	for _, s := range p.stubs {
		add(diagram.BoundsOf(s.Points).Inflate(s.Width / 2))
	}
	for _, l := range p.labels {
		add(l.Box)
	}
	return b
}

// axis is the height of a piece's main horizontal line: that of its first
// free leg pointing sideways (so the i—j of a matrix lines up across the
// terms of an equation), else the middle of its shapes.
func (p *piece) axis() float64 {
	for _, s := range p.stubs {
		if d := s.Points[1].Sub(s.Points[0]); math.Abs(d.X) > math.Abs(d.Y) {
			return s.Points[0].Y
		}
	}
	return p.nodeBounds().Y
}

// nodeBounds is the box of the shapes alone.
func (p *piece) nodeBounds() diagram.Box {
	var b diagram.Box
	for i, nd := range p.nodes {
		if i == 0 {
			b = nd.Box
		} else {
			b = b.Union(nd.Box)
		}
	}
	return b
}

// componentPiece draws one placed component: ports, routes, stubs, labels.
func (n *net) componentPiece(comp []int) *piece {
	n.orientTriangles(comp)
	n.fixPorts(comp)
	n.wirePorts(comp)
	n.loops(comp)
	n.route(comp)
	o := n.obstaclesOf(comp)
	stubs, stubLabels := n.placeStubs(comp, o)
	labels := append(n.shiftLabels(comp, o), n.wireLabels(comp, o)...)

	p := &piece{}
	for _, vi := range comp {
		v := n.verts[vi]
		if v.inner != nil {
			in := clonePiece(v.inner)
			in.translate(v.pos)
			for i := range in.nodes {
				if in.nodes[i].Parent == "" {
					in.nodes[i].Parent = v.id
				}
			}
			p.add(in)
		}
		p.nodes = append(p.nodes, diagram.Node{
			ID: v.id, Label: v.label, Kind: v.kind, Box: v.box(), Shape: v.shape,
			Angle: v.angle, Flip: v.flip, Dashed: v.kind == diagram.Hole, Color: v.color, Title: v.title,
		})
		if v.inner != nil {
			p.groups = append(p.groups, diagram.Group{Kind: diagram.BubbleGroup, ID: v.id, Box: v.box(), Members: memberIDs(v.inner)})
			lb, _ := diagram.PlaceLabel(v.label, diagram.FunctionLabel, funcFont, diagram.Point{})
			lo := v.box().Min()
			lb = lb.Move(diagram.Pt(lo.X+bubblePad+lb.W/2, lo.Y+bubblePad/2+1+lb.H/2))
			lb.Owner, lb.At = v.id, v.pos
			p.labels = append(p.labels, lb)
		}
	}
	wireOf := map[int]int{}
	for ei, e := range n.edges {
		if !slices.Contains(comp, e.a) {
			continue
		}
		wireOf[ei+1] = len(p.wires) + 1
		title := e.name
		if e.dim > 0 {
			title = fmt.Sprintf("%s (%d)", e.name, e.dim)
		}
		p.wires = append(p.wires, diagram.Wire{
			From: n.verts[e.a].id, To: n.verts[e.b].id, Leg: e.name, Points: e.pts, Curve: e.curve,
			Width: width(e.dim), Dim: e.dim, Title: title,
		})
	}
	base := len(p.stubs)
	for i, s := range stubs {
		title := s.name + ", free"
		if s.dim > 0 {
			title = fmt.Sprintf("%s (%d), free", s.name, s.dim)
		}
		p.stubs = append(p.stubs, diagram.Stub{
			Node: n.verts[s.v].id, Leg: s.name, Points: []diagram.Point{s.p0, s.p1},
			Width: width(s.dim), Dim: s.dim, Title: title,
		})
		if !s.unnamed {
			lb := stubLabels[i]
			lb.Stub, lb.At = base+i+1, s.p1
			p.labels = append(p.labels, lb)
		}
	}
	for _, lb := range labels {
		if lb.Wire > 0 {
			lb.Wire = wireOf[lb.Wire]
		}
		p.labels = append(p.labels, lb)
	}
	p.labels = append(p.labels, n.nodeLabels(comp)...)
	return p
}

// memberIDs lists the nodes directly inside a bubble (not those inside
// bubbles within it).
func memberIDs(p *piece) []string {
	var ids []string
	for _, nd := range p.nodes {
		if nd.Parent == "" {
			ids = append(ids, nd.ID)
		}
	}
	return ids
}

func clonePiece(p *piece) *piece {
	q := &piece{
		nodes:  slices.Clone(p.nodes),
		wires:  slices.Clone(p.wires),
		stubs:  slices.Clone(p.stubs),
		labels: slices.Clone(p.labels),
		groups: slices.Clone(p.groups),
	}
	return q
}

// layoutGraph lays out one network: bubbles' insides first, then each
// component by its structure, then the components side by side. within is
// the ID of the bubble the network is the inside of ("" at the top).
func layoutGraph(g *Graph, opt Options, path, within string, hints map[string]Side) (*piece, error) {
	n, err := build(g, opt, path, within, hints)
	if err != nil {
		return nil, err
	}
	var bubbles []int
	for i := range g.Nodes {
		if g.Nodes[i].Kind == diagram.Function {
			bubbles = append(bubbles, i)
			if err := n.setBubble(i, &g.Nodes[i], path, nil); err != nil {
				return nil, err
			}
		}
	}
	adj := n.adjacency()
	comps := components(adj)
	placeAll := func() {
		var pinnedVerts []int
		for _, c := range comps {
			for _, v := range c {
				n.verts[v].pref = diagram.Point{}
			}
			n.place(c, adj)
			if slices.ContainsFunc(c, func(v int) bool { return n.verts[v].pin != nil }) {
				pinnedVerts = append(pinnedVerts, c...)
			}
		}
		// Pinned components share the plane: keep their free tensors apart.
		n.separate(pinnedVerts)
	}
	placeAll()
	if err := n.checkPins(); err != nil {
		return nil, err
	}
	if len(bubbles) > 0 {
		// Second pass: turn each bubble's free legs toward their partners.
		changed := false
		for _, i := range bubbles {
			h := n.bubbleHints(i)
			if !sameHints(h, n.verts[i].inner.ports) {
				if err := n.setBubble(i, &g.Nodes[i], path, h); err != nil {
					return nil, err
				}
				changed = true
			}
		}
		if changed {
			placeAll()
		}
	}
	var parts []*piece
	var pinned []bool
	for _, c := range comps {
		parts = append(parts, n.componentPiece(c))
		pinned = append(pinned, slices.ContainsFunc(c, func(v int) bool { return n.verts[v].pin != nil }))
	}
	return arrange(parts, pinned, opt.wire()/2), nil
}

// setBubble lays out a function node's inside and sizes its bubble: the
// inside's box padded, with a strip on top for the function's name. The
// stubs of the inside's free legs are stretched to the contour, where the
// bubble's own legs begin; their names are drawn outside instead.
func (n *net) setBubble(i int, nd *Node, path string, hints map[string]Side) error {
	in, err := layoutGraph(nd.Inner, n.opt, join(path, fmt.Sprintf("node %q inner", nd.ID)), nd.ID, hints)
	if err != nil {
		return err
	}
	// The inside's free legs reach the contour, unnamed: a bubble's leg is
	// named outside, and a leg the function consumes by its subscript.
	free := map[string]bool{}
	for _, f := range nd.Inner.Free {
		free[f.Name] = true
	}
	var kept []diagram.Label
	for _, l := range in.labels {
		if l.Stub > 0 && free[in.stubs[l.Stub-1].Leg] {
			continue
		}
		kept = append(kept, l)
	}
	in.labels = kept
	inner := in.bounds()
	name, _ := diagram.PlaceLabel(nd.Label, diagram.FunctionLabel, funcFont, diagram.Point{})
	box := inner.Inflate(bubblePad)
	top := name.H + 2
	box = diagram.BoxOf(diagram.Pt(box.Min().X, box.Min().Y-top), box.Max())
	if w := name.W + 2*bubblePad; box.W < w {
		box.W = w
	}
	in.translate(box.Center().Scale(-1))
	box = box.Translate(box.Center().Scale(-1))
	contour := diagram.Node{Box: box, Shape: diagram.Bubble}
	in.ports = map[string]port{}
	for k := range in.stubs {
		s := &in.stubs[k]
		if !free[s.Leg] {
			continue
		}
		d := s.Points[1].Sub(s.Points[0]).Unit()
		end := contour.Exit(s.Points[0], d)
		s.Points = []diagram.Point{s.Points[0], end}
		in.ports[s.Leg] = port{end, d}
	}
	v := n.verts[i]
	v.inner, v.w, v.h = in, box.W, box.H
	return nil
}

// bubbleHints asks each free leg inside bubble i to point toward the
// partner of the bubble's leg outside (or where the leg's stub will go).
func (n *net) bubbleHints(i int) map[string]Side {
	v := n.verts[i]
	h := map[string]Side{}
	for _, l := range v.legs {
		var d diagram.Point
		switch {
		case l.edge != nil && l.edge.a != l.edge.b:
			d = n.verts[n.otherEnd(i, l)].pos.Sub(v.pos)
		case l.stub != nil:
			d = n.stubWish(i, l.stub)
			if d == (diagram.Point{}) {
				d = v.pref
			}
		}
		if d.Len() < 1e-9 {
			continue
		}
		h[l.name] = sideOf(snap4(d))
	}
	return h
}

func sideOf(d diagram.Point) Side {
	switch {
	case d.X < 0:
		return Left
	case d.X > 0:
		return Right
	case d.Y < 0:
		return Up
	}
	return Down
}

func sameHints(h map[string]Side, ports map[string]port) bool {
	for name, s := range h {
		p, ok := ports[name]
		if !ok || sideOf(snap4(p.dir)) != s {
			return false
		}
	}
	return true
}

// arrange puts component pieces side by side, left to right, their shapes
// centred on one horizontal axis, gap apart. Pinned components stay where
// their pins put them; the others follow to their right. Components that
// are all bare lines are stacked top to bottom instead.
func arrange(parts []*piece, pinned []bool, gap float64) *piece {
	out := &piece{}
	if len(parts) > 1 && !slices.Contains(pinned, true) && !slices.ContainsFunc(parts, func(p *piece) bool {
		return len(p.nodes) != 1 || p.nodes[0].Shape != diagram.Bare
	}) {
		// Bare identity lines side by side read as one long line: stack
		// them instead, as the factors of a Kronecker product.
		y := 0.0
		for i, p := range parts {
			b := p.bounds()
			if i > 0 {
				y += gap / 3
			}
			p.translate(diagram.Pt(-b.X, y-b.Min().Y))
			y += b.H
			out.add(p)
		}
		return out
	}
	x := math.Inf(-1)
	for i, p := range parts {
		if pinned[i] {
			b := p.bounds()
			x = math.Max(x, b.Max().X)
		}
	}
	for i, p := range parts {
		if pinned[i] {
			out.add(p)
			continue
		}
		b := p.bounds()
		if math.IsInf(x, -1) {
			p.translate(diagram.Pt(-b.Min().X, -p.axis()))
		} else {
			p.translate(diagram.Pt(x+gap-b.Min().X, -p.axis()))
		}
		x = p.bounds().Max().X
		out.add(p)
	}
	return out
}
