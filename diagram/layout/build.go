package layout

import (
	"fmt"
	"math"
	"strings"

	"github.com/strand-tn/strand/diagram"
)

// net is the working model of one graph: vertices (the tensors, plus a dot
// per hyperedge), wires between leg ends, and free stubs.
type net struct {
	opt   Options
	verts []*vert
	edges []*edge
	stubs []*stub
	// firstFree and lastFree are the names of the first and last free legs.
	firstFree, lastFree string
	vertical            bool
}

type vert struct {
	id, label string
	kind      diagram.Kind
	shape     diagram.Shape
	w, h      float64
	legs      []*vleg
	pin       *Pin
	flip      bool
	color     string
	title     string
	inner     *piece // a bubble's contents, centred on the bubble
	hyper     bool   // a dot standing for a hyperedge or a lone summed leg
	pos       diagram.Point
	angle     float64 // a triangle's tip direction, degrees
	// pref is the direction the strategy that placed the vertex would like
	// its free legs to point (zero: no wish).
	pref diagram.Point
}

// vleg is a leg end on a vertex: joined to an edge or to a stub.
type vleg struct {
	name, label string
	dim         int
	tip         bool
	side        Side
	shift       int  // a shifted copy-tensor leg: drawn "+1" at its port
	unnamed     bool // drawn without its name
	edge        *edge
	stub        *stub
	// port is where the leg leaves the outline and the direction it leaves in.
	port, dir diagram.Point
	fixed     bool // port set by the shape (triangle, bubble), not by the partner
}

type edge struct {
	a, b        int // vertex indices; a == b for a trace loop
	la, lb      int // leg indices on a and b
	name, label string
	dim         int
	pts         []diagram.Point
	curve       bool
	unlabelled  bool // the name is drawn once elsewhere (hyperedge dot)
	// inCable marks a wire of a cable (three or more wires between two
	// tensors, drawn parallel), named together on its first wire: cable
	// holds the names ("r, k, s") there and is empty on the others.
	inCable bool
	cable   string
}

type stub struct {
	v, leg      int
	name, label string
	dim         int
	side        Side // asked for: obeyed
	hint        Side // wished for by the layout around a bubble: preferred
	unnamed     bool
	order       int // index in Graph.Free
	p0, p1      diagram.Point
	dir         diagram.Point
}

// dimsText formats a tensor's legs for its hover title: "A: i (2), j".
func dimsText(name string, legs []*vleg) string {
	var b strings.Builder
	b.WriteString(name)
	for k, l := range legs {
		if k == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(l.name)
		if l.dim > 0 {
			fmt.Fprintf(&b, " (%d)", l.dim)
		}
	}
	return b.String()
}

// build turns a validated graph into a net; hints gives free-leg sides the
// enclosing layout wishes for a bubble's inside (within: the bubble's ID,
// which prefixes the IDs of the inside's copy dots, keeping them unique).
func build(g *Graph, opt Options, path, within string, hints map[string]Side) (*net, error) {
	n := &net{opt: opt, vertical: g.Vertical}
	freeIdx := map[string]int{}
	for k, f := range g.Free {
		freeIdx[f.Name] = k
	}
	if len(g.Free) > 0 {
		n.firstFree, n.lastFree = g.Free[0].Name, g.Free[len(g.Free)-1].Name
	}
	ids := map[string]bool{}
	for i := range g.Nodes {
		nd := &g.Nodes[i]
		v, err := newVert(nd, opt, join(path, fmt.Sprintf("node %d %q", i, nd.ID)))
		if err != nil {
			return nil, err
		}
		ids[v.id] = true
		n.verts = append(n.verts, v)
	}
	// Group leg ends by name, in order of first appearance.
	type end struct{ v, l int }
	var names []string
	ends := map[string][]end{}
	for vi, v := range n.verts {
		for li, l := range v.legs {
			if _, ok := ends[l.name]; !ok {
				names = append(names, l.name)
			}
			ends[l.name] = append(ends[l.name], end{vi, li})
		}
	}
	for _, name := range names {
		es := ends[name]
		dim := 0
		for _, e := range es {
			d := n.verts[e.v].legs[e.l].dim
			if d > 0 && dim > 0 && d != dim {
				return nil, errorf(path, "leg %q has dimension %d on %q but %d on %q",
					name, dim, n.verts[es[0].v].id, d, n.verts[e.v].id)
			}
			if d > 0 {
				dim = d
			}
		}
		fi, free := freeIdx[name]
		side, hint := Auto, Auto
		if free {
			side = g.Free[fi].Side
			hint = hints[name]
		} else {
			fi = -1
		}
		first := n.verts[es[0].v].legs[es[0].l]
		label := first.label
		unnamed := false
		for _, e := range es {
			unnamed = unnamed || n.verts[e.v].legs[e.l].unnamed
		}
		switch {
		case len(es) == 2 && !free:
			n.addEdge(es[0].v, es[0].l, es[1].v, es[1].l, name, label, dim).unlabelled = unnamed
		case len(es) == 1 && free:
			if first.side != Auto && side == Auto {
				side = first.side
			}
			st := n.addStub(es[0].v, es[0].l, name, label, dim, side, fi)
			st.unnamed, st.hint = unnamed, hint
		default:
			// A hyperedge, or a leg summed on its own: a copy dot joined to
			// every end (δ with one leg is the all-ones vector).
			base := "δ(" + name + ")"
			if within != "" {
				base = within + "/" + base
			}
			id := uniqueID(base, ids)
			ids[id] = true
			d := &vert{id: id, label: "", kind: diagram.Delta, shape: diagram.Dot, w: dotSize, h: dotSize, hyper: true}
			di := len(n.verts)
			n.verts = append(n.verts, d)
			for k, e := range es {
				d.legs = append(d.legs, &vleg{name: name, label: label, dim: dim})
				ed := n.addEdge(e.v, e.l, di, k, name, label, dim)
				ed.unlabelled = true
			}
			if free {
				d.legs = append(d.legs, &vleg{name: name, label: label, dim: dim, side: side})
				n.addStub(di, len(d.legs)-1, name, label, dim, side, fi).hint = hint
			}
			d.title = dimsText("δ "+name, d.legs[:1])
		}
	}
	for _, v := range n.verts {
		if !v.hyper {
			v.title = dimsText(v.title, v.legs)
		}
	}
	return n, nil
}

func uniqueID(id string, taken map[string]bool) string {
	for taken[id] {
		id += "'"
	}
	return id
}

func (n *net) addEdge(a, la, b, lb int, name, label string, dim int) *edge {
	e := &edge{a: a, la: la, b: b, lb: lb, name: name, label: label, dim: dim}
	n.edges = append(n.edges, e)
	n.verts[a].legs[la].edge = e
	n.verts[b].legs[lb].edge = e
	return e
}

func (n *net) addStub(v, l int, name, label string, dim int, side Side, order int) *stub {
	s := &stub{v: v, leg: l, name: name, label: label, dim: dim, side: side, order: order}
	n.stubs = append(n.stubs, s)
	n.verts[v].legs[l].stub = s
	return s
}

// newVert sizes a tensor's shape from its kind and label.
func newVert(nd *Node, opt Options, path string) (*vert, error) {
	label := nd.Label
	if label == "" && nd.Kind != diagram.Function {
		label = tensorMarkup(nd.ID)
	}
	kind := nd.Kind
	if kind == "" {
		kind = diagram.General
	}
	v := &vert{id: nd.ID, label: label, kind: kind, pin: nd.Pin, flip: nd.Flip, color: nd.Color, title: nd.ID}
	if label != "" {
		v.title = plain(label)
	}
	for _, l := range nd.Legs {
		lab := l.Label
		if lab == "" {
			lab = legMarkup(l.Name)
		}
		v.legs = append(v.legs, &vleg{name: l.Name, label: lab, dim: l.Dim, tip: l.Tip, side: l.Side, shift: l.Shift, unnamed: l.Unnamed})
	}
	tw := textWidth(label, nodeFont)
	switch kind {
	case diagram.General:
		if tw <= nodeSize-4 {
			v.shape = diagram.Circle
			d := math.Max(math.Max(nodeSize, tw+10), float64(len(v.legs))*10/math.Pi)
			v.w, v.h = d, d
		} else {
			v.shape = diagram.RoundBox
			v.w, v.h = tw+16, nodeSize-2
		}
	case diagram.Hole:
		v.shape = diagram.Circle
		v.w, v.h = nodeSize, nodeSize
		v.label = ""
	case diagram.Unitary:
		v.shape = diagram.Square
		s := math.Max(nodeSize-2, tw+12)
		v.w, v.h = s, nodeSize-2
		if s == nodeSize-2 {
			v.h = s
		}
	case diagram.Isometry:
		v.shape = diagram.Triangle
		// Length along the tip axis and base; the label sits at the centroid.
		v.w, v.h = math.Max(nodeSize+2, tw+14), math.Max(nodeSize+6, tw*1.2+14)
		markTip(v)
	case diagram.Delta:
		v.shape = diagram.Dot
		v.w, v.h = dotSize, dotSize
		v.label = ""
	case diagram.Identity, diagram.Join:
		v.shape = diagram.Bare
		v.label = ""
	case diagram.Add:
		v.shape = diagram.Circle
		v.w, v.h = addSize, addSize
		v.label = "+"
		if v.color == "" {
			v.color = "blue"
		}
	case diagram.Copy:
		v.shape = diagram.Circle
		v.w, v.h = copySize, copySize
		v.label = ""
		if v.color == "" {
			v.color = "pink"
		}
	case diagram.Function:
		inner := nd.Inner
		v.shape = diagram.Bubble
		if len(v.legs) == 0 {
			for _, f := range inner.Free {
				v.legs = append(v.legs, &vleg{name: f.Name, label: legMarkup(f.Name), side: f.Side})
			}
		}
		for _, l := range v.legs {
			for _, in := range inner.Nodes {
				for _, il := range in.Legs {
					if il.Name == l.name {
						if l.dim == 0 {
							l.dim = il.Dim
						}
						if il.Label != "" {
							l.label = il.Label
						}
					}
				}
			}
		}
	}
	return v, nil
}

// markTip decides which legs of an isometry leave from the tip: those marked
// Tip; else those of smallest known dimension when the dimensions differ;
// else the last leg.
func markTip(v *vert) {
	if len(v.legs) == 0 {
		return
	}
	for _, l := range v.legs {
		if l.tip {
			return
		}
	}
	lo, hi := math.MaxInt, 0
	for _, l := range v.legs {
		if l.dim > 0 {
			lo, hi = min(lo, l.dim), max(hi, l.dim)
		}
	}
	if hi > 0 && lo < hi {
		for _, l := range v.legs {
			if l.dim == lo {
				l.tip = true
			}
		}
		return
	}
	v.legs[len(v.legs)-1].tip = true
}

func escapeMarkup(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\_^{}`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plain returns the characters of validated markup.
func plain(s string) string {
	t, err := diagram.ParseText(s)
	if err != nil {
		return s
	}
	return t.Plain()
}

func textWidth(s string, size float64) float64 {
	t, err := diagram.ParseText(s)
	if err != nil {
		return 0
	}
	_, e := t.Set(size)
	return e.W
}

// legLabel is the text drawn for a leg; with sizes, its dimension follows.
func (n *net) legText(label string, dim int, free bool) string {
	if free && n.opt.Sizes && dim > 0 {
		return fmt.Sprintf("%s (%d)", label, dim)
	}
	return label
}

// width is the stroke width of a leg of dimension dim: 1.5 units for an
// unknown size, else 1 + 0.5·log₂(dim), capped at 7 (dim 2 → 1.5, 20 → 3.2,
// 768 → 5.8).
func width(dim int) float64 {
	if dim <= 0 {
		return 1.5
	}
	return math.Min(7, 1+0.5*math.Log2(float64(dim)))
}
